package oscal_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/export/oscal"
)

func ExampleExport() {
	f, err := aims.Load(context.Background(), os.DirFS("../../../examples/credit-scoring/governance"))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := oscal.Export(f, &oscal.Options{
		Time: func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var ar struct {
		AssessmentResults struct {
			Results []struct {
				Findings []json.RawMessage
			}
		} `json:"assessment-results"`
	}
	if err := json.Unmarshal(out, &ar); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("findings:", len(ar.AssessmentResults.Results[0].Findings))
	// Output:
	// findings: 38
}
