package impact_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

var (
	systemID     = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	assessmentID = uuid.MustParse("8d3f1a62-9c4b-4e7a-a5d2-1b6e0f9c7e34")
)

func date(s string) document.Date { return document.MustDate(s) }

// creditSystem returns the inventory entry of a credit-scoring system
// (Annex III 5(b)) that the organisation provides and deploys.
func creditSystem() *inventory.System {
	return &inventory.System{
		Header: document.Header{APIVersion: document.APIVersion, Kind: inventory.KindSystem},
		ID:     systemID,
		Name:   "Consumer credit scoring",
		Accountability: inventory.Accountability{
			BusinessOwner: inventory.Person{Name: "Head of Retail Lending"},
			TechnicalLead: inventory.Person{Name: "Lead ML Engineer"},
			OperatorRoles: []inventory.OperatorRole{inventory.OperatorProvider, inventory.OperatorDeployer},
		},
		Purpose: inventory.Purpose{
			Intended:  "Support loan officers",
			Users:     []string{"loan officers"},
			Context:   inventory.DeploymentContext{Countries: []string{"DE", "AT"}},
			Oversight: inventory.Oversight{Mechanism: "review of every score", CanOverride: true},
		},
		Lifecycle: inventory.Lifecycle{Stage: inventory.StageVerificationValidation},
		Resources: inventory.Resources{
			Models:   []inventory.Model{{Name: "credit-gbm", Version: "3.2.0"}},
			Datasets: []inventory.Dataset{{Name: "loan-book", Purpose: inventory.DatasetTraining}},
		},
		Classification: inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "5(b)", Profiling: true},
	}
}

// validAssessment returns a valid impact assessment of creditSystem, with
// its FRIA elements.
func validAssessment() *impact.Assessment {
	return &impact.Assessment{
		Header:   document.Header{APIVersion: document.APIVersion, Kind: impact.KindAssessment},
		ID:       assessmentID,
		System:   systemID,
		Assessor: "Responsible AI Office",
		Date:     date("2026-09-21"),
		Scope:    impact.Scope{Description: "Scoring of consumer loans", Stages: []inventory.Stage{inventory.StageDeployment}},
		SystemInfo: impact.SystemInfo{
			Description:    "Gradient-boosted trees estimate the probability of default",
			Purpose:        "Support the loan officer's decision",
			IntendedUses:   []string{"Decision support for consumer loans"},
			UnintendedUses: []string{"Automatic rejection without review"},
		},
		Data:   impact.DataInfo{Datasets: []impact.Dataset{{Name: "loan-book", PersonalData: true}}, Quality: "Representative after reweighting"},
		Models: []impact.Model{{Name: "credit-gbm", Version: "3.2.0"}},
		Deployment: impact.Deployment{
			Countries: []string{"DE", "AT"},
			Languages: []string{"de"},
			Users:     []string{"loan officers"},
		},
		Parties: []impact.Party{
			{Name: "loan applicants", Kind: impact.PartyIndividual},
			{Name: "financially vulnerable applicants", Kind: impact.PartyGroup, Vulnerable: true},
			{Name: "consumers", Kind: impact.PartySociety},
		},
		Impacts: []impact.Impact{
			harm("I-01", impact.AreaFairness, impact.SeverityHigh, "loan applicants"),
			harm("I-02", impact.AreaFinancial, impact.SeverityMedium, "loan applicants"),
			{
				ID: "I-03", Description: "Discrimination in access to credit", Area: impact.AreaFundamentalRights, Charter: []int{21},
				Effect: impact.EffectHarm, Affected: []string{"loan applicants"}, Severity: impact.SeverityHigh,
				Likelihood: impact.LikelihoodPossible, Scale: impact.ScaleGroup, Reversibility: impact.HardToReverse,
				Duration: impact.DurationLongTerm, Measures: []string{"fairness tests"},
			},
			{
				ID: "I-04", Description: "Faster decisions", Area: impact.AreaFinancial, Effect: impact.EffectBenefit,
				Affected: []string{"loan applicants"}, Severity: impact.SeverityMedium, Likelihood: impact.LikelihoodLikely,
				Scale: impact.ScaleWidespread, Reversibility: impact.Reversible, Duration: impact.DurationLongTerm,
			},
		},
		Thresholds: impact.Thresholds{Sensitive: impact.LevelMedium, Restricted: impact.LevelVeryHigh},
		FRIA: &impact.FRIA{
			Processes:  "Consumer-loan origination",
			Period:     "From January 2027",
			Frequency:  "Every application",
			Persons:    []string{"Loan applicants"},
			Harms:      []string{"I-01", "I-03"},
			Oversight:  []string{"A loan officer reviews every score"},
			Measures:   []string{"Suspend scoring"},
			Governance: "Model committee",
			Complaints: "Human re-examination on request",
		},
		Approval: &document.Approval{Approver: "Management Board", Date: date("2026-10-05")},
		Review: impact.Review{
			Triggers:       []impact.Trigger{impact.TriggerModelChange, impact.TriggerPeriodic},
			IntervalMonths: 12,
			Next:           date("2027-09-20"),
		},
	}
}

// harm returns a valid harm: possible, to a group, hard to reverse, long
// term, with a measure.
func harm(id string, area impact.Area, sev impact.Severity, affected ...string) impact.Impact {
	return impact.Impact{
		ID: id, Description: "harm " + id, Area: area, Effect: impact.EffectHarm, Affected: affected,
		Severity: sev, Likelihood: impact.LikelihoodPossible, Scale: impact.ScaleGroup,
		Reversibility: impact.HardToReverse, Duration: impact.DurationLongTerm, Measures: []string{"a measure"},
	}
}

// validateTests are also seeds of FuzzDecodeAssessment.
var validateTests = []struct {
	name   string
	mutate func(a *impact.Assessment)
	want   []string // "pointer: message" of each problem
}{
	{"valid", func(a *impact.Assessment) {}, nil},
	{"without FRIA", func(a *impact.Assessment) { a.FRIA = nil }, nil},
	{"incomplete FRIA", func(a *impact.Assessment) {
		a.FRIA.Persons, a.FRIA.Oversight, a.FRIA.Complaints = nil, nil, ""
		a.FRIA.Harms = []string{"I-04", "I-99"}
	}, []string{
		"/fria/persons: is required: the categories of persons and groups likely to be affected (EU AI Act Art. 27(1)(c))",
		`/fria/harms/0: "I-04" is not a harm (its effect is "benefit")`,
		`/fria/harms/1: "I-99" is not the id of an impact`,
		"/fria/oversight: is required: the human-oversight measures (EU AI Act Art. 27(1)(e))",
		"/fria/complaints: is required",
	}},
	{"impact names an unknown party", func(a *impact.Assessment) { a.Impacts[1].Affected = []string{"lenders"} },
		[]string{`/impacts/1/affected/0: "lenders" is not one of the parties`}},
	{"duplicate ids and names", func(a *impact.Assessment) {
		a.Impacts[1].ID = "I-01"
		a.Parties[2].Name = "loan applicants"
	}, []string{`/parties/2/name: "loan applicants" is also the name of another party`, `/impacts/1/id: "I-01" is also the id of another impact`}},
	{"fundamental right without charter article", func(a *impact.Assessment) { a.Impacts[2].Charter = nil },
		[]string{"/impacts/2/charter: is required for a fundamental-rights impact: name the EU Charter articles concerned"}},
	{"charter article out of range", func(a *impact.Assessment) { a.Impacts[2].Charter = []int{21, 54} },
		[]string{"/impacts/2/charter/1: 54 is not an article of the EU Charter of Fundamental Rights that states a right (1 to 50)"}},
	{"harm without measures", func(a *impact.Assessment) { a.Impacts[1].Measures = nil },
		[]string{"/impacts/1/measures: is required for a harm of medium severity: record the measures that address it (ISO/IEC 42005 6.9)"}},
	{"residual above severity", func(a *impact.Assessment) {
		a.Impacts[1].Residual = &impact.Residual{Severity: impact.SeverityCritical, Likelihood: impact.LikelihoodRare}
	}, []string{"/impacts/1/residual/severity: critical is above the severity before measures (medium)"}},
	{"unknown enums", func(a *impact.Assessment) {
		a.Impacts[0].Area = "mood"
		a.Impacts[0].Effect = "meh"
		a.Impacts[0].Severity = "huge"
		a.Impacts[0].Scale = ""
		a.Parties[0].Kind = "alien"
	}, []string{
		`/parties/0/kind: is "alien", want individual, group, society or organisation`,
		`/impacts/0/area: unknown impact area "mood"`,
		`/impacts/0/effect: is "meh", want benefit or harm`,
		`/impacts/0/severity: is "huge", want one of negligible, low, medium, high, critical`,
		"/impacts/0/scale: is required",
		`/fria/harms/0: "I-01" is not a harm (its effect is "meh")`,
	}},
	{"thresholds in the wrong order", func(a *impact.Assessment) { a.Thresholds.Restricted = impact.LevelMedium },
		[]string{"/thresholds/restricted: medium is not above the sensitive threshold medium"}},
	{"next review before the assessment", func(a *impact.Assessment) { a.Review.Next = date("2026-01-01") },
		[]string{"/review/next: 2026-01-01 is not after the assessment date 2026-09-21"}},
	{"next review beyond the interval", func(a *impact.Assessment) { a.Review.Next = date("2027-12-31") },
		[]string{"/review/next: 2027-12-31 is more than 12 months after the assessment date 2026-09-21"}},
	{"periodic without interval", func(a *impact.Assessment) { a.Review.IntervalMonths = 0 },
		[]string{"/review/intervalMonths: is required for the periodic trigger"}},
	{"approval before the assessment", func(a *impact.Assessment) { a.Approval.Date = date("2026-09-01") },
		[]string{"/approval/date: 2026-09-01 is before the assessment date 2026-09-21"}},
	{"FRIA notified before the assessment", func(a *impact.Assessment) { a.FRIA.Notified = date("2026-09-01") },
		[]string{"/fria/notified: 2026-09-01 is before the assessment date 2026-09-21"}},
	{"bad country and language", func(a *impact.Assessment) {
		a.Deployment.Countries = []string{"Germany"}
		a.Deployment.Languages = []string{"German"}
	}, []string{`/deployment/countries/0: "Germany" is not an ISO 3166-1 alpha-2 code`, `/deployment/languages/0: "German" is not a BCP 47 language tag`}},
	{"model without version", func(a *impact.Assessment) { a.Models[0].Version = "" },
		[]string{"/models/0/version: is required"}},
	{"unknown trigger", func(a *impact.Assessment) {
		a.Review.Triggers = append(a.Review.Triggers, "full-moon", impact.TriggerPeriodic)
	},
		[]string{`/review/triggers/2: unknown review trigger "full-moon"`, `/review/triggers/3: "periodic" is listed twice`}},
}

func TestValidate(t *testing.T) {
	for _, tt := range validateTests {
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

func TestValidateZero(t *testing.T) {
	var a impact.Assessment
	got := documenttest.Pointers(documenttest.Problems(t, a.Validate()))
	want := []string{"/id", "/system", "/assessor", "/date", "/scope/description", "/systemInfo/description",
		"/systemInfo/purpose", "/systemInfo/intendedUses", "/systemInfo/unintendedUses", "/data/datasets", "/data/quality",
		"/models", "/deployment/countries", "/parties", "/impacts", "/thresholds/sensitive", "/review/triggers", "/review/next"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zero Assessment Validate() pointers mismatch (-want +got):\n%s", diff)
	}
}

func TestValidateFor(t *testing.T) {
	const friaMsg = "/fria: is required: the deployer of an Annex III 5(b) system must carry out a fundamental rights impact assessment before first use (EU AI Act Art. 27)"
	tests := []struct {
		name   string
		mutate func(a *impact.Assessment, sys *inventory.System)
		want   []string
	}{
		{"5(b) deployer with FRIA", func(a *impact.Assessment, sys *inventory.System) {}, nil},
		{"5(b) deployer without FRIA", func(a *impact.Assessment, sys *inventory.System) { a.FRIA = nil },
			[]string{friaMsg}},
		{"5(b) deployer without FRIA nor fundamental-rights impact", func(a *impact.Assessment, sys *inventory.System) {
			a.FRIA = nil
			a.Impacts = a.Impacts[:2]
		}, []string{friaMsg, "/impacts: records no fundamental-rights impact, but the deployer of an Annex III 5(b) system owes a fundamental rights impact assessment (EU AI Act Art. 27)"}},
		{"5(b) provider only needs no FRIA", func(a *impact.Assessment, sys *inventory.System) {
			a.FRIA = nil
			sys.Accountability.OperatorRoles = []inventory.OperatorRole{inventory.OperatorProvider}
		}, nil},
		{"4(a) private deployer needs no FRIA", func(a *impact.Assessment, sys *inventory.System) {
			a.FRIA = nil
			sys.Classification.AnnexIII = "4(a)"
		}, nil},
		{"4(a) public authority deployer", func(a *impact.Assessment, sys *inventory.System) {
			a.FRIA = nil
			sys.Classification.AnnexIII = "4(a)"
			sys.Classification.PublicAuthority = true
		}, []string{"/fria: is required: a public-authority deployer of an Annex III system must carry out a fundamental rights impact assessment before first use (EU AI Act Art. 27)"}},
		{"another system", func(a *impact.Assessment, sys *inventory.System) { sys.ID = assessmentID },
			[]string{"/system: is 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10, but was checked against AI system 8d3f1a62-9c4b-4e7a-a5d2-1b6e0f9c7e34 (Consumer credit scoring)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, sys := validAssessment(), creditSystem()
			tt.mutate(a, sys)
			if err := sys.Validate(); err != nil {
				t.Fatalf("test system is invalid: %v", err)
			}
			if err := a.Validate(); err != nil {
				t.Fatalf("test assessment is invalid: %v", err)
			}
			got := append(documenttest.ProblemStrings(t, a.ValidateFor(sys)), documenttest.ProblemStrings(t, a.ValidateBeforeUse(sys))...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ValidateFor() and ValidateBeforeUse() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := documenttest.ProblemStrings(t, validAssessment().ValidateFor(nil)); len(got) != 1 {
		t.Errorf("ValidateFor(nil) = %v, want one problem", got)
	}
	// The FRIA is owed before first use: it is not a problem of the
	// assessment for its system.
	a := validAssessment()
	a.FRIA = nil
	if err := a.ValidateFor(creditSystem()); err != nil {
		t.Errorf("ValidateFor() without FRIA = %v, want nil", err)
	}
	if err := a.ValidateBeforeUse(nil); err != nil {
		t.Errorf("ValidateBeforeUse(nil) = %v, want nil", err)
	}
}

func TestImpactLevel(t *testing.T) {
	parties := []impact.Party{
		{Name: "applicants", Kind: impact.PartyIndividual},
		{Name: "vulnerable", Kind: impact.PartyGroup, Vulnerable: true},
		{Name: "children", Kind: impact.PartyGroup, Minors: true},
	}
	base := impact.Impact{
		Effect: impact.EffectHarm, Affected: []string{"applicants"}, Severity: impact.SeverityMedium,
		Likelihood: impact.LikelihoodPossible, Scale: impact.ScaleGroup, Reversibility: impact.Reversible,
		Duration: impact.DurationTemporary,
	}
	tests := []struct {
		name   string
		mutate func(im *impact.Impact)
		want   impact.Level
	}{
		{"medium severity", func(im *impact.Impact) {}, impact.LevelMedium},
		{"negligible severity", func(im *impact.Impact) { im.Severity = impact.SeverityNegligible }, impact.LevelLow},
		{"low severity", func(im *impact.Impact) { im.Severity = impact.SeverityLow }, impact.LevelLow},
		{"high severity", func(im *impact.Impact) { im.Severity = impact.SeverityHigh }, impact.LevelHigh},
		{"critical severity", func(im *impact.Impact) { im.Severity = impact.SeverityCritical }, impact.LevelVeryHigh},
		{"irreversible raises", func(im *impact.Impact) { im.Reversibility = impact.Irreversible }, impact.LevelHigh},
		{"permanent raises", func(im *impact.Impact) { im.Duration = impact.DurationPermanent }, impact.LevelHigh},
		{"irreversible and permanent raise once", func(im *impact.Impact) {
			im.Reversibility, im.Duration = impact.Irreversible, impact.DurationPermanent
		}, impact.LevelHigh},
		{"widespread raises", func(im *impact.Impact) { im.Scale = impact.ScaleWidespread }, impact.LevelHigh},
		{"vulnerable people raise", func(im *impact.Impact) { im.Affected = []string{"applicants", "vulnerable"} }, impact.LevelHigh},
		{"minors raise", func(im *impact.Impact) { im.Affected = []string{"children"} }, impact.LevelHigh},
		{"widespread and vulnerable raise once", func(im *impact.Impact) {
			im.Scale, im.Affected = impact.ScaleWidespread, []string{"vulnerable"}
		}, impact.LevelHigh},
		{"both raises", func(im *impact.Impact) {
			im.Reversibility, im.Scale = impact.Irreversible, impact.ScaleWidespread
		}, impact.LevelVeryHigh},
		{"capped at very high", func(im *impact.Impact) {
			im.Severity, im.Reversibility, im.Scale = impact.SeverityCritical, impact.Irreversible, impact.ScaleWidespread
		}, impact.LevelVeryHigh},
		{"rare lowers", func(im *impact.Impact) { im.Likelihood = impact.LikelihoodRare }, impact.LevelLow},
		{"never below low", func(im *impact.Impact) {
			im.Severity, im.Likelihood = impact.SeverityNegligible, impact.LikelihoodRare
		}, impact.LevelLow},
		{"benefit has no level", func(im *impact.Impact) { im.Effect = impact.EffectBenefit }, impact.LevelUnspecified},
		{"unknown severity has no level", func(im *impact.Impact) { im.Severity = "huge" }, impact.LevelUnspecified},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := base
			tt.mutate(&im)
			if got := im.Level(parties); got != tt.want {
				t.Errorf("Level() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAssessmentLevelAndUse(t *testing.T) {
	tests := []struct {
		name      string
		mutate    func(a *impact.Assessment)
		wantLevel impact.Level
		wantUse   impact.Use
	}{
		{"highest harm decides", func(a *impact.Assessment) {}, impact.LevelHigh, impact.UseSensitive},
		{"no harms is low", func(a *impact.Assessment) { a.Impacts = a.Impacts[3:] }, impact.LevelLow, impact.UseStandard},
		{"restricted threshold reached", func(a *impact.Assessment) {
			a.Impacts[0].Affected = []string{"financially vulnerable applicants"}
		}, impact.LevelVeryHigh, impact.UseRestricted},
		{"no restricted threshold", func(a *impact.Assessment) {
			a.Impacts[0].Affected = []string{"financially vulnerable applicants"}
			a.Thresholds.Restricted = ""
		}, impact.LevelVeryHigh, impact.UseSensitive},
		{"below the sensitive threshold", func(a *impact.Assessment) {
			a.Thresholds.Sensitive = impact.LevelVeryHigh
			a.Thresholds.Restricted = ""
		},
			impact.LevelHigh, impact.UseStandard},
		{"designation raises the class", func(a *impact.Assessment) {
			a.Thresholds.Sensitive, a.Thresholds.Restricted, a.Thresholds.Designation = impact.LevelVeryHigh, "", impact.UseRestricted
		}, impact.LevelHigh, impact.UseRestricted},
		{"designation never lowers it", func(a *impact.Assessment) { a.Thresholds.Designation = impact.UseStandard },
			impact.LevelHigh, impact.UseSensitive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssessment()
			tt.mutate(a)
			if got := a.Level(); got != tt.wantLevel {
				t.Errorf("Level() = %q, want %q", got, tt.wantLevel)
			}
			if got := a.Use(); got != tt.wantUse {
				t.Errorf("Use() = %q, want %q", got, tt.wantUse)
			}
		})
	}
}

// coveringRisks returns a risk assessment whose risks cover the two high
// harms of validAssessment.
func coveringRisks() *risk.Assessment {
	return &risk.Assessment{System: systemID, Risks: []risk.Risk{
		{ID: "R-01", Impacts: []string{"I-01"}},
		{ID: "R-02", Impacts: []string{"I-03"}},
	}}
}

func TestUncoveredHarms(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(a *impact.Assessment, ra *risk.Assessment)
		want   []impact.Gap
	}{
		{"all high harms covered", func(a *impact.Assessment, ra *risk.Assessment) {}, nil},
		{"a high harm not covered", func(a *impact.Assessment, ra *risk.Assessment) { ra.Risks[1].Impacts = nil },
			[]impact.Gap{{Impact: "I-03", Pointer: "/impacts/2", Area: impact.AreaFundamentalRights, Severity: impact.SeverityHigh}}},
		{"medium harms need no risk", func(a *impact.Assessment, ra *risk.Assessment) {
			a.Impacts[0].Severity = impact.SeverityMedium
			ra.Risks[0].Impacts = nil
		}, nil},
		{"a critical harm not covered", func(a *impact.Assessment, ra *risk.Assessment) { a.Impacts[1].Severity = impact.SeverityCritical },
			[]impact.Gap{{Impact: "I-02", Pointer: "/impacts/1", Area: impact.AreaFinancial, Severity: impact.SeverityCritical}}},
		{"risks of another system cover nothing", func(a *impact.Assessment, ra *risk.Assessment) { ra.System = assessmentID },
			[]impact.Gap{
				{Impact: "I-01", Pointer: "/impacts/0", Area: impact.AreaFairness, Severity: impact.SeverityHigh},
				{Impact: "I-03", Pointer: "/impacts/2", Area: impact.AreaFundamentalRights, Severity: impact.SeverityHigh},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ra := validAssessment(), coveringRisks()
			tt.mutate(a, ra)
			if diff := cmp.Diff(tt.want, impact.UncoveredHarms(a, ra)); diff != "" {
				t.Errorf("UncoveredHarms() mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := impact.UncoveredHarms(validAssessment(), nil); len(got) != 2 {
		t.Errorf("UncoveredHarms(a, nil) = %v, want both high harms", got)
	}
}

func TestClone(t *testing.T) {
	a := validAssessment()
	a.Impacts[0].Residual = &impact.Residual{Severity: impact.SeverityLow, Likelihood: impact.LikelihoodRare}
	b := a.Clone()
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("Clone() differs (-orig +clone):\n%s", diff)
	}
	b.Impacts[0].Affected[0] = "x"
	b.Impacts[0].Residual.Severity = impact.SeverityHigh
	b.FRIA.Harms[0] = "x"
	b.Models[0].Version = "9"
	b.Review.Triggers[0] = "x"
	if a.Impacts[0].Affected[0] != "loan applicants" || a.Impacts[0].Residual.Severity != impact.SeverityLow ||
		a.FRIA.Harms[0] != "I-01" || a.Models[0].Version != "3.2.0" || a.Review.Triggers[0] != impact.TriggerModelChange {
		t.Error("Clone() shares memory with the original")
	}
	if (*impact.Assessment)(nil).Clone() != nil {
		t.Error("nil.Clone() != nil")
	}
}

// Helpers shared by the tests of this package.

func newDecoder(t testing.TB) *document.Decoder {
	t.Helper()
	var types []document.Type
	types = append(types, impact.DocumentTypes()...)
	types = append(types, risk.DocumentTypes()...)
	types = append(types, inventory.DocumentTypes()...)
	d, err := document.NewDecoder(types, nil)
	if err != nil {
		t.Fatalf("NewDecoder: %v", err)
	}
	return d
}

// decodeExample decodes one of the example documents.
func decodeExample[T document.Validator](t testing.TB, d *document.Decoder, name string) T {
	t.Helper()
	v, err := d.Decode(name, documenttest.ReadExample(t, name))
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	doc, ok := v.(T)
	if !ok {
		t.Fatalf("Decode(%s) = %T", name, v)
	}
	return doc
}
