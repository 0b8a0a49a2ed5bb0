package evidence_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
	"golang.org/x/mod/sumdb/note"
)

// testOrigin is the origin of the logs in the tests.
const testOrigin = "example.com/aimskit/evidence-test"

// testKey returns a fixed Ed25519 key.
func testKey(tb testing.TB) ed25519.PrivateKey {
	tb.Helper()
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

// testNoteKeys returns the note signer and verifier key of testKey.
func testNoteKeys(tb testing.TB) (note.Signer, string) {
	tb.Helper()
	priv := testKey(tb)
	s, err := evidence.NewNoteSigner(testOrigin, priv)
	if err != nil {
		tb.Fatalf("NewNoteSigner() = %v", err)
	}
	vkey, err := evidence.NoteVerifierKey(testOrigin, priv.Public().(ed25519.PublicKey))
	if err != nil {
		tb.Fatalf("NoteVerifierKey() = %v", err)
	}
	return s, vkey
}

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// openLog opens a log in a new temporary directory and closes it when the
// test ends, unless the test closed it.
func openLog(tb testing.TB, opts *evidence.FileOptions) *evidence.FileLog {
	tb.Helper()
	return openLogAt(tb, filepath.Join(tb.TempDir(), "evidence.jsonl"), opts)
}

func openLogAt(tb testing.TB, path string, opts *evidence.FileOptions) *evidence.FileLog {
	tb.Helper()
	l, err := evidence.OpenFile(path, opts)
	if err != nil {
		tb.Fatalf("OpenFile(%s) = %v", path, err)
	}
	tb.Cleanup(func() { _ = l.Close(context.Background()) })
	return l
}

// appendN appends records seq from..from+n-1, in batches of batch.
func appendN(tb testing.TB, l *evidence.FileLog, from, n, batch int) {
	tb.Helper()
	ctx := context.Background()
	recs := make([]*evidence.Record, 0, batch)
	for i := range n {
		recs = append(recs, evidencetest.Record(from+i))
		if len(recs) == batch || i == n-1 {
			if _, err := l.Append(ctx, recs...); err != nil {
				tb.Fatalf("Append() = %v", err)
			}
			recs = recs[:0]
		}
	}
}

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func writeFile(tb testing.TB, path string, b []byte) {
	tb.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// verifyBytes verifies a log and checkpoints held in memory.
func verifyBytes(tb testing.TB, log, checkpoints []byte, vkey string) (evidence.VerifyReport, error) {
	tb.Helper()
	var cps *bytes.Reader
	if checkpoints != nil {
		cps = bytes.NewReader(checkpoints)
	}
	if cps == nil {
		return evidence.Verify(context.Background(), bytes.NewReader(log), nil, vkey)
	}
	return evidence.Verify(context.Background(), bytes.NewReader(log), cps, vkey)
}

// lines splits a log into its lines, without newlines.
func lines(b []byte) [][]byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	if len(b) == 0 {
		return nil
	}
	return bytes.Split(b, []byte("\n"))
}

func join(ls [][]byte) []byte {
	if len(ls) == 0 {
		return nil
	}
	return append(bytes.Join(ls, []byte("\n")), '\n')
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
