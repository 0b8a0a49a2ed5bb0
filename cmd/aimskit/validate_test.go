package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeFiles writes files, by slash-separated name, into dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func exampleSystem(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(example, "ai-system-credit-scoring.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestValidateJSON(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"system.yaml": exampleSystem(t),
		"bad.yaml":    "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: \"Scoring\n",
	})
	code, out, stderr := runCLI(t, "validate", "--format", "json", dir)
	if code != exitInvalid || stderr != "" {
		t.Fatalf("validate --format json = %d, stderr %q; want 1 and nothing", code, stderr)
	}
	var got validateReport
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	want := validateReport{
		Folder: dir, Valid: false, Documents: 2, Skipped: []string{},
		Problems: []validateProblem{{
			File: dir + "/bad.yaml", Pointer: "/name", Line: 3, Column: 7, Severity: "error",
			Message: `invalid YAML: the quoted value that starts here has no closing "`,
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("validate --format json mismatch (-want +got):\n%s", diff)
	}
	for _, key := range []string{`"file"`, `"pointer"`, `"line"`, `"column"`, `"message"`, `"severity"`} {
		if !strings.Contains(out, key) {
			t.Errorf("output lacks %s:\n%s", key, out)
		}
	}
}

func TestValidateCounts(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		code   int
		stdout string
	}{
		{"one document", map[string]string{"s.yaml": "SYSTEM"}, exitOK, "DIR: 1 document, valid\n"},
		{"one problem", map[string]string{"s.yaml": "SYSTEM", "b.yaml": "apiVersion: aimskit.dev/v1alpha1\nkind: AISystm\n"},
			exitInvalid, "DIR: 1 problem in 1 file, invalid\n"},
		{"two problems", map[string]string{"b.yaml": "apiVersion: aimskit.dev/v1alpha1\nkind: AISystm\n", "c.yaml": "a: [\n"},
			exitInvalid, "DIR: 2 problems in 2 files, invalid\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{}
			for k, v := range tt.files {
				if v == "SYSTEM" {
					v = exampleSystem(t)
				}
				files[k] = v
			}
			writeFiles(t, dir, files)
			code, out, stderr := runCLI(t, "validate", dir)
			want := strings.ReplaceAll(tt.stdout, "DIR", dir)
			if code != tt.code || out != want {
				t.Errorf("validate = %d, stdout %q; want %d, %q\nstderr:\n%s", code, out, tt.code, want, stderr)
			}
		})
	}
}

// TestValidateCurrentDirectory checks that validate without a folder
// leaves out what a repository holds besides governance documents, and
// says so.
func TestValidateCurrentDirectory(t *testing.T) {
	dir := t.TempDir()
	broken := "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: [\n"
	writeFiles(t, dir, map[string]string{
		"governance/system.yaml":   exampleSystem(t),
		"testdata/broken.yaml":     broken,
		"sub/testdata/broken.yaml": broken,
		"vendor/x/broken.yaml":     broken,
		".github/workflows/ci.yml": "on: push\njobs: {}\n",
		"docker-compose.yaml":      "services: {}\n",
		"package.json":             `{"name": "x"}`,
		"README.md":                "# x\n",
	})
	t.Chdir(dir)
	code, out, stderr := runCLI(t, "validate")
	wantErr := "note: skipped 4 folders (testdata, vendor, hidden) and 2 YAML or JSON files without apiVersion: aimskit.dev/...\n"
	if code != exitOK || out != ".: 1 document, valid\n" || stderr != wantErr {
		t.Errorf("validate = %d, stdout %q, stderr %q; want 0, %q, %q", code, out, stderr, ".: 1 document, valid\n", wantErr)
	}

	// A broken aimskit document outside those folders is still checked.
	writeFiles(t, dir, map[string]string{"governance/bad.json": `{"apiVersion": "aimskit.dev/v1alpha1", "kind": "AISystem",}`})
	if code, _, stderr := runCLI(t, "validate"); code != exitInvalid || !strings.Contains(stderr, "governance/bad.json") {
		t.Errorf("validate with a broken document = %d, stderr %q; want 1 and the problem", code, stderr)
	}

	// A folder given is validated whole.
	if code, _, _ := runCLI(t, "validate", "."); code != exitInvalid {
		t.Errorf("validate . = %d, want 1", code)
	}
}

func TestValidateCurrentDirectoryJSON(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"system.yaml":     exampleSystem(t),
		"vendor/a.yaml":   "x: 1\n",
		"config.yaml":     "x: 1\n",
		"sub/config.json": `{"x": 1}`,
	})
	t.Chdir(dir)
	code, out, _ := runCLI(t, "validate", "--format", "json")
	var got validateReport
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitOK {
		t.Fatalf("validate --format json = %d, %v\n%s", code, err, out)
	}
	want := []string{"config.yaml", "sub/config.json", "vendor/"}
	if diff := cmp.Diff(want, got.Skipped); diff != "" || got.Documents != 1 || !got.Valid {
		t.Errorf("validate --format json = %+v; skipped mismatch (-want +got):\n%s", got, diff)
	}
}
