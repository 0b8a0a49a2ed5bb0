package document_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

func inventoryTypes() []document.Type { return inventory.DocumentTypes() }

func newDecoder(t testing.TB) *document.Decoder {
	t.Helper()
	d, err := document.NewDecoder(inventory.DocumentTypes(), &document.DecoderOptions{MaxSize: 64 << 10})
	if err != nil {
		t.Fatalf("NewDecoder: %v", err)
	}
	return d
}

const validYAML = `apiVersion: aimskit.dev/v1alpha1
kind: AISystem
id: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
name: Scoring
accountability:
  businessOwner: {name: Owner}
  technicalLead: {name: Lead}
purpose:
  intended: Score loans
lifecycle:
  stage: inception
  history: []
classification:
  category: minimal
  placedOnMarket: 2026-01-02
`

const validJSON = `{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","id":"6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10",
"name":"Scoring","accountability":{"businessOwner":{"name":"Owner"},"technicalLead":{"name":"Lead"}},
"purpose":{"intended":"Score loans"},"lifecycle":{"stage":"inception"},"classification":{"category":"minimal"}}`

// decodeTests are also the seeds of FuzzDecode.
var decodeTests = []struct {
	name string
	data string
	want []string // each problem as problemText has it
}{
	{"valid yaml", validYAML, nil},
	{"valid json", validJSON, nil},
	{"empty", "", []string{": document is empty"}},
	{"comment only", "# nothing\n", []string{": document is empty"}},
	{"scalar", "42", []string{": document must be an object with apiVersion and kind"}},
	{"list", "- a\n- b\n", []string{": document must be an object with apiVersion and kind"}},
	{"malformed yaml", "apiVersion: [x\n", []string{"/apiVersion: invalid YAML: the list opened here with [ is not closed with ] (line 1, column 13)"}},
	{"duplicate yaml key", validYAML + "name: again\n", []string{`/name: key "name" is repeated (line 16, column 1)`}},
	{"duplicate json key", `{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","kind":"AISystem"}`, []string{`/kind: key "kind" is repeated (line 1, column 56)`}},
	{"two documents", validYAML + "---\n" + validYAML, []string{": file holds more than one YAML document; put one document in each file"}},
	{"no header", "name: x\n", []string{`/apiVersion: is required (want "aimskit.dev/v1alpha1")`, "/kind: is required (one of AISystem)"}},
	{"wrong version", strings.Replace(validYAML, "v1alpha1", "v9", 1), []string{`/apiVersion: unsupported apiVersion "aimskit.dev/v9", want "aimskit.dev/v1alpha1"`}},
	{"unknown kind", strings.Replace(validYAML, "kind: AISystem", "kind: Spaceship", 1), []string{`/kind: unknown kind "Spaceship" (want one of AISystem)`}},
	{"kind not a string", strings.Replace(validYAML, "kind: AISystem", "kind: [1]", 1), []string{`/kind: unknown kind [1] (want one of AISystem)`}},
	{"unknown field", validYAML + "colour: red\n", []string{"/colour: unknown field"}},
	{"nested unknown field", strings.Replace(validYAML, "intended: Score loans", "intended: Score loans\n  intent: x", 1), []string{"/purpose/intent: unknown field"}},
	{"missing fields", "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nid: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10\nname: x\n",
		[]string{"/accountability: is required", "/purpose: is required", "/lifecycle: is required", "/classification: is required"}},
	{"wrong type", strings.Replace(validYAML, "name: Scoring", "name: 12", 1), []string{`/name: expected a string, but got the number 12; put it in quotes: name: "12"`}},
	{"bad enum", strings.Replace(validYAML, "stage: inception", "stage: beta", 1), []string{`/lifecycle/stage: value must be one of "inception", "design-and-development", "verification-and-validation", "deployment", "operation-and-monitoring", "continuous-validation", "re-evaluation", "retirement"`}},
	{"bad uuid", strings.Replace(validYAML, "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10", "not-a-uuid", 1), []string{`/id: "not-a-uuid" is not a UUID such as 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10`}},
	{"bad date", strings.Replace(validYAML, "2026-01-02", "2026-13-45", 1), []string{`/classification/placedOnMarket: "2026-13-45" is not a date written YYYY-MM-DD, such as 2026-08-02`}},
	{"semantic problem", strings.Replace(validYAML, "category: minimal", "category: prohibited", 1), []string{`/classification/prohibitedPractice: is "", want the Art. 5(1) point a to h, or ncii`}},
	{"alias", "a: &x [1, 2]\nb: *x\n", []string{"/b: YAML aliases (*x) are not supported: write the value out (line 2, column 4)"}},
	{"billion laughs", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", []string{"/b/0: YAML aliases (*a) are not supported: write the value out (line 2, column 8)"}},
	{"merge key", "base: &b {x: 1}\nother:\n  <<: {y: 2}\n", []string{"/other: YAML merge keys (<<) are not supported: write the fields out (line 3, column 3)"}},
	{"infinity", "apiVersion: .inf\n", []string{`/apiVersion: cannot read ".inf" as a number (JSON has no infinity or NaN) (line 1, column 13)`}},
	{"bad explicit int", "apiVersion: !!int abc\n", []string{`/apiVersion: cannot read "abc" as an integer (line 1, column 13)`}},
	{"custom tag", "apiVersion: !secret abc\n", []string{"/apiVersion: unsupported YAML tag !secret (line 1, column 13)"}},
	{"complex key", "? [a, b]\n: c\n", []string{": a mapping key must be a plain value (line 1, column 3)"}},
	{"deep nesting", strings.Repeat("[", 70) + strings.Repeat("]", 70), []string{strings.Repeat("/0", 64) + ": nesting is deeper than 64 levels (line 1, column 65)"}},
	{"yes stays a string", strings.Replace(validYAML, "name: Scoring", "name: yes", 1), nil},
	{"oversized", "# " + strings.Repeat("x", 64<<10) + "\n", []string{": document is 65539 bytes, larger than the limit of 65536 bytes"}},
}

func TestDecode(t *testing.T) {
	d := newDecoder(t)
	for _, tt := range decodeTests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := d.Decode("f.yaml", []byte(tt.data))
			var got []string
			if err != nil {
				var de *document.Error
				if !errors.As(err, &de) {
					t.Fatalf("Decode() error %v is a %T, want *document.Error", err, err)
				}
				for _, p := range de.Problems {
					if p.File != "f.yaml" {
						t.Errorf("problem %+v has file %q, want f.yaml", p, p.File)
					}
					got = append(got, problemText(p))
				}
				if v != nil {
					t.Errorf("Decode() returned a value and an error")
				}
			} else if _, ok := v.(*inventory.System); !ok {
				t.Errorf("Decode() = %T, want *inventory.System", v)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeValue(t *testing.T) {
	d := newDecoder(t)
	v, err := d.Decode("a.yaml", []byte(validYAML))
	if err != nil {
		t.Fatal(err)
	}
	s := v.(*inventory.System)
	if s.Name != "Scoring" || s.Kind != inventory.KindSystem || s.Classification.PlacedOnMarket != document.MustDate("2026-01-02") {
		t.Errorf("Decode() = %+v", s)
	}
}

func TestDecodeLines(t *testing.T) {
	d := newDecoder(t)
	data := strings.Replace(validYAML, "stage: inception", "stage: beta", 1) + "colour: red\n"
	_, err := d.Decode("f.yaml", []byte(data))
	var de *document.Error
	if !errors.As(err, &de) {
		t.Fatalf("Decode() error = %v", err)
	}
	var got []string
	for _, p := range de.Problems {
		got = append(got, fmt.Sprintf("%s@%d", p.Pointer, p.Line))
	}
	want := []string{"/lifecycle/stage@11", "/colour@16"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problem lines mismatch (-want +got):\n%s\n%v", diff, err)
	}
}

func TestKindOf(t *testing.T) {
	h, err := document.KindOf([]byte(validYAML))
	if err != nil {
		t.Fatal(err)
	}
	if want := (document.Header{APIVersion: document.APIVersion, Kind: "AISystem"}); h != want {
		t.Errorf("KindOf() = %+v, want %+v", h, want)
	}
}

func TestNewDecoderRejectsDuplicateKinds(t *testing.T) {
	types := append(inventory.DocumentTypes(), inventory.DocumentTypes()...)
	if _, err := document.NewDecoder(types, nil); err == nil {
		t.Error("NewDecoder(duplicate kinds) = nil error, want an error")
	}
}

func FuzzDecode(f *testing.F) {
	for _, tt := range decodeTests {
		f.Add([]byte(tt.data))
	}
	d := newDecoder(f)
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
		// A decoded document is valid, so it validates again and its
		// obligations can be derived.
		s := v.(*inventory.System)
		if err := s.Validate(); err != nil {
			t.Fatalf("decoded document does not validate: %v", err)
		}
		_ = s.Obligations()
		_ = s.Clone()
	})
}

// problemText returns "pointer: message" of a problem, followed by its
// line and column when it has a column, as problems found while parsing
// do.
func problemText(p document.Problem) string {
	s := p.Pointer + ": " + p.Message
	if p.Column > 0 {
		s += fmt.Sprintf(" (line %d, column %d)", p.Line, p.Column)
	}
	return s
}
