package risk_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/risk"
)

// builtinTests write out, cell by cell, the level names the matrix of each
// built-in criteria set must derive: want[l-1][c-1] for likelihood rank l
// and consequence rank c, lowest likelihood first.
var builtinTests = []struct {
	name        string
	likelihood  []string
	consequence []string
	appetite    string
	want        [][]string
}{
	{
		name:        "aimskit-3x3",
		likelihood:  []string{"unlikely", "possible", "likely"},
		consequence: []string{"minor", "moderate", "major"},
		appetite:    "low",
		want: [][]string{
			{"low", "low", "medium"},
			{"low", "medium", "high"},
			{"medium", "high", "high"},
		},
	},
	{
		name:        "aimskit-4x4",
		likelihood:  []string{"rare", "unlikely", "likely", "almost-certain"},
		consequence: []string{"minor", "moderate", "major", "severe"},
		appetite:    "medium",
		want: [][]string{
			{"low", "low", "medium", "medium"},
			{"low", "medium", "medium", "high"},
			{"medium", "medium", "high", "critical"},
			{"medium", "high", "critical", "critical"},
		},
	},
	{
		name:        "aimskit-5x5",
		likelihood:  []string{"rare", "unlikely", "possible", "likely", "almost-certain"},
		consequence: []string{"negligible", "minor", "moderate", "major", "severe"},
		appetite:    "medium",
		want: [][]string{
			{"low", "low", "low", "low", "medium"},
			{"low", "low", "medium", "medium", "high"},
			{"low", "medium", "medium", "high", "high"},
			{"low", "medium", "high", "high", "critical"},
			{"medium", "high", "high", "critical", "critical"},
		},
	},
}

func TestBuiltinLevels(t *testing.T) {
	for _, tt := range builtinTests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := risk.Builtin(tt.name)
			if !ok {
				t.Fatalf("Builtin(%q) not found", tt.name)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("Builtin(%q).Validate() = %v, want nil", tt.name, err)
			}
			if c.Version != risk.BuiltinVersion || c.Kind != risk.KindCriteria || c.APIVersion != document.APIVersion {
				t.Errorf("Builtin(%q) header = %q %q version %q", tt.name, c.APIVersion, c.Kind, c.Version)
			}
			if c.Appetite != tt.appetite {
				t.Errorf("Appetite = %q, want %q", c.Appetite, tt.appetite)
			}
			for l, row := range tt.want {
				for k, want := range row {
					// By rank.
					lev, ok := c.LevelAt(l+1, k+1)
					if !ok || c.Levels[lev-1].Name != want {
						t.Errorf("LevelAt(%d, %d) = %d, %v; want level %s", l+1, k+1, lev, ok, want)
					}
					// By name, through Score.
					r := risk.Rating{Likelihood: risk.Grade{Name: tt.likelihood[l]}, Consequence: risk.Grade{Name: tt.consequence[k]}}
					s, err := c.Score(r)
					if err != nil {
						t.Fatalf("Score(%v) error: %v", r, err)
					}
					wantScore := risk.Score{Likelihood: l + 1, Consequence: k + 1, Level: lev, Name: want}
					if s != wantScore {
						t.Errorf("Score(%s x %s) = %+v, want %+v", tt.likelihood[l], tt.consequence[k], s, wantScore)
					}
				}
			}
			if _, ok := c.LevelAt(len(tt.want)+1, 1); ok {
				t.Errorf("LevelAt(%d, 1) is ok beyond the scale", len(tt.want)+1)
			}
			if _, ok := c.LevelAt(1, 0); ok {
				t.Error("LevelAt(1, 0) is ok, want false")
			}
		})
	}
}

func TestBuiltinReturnsCopies(t *testing.T) {
	c, _ := risk.Builtin(risk.Builtin5x5)
	c.Matrix[0][0] = 4
	c.Levels[0].Name = "changed"
	c.Likelihood[0].Name = "changed"
	again, _ := risk.Builtin(risk.Builtin5x5)
	if again.Matrix[0][0] != 1 || again.Levels[0].Name != "low" || again.Likelihood[0].Name != "rare" {
		t.Errorf("Builtin() shares state between calls: %+v", again)
	}
	all := risk.BuiltinCriteria()
	var names []string
	for _, c := range all {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"aimskit-3x3", "aimskit-4x4", "aimskit-5x5"}, names); diff != "" {
		t.Errorf("BuiltinCriteria() names mismatch (-want +got):\n%s", diff)
	}
	if _, ok := risk.Builtin("aimskit-7x7"); ok {
		t.Error(`Builtin("aimskit-7x7") found, want not found`)
	}
}

func TestCriteriaClone(t *testing.T) {
	c, _ := risk.Builtin(risk.Builtin4x4)
	d := c.Clone()
	d.Matrix[3][3] = 1
	d.Consequence[0].Name = "x"
	if c.Matrix[3][3] != 4 || c.Consequence[0].Name != "minor" {
		t.Error("Clone() shares slices with the original")
	}
}

// criteria3x3 returns valid 3x3 criteria to break in table rows.
func criteria3x3() risk.Criteria {
	c, _ := risk.Builtin(risk.Builtin3x3)
	return c
}

// criteriaTests are also seeds of FuzzDecodeCriteria.
var criteriaTests = []struct {
	name   string
	mutate func(c *risk.Criteria)
	want   []string // "pointer: message" of each problem
}{
	{"valid", func(c *risk.Criteria) {}, nil},
	{"hole: short row", func(c *risk.Criteria) { c.Matrix[1] = []int{1, 2} },
		[]string{"/matrix/1: has 2 cells, want one per consequence value (3)"}},
	{"hole: missing row", func(c *risk.Criteria) { c.Matrix = c.Matrix[:2] },
		[]string{"/matrix: has 2 rows, want one per likelihood value (3)"}},
	{"hole: unset cell", func(c *risk.Criteria) { c.Matrix[2][0] = 0 },
		[]string{"/matrix/2/0: level 0 is out of range: want 1 to 3 (a rank in levels)"}},
	{"level out of range", func(c *risk.Criteria) { c.Matrix[2][2] = 4 },
		[]string{"/matrix/2/2: level 4 is out of range: want 1 to 3 (a rank in levels)"}},
	{"decreasing with consequence", func(c *risk.Criteria) { c.Matrix[2] = []int{3, 2, 3} },
		[]string{"/matrix/2/1: level 2 is lower than level 3 at likelihood 3, consequence 1: levels must not decrease as consequence grows"}},
	{"decreasing with likelihood", func(c *risk.Criteria) { c.Matrix[2] = []int{2, 2, 2} },
		[]string{"/matrix/2/2: level 2 is lower than level 3 at likelihood 2, consequence 3: levels must not decrease as likelihood grows"}},
	{"no matrix", func(c *risk.Criteria) { c.Matrix = nil },
		[]string{"/matrix: is required: one row per likelihood value, one cell per consequence value"}},
	{"scale too small", func(c *risk.Criteria) {
		c.Likelihood = c.Likelihood[:2]
		c.Matrix = c.Matrix[:2]
	}, []string{"/likelihood: has 2 values, want 3 to 6"}},
	{"scale too large", func(c *risk.Criteria) {
		for i := range 4 {
			c.Consequence = append(c.Consequence, risk.ScaleValue{Name: fmt.Sprint("extra-", i)})
			for l := range c.Matrix {
				c.Matrix[l] = append(c.Matrix[l], 3)
			}
		}
	}, []string{"/consequence: has 7 values, want 3 to 6"}},
	{"duplicate and missing names", func(c *risk.Criteria) {
		c.Likelihood[2].Name = "unlikely"
		c.Levels[1].Name = " "
	}, []string{`/likelihood/2/name: "unlikely" is also the name of value 1`, "/levels/1/name: is required"}},
	{"unknown appetite", func(c *risk.Criteria) { c.Appetite = "tolerable" },
		[]string{`/appetite: "tolerable" is not one of the levels (low, medium, high)`}},
	{"missing identity", func(c *risk.Criteria) { c.Name, c.Version, c.Appetite = "", "", "" },
		[]string{"/name: is required", "/version: is required", "/appetite: is required: name the highest level acceptable without a formal acceptance"}},
	{"bad name and kind", func(c *risk.Criteria) { c.Name, c.Kind = "My Criteria", "RiskAssessment" },
		[]string{`/kind: is "RiskAssessment", want "RiskCriteria"`, `/name: "My Criteria" must be lower-case letters, digits, dots, underscores or hyphens`}},
}

func TestCriteriaValidate(t *testing.T) {
	for _, tt := range criteriaTests {
		t.Run(tt.name, func(t *testing.T) {
			c := criteria3x3()
			tt.mutate(&c)
			got := documenttest.ProblemStrings(t, c.Validate())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCriteriaValidateZero(t *testing.T) {
	var c risk.Criteria
	got := documenttest.Pointers(documenttest.Problems(t, c.Validate()))
	want := []string{"/name", "/version", "/likelihood", "/consequence", "/levels", "/matrix", "/appetite"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zero Criteria Validate() pointers mismatch (-want +got):\n%s", diff)
	}
}

func TestScoreErrors(t *testing.T) {
	c := criteria3x3()
	tests := []struct {
		name string
		r    risk.Rating
		want string
	}{
		{"rank too high", risk.Rating{Likelihood: risk.Grade{Rank: 4}, Consequence: risk.Grade{Rank: 1}},
			"risk: likelihood 4 is not on the likelihood scale of criteria aimskit-3x3 version 1 (want 1 to 3, or one of unlikely, possible, likely)"},
		{"unknown name", risk.Rating{Likelihood: risk.Grade{Rank: 1}, Consequence: risk.Grade{Name: "severe"}},
			`risk: consequence "severe" is not on the consequence scale of criteria aimskit-3x3 version 1 (want 1 to 3, or one of minor, moderate, major)`},
		{"unset", risk.Rating{},
			"risk: likelihood unset is not on the likelihood scale of criteria aimskit-3x3 version 1 (want 1 to 3, or one of unlikely, possible, likely)"},
		{"rank and name", risk.Rating{Likelihood: risk.Grade{Rank: 1, Name: "unlikely"}, Consequence: risk.Grade{Rank: 1}},
			`risk: likelihood "unlikely" is not on the likelihood scale of criteria aimskit-3x3 version 1 (want 1 to 3, or one of unlikely, possible, likely)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Score(tt.r)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Score(%+v) error = %v, want %s", tt.r, err, tt.want)
			}
		})
	}
}

func TestGradeJSON(t *testing.T) {
	tests := []struct {
		name string
		json string
		want risk.Grade
	}{
		{"rank", `3`, risk.Grade{Rank: 3}},
		{"rank written as float", `3.0`, risk.Grade{Rank: 3}},
		{"name", `"likely"`, risk.Grade{Name: "likely"}},
		{"escaped name", `"almost\u002dcertain"`, risk.Grade{Name: "almost-certain"}},
		{"null", `null`, risk.Grade{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var g risk.Grade
			if err := json.Unmarshal([]byte(tt.json), &g); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.json, err)
			}
			if g != tt.want {
				t.Errorf("Unmarshal(%s) = %+v, want %+v", tt.json, g, tt.want)
			}
			b, err := json.Marshal(g)
			if err != nil {
				t.Fatal(err)
			}
			var back risk.Grade
			if err := json.Unmarshal(b, &back); err != nil || back != g {
				t.Errorf("round trip of %+v through %s = %+v, %v", g, b, back, err)
			}
		})
	}
	for _, bad := range []string{`0`, `-1`, `2.5`, `1e9`, `true`, `[1]`, `"\x"`} {
		var g risk.Grade
		if err := json.Unmarshal([]byte(bad), &g); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, want an error", bad, g)
		}
	}
}

// TestCriteriaSchemaInSync checks that the copy of the criteria schema in
// the assessment schema (for inline criteria) is the same as the schema of
// the RiskCriteria kind.
func TestCriteriaSchemaInSync(t *testing.T) {
	var crit, assess struct {
		ID   string                     `json:"$id"`
		Defs map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(risk.CriteriaSchema(), &crit); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(risk.AssessmentSchema(), &assess); err != nil {
		t.Fatal(err)
	}
	if crit.ID != risk.CriteriaSchemaID || assess.ID != risk.AssessmentSchemaID {
		t.Errorf("schema ids = %s, %s; want %s, %s", crit.ID, assess.ID, risk.CriteriaSchemaID, risk.AssessmentSchemaID)
	}
	for name, def := range crit.Defs {
		if got := assess.Defs[name]; string(got) != string(def) {
			t.Errorf("$defs/%s differs between the criteria and the assessment schema", name)
		}
	}
}

// TestDecodeCriteriaDocument decodes criteria written as a document of
// their own.
func TestDecodeCriteriaDocument(t *testing.T) {
	d := newDecoder(t)
	for _, c := range risk.BuiltinCriteria() {
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		v, err := d.Decode(c.Name+".json", data)
		if err != nil {
			t.Fatalf("Decode(%s): %v", c.Name, err)
		}
		if diff := cmp.Diff(&c, v); diff != "" {
			t.Errorf("Decode(Marshal(%s)) mismatch (-want +got):\n%s", c.Name, diff)
		}
	}
	const decreasing = `apiVersion: aimskit.dev/v1alpha1
kind: RiskCriteria
name: house
version: "2"
likelihood: [{name: low}, {name: mid}, {name: high}]
consequence: [{name: low}, {name: mid}, {name: high}]
levels: [{name: ok}, {name: not-ok}]
matrix:
  - [1, 1, 2]
  - [1, 2, 1]
  - [2, 2, 2]
appetite: ok
`
	_, err := d.Decode("house.yaml", []byte(decreasing))
	want := []string{
		"/matrix/1/2: level 1 is lower than level 2 at likelihood 2, consequence 2: levels must not decrease as consequence grows (line 10)",
		"/matrix/1/2: level 1 is lower than level 2 at likelihood 1, consequence 3: levels must not decrease as likelihood grows (line 10)",
	}
	var got []string
	for _, p := range documenttest.Problems(t, err) {
		got = append(got, p.Pointer+": "+p.Message+fmt.Sprintf(" (line %d)", p.Line))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Decode(decreasing matrix) problems mismatch (-want +got):\n%s", diff)
	}
}

// Helpers shared by the tests of this package.

func newDecoder(t testing.TB) *document.Decoder {
	t.Helper()
	d, err := document.NewDecoder(risk.DocumentTypes(), nil)
	if err != nil {
		t.Fatalf("NewDecoder: %v", err)
	}
	return d
}
