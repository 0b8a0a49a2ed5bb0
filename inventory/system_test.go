package inventory_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/inventory"
)

func validSystem() *inventory.System {
	return &inventory.System{
		Header: document.Header{APIVersion: document.APIVersion, Kind: inventory.KindSystem},
		ID:     uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"),
		Name:   "Consumer credit scoring",
		Accountability: inventory.Accountability{
			BusinessOwner: inventory.Person{Name: "Head of Retail Lending"},
			TechnicalLead: inventory.Person{Name: "Lead ML Engineer"},
			OperatorRoles: []inventory.OperatorRole{inventory.OperatorDeployer},
		},
		Purpose: inventory.Purpose{
			Intended:  "Support loan officers",
			Context:   inventory.DeploymentContext{Countries: []string{"DE"}, Languages: []string{"de", "en-GB"}},
			Oversight: inventory.Oversight{Mechanism: "review of every score", CanOverride: true, CanStop: true},
		},
		Lifecycle: inventory.Lifecycle{Stage: inventory.StageDeployment},
		Resources: inventory.Resources{
			Models:   []inventory.Model{{Name: "credit-gbm", Version: "3.2.0", Digest: "sha256:" + sixtyFourHex}},
			Datasets: []inventory.Dataset{{Name: "loans", Purpose: inventory.DatasetTraining}},
		},
		Classification: inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "5(b)"},
	}
}

const sixtyFourHex = "9f2d6c1b8a7e4f3d2c1b0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c"

func TestSystemValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *inventory.System)
		want   []string // pointers of the problems
	}{
		{"valid", func(s *inventory.System) {}, nil},
		{"zero value", func(s *inventory.System) { *s = inventory.System{} },
			[]string{"/id", "/name", "/accountability/businessOwner/name", "/accountability/technicalLead/name", "/purpose/intended", "/lifecycle/stage", "/classification/category"}},
		{"wrong kind", func(s *inventory.System) { s.Kind = "RiskAssessment" }, []string{"/kind"}},
		{"bad digest", func(s *inventory.System) { s.Resources.Models[0].Digest = "md5:abc" }, []string{"/resources/models/0/digest"}},
		{"duplicate model", func(s *inventory.System) { s.Resources.Models = append(s.Resources.Models, s.Resources.Models[0]) }, []string{"/resources/models/1"}},
		{"dataset purpose", func(s *inventory.System) { s.Resources.Datasets[0].Purpose = "fun" }, []string{"/resources/datasets/0/purpose"}},
		{"personal data categories without flag", func(s *inventory.System) {
			s.Resources.Datasets[0].PersonalDataCategories = []string{"health"}
		}, []string{"/resources/datasets/0/personalData"}},
		{"bad country and language", func(s *inventory.System) {
			s.Purpose.Context.Countries = []string{"Germany"}
			s.Purpose.Context.Languages = []string{"German"}
		}, []string{"/purpose/context/countries/0", "/purpose/context/languages/0"}},
		{"unknown operator role", func(s *inventory.System) {
			s.Accountability.OperatorRoles = []inventory.OperatorRole{"owner"}
		}, []string{"/accountability/operatorRoles/0"}},
		{"high-risk without annex", func(s *inventory.System) { s.Classification.AnnexIII = "" }, []string{"/classification/category"}},
		{"unknown annex III point", func(s *inventory.System) { s.Classification.AnnexIII = "9(z)" }, []string{"/classification/annexIII"}},
		{"prohibited without point", func(s *inventory.System) {
			s.Classification = inventory.Classification{Category: inventory.CategoryProhibited}
		}, []string{"/classification/prohibitedPractice"}},
		{"derogation for profiling", func(s *inventory.System) {
			s.Classification = inventory.Classification{Category: inventory.CategoryDerogated, AnnexIII: "4(a)", Profiling: true,
				Derogation: &inventory.Derogation{Ground: "e"}}
		}, []string{"/classification/profiling", "/classification/derogation/ground", "/classification/derogation/assessment"}},
		{"minimal with annex III", func(s *inventory.System) {
			s.Classification = inventory.Classification{Category: inventory.CategoryMinimal, AnnexIII: "4(a)"}
		}, []string{"/classification/annexIII"}},
		{"unknown transparency paragraph", func(s *inventory.System) { s.Classification.Transparency = []string{"50(6)"} }, []string{"/classification/transparency/0"}},
		{"retired status in deployment", func(s *inventory.System) { s.Lifecycle.Status = inventory.StatusRetired }, []string{"/lifecycle/status"}},
		{"history jumps", func(s *inventory.System) {
			s.Lifecycle.History = []inventory.StageChange{
				{From: inventory.StageInception, To: inventory.StageDeployment, Date: document.MustDate("2026-01-01")},
			}
		}, []string{"/lifecycle/history/0"}},
		{"party relation", func(s *inventory.System) { s.Parties = []inventory.Party{{Name: "x", Relation: "friend"}} }, []string{"/parties/0/relation"}},
		{"facts without a stated classification", func(s *inventory.System) {
			s.Classification = inventory.Classification{}
			s.Facts = &inventory.Facts{AnnexIII: []string{"5(b)"}, Capabilities: []inventory.Capability{inventory.CapabilityProfiling}}
		}, nil},
		{"facts that agree with the stated classification", func(s *inventory.System) {
			s.Facts = &inventory.Facts{AnnexIII: []string{"5(b)"}}
		}, nil},
		{"stated high-risk contradicted by facts (Art. 5(1)(f))", func(s *inventory.System) {
			s.Classification = inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "1(c)", Transparency: []string{"50(3)"}}
			s.Facts = &inventory.Facts{Capabilities: []inventory.Capability{inventory.CapabilityEmotionRecognition},
				Contexts: []inventory.Context{inventory.ContextWorkplace}}
		}, []string{"/classification/category"}},
		{"invalid facts are not compared", func(s *inventory.System) {
			s.Facts = &inventory.Facts{Capabilities: []inventory.Capability{"telepathy"}}
		}, []string{"/facts/capabilities/0"}},
		{"facts roles disagree with operator roles", func(s *inventory.System) {
			s.Facts = &inventory.Facts{AnnexIII: []string{"5(b)"}, Roles: []inventory.OperatorRole{inventory.OperatorProvider}}
		}, []string{"/facts/roles"}},
		{"log retention under 6 months for a high-risk system (Art. 19(1), 26(6))", func(s *inventory.System) {
			s.RecordKeeping = &inventory.RecordKeeping{LogRetentionMonths: 3}
		}, []string{"/recordKeeping/logRetentionMonths"}},
		{"log retention under 6 months for a high-risk system derived from facts", func(s *inventory.System) {
			s.Classification = inventory.Classification{}
			s.Facts = &inventory.Facts{AnnexIII: []string{"4(a)"}}
			s.RecordKeeping = &inventory.RecordKeeping{LogRetentionMonths: 5}
		}, []string{"/recordKeeping/logRetentionMonths"}},
		{"log retention of 6 months for a high-risk system", func(s *inventory.System) {
			s.RecordKeeping = &inventory.RecordKeeping{LogRetentionMonths: 6}
		}, nil},
		{"short log retention for a minimal-risk system", func(s *inventory.System) {
			s.Classification = inventory.Classification{Category: inventory.CategoryMinimal}
			s.RecordKeeping = &inventory.RecordKeeping{LogRetentionMonths: 1}
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSystem()
			tt.mutate(s)
			got := documenttest.Pointers(documenttest.Problems(t, s.Validate()))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() problem pointers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// Human oversight of a high-risk system is owed before first use, not
// while the system is designed.
func TestSystemValidateBeforeUse(t *testing.T) {
	s := validSystem()
	if err := s.ValidateBeforeUse(); err != nil {
		t.Errorf("ValidateBeforeUse() = %v, want nil", err)
	}
	s.Purpose.Oversight = inventory.Oversight{}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate() of a high-risk system without oversight = %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"/purpose/oversight"}, documenttest.Pointers(documenttest.Problems(t, s.ValidateBeforeUse()))); diff != "" {
		t.Errorf("ValidateBeforeUse() problem pointers mismatch (-want +got):\n%s", diff)
	}
	s.Classification = inventory.Classification{Category: inventory.CategoryMinimal}
	if err := s.ValidateBeforeUse(); err != nil {
		t.Errorf("ValidateBeforeUse() of a minimal-risk system = %v, want nil", err)
	}
}

func TestSystemClone(t *testing.T) {
	s := validSystem()
	s.Labels = map[string]string{"a": "b"}
	c := s.Clone()
	if diff := cmp.Diff(s, c); diff != "" {
		t.Fatalf("Clone() differs (-orig +clone):\n%s", diff)
	}
	c.Labels["a"] = "changed"
	c.Resources.Models[0].Name = "changed"
	c.Accountability.OperatorRoles[0] = inventory.OperatorProvider
	if s.Labels["a"] != "b" || s.Resources.Models[0].Name != "credit-gbm" || s.Accountability.OperatorRoles[0] != inventory.OperatorDeployer {
		t.Errorf("mutating the clone changed the original: %+v", s)
	}
}

func TestTransitions(t *testing.T) {
	tests := []struct {
		from, to inventory.Stage
		want     bool
	}{
		{inventory.StageInception, inventory.StageDesignAndDevelopment, true},
		{inventory.StageVerificationValidation, inventory.StageDeployment, true},
		{inventory.StageDeployment, inventory.StageOperationMonitoring, true},
		{inventory.StageReEvaluation, inventory.StageDesignAndDevelopment, true},
		{inventory.StageInception, inventory.StageDeployment, false},
		{inventory.StageRetirement, inventory.StageInception, false},
		{inventory.StageUnspecified, inventory.StageInception, false},
	}
	for _, tt := range tests {
		if got := inventory.CanTransition(tt.from, tt.to); got != tt.want {
			t.Errorf("CanTransition(%q, %q) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	for _, s := range inventory.Stages() {
		if s == inventory.StageRetirement {
			continue
		}
		if !inventory.CanTransition(s, inventory.StageRetirement) {
			t.Errorf("CanTransition(%q, retirement) = false, want true", s)
		}
	}
	if n := len(inventory.Transitions()); n != 21 {
		t.Errorf("len(Transitions()) = %d, want 21", n)
	}
}

func TestMonitoringThresholds(t *testing.T) {
	s := validSystem()
	s.Monitoring.Thresholds = []inventory.MetricThreshold{{Metric: "drift", Max: 0.5, Window: 20}, {Metric: "drift", Max: 1}, {Metric: "", Window: -1}}
	got := documenttest.Pointers(documenttest.Problems(t, s.Validate()))
	want := []string{"/monitoring/thresholds/1/metric", "/monitoring/thresholds/2/metric", "/monitoring/thresholds/2/window"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Validate() problem pointers mismatch (-want +got):\n%s", diff)
	}
}

// A stated classification without facts still works, and is explained as
// stated, not derived.
func TestSystemExplainStated(t *testing.T) {
	s := validSystem()
	d := s.Explain()
	if d.Basis != inventory.BasisStated || !strings.HasPrefix(d.Reason, "stated, not derived") {
		t.Errorf("Explain() basis, reason = %s, %q; want stated, \"stated, not derived...\"", d.Basis, d.Reason)
	}
	if diff := cmp.Diff(s.Obligations(), d.Obligations); diff != "" {
		t.Errorf("Explain() obligations differ from Obligations() (-want +got):\n%s", diff)
	}
	if r, ok := d.Rule("Art. 27"); !ok || !r.Applies {
		t.Errorf("Explain() rule Art. 27 = %+v, %v; want it to apply to a 5(b) deployer", r, ok)
	}
}

func TestSystemExplainDerived(t *testing.T) {
	s := validSystem()
	s.Classification = inventory.Classification{Rationale: "credit scoring"}
	s.Facts = &inventory.Facts{AnnexIII: []string{"5(b)"}, Capabilities: []inventory.Capability{inventory.CapabilityDecisions}}
	d := s.Explain()
	if d.Basis != inventory.BasisDerived || d.Classification.Category != inventory.CategoryHighRisk {
		t.Errorf("Explain() = %s %s, want derived high-risk", d.Basis, d.Classification.Category)
	}
	if got := s.Classified().Category; got != inventory.CategoryHighRisk {
		t.Errorf("Classified().Category = %s, want high-risk", got)
	}
	if !s.Obligations().FRIARequired {
		t.Error("Obligations().FRIARequired = false, want true: the roles come from /accountability/operatorRoles")
	}
	c := s.Clone()
	c.Facts.AnnexIII[0] = "4(a)"
	if s.Facts.AnnexIII[0] != "5(b)" {
		t.Error("Clone() shares the facts")
	}
}
