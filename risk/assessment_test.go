package risk_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

var (
	systemID     = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	assessmentID = uuid.MustParse("2b7e4c91-5d3a-4f8e-b1c6-7a9d0e3f5b21")
)

// rank and name build grades.
func rank(n int) risk.Grade       { return risk.Grade{Rank: n} }
func name(s string) risk.Grade    { return risk.Grade{Name: s} }
func rate(l, c int) risk.Rating   { return risk.Rating{Likelihood: rank(l), Consequence: rank(c)} }
func date(s string) document.Date { return document.MustDate(s) }

func consequences(c risk.Grade) risk.Consequences {
	return risk.Consequences{
		Organisation: risk.Dimension{Description: "fines and reputational damage", Consequence: c},
		Individuals:  risk.Dimension{Description: "unfair refusal of credit"},
		Society:      risk.Dimension{Description: "financial exclusion"},
	}
}

// newRisk returns a valid risk rated against aimskit-5x5.
func newRisk(id string, inherent, residual risk.Rating) risk.Risk {
	return risk.Risk{
		ID:           id,
		Title:        "Risk " + id,
		Source:       risk.SourceMachineLearning,
		Objectives:   []risk.Objective{risk.ObjectiveFairness},
		Stage:        inventory.StageDesignAndDevelopment,
		Consequences: consequences(risk.Grade{}),
		Inherent:     inherent,
		Treatment: risk.Treatment{
			Options:  []risk.TreatmentOption{risk.TreatmentChangeLikelihood},
			Controls: []string{"iso42001:A.7.4", "iso42001:A.6.2.4"},
			Plan:     []risk.PlanItem{{Action: "Fairness tests", Owner: "Model Validation", Due: date("2026-11-30")}},
		},
		Residual: residual,
	}
}

// validAssessment returns a valid assessment with four risks, rated
// against aimskit-5x5 (appetite medium). R-04 is above the appetite and
// accepted.
func validAssessment() *risk.Assessment {
	r4 := newRisk("R-04", rate(4, 4), rate(3, 4))
	r4.Acceptance = &risk.Acceptance{
		Approver:  "Chief Risk Officer",
		Date:      date("2026-10-05"),
		Rationale: "Reason codes validated",
		Expires:   date("2027-03-31"),
		Rating:    rate(3, 4),
	}
	return &risk.Assessment{
		Header:   document.Header{APIVersion: document.APIVersion, Kind: risk.KindAssessment},
		ID:       assessmentID,
		System:   systemID,
		Scope:    "Scoring of consumer-loan applications",
		Criteria: risk.CriteriaRef{Name: risk.Builtin5x5, Version: risk.BuiltinVersion},
		Assessor: "Model Risk Analyst",
		Date:     date("2026-09-28"),
		Method:   "ISO/IEC 23894 workshop",
		Risks: []risk.Risk{
			newRisk("R-01", risk.Rating{Likelihood: name("likely"), Consequence: name("major")}, rate(2, 4)),
			newRisk("R-02", rate(4, 3), rate(2, 3)),
			newRisk("R-03", rate(2, 2), risk.Rating{}),
			r4,
		},
		Approval:   &document.Approval{Approver: "Chief Risk Officer", Date: date("2026-10-05")},
		NextReview: date("2027-03-31"),
	}
}

func builtin5x5(t testing.TB) risk.Criteria {
	t.Helper()
	c, ok := risk.Builtin(risk.Builtin5x5)
	if !ok {
		t.Fatal("no aimskit-5x5")
	}
	return c
}

// assessmentTests are also seeds of FuzzDecodeAssessment.
var assessmentTests = []struct {
	name   string
	mutate func(a *risk.Assessment)
	want   []string // "pointer: message" of each problem
}{
	{"valid", func(a *risk.Assessment) {}, nil},
	{"unknown annex A control", func(a *risk.Assessment) { a.Risks[1].Treatment.Controls[0] = "iso42001:A.11.2" },
		[]string{`/risks/1/treatment/controls/0: "iso42001:A.11.2" is not an ISO/IEC 42001 Annex A control (A.2.2 to A.10.4)`}},
	{"clause is not a control", func(a *risk.Assessment) { a.Risks[1].Treatment.Controls[0] = "iso42001:6.1.3" },
		[]string{`/risks/1/treatment/controls/0: "iso42001:6.1.3" is not an ISO/IEC 42001 Annex A control (A.2.2 to A.10.4)`}},
	{"control without namespace", func(a *risk.Assessment) { a.Risks[2].Treatment.Controls[1] = "A.7.4" },
		[]string{`/risks/2/treatment/controls/1: "A.7.4" is not a namespaced control id: write e.g. iso42001:A.7.4 or org:SEC-01`}},
	{"organisation control", func(a *risk.Assessment) { a.Risks[2].Treatment.Controls[1] = "org:SEC-07" }, nil},
	{"duplicate control", func(a *risk.Assessment) { a.Risks[0].Treatment.Controls[1] = "iso42001:A.7.4" },
		[]string{`/risks/0/treatment/controls/1: "iso42001:A.7.4" is listed twice`}},
	{"acceptance without approver", func(a *risk.Assessment) { a.Risks[3].Acceptance.Approver = "" },
		[]string{"/risks/3/acceptance/approver: is required: who in designated management accepted the residual risk (6.1.3 h)"}},
	{"acceptance expires before it is given", func(a *risk.Assessment) { a.Risks[3].Acceptance.Expires = date("2026-10-01") },
		[]string{"/risks/3/acceptance/expires: 2026-10-01 is not after the acceptance date 2026-10-05"}},
	{"acceptance without rating", func(a *risk.Assessment) { a.Risks[3].Acceptance.Rating = risk.Rating{} },
		[]string{"/risks/3/acceptance/rating/likelihood: is required", "/risks/3/acceptance/rating/consequence: is required"}},
	{"next review before assessment", func(a *risk.Assessment) { a.NextReview = date("2026-09-01") },
		[]string{"/nextReview: 2026-09-01 is not after the assessment date 2026-09-28"}},
	{"approval before assessment", func(a *risk.Assessment) { a.Approval.Date = date("2026-09-27") },
		[]string{"/approval/date: 2026-09-27 is before the assessment date 2026-09-28"}},
	{"approval without approver", func(a *risk.Assessment) { a.Approval.Approver = "" },
		[]string{"/approval/approver: is required"}},
	{"duplicate risk id", func(a *risk.Assessment) { a.Risks[2].ID = "R-01" },
		[]string{`/risks/2/id: "R-01" is also the id of /risks/0`}},
	{"bad risk id", func(a *risk.Assessment) { a.Risks[2].ID = "risk three" },
		[]string{`/risks/2/id: "risk three" must be letters, digits, dots, underscores or hyphens`}},
	{"risk of another system", func(a *risk.Assessment) { a.Risks[0].System = assessmentID },
		[]string{"/risks/0/system: is 2b7e4c91-5d3a-4f8e-b1c6-7a9d0e3f5b21, but the assessment is of system 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"}},
	{"custom source without detail", func(a *risk.Assessment) { a.Risks[0].Source = risk.SourceCustom },
		[]string{"/risks/0/sourceDetail: is required for a custom risk source"}},
	{"unknown enums", func(a *risk.Assessment) {
		a.Risks[0].Source = "gremlins"
		a.Risks[0].Objectives = []risk.Objective{"speed", risk.ObjectiveFairness, risk.ObjectiveFairness}
		a.Risks[0].Stage = "beta"
		a.Risks[0].Treatment.Options = []risk.TreatmentOption{"ignore"}
		a.Risks[0].Treatment.Plan[0].Status = "later"
	}, []string{
		`/risks/0/source: unknown risk source "gremlins"`,
		`/risks/0/objectives/0: unknown objective "speed"`,
		`/risks/0/objectives/2: "fairness" is listed twice`,
		`/risks/0/stage: unknown life-cycle stage "beta"`,
		`/risks/0/treatment/options/0: unknown treatment option "ignore"`,
		`/risks/0/treatment/plan/0/status: unknown status "later" (want planned, in-progress or done)`,
	}},
	{"avoid and retain", func(a *risk.Assessment) {
		a.Risks[0].Treatment.Options = []risk.TreatmentOption{risk.TreatmentAvoid, risk.TreatmentRetain}
	}, []string{"/risks/0/treatment/options: combines avoid and retain: a risk is either avoided or retained"}},
	{"mitigation without controls or plan", func(a *risk.Assessment) {
		a.Risks[0].Treatment.Controls, a.Risks[0].Treatment.Plan = nil, nil
	}, []string{"/risks/0/treatment: mitigates the risk but names no controls and no plan items (6.1.3 b, g)"}},
	{"retained without controls", func(a *risk.Assessment) {
		a.Risks[0].Treatment = risk.Treatment{Options: []risk.TreatmentOption{risk.TreatmentRetain}}
	}, nil},
	{"incomplete plan item", func(a *risk.Assessment) {
		a.Risks[1].Treatment.Plan[0] = risk.PlanItem{Completed: date("2026-10-01")}
	}, []string{
		"/risks/1/treatment/plan/0/action: is required",
		"/risks/1/treatment/plan/0/owner: is required",
		"/risks/1/treatment/plan/0/due: is required",
		`/risks/1/treatment/plan/0/completed: is set, but the status is "", not done`,
	}},
	{"grade with rank and name", func(a *risk.Assessment) { a.Risks[2].Inherent.Likelihood = risk.Grade{Rank: 2, Name: "unlikely"} },
		[]string{`/risks/2/inherent/likelihood: gives both rank 2 and name "unlikely": give one`}},
	{"negative rank", func(a *risk.Assessment) { a.Risks[2].Inherent.Consequence = rank(-1) },
		[]string{"/risks/2/inherent/consequence: rank -1 is not positive"}},
	{"half a residual rating", func(a *risk.Assessment) { a.Risks[2].Residual = risk.Rating{Likelihood: rank(1)} },
		[]string{"/risks/2/residual/consequence: is required"}},
	{"missing consequence dimension", func(a *risk.Assessment) { a.Risks[1].Consequences.Society.Description = "" },
		[]string{"/risks/1/consequences/society/description: is required: assess the consequences for the organisation, individuals and society separately (6.1.2)"}},
	{"bad impact reference", func(a *risk.Assessment) { a.Risks[1].Impacts = []string{"I 1"} },
		[]string{`/risks/1/impacts/0: "I 1" is not an impact id`}},
	{"criteria by name and inline", func(a *risk.Assessment) {
		c, _ := risk.Builtin(risk.Builtin5x5)
		a.Criteria.Inline = &c
	}, []string{"/criteria: gives both a name and version and inline criteria: give one or the other"}},
	{"invalid inline criteria", func(a *risk.Assessment) {
		c, _ := risk.Builtin(risk.Builtin5x5)
		c.Matrix[4][4] = 1
		a.Criteria = risk.CriteriaRef{Inline: &c}
	}, []string{"/criteria/inline/matrix/4/4: level 1 is lower than level 4 at likelihood 5, consequence 4: levels must not decrease as consequence grows",
		"/criteria/inline/matrix/4/4: level 1 is lower than level 4 at likelihood 4, consequence 5: levels must not decrease as likelihood grows"}},
	{"criteria without version", func(a *risk.Assessment) { a.Criteria.Version = "" },
		[]string{"/criteria/version: is required: pin the version of the criteria"}},
	{"no risks", func(a *risk.Assessment) { a.Risks = nil },
		[]string{"/risks: is required: list the identified risks (6.1.2)"}},
}

func TestAssessmentValidate(t *testing.T) {
	for _, tt := range assessmentTests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssessment()
			tt.mutate(a)
			got := documenttest.ProblemStrings(t, a.Validate())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAssessmentValidateZero(t *testing.T) {
	var a risk.Assessment
	got := documenttest.Pointers(documenttest.Problems(t, a.Validate()))
	want := []string{"/id", "/system", "/scope", "/criteria/name", "/criteria/version", "/assessor", "/date", "/method", "/risks", "/nextReview"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zero Assessment Validate() pointers mismatch (-want +got):\n%s", diff)
	}
}

func TestValidateWith(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(a *risk.Assessment)
		criteria func(c *risk.Criteria)
		want     []string
	}{
		{"valid", func(a *risk.Assessment) {}, nil, nil},
		{"likelihood out of range", func(a *risk.Assessment) { a.Risks[3].Inherent.Likelihood = rank(6) }, nil,
			[]string{"/risks/3/inherent/likelihood: 6 is not on the likelihood scale of criteria aimskit-5x5 version 1 (want 1 to 5, or one of rare, unlikely, possible, likely, almost-certain)"}},
		{"unknown consequence name", func(a *risk.Assessment) { a.Risks[0].Residual.Consequence = name("catastrophic") }, nil,
			[]string{`/risks/0/residual/consequence: "catastrophic" is not on the consequence scale of criteria aimskit-5x5 version 1 (want 1 to 5, or one of negligible, minor, moderate, major, severe)`}},
		{"acceptance rating out of range", func(a *risk.Assessment) { a.Risks[3].Acceptance.Rating.Consequence = rank(9) }, nil,
			[]string{"/risks/3/acceptance/rating/consequence: 9 is not on the consequence scale of criteria aimskit-5x5 version 1 (want 1 to 5, or one of negligible, minor, moderate, major, severe)"}},
		{"dimension out of range", func(a *risk.Assessment) { a.Risks[1].Consequences.Organisation.Consequence = rank(0 + 7) }, nil,
			[]string{"/risks/1/consequences/organisation/consequence: 7 is not on the consequence scale of criteria aimskit-5x5 version 1 (want 1 to 5, or one of negligible, minor, moderate, major, severe)"}},
		{"overall consequence below a dimension", func(a *risk.Assessment) { a.Risks[1].Consequences.Organisation.Consequence = name("severe") }, nil,
			[]string{"/risks/1/inherent/consequence: rank 3 (moderate) is below the consequence for organisation, rank 5 (severe): the overall consequence is at least the worst of the three"}},
		{"residual above inherent", func(a *risk.Assessment) { a.Risks[2].Residual = rate(5, 5) }, nil,
			[]string{"/risks/2/residual: level critical is above the inherent level low: a treatment does not raise a risk; record a risk the treatment creates as a risk of its own"}},
		{"other criteria", func(a *risk.Assessment) {}, func(c *risk.Criteria) { c.Version = "2" },
			[]string{"/criteria: pins criteria aimskit-5x5 version 1, but was checked against aimskit-5x5 version 2"}},
		{"invalid criteria", func(a *risk.Assessment) {}, func(c *risk.Criteria) { c.Appetite = "" },
			[]string{"/criteria: criteria aimskit-5x5 version 1 are not valid (/appetite: is required: name the highest level acceptable without a formal acceptance)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssessment()
			tt.mutate(a)
			c := builtin5x5(t)
			if tt.criteria != nil {
				tt.criteria(&c)
			}
			got := documenttest.ProblemStrings(t, a.ValidateWith(c))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ValidateWith() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveCriteria(t *testing.T) {
	house := builtin5x5(t)
	house.Name, house.Version, house.Description = "house", "7", "our own"
	tests := []struct {
		name    string
		ref     risk.CriteriaRef
		want    string // "name version", or the error
		wantErr bool
	}{
		{"builtin", risk.CriteriaRef{Name: "aimskit-3x3", Version: "1"}, "aimskit-3x3 version 1", false},
		{"library", risk.CriteriaRef{Name: "house", Version: "7"}, "house version 7", false},
		{"inline", risk.CriteriaRef{Inline: &house}, "house version 7", false},
		{"wrong builtin version", risk.CriteriaRef{Name: "aimskit-3x3", Version: "2"}, "risk: criteria aimskit-3x3 version 2 not found", true},
		{"unknown", risk.CriteriaRef{Name: "other", Version: "1"}, "risk: criteria other version 1 not found", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssessment()
			a.Criteria = tt.ref
			c, err := a.ResolveCriteria([]risk.Criteria{house})
			got := c.String()
			if err != nil {
				got = err.Error()
			}
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("ResolveCriteria() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestControls(t *testing.T) {
	a := validAssessment()
	a.Risks[2].Treatment.Controls = []string{"org:SEC-07"}
	want := map[string][]string{
		"iso42001:A.7.4":   {"R-01", "R-02", "R-04"},
		"iso42001:A.6.2.4": {"R-01", "R-02", "R-04"},
		"org:SEC-07":       {"R-03"},
	}
	if diff := cmp.Diff(want, a.Controls()); diff != "" {
		t.Errorf("Controls() mismatch (-want +got):\n%s", diff)
	}
}

func TestAssessmentClone(t *testing.T) {
	a := validAssessment()
	c5 := builtin5x5(t)
	a.Criteria = risk.CriteriaRef{Inline: &c5}
	b := a.Clone()
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("Clone() differs (-orig +clone):\n%s", diff)
	}
	b.Risks[0].Treatment.Controls[0] = "org:X"
	b.Risks[3].Acceptance.Approver = "someone else"
	b.Criteria.Inline.Matrix[0][0] = 3
	b.Approval.Approver = "x"
	if a.Risks[0].Treatment.Controls[0] != "iso42001:A.7.4" || a.Risks[3].Acceptance.Approver != "Chief Risk Officer" ||
		a.Criteria.Inline.Matrix[0][0] != 1 || a.Approval.Approver != "Chief Risk Officer" {
		t.Error("Clone() shares memory with the original")
	}
	if (*risk.Assessment)(nil).Clone() != nil {
		t.Error("nil.Clone() != nil")
	}
}

// TestDecodeProblems checks that the decoder reports schema and semantic
// problems of a RiskAssessment with pointers.
func TestDecodeProblems(t *testing.T) {
	d := newDecoder(t)
	base := string(documenttest.ReadExample(t, "risk-assessment.yaml"))
	tests := []struct {
		name string
		old  string
		new  string
		want []string
	}{
		{"level typed in", "    inherent: {likelihood: likely, consequence: major}\n    treatment:\n      # ISO",
			"    inherent: {likelihood: likely, consequence: major, level: high}\n    treatment:\n      # ISO",
			[]string{"/risks/0/inherent/level: unknown field"}},
		{"control without namespace", "controls: [iso42001:A.7.4, iso42001:A.6.2.4, iso42001:A.5.4",
			"controls: [A.7.4, iso42001:A.6.2.4, iso42001:A.5.4",
			[]string{`/risks/0/treatment/controls/0: "A.7.4" is not a control written namespace:ref, such as iso42001:A.6.2.4 or org:SEC-01`}},
		{"unknown annex A control", "org:SEC-07, iso42001:A.6.2.8", "org:SEC-07, iso42001:A.6.2.9",
			[]string{`/risks/4/treatment/controls/1: "iso42001:A.6.2.9" is not an ISO/IEC 42001 Annex A control (A.2.2 to A.10.4)`}},
		{"grade of the wrong type", "inherent: {likelihood: 2, consequence: 5}", "inherent: {likelihood: true, consequence: 5}",
			[]string{"/risks/4/inherent/likelihood: expected integer or string, but got boolean"}},
		{"acceptance without approver", "      approver: Chief Risk Officer\n      date: 2026-10-05\n      rationale: >-", "      date: 2026-10-05\n      rationale: >-",
			[]string{"/risks/3/acceptance/approver: is required"}},
		{"next review before the assessment", "nextReview: 2027-03-31", "nextReview: 2026-03-31",
			[]string{"/nextReview: 2026-03-31 is not after the assessment date 2026-09-28"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("example does not contain %q", tt.old)
			}
			_, err := d.Decode("ra.yaml", []byte(strings.Replace(base, tt.old, tt.new, 1)))
			got := documenttest.ProblemStrings(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
