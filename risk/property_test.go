package risk_test

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/risk"
)

// randomCriteria returns valid criteria with a random matrix of 3 to 6
// rows and columns, built so that no level decreases along a row or down a
// column: each cell is the larger of its left and upper neighbours plus a
// random step, capped at the number of levels.
func randomCriteria(rng *rand.Rand) risk.Criteria {
	nl, nc, nlev := 3+rng.IntN(4), 3+rng.IntN(4), 2+rng.IntN(5)
	names := func(prefix string, n int) []risk.ScaleValue {
		vs := make([]risk.ScaleValue, n)
		for i := range vs {
			vs[i] = risk.ScaleValue{Name: prefix + string(rune('a'+i))}
		}
		return vs
	}
	levels := make([]risk.Level, nlev)
	for i := range levels {
		levels[i] = risk.Level{Name: "level-" + string(rune('a'+i))}
	}
	m := make([][]int, nl)
	for l := range m {
		m[l] = make([]int, nc)
		for k := range m[l] {
			base := 1
			if l > 0 {
				base = max(base, m[l-1][k])
			}
			if k > 0 {
				base = max(base, m[l][k-1])
			}
			m[l][k] = min(base+rng.IntN(2), nlev)
		}
	}
	return risk.Criteria{
		Name:        "random",
		Version:     "1",
		Likelihood:  names("l-", nl),
		Consequence: names("c-", nc),
		Levels:      levels,
		Matrix:      m,
		Appetite:    levels[rng.IntN(nlev)].Name,
	}
}

// randomGrade writes rank r as a rank or, half the time, by name.
func randomGrade(rng *rand.Rand, vs []risk.ScaleValue, r int) risk.Grade {
	if rng.IntN(2) == 0 {
		return risk.Grade{Rank: r}
	}
	return risk.Grade{Name: vs[r-1].Name}
}

// TestLevelMonotonic checks, on random valid matrices and random ratings,
// that the derived level never decreases when the likelihood or the
// consequence increases.
func TestLevelMonotonic(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 2026))
	for i := range 2000 {
		c := randomCriteria(rng)
		if err := c.Validate(); err != nil {
			t.Fatalf("criteria %d: random matrix %v is not valid: %v", i, c.Matrix, err)
		}
		nl, nc := len(c.Likelihood), len(c.Consequence)
		for range 20 {
			l, k := 1+rng.IntN(nl), 1+rng.IntN(nc)
			dl, dk := rng.IntN(nl-l+1), rng.IntN(nc-k+1) // steps up, possibly zero
			lo, err := c.Score(risk.Rating{Likelihood: randomGrade(rng, c.Likelihood, l), Consequence: randomGrade(rng, c.Consequence, k)})
			if err != nil {
				t.Fatalf("Score(L%d C%d): %v", l, k, err)
			}
			for _, up := range [][2]int{{l + dl, k}, {l, k + dk}, {l + dl, k + dk}} {
				hi, err := c.Score(risk.Rating{Likelihood: randomGrade(rng, c.Likelihood, up[0]), Consequence: randomGrade(rng, c.Consequence, up[1])})
				if err != nil {
					t.Fatalf("Score(L%d C%d): %v", up[0], up[1], err)
				}
				if hi.Level < lo.Level {
					t.Fatalf("matrix %v: level at L%d C%d = %d, below level %d at L%d C%d", c.Matrix, up[0], up[1], hi.Level, lo.Level, l, k)
				}
			}
		}
	}
}

// TestValidateRejectsDecrease checks the converse on random matrices:
// lowering any cell below a neighbour before it is reported at that cell.
func TestValidateRejectsDecrease(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 42))
	for range 1000 {
		c := randomCriteria(rng)
		l, k := rng.IntN(len(c.Matrix)), rng.IntN(len(c.Matrix[0]))
		before := 0
		if l > 0 {
			before = max(before, c.Matrix[l-1][k])
		}
		if k > 0 {
			before = max(before, c.Matrix[l][k-1])
		}
		if before < 2 {
			continue // no lower level to put here
		}
		c.Matrix[l][k] = before - 1
		ps := documenttest.Problems(t, c.Validate())
		found := false
		for _, p := range ps {
			found = found || p.Pointer == "/matrix/"+strconv.Itoa(l)+"/"+strconv.Itoa(k)
		}
		if !found {
			t.Fatalf("matrix %v with a decrease at /matrix/%d/%d: problems %v", c.Matrix, l, k, ps)
		}
	}
}
