package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
)

// initDay is the day the tests scaffold on.
var initDay = time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC)

func runInitCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runInit(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestInitValidates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "governance")
	if code, _, stderr := runInitCLI(t, dir); code != exitOK {
		t.Fatalf("aimskit init %s exit = %d, want 0; stderr:\n%s", dir, code, stderr)
	}
	code, out, stderr := runCLI(t, "validate", dir)
	if code != exitOK {
		t.Fatalf("aimskit validate exit = %d, want 0; stderr:\n%s", code, stderr)
	}
	if want := "6 documents, all valid"; !strings.Contains(out, want) {
		t.Errorf("aimskit validate stdout = %q, want it to contain %q", out, want)
	}
}

func TestInitRefuses(t *testing.T) {
	full := t.TempDir()
	keep := filepath.Join(full, "keep.yaml")
	if err := os.WriteFile(keep, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"non-empty folder", []string{full}, exitError, "exists and is not empty"},
		{"missing argument", nil, exitError, "want one DIR"},
		{"too many arguments", []string{"a", "b"}, exitError, "want one DIR"},
		{"unknown flag", []string{"--nope", "a"}, exitError, "flag provided but not defined"},
		{"help", []string{"-h"}, exitOK, "Usage: aimskit init DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runInitCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("aimskit init %v exit = %d, want %d; stderr:\n%s", tt.args, code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("aimskit init %v stderr lacks %q:\n%s", tt.args, tt.wantStderr, stderr)
			}
		})
	}
	entries, err := os.ReadDir(full)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("init into a non-empty folder left %d entries, want the 1 that was there", len(entries))
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "mine\n" {
		t.Errorf("init into a non-empty folder changed keep.yaml: %q, %v", b, err)
	}
}

func TestInitEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runInitCLI(t, dir); code != exitOK {
		t.Fatalf("aimskit init into an empty folder exit = %d, want 0; stderr:\n%s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "validate", dir); code != exitOK {
		t.Errorf("aimskit validate exit = %d, want 0; stderr:\n%s", code, stderr)
	}
}

func TestInitFreshIDs(t *testing.T) {
	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	for _, dir := range []string{a, b} {
		if err := scaffold(dir, initDay, uuid.NewRandom); err != nil {
			t.Fatal(err)
		}
	}
	if scaffoldedSystemID(t, a) == scaffoldedSystemID(t, b) {
		t.Errorf("two scaffolds share the AI system id %s, want fresh ids", scaffoldedSystemID(t, a))
	}
}

// scaffoldedSystemID returns the AI system id of a scaffolded folder.
func scaffoldedSystemID(tb testing.TB, dir string) uuid.UUID {
	tb.Helper()
	f, err := aims.Load(context.Background(), os.DirFS(dir))
	if err != nil {
		tb.Fatal(err)
	}
	if len(f.Systems) != 1 {
		tb.Fatalf("%s holds %d AI systems, want 1", dir, len(f.Systems))
	}
	return f.Systems[0].ID
}

// The gate policy template is the default policy written out.
func TestInitGatePolicyIsDefault(t *testing.T) {
	b, err := templates.ReadFile("templates/gate-policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	js, err := document.ToJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	var got aims.GatePolicy
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(aims.DefaultPolicy(), &got); diff != "" {
		t.Errorf("templates/gate-policy.yaml differs from aims.DefaultPolicy() (-want +got):\n%s", diff)
	}
}

// edit replaces every old in a file of dir with new, and fails when the
// file does not contain old.
func edit(tb testing.TB, dir, file, old, new string) {
	tb.Helper()
	path := filepath.Join(dir, file)
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		tb.Fatalf("%s lacks %q: the template and this test disagree", file, old)
	}
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(b), old, new)), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// Filling in the template as its TODO(deployment gate) comments say leads
// to a passing deployment gate; the unfilled template is denied, naming
// the checks that fail.
func TestInitDeploymentGate(t *testing.T) {
	dir := t.TempDir()
	if err := scaffold(dir, initDay, uuid.NewRandom); err != nil {
		t.Fatal(err)
	}
	day := initDay.Format(time.DateOnly)
	gate := []string{"gate", "--system", scaffoldedSystemID(t, dir).String(), "--to", "deployment", "--date", day, dir}

	code, out, stderr := runCLI(t, gate...)
	if code != exitInvalid {
		t.Fatalf("gate of the unfilled template exit = %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitInvalid, out, stderr)
	}
	for _, want := range []string{
		"DENY",
		"FAIL   risk-assessment-approved",
		"FAIL   controls-implemented         controls not implemented with evidence: iso42001:A.6.2.4 (planned); iso42001:A.6.2.5 (planned); iso42001:A.8.2 (planned)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("gate of the unfilled template: stdout lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "FAIL"); n != 3 || !strings.Contains(out, "FAIL   placeholders-filled") {
		t.Errorf("gate of the unfilled template fails %d checks, want 3 with placeholders-filled:\n%s", n, out)
	}

	fillDeploymentGate(t, dir)
	if code, _, stderr := runCLI(t, "validate", dir); code != exitOK {
		t.Fatalf("validate after the edits exit = %d, want 0; stderr:\n%s", code, stderr)
	}
	// Every value filled in: delete the TODO comments.
	code, out, _ = runCLI(t, gate...)
	if code != exitInvalid || !strings.Contains(out, "FAIL   placeholders-filled") {
		t.Errorf("gate with TODO comments left = %d, want a denial by placeholders-filled:\n%s", code, out)
	}
	deleteTODOs(t, dir)
	code, out, stderr = runCLI(t, gate...)
	if code != exitOK || !strings.Contains(out, "ALLOW") {
		t.Errorf("gate after the edits exit = %d, want 0 and ALLOW; stdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
}

// deleteTODOs deletes the comment lines that start with TODO from the
// YAML files of dir, as a person does who has filled in their values.
func deleteTODOs(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, line := range strings.SplitAfter(string(b), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "# TODO") {
				keep = append(keep, line)
			}
		}
		if err := os.WriteFile(name, []byte(strings.Join(keep, "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fillDeploymentGate fills in the scaffold in dir as its TODO(deployment
// gate) comments say: the approvals of the assessments, and the three
// controls of the deployment gate implemented with evidence.
func fillDeploymentGate(tb testing.TB, dir string) {
	tb.Helper()
	// TODO(deployment gate) in the assessments: uncomment the approval.
	for _, file := range []string{"risk-assessment.yaml", "impact-assessment.yaml"} {
		edit(tb, dir, file,
			"# approval:\n#   approver: to assign\n#   role: to assign\n#   date: ",
			"approval:\n  approver: Chief Risk Officer\n  role: Member of the Management Board\n  date: ")
	}
	// TODO(deployment gate) in the Statement of Applicability: set the
	// three controls implemented and uncomment their evidence.
	for _, c := range []string{"A.6.2.4", "A.6.2.5", "A.8.2"} {
		edit(tb, dir, "statement-of-applicability.yaml",
			"- control: iso42001:"+c+"\n    applicability: applicable\n    justification: {bestPractice: true}\n"+
				"    status: planned\n    owner: to assign\n    # evidence:\n    #   - ",
			"- control: iso42001:"+c+"\n    applicability: applicable\n    justification: {bestPractice: true}\n"+
				"    status: implemented\n    owner: Head of Engineering\n    evidence:\n      - ")
	}
}
