package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// serveWitness runs "aimskit witness serve" on a loopback port until the
// test ends, and returns its URL and verifier key.
func serveWitness(t *testing.T, dir, logPub string) (url, vkey string) {
	t.Helper()
	wprefix := filepath.Join(dir, "witness")
	if code, _, stderr := runCLI(t, "keygen", "--out", wprefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	code, out, stderr := runCLI(t, "witness", "key", "--key", wprefix+".key", "--name", "witness.example/w1")
	if code != exitOK {
		t.Fatalf("witness key = %d: %s", code, stderr)
	}
	vkey = strings.TrimSpace(out)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"witness", "serve", "--addr", "127.0.0.1:0", "--key", wprefix + ".key",
			"--name", "witness.example/w1", "--log", logPub, "--state", filepath.Join(dir, "witness.state")}, pw, &errb)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("witness serve: %v: %s", err, errb.String())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("witness serve exit = %d: %s", code, errb.String())
		}
	})
	_, rest, _ := strings.Cut(line, "listening on ")
	url, _, _ = strings.Cut(rest, " ")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.Contains(line, vkey) {
		t.Fatalf("witness serve said %q", line)
	}
	return url, vkey
}

// writeSignedLog writes n records to a new log at path, signed with the
// key at keyFile under the default origin, asking the witnesses given.
func writeSignedLog(t *testing.T, path, keyFile string, from, n int, ws ...evidence.Witness) {
	t.Helper()
	_, priv, err := readPrivateKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := evidence.NewNoteSigner(defaultOrigin, priv)
	if err != nil {
		t.Fatal(err)
	}
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: s, Witnesses: ws, CheckpointEvery: 4})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := l.Append(context.Background(), evidencetest.Record(from+i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// With the log's own key stolen, a rewrite after a cosigned checkpoint
// verifies with the key alone, and fails "evidence verify --witness".
func TestVerifyWitnessCatchesRewriteWithStolenKey(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "log")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	url, vkey := serveWitness(t, dir, prefix+".pub")
	wk, err := evidence.ParseWitnessKey(vkey)
	if err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "ev.jsonl")
	writeSignedLog(t, log, prefix+".key", 0, 10, evidence.Witness{URL: url, Key: wk})

	code, out, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--witness", vkey, log)
	if code != exitOK || !strings.Contains(out, "cosigned by 1 of 1 witnesses") || !strings.Contains(out, "witnesses     holds") {
		t.Fatalf("verify --witness = %d:\n%s%s", code, out, stderr)
	}
	// A second witness that never saw the log: a quorum of 1 of 2 holds,
	// the default (all) does not.
	other, err := evidence.NewWitnessKey("witness.example/w2", make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--witness", vkey, "--witness", other.String(), "--witness-quorum", "1", log); code != exitOK {
		t.Fatalf("verify --witness-quorum 1 = %d:\n%s%s", code, out, stderr)
	}
	if code, out, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--witness", vkey, "--witness", other.String(), log); code != exitInvalid {
		t.Fatalf("verify with two witnesses, one cosigned, default quorum = %d:\n%s%s", code, out, stderr)
	}
	original := readFileT(t, log+evidence.CheckpointsSuffix)

	// The attacker, holding the log's key, writes another history of the
	// same length and signs it; it copies the cosignatures of the original
	// latest checkpoint onto its own.
	forged := filepath.Join(dir, "forged.jsonl")
	writeSignedLog(t, forged, prefix+".key", 50, 10)
	cps := bytes.Split(bytes.TrimSpace(readFileT(t, forged+evidence.CheckpointsSuffix)), []byte("\n"))
	lastNote := func(lines [][]byte) []byte {
		n, err := readCheckpointFile(writeTemp(t, dir, lines[len(lines)-1]))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	origLast := lastNote(bytes.Split(bytes.TrimSpace(original), []byte("\n")))
	forgedLast := lastNote(cps)
	var cosigs [][]byte
	for _, l := range bytes.SplitAfter(origLast, []byte("\n")) {
		if bytes.HasPrefix(l, []byte("\u2014 witness.example/w1 ")) {
			cosigs = append(cosigs, l)
		}
	}
	if len(cosigs) != 1 {
		t.Fatalf("the original checkpoint carries %d cosignatures:\n%s", len(cosigs), origLast)
	}
	withCopied, err := evidence.CheckpointLine(append(bytes.Clone(forgedLast), cosigs[0]...))
	if err != nil {
		t.Fatal(err)
	}
	cps[len(cps)-1] = bytes.TrimSuffix(withCopied, []byte("\n"))
	write(t, log, readFileT(t, forged))
	write(t, log+evidence.CheckpointsSuffix, append(bytes.Join(cps, []byte("\n")), '\n'))

	if code, out, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", log); code != exitOK {
		t.Fatalf("verify with the key alone = %d (the stolen key makes the rewrite verify):\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--witness", vkey, log)
	if code != exitInvalid || !strings.Contains(stderr, "NOT WITNESSED") || !strings.Contains(out, "witnesses     fails") {
		t.Fatalf("verify --witness of the rewrite = %d, want %d:\n%s%s", code, exitInvalid, out, stderr)
	}

	// The witness itself refuses the forged history.
	l, err := evidence.OpenFile(forged, &evidence.FileOptions{Signer: mustSigner(t, prefix+".key"), Witnesses: []evidence.Witness{{URL: url, Key: wk}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(context.Background(), evidencetest.Record(99)); err != nil {
		t.Fatal(err)
	}
	cp, err := l.Checkpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := evidence.Cosignatures(cp, []evidence.WitnessKey{wk}); len(got) != 0 {
		t.Fatalf("the witness cosigned the forged history: %v", got)
	}
}

func TestVerifyWitnessFlags(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "log")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	log := filepath.Join(dir, "ev.jsonl")
	writeSignedLog(t, log, prefix+".key", 0, 3)
	for _, args := range [][]string{
		{"--witness", "nonsense", "--pub", prefix + ".pub"},
		{"--witness", "w+00000000+BA=="},
		{"--witness-quorum", "2", "--pub", prefix + ".pub"},
		{"--keyring", filepath.Join(dir, "missing.json")},
		{"--keyring", prefix + ".pub", "--pub", prefix + ".pub"},
	} {
		if code, _, _ := runCLI(t, append(append([]string{"evidence", "verify"}, args...), log)...); code != exitError {
			t.Errorf("verify %v = %d, want %d", args, code, exitError)
		}
	}
	// An unwitnessed log fails --witness.
	vk, err := evidence.NewWitnessKey("w.example", make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--witness", vk.String(), log); code != exitInvalid {
		t.Errorf("verify --witness of an unwitnessed log = %d: %s", code, stderr)
	}
}

// A log rotated from key A to key B verifies with a key ring through the
// CLI.
func TestVerifyKeyRingRotation(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, p := range []string{a, b} {
		if code, _, stderr := runCLI(t, "keygen", "--out", p); code != exitOK {
			t.Fatalf("keygen = %d: %s", code, stderr)
		}
	}
	log := filepath.Join(dir, "ev.jsonl")
	writeSignedLog(t, log, a+".key", 0, 6)
	va, err := verifierKey(a+".pub", defaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	vb, err := verifierKey(b+".pub", defaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	kr, err := evidence.ParseKeyRing([]byte(fmt.Sprintf(`{"keys": [{"key": %q, "until": 6}, {"key": %q, "from": 6}]}`, va, vb)))
	if err != nil {
		t.Fatal(err)
	}
	ring := filepath.Join(dir, "ring.json")
	write(t, ring, []byte(fmt.Sprintf(`{"keys": [{"key": %q, "until": 6}, {"key": %q, "from": 6}]}`, va, vb)))
	l, err := evidence.OpenFile(log, &evidence.FileOptions{Signer: mustSigner(t, b+".key"), KeyRing: kr})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := l.Append(context.Background(), evidencetest.Record(6+i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runCLI(t, "evidence", "verify", "--keyring", ring, log); code != exitOK || !strings.Contains(out, "11 records") {
		t.Fatalf("verify --keyring = %d:\n%s%s", code, out, stderr)
	}
	// A's period ends at 4: its checkpoint of size 6 is refused.
	write(t, ring, []byte(fmt.Sprintf(`{"keys": [{"key": %q, "until": 4}, {"key": %q, "from": 6}]}`, va, vb)))
	code, _, stderr := runCLI(t, "evidence", "verify", "--keyring", ring, log)
	if code != exitInvalid || !strings.Contains(stderr, "key-out-of-period") || !strings.Contains(stderr, "aimskit+") {
		t.Fatalf("verify --keyring with A's period too short = %d: %s", code, stderr)
	}
}

func mustSigner(t *testing.T, keyFile string) note.Signer {
	t.Helper()
	_, priv, err := readPrivateKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := evidence.NewNoteSigner(defaultOrigin, priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readFileT(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeTemp(t *testing.T, dir string, b []byte) string {
	t.Helper()
	f, err := os.CreateTemp(dir, "cp-*")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// A segmented log rotated from key A to key B inside a segment verifies
// with a key ring through the CLI, as a folder and as a bundle that
// carries the ring; a bundle with a forger's ring is refused with the
// auditor's.
func TestSegmentsKeyRingRotation(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	for _, p := range []string{a, b, c} {
		if code, _, stderr := runCLI(t, "keygen", "--out", p); code != exitOK {
			t.Fatalf("keygen = %d: %s", code, stderr)
		}
	}
	vkeyOf := func(p string) string {
		t.Helper()
		v, err := verifierKey(p+".pub", defaultOrigin)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	now := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	writeSegments := func(dir, keyFile string, kr *evidence.KeyRing, from, n int) int64 {
		t.Helper()
		s, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{
			File:       evidence.FileOptions{Signer: mustSigner(t, keyFile), KeyRing: kr, Sync: evidence.SyncNone, Clock: func() time.Time { return now }},
			MaxRecords: 6,
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if _, err := s.Append(context.Background(), evidencetest.Record(from+i)); err != nil {
				t.Fatal(err)
			}
		}
		size := s.Len()
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		return size
	}
	segs := filepath.Join(dir, "evidence")
	rotated := writeSegments(segs, a+".key", nil, 0, 15)
	ringText := fmt.Sprintf(`{"keys": [{"key": %q, "until": %d}, {"key": %q, "from": %d}]}`, vkeyOf(a), rotated, vkeyOf(b), rotated)
	kr, err := evidence.ParseKeyRing([]byte(ringText))
	if err != nil {
		t.Fatal(err)
	}
	ring := filepath.Join(dir, "ring.json")
	write(t, ring, []byte(ringText))
	total := writeSegments(segs, b+".key", kr, 15, 15)

	code, out, stderr := runCLI(t, "evidence", "verify", "--keyring", ring, segs)
	if code != exitOK || !strings.Contains(out, fmt.Sprintf("intact: %d records", total)) {
		t.Fatalf("verify --keyring DIR = %d:\n%s%s", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", a+".pub", segs); code == exitOK {
		t.Errorf("verify --pub A DIR = %d, want a failure: %s", code, stderr)
	}

	bundlePath := filepath.Join(dir, "audit.tar")
	code, out, stderr = runCLI(t, "evidence", "bundle", "--keyring", ring, "--out", bundlePath, segs)
	if code != exitOK || !strings.Contains(out, "key ring") || !strings.Contains(out, "sizes 0 to "+fmt.Sprint(rotated)) {
		t.Fatalf("evidence bundle --keyring = %d:\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "evidence", "verify", "--keyring", ring, bundlePath)
	if code != exitOK || !strings.Contains(out, "key-ring") || !strings.Contains(out, "the same as the one you gave") {
		t.Fatalf("verify --keyring BUNDLE = %d:\n%s%s", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--keyring", ring, "--pub", a+".pub", "--out", filepath.Join(dir, "x.tar"), segs); code != exitError {
		t.Errorf("evidence bundle --keyring --pub = %d, want %d: %s", code, exitError, stderr)
	}

	// A forger re-signs the evidence with key C and bundles a ring of C.
	forged := filepath.Join(dir, "forged")
	writeSegments(forged, c+".key", nil, 0, 30)
	forgedRing := filepath.Join(dir, "forged-ring.json")
	write(t, forgedRing, []byte(fmt.Sprintf(`{"keys": [{"key": %q}]}`, vkeyOf(c))))
	forgedBundle := filepath.Join(dir, "forged.tar")
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--keyring", forgedRing, "--out", forgedBundle, forged); code != exitOK {
		t.Fatalf("evidence bundle (forged) = %d: %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "evidence", "verify", "--keyring", ring, forgedBundle)
	if code != exitInvalid || !strings.Contains(stderr, "REFUSED") || !strings.Contains(stderr, "another key ring") {
		t.Fatalf("verify --keyring (auditor's) on a forged bundle = %d: %s", code, stderr)
	}
}

// --workers changes how many goroutines verify, not what is found: a log
// whose record 1700 was altered (so that record 1701 no longer links to
// it) gives the same report with one worker and with several.
func TestVerifyWorkers(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "log")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	log := filepath.Join(dir, "ev.jsonl")
	writeSignedLog(t, log, prefix+".key", 0, 3000)
	lines := bytes.SplitAfter(readFileT(t, log), []byte("\n"))
	lines[1700] = bytes.Replace(lines[1700], []byte(`"time":"`), []byte(`"time": "`), 1)
	write(t, log, bytes.Join(lines, nil))
	var first string
	for _, w := range []string{"1", "2", "5"} {
		code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--workers", w, log)
		if code != exitInvalid || !strings.Contains(stderr, "TAMPERED at record 1701") {
			t.Fatalf("verify --workers %s = %d: %s%s", w, code, stdout, stderr)
		}
		if first == "" {
			first = stdout + stderr
		} else if stdout+stderr != first {
			t.Errorf("verify --workers %s:\n%s\nwant, as with one worker:\n%s", w, stdout+stderr, first)
		}
	}
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--workers", "-1", log); code != exitError || !strings.Contains(stderr, "--workers") {
		t.Errorf("verify --workers -1 = %d: %s", code, stderr)
	}
}
