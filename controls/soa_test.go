package controls

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
)

var (
	testSoAID   = uuid.MustParse("4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d")
	testSystemA = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	testSystemB = uuid.MustParse("0b0e5d64-8f7a-4c49-9c55-3d1b8f1f2a10")
)

// completeSoA returns a valid statement with one applicable, implemented
// entry (with evidence) per Annex A control and per given organisation
// control.
func completeSoA(tb testing.TB, org ...Control) *StatementOfApplicability {
	tb.Helper()
	s := NewStatementOfApplicability(testSoAID, org)
	s.Version = "1"
	s.Approval = document.Approval{Approver: "AI governance board", Date: document.MustDate("2026-03-02")}
	s.LastReviewed = document.MustDate("2026-09-01")
	for i := range s.Entries {
		en := &s.Entries[i]
		en.Applicability = Applicable
		en.Justification = Justification{Risks: []string{"R-001"}}
		en.Status = StatusImplemented
		en.Owner = "Head of AI governance"
		en.Evidence = []Evidence{{Ref: "https://wiki.example.com/aims/" + en.Control.Ref(), Effective: document.MustDate("2026-03-02")}}
	}
	if err := s.Validate(); err != nil {
		tb.Fatalf("completeSoA: Validate() = %v", err)
	}
	return s
}

// entryIndex returns the index of the entry for id in s.
func entryIndex(tb testing.TB, s *StatementOfApplicability, id ID) int {
	tb.Helper()
	for i, en := range s.Entries {
		if en.Control == id {
			return i
		}
	}
	tb.Fatalf("no entry for %s", id)
	return -1
}

func TestNewStatementOfApplicability(t *testing.T) {
	org := []Control{{ID: "org:SEC-01", Title: "Secrets kept out of prompts"}}
	s := NewStatementOfApplicability(testSoAID, org)
	org[0].ID = "org:changed"
	if got, want := len(s.Entries), 39; got != want {
		t.Fatalf("len(Entries) = %d, want %d", got, want)
	}
	var want []ID
	for _, c := range ISO42001().AnnexA() {
		want = append(want, c.ID)
	}
	want = append(want, "org:SEC-01")
	var got []ID
	for _, en := range s.Entries {
		got = append(got, en.Control)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if s.Kind != KindStatementOfApplicability || s.APIVersion != document.APIVersion || s.ID != testSoAID {
		t.Errorf("header, id = %+v, %v", s.Header, s.ID)
	}
	if s.OrganizationControls[0].ID != "org:SEC-01" {
		t.Errorf("NewStatementOfApplicability does not copy org")
	}
	// The draft is not valid: every entry is undecided.
	ps := documenttest.Problems(t, s.Validate())
	if got, want := len(ps), 39+1; got != want { // 39 undecided entries and the version
		t.Errorf("draft has %d problems, want %d: %v", got, want, ps)
	}
}

func TestCompleteSoA(t *testing.T) {
	s := completeSoA(t)
	if got, want := len(s.Entries), 38; got != want {
		t.Errorf("len(Entries) = %d, want %d", got, want)
	}
	if w := s.Warnings(); w != nil {
		t.Errorf("Warnings() = %v, want none", w)
	}
	s = completeSoA(t, Control{ID: "org:SEC-01", Title: "Secrets kept out of prompts"})
	if got, want := len(s.Entries), 39; got != want {
		t.Errorf("with an organisation control: len(Entries) = %d, want %d", got, want)
	}
}

func TestValidate(t *testing.T) {
	org := Control{ID: "org:SEC-01", Title: "Secrets kept out of prompts"}
	tests := []struct {
		name   string
		change func(tb testing.TB, s *StatementOfApplicability)
		want   []document.Problem
	}{
		{
			name: "missing A.7.4",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				i := entryIndex(tb, s, "iso42001:A.7.4")
				s.Entries = append(s.Entries[:i], s.Entries[i+1:]...)
			},
			want: []document.Problem{{Pointer: "/entries", Message: "iso42001:A.7.4 (Quality of data for AI systems) has no entry: every Annex A control needs one, applicable or excluded"}},
		},
		{
			name: "missing organisation control",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries = s.Entries[:len(s.Entries)-1]
			},
			want: []document.Problem{{Pointer: "/entries", Message: "organisation control org:SEC-01 (declared at /organizationControls/0) has no entry"}},
		},
		{
			name: "excluded without justification",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				en := &s.Entries[entryIndex(tb, s, "iso42001:A.10.4")]
				*en = Entry{Control: en.Control, Applicability: Excluded}
			},
			want: []document.Problem{{Pointer: "/entries/37/justification", Message: "iso42001:A.10.4 is excluded without justification: give a ground (not-required-by-risk-assessment, not-required-by-external-requirements or other)"}},
		},
		{
			name: "excluded with text but no ground",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				en := &s.Entries[entryIndex(tb, s, "iso42001:A.10.4")]
				*en = Entry{Control: en.Control, Applicability: Excluded, Justification: Justification{Text: "we have no customers"}}
			},
			want: []document.Problem{{Pointer: "/entries/37/justification/ground", Message: "iso42001:A.10.4 is excluded without a ground (not-required-by-risk-assessment, not-required-by-external-requirements or other)"}},
		},
		{
			name: "excluded on other grounds without text",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				en := &s.Entries[entryIndex(tb, s, "iso42001:A.10.4")]
				*en = Entry{Control: en.Control, Applicability: Excluded, Justification: Justification{Ground: GroundOther}}
			},
			want: []document.Problem{{Pointer: "/entries/37/justification/text", Message: "iso42001:A.10.4 is excluded on other grounds: explain them in text"}},
		},
		{
			name: "excluded with inclusion drivers",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				en := &s.Entries[entryIndex(tb, s, "iso42001:A.10.4")]
				en.Applicability = Excluded
				en.Justification = Justification{Ground: GroundNotRequiredByRiskAssessment, Risks: []string{"R-1"}, Obligations: []string{"contract"}, BestPractice: true}
			},
			want: []document.Problem{
				{Pointer: "/entries/37/justification/risks", Message: "iso42001:A.10.4 is excluded but names risks that need it"},
				{Pointer: "/entries/37/justification/obligations", Message: "iso42001:A.10.4 is excluded but names obligations that need it"},
				{Pointer: "/entries/37/justification/bestPractice", Message: "iso42001:A.10.4 is excluded but marked best practice"},
			},
		},
		{
			name: "excluded and valid",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				en := &s.Entries[entryIndex(tb, s, "iso42001:A.10.4")]
				*en = Entry{Control: en.Control, Applicability: Excluded, Justification: Justification{Ground: GroundNotRequiredByExternalRequirements}}
			},
		},
		{
			name: "applicable without justification, status or owner",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				en := &s.Entries[entryIndex(tb, s, "iso42001:A.6.2.8")]
				*en = Entry{Control: en.Control, Applicability: Applicable, Justification: Justification{Ground: GroundOther, Text: "logs"}}
			},
			want: []document.Problem{
				{Pointer: "/entries/22/justification", Message: "iso42001:A.6.2.8 is applicable without justification: name the risks it treats, the obligations that need it, or mark it bestPractice"},
				{Pointer: "/entries/22/justification/ground", Message: "iso42001:A.6.2.8 is applicable; an exclusion ground applies only to excluded controls"},
				{Pointer: "/entries/22/status", Message: "is required for applicable control iso42001:A.6.2.8 (planned, partial, implemented or not-implemented)"},
				{Pointer: "/entries/22/owner", Message: "is required for applicable control iso42001:A.6.2.8"},
			},
		},
		{
			name: "applicable on obligation or best practice",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries[0].Justification = Justification{Obligations: []string{"EU AI Act Art. 17"}}
				s.Entries[1].Justification = Justification{BestPractice: true}
			},
		},
		{
			name: "undecided and unknown applicability",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries[0].Applicability = ""
				s.Entries[1].Applicability = "maybe"
			},
			want: []document.Problem{
				{Pointer: "/entries/0/applicability", Message: "is required for iso42001:A.2.2: applicable or excluded"},
				{Pointer: "/entries/1/applicability", Message: `is "maybe" for iso42001:A.2.3, want applicable or excluded`},
			},
		},
		{
			name: "duplicate entry",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries = append(s.Entries, s.Entries[25])
			},
			want: []document.Problem{{Pointer: "/entries/39/control", Message: "iso42001:A.7.4 has more than one entry (first at /entries/25)"}},
		},
		{
			name: "unknown Annex A control",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries = append(s.Entries, Entry{Control: "iso42001:A.7.9", Applicability: Excluded, Justification: Justification{Ground: GroundOther, Text: "x"}})
			},
			want: []document.Problem{{Pointer: "/entries/39/control", Message: "iso42001:A.7.9 is not an Annex A control"}},
		},
		{
			name: "clause instead of control",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries[0].Control = "iso42001:6.1.3"
			},
			want: []document.Problem{
				{Pointer: "/entries/0/control", Message: "iso42001:6.1.3 is a clause of ISO/IEC 42001, not an Annex A control"},
				{Pointer: "/entries", Message: "iso42001:A.2.2 (AI policy) has no entry: every Annex A control needs one, applicable or excluded"},
			},
		},
		{
			name: "undeclared organisation control",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries[38].Control = "org:SEC-02"
			},
			want: []document.Problem{
				{Pointer: "/entries/38/control", Message: "org:SEC-02 is not an Annex A control and is not declared in /organizationControls"},
				{Pointer: "/entries", Message: "organisation control org:SEC-01 (declared at /organizationControls/0) has no entry"},
			},
		},
		{
			name: "malformed control id",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries[38].Control = "SEC-01"
			},
			want: []document.Problem{
				{Pointer: "/entries/38/control", Message: `"SEC-01" is not a control id (want namespace:ref, e.g. iso42001:A.7.4)`},
				{Pointer: "/entries", Message: "organisation control org:SEC-01 (declared at /organizationControls/0) has no entry"},
			},
		},
		{
			name: "organisation control in iso42001 namespace",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.OrganizationControls[0].ID = "iso42001:SEC-01"
				s.Entries[38].Control = "iso42001:SEC-01"
			},
			want: []document.Problem{
				{Pointer: "/organizationControls/0/id", Message: "iso42001:SEC-01 is in the namespace iso42001, which is reserved for ISO/IEC 42001; use another, e.g. org:"},
				{Pointer: "/entries/38/control", Message: "iso42001:SEC-01 is not an Annex A control"},
			},
		},
		{
			name: "header fields",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Kind = "AISystem"
				s.ID = uuid.Nil
				s.Version = " "
				s.Approval = document.Approval{Approver: "board"}
			},
			want: []document.Problem{
				{Pointer: "/kind", Message: `is "AISystem", want "StatementOfApplicability"`},
				{Pointer: "/id", Message: "is required"},
				{Pointer: "/version", Message: "is required"},
				{Pointer: "/approval/date", Message: "is required when the statement is approved"},
			},
		},
		{
			name: "approval without approver",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Approval = document.Approval{Date: document.MustDate("2026-01-01")}
			},
			want: []document.Problem{{Pointer: "/approval/approver", Message: "is required when the statement is approved"}},
		},
		{
			name: "draft without approval",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Approval = document.Approval{}
			},
		},
		{
			name: "bad enum values and empty lists",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries[0].Status = "done"
				s.Entries[0].Justification = Justification{Risks: []string{""}, Obligations: []string{" "}, Ground: "whim"}
			},
			want: []document.Problem{
				{Pointer: "/entries/0/justification/ground", Message: "iso42001:A.2.2 is applicable; an exclusion ground applies only to excluded controls"},
				{Pointer: "/entries/0/justification/ground", Message: `unknown ground "whim" for iso42001:A.2.2`},
				{Pointer: "/entries/0/justification/risks/0", Message: "is empty (iso42001:A.2.2)"},
				{Pointer: "/entries/0/justification/obligations/0", Message: "is empty (iso42001:A.2.2)"},
				{Pointer: "/entries/0/status", Message: `unknown status "done" for iso42001:A.2.2`},
			},
		},
		{
			name: "evidence without ref or date",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries[3].Evidence = []Evidence{{Description: "a"}}
			},
			want: []document.Problem{
				{Pointer: "/entries/3/evidence/0/ref", Message: "is required (iso42001:A.3.2)"},
				{Pointer: "/entries/3/evidence/0/effective", Message: "is required: the date from which the evidence for iso42001:A.3.2 applies"},
			},
		},
		{
			name: "AI systems",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries[4].Systems = []uuid.UUID{testSystemA, uuid.Nil, testSystemB, testSystemA}
			},
			want: []document.Problem{
				{Pointer: "/entries/4/systems/1", Message: "is the nil UUID (iso42001:A.3.3)"},
				{Pointer: "/entries/4/systems/3", Message: "AI system 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10 is listed twice for iso42001:A.3.3 (first at /entries/4/systems/0)"},
			},
		},
		{
			name: "no entries at all",
			change: func(tb testing.TB, s *StatementOfApplicability) {
				s.Entries = nil
				s.OrganizationControls = nil
			},
			want: func() []document.Problem {
				var ps []document.Problem
				for _, c := range ISO42001().AnnexA() {
					ps = append(ps, document.Problem{Pointer: "/entries", Message: string(c.ID) + " (" + c.Title + ") has no entry: every Annex A control needs one, applicable or excluded"})
				}
				return ps
			}(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := completeSoA(t, org)
			tt.change(t, s)
			got := documenttest.Problems(t, s.Validate())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateZeroValue(t *testing.T) {
	var s StatementOfApplicability
	ps := documenttest.Problems(t, s.Validate())
	if got, want := len(ps), 2+38; got != want { // id, version, 38 missing entries
		t.Errorf("zero value: %d problems, want %d: %v", got, want, ps)
	}
}

func TestWarnings(t *testing.T) {
	s := completeSoA(t)
	s.Entries[5].Evidence = nil                                     // implemented, no evidence: warning
	s.Entries[6].Evidence, s.Entries[6].Status = nil, StatusPartial // partial: no warning
	en := &s.Entries[7]                                             // excluded: no warning
	*en = Entry{Control: en.Control, Applicability: Excluded, Justification: Justification{Ground: GroundNotRequiredByRiskAssessment}, Status: StatusImplemented}
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate() = %v, want nil (warnings are not errors)", err)
	}
	want := []document.Problem{{Pointer: "/entries/5/evidence", Message: "iso42001:A.4.2 is implemented but no evidence is referenced"}}
	if diff := cmp.Diff(want, s.Warnings()); diff != "" {
		t.Errorf("Warnings() (-want +got):\n%s", diff)
	}
}

func TestCheckTreatments(t *testing.T) {
	tests := []struct {
		name  string
		named map[ID][]string
		want  []document.Problem
	}{
		{"none", nil, nil},
		{"applicable controls", map[ID][]string{"iso42001:A.7.4": {"R-1"}, "iso42001:A.6.2.8": {"R-1", "R-2"}}, nil},
		{
			name:  "excluded control",
			named: map[ID][]string{"iso42001:A.10.4": {"R-7", "R-9"}, "iso42001:A.7.4": {"R-1"}},
			want:  []document.Problem{{Pointer: "/entries/37/applicability", Message: "iso42001:A.10.4 is excluded, but the treatment of risks R-7, R-9 relies on it"}},
		},
		{
			name:  "control without entry",
			named: map[ID][]string{"org:SEC-09": {"R-3"}, "iso42001:A.10.4": nil},
			want: []document.Problem{
				{Pointer: "/entries/37/applicability", Message: "iso42001:A.10.4 is excluded, but a risk treatment relies on it"},
				{Pointer: "/entries", Message: "org:SEC-09 has no entry, but the treatment of risk R-3 relies on it"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := completeSoA(t)
			en := &s.Entries[entryIndex(t, s, "iso42001:A.10.4")]
			*en = Entry{Control: en.Control, Applicability: Excluded, Justification: Justification{Ground: GroundNotRequiredByRiskAssessment}}
			got := documenttest.Problems(t, s.CheckTreatments(tt.named))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckTreatments() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEntryAndClone(t *testing.T) {
	s := completeSoA(t, Control{ID: "org:SEC-01", Title: "Secrets"})
	s.Entries[0].Systems = []uuid.UUID{testSystemA}
	c := s.Clone()
	if diff := cmp.Diff(s, c); diff != "" {
		t.Fatalf("Clone() differs (-orig +clone):\n%s", diff)
	}
	c.Entries[0].Justification.Risks[0] = "changed"
	c.Entries[0].Evidence[0].Ref = "changed"
	c.Entries[0].Systems[0] = testSystemB
	c.OrganizationControls[0].Title = "changed"
	if s.Entries[0].Justification.Risks[0] != "R-001" || s.Entries[0].Evidence[0].Ref == "changed" ||
		s.Entries[0].Systems[0] != testSystemA || s.OrganizationControls[0].Title != "Secrets" {
		t.Errorf("changing the clone changed the original")
	}
	en, ok := s.Entry("iso42001:A.2.2")
	if !ok || en.Control != "iso42001:A.2.2" {
		t.Fatalf("Entry(A.2.2) = %+v, %v", en, ok)
	}
	en.Justification.Risks[0] = "changed"
	if s.Entries[0].Justification.Risks[0] != "R-001" {
		t.Errorf("changing the result of Entry changed the statement")
	}
	if _, ok := s.Entry("iso42001:A.99"); ok {
		t.Errorf("Entry(A.99) found an entry")
	}
	var nilSoA *StatementOfApplicability
	if nilSoA.Clone() != nil {
		t.Errorf("nil Clone() is not nil")
	}
}

func TestCatalogOfSoA(t *testing.T) {
	s := completeSoA(t, Control{ID: "org:SEC-01", Title: "Secrets"})
	cat, err := s.Catalog()
	if err != nil {
		t.Fatalf("Catalog() = %v", err)
	}
	if c, ok := cat.Lookup("org:SEC-01"); !ok || c.Title != "Secrets" {
		t.Errorf("Lookup(org:SEC-01) = %+v, %v", c, ok)
	}
	s.OrganizationControls = append(s.OrganizationControls, Control{ID: "org:SEC-01", Title: "Again"})
	_, err = s.Catalog()
	want := []document.Problem{{Pointer: "/organizationControls/1/id", Message: "org:SEC-01 is defined twice (first at /organizationControls/0)"}}
	if diff := cmp.Diff(want, documenttest.Problems(t, err)); diff != "" {
		t.Errorf("Catalog() problems (-want +got):\n%s", diff)
	}
	if !errors.Is(err, document.ErrInvalid) {
		t.Errorf("Catalog() error does not match document.ErrInvalid")
	}
}

func BenchmarkValidate(b *testing.B) {
	s := completeSoA(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
