package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims/export/annexiv"
)

const exampleLog = "../../examples/credit-scoring/release.evidence.jsonl"

func TestExportAnnexIVMarkdown(t *testing.T) {
	code, out, stderr := runCLI(t, "export", "annex-iv", "--system", "Consumer credit scoring", example)
	if code != exitOK {
		t.Fatalf("export annex-iv = %d, want 0; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"# Technical documentation: Consumer credit scoring",
		"- Classification: high-risk, Annex III 5(b)",
		"## 1. General description of the AI system",
		"### 2(d) Data requirements and data governance",
		"## 9. Post-market monitoring",
		"`ai-system-credit-scoring.yaml#/purpose/intended`",
		"`risk-assessment.yaml#/risks/0`",
		"> **To write:** a copy of the EU declaration of conformity",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export annex-iv output lacks %q", want)
		}
	}
	if i, j := strings.Index(out, "## 1. "), strings.Index(out, "## 9. "); i < 0 || j < i {
		t.Errorf("sections out of order: 1 at %d, 9 at %d", i, j)
	}
}

func TestExportAnnexIVJSONWithLog(t *testing.T) {
	code, out, stderr := runCLI(t, "export", "annex-iv", "--system", "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10", "--format", "json",
		"--log", exampleLog, "--pub", "../../examples/credit-scoring/release.pub", example)
	if code != exitOK {
		t.Fatalf("export annex-iv --format json --log = %d, want 0; stderr:\n%s", code, stderr)
	}
	var d annexiv.Document
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if len(d.Sections) != 9 || d.SystemName != "Consumer credit scoring" {
		t.Errorf("document: %d sections, system %q", len(d.Sections), d.SystemName)
	}
	// The example log holds the support assistant's records only.
	for _, f := range d.Files {
		if f.Kind == annexiv.KindLog {
			t.Errorf("the log is cited, but it holds no record of the credit-scoring system")
		}
	}
}

// TestExportAnnexIVRefusesNotHighRisk checks that a system that is not
// high-risk is refused with its classification and the article, and
// written with --force.
func TestExportAnnexIVRefusesNotHighRisk(t *testing.T) {
	code, out, stderr := runCLI(t, "export", "annex-iv", "--system", "Customer support assistant", example)
	if code != exitInvalid || out != "" {
		t.Fatalf("export annex-iv (minimal risk) = %d with %d bytes of output, want %d and none", code, len(out), exitInvalid)
	}
	for _, want := range []string{"not a high-risk AI system", "minimal; transparency Art. 50(1)", "Art. 11(1)", "--force"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	code, out, stderr = runCLI(t, "export", "annex-iv", "--force", "--system", "Customer support assistant", example)
	if code != exitOK || !strings.Contains(out, "- Classification: minimal; transparency Art. 50(1)") {
		t.Errorf("export annex-iv --force = %d; stderr:\n%s", code, stderr)
	}
}

func TestExportAnnexIVErrors(t *testing.T) {
	tampered := filepath.Join(t.TempDir(), "tampered.jsonl")
	b, err := os.ReadFile(exampleLog)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tampered, []byte(strings.Replace(string(b), `"outcome":"allow"`, `"outcome":"deny"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown system", []string{"--system", "nope", example}, exitError, "no AI system"},
		{"no system", []string{example}, exitError, "--system is required"},
		{"bad format", []string{"--system", "Consumer credit scoring", "--format", "pdf", example}, exitError, "unknown format"},
		{"tampered log", []string{"--system", "Consumer credit scoring", "--log", tampered, example}, exitInvalid, "does not verify"},
		{"missing log", []string{"--system", "Consumer credit scoring", "--log", tampered + ".missing", example}, exitError, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, append([]string{"export", "annex-iv"}, tc.args...)...)
			if code != tc.code || out != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("export annex-iv %s = %d, stdout %d bytes, stderr %q; want %d, no output, stderr with %q", strings.Join(tc.args, " "), code, len(out), stderr, tc.code, tc.want)
			}
		})
	}
}
