package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const example = "../../examples/credit-scoring/governance"

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestInventory(t *testing.T) {
	code, out, stderr := runCLI(t, "inventory", example)
	if code != exitOK {
		t.Fatalf("inventory exit = %d, want 0; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"Consumer credit scoring", "high-risk, Annex III 5(b)", "required before first use (Art. 27)",
		"Customer support assistant", "transparency Art. 50(1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inventory output lacks %q:\n%s", want, out)
		}
	}
}

func TestInventoryJSON(t *testing.T) {
	code, out, _ := runCLI(t, "inventory", "--format", "json", example)
	if code != exitOK || !strings.HasPrefix(out, "[") || !strings.Contains(out, `"friaRequired": true`) {
		t.Errorf("inventory --format json = %d:\n%s", code, out)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	bad := "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: x\ncolour: red\n"
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"valid folder", []string{"validate", example}, exitOK, ""},
		{"invalid folder", []string{"validate", dir}, exitInvalid, dir + "/bad.yaml:/colour: unknown field (line 4)"},
		{"missing folder", []string{"validate", filepath.Join(dir, "nope")}, exitError, "is not a folder"},
		{"too many args", []string{"validate", "a", "b"}, exitError, "too many arguments"},
		{"unknown flag", []string{"validate", "--nope"}, exitError, "flag provided but not defined"},
		{"help", []string{"validate", "-h"}, exitOK, "Usage: aimskit validate"},
		{"unknown command", []string{"frobnicate"}, exitError, `unknown command "frobnicate"`},
		{"no command", nil, exitError, "Usage:"},
		{"schema", []string{"schema", "AISystem"}, exitOK, ""},
		{"unknown schema", []string{"schema", "Nope"}, exitError, `unknown kind "Nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("aimskit %v exit = %d, want %d; stderr:\n%s", tt.args, code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("aimskit %v stderr lacks %q:\n%s", tt.args, tt.wantStderr, stderr)
			}
		})
	}
}
