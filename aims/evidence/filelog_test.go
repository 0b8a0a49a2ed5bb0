package evidence_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/tlog"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestFileLogAppendVerify(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	l := openLog(t, &evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone})
	appendN(t, l, 0, 2500, 100)
	if got := l.Len(); got != 2500 {
		t.Errorf("Len() = %d, want 2500", got)
	}
	if err := l.Close(t.Context()); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	rep, err := evidence.VerifyFile(t.Context(), l.Path(), &evidence.VerifyOptions{Key: vkey})
	if err != nil {
		t.Fatalf("VerifyFile() = %v", err)
	}
	want := evidence.VerifyReport{Records: 2500, Checkpoints: 4, Anchored: 2500, Trusted: -1, Origin: testOrigin, Root: rep.Root, Checks: rep.Checks}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("VerifyFile() report mismatch (-want +got):\n%s", diff)
	}
	cps := lines(readFile(t, l.Path()+evidence.CheckpointsSuffix))
	var sizes []int64
	for _, line := range cps {
		c := openCheckpointLine(t, line, vkey)
		sizes = append(sizes, c.Size)
		if c.Size == 2500 && c.Root != rep.Root {
			t.Errorf("final checkpoint root %v, Verify root %v", c.Root, rep.Root)
		}
	}
	for _, c := range rep.Checks {
		if c.Name != evidence.CheckTrusted && c.Status != evidence.StatusHolds {
			t.Errorf("check %s: %s (%s), want it to hold", c.Name, c.Status, c.Detail)
		}
	}
	if diff := cmp.Diff([]int64{0, 1000, 2000, 2500}, sizes); diff != "" {
		t.Errorf("checkpoint sizes (-want +got):\n%s", diff)
	}

	// The records read back are the ones written, chained.
	recs := readLogRecords(t, l.Path())
	logLines := lines(readFile(t, l.Path()))
	for i, r := range recs {
		want := evidencetest.Record(i)
		if r.ID != want.ID {
			t.Fatalf("record %d id = %s, want %s", i, r.ID, want.ID)
		}
		wantPrev := evidence.Genesis
		if i > 0 {
			wantPrev = evidence.LinkHash(logLines[i-1])
		}
		if r.Prev != wantPrev {
			t.Fatalf("record %d prev = %s, want %s", i, r.Prev, wantPrev)
		}
	}
}

// openCheckpointLine opens one line of a checkpoints file.
func openCheckpointLine(tb testing.TB, line []byte, vkey string) evidence.Checkpoint {
	tb.Helper()
	var cl struct{ Note string }
	if err := json.Unmarshal(line, &cl); err != nil {
		tb.Fatalf("checkpoint line %q: %v", line, err)
	}
	c, err := evidence.OpenCheckpoint([]byte(cl.Note), vkey)
	if err != nil {
		tb.Fatalf("OpenCheckpoint(%q) = %v", cl.Note, err)
	}
	return c
}

func TestFileLogCheckpointByTime(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	clock := newFakeClock()
	l := openLog(t, &evidence.FileOptions{
		Signer: signer, CheckpointEvery: -1, CheckpointInterval: time.Minute, Clock: clock.Now,
	})
	cpLines := func() int { return len(lines(readFile(t, l.Path()+evidence.CheckpointsSuffix))) }

	// A new log starts with a checkpoint of the empty tree.
	appendN(t, l, 0, 10, 1)
	if n := cpLines(); n != 1 {
		t.Fatalf("checkpoints before the interval = %d, want 1", n)
	}
	clock.Advance(time.Minute)
	appendN(t, l, 10, 1, 1)
	if n := cpLines(); n != 2 {
		t.Fatalf("checkpoints after the interval = %d, want 1", n)
	}
	if c, err := evidence.OpenCheckpoint(l.LatestCheckpoint(), vkey); err != nil || c.Size != 11 {
		t.Errorf("latest checkpoint = %+v, %v; want size 11", c, err)
	}
	clock.Advance(30 * time.Second)
	appendN(t, l, 11, 5, 1)
	if n := cpLines(); n != 2 {
		t.Fatalf("checkpoints half an interval later = %d, want 1", n)
	}
	clock.Advance(30 * time.Second)
	appendN(t, l, 16, 1, 1)
	if n := cpLines(); n != 3 {
		t.Fatalf("checkpoints after the second interval = %d, want 2", n)
	}
}

func TestFileLogCheckpointMethod(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	l := openLog(t, &evidence.FileOptions{Signer: signer})
	empty, err := l.Checkpoint(t.Context())
	if c, cerr := evidence.OpenCheckpoint(empty, vkey); err != nil || cerr != nil || c.Size != 0 {
		t.Errorf("Checkpoint() of an empty log = %q, %v (%v); want the signed checkpoint of size 0", empty, err, cerr)
	}
	appendN(t, l, 0, 3, 3)
	signed, err := l.Checkpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c, err := evidence.OpenCheckpoint(signed, vkey)
	if err != nil {
		t.Fatalf("OpenCheckpoint() = %v", err)
	}
	if c.Size != 3 || c.Origin != testOrigin {
		t.Errorf("checkpoint = %+v, want size 3, origin %s", c, testOrigin)
	}
	again, err := l.Checkpoint(t.Context())
	if err != nil || !bytes.Equal(again, signed) {
		t.Errorf("second Checkpoint() = %q, %v; want the same note", again, err)
	}
	if n := len(lines(readFile(t, l.Path()+evidence.CheckpointsSuffix))); n != 2 {
		t.Errorf("checkpoint lines = %d, want 2", n)
	}

	unsigned := openLog(t, nil)
	appendN(t, unsigned, 0, 1, 1)
	if _, err := unsigned.Checkpoint(t.Context()); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Checkpoint() without signer = %v, want an error matching ErrInvalid", err)
	}
	if _, err := os.Stat(unsigned.Path() + evidence.CheckpointsSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a log without signer made a checkpoints file: %v", err)
	}
}

func TestFileLogReopen(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	path := filepath.Join(t.TempDir(), "log.jsonl")
	for i := range 3 {
		l, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 40})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := l.Len(), int64(i*25); got != want {
			t.Errorf("open %d: Len() = %d, want %d", i, got, want)
		}
		first, err := l.Append(t.Context(), evidencetest.Record(i*25))
		if err != nil || first != int64(i*25) {
			t.Fatalf("Append() = %d, %v; want %d", first, err, i*25)
		}
		appendN(t, l, i*25+1, 24, 6)
		if err := l.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey})
	if err != nil {
		t.Fatalf("VerifyFile() = %v", err)
	}
	if rep.Records != 75 || rep.Anchored != 75 {
		t.Errorf("VerifyFile() = %+v, want 75 records, all anchored", rep)
	}
}

func TestFileLogAppendRejects(t *testing.T) {
	l := openLog(t, nil)
	appendN(t, l, 0, 2, 2)
	before := readFile(t, l.Path())

	bad := evidencetest.Record(10)
	bad.Type = ""
	if _, err := l.Append(t.Context(), evidencetest.Record(11), bad); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Append(valid, invalid) = %v, want an error matching ErrInvalid", err)
	}
	if _, err := l.Append(t.Context(), nil); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Append(nil) = %v, want an error matching ErrInvalid", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := l.Append(ctx, evidencetest.Record(12)); !errors.Is(err, context.Canceled) {
		t.Errorf("Append(cancelled) = %v, want an error matching context.Canceled", err)
	}
	if n, err := l.Append(t.Context()); n != 2 || err != nil {
		t.Errorf("Append() of nothing = %d, %v; want 2, nil", n, err)
	}
	if got := readFile(t, l.Path()); !bytes.Equal(got, before) {
		t.Errorf("rejected appends changed the log:\n%s", got)
	}

	// The log writes prev into its line, not into the caller's record.
	r := evidencetest.Record(13)
	if err := l.Write(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	if r.Prev != "" {
		t.Errorf("Write() set the caller's Prev to %q", r.Prev)
	}

	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := l.Write(t.Context(), evidencetest.Record(14)); !errors.Is(err, evidence.ErrClosed) {
		t.Errorf("Write() after Close = %v, want an error matching ErrClosed", err)
	}
	if err := l.Flush(t.Context()); !errors.Is(err, evidence.ErrClosed) {
		t.Errorf("Flush() after Close = %v, want an error matching ErrClosed", err)
	}
	if err := l.Close(t.Context()); !errors.Is(err, evidence.ErrClosed) {
		t.Errorf("second Close() = %v, want an error matching ErrClosed", err)
	}
	if _, err := l.ProveInclusion(0, 1); !errors.Is(err, evidence.ErrClosed) {
		t.Errorf("ProveInclusion() after Close = %v, want an error matching ErrClosed", err)
	}
}

func TestFileLogZeroValue(t *testing.T) {
	var l evidence.FileLog
	if err := l.Write(t.Context(), evidencetest.Record(1)); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("zero FileLog Write() = %v, want an error matching ErrInvalid", err)
	}
	if err := l.Close(t.Context()); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("zero FileLog Close() = %v, want an error matching ErrInvalid", err)
	}
	if _, err := l.ProveInclusion(0, 1); err == nil {
		t.Error("zero FileLog ProveInclusion() = nil error")
	}
}

func TestFileLogIgnoresCallerPrev(t *testing.T) {
	l := openLog(t, nil)
	r := evidencetest.Record(1)
	r.Prev = "sha256:" + strings.Repeat("ab", 32)
	if err := l.Write(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.VerifyFile(t.Context(), l.Path(), nil); err != nil {
		t.Errorf("VerifyFile() = %v", err)
	}
}

func TestOpenFileOptions(t *testing.T) {
	priv := testKey(t)
	badName, err := evidence.NewNoteSigner("ok", priv)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts *evidence.FileOptions
	}{
		{"unknown sync mode", &evidence.FileOptions{Sync: 7}},
		{"negative sync mode", &evidence.FileOptions{Sync: -1}},
		{"signer name with space", &evidence.FileOptions{Signer: renamedSigner{badName, "bad name"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := evidence.OpenFile(filepath.Join(t.TempDir(), "log"), tt.opts)
			if !errors.Is(err, evidence.ErrInvalid) {
				t.Errorf("OpenFile() = %v, want an error matching ErrInvalid", err)
			}
		})
	}
	if _, err := evidence.OpenFile(filepath.Join(t.TempDir(), "no", "such", "dir", "log"), nil); err == nil {
		t.Error("OpenFile(path in a missing directory) = nil error")
	}
}

// renamedSigner reports another name than the key's.
type renamedSigner struct {
	sig  interface{ Sign([]byte) ([]byte, error) }
	name string
}

func (s renamedSigner) Name() string                    { return s.name }
func (s renamedSigner) KeyHash() uint32                 { return 1 }
func (s renamedSigner) Sign(msg []byte) ([]byte, error) { return s.sig.Sign(msg) }

func TestOpenFileRecoversTornTail(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	dir := t.TempDir()
	intactPath := filepath.Join(dir, "intact.jsonl")
	l := openLogAt(t, intactPath, &evidence.FileOptions{Signer: signer, CheckpointEvery: 4})
	appendN(t, l, 0, 10, 1)
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	intact := readFile(t, intactPath)
	cps := readFile(t, intactPath+evidence.CheckpointsSuffix)
	logLines := lines(intact)
	nextLine := []byte(strings.Replace(string(logLines[9]), evidencetest.Record(9).ID.String(), evidencetest.Record(10).ID.String(), 1))

	tests := []struct {
		name    string
		content []byte
		noCps   bool // no checkpoints file
	}{
		{"no tail", intact, false},
		{"half a line", append(bytes.Clone(intact), nextLine[:len(nextLine)/2]...), false},
		{"a line without newline", append(bytes.Clone(intact), nextLine...), false},
		{"zeros", append(bytes.Clone(intact), make([]byte, 4096)...), false},
		{"only a torn line", nextLine[:20], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log.jsonl")
			writeFile(t, path, tt.content)
			if !tt.noCps {
				writeFile(t, path+evidence.CheckpointsSuffix, cps)
			}
			var logBuf bytes.Buffer
			l, err := evidence.OpenFile(path, &evidence.FileOptions{
				Signer: signer, CheckpointEvery: 4,
				Logger: slog.New(slog.NewTextHandler(&logBuf, nil)),
			})
			if err != nil {
				t.Fatalf("OpenFile() = %v", err)
			}
			defer l.Close(t.Context())
			want := intact
			if tt.noCps {
				want = nil
			}
			cut := int64(len(tt.content) - len(want))
			if got := l.Recovered(); got != cut {
				t.Errorf("Recovered() = %d, want %d", got, cut)
			}
			records := int64(len(lines(want)))
			if cut > 0 {
				records++ // the record of the recovery
			}
			if got := l.Len(); got != records {
				t.Errorf("Len() = %d, want %d", got, records)
			}
			got := readFile(t, path)
			if !bytes.HasPrefix(got, want) {
				t.Errorf("after recovery the log is\n%q\nwant it to start with\n%q", got, want)
			}
			if cut == 0 {
				if !bytes.Equal(got, want) {
					t.Errorf("OpenFile() changed an intact log")
				}
				return
			}
			// The cut bytes are kept beside the log, and the recovery
			// is recorded.
			kept := readFile(t, fmt.Sprintf("%s%s%d", path, evidence.TornSuffix, len(want)))
			if !bytes.Equal(kept, tt.content[len(want):]) {
				t.Errorf("kept torn tail = %q, want %q", kept, tt.content[len(want):])
			}
			recs := readLogRecords(t, path)
			last := recs[len(recs)-1]
			if last.Type != evidence.TypeLogRecovery || len(last.Reasons) != 1 || !strings.Contains(last.Reasons[0], "incomplete last line") {
				t.Errorf("last record = %+v, want the record of the recovery", last)
			}
			if !strings.Contains(logBuf.String(), "torn tail") {
				t.Errorf("recovery logged %q, want a line about the torn tail", logBuf.String())
			}
			// The log goes on from the last complete record.
			appendN(t, l, 10, 3, 3)
			if err := l.Close(t.Context()); err != nil {
				t.Fatal(err)
			}
			if rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey}); err != nil || rep.Records != records+3 || rep.Anchored != records+3 {
				t.Errorf("VerifyFile() after recovery = %+v, %v; want %d records, all anchored", rep, err, records+3)
			}
		})
	}
}

// A complete last line that is not a record is not a torn tail: the
// writer refuses the log and leaves it as it is.
func TestOpenFileRefusesBadLastLine(t *testing.T) {
	signer, _ := testNoteKeys(t)
	dir := t.TempDir()
	intactPath := filepath.Join(dir, "intact.jsonl")
	l := openLogAt(t, intactPath, &evidence.FileOptions{Signer: signer, CheckpointEvery: 4})
	appendN(t, l, 0, 10, 1)
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	intact := readFile(t, intactPath)
	cps := readFile(t, intactPath+evidence.CheckpointsSuffix)
	nextLine := lines(intact)[9]
	for name, content := range map[string][]byte{
		"last line not JSON":  append(bytes.Clone(intact), append(nextLine[:40:40], '\n')...),
		"zeros and a newline": append(bytes.Clone(intact), append(make([]byte, 100), '\n')...),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log.jsonl")
			writeFile(t, path, content)
			writeFile(t, path+evidence.CheckpointsSuffix, cps)
			_, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 4})
			var ve *evidence.VerifyError
			if !errors.As(err, &ve) || ve.Index != 10 || ve.Reason != evidence.ReasonBadJSON {
				t.Errorf("OpenFile() = %v, want bad-json at record 10", err)
			}
			if got := readFile(t, path); !bytes.Equal(got, content) {
				t.Errorf("OpenFile() changed a log it refused")
			}
		})
	}
}

func TestOpenFileRecoversTornCheckpoint(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	path := filepath.Join(t.TempDir(), "log.jsonl")
	l := openLogAt(t, path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 2})
	appendN(t, l, 0, 4, 2)
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	cps := readFile(t, path+evidence.CheckpointsSuffix)
	writeFile(t, path+evidence.CheckpointsSuffix, append(bytes.Clone(cps), `{"note":"example.com/aim`...))
	l = openLogAt(t, path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 2})
	if got := readFile(t, path+evidence.CheckpointsSuffix); !bytes.Equal(got, cps) {
		t.Errorf("after recovery the checkpoints file is\n%q\nwant\n%q", got, cps)
	}
	appendN(t, l, 4, 2, 2)
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey}); err != nil || rep.Checkpoints != 4 {
		t.Errorf("VerifyFile() = %+v, %v; want 4 checkpoints", rep, err)
	}
}

func TestOpenFileLockedInProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.jsonl")
	l := openLogAt(t, path, nil)
	if _, err := evidence.OpenFile(path, nil); !errors.Is(err, evidence.ErrLocked) {
		t.Fatalf("second OpenFile() = %v, want an error matching ErrLocked", err)
	}
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	l2, err := evidence.OpenFile(path, nil)
	if err != nil {
		t.Fatalf("OpenFile() after Close = %v", err)
	}
	if err := l2.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// lockChildEnv names the log the child process of
// TestOpenFileLockedAcrossProcesses opens.
const lockChildEnv = "AIMSKIT_EVIDENCE_LOCK_CHILD"

// TestOpenFileLockedAcrossProcesses runs this test binary again, as a
// child that tries to open a log this process holds.
func TestOpenFileLockedAcrossProcesses(t *testing.T) {
	if path := os.Getenv(lockChildEnv); path != "" {
		_, err := evidence.OpenFile(path, nil)
		switch {
		case errors.Is(err, evidence.ErrLocked):
			fmt.Println("child: locked")
		case err == nil:
			fmt.Println("child: opened")
		default:
			fmt.Println("child: error:", err)
		}
		return
	}
	path := filepath.Join(t.TempDir(), "log.jsonl")
	l := openLogAt(t, path, nil)
	appendN(t, l, 0, 1, 1)

	run := func() string {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestOpenFileLockedAcrossProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), lockChildEnv+"="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child process: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := run(); !strings.Contains(out, "child: locked") {
		t.Errorf("child process output %q, want it to be refused the lock", out)
	}
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if out := run(); !strings.Contains(out, "child: opened") {
		t.Errorf("child process output %q after Close, want it to open the log", out)
	}
}

func TestProofs(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	l := openLog(t, &evidence.FileOptions{Signer: signer, CheckpointEvery: 37})
	var notes [][]byte
	for range 4 {
		appendN(t, l, int(l.Len()), 37, 37)
		notes = append(notes, l.LatestCheckpoint())
	}
	logLines := lines(readFile(t, l.Path()))

	for _, size := range []int64{37, 74, 148} {
		note := notes[size/37-1]
		for _, index := range []int64{0, 1, 36, size / 2, size - 1} {
			p, err := l.ProveInclusion(index, size)
			if err != nil {
				t.Fatalf("ProveInclusion(%d, %d) = %v", index, size, err)
			}
			// The proof survives its JSON form.
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var p2 evidence.InclusionProof
			if err := json.Unmarshal(b, &p2); err != nil {
				t.Fatal(err)
			}
			if err := evidence.CheckInclusion(note, vkey, logLines[index], &p2); err != nil {
				t.Errorf("CheckInclusion(record %d, size %d) = %v", index, size, err)
			}
			other := logLines[(index+1)%size]
			if err := evidence.CheckInclusion(note, vkey, other, &p2); !errors.Is(err, evidence.ErrVerification) {
				t.Errorf("CheckInclusion(another line) = %v, want an error matching ErrVerification", err)
			}
		}
	}
	for _, sizes := range [][2]int64{{37, 74}, {37, 148}, {74, 111}, {111, 148}, {148, 148}} {
		p, err := l.ProveConsistency(sizes[0], sizes[1])
		if err != nil {
			t.Fatalf("ProveConsistency(%d, %d) = %v", sizes[0], sizes[1], err)
		}
		oldNote, newNote := notes[sizes[0]/37-1], notes[sizes[1]/37-1]
		if err := evidence.CheckConsistency(oldNote, newNote, vkey, p); err != nil {
			t.Errorf("CheckConsistency(%d, %d) = %v", sizes[0], sizes[1], err)
		}
		if len(p.Hashes) > 0 {
			bad := *p
			bad.Hashes = append([]tlog.Hash(nil), p.Hashes...)
			bad.Hashes[0][0] ^= 1
			if err := evidence.CheckConsistency(oldNote, newNote, vkey, &bad); !errors.Is(err, evidence.ErrVerification) {
				t.Errorf("CheckConsistency(changed proof) = %v, want an error matching ErrVerification", err)
			}
		}
	}

	// Misuse.
	p, _ := l.ProveInclusion(3, 37)
	otherPriv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	otherKey, _ := evidence.NoteVerifierKey(testOrigin, otherPriv.Public().(ed25519.PublicKey))
	checks := []struct {
		name string
		err  error
		want error
	}{
		{"other key", evidence.CheckInclusion(notes[0], otherKey, logLines[3], p), evidence.ErrVerification},
		{"proof for another size", evidence.CheckInclusion(notes[1], vkey, logLines[3], p), evidence.ErrVerification},
		{"nil proof", evidence.CheckInclusion(notes[0], vkey, logLines[3], nil), evidence.ErrMalformed},
		{"bad key", evidence.CheckInclusion(notes[0], "not a key", logLines[3], p), evidence.ErrMalformed},
		{"bad note", evidence.CheckInclusion([]byte("garbage"), vkey, logLines[3], p), evidence.ErrMalformed},
		{"index out of range", evidence.CheckInclusion(notes[0], vkey, logLines[3], &evidence.InclusionProof{Index: 37, TreeSize: 37}), evidence.ErrMalformed},
		{"consistency sizes swapped", evidence.CheckConsistency(notes[1], notes[0], vkey, &evidence.ConsistencyProof{OldSize: 74, NewSize: 37}), evidence.ErrVerification},
		{"consistency nil", evidence.CheckConsistency(notes[0], notes[1], vkey, nil), evidence.ErrMalformed},
		{"consistency wrong sizes", evidence.CheckConsistency(notes[0], notes[1], vkey, &evidence.ConsistencyProof{OldSize: 1, NewSize: 74}), evidence.ErrVerification},
	}
	for _, c := range checks {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: got %v, want an error matching %v", c.name, c.err, c.want)
		}
	}
	for _, args := range [][2]int64{{-1, 5}, {5, 5}, {0, 149}} {
		if _, err := l.ProveInclusion(args[0], args[1]); !errors.Is(err, evidence.ErrInvalid) {
			t.Errorf("ProveInclusion(%d, %d) = %v, want an error matching ErrInvalid", args[0], args[1], err)
		}
	}
	for _, args := range [][2]int64{{0, 5}, {6, 5}, {1, 149}} {
		if _, err := l.ProveConsistency(args[0], args[1]); !errors.Is(err, evidence.ErrInvalid) {
			t.Errorf("ProveConsistency(%d, %d) = %v, want an error matching ErrInvalid", args[0], args[1], err)
		}
	}
}

func TestOpenCheckpoint(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	l := openLog(t, &evidence.FileOptions{Signer: signer})
	appendN(t, l, 0, 5, 5)
	note, err := l.Checkpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c, err := evidence.OpenCheckpoint(note, vkey)
	if err != nil {
		t.Fatal(err)
	}
	// The note text is the C2SP checkpoint: origin, size, root, then a
	// blank line and the signature.
	want := fmt.Sprintf("%s\n5\n%s\n\n— %s ", testOrigin, c.Root, testOrigin)
	if !strings.HasPrefix(string(note), want) {
		t.Errorf("checkpoint note = %q, want it to start with %q", note, want)
	}
	if c.Text() != string(note[:strings.Index(string(note), "\n\n")+1]) {
		t.Errorf("Checkpoint.Text() = %q, want the note text", c.Text())
	}

	otherSigner, err := evidence.NewNoteSigner("other.example", testKey(t))
	if err != nil {
		t.Fatal(err)
	}
	otherVkey, _ := evidence.NoteVerifierKey("other.example", testKey(t).Public().(ed25519.PublicKey))
	flipped := bytes.Clone(note)
	flipped[len(flipped)-5] ^= 1
	tests := []struct {
		name  string
		note  []byte
		vkey  string
		want  error
		extra string
	}{
		{"bad signature", flipped, vkey, evidence.ErrVerification, ""},
		{"changed text", bytes.Replace(note, []byte("\n5\n"), []byte("\n6\n"), 1), vkey, evidence.ErrVerification, ""},
		{"other key", note, otherVkey, evidence.ErrVerification, ""},
		{"malformed key", note, "x+y+z", evidence.ErrMalformed, ""},
		{"not a note", []byte("hello"), vkey, evidence.ErrMalformed, ""},
		{"empty", nil, vkey, evidence.ErrMalformed, ""},
		{"two lines of text", signNote(t, otherSigner, "other.example\n5\n"), otherVkey, evidence.ErrMalformed, ""},
		{"size not a number", signNote(t, otherSigner, "other.example\nfive\nAAAA\n"), otherVkey, evidence.ErrMalformed, ""},
		{"size with leading zero", signNote(t, otherSigner, "other.example\n05\n"+c.Root.String()+"\n"), otherVkey, evidence.ErrMalformed, ""},
		{"root not base64", signNote(t, otherSigner, "other.example\n5\n!!!!\n"), otherVkey, evidence.ErrMalformed, ""},
		{"root too short", signNote(t, otherSigner, "other.example\n5\nAAAA\n"), otherVkey, evidence.ErrMalformed, ""},
		{"origin not the key name", signNote(t, otherSigner, testOrigin+"\n5\n"+c.Root.String()+"\n"), otherVkey, evidence.ErrVerification, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := evidence.OpenCheckpoint(tt.note, tt.vkey); !errors.Is(err, tt.want) {
				t.Errorf("OpenCheckpoint() = %v, want an error matching %v", err, tt.want)
			}
		})
	}
	ext := signNote(t, otherSigner, "other.example\n5\n"+c.Root.String()+"\nextension line\n")
	if got, err := evidence.OpenCheckpoint(ext, otherVkey); err != nil || got.Size != 5 {
		t.Errorf("OpenCheckpoint(with an extension line) = %+v, %v; want size 5", got, err)
	}
}

func signNote(tb testing.TB, s interface {
	Name() string
	KeyHash() uint32
	Sign([]byte) ([]byte, error)
}, text string) []byte {
	tb.Helper()
	sig, err := s.Sign([]byte(text))
	if err != nil {
		tb.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n— %s ", text, s.Name())
	h := []byte{byte(s.KeyHash() >> 24), byte(s.KeyHash() >> 16), byte(s.KeyHash() >> 8), byte(s.KeyHash())}
	b.WriteString(base64Std(append(h, sig...)))
	b.WriteByte('\n')
	return b.Bytes()
}

func TestNoteKeys(t *testing.T) {
	priv := testKey(t)
	pub := priv.Public().(ed25519.PublicKey)
	for _, name := range []string{"", "has space", "has+plus"} {
		if _, err := evidence.NewNoteSigner(name, priv); !errors.Is(err, evidence.ErrInvalid) {
			t.Errorf("NewNoteSigner(%q) = %v, want an error matching ErrInvalid", name, err)
		}
		if _, err := evidence.NoteVerifierKey(name, pub); !errors.Is(err, evidence.ErrInvalid) {
			t.Errorf("NoteVerifierKey(%q) = %v, want an error matching ErrInvalid", name, err)
		}
	}
	if _, err := evidence.NewNoteSigner("ok", priv[:10]); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("NewNoteSigner(short key) = %v, want an error matching ErrInvalid", err)
	}
	if _, err := evidence.NoteVerifierKey("ok", pub[:10]); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("NoteVerifierKey(short key) = %v, want an error matching ErrInvalid", err)
	}
	// The signer's key hash is the one the note package derives.
	s, _ := evidence.NewNoteSigner("ok", priv)
	vkey, _ := evidence.NoteVerifierKey("ok", pub)
	if want := fmt.Sprintf("ok+%08x+", s.KeyHash()); !strings.HasPrefix(vkey, want) {
		t.Errorf("verifier key %q does not start with %q", vkey, want)
	}
}

// TestGoldenLog pins the bytes of a log and its checkpoints, written with
// fixed records, clock and key. Run with -update to rewrite them after a
// deliberate format change (which needs a new SchemaVersion).
func TestGoldenLog(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	clock := newFakeClock()
	path := filepath.Join(t.TempDir(), "golden.jsonl")
	l := openLogAt(t, path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 2, Clock: clock.Now})
	recs := []*evidence.Record{evidencetest.Record(0), evidencetest.FullRecord(1), evidencetest.Record(2)}
	for _, r := range recs {
		if err := l.Write(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"golden.jsonl", "golden.jsonl" + evidence.CheckpointsSuffix} {
		got := readFile(t, filepath.Join(filepath.Dir(path), name))
		golden := filepath.Join("testdata", name)
		if *update {
			writeFile(t, golden, got)
		}
		want := readFile(t, golden)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n%s", name, golden, got)
		}
	}
	rep, err := evidence.VerifyFile(t.Context(), filepath.Join("testdata", "golden.jsonl"), &evidence.VerifyOptions{Key: vkey})
	if err != nil || rep.Records != 3 || rep.Anchored != 3 {
		t.Errorf("VerifyFile(golden) = %+v, %v", rep, err)
	}
}
