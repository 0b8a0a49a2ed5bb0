package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
	"github.com/aimskit/aimskit/aims/evidence/timestamp"
	"github.com/aimskit/aimskit/aims/evidence/timestamp/timestamptest"
)

// TestEvidenceBundleWitnessAndTimestamps bundles a segmented log whose
// checkpoints are cosigned by a witness on loopback and time-stamped by a
// local test authority, and verifies the bundle offline with the
// auditor's own witness key and certificate, or with the bundled ones;
// another witness's key is refused. The log has one segment: a witness
// keeps one tree per origin, and each segment of a log begins a new tree
// under the same origin, which the witness refuses as inconsistent.
func TestEvidenceBundleWitnessAndTimestamps(t *testing.T) {
	tmp := t.TempDir()
	prefix := filepath.Join(tmp, "release")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	wurl, wvkey := serveWitness(t, tmp, prefix+".pub")
	wkey, err := evidence.ParseWitnessKey(wvkey)
	if err != nil {
		t.Fatal(err)
	}
	tsa, err := timestamptest.New(timestamptest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	defer srv.Close()
	certFile := filepath.Join(tmp, "tsa.pem")
	write(t, certFile, tsa.CertPEM)

	writeLog := func(dir string, days int, ws []evidence.Witness) {
		now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
		s, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{
			File: evidence.FileOptions{Signer: mustSigner(t, prefix+".key"), Sync: evidence.SyncNone, Clock: func() time.Time { return now },
				Witnesses: ws, Timestamper: &timestamp.Client{URL: srv.URL}},
			Daily: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		for d := range days {
			for i := range 3 {
				r := evidencetest.Record(d*3 + i)
				r.Time = now
				if _, err := s.Append(context.Background(), r); err != nil {
					t.Fatal(err)
				}
			}
			now = now.Add(24 * time.Hour)
		}
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(tmp, "evidence")
	writeLog(dir, 1, []evidence.Witness{{URL: wurl, Key: wkey}})
	// Time-stamps, without a witness, over three segments.
	dir3 := filepath.Join(tmp, "evidence3")
	writeLog(dir3, 3, nil)
	srv.Close() // everything after this is offline

	out3 := filepath.Join(tmp, "audit3.tar")
	if code, stdout, stderr := runCLI(t, "evidence", "bundle", "--pub", prefix+".pub", "--tsa-cert", certFile, "--first", "2", "--out", out3, dir3); code != exitOK {
		t.Fatalf("evidence bundle --tsa-cert --first 2 = %d: %s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--tsa-cert", certFile, out3); code != exitOK || !strings.Contains(stdout, "in 2 segments") {
		t.Errorf("evidence verify --tsa-cert of a range = %d: %s%s", code, stdout, stderr)
	}
	other, err := timestamptest.New(timestamptest.Options{Name: "Other TSA"})
	if err != nil {
		t.Fatal(err)
	}
	otherCert := filepath.Join(tmp, "other-tsa.pem")
	write(t, otherCert, other.CertPEM)
	if code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--tsa-cert", otherCert, out3); code != exitInvalid || !strings.Contains(stderr, "TIME-STAMP REFUSED") {
		t.Errorf("evidence verify with another authority's certificate = %d: %s%s", code, stdout, stderr)
	}

	out := filepath.Join(tmp, "audit.tar")
	code, stdout, stderr := runCLI(t, "evidence", "bundle", "--pub", prefix+".pub", "--witness", wvkey, "--tsa-cert", certFile, "--out", out, dir)
	if code != exitOK || !strings.Contains(stdout, "and witness witness.example/w1") || !strings.Contains(stdout, "time-stamping authority") {
		t.Fatalf("evidence bundle --witness --tsa-cert = %d: %s%s", code, stdout, stderr)
	}
	entries := readTar(t, out)
	names := map[string]bool{}
	for _, e := range entries {
		names[e.name] = true
	}
	for _, n := range []string{"witness-1.vkey", "tsa.pem", "segment-000001.jsonl.timestamps"} {
		if !names[n] {
			t.Errorf("the bundle lacks %s", n)
		}
	}

	code, stdout, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--witness", wvkey, "--tsa-cert", certFile, out)
	if code != exitOK || strings.Count(stdout, "the same as the one you gave") != 3 {
		t.Errorf("evidence verify --pub --witness --tsa-cert BUNDLE = %d: %s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "evidence", "verify", "--bundled-keys", out)
	if code != exitOK || strings.Count(stdout, "USED") != 3 || !strings.Contains(stderr, "witness witness.example/w1") {
		t.Errorf("evidence verify --bundled-keys BUNDLE = %d: %s%s", code, stdout, stderr)
	}
	// Another witness, whose cosignature the checkpoints lack.
	otherW := filepath.Join(tmp, "other")
	if code, _, stderr := runCLI(t, "keygen", "--out", otherW); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	_, ovkey, _ := runCLI(t, "witness", "key", "--key", otherW+".key", "--name", "witness.example/w2")
	code, stdout, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--witness", strings.TrimSpace(ovkey), out)
	if code != exitInvalid || !strings.Contains(stderr, "NOT WITNESSED") || !strings.Contains(stdout, "DIFFERS") {
		t.Errorf("evidence verify --witness OTHER BUNDLE = %d: %s%s", code, stdout, stderr)
	}
}
