package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestValidateEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# governance\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "validate", dir)
	if want := "aimskit validate: no aimskit documents in " + dir + "\n"; code != exitInvalid || out != "" || stderr != want {
		t.Errorf("validate(empty) = %d, stdout %q, stderr %q; want %d, nothing, %q", code, out, stderr, exitInvalid, want)
	}
}

func TestValidateNotes(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(example, "ai-system-credit-scoring.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "system.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub", filepath.Join(dir, "folder.yaml")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	code, out, stderr := runCLI(t, "validate", dir)
	if want := "note: " + dir + "/folder.yaml: skipped: not a regular file but a folder\n"; code != exitOK || stderr != want {
		t.Errorf("validate = %d, stdout %q, stderr %q; want 0 and %q", code, out, stderr, want)
	}
}
