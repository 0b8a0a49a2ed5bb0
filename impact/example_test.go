package impact_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// exampleSystem is the inventory entry of a credit-scoring system that
// the organisation deploys: Annex III point 5(b).
func exampleSystem() *inventory.System {
	return &inventory.System{
		ID:   uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"),
		Name: "Consumer credit scoring",
		Accountability: inventory.Accountability{
			OperatorRoles: []inventory.OperatorRole{inventory.OperatorProvider, inventory.OperatorDeployer},
		},
		Purpose: inventory.Purpose{
			Users:   []string{"loan officers"},
			Context: inventory.DeploymentContext{Countries: []string{"DE", "AT"}},
		},
		Resources: inventory.Resources{
			Models:   []inventory.Model{{Name: "credit-gbm", Version: "3.2.0"}},
			Datasets: []inventory.Dataset{{Name: "loan-book-2019-2025", Purpose: inventory.DatasetTraining}},
		},
		Classification: inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "5(b)"},
	}
}

// exampleAssessment is the impact assessment of exampleSystem, as
// assessed: model credit-gbm 3.2.0, data set loan-book-2019-2025, DE and
// AT, loan officers.
func exampleAssessment() *impact.Assessment {
	return &impact.Assessment{
		System:     uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"),
		Date:       document.MustDate("2026-09-21"),
		Data:       impact.DataInfo{Datasets: []impact.Dataset{{Name: "loan-book-2019-2025"}}},
		Models:     []impact.Model{{Name: "credit-gbm", Version: "3.2.0"}},
		Deployment: impact.Deployment{Countries: []string{"DE", "AT"}, Users: []string{"loan officers"}},
		Parties: []impact.Party{
			{Name: "loan applicants", Kind: impact.PartyIndividual},
			{Name: "financially vulnerable applicants", Kind: impact.PartyGroup, Vulnerable: true},
		},
		Impacts: []impact.Impact{
			{
				ID: "I-01", Area: impact.AreaFairness, Effect: impact.EffectHarm,
				Affected: []string{"loan applicants"}, Severity: impact.SeverityHigh,
				Likelihood: impact.LikelihoodPossible, Scale: impact.ScaleGroup,
				Reversibility: impact.HardToReverse, Duration: impact.DurationLongTerm,
			},
			{
				ID: "I-03", Area: impact.AreaFinancial, Effect: impact.EffectHarm,
				Affected: []string{"financially vulnerable applicants"}, Severity: impact.SeverityHigh,
				Likelihood: impact.LikelihoodUnlikely, Scale: impact.ScaleGroup,
				Reversibility: impact.HardToReverse, Duration: impact.DurationLongTerm,
			},
		},
		Thresholds: impact.Thresholds{Sensitive: impact.LevelMedium, Restricted: impact.LevelVeryHigh},
		Review:     impact.Review{Triggers: []impact.Trigger{impact.TriggerModelChange}, Next: document.MustDate("2027-09-20")},
	}
}

func ExampleAssessment_ValidateBeforeUse() {
	a := exampleAssessment() // no FRIA elements
	fmt.Println(a.ValidateFor(exampleSystem()))
	fmt.Println(a.ValidateBeforeUse(exampleSystem()))
	// Output:
	// <nil>
	// /fria: is required: the deployer of an Annex III 5(b) system must carry out a fundamental rights impact assessment before first use (EU AI Act Art. 27)
	// /impacts: records no fundamental-rights impact, but the deployer of an Annex III 5(b) system owes a fundamental rights impact assessment (EU AI Act Art. 27)
}

func ExampleReviewDue() {
	a, sys := exampleAssessment(), exampleSystem()
	now := time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC) // an injected clock
	due, _ := impact.ReviewDue(a, sys, now)
	fmt.Println("due:", due)

	// The inventory moves to a new model version and a new country.
	sys.Resources.Models[0].Version = "3.3.0"
	sys.Purpose.Context.Countries = append(sys.Purpose.Context.Countries, "FR")
	due, reasons := impact.ReviewDue(a, sys, now)
	fmt.Println("due:", due)
	for _, r := range reasons {
		fmt.Println(r)
	}
	// Output:
	// due: false
	// due: true
	// model-change: model credit-gbm is at version 3.3.0 in the inventory, but version 3.2.0 was assessed
	// new-country: the system is used in FR, which was not assessed
}

func ExampleAssessment_Level() {
	a := exampleAssessment()
	for _, im := range a.Impacts {
		fmt.Println(im.ID, im.Level(a.Parties))
	}
	fmt.Println("overall:", a.Level(), "use:", a.Use())
	// Output:
	// I-01 high
	// I-03 very-high
	// overall: very-high use: restricted
}

func ExampleUncoveredHarms() {
	a := exampleAssessment()
	ra := &risk.Assessment{
		System: a.System,
		Risks:  []risk.Risk{{ID: "R-01", Title: "Scores disadvantage young applicants", Impacts: []string{"I-01"}}},
	}
	for _, g := range impact.UncoveredHarms(a, ra) {
		fmt.Printf("%s (%s, %s severity) at %s is not covered by any risk\n", g.Impact, g.Area, g.Severity, g.Pointer)
	}
	// Output:
	// I-03 (financial, high severity) at /impacts/1 is not covered by any risk
}
