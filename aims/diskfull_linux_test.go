package aims_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/inventory"
)

// childEnv names the test a child process of the test binary runs.
const childEnv = "AIMSKIT_TEST_CHILD"

// inChild runs the test named by t in a child process of the test
// binary, where it may limit the process's file sizes, and reports
// whether t is that child.
func inChild(t *testing.T) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	return false
}

// setFileSizeLimit limits the size of the files the process writes to n
// bytes, as a full disk does: a write past it fails (EFBIG). Zero lifts
// the limit.
func setFileSizeLimit(t *testing.T, n int64) {
	t.Helper()
	if err := fileSizeLimit(n); err != nil {
		t.Fatal(err)
	}
}

func fileSizeLimit(n int64) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	lim.Cur = lim.Max
	if n > 0 {
		lim.Cur = uint64(n)
	}
	return syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim)
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestRecorderFileLogDiskFull fills the disk under a Recorder with a Retry
// policy writing to a FileLog: the batch that did not fit is removed and
// written again once there is room, so every decision is in the log once,
// in order, and the log verifies.
func TestRecorderFileLogDiskFull(t *testing.T) {
	if !inChild(t) {
		return
	}
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32))
	signer, err := evidence.NewNoteSigner("example.com/diskfull", priv)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := evidence.NoteVerifierKey("example.com/diskfull", priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "evidence.jsonl")
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 50})
	if err != nil {
		t.Fatal(err)
	}
	var attempts atomic.Int32
	rec := newRecorder(t, l, &aims.RecorderOptions{Buffer: evidence.BufferOptions{BatchSize: 8, Retry: func(ctx context.Context, attempt int, err error) bool {
		// The operator frees space. (On the recorder's goroutine: no
		// t.Fatal here.)
		attempts.Add(1)
		return fileSizeLimit(0) == nil
	}}})
	setFileSizeLimit(t, fileSize(t, path)+20_000)
	const n = 300
	for i := range n {
		if err := rec.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v", i, err)
		}
	}
	if err := rec.Flush(t.Context()); err != nil {
		t.Fatalf("Flush() = %v", err)
	}
	st := rec.Stats()
	closeRecorder(t, rec)
	if err := l.Close(t.Context()); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if attempts.Load() == 0 {
		t.Fatal("the disk never filled up: raise the number of decisions")
	}
	if st.Written != n || st.Failed != 0 {
		t.Errorf("Stats() = %+v, want %d written, none failed", st, n)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	i := 0
	for r, err := range evidence.Records(f) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != fmt.Sprint(i) {
			t.Fatalf("record %d has outcome %q, want %q: lost, repeated or out of order", i, r.Outcome, fmt.Sprint(i))
		}
		i++
	}
	if i != n {
		t.Errorf("the log holds %d records, want %d", i, n)
	}
	if rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey}); err != nil || rep.Records != n {
		t.Errorf("VerifyFile() = %+v, %v", rep, err)
	}
}

// TestGateDiskFull checks that a gate decision and its evidence agree on a
// full disk: a decision whose record could not be written denies and is
// not in the log; once there is room, the next one allows and is.
func TestGateDiskFull(t *testing.T) {
	if !inChild(t) {
		return
	}
	path := filepath.Join(t.TempDir(), "evidence.jsonl")
	l, err := evidence.OpenFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := fixedOptions(nil)
	opts.Evidence = l
	g, err := aims.NewGate(loadExample(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	setFileSizeLimit(t, fileSize(t, path)+100)
	d, err := g.Evaluate(t.Context(), creditScoring, inventory.StageDeployment, nil)
	setFileSizeLimit(t, 0)
	if !errors.Is(err, aims.ErrNotRecorded) || d.Verdict != aims.VerdictDeny {
		t.Errorf("Evaluate() on a full disk = %s, %v; want deny and ErrNotRecorded", d.Verdict, err)
	}
	if l.Len() != 0 || fileSize(t, path) != 0 {
		t.Errorf("after a failed write the log holds %d records, %d bytes; want none", l.Len(), fileSize(t, path))
	}
	d, err = g.Evaluate(t.Context(), creditScoring, inventory.StageDeployment, nil)
	if err != nil || d.Verdict != aims.VerdictAllow || l.Len() != 1 {
		t.Errorf("Evaluate() with room = %s, %v, log of %d; want allow, recorded", d.Verdict, err, l.Len())
	}
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
}
