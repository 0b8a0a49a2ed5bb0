package evidence_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/timestamp"
	"github.com/aimskit/aimskit/aims/evidence/timestamp/timestamptest"
)

// timestampedLog writes a log of 2500 records whose checkpoints are
// time-stamped by a local test authority over HTTP on loopback, and
// returns its path, its verifier key and the authority.
func timestampedLog(t *testing.T) (string, string, *timestamptest.Authority) {
	t.Helper()
	clock := newFakeClock()
	tsa, err := timestamptest.New(timestamptest.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	t.Cleanup(srv.Close)
	signer, vkey := testNoteKeys(t)
	l := openLog(t, &evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone, Clock: clock.Now,
		Timestamper: &timestamp.Client{URL: srv.URL, HTTPClient: srv.Client()}})
	appendN(t, l, 0, 2500, 100)
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := tsa.Requests(); got != 3 {
		t.Fatalf("the authority answered %d requests, want 3 (checkpoints of 1000, 2000 and 2500 records)", got)
	}
	return l.Path(), vkey, tsa
}

func TestTimestampedCheckpointsVerifyOffline(t *testing.T) {
	path, vkey, tsa := timestampedLog(t)
	rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey, TSACert: tsa.Cert})
	if err != nil {
		t.Fatalf("VerifyFile() = %v", err)
	}
	c := rep.Check(evidence.CheckTimestamps)
	if c.Status != evidence.StatusHolds || !strings.Contains(c.Detail, "3 time-stamps by CN=Test TSA verify: the first 2500 records existed by 2026-03-01T12:00:00Z") {
		t.Errorf("time-stamps check %+v", c)
	}
	// Without a certificate, time-stamps are not read nor reported.
	rep, err = evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey})
	if err != nil || rep.Check(evidence.CheckTimestamps).Name != "" {
		t.Errorf("VerifyFile() without a TSA certificate = %v, %+v", err, rep.Check(evidence.CheckTimestamps))
	}
	if _, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{TSACert: tsa.Cert}); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("time-stamps without a key: %v, want ErrInvalid", err)
	}
}

// rewriteTimestamps applies f to each line of the time-stamps file.
func rewriteTimestamps(t *testing.T, path string, f func(i int, size *int64, token []byte) []byte) {
	t.Helper()
	var out [][]byte
	for i, line := range lines(readFile(t, path+evidence.TimestampsSuffix)) {
		var tl struct {
			Size  int64  `json:"size"`
			Token []byte `json:"token"`
		}
		if err := json.Unmarshal(line, &tl); err != nil {
			t.Fatal(err)
		}
		tok := f(i, &tl.Size, tl.Token)
		b, err := evidence.TimestampLine(tl.Size, tok)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bytes.TrimSuffix(b, []byte("\n")))
	}
	writeFile(t, path+evidence.TimestampsSuffix, join(out))
}

func wantBadTimestamp(t *testing.T, path, vkey string, tsa *timestamptest.Authority, want string) {
	t.Helper()
	rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey, TSACert: tsa.Cert})
	var ve *evidence.VerifyError
	if !errors.As(err, &ve) || ve.Reason != evidence.ReasonBadTimestamp || !strings.Contains(ve.Detail, want) {
		t.Fatalf("VerifyFile() = %v, want %s with %q", err, evidence.ReasonBadTimestamp, want)
	}
	if c := rep.Check(evidence.CheckTimestamps); c.Status != evidence.StatusFails {
		t.Errorf("time-stamps check %+v, want it to fail", c)
	}
}

func TestTimestampOverAnotherCheckpointIsRefused(t *testing.T) {
	path, vkey, tsa := timestampedLog(t)
	// The token of the checkpoint of 1000 records, presented as that of
	// the checkpoint of 2000.
	rewriteTimestamps(t, path, func(i int, size *int64, token []byte) []byte {
		if *size == 1000 {
			*size = 2000
		}
		return token
	})
	wantBadTimestamp(t, path, vkey, tsa, "over another digest")
}

func TestTamperedTimestampIsRefused(t *testing.T) {
	path, vkey, tsa := timestampedLog(t)
	rewriteTimestamps(t, path, func(i int, size *int64, token []byte) []byte {
		if i == 1 {
			token[len(token)-5] ^= 0x10 // in the signature
		}
		return token
	})
	wantBadTimestamp(t, path, vkey, tsa, "refused")
}

func TestTimestampByAnotherAuthorityIsRefused(t *testing.T) {
	path, vkey, _ := timestampedLog(t)
	other, err := timestamptest.New(timestamptest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantBadTimestamp(t, path, vkey, other, "is refused")
}

func TestMissingTimestampsAreRefused(t *testing.T) {
	path, vkey, tsa := timestampedLog(t)
	writeFile(t, path+evidence.TimestampsSuffix, nil)
	wantBadTimestamp(t, path, vkey, tsa, "no time-stamp")
}

func TestTimestampOfAMissingCheckpointIsRefused(t *testing.T) {
	path, vkey, tsa := timestampedLog(t)
	rewriteTimestamps(t, path, func(i int, size *int64, token []byte) []byte {
		*size = 1500
		return token
	})
	wantBadTimestamp(t, path, vkey, tsa, "which the log does not have")
}

// TestTimestampFailureKeepsTheCheckpoint: an authority that cannot be
// reached costs the time-stamp, not the checkpoint or the records.
func TestTimestampFailureKeepsTheCheckpoint(t *testing.T) {
	srv := httptest.NewServer(nil)
	srv.Close() // nothing listens
	signer, vkey := testNoteKeys(t)
	l := openLog(t, &evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone,
		Timestamper: &timestamp.Client{URL: srv.URL}})
	appendN(t, l, 0, 10, 10)
	if err := l.Close(t.Context()); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if _, err := evidence.VerifyFile(t.Context(), l.Path(), &evidence.VerifyOptions{Key: vkey}); err != nil {
		t.Fatalf("VerifyFile() = %v", err)
	}
}

func TestAppendTimestamp(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	l := openLog(t, &evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone})
	appendN(t, l, 0, 10, 10)
	signed, err := l.Checkpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tsa, err := timestamptest.New(timestamptest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	defer srv.Close()
	if _, err := evidence.AppendTimestamp(t.Context(), l.Path(), signed, &timestamp.Client{URL: srv.URL, Cert: tsa.Cert}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.VerifyFile(t.Context(), l.Path(), &evidence.VerifyOptions{Key: vkey, TSACert: tsa.Cert}); err != nil {
		t.Fatalf("VerifyFile() = %v", err)
	}
	d, err := evidence.CheckpointDigest(signed)
	text := signed[:bytes.Index(signed, []byte("\n\n"))+1]
	if err != nil || d != timestamp.Digest(text) {
		t.Errorf("CheckpointDigest() = %x, %v", d, err)
	}
}
