package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
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
	envs, err := evidence.ReadBundle(bufio.NewReader(b))
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
