package risk

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aimskit/aimskit/document"
)

// KindCriteria is the document kind of [Criteria].
const KindCriteria = "RiskCriteria"

// Limits of the size of a risk matrix and of the number of level bands.
const (
	MinScale  = 3 // fewest values on a likelihood or consequence scale
	MaxScale  = 6 // most values on a likelihood or consequence scale
	MinLevels = 2 // fewest level bands
	MaxLevels = 6 // most level bands
)

// Criteria are AI risk criteria (ISO/IEC 42001 6.1.1; ISO/IEC 23894
// 6.3.4): a likelihood scale, a consequence scale, the level bands, a risk
// matrix that maps every (likelihood, consequence) pair to a level, and the
// risk appetite. They are document kind "RiskCriteria", and an
// [Assessment] either pins criteria by name and version or carries them
// inline. [Builtin] returns ready-made criteria.
//
// Scales and levels are ordered from lowest to highest, and positions on
// them are 1-based ranks: likelihood 1 is the lowest likelihood, level 1
// the lowest level. The risk level of a risk is never written down; it is
// always derived from the matrix ([Criteria.LevelAt], [Criteria.Score]).
//
// The zero value is empty; [Criteria.Validate] reports what is missing.
// Criteria are plain values: share them read-only, or [Criteria.Clone]
// them.
type Criteria struct {
	document.Header

	// Name identifies the criteria, e.g. "aimskit-5x5": lower-case
	// letters, digits, dots, underscores and hyphens.
	Name string `json:"name"`
	// Version is the version of the criteria, e.g. "1". An assessment pins
	// it, so that changing the criteria never silently re-rates risks.
	Version string `json:"version"`
	// Description says what the criteria are for and who set them.
	Description string `json:"description,omitempty"`
	// Likelihood is the likelihood scale, lowest first: 3 to 6 values.
	Likelihood []ScaleValue `json:"likelihood"`
	// Consequence is the consequence scale, lowest first: 3 to 6 values.
	Consequence []ScaleValue `json:"consequence"`
	// Levels are the risk level bands, lowest first: 2 to 6 bands, e.g.
	// low, medium, high, critical.
	Levels []Level `json:"levels"`
	// Matrix is the risk matrix: Matrix[l-1][c-1] is the rank of the level
	// (1 = Levels[0]) of a risk with likelihood rank l and consequence rank
	// c. It has one row per likelihood value, lowest likelihood first, and
	// one cell per consequence value, lowest consequence first. Levels
	// never decrease along a row or down a column.
	Matrix [][]int `json:"matrix"`
	// Appetite names the highest level that is acceptable without a
	// formal acceptance (the risk appetite). A residual risk above it
	// needs an [Acceptance] by designated management (6.1.3 h).
	Appetite string `json:"appetite"`
}

// ScaleValue is one value of a likelihood or consequence scale.
type ScaleValue struct {
	// Name is a short name, unique on its scale, e.g. "likely".
	Name string `json:"name"`
	// Description says when the value applies, e.g. "expected to occur
	// at least once a year".
	Description string `json:"description,omitempty"`
}

// Level is a risk level band.
type Level struct {
	// Name is a short name, unique among the levels, e.g. "high".
	Name string `json:"name"`
	// Description says what the level means and how it is handled.
	Description string `json:"description,omitempty"`
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// Validate reports every problem with c as a [*document.Error], with JSON
// pointers relative to the criteria: missing names, scale and level sizes
// out of bounds, duplicate names, a matrix that does not have one cell per
// (likelihood, consequence) pair, cells that name no level, levels that
// decrease as likelihood or consequence grow, and an appetite that names
// no level.
func (c *Criteria) Validate() error {
	var e document.Error
	if c.Kind != "" && c.Kind != KindCriteria {
		e.Add("/kind", "is %q, want %q", c.Kind, KindCriteria)
	}
	switch {
	case c.Name == "":
		e.Add("/name", "is required")
	case !nameRE.MatchString(c.Name):
		e.Add("/name", "%q must be lower-case letters, digits, dots, underscores or hyphens", c.Name)
	}
	if strings.TrimSpace(c.Version) == "" {
		e.Add("/version", "is required")
	}
	validateNames(&e, "likelihood", c.Likelihood, ScaleValue.name, MinScale, MaxScale)
	validateNames(&e, "consequence", c.Consequence, ScaleValue.name, MinScale, MaxScale)
	validateNames(&e, "levels", c.Levels, Level.name, MinLevels, MaxLevels)
	c.validateMatrix(&e)
	if c.Appetite == "" {
		e.Add("/appetite", "is required: name the highest level acceptable without a formal acceptance")
	} else if c.levelRank(c.Appetite) == 0 {
		e.Add("/appetite", "%q is not one of the levels (%s)", c.Appetite, c.levelNames())
	}
	return e.Err()
}

func (v ScaleValue) name() string { return v.Name }
func (l Level) name() string      { return l.Name }

// validateNames checks the size of a scale or of the levels and that
// their names are given and unique.
func validateNames[T any](e *document.Error, field string, vs []T, name func(T) string, lo, hi int) {
	if len(vs) < lo || len(vs) > hi {
		e.Add("/"+field, "has %d values, want %d to %d", len(vs), lo, hi)
	}
	for i, v := range vs {
		n := name(v)
		if strings.TrimSpace(n) == "" {
			e.Add(document.Pointer(field, i, "name"), "is required")
			continue
		}
		for j := range i {
			if name(vs[j]) == n {
				e.Add(document.Pointer(field, i, "name"), "%q is also the name of value %d", n, j+1)
				break
			}
		}
	}
}

func (c *Criteria) validateMatrix(e *document.Error) {
	nl, nc, nlev := len(c.Likelihood), len(c.Consequence), len(c.Levels)
	if len(c.Matrix) == 0 {
		e.Add("/matrix", "is required: one row per likelihood value, one cell per consequence value")
	} else if len(c.Matrix) != nl {
		e.Add("/matrix", "has %d rows, want one per likelihood value (%d)", len(c.Matrix), nl)
	}
	for l, row := range c.Matrix {
		if len(row) != nc {
			e.Add(document.Pointer("matrix", l), "has %d cells, want one per consequence value (%d)", len(row), nc)
		}
		for k, lev := range row {
			// The pointer is built only for a problem: this runs for every
			// cell on every evaluation.
			if lev < 1 || lev > nlev {
				e.Add(document.Pointer("matrix", l, k), "level %d is out of range: want 1 to %d (a rank in levels)", lev, nlev)
				continue
			}
			if k > 0 && row[k-1] >= 1 && row[k-1] <= nlev && lev < row[k-1] {
				e.Add(document.Pointer("matrix", l, k), "level %d is lower than level %d at likelihood %d, consequence %d: levels must not decrease as consequence grows",
					lev, row[k-1], l+1, k)
			}
			if l > 0 && k < len(c.Matrix[l-1]) {
				if above := c.Matrix[l-1][k]; above >= 1 && above <= nlev && lev < above {
					e.Add(document.Pointer("matrix", l, k), "level %d is lower than level %d at likelihood %d, consequence %d: levels must not decrease as likelihood grows",
						lev, above, l, k+1)
				}
			}
		}
	}
}

// LevelAt returns the rank of the level (1 is the lowest) of a risk with
// the given likelihood and consequence ranks, and whether both ranks are
// on the scales. It reads the matrix and does not validate c.
func (c *Criteria) LevelAt(likelihood, consequence int) (int, bool) {
	if likelihood < 1 || likelihood > len(c.Matrix) {
		return 0, false
	}
	row := c.Matrix[likelihood-1]
	if consequence < 1 || consequence > len(row) {
		return 0, false
	}
	lev := row[consequence-1]
	if lev < 1 || lev > len(c.Levels) {
		return 0, false
	}
	return lev, true
}

// Score is a [Rating] resolved against criteria: the ranks of its
// likelihood and consequence and the rank and name of the level the
// matrix derives from them. The zero Score means "not rated".
type Score struct {
	// Likelihood is the 1-based rank of the likelihood.
	Likelihood int `json:"likelihood"`
	// Consequence is the 1-based rank of the consequence.
	Consequence int `json:"consequence"`
	// Level is the 1-based rank of the derived level.
	Level int `json:"level"`
	// Name is the name of the derived level, e.g. "high".
	Name string `json:"name"`
}

// IsZero reports whether s is the zero Score.
func (s Score) IsZero() bool { return s == Score{} }

// String returns s as "high (L4 C3)", or "unrated" for the zero Score.
func (s Score) String() string {
	if s.IsZero() {
		return "unrated"
	}
	return fmt.Sprintf("%s (L%d C%d)", s.Name, s.Likelihood, s.Consequence)
}

// Score resolves a rating against c and derives its level. It returns an
// error when a grade is missing or not on c's scale.
func (c *Criteria) Score(r Rating) (Score, error) {
	l, ok := rank(c.Likelihood, r.Likelihood)
	if !ok {
		return Score{}, fmt.Errorf("risk: likelihood %s %s", r.Likelihood, c.scaleWant("likelihood", c.Likelihood))
	}
	k, ok := rank(c.Consequence, r.Consequence)
	if !ok {
		return Score{}, fmt.Errorf("risk: consequence %s %s", r.Consequence, c.scaleWant("consequence", c.Consequence))
	}
	return c.score(l, k)
}

func (c *Criteria) score(l, k int) (Score, error) {
	lev, ok := c.LevelAt(l, k)
	if !ok {
		return Score{}, fmt.Errorf("risk: criteria %s have no level for likelihood %d and consequence %d", c.Name, l, k)
	}
	return Score{Likelihood: l, Consequence: k, Level: lev, Name: c.Levels[lev-1].Name}, nil
}

// AppetiteRank returns the rank of the appetite level, or 0 when the
// appetite names no level.
func (c *Criteria) AppetiteRank() int { return c.levelRank(c.Appetite) }

// WithinAppetite reports whether a risk at the given level rank is
// acceptable without a formal acceptance: at or below the appetite.
func (c *Criteria) WithinAppetite(level int) bool {
	a := c.AppetiteRank()
	return a > 0 && level >= 1 && level <= a
}

func (c *Criteria) levelRank(name string) int {
	for i, l := range c.Levels {
		if l.Name == name {
			return i + 1
		}
	}
	return 0
}

func (c *Criteria) levelNames() string {
	names := make([]string, len(c.Levels))
	for i, l := range c.Levels {
		names[i] = l.Name
	}
	return strings.Join(names, ", ")
}

// scaleWant describes a scale for a problem message: "is not on the
// likelihood scale of criteria x (1 to 3, or one of a, b, c)".
func (c *Criteria) scaleWant(what string, vs []ScaleValue) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	return fmt.Sprintf("is not on the %s scale of criteria %s version %s (want 1 to %d, or one of %s)",
		what, c.Name, c.Version, len(vs), strings.Join(names, ", "))
}

// rank resolves a grade on a scale: its rank, and whether it is on the
// scale.
func rank(vs []ScaleValue, g Grade) (int, bool) {
	switch {
	case g.Name != "" && g.Rank != 0:
		return 0, false
	case g.Name != "":
		for i, v := range vs {
			if v.Name == g.Name {
				return i + 1, true
			}
		}
		return 0, false
	case g.Rank >= 1 && g.Rank <= len(vs):
		return g.Rank, true
	}
	return 0, false
}

// Clone returns a deep copy of c.
func (c *Criteria) Clone() Criteria {
	out := *c
	out.Likelihood = slices.Clone(c.Likelihood)
	out.Consequence = slices.Clone(c.Consequence)
	out.Levels = slices.Clone(c.Levels)
	if c.Matrix != nil {
		out.Matrix = make([][]int, len(c.Matrix))
		for i, row := range c.Matrix {
			out.Matrix[i] = slices.Clone(row)
		}
	}
	return out
}

// String returns "name version", e.g. "aimskit-5x5 version 1".
func (c *Criteria) String() string { return c.Name + " version " + c.Version }

// Grade is a point on a likelihood or consequence scale of [Criteria]. A
// document writes it either as a 1-based rank (a number: 1 is the lowest)
// or as the name of the scale value (a string). Exactly one of Rank and
// Name is set; the zero Grade is unset.
type Grade struct {
	// Rank is the 1-based rank on the scale, or 0 when Name is used.
	Rank int
	// Name is the name of the scale value, or "" when Rank is used.
	Name string
}

// IsZero reports whether g is unset.
func (g Grade) IsZero() bool { return g == Grade{} }

// String returns the name, or the rank as a number, or "unset".
func (g Grade) String() string {
	switch {
	case g.Name != "":
		return strconv.Quote(g.Name)
	case g.Rank != 0:
		return strconv.Itoa(g.Rank)
	}
	return "unset"
}

// MarshalJSON writes the name as a string or the rank as a number; the
// zero Grade is null.
func (g Grade) MarshalJSON() ([]byte, error) {
	switch {
	case g.Name != "":
		return json.Marshal(g.Name)
	case g.Rank != 0:
		return []byte(strconv.Itoa(g.Rank)), nil
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads a name (a string) or a rank (a positive whole
// number); null is the zero Grade.
func (g *Grade) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		*g = Grade{}
		return nil
	case strings.HasPrefix(s, `"`):
		var name string
		if err := json.Unmarshal(b, &name); err != nil {
			return fmt.Errorf("risk: grade %s is not a valid string", s)
		}
		*g = Grade{Name: name}
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 || f > maxRank || f != float64(int(f)) {
		return fmt.Errorf("risk: grade %s is not a rank (a whole number from 1) or a name", s)
	}
	*g = Grade{Rank: int(f)}
	return nil
}

// maxRank bounds the rank a document may write; scales are much shorter.
const maxRank = 1000

// Rating is a likelihood and a consequence, each a [Grade] on the scales
// of the assessment's [Criteria]. The level is derived, never stored:
// [Criteria.Score].
type Rating struct {
	// Likelihood is a grade on the likelihood scale.
	Likelihood Grade `json:"likelihood"`
	// Consequence is a grade on the consequence scale.
	Consequence Grade `json:"consequence"`
}

// IsZero reports whether neither grade is set.
func (r Rating) IsZero() bool { return r == Rating{} }
