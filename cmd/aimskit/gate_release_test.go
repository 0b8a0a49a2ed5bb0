package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence/attest"
)

// gate --date sets the day the documents are evaluated at; the evidence
// record and the attestation are made now, and carry the evaluation time
// apart.
func TestGateDateIsTheEvaluationTime(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "release")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	logPath, bundle := filepath.Join(dir, "ev.jsonl"), filepath.Join(dir, "release.intoto.jsonl")
	before := time.Now().Add(-time.Second)
	code, out, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28",
		"--format", "json", "--key", prefix+".key", "--log", logPath, "--attest", bundle, example)
	after := time.Now().Add(time.Second)
	if code != exitOK {
		t.Fatalf("gate = %d: %s", code, stderr)
	}
	wantEval := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	type times struct {
		Time           time.Time `json:"time"`
		EvaluationTime time.Time `json:"evaluationTime"`
	}
	check := func(what string, got times) {
		t.Helper()
		if got.Time.Before(before) || got.Time.After(after) {
			t.Errorf("%s time = %v, want the current time (between %v and %v)", what, got.Time, before, after)
		}
		if !got.EvaluationTime.Equal(wantEval) {
			t.Errorf("%s evaluationTime = %v, want %v", what, got.EvaluationTime, wantEval)
		}
	}
	var d times
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("gate --format json: %v\n%s", err, out)
	}
	check("decision", d)

	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Time time.Time       `json:"time"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(bytes.SplitN(log, []byte("\n"), 2)[0], &rec); err != nil {
		t.Fatal(err)
	}
	var data times
	if err := json.Unmarshal(rec.Data, &data); err != nil {
		t.Fatal(err)
	}
	check("record data", data)
	if !rec.Time.Equal(data.Time) {
		t.Errorf("record time = %v, want the decision's %v", rec.Time, data.Time)
	}

	b, err := os.Open(bundle)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	envs, err := attest.ReadBundle(bufio.NewReader(b))
	if err != nil || len(envs) != 1 {
		t.Fatalf("ReadBundle = %d envelopes, %v; want 1", len(envs), err)
	}
	payload, err := base64.StdEncoding.DecodeString(envs[0].Payload)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Predicate times `json:"predicate"`
	}
	if err := json.Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	check("predicate", st.Predicate)
}

// copyExample copies the example governance folder to a new directory,
// with extra files added, and returns the directory.
func copyExample(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(example)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(example, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range extra {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const creditScoringID = "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"

func waiverPolicy(check string) string {
	return `apiVersion: aimskit.dev/v1alpha1
kind: GatePolicy
id: release
revision: release/1
gates:
  - to: deployment
    checks:
      - check: fact-threshold
        id: accuracy
        params: {fact: accuracy, min: 0.9}
waivers:
  - {check: ` + check + `, system: ` + creditScoringID + `, approver: CRO, reason: pilot with 20 applicants, granted: 2026-11-01, expires: 2026-12-31}
`
}

// A waived check is waived in the text and the JSON output of gate.
func TestGateWaivedOutput(t *testing.T) {
	dir := copyExample(t, map[string]string{"gate-policy.yaml": waiverPolicy("accuracy")})
	args := []string{"gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28", "--fact", "accuracy=0.8", dir}
	code, out, stderr := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("gate = %d: %s%s", code, out, stderr)
	}
	want := "  waived accuracy                     accuracy = 0.8, below the minimum 0.9 [iso42001:A.6.2.4] (waived by CRO until 2026-12-31: pilot with 20 applicants)\n"
	if !strings.Contains(out, "ALLOW") || !strings.Contains(out, want) {
		t.Errorf("gate output lacks ALLOW and %q:\n%s", want, out)
	}
	code, out, stderr = runCLI(t, append([]string{"gate", "--format", "json"}, args[1:]...)...)
	if code != exitOK {
		t.Fatalf("gate --format json = %d: %s", code, stderr)
	}
	var d struct {
		Verdict string `json:"verdict"`
		Checks  []struct {
			Check   string `json:"check"`
			Outcome string `json:"outcome"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Verdict != "allow" || len(d.Checks) != 3 || d.Checks[1].Check != "accuracy" || d.Checks[1].Outcome != "waived" {
		t.Errorf("gate --format json = %+v, want allow with accuracy waived", d)
	}
}

// A waiver of not-prohibited is reported as a problem of that waiver, and
// the gate does not allow.
func TestGateRefusesWaivedProhibition(t *testing.T) {
	sys, err := os.ReadFile(filepath.Join(example, "ai-system-credit-scoring.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	prohibited := strings.Replace(string(sys), "capabilities: [profiling,", "capabilities: [social-scoring, profiling,", 1) // Art. 5(1)(c)
	if prohibited == string(sys) {
		t.Fatal("the example system no longer lists its capabilities as expected; change the test")
	}
	dir := copyExample(t, map[string]string{"gate-policy.yaml": waiverPolicy("not-prohibited"), "ai-system-credit-scoring.yaml": prohibited})
	code, out, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28", "--fact", "accuracy=0.95", dir)
	if code == exitOK || strings.Contains(out, "ALLOW") {
		t.Errorf("gate with not-prohibited waived = %d:\n%s", code, out)
	}
	if want := "gate-policy.yaml:/waivers/0/check: a prohibited practice cannot be waived"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}

// What readiness reports about a system, its gate reports as a warning.
func TestGateWarnsWhatReadinessReports(t *testing.T) {
	gap := "treatment of risk R-01 of Consumer credit scoring is overdue since 2026-11-30"
	code, out, stderr := runCLI(t, "readiness", "--date", "2026-12-10", example)
	if code != exitOK || !strings.Contains(out, gap) {
		t.Fatalf("readiness = %d, want %q:\n%s%s", code, gap, out, stderr)
	}
	code, out, stderr = runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-12-10", example)
	if code != exitOK || !strings.Contains(out, ": WARN\n") || !strings.Contains(out, "  warn   assessments-current          readiness gaps: 8.3 "+gap) {
		t.Errorf("gate = %d, want WARN with %q:\n%s%s", code, gap, out, stderr)
	}

	// An AI system in the scope of the AIMS needs an impact assessment
	// (ISO/IEC 42001 6.1.4), also when the EU AI Act does not ask for one.
	dir := copyExample(t, nil)
	if err := os.Remove(filepath.Join(dir, "impact-assessment-support-chatbot.yaml")); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "readiness", "--date", "2026-11-28", dir)
	if code != exitOK || !strings.Contains(out, "no impact assessment of Customer support assistant") {
		t.Errorf("readiness without the chatbot's impact assessment = %d:\n%s", code, out)
	}
	code, out, stderr = runCLI(t, "gate", "--system", "Customer support assistant", "--to", "re-evaluation", "--date", "2026-11-28", dir)
	if code != exitOK || !strings.Contains(out, ": WARN\n") || !strings.Contains(out, "  warn   impact-assessed              no impact assessment of the system (ISO/IEC 42001 6.1.4") {
		t.Errorf("gate without the chatbot's impact assessment = %d, want WARN from impact-assessed:\n%s%s", code, out, stderr)
	}
}
