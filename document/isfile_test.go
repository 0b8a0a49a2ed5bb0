package document_test

import (
	"testing"

	"github.com/aimskit/aimskit/document"
)

func TestIsFile(t *testing.T) {
	for name, want := range map[string]bool{
		"system.yaml":           true,
		"a/b/system.yml":        true,
		"policy.json":           true,
		".hidden.yaml":          false,
		"dir/.aimskit.yaml":     false,
		".aimskit/history.json": true, // the folder is the walker's to skip, not the name's
		"README.md":             false,
		"system.YAML":           false,
		"yaml":                  false,
		"":                      false,
	} {
		if got := document.IsFile(name); got != want {
			t.Errorf("IsFile(%q) = %v, want %v", name, got, want)
		}
	}
}
