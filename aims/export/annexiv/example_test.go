package annexiv_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/export/annexiv"
)

func ExampleBuild() {
	f, err := aims.Load(context.Background(), os.DirFS("../../../examples/credit-scoring/governance"))
	if err != nil {
		fmt.Println(err)
		return
	}
	system := uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10") // Consumer credit scoring
	doc, err := annexiv.Build(f, system, &annexiv.Options{
		Time: func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := doc.Sections[0].Items[0]
	fmt.Println(a.ID, a.Title, "-", a.Status)
	fmt.Println(a.Statements[0].Text)
	fmt.Println("source:", a.Statements[0].Sources[0])
	fmt.Println("to write:", a.Needed)
	d := doc.Sections[7].Items[0]
	fmt.Println(d.ID, d.Title, "-", d.Status)
	// Output:
	// 1(a) Intended purpose, provider and version - partial
	// Intended purpose: Estimate the probability of default of a consumer-loan applicant to support, not replace, the loan officer's decision.
	// source: ai-system-credit-scoring.yaml#/purpose/intended
	// to write: how this version relates to previous versions of the system
	// 8 Copy of the EU declaration of conformity - placeholder
}
