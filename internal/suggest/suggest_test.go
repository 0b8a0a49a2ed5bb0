package suggest_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/internal/suggest"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"colour", "color", 1},
		{"Color", "color", 0},
		{"kitten", "sitting", 3},
		{"", "abc", 3},
		{"über", "uber", 1},
	}
	for _, tt := range tests {
		if got := suggest.Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"name", "color", "purpose", "lifecycle"}
	tests := []struct {
		name   string
		want   string
		wantOK bool
	}{
		{"colour", "color", true},
		{"Name", "name", true},
		{"lifecyle", "lifecycle", true},
		{"purp", "purpose", true},
		{"zzzzzz", "", false},
		{"x", "", false},
	}
	for _, tt := range tests {
		got, ok := suggest.Closest(tt.name, names)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Closest(%q) = %q, %v, want %q, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestSort(t *testing.T) {
	type sys struct{ id, name string }
	systems := []sys{
		{"2b8e", "Customer support assistant"},
		{"9d4e", "Fraud detection"},
		{"6f1c", "Consumer credit scoring"},
		{"7a0b", "Consumer credit"},
		{"1c2d", "Consumr credit"},
	}
	suggest.Sort("Consumer credit", systems, func(s sys) []string { return []string{s.id, s.name} })
	// Prefixes first, the closer one first; then by distance, which
	// ties at that of the ids for the last two.
	want := []sys{
		{"7a0b", "Consumer credit"},
		{"6f1c", "Consumer credit scoring"},
		{"1c2d", "Consumr credit"},
		{"2b8e", "Customer support assistant"},
		{"9d4e", "Fraud detection"},
	}
	if diff := cmp.Diff(want, systems, cmp.AllowUnexported(sys{})); diff != "" {
		t.Errorf("Sort() mismatch (-want +got):\n%s", diff)
	}
}

// TestClosestAsDefined checks Closest, which skips candidates by length,
// against its definition on many pairs of short names: the first of the
// candidates at the least distance within the limit, or that one starts
// with the other.
func TestClosestAsDefined(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, rng.IntN(9))
		for i := range b {
			b[i] = "abcAB"[rng.IntN(5)]
		}
		return string(b)
	}
	for range 5000 {
		name := word()
		candidates := make([]string, 1+rng.IntN(6))
		for i := range candidates {
			candidates[i] = word()
		}
		limit := min(max(1, len(name)/3), 3)
		want, wantOK, bestD := "", false, -1
		for _, c := range candidates {
			d := suggest.Distance(name, c)
			if d > limit && !suggest.Prefix(name, c) {
				continue
			}
			if bestD < 0 || d < bestD {
				want, wantOK, bestD = c, true, d
			}
		}
		if got, ok := suggest.Closest(name, candidates); got != want || ok != wantOK {
			t.Fatalf("Closest(%q, %q) = %q, %v; want %q, %v", name, candidates, got, ok, want, wantOK)
		}
	}
}
