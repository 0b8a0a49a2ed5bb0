package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/timestamp/timestamptest"
)

// TestEvidenceTimestampAndVerify time-stamps the checkpoint of a gate's
// log by a local test authority, then verifies the log and its
// time-stamp offline with the authority's certificate, as the README
// says; a token over another checkpoint, a changed token and another
// authority's certificate are refused.
func TestEvidenceTimestampAndVerify(t *testing.T) {
	prefix, log := gateLog(t)
	tsa, err := timestamptest.New(timestamptest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	defer srv.Close()
	certFile := filepath.Join(t.TempDir(), "tsa.pem")
	write(t, certFile, tsa.CertPEM)

	code, out, stderr := runCLI(t, "evidence", "timestamp", "--tsa", srv.URL, "--tsa-cert", certFile, log)
	if code != exitOK || !strings.Contains(out, "time-stamped the checkpoint of") {
		t.Fatalf("evidence timestamp = %d: %s%s", code, out, stderr)
	}
	srv.Close() // verification is offline
	code, out, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--tsa-cert", certFile, log)
	if code != exitOK || !strings.Contains(out, "time-stamps   holds") || !strings.Contains(out, "existed by") {
		t.Fatalf("evidence verify --tsa-cert = %d: %s%s", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, "evidence", "verify", "--tsa-cert", certFile, log); code != exitError || !strings.Contains(stderr, "needs --pub") {
		t.Errorf("--tsa-cert without --pub = %d: %s", code, stderr)
	}

	// The gate time-stamps the checkpoints of its log itself with --tsa.
	srv2 := httptest.NewServer(tsa)
	defer srv2.Close()
	log2 := filepath.Join(t.TempDir(), "gate.jsonl")
	if code, _, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28",
		"--key", prefix+".key", "--log", log2, "--tsa", srv2.URL, example); code != exitOK || stderr != "" {
		t.Fatalf("gate --tsa = %d: %s", code, stderr)
	}
	srv2.Close()
	if code, out, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--tsa-cert", certFile, log2); code != exitOK || !strings.Contains(out, "time-stamps   holds") {
		t.Fatalf("evidence verify --tsa-cert of the gate's log = %d: %s%s", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--log", log2, "--tsa", srv2.URL, example); code != exitError || !strings.Contains(stderr, "--tsa needs") {
		t.Errorf("gate --tsa without --key = %d: %s", code, stderr)
	}

	// Another authority's certificate.
	other, err := timestamptest.New(timestamptest.Options{Name: "Other TSA"})
	if err != nil {
		t.Fatal(err)
	}
	otherFile := filepath.Join(t.TempDir(), "other.pem")
	write(t, otherFile, other.CertPEM)
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--tsa-cert", otherFile, log); code != exitInvalid || !strings.Contains(stderr, "TIME-STAMP REFUSED") {
		t.Errorf("verify with another authority's certificate = %d: %s", code, stderr)
	}

	// A changed token.
	ts := log + evidence.TimestampsSuffix
	orig, err := os.ReadFile(ts)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(orig, []byte(`"}`)) - 8
	bad := bytes.Clone(orig)
	bad[i] ^= 0x01
	if bad[i] == '"' || bad[i] == '\\' {
		bad[i] = 'A'
	}
	write(t, ts, bad)
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--tsa-cert", certFile, log); code != exitInvalid || !strings.Contains(stderr, "bad-timestamp") {
		t.Errorf("verify with a changed token = %d: %s", code, stderr)
	}

	// The token presented for another checkpoint.
	write(t, ts, bytes.Replace(orig, []byte(`{"size":`), []byte(`{"size":1`), 1))
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--tsa-cert", certFile, log); code != exitInvalid || !strings.Contains(stderr, "bad-timestamp") {
		t.Errorf("verify with a token of another checkpoint = %d: %s", code, stderr)
	}

	// No time-stamp at all.
	if err := os.Remove(ts); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--tsa-cert", certFile, log); code != exitInvalid || !strings.Contains(stderr, "no time-stamp") {
		t.Errorf("verify without time-stamps = %d: %s", code, stderr)
	}
}
