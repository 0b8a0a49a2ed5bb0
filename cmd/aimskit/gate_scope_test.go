package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withoutFRIA returns the example's impact assessment of the credit
// scoring system without its "fria" section.
func withoutFRIA(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(example, "impact-assessment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	for _, line := range strings.SplitAfter(string(b), "\n") {
		switch {
		case line == "fria:\n":
			in = true
			continue
		case in && line != "" && line[0] != ' ' && line[0] != '#' && line[0] != '\n':
			in = false
		}
		if !in {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}

// An Annex III 5(b) system whose impact assessment has no FRIA yet is work
// in progress before deployment: the folder loads, validate notes it, and
// the deployment gate denies with fria-complete, recorded in the log.
func TestGateDeniesMissingFRIA(t *testing.T) {
	ia := withoutFRIA(t)
	if strings.Contains(ia, "\nfria:") {
		t.Fatal("the fria section was not cut")
	}
	dir := copyExample(t, map[string]string{"impact-assessment.yaml": ia})
	code, _, stderr := runCLI(t, "validate", dir)
	if code != exitOK || !strings.Contains(stderr, "note: "+dir+"/impact-assessment.yaml:/fria: is required") || !strings.Contains(stderr, "Art. 27") {
		t.Errorf("validate without the FRIA = %d, want 0 with a note on /fria:\n%s", code, stderr)
	}
	log := filepath.Join(t.TempDir(), "decisions.log")
	code, out, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28",
		"--fact", "accuracy=0.95", "--log", log, dir)
	if code != exitInvalid || !strings.Contains(out, ": DENY\n") || !strings.Contains(out, "  FAIL   fria-complete") || !strings.Contains(out, "Art. 27") {
		t.Errorf("gate without the FRIA = %d, want 1 denied by fria-complete naming Art. 27:\n%s%s", code, out, stderr)
	}
	if !strings.Contains(out, "iso42001:A.5.4") {
		t.Errorf("gate without the FRIA does not name the control of fria-complete:\n%s", out)
	}
	if code, out, stderr := runCLI(t, "evidence", "verify", log); code != exitOK || !strings.Contains(out, "1 record") {
		t.Errorf("evidence verify = %d, want 0 with the decision:\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "gate", "--system", "Customer support assistant", "--to", "re-evaluation", "--date", "2026-11-28", dir)
	if code != exitOK || strings.Contains(out, "DENY") {
		t.Errorf("gate of the chatbot = %d, want it decided as usual:\n%s%s", code, out, stderr)
	}
}

// An invalid document stops only the gates of its system: the chatbot's
// broken risk assessment denies the chatbot's gate, and the credit
// scoring gate decides and records as usual.
func TestGateProblemsAreScoped(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(example, "risk-assessment-support-chatbot.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(b), "kind: RiskAssessment\n", "kind: RiskAssessment\ncolour: red\n", 1)
	if broken == string(b) {
		t.Fatal("the example risk assessment changed; change the test")
	}
	dir := copyExample(t, map[string]string{"risk-assessment-support-chatbot.yaml": broken})
	code, _, stderr := runCLI(t, "validate", dir)
	if code != exitInvalid || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "risk-assessment-support-chatbot.yaml") {
		t.Errorf("validate with a broken risk assessment = %d, want 1 with its one problem:\n%s", code, stderr)
	}
	log := filepath.Join(t.TempDir(), "decisions.log")
	code, out, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28", "--log", log, dir)
	if code != exitOK || !strings.Contains(out, "Consumer credit scoring: verification-and-validation -> deployment: ALLOW") {
		t.Errorf("gate of another system = %d, want it allowed:\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "gate", "--system", "Customer support assistant", "--to", "re-evaluation", "--date", "2026-11-28", "--log", log, dir)
	if code != exitInvalid || !strings.Contains(out, "  FAIL   documents-valid") || !strings.Contains(out, "risk-assessment-support-chatbot.yaml") {
		t.Errorf("gate of the system with the broken document = %d, want 1 denied by documents-valid:\n%s%s", code, out, stderr)
	}
	if code, out, stderr := runCLI(t, "evidence", "verify", log); code != exitOK || !strings.Contains(out, "2 records") {
		t.Errorf("evidence verify = %d, want both decisions:\n%s%s", code, out, stderr)
	}

	// A folder-wide document stops every gate.
	dir = copyExample(t, map[string]string{"gate-policy.yaml": "apiVersion: aimskit.dev/v1alpha1\nkind: GatePolicy\nid: Bad Id\ngates: []\n"})
	code, out, stderr = runCLI(t, "gate", "--system", "Customer support assistant", "--to", "re-evaluation", "--date", "2026-11-28", dir)
	if code != exitError || out != "" || !strings.Contains(stderr, "gate-policy.yaml") {
		t.Errorf("gate with a broken policy = %d, want 2 and no decision:\n%s%s", code, out, stderr)
	}
}

// A waiver of not-prohibited is a problem of that waiver: the rest of the
// policy stays in force and the gate denies, on the record.
func TestGateDeniesWaivedProhibitionOnRecord(t *testing.T) {
	sys, err := os.ReadFile(filepath.Join(example, "ai-system-credit-scoring.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	prohibited := strings.Replace(string(sys), "capabilities: [profiling,", "capabilities: [social-scoring, profiling,", 1) // Art. 5(1)(c)
	dir := copyExample(t, map[string]string{"gate-policy.yaml": waiverPolicy("not-prohibited"), "ai-system-credit-scoring.yaml": prohibited})
	log := filepath.Join(t.TempDir(), "decisions.log")
	code, out, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28",
		"--fact", "accuracy=0.95", "--log", log, dir)
	if code != exitInvalid || !strings.Contains(out, ": DENY\n") || !strings.Contains(out, "  FAIL   not-prohibited") {
		t.Errorf("gate with not-prohibited waived = %d, want 1 denied by not-prohibited:\n%s%s", code, out, stderr)
	}
	if want := "gate-policy.yaml:/waivers/0/check: a prohibited practice cannot be waived"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if code, out, stderr := runCLI(t, "evidence", "verify", log); code != exitOK || !strings.Contains(out, "1 record") {
		t.Errorf("evidence verify = %d, want the denial on record:\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "gate", "--system", "Customer support assistant", "--to", "re-evaluation", "--date", "2026-11-28", dir)
	if code != exitOK {
		t.Errorf("gate of the chatbot = %d, want it decided as usual:\n%s%s", code, out, stderr)
	}
}
