package suggest_test

import (
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
