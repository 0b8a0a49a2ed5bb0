package risk_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

func ExampleBuiltin() {
	c, _ := risk.Builtin("aimskit-5x5")
	fmt.Println(c.String(), "- appetite:", c.Appetite)
	for l := len(c.Matrix); l >= 1; l-- {
		row := fmt.Sprintf("%-15s", c.Likelihood[l-1].Name)
		for k := 1; k <= len(c.Consequence); k++ {
			lev, _ := c.LevelAt(l, k)
			row += fmt.Sprintf(" %-8s", c.Levels[lev-1].Name)
		}
		fmt.Println(strings.TrimSpace(row))
	}
	// Output:
	// aimskit-5x5 version 1 - appetite: medium
	// almost-certain  medium   high     high     critical critical
	// likely          low      medium   high     high     critical
	// possible        low      medium   medium   high     high
	// unlikely        low      low      medium   medium   high
	// rare            low      low      low      low      medium
}

func ExampleCriteria_Score() {
	c, _ := risk.Builtin("aimskit-4x4")
	// Grades are ranks (1 is the lowest) or names on the scale.
	s, err := c.Score(risk.Rating{
		Likelihood:  risk.Grade{Name: "likely"},
		Consequence: risk.Grade{Rank: 4},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s, "within appetite:", c.WithinAppetite(s.Level))
	// Output:
	// critical (L3 C4) within appetite: false
}

func ExampleCriteria_Validate() {
	c, _ := risk.Builtin("aimskit-3x3")
	c.Matrix[2] = []int{3, 2, 3} // the level drops as the consequence grows
	fmt.Println(c.Validate())
	// Output:
	// /matrix/2/1: level 2 is lower than level 3 at likelihood 3, consequence 1: levels must not decrease as consequence grows
}

func ExampleEvaluate() {
	grade := func(n int) risk.Grade { return risk.Grade{Rank: n} }
	a := &risk.Assessment{
		ID:       uuid.MustParse("2b7e4c91-5d3a-4f8e-b1c6-7a9d0e3f5b21"),
		System:   uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"),
		Criteria: risk.CriteriaRef{Name: "aimskit-5x5", Version: "1"},
		Risks: []risk.Risk{{
			ID:       "R-01",
			Title:    "Scores disadvantage young applicants",
			Source:   risk.SourceMachineLearning,
			Stage:    inventory.StageDesignAndDevelopment,
			Inherent: risk.Rating{Likelihood: grade(4), Consequence: grade(4)},
			Treatment: risk.Treatment{
				Options:  []risk.TreatmentOption{risk.TreatmentChangeLikelihood},
				Controls: []string{"iso42001:A.7.4"},
				Plan: []risk.PlanItem{{
					Action: "Fairness tests in the release gate",
					Owner:  "Model Validation",
					Due:    document.MustDate("2026-11-30"),
				}},
			},
			Residual: risk.Rating{Likelihood: grade(3), Consequence: grade(4)},
		}},
		NextReview: document.MustDate("2027-03-31"),
	}
	c, err := a.ResolveCriteria(nil) // the built-in aimskit-5x5
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) // an injected clock
	s, err := risk.Evaluate(a, c, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := s.Results[0]
	fmt.Println("inherent:", r.Inherent)
	fmt.Println("residual:", r.Residual)
	fmt.Println("above appetite, not accepted:", s.Unaccepted)
	for _, o := range s.Overdue {
		fmt.Printf("overdue: %s %q (%s, due %s)\n", o.Risk, o.Action, o.Owner, o.Due)
	}
	fmt.Println("needs attention:", s.NeedsAttention())
	// Output:
	// inherent: high (L4 C4)
	// residual: high (L3 C4)
	// above appetite, not accepted: [R-01]
	// overdue: R-01 "Fairness tests in the release gate" (Model Validation, due 2026-11-30)
	// needs attention: true
}

func ExampleDocumentTypes() {
	dec, err := document.NewDecoder(risk.DocumentTypes(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = dec.Decode("risk-assessment.yaml", []byte(`apiVersion: aimskit.dev/v1alpha1
kind: RiskAssessment
id: 2b7e4c91-5d3a-4f8e-b1c6-7a9d0e3f5b21
system: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
scope: Scoring of consumer-loan applications
criteria: {name: aimskit-5x5, version: "1"}
assessor: Model Risk Analyst
date: 2026-09-28
method: ISO/IEC 23894 clause 6 workshop
risks:
  - id: R-01
    title: Scores disadvantage young applicants
    source: machine-learning
    objectives: [fairness]
    stage: design-and-development
    consequences:
      organisation: {description: Fines and reputational damage}
      individuals: {description: Unfair refusal of credit}
      society: {description: Financial exclusion}
    inherent: {likelihood: likely, consequence: major}
    treatment:
      options: [change-likelihood]
      controls: [iso42001:A.7.4, iso42001:A.12.1]
    acceptance:
      approver: Chief Risk Officer
      date: 2026-10-05
      rationale: Accepted until the fairness tests ship
      expires: 2026-10-01
      rating: {likelihood: likely, consequence: major}
nextReview: 2027-03-31
`))
	fmt.Println(err)
	// Output:
	// risk-assessment.yaml:/risks/0/treatment/controls/1: "iso42001:A.12.1" is not an ISO/IEC 42001 Annex A control (A.2.2 to A.10.4) (line 23)
	// risk-assessment.yaml:/risks/0/acceptance/expires: 2026-10-01 is not after the acceptance date 2026-10-05 (line 28)
}
