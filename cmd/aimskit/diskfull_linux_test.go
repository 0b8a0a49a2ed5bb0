package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
)

// childEnv names the test a child process of the test binary runs.
const childEnv = "AIMSKIT_TEST_CHILD"

// runChild runs the test named by t in a child process of the test
// binary, with env added, and fails t with the child's output if it
// fails. It reports whether t is the child, which then does the work.
func runChild(t *testing.T, env ...string) (isChild bool) {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(append(os.Environ(), childEnv+"="+t.Name()), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	return false
}

// limitFileSize limits the size of the files the process writes to n
// bytes, as a full disk would: a write past it fails with EFBIG. The
// returned function lifts the limit.
func limitFileSize(t *testing.T, n int64) (lift func()) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	lim := old
	lim.Cur = uint64(n)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGateFinalCheckpointFails runs a gate whose decision is recorded but
// whose final checkpoint cannot be written (the checkpoints file is on a
// full disk): the gate exits 2, the record is in the log, and the next
// gate signs it.
func TestGateFinalCheckpointFails(t *testing.T) {
	dir := os.Getenv("AIMSKIT_TEST_DIR")
	if !runChild(t, "AIMSKIT_TEST_DIR="+t.TempDir()) {
		return
	}
	prefix, log := filepath.Join(dir, "release"), filepath.Join(dir, "ev.jsonl")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	if code, _, stderr := gate(t, prefix, log, "2026-11-28"); code != exitOK {
		t.Fatalf("gate = %d: %s", code, stderr)
	}
	// Make the checkpoints file larger than the log will be, with copies
	// of its latest checkpoint (equal sizes are allowed), so that a
	// limit on file sizes stops the checkpoint and not the record.
	cps := read(t, log+evidence.CheckpointsSuffix)
	lines := bytes.SplitAfter(cps, []byte("\n"))
	last := lines[len(lines)-2]
	write(t, log+evidence.CheckpointsSuffix, append(cps, bytes.Repeat(last, 400)...))
	cpSize := int64(len(cps) + 400*len(last))
	logSize := int64(len(read(t, log)))
	if cpSize < 3*logSize {
		t.Fatalf("checkpoints file of %d bytes, log of %d: want it much larger", cpSize, logSize)
	}

	lift := limitFileSize(t, 2*logSize+4096)
	code, out, stderr := gate(t, prefix, log, "2026-11-29")
	lift()
	if code != exitError || !strings.Contains(stderr, "not closed cleanly") || !strings.Contains(out, ": ALLOW") {
		t.Fatalf("gate with a failing final checkpoint = %d, want %d, the decision and the error:\n%s%s", code, exitError, out, stderr)
	}
	if n := bytes.Count(read(t, log), []byte("\n")); n != 2 {
		t.Errorf("the log holds %d records, want 2: the decision's record is written", n)
	}
	code, _, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", log)
	if code != exitInvalid || !strings.Contains(stderr, "unanchored") {
		t.Errorf("evidence verify = %d, want the last record unanchored: %s", code, stderr)
	}
	if code, out, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--allow-unanchored", "1", log); code != exitOK {
		t.Errorf("evidence verify --allow-unanchored 1 = %d: %s%s", code, out, stderr)
	}
	// The next writer adopts the record, records that, and signs.
	if code, _, stderr := gate(t, prefix, log, "2026-11-30"); code != exitOK {
		t.Fatalf("gate after the disk has room = %d: %s", code, stderr)
	}
	code, out, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", log)
	if code != exitOK || !strings.Contains(out, "intact: 4 records") {
		t.Errorf("evidence verify = %d, want 4 records (with the log-recovery one), all anchored:\n%s%s", code, out, stderr)
	}
}
