package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/internal/schema"
)

const sarifSchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// sarifSchemaSet compiles the official schema once for all tests.
var sarifSchemaSet = sync.OnceValues(func() (*schema.Set, error) {
	raw, err := os.ReadFile("testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		return nil, err
	}
	return schema.CompileExternal(schema.Draft4, schema.Resource{URL: sarifSchemaID, Schema: raw})
})

// checkSARIF holds out to the official SARIF 2.1.0 schema and decodes it.
func checkSARIF(t testing.TB, out string) sarifLog {
	t.Helper()
	s, err := sarifSchemaSet()
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	vs, err := s.Validate(sarifSchemaID, v)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("not valid SARIF 2.1.0: %s: %s: %s", v.Pointer, v.Keyword, v.Message)
	}
	var l sarifLog
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("SARIF has %d runs, want 1", len(l.Runs))
	}
	// What code scanning (GitHub's) requires beyond the schema.
	r := l.Runs[0]
	if l.Schema == "" || l.Version != "2.1.0" || r.Tool.Driver.Name != "aimskit" || r.Tool.Driver.InformationURI == "" {
		t.Errorf("SARIF lacks $schema, version 2.1.0 or the driver's name and informationUri: %+v", l)
	}
	for _, rule := range r.Tool.Driver.Rules {
		if rule.ID == "" || rule.ShortDescription.Text == "" || rule.Help.Text == "" || rule.HelpURI == "" {
			t.Errorf("rule %+v lacks id, shortDescription, help or helpUri", rule)
		}
	}
	for _, res := range r.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(r.Tool.Driver.Rules) || r.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %+v: ruleIndex does not name rule %s", res, res.RuleID)
		}
		if res.Message.Text == "" || len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" {
			t.Errorf("result %+v lacks a message or a location", res)
		}
	}
	return l
}

// inRepo copies an example governance folder to governance/ of a new
// folder that looks like a repository (it has a .git), with a file
// changed, and returns the repository.
func inRepo(t *testing.T, folder string, change func(name, text string) string) string {
	t.Helper()
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(folder)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(folder, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if change != nil {
			text = change(e.Name(), text)
		}
		files["governance/"+e.Name()] = text
	}
	writeFiles(t, repo, files)
	return repo
}

const exampleChat = "../../examples/llm-support-chat/governance"

// lineOf returns the line, from 1, of the first line of file that
// contains s.
func lineOf(t *testing.T, file, s string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line with %q", file, s)
	return 0
}

// validate --format sarif of both example folders is valid SARIF, with no
// error; with a broken field, the result is at the field's line and
// column, in the file named relative to the repository.
func TestValidateSARIF(t *testing.T) {
	tests := []struct {
		name, folder, file string
		old, new           string // a line of file, and what it becomes
		rule               string
		column             int // of the broken value, 0 for the start of the new text
	}{
		{"credit-scoring: enum", example, "ai-system-credit-scoring.yaml", "  autonomy: human-in-the-loop", "  autonomy: sometimes", ruleInvalidField, 13},
		{"credit-scoring: unknown field", example, "risk-assessment.yaml", "\nsystem:", "\nsystme: x\nsystem:", ruleInvalidField, 9},
		{"credit-scoring: syntax", example, "statement-of-applicability.yaml", "\nkind: StatementOfApplicability", "\nkind: \"StatementOfApplicability", ruleSyntax, 7},
		{"llm-support-chat: enum", exampleChat, "ai-system.yaml", "  autonomy: human-on-the-loop", "  autonomy: sometimes", ruleInvalidField, 13},
		{"llm-support-chat: type", exampleChat, "ai-system.yaml", "\nname: ", "\nname: [a list] #", ruleInvalidField, 7},
	}
	for _, folder := range []string{example, exampleChat} {
		t.Run("valid "+filepath.Base(filepath.Dir(folder)), func(t *testing.T) {
			repo := inRepo(t, folder, nil)
			code, out, stderr := runCLI(t, "validate", "--format", "sarif", filepath.Join(repo, "governance"))
			if code != exitOK || stderr != "" {
				t.Fatalf("validate --format sarif = %d, stderr %q; want 0 and nothing", code, stderr)
			}
			l := checkSARIF(t, out)
			for _, r := range l.Runs[0].Results {
				if r.Level == "error" {
					t.Errorf("valid folder has error result %+v", r)
				}
			}
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := inRepo(t, tt.folder, func(name, text string) string {
				if name != tt.file {
					return text
				}
				if !strings.Contains(text, tt.old) {
					t.Fatalf("%s lacks %q", name, tt.old)
				}
				return strings.Replace(text, tt.old, tt.new, 1)
			})
			file := filepath.Join(repo, "governance", tt.file)
			first, _, _ := strings.Cut(strings.TrimPrefix(tt.new, "\n"), "\n")
			wantLine := lineOf(t, file, first)
			wantColumn := tt.column
			if wantColumn == 0 {
				wantColumn = 1
			}
			code, out, _ := runCLI(t, "validate", "--format", "sarif", filepath.Join(repo, "governance"))
			if code != exitInvalid {
				t.Fatalf("validate --format sarif = %d, want 1:\n%s", code, out)
			}
			l := checkSARIF(t, out)
			var errs []sarifResult
			for _, r := range l.Runs[0].Results {
				if r.Level == "error" {
					errs = append(errs, r)
				}
			}
			if len(errs) != 1 {
				t.Fatalf("%d error results, want 1: %+v", len(errs), errs)
			}
			got := errs[0]
			loc := got.Locations[0].PhysicalLocation
			want := sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: "governance/" + tt.file, URIBaseID: "%SRCROOT%"},
				Region:           &sarifRegion{StartLine: wantLine, StartColumn: wantColumn},
			}
			if diff := cmp.Diff(want, loc); diff != "" {
				t.Errorf("location mismatch (-want +got):\n%s", diff)
			}
			if got.RuleID != tt.rule {
				t.Errorf("ruleId = %s, want %s", got.RuleID, tt.rule)
			}
			// The same problem in validate --format json is on the same line.
			_, js, _ := runCLI(t, "validate", "--format", "json", filepath.Join(repo, "governance"))
			var r validateReport
			if err := json.Unmarshal([]byte(js), &r); err != nil {
				t.Fatal(err)
			}
			for _, p := range r.Problems {
				if p.Severity == severityError && p.Line != loc.Region.StartLine {
					t.Errorf("validate --format json: line %d, SARIF line %d", p.Line, loc.Region.StartLine)
				}
			}
		})
	}
}

// The rules of validate's SARIF are the kinds of problem, each result
// names its rule by index, and a result stays at its field's
// fingerprint when lines above it move.
func TestValidateSARIFRules(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"system.yaml": exampleSystem(t),
		"bad.yaml":    "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: \"Scoring\n",
		"empty.yaml":  "",
		"other.yaml":  "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nid: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a11\nname: X\nnmae: y\n",
	})
	code, out, _ := runCLI(t, "validate", "--format", "sarif", dir)
	if code != exitInvalid {
		t.Fatalf("validate = %d, want 1", code)
	}
	l := checkSARIF(t, out)
	got := map[string]string{}
	for _, r := range l.Runs[0].Results {
		uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		got[uri[strings.LastIndex(uri, "/")+1:]+" "+r.RuleID] = r.Level
	}
	want := map[string]string{
		"bad.yaml syntax":             "error",
		"empty.yaml invalid-document": "error",
		"other.yaml invalid-field":    "error",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("result %s = %q, want %q; all: %v", k, got[k], v, got)
		}
	}
	var none sarifLog
	_, out, _ = runCLI(t, "validate", "--format", "sarif", t.TempDir())
	none = checkSARIF(t, out)
	if r := none.Runs[0].Results; len(r) != 1 || r[0].RuleID != ruleNoDocuments || r[0].Locations[0].PhysicalLocation.Region != nil {
		t.Errorf("empty folder: results %+v, want one no-documents at the folder, without lines", r)
	}

	d := t.TempDir()
	fp := func(prefix string) string {
		writeFiles(t, d, map[string]string{"s.yaml": prefix + strings.Replace(exampleSystem(t), "autonomy: human-in-the-loop", "autonomy: sometimes", 1)})
		_, out, _ := runCLI(t, "validate", "--format", "sarif", d)
		l := checkSARIF(t, out)
		return l.Runs[0].Results[0].PartialFingerprints[sarifFingerprint]
	}
	if a, b := fp(""), fp("# a comment\n# another\n"); a == "" || a != b {
		t.Errorf("fingerprints %q and %q, want the same for the same field", a, b)
	}
}

// gate --format sarif of both examples is valid SARIF: a denial has one
// result per failed check at the document the check read, with the
// controls of each rule; a waiver is a suppressed result at the waiver.
func TestGateSARIF(t *testing.T) {
	t.Run("credit-scoring denied", func(t *testing.T) {
		repo := inRepo(t, example, nil)
		code, out, stderr := runCLI(t, "gate", "--format", "sarif", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2028-01-10", filepath.Join(repo, "governance"))
		if code != exitInvalid {
			t.Fatalf("gate = %d, want 1: %s", code, stderr)
		}
		l := checkSARIF(t, out)
		run := l.Runs[0]
		if run.Properties == nil || run.Properties.Verdict != "deny" || run.Properties.Decision == "" {
			t.Errorf("run properties = %+v, want the decision and verdict deny", run.Properties)
		}
		got := map[string]string{}
		for _, r := range run.Results {
			loc := r.Locations[0].PhysicalLocation
			got[r.RuleID] = loc.ArtifactLocation.URI
			if loc.Region == nil || loc.Region.StartLine < 1 {
				t.Errorf("result %s has no line", r.RuleID)
			}
			if r.Level != "error" && r.Level != "warning" {
				t.Errorf("result %s level %q", r.RuleID, r.Level)
			}
		}
		if got["risk-assessment-approved"] != "governance/risk-assessment.yaml" || got["residual-risk-accepted"] != "governance/risk-assessment.yaml" {
			t.Errorf("results at %v, want the risk checks at governance/risk-assessment.yaml", got)
		}
		if _, ok := got["owners-assigned"]; ok {
			t.Errorf("a check that passed has a result: %v", got)
		}
		var rule *sarifRule
		for i := range run.Tool.Driver.Rules {
			if run.Tool.Driver.Rules[i].ID == "owners-assigned" {
				rule = &run.Tool.Driver.Rules[i]
			}
		}
		if rule == nil || !cmp.Equal(rule.Properties.Controls, []string{"iso42001:A.3.2"}) {
			t.Errorf("rule owners-assigned = %+v, want it with control iso42001:A.3.2", rule)
		}
	})
	t.Run("credit-scoring waived", func(t *testing.T) {
		repo := inRepo(t, example, nil)
		writeFiles(t, repo, map[string]string{"governance/gate-policy.yaml": waiverPolicy("accuracy")})
		code, out, stderr := runCLI(t, "gate", "--format", "sarif", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28", "--fact", "accuracy=0.8", filepath.Join(repo, "governance"))
		if code != exitOK {
			t.Fatalf("gate = %d, want 0: %s", code, stderr)
		}
		l := checkSARIF(t, out)
		var waived []sarifResult
		for _, r := range l.Runs[0].Results {
			if len(r.Suppressions) > 0 {
				waived = append(waived, r)
			}
		}
		if len(waived) != 1 || waived[0].RuleID != "accuracy" {
			t.Fatalf("suppressed results %+v, want accuracy", waived)
		}
		want := sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: "governance/gate-policy.yaml", URIBaseID: "%SRCROOT%"},
			Region:           &sarifRegion{StartLine: lineOf(t, filepath.Join(repo, "governance", "gate-policy.yaml"), "{check: accuracy"), StartColumn: 5},
		}
		if diff := cmp.Diff(want, waived[0].Locations[0].PhysicalLocation); diff != "" {
			t.Errorf("waived result location mismatch (-want +got):\n%s", diff)
		}
		if s := waived[0].Suppressions[0]; s.Status != "accepted" || !strings.Contains(s.Justification, "CRO") {
			t.Errorf("suppression = %+v, want accepted, by CRO", s)
		}
	})
	t.Run("llm-support-chat", func(t *testing.T) {
		repo := inRepo(t, exampleChat, nil)
		code, out, stderr := runCLI(t, "gate", "--format", "sarif", "--system", "2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60", "--to", "retirement", filepath.Join(repo, "governance"))
		if code != exitOK && code != exitInvalid {
			t.Fatalf("gate = %d: %s", code, stderr)
		}
		l := checkSARIF(t, out)
		for _, r := range l.Runs[0].Results {
			if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(uri, "governance/") {
				t.Errorf("result %s at %q, want a file of governance/", r.RuleID, uri)
			}
		}
	})
}

// The common JUnit XML structure, as CI test dashboards read it.
type junitReport struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name       string `xml:"name,attr"`
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func decodeJUnit(t *testing.T, out string) junitReport {
	t.Helper()
	var r junitReport
	dec := xml.NewDecoder(strings.NewReader(out))
	dec.Strict = true
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("output is not JUnit XML: %v\n%s", err, out)
	}
	if len(r.Suites) != 1 {
		t.Fatalf("%d test suites, want 1", len(r.Suites))
	}
	return r
}

// gate --format junit has one test case per check; failures are
// failures, waivers and checks that do not apply are skipped with why.
func TestGateJUnit(t *testing.T) {
	args := []string{"gate", "--format", "junit", "--system", "Consumer credit scoring", "--to", "deployment"}
	code, out, stderr := runCLI(t, append(args, "--date", "2028-01-10", example)...)
	if code != exitInvalid {
		t.Fatalf("gate = %d, want 1: %s", code, stderr)
	}
	r := decodeJUnit(t, out)
	_, js, _ := runCLI(t, append([]string{"gate", "--format", "json", "--system", "Consumer credit scoring", "--to", "deployment"}, "--date", "2028-01-10", example)...)
	var d struct {
		Verdict string `json:"verdict"`
		Checks  []struct {
			Check, Outcome, Severity string
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		t.Fatal(err)
	}
	s := r.Suites[0]
	if s.Tests != len(d.Checks) || len(s.Cases) != len(d.Checks) || r.Tests != len(d.Checks) {
		t.Errorf("tests = %d (%d cases), want %d checks", s.Tests, len(s.Cases), len(d.Checks))
	}
	failures, skipped := 0, 0
	for i, c := range d.Checks {
		tc := s.Cases[i]
		if tc.Name != c.Check {
			t.Errorf("case %d = %s, want %s", i, tc.Name, c.Check)
		}
		switch c.Outcome {
		case "fail":
			failures++
			if tc.Failure == nil || tc.Failure.Type != c.Severity || tc.Failure.Message == "" {
				t.Errorf("case %s: failure %+v, want one of type %s", c.Check, tc.Failure, c.Severity)
			}
		case "waived", "not-applicable":
			skipped++
			if tc.Skipped == nil || tc.Skipped.Message == "" {
				t.Errorf("case %s: skipped %+v, want a message", c.Check, tc.Skipped)
			}
		default:
			if tc.Failure != nil || tc.Skipped != nil {
				t.Errorf("case %s passed but is a failure or skipped", c.Check)
			}
		}
	}
	if failures == 0 || s.Failures != failures || r.Failures != failures || s.Skipped != skipped {
		t.Errorf("failures %d, skipped %d; want %d and %d", s.Failures, s.Skipped, failures, skipped)
	}
	var verdict string
	for _, p := range s.Properties {
		if p.Name == "verdict" {
			verdict = p.Value
		}
	}
	if verdict != "deny" {
		t.Errorf("verdict property = %q, want deny", verdict)
	}

	dir := copyExample(t, map[string]string{"gate-policy.yaml": waiverPolicy("accuracy")})
	code, out, stderr = runCLI(t, append(args, "--date", "2026-11-28", "--fact", "accuracy=0.8", dir)...)
	if code != exitOK {
		t.Fatalf("gate = %d, want 0: %s", code, stderr)
	}
	r = decodeJUnit(t, out)
	var waived string
	props := map[string]string{}
	for _, c := range r.Suites[0].Cases {
		if c.Name == "accuracy" && c.Skipped != nil {
			waived = c.Skipped.Message
			for _, p := range c.Properties {
				props[p.Name] = p.Value
			}
		}
	}
	wantProps := map[string]string{"control": "iso42001:A.6.2.4", "waiver.approver": "CRO", "waiver.expires": "2026-12-31", "waiver.reason": "pilot with 20 applicants"}
	if diff := cmp.Diff(wantProps, props); diff != "" {
		t.Errorf("accuracy properties mismatch (-want +got):\n%s", diff)
	}
	if want := "waived by CRO until 2026-12-31: pilot with 20 applicants"; waived != want {
		t.Errorf("accuracy skipped message = %q, want %q", waived, want)
	}
	if r.Failures != 0 {
		t.Errorf("failures = %d, want 0", r.Failures)
	}
}

// A check id or message with characters XML cannot hold still gives
// well-formed XML.
func TestGateJUnitHostileText(t *testing.T) {
	var b bytes.Buffer
	d := junitDecisionFixture()
	if code := writeGateJUnit(&b, &b, d); code != exitOK {
		t.Fatalf("writeGateJUnit = %d", code)
	}
	decodeJUnit(t, b.String())
}

func junitDecisionFixture() aims.Decision {
	return aims.Decision{
		SystemName: "a <b> & \"c\"\x00", Verdict: aims.VerdictDeny,
		Checks: []aims.CheckResult{
			{Check: "x]]>\x1b", Outcome: aims.OutcomeFail, Severity: aims.SeverityDeny, Message: "bad \xff\x00 <text>"},
			{Check: "y", Outcome: aims.OutcomeWaived, Message: "m", Waiver: &aims.Waiver{Approver: "\x07", Reason: "]]>"}},
		},
	}
}

// With --apply, what was applied goes to standard error, so that the
// SARIF or JUnit XML on standard output stays whole.
func TestGateApplyMachineFormats(t *testing.T) {
	for _, format := range []string{"sarif", "junit"} {
		t.Run(format, func(t *testing.T) {
			dir := copyExample(t, nil)
			code, out, stderr := runCLI(t, "gate", "--format", format, "--system", "Consumer credit scoring", "--to", "deployment", "--apply",
				"--actor", "release-bot", dir)
			if code != exitOK {
				t.Fatalf("gate --apply = %d, want 0; stderr:\n%s", code, stderr)
			}
			if !strings.Contains(stderr, "applied: Consumer credit scoring is now at deployment") {
				t.Errorf("stderr lacks the applied line: %q", stderr)
			}
			if format == "sarif" {
				checkSARIF(t, out)
			} else {
				decodeJUnit(t, out)
			}
		})
	}
}

// FuzzValidateSARIF: whatever a document holds, validate --format sarif
// never panics, writes valid SARIF 2.1.0, and locates every result of the
// document inside it.
func FuzzValidateSARIF(f *testing.F) {
	f.Add([]byte("apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: \"Scoring\n"))
	f.Add([]byte("apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nid: x\nname: y\nnmae: z\n"))
	f.Add([]byte("{\"apiVersion\": \"aimskit.dev/v1alpha1\", \"kind\": \"GatePolicy\", \"id\": 1}"))
	f.Add([]byte("apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\npurpose:\n  intended: x # TODO: say\n"))
	f.Add([]byte("\xff\x00a: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "doc.yaml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		code := run(t.Context(), []string{"validate", "--format", "sarif", dir}, &out, &errb)
		if code == exitError {
			t.Fatalf("validate = 2: %s", errb.String())
		}
		l := checkSARIF(t, out.String())
		lines := bytes.Split(data, []byte("\n"))
		for _, r := range l.Runs[0].Results {
			reg := r.Locations[0].PhysicalLocation.Region
			if reg == nil || !strings.HasSuffix(r.Locations[0].PhysicalLocation.ArtifactLocation.URI, "doc.yaml") {
				continue
			}
			if reg.StartLine > len(lines) && reg.StartLine != 1 {
				t.Errorf("result %s at line %d, the document has %d", r.RuleID, reg.StartLine, len(lines))
			}
		}
	})
}

// resultsOf returns "file rule level" for each result of a SARIF log.
func resultsOf(l sarifLog) map[string]int {
	got := map[string]int{}
	for _, r := range l.Runs[0].Results {
		uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		got[uri[strings.LastIndex(uri, "/")+1:]+" "+r.RuleID+" "+r.Level]++
	}
	return got
}

// Placeholders, implemented controls without evidence and notes are
// warning and note results of their own rules, and a folder with only
// those is valid.
func TestValidateSARIFWarnings(t *testing.T) {
	t.Run("placeholders", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "governance")
		if code, _, stderr := runCLI(t, "init", dir); code != exitOK {
			t.Fatalf("init = %d: %s", code, stderr)
		}
		_, js, _ := runCLI(t, "validate", "--format", "json", dir)
		var r validateReport
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			t.Fatal(err)
		}
		code, out, _ := runCLI(t, "validate", "--format", "sarif", dir)
		if code != exitOK {
			t.Fatalf("validate = %d, want 0", code)
		}
		l := checkSARIF(t, out)
		n := 0
		for _, res := range l.Runs[0].Results {
			if res.RuleID == rulePlaceholder && res.Level == "warning" {
				n++
			}
		}
		if n == 0 || n != r.Placeholders {
			t.Errorf("%d placeholder warnings, want %d", n, r.Placeholders)
		}
	})
	t.Run("control without evidence", func(t *testing.T) {
		const ev = "  evidence:\n  - description: procedure and records\n    effective: \"2026-09-01\"\n    ref: docs/aims/A.10.3.md\n"
		repo := inRepo(t, example, func(name, text string) string {
			if name != "statement-of-applicability.yaml" {
				return text
			}
			if !strings.Contains(text, ev) {
				t.Fatalf("%s lacks the evidence of A.10.3", name)
			}
			return strings.Replace(text, ev, "", 1)
		})
		code, out, _ := runCLI(t, "validate", "--format", "sarif", filepath.Join(repo, "governance"))
		if code != exitOK {
			t.Fatalf("validate = %d, want 0", code)
		}
		got := resultsOf(checkSARIF(t, out))
		if got["statement-of-applicability.yaml control-without-evidence warning"] != 1 {
			t.Errorf("results %v, want one control-without-evidence warning", got)
		}
	})
	t.Run("note", func(t *testing.T) {
		repo := inRepo(t, example, func(name, text string) string {
			if name == "impact-assessment.yaml" {
				return withoutFRIA(t)
			}
			return text
		})
		code, out, _ := runCLI(t, "validate", "--format", "sarif", filepath.Join(repo, "governance"))
		if code != exitOK {
			t.Fatalf("validate = %d, want 0", code)
		}
		got := resultsOf(checkSARIF(t, out))
		if got["impact-assessment.yaml note note"] == 0 {
			t.Errorf("results %v, want a note on impact-assessment.yaml", got)
		}
		// The deployment gate denies, at the impact assessment.
		code, out, _ = runCLI(t, "gate", "--format", "sarif", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28", filepath.Join(repo, "governance"))
		if code != exitInvalid {
			t.Fatalf("gate = %d, want 1", code)
		}
		got = resultsOf(checkSARIF(t, out))
		if got["impact-assessment.yaml fria-complete error"] != 1 {
			t.Errorf("results %v, want fria-complete at impact-assessment.yaml", got)
		}
	})
}

// A fact below the policy's bound is a result at the bound in the
// policy.
func TestGateSARIFFact(t *testing.T) {
	repo := inRepo(t, example, nil)
	policy := strings.Replace(waiverPolicy("accuracy"), "waivers:\n", "waivers: []\n#", 1)
	writeFiles(t, repo, map[string]string{"governance/gate-policy.yaml": policy})
	code, out, stderr := runCLI(t, "gate", "--format", "sarif", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28", "--fact", "accuracy=0.8", filepath.Join(repo, "governance"))
	if code != exitInvalid {
		t.Fatalf("gate = %d, want 1: %s", code, stderr)
	}
	l := checkSARIF(t, out)
	var loc *sarifPhysical
	for _, r := range l.Runs[0].Results {
		if r.RuleID == "accuracy" {
			loc = &r.Locations[0].PhysicalLocation
		}
	}
	want := &sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: "governance/gate-policy.yaml", URIBaseID: "%SRCROOT%"},
		Region:           &sarifRegion{StartLine: lineOf(t, filepath.Join(repo, "governance", "gate-policy.yaml"), "params:"), StartColumn: 17},
	}
	if diff := cmp.Diff(want, loc); diff != "" {
		t.Errorf("accuracy result location mismatch (-want +got):\n%s", diff)
	}
}

// Outside a repository, file URIs are relative to the working directory.
func TestSARIFRelativeToWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	if repoRoot(dir) != "" {
		t.Skip("the temporary folder is inside a repository")
	}
	writeFiles(t, dir, map[string]string{"gov/bad.yaml": "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: \"Scoring\n"})
	t.Chdir(dir)
	_, out, _ := runCLI(t, "validate", "--format", "sarif", "gov")
	l := checkSARIF(t, out)
	if got := l.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation; got != (sarifArtifact{URI: "gov/bad.yaml", URIBaseID: "%SRCROOT%"}) {
		t.Errorf("artifact = %+v, want gov/bad.yaml under %%SRCROOT%%", got)
	}
}
