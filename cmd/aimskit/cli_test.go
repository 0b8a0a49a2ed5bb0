package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/evidence"
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
	if code != exitOK || !strings.HasPrefix(out, "[") || !strings.Contains(out, `"friaRequired": true`) || !strings.Contains(out, `"basis": "derived"`) {
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

func TestGateCommand(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"allow", []string{"gate", "--system", "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10", "--to", "deployment", "--date", "2026-11-28", example}, exitOK, "ALLOW"},
		{"by name", []string{"gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28", example}, exitOK, "fria-complete"},
		{"deny after review date", []string{"gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2028-01-10", example}, exitInvalid, "DENY"},
		{"not allowed transition", []string{"gate", "--system", "Consumer credit scoring", "--to", "retirement2", example}, exitError, ""},
		{"unknown system", []string{"gate", "--system", "nope", "--to", "deployment", example}, exitError, ""},
		{"bad fact", []string{"gate", "--system", "x", "--to", "deployment", "--fact", "accuracy=high", example}, exitError, ""},
		{"missing flags", []string{"gate", example}, exitError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit = %d, want %d; stdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, stderr)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantOut, out)
			}
		})
	}
}

func TestSoACommand(t *testing.T) {
	for _, format := range []string{"md", "csv", "json"} {
		code, out, stderr := runCLI(t, "soa", "--format", format, example)
		if code != exitOK || !strings.Contains(out, "A.7.4") {
			t.Errorf("soa --format %s = %d, stderr %s, output lacks A.7.4", format, code, stderr)
		}
	}
	if code, _, _ := runCLI(t, "soa", "--format", "pdf", example); code != exitError {
		t.Errorf("soa --format pdf = %d, want %d", code, exitError)
	}
}

func TestReadinessCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "readiness", "--date", "2026-11-28", example)
	if code != exitOK || !strings.Contains(out, "Readiness on 2026-11-28") {
		t.Errorf("readiness = %d:\n%s\n%s", code, out, stderr)
	}
	code, out, _ = runCLI(t, "readiness", "--date", "2029-01-01", example)
	if code != exitOK || !strings.Contains(out, "9.2") {
		t.Errorf("readiness in 2029 = %d, want a 9.2 gap:\n%s", code, out)
	}
}

func TestGateEvidenceRoundTrip(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "release")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	if st, err := os.Stat(prefix + ".key"); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode = %v (%v), want 0600", st.Mode().Perm(), err)
	}
	if code, _, _ := runCLI(t, "keygen", "--out", prefix); code != exitError {
		t.Errorf("keygen over existing files = %d, want %d", code, exitError)
	}
	logPath := filepath.Join(dir, "gate.evidence.jsonl")
	bundle := filepath.Join(dir, "release.intoto.jsonl")
	for _, date := range []string{"2026-11-28", "2026-11-29"} {
		code, _, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", date,
			"--key", prefix+".key", "--attest", bundle, "--log", logPath, example)
		if code != exitOK {
			t.Fatalf("gate --attest --log = %d: %s", code, stderr)
		}
	}
	code, out, stderr := runCLI(t, "evidence", "verify", logPath, "--pub", prefix+".pub") // flags may follow LOG
	if code != exitOK || !strings.Contains(out, "intact: 2 records, 3 signed checkpoints") {
		t.Fatalf("evidence verify = %d:\n%s%s", code, out, stderr)
	}
	// A range that starts after the first record verifies with its start
	// file, given explicitly.
	full, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	first, rest, _ := bytes.Cut(full, []byte("\n"))
	var start evidence.Chain
	start.Add(first)
	state, err := start.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	cps, err := os.ReadFile(logPath + evidence.CheckpointsSuffix)
	if err != nil {
		t.Fatal(err)
	}
	rangePath := filepath.Join(dir, "range.jsonl")
	for name, b := range map[string][]byte{rangePath: rest, rangePath + evidence.StartSuffix: state, rangePath + evidence.CheckpointsSuffix: cps} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", rangePath); code != exitInvalid {
		t.Errorf("evidence verify of a range without --start = %d, want %d: %s", code, exitInvalid, stderr)
	}
	code, out, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--start", rangePath+evidence.StartSuffix, rangePath)
	if code != exitOK || !strings.Contains(out, "intact: 1 record from record 1") || !strings.Contains(out, "2 records anchored") {
		t.Fatalf("evidence verify of a range = %d:\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "evidence", "prove", "--index", "1", logPath)
	if code != exitOK {
		t.Fatalf("evidence prove --index 1 = %d: %s", code, stderr)
	}
	proof := filepath.Join(dir, "proof.json")
	if err := os.WriteFile(proof, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runCLI(t, "evidence", "check", "--pub", prefix+".pub", proof); code != exitOK || !strings.Contains(out, "record 1 is in the log of 2 records") {
		t.Errorf("evidence check = %d: %s%s", code, out, stderr)
	}
	if code, out, stderr := runCLI(t, "evidence", "prove", "--old", "1", logPath); code != exitOK || !strings.Contains(out, `"oldSize": 1`) {
		t.Errorf("evidence prove --old 1 = %d: %s%s", code, out, stderr)
	}
	if code, _, _ := runCLI(t, "evidence", "prove", "--index", "9", logPath); code != exitError {
		t.Errorf("evidence prove --index 9 = %d, want %d", code, exitError)
	}
	if err := os.Chmod(prefix+".key", 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--key", prefix+".key", "--log", logPath, example); code != exitError || !strings.Contains(stderr, "chmod 600") {
		t.Errorf("gate with a world-readable key = %d, stderr %q; want exit 2 telling to chmod 600", code, stderr)
	}
	b, err := os.ReadFile(bundle)
	if err != nil || strings.Count(string(b), "\n") != 2 {
		t.Fatalf("bundle has %d lines (%v), want 2", strings.Count(string(b), "\n"), err)
	}
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), `"outcome":"allow"`)
	tampered := []byte(string(data[:i]) + `"outcome":"deny!"` + string(data[i+len(`"outcome":"allow"`):]))
	if err := os.WriteFile(logPath, tampered, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", logPath)
	if code != exitInvalid || !strings.Contains(stderr, "TAMPERED at record 0") {
		t.Errorf("evidence verify of a tampered log = %d, stderr %q; want exit 1 naming record 0", code, stderr)
	}
	if code, _, _ := runCLI(t, "evidence", "verify", filepath.Join(dir, "missing.jsonl")); code != exitError {
		t.Errorf("evidence verify of a missing log = %d, want %d", code, exitError)
	}
	if code, _, _ := runCLI(t, "gate", "--system", "x", "--to", "deployment", "--attest", bundle, example); code != exitError {
		t.Errorf("gate --attest without --key = %d, want %d", code, exitError)
	}
}

func TestExportCommand(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		wantOut  string
	}{
		{[]string{"export", "cyclonedx", example}, exitOK, `"specVersion": "1.6"`},
		{[]string{"export", "cyclonedx", "--system", "Consumer credit scoring", example}, exitOK, `"machine-learning-model"`},
		{[]string{"export", "oscal", example}, exitOK, `"assessment-results"`},
		{[]string{"export", "oscal", "--system", "nope", example}, exitError, ""},
		{[]string{"export", "spdx", example}, exitOK, `"type": "ai_AIPackage"`},
		{[]string{"export", "swid", example}, exitError, ""},
	}
	for _, tt := range tests {
		code, out, stderr := runCLI(t, tt.args...)
		if code != tt.wantCode || !strings.Contains(out, tt.wantOut) {
			t.Errorf("aimskit %v = %d (stderr %q), output lacks %q", tt.args, code, stderr, tt.wantOut)
		}
	}
}

func TestValidatePrintsExactlyTheErrors(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.yaml": "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nid: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10\nname: A\n" +
			"accountability: {businessOwner: {name: O}, technicalLead: {name: L}}\npurpose: {intended: x}\n" +
			"lifecycle: {stage: testing}\nclassification: {category: minimal}\ncolour: red\n",
		"b.json": `{"apiVersion":"aimskit.dev/v1alpha1","kind":"Spaceship"}`,
		"c.yaml": "key: [unclosed\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr := runCLI(t, "validate", dir)
	if want := dir + ": 4 problems in 3 files, invalid\n"; code != exitInvalid || out != want {
		t.Fatalf("validate = %d, stdout %q; want 1 and %q", code, out, want)
	}
	want := strings.Join([]string{
		dir + `/a.yaml:/lifecycle/stage: value must be one of "inception", "design-and-development", "verification-and-validation", "deployment", "operation-and-monitoring", "continuous-validation", "re-evaluation", "retirement" (line 7)`,
		dir + "/a.yaml:/colour: unknown field (line 9)",
		dir + `/b.json:/kind: unknown kind "Spaceship" (want one of AISystem, AuditRecord, GatePolicy, ImpactAssessment, Incident, ManagementReview, ManagementSystem, Nonconformity, RiskAssessment, RiskCriteria, StatementOfApplicability)`,
		dir + "/c.yaml:/key: invalid YAML: the list opened here with [ is not closed with ] (line 1, column 6)",
	}, "\n") + "\n"
	if stderr != want {
		t.Errorf("validate stderr mismatch:\n got: %q\nwant: %q", stderr, want)
	}
}

func TestInterspersed(t *testing.T) {
	fs := newFlags("x", "", io.Discard)
	fs.String("pub", "", "")
	fs.Bool("v", false, "")
	tests := []struct {
		in, want []string
	}{
		{[]string{"LOG", "--pub", "k.pem"}, []string{"--pub", "k.pem", "--", "LOG"}},
		{[]string{"--pub=k", "LOG", "-v"}, []string{"--pub=k", "-v", "--", "LOG"}},
		{[]string{"a", "--", "-b"}, []string{"--", "a", "-b"}},
		{[]string{"--nope", "a"}, []string{"--nope", "--", "a"}},
		{nil, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, interspersed(fs, tt.in)); diff != "" {
			t.Errorf("interspersed(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}
