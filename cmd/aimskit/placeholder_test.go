package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The values "aimskit init" scaffolds for a person to fill in are
// placeholders: validate lists each as a warning with a count, and a gate
// out of inception denies and names them.
func TestScaffoldPlaceholders(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "governance")
	if code, _, stderr := runCLI(t, "init", dir); code != exitOK {
		t.Fatalf("init = %d: %s", code, stderr)
	}
	code, out, stderr := runCLI(t, "validate", dir)
	if code != exitOK || !strings.Contains(out, "all valid") {
		t.Fatalf("validate = %d: %s%s", code, out, stderr)
	}
	for _, want := range []string{
		"27 placeholders left to fill in",
		"warning: " + filepath.Join(dir, "ai-system.yaml") + ":/name: placeholder: TODO: the name people use for the system",
		"ai-system.yaml:/accountability/businessOwner: placeholder:",
		"ai-system.yaml:/purpose/intended: placeholder:",
		"ai-system.yaml:/facts: placeholder: TODO: describe the system",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("validate of the scaffold: stderr lacks %q:\n%s", want, stderr)
		}
	}
	code, out, stderr = runCLI(t, "gate", "--system", "My AI system", "--to", "deployment", dir)
	if code != exitInvalid {
		t.Fatalf("gate of the untouched scaffold = %d, want %d:\n%s%s", code, exitInvalid, out, stderr)
	}
	for _, want := range []string{"FAIL", "placeholders-filled", "ai-system.yaml:/accountability/businessOwner (line", "ai-system.yaml:/facts (line"} {
		if !strings.Contains(out, want) {
			t.Errorf("gate of the scaffold: output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "validate", "--format", "json", dir)
	if code != exitOK || !strings.Contains(out, `"placeholders": 27`) {
		t.Errorf("validate --format json = %d, want the count of placeholders:\n%s", code, out)
	}
}
