package impact_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
)

// FuzzDecodeAssessment decodes arbitrary bytes as an ImpactAssessment
// through the strict decoder. Bad input must give a *document.Error, never
// a panic; a decoded assessment must validate again, answer ValidateFor,
// ReviewDue, Level, Use and UncoveredHarms, and survive a JSON round trip.
func FuzzDecodeAssessment(f *testing.F) {
	d, err := document.NewDecoder(impact.DocumentTypes(), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(documenttest.ReadExample(f, "impact-assessment.yaml"))
	for _, tt := range validateTests {
		a := validAssessment()
		tt.mutate(a)
		b, err := json.Marshal(a)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("apiVersion: aimskit.dev/v1alpha1\nkind: ImpactAssessment\nimpacts: [{}]\nfria: {}\n"))
	sys := creditSystem()
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := d.Decode("fuzz.yaml", data)
		if err != nil {
			var de *document.Error
			if !errors.As(err, &de) || len(de.Problems) == 0 {
				t.Fatalf("Decode() error %v is not a *document.Error with problems", err)
			}
			for _, p := range de.Problems {
				if p.File != "fuzz.yaml" || p.Message == "" {
					t.Fatalf("problem %+v lacks file or message", p)
				}
			}
			return
		}
		a := v.(*impact.Assessment)
		if err := a.Validate(); err != nil {
			t.Fatalf("decoded assessment does not validate: %v", err)
		}
		_ = a.ValidateFor(sys)
		_ = a.ValidateFor(&inventory.System{})
		_, _ = impact.ReviewDue(a, sys, at("2026-10-20"))
		if l := a.Level(); l.Rank() == 0 {
			t.Fatalf("Level() = %q, not a level", l)
		}
		_ = a.Use()
		_ = impact.UncoveredHarms(a, nil)
		if diff := cmp.Diff(a, a.Clone()); diff != "" {
			t.Fatalf("Clone() differs (-orig +clone):\n%s", diff)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("Marshal(decoded assessment): %v", err)
		}
		back, err := d.Decode("fuzz.json", b)
		if err != nil {
			t.Fatalf("decoded assessment does not decode after a JSON round trip: %v\n%s", err, b)
		}
		if diff := cmp.Diff(v, back); diff != "" {
			t.Fatalf("JSON round trip changed the assessment (-before +after):\n%s", diff)
		}
	})
}
