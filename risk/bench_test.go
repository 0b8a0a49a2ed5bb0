package risk_test

import (
	"fmt"
	"testing"

	"github.com/aimskit/aimskit/risk"
)

// manyRisks returns a valid assessment with n risks spread over the
// 5x5 matrix, a fifth of them above the appetite with an acceptance and a
// plan item each.
func manyRisks(n int) *risk.Assessment {
	a := validAssessment()
	a.Risks = make([]risk.Risk, n)
	for i := range a.Risks {
		rating := rate(1+i%5, 1+(i/5)%5)
		r := newRisk(fmt.Sprintf("R-%03d", i), rating, rating)
		if i%5 == 0 {
			r.Acceptance = &risk.Acceptance{
				Approver:  "Chief Risk Officer",
				Date:      date("2026-10-05"),
				Rationale: "accepted",
				Expires:   date("2027-03-31"),
				Rating:    rating,
			}
		}
		a.Risks[i] = r
	}
	return a
}

func BenchmarkEvaluate200(b *testing.B) {
	a := manyRisks(200)
	c := builtin5x5(b)
	now := at("2026-12-01")
	if _, err := risk.Evaluate(a, c, now); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := risk.Evaluate(a, c, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate200(b *testing.B) {
	a := manyRisks(200)
	c := builtin5x5(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Validate(); err != nil {
			b.Fatal(err)
		}
		if err := a.ValidateWith(c); err != nil {
			b.Fatal(err)
		}
	}
}
