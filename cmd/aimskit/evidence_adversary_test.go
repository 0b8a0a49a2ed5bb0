package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
)

// gateLog writes a log of two gate decisions, signed with a new key, and
// returns the key prefix and the log's path.
func gateLog(t *testing.T) (prefix, log string) {
	t.Helper()
	dir := t.TempDir()
	prefix = filepath.Join(dir, "release")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	log = filepath.Join(dir, "ev.jsonl")
	for _, date := range []string{"2026-11-28", "2026-11-29"} {
		if code, _, stderr := gate(t, prefix, log, date); code != exitOK {
			t.Fatalf("gate --log = %d: %s", code, stderr)
		}
	}
	return prefix, log
}

func gate(t *testing.T, prefix, log, date string) (int, string, string) {
	t.Helper()
	return runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", date,
		"--key", prefix+".key", "--log", log, example)
}

// rewriteRecord changes the outcome of record i and relinks the records
// after it, as someone who can write the file would.
func rewriteRecord(t *testing.T, log []byte, i int) []byte {
	t.Helper()
	ls := bytes.Split(bytes.TrimSuffix(log, []byte("\n")), []byte("\n"))
	ls[i] = bytes.Replace(ls[i], []byte(`"outcome":"allow"`), []byte(`"outcome":"deny"`), 1)
	prev := evidence.Genesis
	if i > 0 {
		prev = evidence.LinkHash(ls[i-1])
	}
	const tail = len(evidence.Genesis) + 2
	for j := i; j < len(ls); j++ {
		ls[j] = append(bytes.Clone(ls[j][:len(ls[j])-tail]), prev+`"}`...)
		prev = evidence.LinkHash(ls[j])
	}
	return append(bytes.Join(ls, []byte("\n")), '\n')
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The log is rewritten, relinked, and its checkpoints file deleted: with
// the key, verification fails, and the writer refuses to sign over it.
func TestEvidenceRewriteWithoutCheckpoints(t *testing.T) {
	prefix, log := gateLog(t)
	orig := read(t, log)
	forged := rewriteRecord(t, orig, 1)
	write(t, log, forged)
	if err := os.Remove(log + evidence.CheckpointsSuffix); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", log)
	if code != exitInvalid || !strings.Contains(stderr, "unanchored") {
		t.Errorf("evidence verify = %d, want %d and unanchored records:\n%s%s", code, exitInvalid, out, stderr)
	}
	code, _, stderr = gate(t, prefix, log, "2026-11-30")
	if code != exitError || !strings.Contains(stderr, "refusing to append") {
		t.Errorf("gate on the rewritten log = %d, want %d and a refusal: %s", code, exitError, stderr)
	}
	if got := read(t, log); !bytes.Equal(got, forged) {
		t.Error("the writer changed a log it refused")
	}
	if _, err := os.Stat(log + evidence.CheckpointsSuffix); err == nil {
		t.Error("the writer made a checkpoints file for a log it refused")
	}
}

// The rewritten log keeps its first checkpoint: verification reports the
// records after it as unanchored, and the writer refuses.
func TestEvidenceRewriteKeepingOldCheckpoint(t *testing.T) {
	prefix, log := gateLog(t)
	write(t, log, rewriteRecord(t, read(t, log), 1))
	cps := bytes.SplitAfter(read(t, log+evidence.CheckpointsSuffix), []byte("\n"))
	write(t, log+evidence.CheckpointsSuffix, bytes.Join(cps[:2], nil)) // sizes 0 and 1
	if code, out, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", log); code != exitInvalid || !strings.Contains(stderr, "unanchored") {
		t.Errorf("evidence verify = %d, want %d and unanchored records:\n%s%s", code, exitInvalid, out, stderr)
	}
	// Records after the latest checkpoint are what a crash leaves: the
	// writer adopts them, but never silently: it records the adoption,
	// which the auditor sees in the log.
	if code, _, stderr := gate(t, prefix, log, "2026-11-30"); code != exitOK {
		t.Fatalf("gate = %d: %s", code, stderr)
	}
	if got := string(read(t, log)); !strings.Contains(got, `"type":"log-recovery"`) || !strings.Contains(got, "adopted records 1 to 1") {
		t.Errorf("the log does not record the adoption of record 1:\n%s", got)
	}
}

// The last record and its checkpoint are deleted: a state the log was in
// and signed. The key alone cannot tell; the checkpoint an auditor kept
// can, and the report says which check was not made.
func TestEvidenceRollbackNeedsTrustedHead(t *testing.T) {
	prefix, log := gateLog(t)
	head := filepath.Join(filepath.Dir(log), "head.json")
	cps := bytes.SplitAfter(read(t, log+evidence.CheckpointsSuffix), []byte("\n"))
	write(t, head, cps[len(cps)-2]) // the auditor's copy of the latest checkpoint
	if code, out, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--trusted", head, log); code != exitOK || !strings.Contains(out, "trusted-head  holds") {
		t.Fatalf("evidence verify --trusted of the intact log = %d:\n%s%s", code, out, stderr)
	}
	ls := bytes.SplitAfter(read(t, log), []byte("\n"))
	write(t, log, ls[0])
	write(t, log+evidence.CheckpointsSuffix, bytes.Join(cps[:2], nil))
	code, out, _ := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", log)
	if code != exitOK || !strings.Contains(out, "trusted-head  not-checked") {
		t.Errorf("evidence verify of a rollback, key alone = %d, want 0 and the trusted head not checked:\n%s", code, out)
	}
	code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--trusted", head, log)
	if code != exitInvalid || !strings.Contains(stderr, "missing-records") {
		t.Errorf("evidence verify --trusted of a rollback = %d, want %d: %s", code, exitInvalid, stderr)
	}
}

// A log cut back is refused by the writer: it never signs a smaller size
// after a larger one.
func TestEvidenceWriterRefusesRollback(t *testing.T) {
	prefix, log := gateLog(t)
	ls := bytes.SplitAfter(read(t, log), []byte("\n"))
	write(t, log, ls[0])
	cps := read(t, log+evidence.CheckpointsSuffix)
	code, _, stderr := gate(t, prefix, log, "2026-11-30")
	if code != exitError || !strings.Contains(stderr, "missing-records") {
		t.Errorf("gate on a truncated log = %d, want %d and missing records: %s", code, exitError, stderr)
	}
	if !bytes.Equal(read(t, log), ls[0]) || !bytes.Equal(read(t, log+evidence.CheckpointsSuffix), cps) {
		t.Error("the writer changed a log it refused")
	}
}

// A wrong key or origin is a configuration mistake, told apart from
// tampering, with both keys or both origins named.
func TestEvidenceWrongKeyOrOrigin(t *testing.T) {
	prefix, log := gateLog(t)
	other := filepath.Join(t.TempDir(), "other")
	if code, _, stderr := runCLI(t, "keygen", "--out", other); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	code, _, stderr := runCLI(t, "evidence", "verify", "--pub", other+".pub", log)
	if code != exitError || strings.Contains(stderr, "TAMPERED") || !strings.Contains(stderr, "signed by key aimskit+") ||
		!strings.Contains(stderr, "not a sign of tampering") {
		t.Errorf("evidence verify with another key = %d, want %d naming both keys: %s", code, exitError, stderr)
	}
	code, _, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--origin", "acme", log)
	if code != exitError || !strings.Contains(stderr, `of the log "aimskit", not "acme"`) {
		t.Errorf("evidence verify with another origin = %d, want %d naming both origins: %s", code, exitError, stderr)
	}
}

// A consistency proof from "prove --old" is checked by "check".
func TestEvidenceConsistencyProof(t *testing.T) {
	prefix, log := gateLog(t)
	code, out, stderr := runCLI(t, "evidence", "prove", "--old", "1", log)
	if code != exitOK {
		t.Fatalf("evidence prove --old 1 = %d: %s", code, stderr)
	}
	proof := filepath.Join(t.TempDir(), "cons.json")
	write(t, proof, []byte(out))
	code, out, stderr = runCLI(t, "evidence", "check", "--pub", prefix+".pub", proof)
	if code != exitOK || !strings.Contains(out, "extends its signed log of 1 record") {
		t.Errorf("evidence check of a consistency proof = %d: %s%s", code, out, stderr)
	}
	// With the checkpoint an auditor kept of the first record.
	head := filepath.Join(t.TempDir(), "head.json")
	cps := bytes.SplitAfter(read(t, log+evidence.CheckpointsSuffix), []byte("\n"))
	write(t, head, cps[1])
	code, out, stderr = runCLI(t, "evidence", "prove", "--trusted", head, log)
	if code != exitOK {
		t.Fatalf("evidence prove --trusted = %d: %s", code, stderr)
	}
	write(t, proof, []byte(out))
	if code, out, stderr := runCLI(t, "evidence", "check", "--pub", prefix+".pub", "--trusted", head, proof); code != exitOK {
		t.Errorf("evidence check --trusted = %d: %s%s", code, out, stderr)
	}
	// A proof against another checkpoint of the same size does not hold.
	forged := bytes.Replace([]byte(out), []byte(`"hashes": [`), []byte(`"hashes": ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",`), 1)
	write(t, proof, forged)
	if code, _, stderr := runCLI(t, "evidence", "check", "--pub", prefix+".pub", proof); code != exitInvalid {
		t.Errorf("evidence check of a changed proof = %d, want %d: %s", code, exitInvalid, stderr)
	}
}

// The log is never written through a symbolic link.
func TestEvidenceSymlinkRefused(t *testing.T) {
	prefix, _ := gateLog(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "precious.txt")
	write(t, target, []byte("not a log, and no newline at the end"))
	link := filepath.Join(dir, "release.evidence.jsonl")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	code, _, stderr := gate(t, prefix, link, "2026-11-30")
	if code != exitError || !strings.Contains(stderr, "symbolic link") {
		t.Errorf("gate --log SYMLINK = %d, want %d: %s", code, exitError, stderr)
	}
	if got := read(t, target); string(got) != "not a log, and no newline at the end" {
		t.Errorf("the file behind the link was changed to %q", got)
	}
}

// "evidence verify" points at verify-attestation for a bundle.
func TestEvidenceVerifyOnBundle(t *testing.T) {
	prefix, _ := gateLog(t)
	bundle := filepath.Join(t.TempDir(), "release.intoto.jsonl")
	code, _, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", "2026-11-28",
		"--key", prefix+".key", "--attest", bundle, example)
	if code != exitOK {
		t.Fatalf("gate --attest = %d: %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "evidence", "verify", bundle)
	if code != exitInvalid || !strings.Contains(stderr, "verify-attestation") {
		t.Errorf("evidence verify BUNDLE = %d: %s", code, stderr)
	}
	if code, out, stderr := runCLI(t, "evidence", "verify-attestation", "--pub", prefix+".pub", bundle); code != exitOK {
		t.Errorf("evidence verify-attestation = %d: %s%s", code, out, stderr)
	}
}

// The example's release log verifies with the command the README gives.
func TestExampleReleaseLogVerifies(t *testing.T) {
	code, out, stderr := runCLI(t, "evidence", "verify", "--pub", "../../examples/credit-scoring/release.pub",
		"../../examples/credit-scoring/release.evidence.jsonl")
	if code != exitOK || !strings.Contains(out, "intact: 4 records") || !strings.Contains(out, "anchoring     holds") {
		t.Errorf("evidence verify of the example's release log = %d:\n%s%s", code, out, stderr)
	}
}
