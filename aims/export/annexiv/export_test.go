package annexiv_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/export/annexiv"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files and the evidence log in testdata")

const (
	governance = "../../../examples/credit-scoring/governance"
	// logFile is the gate evidence log of the golden test, written by
	// writeLog under -update.
	logFile = "testdata/credit-scoring.evidence.jsonl"
)

var (
	creditScoring = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	supportChat   = uuid.MustParse("2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60")
	when          = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
)

func loadFolder(t testing.TB) *aims.Snapshot {
	t.Helper()
	f, err := aims.Load(context.Background(), os.DirFS(governance))
	if err != nil {
		t.Fatalf("aims.Load(%s) = %v", governance, err)
	}
	return f
}

// writeLog writes the evidence log of two gate decisions on the
// credit-scoring system, moving it to deployment: one with the facts of
// its validation run under a policy that bounds them, one without facts,
// which the policy denies. Clock and ids are fixed, so the log is the same
// on every run.
func writeLog(t *testing.T, f *aims.Snapshot) {
	t.Helper()
	ctx := context.Background()
	if err := os.Remove(logFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC) }
	n := 0
	newID := func() (uuid.UUID, error) {
		n++
		return uuid.MustParse("019a0000-0000-7000-8000-" + strings.Repeat("0", 12-len(strconv.Itoa(n))) + strconv.Itoa(n)), nil
	}
	log, err := evidence.OpenFile(logFile, &evidence.FileOptions{Clock: clock, NewID: newID})
	if err != nil {
		t.Fatal(err)
	}
	policy := aims.DefaultPolicy()
	minAUC, maxGap := 0.75, 0.05
	for i, g := range policy.Gates {
		if g.To == inventory.StageDeployment {
			policy.Gates[i].Checks = append(policy.Gates[i].Checks,
				aims.CheckSpec{Check: aims.CheckFactThreshold, ID: "auc", Params: aims.CheckParams{Fact: "auc", Min: &minAUC}},
				aims.CheckSpec{Check: aims.CheckFactThreshold, ID: "fairness-gap", Params: aims.CheckParams{Fact: "fairness.gap", Max: &maxGap}})
		}
	}
	g, err := aims.NewGate(f, &aims.GateOptions{Policy: policy, Clock: clock, NewID: newID, Evidence: log})
	if err != nil {
		t.Fatal(err)
	}
	for _, facts := range []aims.Facts{{"auc": 0.81, "fairness.gap": 0.03}, nil} {
		if _, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, facts); err != nil {
			t.Fatal(err)
		}
	}
	if err := log.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// readLog verifies an evidence log and returns its records.
func readLog(t testing.TB, path string) []*evidence.Record {
	t.Helper()
	if _, err := evidence.VerifyFile(context.Background(), path, nil); err != nil {
		t.Fatalf("VerifyFile(%s) = %v", path, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []*evidence.Record
	for r, err := range evidence.Records(bytes.NewReader(b)) {
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		out = append(out, r)
	}
	return out
}

func build(t testing.TB) *annexiv.Document {
	t.Helper()
	d, err := annexiv.Build(loadFolder(t), creditScoring, &annexiv.Options{
		Time:    func() time.Time { return when },
		Records: readLog(t, logFile),
		Log:     logFile,
	})
	if err != nil {
		t.Fatalf("Build = %v", err)
	}
	return d
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update if the change is meant:\n%s", name, diff)
	}
}

func TestGolden(t *testing.T) {
	if *update {
		writeLog(t, loadFolder(t))
	}
	d := build(t)
	var md, js bytes.Buffer
	if err := d.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden(t, "credit-scoring.md", md.Bytes())
	golden(t, "credit-scoring.json", js.Bytes())

	// The JSON reads back into the same document.
	var back annexiv.Document
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("decode JSON: %v", err)
	}
	if diff := cmp.Diff(d, &back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

// TestSections checks the structure: the nine sections in Annex IV order,
// the points of each, and that the sections the project holds facts for
// are filled at least in part.
func TestSections(t *testing.T) {
	d := build(t)
	want := [][]string{
		{"1(a)", "1(b)", "1(c)", "1(d)", "1(e)", "1(f)", "1(g)", "1(h)"},
		{"2(a)", "2(b)", "2(c)", "2(d)", "2(e)", "2(f)", "2(g)", "2(h)"},
		{"3(a)", "3(b)", "3(c)", "3(d)"},
		{"4"}, {"5"}, {"6"}, {"7"}, {"8"}, {"9"},
	}
	var got [][]string
	for i, s := range d.Sections {
		if s.Number != i+1 {
			t.Errorf("section %d has number %d", i, s.Number)
		}
		var ids []string
		for _, it := range s.Items {
			ids = append(ids, it.ID)
		}
		got = append(got, ids)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("points (-want +got):\n%s", diff)
	}
	status := map[string]annexiv.Status{}
	for _, s := range d.Sections {
		for _, it := range s.Items {
			status[it.ID] = it.Status
		}
	}
	// What the folder and the log hold facts for.
	for _, id := range []string{"1(a)", "1(b)", "1(c)", "1(e)", "2(a)", "2(b)", "2(c)", "2(d)", "2(e)", "2(g)", "2(h)", "3(a)", "3(b)", "3(c)", "5", "6", "7", "9"} {
		if status[id] == annexiv.StatusPlaceholder {
			t.Errorf("point %s is a placeholder, want it filled from the folder", id)
		}
	}
	// What a person must write.
	for _, id := range []string{"1(d)", "1(f)", "1(g)", "2(f)", "3(d)", "4", "8"} {
		if status[id] != annexiv.StatusPlaceholder {
			t.Errorf("point %s is %s, want a placeholder", id, status[id])
		}
	}
}

// TestValidationCitesGateFacts checks that 2(g) carries the results and
// the facts of the gate decisions in the log, citing the records.
func TestValidationCitesGateFacts(t *testing.T) {
	d := build(t)
	var texts []string
	for _, st := range d.Sections[1].Items[6].Statements {
		if st.Sources[0].Record != "" {
			texts = append(texts, st.Text)
		}
	}
	if len(texts) != 2 {
		t.Fatalf("2(g) cites %d gate decisions, want 2: %q", len(texts), texts)
	}
	for _, want := range []string{"auc = 0.81 within bounds", "fairness.gap = 0.03 within bounds"} {
		if !strings.Contains(texts[0], want) {
			t.Errorf("2(g) first decision = %q, want it to contain %q", texts[0], want)
		}
	}
	if !strings.Contains(texts[1], `fact "auc" was not supplied`) || !strings.Contains(texts[1], ": deny.") {
		t.Errorf("2(g) second decision = %q, want a denial for the missing fact", texts[1])
	}
}

// TestSourcesResolve checks that every statement cites a source, and
// that every source exists: the file is in the folder and the pointer
// resolves in it, or the record is in the log.
func TestSourcesResolve(t *testing.T) {
	d := build(t)
	records := map[string]bool{}
	for _, r := range readLog(t, logFile) {
		records[r.ID.String()] = true
	}
	docs := map[string]any{}
	files := map[string]bool{}
	for _, f := range d.Files {
		files[f.Name] = true
	}
	n := 0
	for _, s := range d.Sections {
		for _, it := range s.Items {
			switch it.Status {
			case annexiv.StatusFilled, annexiv.StatusPartial:
				if len(it.Statements) == 0 {
					t.Errorf("%s is %s with no statement", it.ID, it.Status)
				}
			case annexiv.StatusPlaceholder:
				if len(it.Statements) > 0 || it.Needed == "" {
					t.Errorf("placeholder %s: %d statements, needed %q", it.ID, len(it.Statements), it.Needed)
				}
			default:
				t.Errorf("%s has status %q", it.ID, it.Status)
			}
			if it.Status == annexiv.StatusPartial && it.Needed == "" {
				t.Errorf("partial %s says nothing about what is needed", it.ID)
			}
			for _, st := range it.Statements {
				if st.Text == "" || len(st.Sources) == 0 {
					t.Errorf("%s: statement %q has %d sources", it.ID, st.Text, len(st.Sources))
				}
				for _, src := range st.Sources {
					n++
					if !files[src.File] {
						t.Errorf("%s: source %s is not among the files cited", it.ID, src)
					}
					if src.Record != "" {
						if src.File != logFile || !records[src.Record] {
							t.Errorf("%s: record %s is not in %s", it.ID, src, logFile)
						}
						continue
					}
					doc, ok := docs[src.File]
					if !ok {
						doc = readDoc(t, filepath.Join(governance, src.File))
						docs[src.File] = doc
					}
					if _, err := resolve(doc, src.Pointer); err != nil {
						t.Errorf("%s: source %s: %v", it.ID, src, err)
					}
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("%d sources cited, want the folder's facts cited (at least 50)", n)
	}
}

// readDoc reads a YAML or JSON document as generic JSON values.
func readDoc(t testing.TB, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("cited file: %v", err)
	}
	js, err := document.ToJSON(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var v any
	if err := json.Unmarshal(js, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// resolve returns the value at an RFC 6901 pointer.
func resolve(doc any, pointer string) (any, error) {
	if pointer == "" {
		return doc, nil
	}
	if !strings.HasPrefix(pointer, "/") {
		return nil, errors.New("pointer does not start with /")
	}
	v := doc
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[tok]
			if !ok {
				return nil, errors.New("no member " + strconv.Quote(tok))
			}
			v = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, errors.New("no index " + tok)
			}
			v = x[i]
		default:
			return nil, errors.New("cannot descend into a scalar at " + strconv.Quote(tok))
		}
	}
	return v, nil
}

func TestNotHighRisk(t *testing.T) {
	f := loadFolder(t)
	_, err := annexiv.Build(f, supportChat, nil)
	if !errors.Is(err, annexiv.ErrNotHighRisk) {
		t.Fatalf("Build(support assistant) = %v, want ErrNotHighRisk", err)
	}
	nh, ok := errors.AsType[*annexiv.NotHighRiskError](err)
	if !ok {
		t.Fatalf("Build(support assistant) = %T, want *NotHighRiskError", err)
	}
	if nh.Classification.Category != inventory.CategoryMinimal || nh.System != supportChat {
		t.Errorf("NotHighRiskError = %+v, want the minimal-risk support assistant", nh)
	}
	for _, want := range []string{"Customer support assistant", "minimal; transparency Art. 50(1)", "no rule of Art. 5, 6 or 51 applies", "Art. 11(1)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	d, err := annexiv.Build(f, supportChat, &annexiv.Options{Force: true, Time: func() time.Time { return when }})
	if err != nil {
		t.Fatalf("Build(support assistant, Force) = %v", err)
	}
	if d.Classification != "minimal; transparency Art. 50(1)" || len(d.Sections) != 9 {
		t.Errorf("forced document: classification %q, %d sections", d.Classification, len(d.Sections))
	}
}

func TestUnknownSystem(t *testing.T) {
	id := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	_, err := annexiv.Build(loadFolder(t), id, nil)
	if !errors.Is(err, aims.ErrUnknownSystem) || !strings.Contains(err.Error(), id.String()) {
		t.Errorf("Build(unknown) = %v, want aims.ErrUnknownSystem naming the id", err)
	}
	if _, err := annexiv.Build(nil, creditScoring, nil); !errors.Is(err, annexiv.ErrNoFolder) {
		t.Errorf("Build(nil) = %v, want ErrNoFolder", err)
	}
}

// TestRecordsOfOtherSystems checks that records of other systems are not
// cited: the example's release log holds only the support assistant's.
func TestRecordsOfOtherSystems(t *testing.T) {
	const path = "../../../examples/credit-scoring/release.evidence.jsonl"
	d, err := annexiv.Build(loadFolder(t), creditScoring, &annexiv.Options{Records: readLog(t, path), Log: path})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range d.Files {
		if f.Kind == annexiv.KindLog {
			t.Errorf("Files lists the log %s, whose records are all of another system", f.Name)
		}
	}
}

// TestMarkdownEscapes checks that text from the documents cannot inject
// Markdown or HTML into the Markdown output.
func TestMarkdownEscapes(t *testing.T) {
	f := loadFolder(t)
	sys := f.System(creditScoring)
	sys.Name = "Scorer <script>alert(1)</script> [x](http://evil) `code` *bold*"
	sys.Purpose.Intended = "line one\n\n# not a heading\n> not a quote"
	d, err := annexiv.Build(f, creditScoring, &annexiv.Options{Time: func() time.Time { return when }})
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := d.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	for _, bad := range []string{"<script>", "[x](http://evil)", "\n# not a heading", "\n> not a quote", "`code`", "*bold*"} {
		if strings.Contains(out, bad) {
			t.Errorf("Markdown output contains %q unescaped", bad)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;") || !strings.Contains(out, `\[x\](http://evil)`) || !strings.Contains(out, `line one \# not a heading &gt; not a quote`) {
		t.Errorf("Markdown output lacks the escaped text:\n%s", out[:min(len(out), 2000)])
	}
}

// TestPolicyAndLogRecords checks what the golden folder does not hold: the
// fact checks of a gate policy as acceptance criteria in 2(g), and the
// stage changes, suspensions and incidents of the log in sections 6 and
// 9, each citing a source that resolves, and no record of another system.
func TestPolicyAndLogRecords(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(governance)); err != nil {
		t.Fatal(err)
	}
	policy := `apiVersion: aimskit.dev/v1alpha1
kind: GatePolicy
id: credit
revision: credit/1
gates:
  - to: deployment
    checks:
      - check: owners-assigned
      - check: fact-threshold
        id: auc
        params: {fact: auc, min: 0.75}
      - check: fact-threshold
        id: fairness-gap
        params: {fact: fairness.gap, max: 0.05}
`
	if err := os.WriteFile(filepath.Join(dir, "gate-policy.yaml"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := aims.Load(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatalf("aims.Load = %v", err)
	}
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	rec := func(n int, typ evidence.Type, system uuid.UUID, outcome string, data string, reasons ...string) *evidence.Record {
		return &evidence.Record{
			ID: uuid.MustParse("019a0000-0000-7000-8000-00000000010" + strconv.Itoa(n)), Time: at, Type: typ, System: system,
			Outcome: outcome, Reasons: reasons, Data: json.RawMessage(data),
		}
	}
	recs := []*evidence.Record{
		rec(1, evidence.TypeStageChange, creditScoring, "deployment", `{"from":"verification-and-validation","to":"deployment","date":"2026-12-01","by":"release-bot"}`),
		rec(2, evidence.TypeSuspension, creditScoring, "suspended", `{}`, "drift 0.31 above 0.2"),
		rec(3, evidence.TypeIncident, creditScoring, "reported", `{}`),
		rec(4, evidence.TypeSuspension, supportChat, "suspended", `{}`, "other system"),
		rec(5, evidence.TypeResumption, creditScoring, "resumed", `not json`),
	}
	d, err := annexiv.Build(f, creditScoring, &annexiv.Options{Time: func() time.Time { return when }, Records: recs, Log: "ops.jsonl"})
	if err != nil {
		t.Fatalf("Build = %v", err)
	}
	text := func(id string) string {
		var b strings.Builder
		for _, s := range d.Sections {
			for _, it := range s.Items {
				if it.ID != id {
					continue
				}
				for _, st := range it.Statements {
					b.WriteString(st.Text + " [" + st.Sources[0].String() + "]\n")
				}
			}
		}
		return b.String()
	}
	for _, tc := range []struct{ id, want string }{
		{"2(g)", "Acceptance criterion of the gate to deployment: auc at least 0.75. [gate-policy.yaml#/gates/0/checks/1]"},
		{"2(g)", "fairness.gap at most 0.05. [gate-policy.yaml#/gates/0/checks/2]"},
		{"6", "verification-and-validation to deployment, by release-bot. [ops.jsonl record 019a0000-0000-7000-8000-000000000101]"},
		{"9", "Recorded suspension of 2026-12-01T08:00:00Z: suspended (drift 0.31 above 0.2). [ops.jsonl record 019a0000-0000-7000-8000-000000000102]"},
		{"9", "Recorded incident of 2026-12-01T08:00:00Z: reported. [ops.jsonl record 019a0000-0000-7000-8000-000000000103]"},
		{"9", "Recorded resumption of 2026-12-01T08:00:00Z: resumed. [ops.jsonl record 019a0000-0000-7000-8000-000000000105]"},
	} {
		if got := text(tc.id); !strings.Contains(got, tc.want) {
			t.Errorf("%s lacks %q:\n%s", tc.id, tc.want, got)
		}
	}
	if strings.Contains(text("9"), "other system") {
		t.Errorf("section 9 cites a record of another system:\n%s", text("9"))
	}
	doc := readDoc(t, filepath.Join(dir, "gate-policy.yaml"))
	for _, p := range []string{"/gates/0/checks/1", "/gates/0/checks/2"} {
		if _, err := resolve(doc, p); err != nil {
			t.Errorf("gate-policy.yaml#%s: %v", p, err)
		}
	}
}
