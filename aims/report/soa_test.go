package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
)

// smallSoA is a statement with three entries (so not valid), given out of
// catalogue order, with content that needs escaping.
func smallSoA() *controls.StatementOfApplicability {
	return &controls.StatementOfApplicability{
		Header:               document.Header{APIVersion: document.APIVersion, Kind: controls.KindStatementOfApplicability},
		ID:                   testSoAID,
		Version:              "2026.1",
		Approval:             document.Approval{Approver: "AI governance board", Date: document.MustDate("2026-03-02")},
		OrganizationControls: []controls.Control{{ID: "org:SEC-01", Title: "Secrets | keys kept out of prompts"}},
		Entries: []controls.Entry{
			{
				Control: "org:SEC-01", Applicability: controls.Applicable,
				Justification: controls.Justification{BestPractice: true, Text: "Line one\r\nline two"},
				Status:        controls.StatusPlanned, Owner: "=SUM(A1:A2)",
			},
			{
				Control: "iso42001:A.10.4", Applicability: controls.Excluded,
				Justification: controls.Justification{Ground: controls.GroundNotRequiredByRiskAssessment, Text: "No customers; see C:\\docs\\x|y <b>"},
				Systems:       []uuid.UUID{testSystemA},
			},
			{
				Control: "iso42001:A.6.2.8", Applicability: controls.Applicable,
				Justification: controls.Justification{Risks: []string{"R-001", "R-014"}, Obligations: []string{"EU AI Act Art. 12", "contract C-7, §4"}},
				Status:        controls.StatusImplemented, Owner: "SRE, \"platform\" team",
				Evidence: []controls.Evidence{
					{Ref: "https://logs.example.com/retention", Effective: document.MustDate("2026-01-15"), Description: "log retention policy"},
					{Ref: "runbooks/logging.md", Effective: document.MustDate("2026-02-01")},
				},
			},
		},
	}
}

func TestWriteSoAMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSoAMarkdown(&b, smallSoA()); err != nil {
		t.Fatalf("WriteSoAMarkdown: %v", err)
	}
	want := `# Statement of Applicability

ISO/IEC 42001:2023, clause 6.1.3 (f).

- ID: 4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d
- Version: 2026.1
- Approval: approved by AI governance board on 2026-03-02
- Last reviewed: not recorded

3 entries: 2 applicable, 1 excluded.

| Control | Title | Applicable | Justification | Status | Owner | Evidence |
|---|---|---|---|---|---|---|
| A.6.2.8 | AI system recording of event logs | yes | Risk treatment: R-001, R-014. Obligations: EU AI Act Art. 12; contract C-7, §4. | implemented | SRE, "platform" team | https://logs.example.com/retention (effective 2026-01-15): log retention policy<br>runbooks/logging.md (effective 2026-02-01) |
| A.10.4 | Customers | no (for AI systems 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10) | Not required by the risk assessment. No customers; see C:\\docs\\x\|y \<b> |  |  |  |
| org:SEC-01 | Secrets \| keys kept out of prompts | yes | Best practice. Line one<br>line two | planned | =SUM(A1:A2) |  |
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("WriteSoAMarkdown (-want +got):\n%s", diff)
	}
}

func TestWriteSoACSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSoACSV(&b, smallSoA()); err != nil {
		t.Fatalf("WriteSoACSV: %v", err)
	}
	got, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back: %v", err)
	}
	want := [][]string{
		{"control", "title", "applicable", "justification", "status", "owner", "evidence"},
		{"A.6.2.8", "AI system recording of event logs", "yes", "Risk treatment: R-001, R-014. Obligations: EU AI Act Art. 12; contract C-7, §4.", "implemented", `SRE, "platform" team`, "https://logs.example.com/retention (effective 2026-01-15): log retention policy\nrunbooks/logging.md (effective 2026-02-01)"},
		{"A.10.4", "Customers", "no (for AI systems 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10)", `Not required by the risk assessment. No customers; see C:\docs\x|y <b>`, "", "", ""},
		{"org:SEC-01", "Secrets | keys kept out of prompts", "yes", "Best practice. Line one\nline two", "planned", "'=SUM(A1:A2)", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WriteSoACSV read back (-want +got):\n%s", diff)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "AI policy", "AI policy"},
		{"pipe", "a|b", `a\|b`},
		{"backslash", `C:\x`, `C:\\x`},
		{"backslash before pipe", `a\|b`, `a\\\|b`},
		{"trailing backslash", `a\`, `a\\`},
		{"newline", "a\nb", "a<br>b"},
		{"crlf", "a\r\nb", "a<br>b"},
		{"cr", "a\rb", "a<br>b"},
		{"blank lines", "a\n\n\nb", "a<br><br><br>b"},
		{"html", "<script>x</script>", `\<script>x\</script>`},
		{"literal br", "a<br>b", `a\<br>b`},
		{"surrounding space", "  a \n", "a"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mdEscape(cellText(tt.in))
			if got != tt.want {
				t.Errorf("mdEscape(cellText(%q)) = %q, want %q", tt.in, got, tt.want)
			}
			if back := mdUnescape(got); back != cellText(tt.in) {
				t.Errorf("mdUnescape(%q) = %q, want %q", got, back, cellText(tt.in))
			}
		})
	}
}

func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"a=b", "a=b"},
		{"", ""},
		{"'x", "'x"},
	}
	for _, tt := range tests {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRenderRoundTrip renders statements with awkward content and reads
// the Markdown table and the CSV back.
func TestRenderRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		s    *controls.StatementOfApplicability
	}{
		{"small", smallSoA()},
		{"complete", completeSoA(t, controls.Control{ID: "org:SEC-01", Title: "Secrets"})},
		{"zero", &controls.StatementOfApplicability{}},
		{"unknown and duplicate controls", &controls.StatementOfApplicability{Entries: []controls.Entry{
			{Control: "iso42001:A.7.4"}, {Control: "x|y"}, {Control: "iso42001:A.2.2"}, {Control: "iso42001:A.7.4", Applicability: "maybe", Justification: controls.Justification{Ground: "whim"}},
		}}},
		{"separators everywhere", renderSoA("o|w\\n\ner", "t,e\"x|t\r\n\\", "r\ne|f", "T|i\rtle", "v\n1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRender(t, tt.s)
		})
	}
}

func TestRenderOrder(t *testing.T) {
	s := completeSoA(t, controls.Control{ID: "org:B", Title: "B"}, controls.Control{ID: "org:A", Title: "A"})
	// Reverse the entries and add one for an unknown control.
	for i, j := 0, len(s.Entries)-1; i < j; i, j = i+1, j-1 {
		s.Entries[i], s.Entries[j] = s.Entries[j], s.Entries[i]
	}
	s.Entries = append([]controls.Entry{{Control: "zzz:UNKNOWN"}}, s.Entries...)
	var got []string
	for _, r := range soaRows(s) {
		got = append(got, r[0])
	}
	var want []string
	for _, c := range controls.ISO42001().AnnexA() {
		want = append(want, c.ID.Ref())
	}
	want = append(want, "org:B", "org:A", "zzz:UNKNOWN")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("row order (-want +got):\n%s", diff)
	}
}

var errWrite = errors.New("write failed")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestRenderWriteError(t *testing.T) {
	s := completeSoA(t)
	if err := WriteSoAMarkdown(failingWriter{}, s); !errors.Is(err, errWrite) {
		t.Errorf("WriteSoAMarkdown(failing writer) = %v, want %v", err, errWrite)
	}
	if err := WriteSoACSV(failingWriter{}, s); !errors.Is(err, errWrite) {
		t.Errorf("WriteSoACSV(failing writer) = %v, want %v", err, errWrite)
	}
}

// renderSoA builds a statement whose free-text fields hold the given
// strings.
func renderSoA(owner, text, ref, title, version string) *controls.StatementOfApplicability {
	return &controls.StatementOfApplicability{
		Version:              version,
		Approval:             document.Approval{Approver: owner},
		OrganizationControls: []controls.Control{{ID: "org:X", Title: title}},
		Entries: []controls.Entry{
			{
				Control: "iso42001:A.7.4", Applicability: controls.Applicable, Status: controls.StatusPartial, Owner: owner,
				Justification: controls.Justification{Risks: []string{text, ref}, Obligations: []string{title}, Text: text},
				Evidence:      []controls.Evidence{{Ref: ref, Description: text}, {Ref: owner, Effective: document.MustDate("2026-01-01")}},
			},
			{
				Control: "org:X", Applicability: controls.Excluded, Owner: text,
				Justification: controls.Justification{Ground: controls.GroundOther, Text: owner},
			},
		},
	}
}

// checkRender renders s as Markdown and CSV, reads both back, and compares
// the cells with the rows s renders.
func checkRender(tb testing.TB, s *controls.StatementOfApplicability) {
	tb.Helper()
	rows := soaRows(s)
	for _, r := range rows {
		for _, c := range r {
			if strings.Contains(c, "\r") || c != strings.TrimSpace(c) {
				tb.Errorf("cell %q is not normalised", c)
			}
		}
	}

	var md bytes.Buffer
	if err := WriteSoAMarkdown(&md, s); err != nil {
		tb.Fatalf("WriteSoAMarkdown: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(md.String(), "\n"), "\n")
	header := "| Control | Title | Applicable | Justification | Status | Owner | Evidence |"
	start := -1
	for i, l := range lines {
		if l == header {
			start = i
			break
		}
	}
	if start < 0 || start+1 >= len(lines) || lines[start+1] != "|---|---|---|---|---|---|---|" {
		tb.Fatalf("WriteSoAMarkdown: no table header in\n%s", md.String())
	}
	body := lines[start+2:]
	var got [][]string
	for _, l := range body {
		got = append(got, splitMarkdownRow(tb, l))
	}
	if diff := cmp.Diff(rows, got, cmpEmptyRows); diff != "" {
		tb.Errorf("Markdown table read back (-want +got):\n%s", diff)
	}

	var c bytes.Buffer
	if err := WriteSoACSV(&c, s); err != nil {
		tb.Fatalf("WriteSoACSV: %v", err)
	}
	recs, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		tb.Fatalf("reading the CSV back: %v\n%s", err, c.String())
	}
	want := [][]string{soaColumns}
	for _, r := range rows {
		w := make([]string, len(r))
		for i, cell := range r {
			w[i] = csvSafe(cell)
		}
		want = append(want, w)
	}
	if diff := cmp.Diff(want, recs); diff != "" {
		tb.Errorf("CSV read back (-want +got):\n%s", diff)
	}
}

// cmpEmptyRows treats a nil and an empty list of rows as equal.
var cmpEmptyRows = cmp.FilterValues(func(a, b [][]string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

// splitMarkdownRow splits a rendered table row into its cells and undoes
// the escaping, the way a GitHub-flavoured Markdown parser reads it.
func splitMarkdownRow(tb testing.TB, line string) []string {
	tb.Helper()
	if !strings.HasPrefix(line, "| ") || !strings.HasSuffix(line, " |") {
		tb.Fatalf("row %q does not start with %q and end with %q", line, "| ", " |")
	}
	var cells []string
	var cur strings.Builder
	for i := 1; i < len(line); i++ {
		switch ch := line[i]; {
		case ch == '\\' && i+1 < len(line):
			cur.WriteByte('\\')
			cur.WriteByte(line[i+1])
			i++
		case ch == '|':
			cell := cur.String()
			if !strings.HasPrefix(cell, " ") || !strings.HasSuffix(cell, " ") || len(cell) < 2 {
				tb.Fatalf("cell %q of row %q is not padded with one space", cell, line)
			}
			cells = append(cells, mdUnescape(cell[1:len(cell)-1]))
			cur.Reset()
		default:
			cur.WriteByte(ch)
		}
	}
	if cur.Len() != 0 {
		tb.Fatalf("row %q has text after the last cell", line)
	}
	if len(cells) != len(soaColumns) {
		tb.Fatalf("row %q has %d cells, want %d", line, len(cells), len(soaColumns))
	}
	return cells
}

// mdUnescape undoes mdEscape.
func mdUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteByte(s[i+1])
			i++
		case strings.HasPrefix(s[i:], "<br>"):
			b.WriteByte('\n')
			i += len("<br>") - 1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func BenchmarkWriteSoAMarkdown(b *testing.B) {
	s := completeSoA(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteSoAMarkdown(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
}

// The ids of the statement and the AI system the tests use.
var (
	testSoAID   = uuid.MustParse("4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d")
	testSystemA = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
)

// completeSoA returns a valid statement: every Annex A control and the
// given organisation controls applicable, implemented, with evidence.
func completeSoA(tb testing.TB, org ...controls.Control) *controls.StatementOfApplicability {
	tb.Helper()
	s := controls.NewStatementOfApplicability(testSoAID, org)
	s.Version = "1"
	s.Approval = document.Approval{Approver: "AI governance board", Date: document.MustDate("2026-03-02")}
	s.LastReviewed = document.MustDate("2026-09-01")
	for i := range s.Entries {
		en := &s.Entries[i]
		en.Applicability = controls.Applicable
		en.Justification = controls.Justification{Risks: []string{"R-001"}}
		en.Status = controls.StatusImplemented
		en.Owner = "Head of AI governance"
		en.Evidence = []controls.Evidence{{Ref: "https://wiki.example.com/aims/" + en.Control.Ref(), Effective: document.MustDate("2026-03-02")}}
	}
	if err := s.Validate(); err != nil {
		tb.Fatalf("completeSoA: Validate() = %v", err)
	}
	return s
}

// FuzzSoARender renders statements with arbitrary free text and reads the
// Markdown table and the CSV back.
func FuzzSoARender(f *testing.F) {
	f.Add("Head of AI governance", "Risk R-1 needs it.", "https://wiki.example.com/x", "Secrets kept out of prompts", "1")
	f.Add("=SUM(A1:A2)", "a|b\\c", "<script>", "T\r\ni|t\nle", "v\r2")
	f.Add(" \\", "|", "\n", "\"", ",")
	f.Add("<br>", "\\|", "a\\", "-1", "@x")
	for _, r := range soaRows(smallSoA()) {
		f.Add(r[5], r[3], r[6], r[1], r[2])
	}
	f.Fuzz(func(t *testing.T, owner, text, ref, title, version string) {
		checkRender(t, renderSoA(owner, text, ref, title, version))
	})
}

// FuzzSoAEntryRender decodes complete statements whose entry for A.7.4 is
// the fuzzed YAML text (the other 37 Annex A controls excluded); a
// statement that decodes must render and read back (see checkRender).
func FuzzSoAEntryRender(f *testing.F) {
	f.Add("  - control: iso42001:A.7.4\n    applicability: applicable\n    justification: {risks: [R-001], obligations: [EU AI Act Art. 10(3)], text: \"Data | quality\\n\"}\n    status: implemented\n    owner: '=Data team'\n    evidence: [{ref: 'https://wiki.example.com/dq', effective: 2026-01-15, description: \"checks, <b>daily</b>\"}]\n    systems: [6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10]\n")
	f.Add("  - {control: 'iso42001:A.7.4', applicability: excluded, justification: {ground: not-required-by-external-requirements}}\n")
	dec, err := document.NewDecoder(controls.DocumentTypes(), nil)
	if err != nil {
		f.Fatalf("NewDecoder: %v", err)
	}
	f.Fuzz(func(t *testing.T, entry string) {
		var b strings.Builder
		b.WriteString("apiVersion: aimskit.dev/v1alpha1\nkind: StatementOfApplicability\nid: 4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d\nversion: '1'\nentries:\n")
		b.WriteString(entry)
		if entry != "" && !strings.HasSuffix(entry, "\n") {
			b.WriteString("\n")
		}
		for _, c := range controls.ISO42001().AnnexA() {
			if c.ID != "iso42001:A.7.4" {
				fmt.Fprintf(&b, "  - {control: '%s', applicability: excluded, justification: {ground: other, text: t}}\n", c.ID)
			}
		}
		v, err := dec.Decode("soa.yaml", []byte(b.String()))
		if err != nil {
			return
		}
		checkRender(t, v.(*controls.StatementOfApplicability))
	})
}
