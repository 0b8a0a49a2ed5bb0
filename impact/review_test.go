package impact_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// at returns 09:00 UTC on the given date: the injected clock.
func at(s string) time.Time { return date(s).Time(nil).Add(9 * time.Hour) }

func TestReviewDue(t *testing.T) {
	tests := []struct {
		name   string
		now    string
		change func(sys *inventory.System)
		want   []string
	}{
		{"nothing changed", "2026-10-20", func(sys *inventory.System) {}, nil},
		{"model version changed", "2026-10-20", func(sys *inventory.System) { sys.Resources.Models[0].Version = "3.3.0" },
			[]string{"model-change: model credit-gbm is at version 3.3.0 in the inventory, but version 3.2.0 was assessed"}},
		{"model replaced", "2026-10-20", func(sys *inventory.System) { sys.Resources.Models[0].Name = "credit-nn" }, []string{
			"model-change: model credit-gbm 3.2.0 was assessed, but the inventory no longer lists it",
			"model-change: model credit-nn 3.2.0 is in the inventory, but was not assessed",
		}},
		{"model added", "2026-10-20", func(sys *inventory.System) {
			sys.Resources.Models = append(sys.Resources.Models, inventory.Model{Name: "fraud-check", Version: "1.0"})
		}, []string{"model-change: model fraud-check 1.0 is in the inventory, but was not assessed"}},
		{"new data set", "2026-10-20", func(sys *inventory.System) {
			sys.Resources.Datasets = append(sys.Resources.Datasets, inventory.Dataset{Name: "open-banking", Purpose: inventory.DatasetProduction})
		}, []string{"new-data-source: data set open-banking is in the inventory, but was not assessed"}},
		{"new country", "2026-10-20", func(sys *inventory.System) {
			sys.Purpose.Context.Countries = append(sys.Purpose.Context.Countries, "FR")
		},
			[]string{"new-country: the system is used in FR, which was not assessed"}},
		{"new users", "2026-10-20", func(sys *inventory.System) { sys.Purpose.Users = append(sys.Purpose.Users, "brokers") },
			[]string{"new-use: the system is used by brokers, who were not assessed as users"}},
		{"the day before the next review", "2027-09-19", func(sys *inventory.System) {}, nil},
		{"on the next review date", "2027-09-20", func(sys *inventory.System) {},
			[]string{"periodic: the next review was planned for 2027-09-20"}},
		{"several reasons in order", "2027-10-01", func(sys *inventory.System) {
			sys.Purpose.Context.Countries = []string{"DE", "AT", "CH"}
			sys.Resources.Models[0].Version = "4.0.0"
		}, []string{
			"model-change: model credit-gbm is at version 4.0.0 in the inventory, but version 3.2.0 was assessed",
			"new-country: the system is used in CH, which was not assessed",
			"periodic: the next review was planned for 2027-09-20",
		}},
		{"another system", "2026-10-20", func(sys *inventory.System) { sys.ID = assessmentID },
			[]string{"the assessment is of AI system 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10, not of 8d3f1a62-9c4b-4e7a-a5d2-1b6e0f9c7e34 (Consumer credit scoring)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := creditSystem()
			tt.change(sys)
			due, reasons := impact.ReviewDue(validAssessment(), sys, at(tt.now))
			var got []string
			for _, r := range reasons {
				got = append(got, r.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReviewDue() reasons mismatch (-want +got):\n%s", diff)
			}
			if due != (len(tt.want) > 0) {
				t.Errorf("ReviewDue() due = %v, want %v", due, len(tt.want) > 0)
			}
		})
	}
	if due, reasons := impact.ReviewDue(validAssessment(), nil, at("2026-10-20")); !due || len(reasons) != 1 {
		t.Errorf("ReviewDue(a, nil) = %v, %v; want due with one reason", due, reasons)
	}
	if due, _ := impact.ReviewDue(nil, creditSystem(), at("2026-10-20")); !due {
		t.Error("ReviewDue(nil, sys) = not due, want due")
	}
}

// TestExampleDocuments decodes the credit-scoring examples together: the
// impact assessment is complete and valid for its system (FRIA included),
// no review is due on 2026-10-20, every high harm is covered by a risk,
// and a new model version in the inventory makes a review due.
func TestExampleDocuments(t *testing.T) {
	d := newDecoder(t)
	a := decodeExample[*impact.Assessment](t, d, "impact-assessment.yaml")
	sys := decodeExample[*inventory.System](t, d, "ai-system-credit-scoring.yaml")
	ra := decodeExample[*risk.Assessment](t, d, "risk-assessment.yaml")
	if !sys.Obligations().FRIARequired {
		t.Fatal("the example system does not require an FRIA")
	}
	if err := a.ValidateFor(sys); err != nil {
		t.Errorf("ValidateFor(example system): %v", err)
	}
	if due, reasons := impact.ReviewDue(a, sys, at("2026-10-20")); due {
		t.Errorf("ReviewDue(example, 2026-10-20) = due: %v", reasons)
	}
	if gaps := impact.UncoveredHarms(a, ra); len(gaps) > 0 {
		t.Errorf("UncoveredHarms(examples) = %v, want none", gaps)
	}
	if got, want := a.Level(), impact.LevelVeryHigh; got != want {
		t.Errorf("example Level() = %q, want %q", got, want)
	}
	if got, want := a.Use(), impact.UseRestricted; got != want {
		t.Errorf("example Use() = %q, want %q", got, want)
	}
	// Every impact a risk refers to exists.
	for _, r := range ra.Risks {
		for _, id := range r.Impacts {
			found := false
			for _, im := range a.Impacts {
				found = found || im.ID == id
			}
			if !found {
				t.Errorf("risk %s refers to impact %s, which the impact assessment does not have", r.ID, id)
			}
		}
	}

	t.Run("model version change", func(t *testing.T) {
		changed := sys.Clone()
		changed.Resources.Models[0].Version = "3.3.0"
		due, reasons := impact.ReviewDue(a, changed, at("2026-10-20"))
		want := []impact.Reason{{Trigger: impact.TriggerModelChange, Message: "model credit-gbm is at version 3.3.0 in the inventory, but version 3.2.0 was assessed"}}
		if !due {
			t.Error("ReviewDue() = not due after a model version change")
		}
		if diff := cmp.Diff(want, reasons); diff != "" {
			t.Errorf("ReviewDue() reasons mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("without FRIA elements", func(t *testing.T) {
		b := a.Clone()
		b.FRIA = nil
		if err := b.Validate(); err != nil {
			t.Fatalf("Validate() without FRIA: %v", err)
		}
		want := []string{"/fria: is required: the deployer of an Annex III 5(b) system must carry out a fundamental rights impact assessment before first use (EU AI Act Art. 27)"}
		if diff := cmp.Diff(want, documenttest.ProblemStrings(t, b.ValidateBeforeUse(sys))); diff != "" {
			t.Errorf("ValidateBeforeUse() problems mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("harm no risk covers", func(t *testing.T) {
		r := ra.Clone()
		r.Risks[2].Impacts = nil // R-03 covered I-03
		want := []impact.Gap{{Impact: "I-03", Pointer: "/impacts/2", Area: impact.AreaFinancial, Severity: impact.SeverityHigh}}
		if diff := cmp.Diff(want, impact.UncoveredHarms(a, r)); diff != "" {
			t.Errorf("UncoveredHarms() mismatch (-want +got):\n%s", diff)
		}
	})
}
