package evidence_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
	"golang.org/x/mod/sumdb/tlog"
)

// buildLog writes n records in batches of up to 100 with a checkpoint
// every every records and returns the log's and the checkpoints' bytes.
func buildLog(tb testing.TB, n, every int) (log, cps []byte) {
	tb.Helper()
	signer, _ := testNoteKeys(tb)
	path := filepath.Join(tb.TempDir(), "log.jsonl")
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: signer, CheckpointEvery: every, Sync: evidence.SyncNone})
	if err != nil {
		tb.Fatal(err)
	}
	appendN(tb, l, 0, n, min(100, every))
	if err := l.Close(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return readFile(tb, path), readFile(tb, path+evidence.CheckpointsSuffix)
}

// rechain rewrites the prev of every line from the first on so that the
// hash links hold, as someone who rewrites a log would.
func rechain(ls [][]byte) [][]byte {
	out := make([][]byte, len(ls))
	prev := evidence.Genesis
	for i, l := range ls {
		const tail = len(evidence.Genesis) + 2 // prev value and `"}`
		line := append(bytes.Clone(l[:len(l)-tail]), prev+`"}`...)
		out[i] = line
		prev = evidence.LinkHash(line)
	}
	return out
}

// checkpointFile makes a checkpoints file with checkpoints of the given
// sizes over the lines, signed by the test key.
func checkpointFile(tb testing.TB, ls [][]byte, sizes ...int64) []byte {
	tb.Helper()
	signer, _ := testNoteKeys(tb)
	var out []byte
	for _, size := range sizes {
		var hashes []tlog.Hash
		r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
			h := make([]tlog.Hash, len(idx))
			for i, x := range idx {
				h[i] = hashes[x]
			}
			return h, nil
		})
		for i := range size {
			hs, err := tlog.StoredHashes(i, ls[i], r)
			if err != nil {
				tb.Fatal(err)
			}
			hashes = append(hashes, hs...)
		}
		root, err := tlog.TreeHash(size, r)
		if err != nil {
			tb.Fatal(err)
		}
		c := evidence.Checkpoint{Origin: testOrigin, Size: size, Root: root}
		note := signNote(tb, signer, c.Text())
		line, _ := json.Marshal(map[string]string{"note": string(note)})
		out = append(append(out, line...), '\n')
	}
	return out
}

func TestVerifyFindsProblems(t *testing.T) {
	_, vkey := testNoteKeys(t)
	log, cps := buildLog(t, 10, 4) // checkpoints at 4, 8, 10
	ls := lines(log)
	cpLines := lines(cps)

	changed := bytes.Clone(ls[5])
	changed[20] ^= 0x01
	rewritten := rechain(append(append(append([][]byte{}, ls[:5]...), changed), ls[6:]...))

	otherSigner, _ := evidence.NewNoteSigner(testOrigin, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)))
	forged := signNote(t, otherSigner, "example.com/aimskit/evidence-test\n4\n"+strings.Repeat("A", 43)+"=\n")
	forgedLine, _ := json.Marshal(map[string]string{"note": string(forged)})

	tests := []struct {
		name       string
		log, cps   []byte
		reason     evidence.Reason
		index      int64
		checkpoint int
		wantErr    error // also matched, besides ErrTampered
	}{
		{"byte flipped", join(append(append(append([][]byte{}, ls[:5]...), changed), ls[6:]...)), cps, evidence.ReasonBrokenLink, 6, -1, nil},
		{"record removed", join(append(append([][]byte{}, ls[:3]...), ls[4:]...)), cps, evidence.ReasonBrokenLink, 3, -1, nil},
		{"records swapped", join(append(append(append([][]byte{}, ls[:3]...), ls[4], ls[3]), ls[5:]...)), cps, evidence.ReasonBrokenLink, 3, -1, nil},
		{"record inserted", join(append(append(append([][]byte{}, ls[:3]...), ls[7]), ls[3:]...)), cps, evidence.ReasonBrokenLink, 3, -1, nil},
		{"first prev not genesis", join(ls[1:]), nil, evidence.ReasonBrokenLink, 0, -1, nil},
		{"last record removed", join(ls[:9]), cps, evidence.ReasonMissingRecords, 9, 3, nil},
		{"rewritten and rechained", join(rewritten), cps, evidence.ReasonRootMismatch, 4, 2, nil},
		{"bad JSON", join(append(append([][]byte{}, ls[:2]...), []byte(`{"prev":`))), nil, evidence.ReasonBadJSON, 2, -1, nil},
		{"empty line", join(append(append([][]byte{}, ls[:2]...), []byte{})), nil, evidence.ReasonBadJSON, 2, -1, nil},
		{"no prev", join(append(append([][]byte{}, ls[:2]...), []byte(`{"a":1}`))), nil, evidence.ReasonBadJSON, 2, -1, nil},
		{"prev not a string", join(append(append([][]byte{}, ls[:2]...), []byte(`{"prev":1}`))), nil, evidence.ReasonBadJSON, 2, -1, nil},
		{"not an object", join(append(append([][]byte{}, ls[:2]...), []byte(`[1,2]`))), nil, evidence.ReasonBadJSON, 2, -1, nil},
		{"torn tail", log[:len(log)-10], cps, evidence.ReasonMissingRecords, 9, 3, nil},
		{"no checkpoints", log, nil, evidence.ReasonUnanchored, 0, -1, nil},
		{"empty checkpoints file", log, []byte{}, evidence.ReasonUnanchored, 0, -1, nil},
		{"last checkpoint removed", log, join(cpLines[:3]), evidence.ReasonUnanchored, 8, -1, nil},
		{"checkpoint signed by another key after ours", log, join([][]byte{cpLines[0], forgedLine}), evidence.ReasonBadSignature, -1, 1, evidence.ErrWrongKey},
		{"checkpoint note changed", log, bytes.Replace(cps, []byte(`\n4\n`), []byte(`\n3\n`), 1), evidence.ReasonBadSignature, -1, 1, evidence.ErrVerification},
		{"checkpoint line not JSON", log, join([][]byte{[]byte("not json")}), evidence.ReasonBadCheckpoint, -1, 0, nil},
		{"checkpoint line unknown field", log, join([][]byte{[]byte(`{"note":"x","extra":1}`)}), evidence.ReasonBadCheckpoint, -1, 0, nil},
		{"checkpoint note malformed", log, join([][]byte{[]byte(`{"note":"x"}`)}), evidence.ReasonBadCheckpoint, -1, 0, evidence.ErrMalformed},
		{"checkpoints out of order", log, join([][]byte{cpLines[1], cpLines[0]}), evidence.ReasonBadCheckpoint, -1, 1, nil},
		{"checkpoints torn", log, cps[:len(cps)-3], evidence.ReasonUnanchored, 8, -1, nil},
		{"checkpoint beyond an empty log", nil, cps, evidence.ReasonMissingRecords, 0, 1, nil},
		{"checkpoint root of another log", log, checkpointFile(t, rewritten, 8), evidence.ReasonRootMismatch, 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cpr io.Reader
			if tt.cps != nil {
				cpr = bytes.NewReader(tt.cps)
			}
			_, err := evidence.Verify(t.Context(), bytes.NewReader(tt.log), cpr, vkey)
			if !errors.Is(err, evidence.ErrTampered) {
				t.Fatalf("Verify() = %v, want an error matching ErrTampered", err)
			}
			var ve *evidence.VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("Verify() = %T, want a *VerifyError", err)
			}
			got := [3]any{ve.Reason, ve.Index, ve.Checkpoint}
			want := [3]any{tt.reason, tt.index, tt.checkpoint}
			if got != want {
				t.Errorf("Verify() = %v: reason, index, checkpoint = %v, want %v", err, got, want)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Verify() = %v, want an error also matching %v", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "evidence: log does not verify: ") {
				t.Errorf("Verify() message %q", err)
			}
		})
	}
}

func TestVerifyReports(t *testing.T) {
	_, vkey := testNoteKeys(t)
	log, cps := buildLog(t, 10, 4)
	ls := lines(log)
	rep, err := verifyBytes(t, log, cps, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 10 || rep.Checkpoints != 4 || rep.Anchored != 10 || rep.Origin != testOrigin {
		t.Errorf("Verify() = %+v", rep)
	}

	t.Run("no checkpoints", func(t *testing.T) {
		rep, err := verifyBytes(t, log, nil, "")
		if err != nil || rep.Records != 10 || rep.Anchored != 0 || rep.Checkpoints != 0 {
			t.Errorf("Verify() = %+v, %v; want 10 records, none anchored", rep, err)
		}
	})
	t.Run("records past the last checkpoint", func(t *testing.T) {
		for _, max := range []int64{-1, 6, 7} {
			rep, err := evidence.VerifyLog(t.Context(), bytes.NewReader(log), bytes.NewReader(join(lines(cps)[:2])),
				&evidence.VerifyOptions{Key: vkey, MaxUnanchored: max})
			if err != nil || rep.Records != 10 || rep.Anchored != 4 || rep.Checkpoints != 2 || rep.Unanchored != 6 {
				t.Errorf("VerifyLog(MaxUnanchored %d) = %+v, %v; want 10 records, 4 anchored, 6 not", max, rep, err)
			}
		}
		var ve *evidence.VerifyError
		_, err := evidence.VerifyLog(t.Context(), bytes.NewReader(log), bytes.NewReader(join(lines(cps)[:2])),
			&evidence.VerifyOptions{Key: vkey, MaxUnanchored: 5})
		if !errors.As(err, &ve) || ve.Reason != evidence.ReasonUnanchored || ve.Index != 4 || !strings.Contains(ve.Detail, "last 6 records") {
			t.Errorf("VerifyLog(MaxUnanchored 5) = %v, want the last 6 records unanchored", err)
		}
	})
	t.Run("in progress", func(t *testing.T) {
		for _, cut := range []int{1, 10, len(ls[9])} {
			rep, err := verifyBytes(t, log[:len(log)-cut], cps[:len(cps)-len(lines(cps)[3])-1], vkey)
			if err != nil || rep.Records != 9 || rep.InProgress != len(ls[9])+1-cut || rep.Unanchored != 1 {
				if err == nil || !strings.Contains(err.Error(), "last 1 records") {
					t.Errorf("Verify(cut %d) = %+v, %v; want 9 records and a line in progress", cut, rep, err)
				}
			}
			rep, err = evidence.VerifyLog(t.Context(), bytes.NewReader(log[:len(log)-cut]), bytes.NewReader(cps[:len(cps)-len(lines(cps)[3])-1]),
				&evidence.VerifyOptions{Key: vkey, MaxUnanchored: 1})
			if err != nil || rep.Records != 9 || rep.InProgress != len(ls[9])+1-cut {
				t.Errorf("VerifyLog(cut %d, MaxUnanchored 1) = %+v, %v; want 9 records and a line in progress", cut, rep, err)
			}
		}
	})
	t.Run("empty", func(t *testing.T) {
		rep, err := verifyBytes(t, nil, nil, "")
		if err != nil || rep.Records != 0 {
			t.Errorf("Verify(empty) = %+v, %v", rep, err)
		}
		var ve *evidence.VerifyError
		if _, err := verifyBytes(t, nil, []byte{}, vkey); !errors.As(err, &ve) || ve.Reason != evidence.ReasonUnanchored {
			t.Errorf("Verify(empty, no checkpoint, with key) = %v, want unanchored", err)
		}
		if emptyRoot, _ := tlog.TreeHash(0, nil); rep.Root != emptyRoot {
			t.Errorf("root of an empty log = %v, want %v", rep.Root, emptyRoot)
		}
	})
	t.Run("report before the problem", func(t *testing.T) {
		rep, err := verifyBytes(t, join(append(append([][]byte{}, ls[:6]...), ls[7:]...)), cps, vkey)
		if err == nil || rep.Records != 6 || rep.Anchored != 4 {
			t.Errorf("Verify() = %+v, %v; want 6 sound records, 4 anchored, and an error", rep, err)
		}
	})
	t.Run("long line", func(t *testing.T) {
		r := evidencetest.Record(1)
		r.Data = []byte(`{"big":"` + strings.Repeat("x", 1<<20) + `"}`)
		l := openLog(t, nil)
		appendN(t, l, 0, 2, 1)
		if err := l.Write(t.Context(), r); err != nil {
			t.Fatal(err)
		}
		appendN(t, l, 5, 2, 1)
		if rep, err := evidence.VerifyFile(t.Context(), l.Path(), nil); err != nil || rep.Records != 5 {
			t.Errorf("VerifyFile() = %+v, %v; want 5 records", rep, err)
		}
	})
}

func TestVerifyOtherErrors(t *testing.T) {
	_, vkey := testNoteKeys(t)
	log, cps := buildLog(t, 5, 2)
	boom := errors.New("disk on fire")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{"checkpoints without key", func() error {
			_, err := evidence.Verify(t.Context(), bytes.NewReader(log), bytes.NewReader(cps), "")
			return err
		}, evidence.ErrInvalid},
		{"malformed key", func() error {
			_, err := evidence.Verify(t.Context(), bytes.NewReader(log), bytes.NewReader(cps), "nonsense")
			return err
		}, evidence.ErrMalformed},
		{"read error", func() error {
			_, err := evidence.Verify(t.Context(), io.MultiReader(bytes.NewReader(log), iotest.ErrReader(boom)), nil, "")
			return err
		}, boom},
		{"cancelled", func() error {
			_, err := evidence.Verify(ctx, bytes.NewReader(log), nil, "")
			return err
		}, context.Canceled},
		{"missing file", func() error {
			_, err := evidence.VerifyFile(t.Context(), filepath.Join(t.TempDir(), "none"), &evidence.VerifyOptions{Key: vkey})
			return err
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatal("got nil error")
			}
			if errors.Is(err, evidence.ErrTampered) {
				t.Errorf("got %v, which matches ErrTampered", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("got %v, want an error matching %v", err, tt.want)
			}
		})
	}
}

func TestVerifyFileWithoutCheckpointsFile(t *testing.T) {
	_, vkey := testNoteKeys(t)
	l := openLog(t, nil)
	appendN(t, l, 0, 3, 3)
	var ve *evidence.VerifyError
	if _, err := evidence.VerifyFile(t.Context(), l.Path(), &evidence.VerifyOptions{Key: vkey}); !errors.As(err, &ve) || ve.Reason != evidence.ReasonUnanchored {
		t.Errorf("VerifyFile() = %v; want unanchored: a key and no checkpoints file", err)
	}
	rep, err := evidence.VerifyFile(t.Context(), l.Path(), &evidence.VerifyOptions{Key: vkey, MaxUnanchored: -1})
	if err != nil || rep.Records != 3 || rep.Anchored != 0 || rep.Unanchored != 3 {
		t.Errorf("VerifyFile(MaxUnanchored -1) = %+v, %v; want 3 records, none anchored", rep, err)
	}
}

func TestRecordsIterator(t *testing.T) {
	log, _ := buildLog(t, 3, 10)
	var n int
	for r, err := range evidence.Records(bytes.NewReader(log)) {
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != evidencetest.Record(n).ID {
			t.Errorf("record %d = %s, want %s", n, r.ID, evidencetest.Record(n).ID)
		}
		n++
	}
	if n != 3 {
		t.Errorf("Records yielded %d records, want 3", n)
	}
	for range evidence.Records(bytes.NewReader(log)) {
		break // stopping early must not panic
	}
	bad := map[string]struct {
		in   []byte
		want error
	}{
		"torn":    {log[:len(log)-1], evidence.ErrMalformed},
		"invalid": {append(bytes.Clone(log), "{}\n"...), evidence.ErrInvalid},
	}
	for name, tt := range bad {
		t.Run(name, func(t *testing.T) {
			var last error
			for _, err := range evidence.Records(bytes.NewReader(tt.in)) {
				last = err
			}
			if !errors.Is(last, tt.want) {
				t.Errorf("last error = %v, want an error matching %v", last, tt.want)
			}
		})
	}
}

// TestVerifyDetectsRandomTampering builds a log of 10,000 records once and
// checks that 1,000 random changes to copies of it (200 with -short) are
// all detected: a flipped byte, a removed line, two lines swapped, or a
// line inserted (a copy of another line, or random bytes).
func TestVerifyDetectsRandomTampering(t *testing.T) {
	const records = 10_000
	mutations := 1_000
	if testing.Short() {
		mutations = 200
	}
	_, vkey := testNoteKeys(t)
	log, cps := buildLog(t, records, 1000)
	if _, err := verifyBytes(t, log, cps, vkey); err != nil {
		t.Fatalf("Verify(intact log) = %v", err)
	}
	ls := lines(log)
	// starts[k] is the offset of line k in log; starts[len(ls)] is the end.
	starts := make([]int, 0, len(ls)+1)
	off := 0
	for _, l := range ls {
		starts = append(starts, off)
		off += len(l) + 1
	}
	starts = append(starts, off)
	lineNL := func(k int) []byte { return log[starts[k]:starts[k+1]] }

	// A mutated log is a list of parts, mostly slices of the intact log,
	// read one after another; nothing is copied. The mutations are drawn
	// on one goroutine, so that they do not depend on scheduling.
	type mutation struct {
		kind  string
		parts [][]byte
	}
	rng := rand.New(rand.NewPCG(42, 2026))
	draw := func() mutation {
		switch rng.IntN(4) {
		case 0:
			p := rng.IntN(len(log))
			return mutation{"flip", [][]byte{log[:p], {log[p] ^ byte(1+rng.IntN(255))}, log[p+1:]}}
		case 1:
			k := rng.IntN(len(ls))
			return mutation{"delete", [][]byte{log[:starts[k]], log[starts[k+1]:]}}
		case 2:
			a, b := rng.IntN(len(ls)), rng.IntN(len(ls)-1)
			if b >= a {
				b++
			}
			a, b = min(a, b), max(a, b)
			return mutation{"swap", [][]byte{
				log[:starts[a]], lineNL(b), log[starts[a+1]:starts[b]], lineNL(a), log[starts[b+1]:],
			}}
		default:
			k := rng.IntN(len(ls) + 1)
			ins := lineNL(rng.IntN(len(ls)))
			if rng.IntN(2) == 0 {
				ins = make([]byte, 1+rng.IntN(200))
				for j := range ins {
					ins[j] = byte(rng.IntN(256))
				}
				ins = append(bytes.ReplaceAll(ins, []byte("\n"), []byte(" ")), '\n')
			}
			return mutation{"insert", [][]byte{log[:starts[k]], ins, log[starts[k]:]}}
		}
	}
	// Each worker verifies every workers-th mutation and reports the
	// mutations Verify missed; the test goroutine reports them.
	workers := runtime.GOMAXPROCS(0)
	muts := make(chan mutation, workers)
	type result struct {
		i    int
		kind string
		err  error
	}
	results := make(chan result, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for m := range muts {
				readers := make([]io.Reader, len(m.parts))
				for i, p := range m.parts {
					readers[i] = bytes.NewReader(p)
				}
				_, err := evidence.Verify(context.Background(), io.MultiReader(readers...), bytes.NewReader(cps), vkey)
				results <- result{kind: m.kind, err: err}
			}
		})
	}
	go func() {
		for range mutations {
			muts <- draw()
		}
		close(muts)
		wg.Wait()
		close(results)
	}()
	counts := map[string]int{}
	missed := 0
	for r := range results {
		counts[r.kind]++
		if !errors.Is(r.err, evidence.ErrTampered) {
			missed++
			t.Errorf("mutation (%s): Verify() = %v, want an error matching ErrTampered", r.kind, r.err)
		}
	}
	if total := counts["flip"] + counts["delete"] + counts["swap"] + counts["insert"]; total != mutations {
		t.Errorf("verified %d mutations, want %d", total, mutations)
	}
	t.Logf("mutations verified: %v; missed: %d", counts, missed)

	// A signed last line cut in the middle is not a torn tail: the
	// writer refuses the log.
	path := filepath.Join(t.TempDir(), "torn.jsonl")
	writeFile(t, path, log[:len(log)-37])
	writeFile(t, path+evidence.CheckpointsSuffix, cps)
	signer, _ := testNoteKeys(t)
	var ve *evidence.VerifyError
	if _, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 1000}); !errors.As(err, &ve) || ve.Reason != evidence.ReasonMissingRecords {
		t.Errorf("OpenFile(signed record cut) = %v, want missing-records", err)
	}
}
