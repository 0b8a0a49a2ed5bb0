package aims_test

import "testing"

func TestFolderLookup(t *testing.T) {
	f := loadExample(t)
	tests := []struct {
		ref  string
		want string // system name, "" for none
	}{
		{creditScoring.String(), "Consumer credit scoring"},
		{"Consumer credit scoring", "Consumer credit scoring"},
		{"Customer support assistant", "Customer support assistant"},
		{"consumer credit scoring", ""},
		{"Consumer credit", ""},
		{"", ""},
		{"00000000-0000-0000-0000-000000000000", ""},
	}
	for _, tt := range tests {
		got := ""
		if s := f.Lookup(tt.ref); s != nil {
			got = s.Name
		}
		if got != tt.want {
			t.Errorf("Lookup(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}
