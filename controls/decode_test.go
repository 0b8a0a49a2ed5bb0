package controls

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
)

// soaYAML writes a statement in YAML, with one entry per Annex A control
// except those in skip, each applicable and implemented; the entry for
// A.10.4 is excluded. extra is appended to the entries of A.2.2.
func soaYAML(skip map[string]bool, extra string) string {
	var b strings.Builder
	b.WriteString(`# Statement of Applicability of the lending platform.
apiVersion: aimskit.dev/v1alpha1
kind: StatementOfApplicability
id: 4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d
version: "2026.1"
approval: {approver: AI governance board, date: 2026-03-02}
lastReviewed: 2026-09-01
organizationControls:
  - id: org:SEC-01
    title: Secrets kept out of prompts
    objective: iso42001:A.6.2
entries:
  - control: org:SEC-01
    applicability: applicable
    justification: {bestPractice: true}
    status: planned
    owner: Platform security
`)
	for _, c := range ISO42001().AnnexA() {
		if skip[c.ID.Ref()] {
			continue
		}
		fmt.Fprintf(&b, "  - control: %s\n", c.ID)
		if c.ID == "iso42001:A.10.4" {
			b.WriteString(`    applicability: excluded
    justification:
      ground: not-required-by-risk-assessment
      text: |
        The platform has no external customers of its AI systems.
`)
			continue
		}
		b.WriteString(`    applicability: applicable
    justification:
      risks: [R-001, R-014]
      obligations: ["EU AI Act Art. 10"]
    status: implemented
    owner: Head of credit risk
    evidence:
      - {ref: "https://wiki.example.com/aims", effective: 2026-03-02, description: AIMS handbook}
    systems: [6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10]
`)
		if c.ID == "iso42001:A.2.2" {
			b.WriteString(extra)
		}
	}
	return b.String()
}

func newTestDecoder(tb testing.TB) *document.Decoder {
	tb.Helper()
	dec, err := document.NewDecoder(DocumentTypes(), nil)
	if err != nil {
		tb.Fatalf("NewDecoder: %v", err)
	}
	return dec
}

func TestDecodeYAML(t *testing.T) {
	dec := newTestDecoder(t)
	v, err := dec.Decode("soa.yaml", []byte(soaYAML(nil, "")))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	s, ok := v.(*StatementOfApplicability)
	if !ok {
		t.Fatalf("Decode returned %T, want *StatementOfApplicability", v)
	}
	if got, want := len(s.Entries), 39; got != want {
		t.Errorf("len(Entries) = %d, want %d", got, want)
	}
	en, _ := s.Entry("iso42001:A.10.4")
	want := Entry{
		Control:       "iso42001:A.10.4",
		Applicability: Excluded,
		Justification: Justification{Ground: GroundNotRequiredByRiskAssessment, Text: "The platform has no external customers of its AI systems.\n"},
	}
	if diff := cmp.Diff(want, en); diff != "" {
		t.Errorf("entry A.10.4 (-want +got):\n%s", diff)
	}
	en, _ = s.Entry("iso42001:A.7.4")
	if en.Evidence[0].Effective != document.MustDate("2026-03-02") || en.Systems[0] != testSystemA || en.Status != StatusImplemented {
		t.Errorf("entry A.7.4 = %+v", en)
	}
	if s.Approval.Approver != "AI governance board" || s.LastReviewed != document.MustDate("2026-09-01") || s.Version != "2026.1" {
		t.Errorf("header fields = %+v, %v, %q", s.Approval, s.LastReviewed, s.Version)
	}

	// The decoded value round-trips through JSON.
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	v2, err := dec.Decode("soa.json", js)
	if err != nil {
		t.Fatalf("Decode(JSON of decoded value): %v\n%s", err, js)
	}
	if diff := cmp.Diff(s, v2); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		pointers []string
		messages []string // each in the error text
	}{
		{
			name:     "unknown field",
			yaml:     soaYAML(nil, "    reviewer: Alice\n"),
			pointers: []string{"/entries/1/reviewer"},
			messages: []string{"unknown field"},
		},
		{
			name:     "unknown top-level field",
			yaml:     soaYAML(nil, "") + "scope: all\n",
			pointers: []string{"/scope"},
			messages: []string{"unknown field"},
		},
		{
			name:     "missing A.7.4",
			yaml:     soaYAML(map[string]bool{"A.7.4": true}, ""),
			pointers: []string{"/entries"},
			messages: []string{"iso42001:A.7.4 (Quality of data for AI systems) has no entry: every Annex A control needs one, applicable or excluded"},
		},
		{
			name: "excluded without justification",
			yaml: strings.Replace(soaYAML(nil, ""), `    justification:
      ground: not-required-by-risk-assessment
      text: |
        The platform has no external customers of its AI systems.
`, "", 1),
			pointers: []string{"/entries/38/justification"},
			messages: []string{"iso42001:A.10.4 is excluded without justification"},
		},
		{
			name:     "duplicate and unknown controls",
			yaml:     soaYAML(nil, "  - {control: iso42001:A.2.2, applicability: applicable, justification: {bestPractice: true}, status: planned, owner: x}\n  - {control: iso42001:A.1.1, applicability: excluded, justification: {ground: other, text: none}}\n"),
			pointers: []string{"/entries/2/control", "/entries/3/control"},
			messages: []string{"iso42001:A.2.2 has more than one entry (first at /entries/1)", "iso42001:A.1.1 is not an Annex A control"},
		},
		{
			name:     "wrong enum",
			yaml:     strings.Replace(soaYAML(nil, ""), "status: planned", "status: done", 1),
			pointers: []string{"/entries/0/status"},
			messages: []string{"planned"},
		},
		{
			name:     "malformed control id",
			yaml:     strings.Replace(soaYAML(nil, ""), "control: org:SEC-01", "control: SEC-01", 1),
			pointers: []string{"/entries/0/control"},
			messages: []string{"namespace:ref"},
		},
		{
			name:     "malformed date",
			yaml:     strings.Replace(soaYAML(nil, ""), "lastReviewed: 2026-09-01", "lastReviewed: 1 Sep 2026", 1),
			pointers: []string{"/lastReviewed"},
			messages: []string{"YYYY-MM-DD"},
		},
	}
	dec := newTestDecoder(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := dec.Decode("soa.yaml", []byte(tt.yaml))
			if v != nil {
				t.Errorf("Decode returned a value with the error")
			}
			var got []string
			for _, p := range documenttest.Problems(t, err) {
				got = append(got, p.Pointer)
				if p.File != "soa.yaml" {
					t.Errorf("problem %v: File = %q, want soa.yaml", p, p.File)
				}
			}
			if diff := cmp.Diff(tt.pointers, got); diff != "" {
				t.Errorf("Decode problem pointers (-want +got):\n%s", diff)
			}
			for _, m := range tt.messages {
				if err != nil && !strings.Contains(err.Error(), m) {
					t.Errorf("Decode error = %q, want it to contain %q", err, m)
				}
			}
		})
	}
}

// withEntry returns a complete statement in YAML whose entries are the
// given YAML text followed by one compact entry per Annex A control other
// than A.7.4.
func withEntry(entry string) string {
	var b strings.Builder
	b.WriteString("apiVersion: aimskit.dev/v1alpha1\nkind: StatementOfApplicability\nid: 4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d\nversion: '1'\nentries:\n")
	b.WriteString(entry)
	if entry != "" && !strings.HasSuffix(entry, "\n") {
		b.WriteString("\n")
	}
	for _, c := range annexA {
		if c.ID != "iso42001:A.7.4" {
			fmt.Fprintf(&b, "  - {control: '%s', applicability: excluded, justification: {ground: other, text: t}}\n", c.ID)
		}
	}
	return b.String()
}

// entryTests are entries for A.7.4 in a complete statement (see
// withEntry); they also seed the fuzz targets.
var entryTests = []struct {
	name     string
	entry    string
	pointers []string // of the problems, nil when valid
}{
	{
		name:  "applicable",
		entry: "  - control: iso42001:A.7.4\n    applicability: applicable\n    justification: {risks: [R-001], obligations: [EU AI Act Art. 10(3)], text: \"Data | quality\\n\"}\n    status: implemented\n    owner: '=Data team'\n    evidence: [{ref: 'https://wiki.example.com/dq', effective: 2026-01-15, description: \"checks, <b>daily</b>\"}]\n    systems: [6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10]\n",
	},
	{
		name:  "excluded",
		entry: "  - {control: 'iso42001:A.7.4', applicability: excluded, justification: {ground: not-required-by-external-requirements}}\n",
	},
	{
		name:     "excluded without justification",
		entry:    "  - {control: 'iso42001:A.7.4', applicability: excluded}\n",
		pointers: []string{"/entries/0/justification"},
	},
	{
		name:     "implemented without owner",
		entry:    "  - {control: 'iso42001:A.7.4', applicability: applicable, justification: {bestPractice: true}, status: implemented}\n",
		pointers: []string{"/entries/0/owner"},
	},
	{
		name:     "unknown field",
		entry:    "  - {control: 'iso42001:A.7.4', applicability: applicable, reviewer: Alice}\n",
		pointers: []string{"/entries/0/reviewer"},
	},
	{
		name:     "wrong control",
		entry:    "  - {control: 'iso42001:A.7.9', applicability: excluded, justification: {ground: other, text: x}}\n",
		pointers: []string{"/entries/0/control", "/entries"},
	},
	{
		name:     "no entry",
		entry:    "",
		pointers: []string{"/entries"},
	},
}

func TestDecodeEntry(t *testing.T) {
	dec := newTestDecoder(t)
	for _, tt := range entryTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dec.Decode("soa.yaml", []byte(withEntry(tt.entry)))
			var got []string
			for _, p := range documenttest.Problems(t, err) {
				got = append(got, p.Pointer)
			}
			if diff := cmp.Diff(tt.pointers, got); diff != "" {
				t.Errorf("Decode problem pointers (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestSchema(t *testing.T) {
	var head struct {
		ID         string `json:"$id"`
		Title      string `json:"title"`
		Properties struct {
			Kind struct {
				Const string `json:"const"`
			} `json:"kind"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(Schema(), &head); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	if head.ID != SchemaID || head.Title != KindStatementOfApplicability || head.Properties.Kind.Const != KindStatementOfApplicability {
		t.Errorf("schema $id, title, kind = %q, %q, %q", head.ID, head.Title, head.Properties.Kind.Const)
	}
	a, b := Schema(), Schema()
	a[0] = 'x'
	if bytes.Equal(a, b) {
		t.Errorf("Schema() does not return a copy")
	}
	ts := DocumentTypes()
	if len(ts) != 1 || ts[0].Kind != KindStatementOfApplicability {
		t.Fatalf("DocumentTypes() = %+v", ts)
	}
	if _, ok := ts[0].New().(*StatementOfApplicability); !ok {
		t.Errorf("New() returns %T", ts[0].New())
	}
}
