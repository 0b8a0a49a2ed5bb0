package risk_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/risk"
)

// checkDecodeError fails unless err is a *document.Error whose problems
// name the file and say something.
func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	var de *document.Error
	if !errors.As(err, &de) || len(de.Problems) == 0 {
		t.Fatalf("Decode() error %v is not a *document.Error with problems", err)
	}
	for _, p := range de.Problems {
		if p.File != "fuzz.yaml" || p.Message == "" {
			t.Fatalf("problem %+v lacks file or message", p)
		}
	}
}

// roundTrip marshals a decoded document to JSON and decodes it again: the
// result must decode without problems and equal v.
func roundTrip(t *testing.T, d *document.Decoder, v document.Validator) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(decoded document): %v", err)
	}
	back, err := d.Decode("fuzz.json", b)
	if err != nil {
		t.Fatalf("decoded document does not decode after a JSON round trip: %v\n%s", err, b)
	}
	if diff := cmp.Diff(v, back); diff != "" {
		t.Fatalf("JSON round trip changed the document (-before +after):\n%s", diff)
	}
}

// FuzzDecodeAssessment decodes arbitrary bytes as a RiskAssessment through
// the strict decoder. Bad input must give a *document.Error, never a
// panic; a decoded assessment must validate again, resolve, evaluate and
// survive a JSON round trip.
func FuzzDecodeAssessment(f *testing.F) {
	d := newDecoder(f)
	f.Add(documenttest.ReadExample(f, "risk-assessment.yaml"))
	for _, tt := range assessmentTests {
		a := validAssessment()
		tt.mutate(a)
		b, err := json.Marshal(a)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("apiVersion: aimskit.dev/v1alpha1\nkind: RiskAssessment\nrisks: [{}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := d.Decode("fuzz.yaml", data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		switch a := v.(type) {
		case *risk.Assessment:
			if err := a.Validate(); err != nil {
				t.Fatalf("decoded assessment does not validate: %v", err)
			}
			_ = a.Controls()
			if c, err := a.ResolveCriteria(nil); err == nil {
				_ = a.ValidateWith(c)
				_, _ = risk.Evaluate(a, c, at("2026-10-20"))
			}
			if diff := cmp.Diff(a, a.Clone()); diff != "" {
				t.Fatalf("Clone() differs (-orig +clone):\n%s", diff)
			}
		case *risk.Criteria:
			checkCriteria(t, a)
		default:
			t.Fatalf("Decode() = %T", v)
		}
		roundTrip(t, d, v)
	})
}

// FuzzDecodeCriteria decodes arbitrary bytes as RiskCriteria. Decoded
// criteria must be valid, so every cell has a level and levels never
// decrease.
func FuzzDecodeCriteria(f *testing.F) {
	d := newDecoder(f)
	for _, c := range risk.BuiltinCriteria() {
		b, err := json.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, tt := range criteriaTests {
		c := criteria3x3()
		tt.mutate(&c)
		b, err := json.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("apiVersion: aimskit.dev/v1alpha1\nkind: RiskCriteria\nname: x\nversion: '1'\n" +
		"likelihood: [{name: a}, {name: b}, {name: c}]\nconsequence: [{name: a}, {name: b}, {name: c}]\n" +
		"levels: [{name: lo}, {name: hi}]\nmatrix: [[1, 1, 2], [1, 2, 2], [2, 2, 2]]\nappetite: lo\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := d.Decode("fuzz.yaml", data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if c, ok := v.(*risk.Criteria); ok {
			checkCriteria(t, c)
		}
		roundTrip(t, d, v)
	})
}

// checkCriteria checks the properties valid criteria guarantee.
func checkCriteria(t *testing.T, c *risk.Criteria) {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatalf("decoded criteria do not validate: %v", err)
	}
	for l := 1; l <= len(c.Likelihood); l++ {
		for k := 1; k <= len(c.Consequence); k++ {
			lev, ok := c.LevelAt(l, k)
			if !ok {
				t.Fatalf("valid criteria have no level at L%d C%d", l, k)
			}
			if up, _ := c.LevelAt(l+1, k); l < len(c.Likelihood) && up < lev {
				t.Fatalf("level decreases from L%d to L%d at C%d", l, l+1, k)
			}
			if right, _ := c.LevelAt(l, k+1); k < len(c.Consequence) && right < lev {
				t.Fatalf("level decreases from C%d to C%d at L%d", k, k+1, l)
			}
		}
	}
}
