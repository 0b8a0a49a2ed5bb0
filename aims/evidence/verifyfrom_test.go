package evidence_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
	"github.com/google/go-cmp/cmp"
)

// rangeOf writes a log of n records with a checkpoint every 100 and
// returns its lines, its checkpoints file and the chain state before
// record from.
func rangeOf(t *testing.T, n, from int) (all [][]byte, cps []byte, start *evidence.Chain) {
	t.Helper()
	signer, _ := testNoteKeys(t)
	l := openLog(t, &evidence.FileOptions{Signer: signer, CheckpointEvery: 100, Sync: evidence.SyncNone})
	appendN(t, l, 0, n, 13)
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	all = lines(readFile(t, l.Path()))
	start = new(evidence.Chain)
	for _, line := range all[:from] {
		start.Add(line)
	}
	return all, readFile(t, l.Path()+evidence.CheckpointsSuffix), start
}

func joinLines(ls [][]byte) []byte {
	var b []byte
	for _, l := range ls {
		b = append(append(b, l...), '\n')
	}
	return b
}

func TestVerifyFrom(t *testing.T) {
	const n, from = 537, 250
	all, cps, start := rangeOf(t, n, from)
	_, vkey := testNoteKeys(t)
	ctx := t.Context()

	rep, err := evidence.VerifyFrom(ctx, start, bytes.NewReader(joinLines(all[from:])), bytes.NewReader(cps), vkey)
	if err != nil {
		t.Fatalf("VerifyFrom() = %v", err)
	}
	// Checkpoints at 300, 400, 500 and the closing one at 537 are checked;
	// those at 100 and 200 come before the start.
	if rep.Start != from || rep.Records != n-from || rep.Checkpoints != 4 || rep.Anchored != n {
		t.Errorf("VerifyFrom() = %+v, want start %d, %d records, 4 checkpoints, %d anchored", rep, from, n-from, n)
	}
	whole, err := verifyBytes(t, joinLines(all), cps, vkey)
	if err != nil || rep.Root != whole.Root {
		t.Errorf("root of the range %v, of the whole log %v (%v)", rep.Root, whole.Root, err)
	}
	if start.Size() != from {
		t.Errorf("VerifyFrom changed its start: size %d", start.Size())
	}

	// A start state that is not the log's: the link from the range to it
	// breaks.
	other := new(evidence.Chain)
	for i := range from {
		other.AppendLine(nil, evidencetest.Record(10_000+i))
	}
	_, err = evidence.VerifyFrom(ctx, other, bytes.NewReader(joinLines(all[from:])), bytes.NewReader(cps), vkey)
	var ve *evidence.VerifyError
	if !errors.As(err, &ve) || ve.Index != from || ve.Reason != evidence.ReasonBrokenLink {
		t.Errorf("VerifyFrom(wrong start) = %v, want a broken link at record %d", err, from)
	}

	// A forged start whose prev is right but whose tree is not: the first
	// checkpoint after the start shows it.
	forged := new(evidence.Chain)
	for i := range from - 1 {
		forged.AppendLine(nil, evidencetest.Record(20_000+i))
	}
	forged.Add(all[from-1])
	_, err = evidence.VerifyFrom(ctx, forged, bytes.NewReader(joinLines(all[from:])), bytes.NewReader(cps), vkey)
	if !errors.As(err, &ve) || ve.Reason != evidence.ReasonRootMismatch || ve.Index != from {
		t.Errorf("VerifyFrom(forged start) = %v, want a root mismatch at the first checkpoint after record %d", err, from)
	}

	// A record changed inside the range is found at its index in the
	// whole log.
	edited := append([][]byte(nil), all[from:]...)
	edited[10] = bytes.Replace(edited[10], []byte(`"outcome":"`), []byte(`"outcome":"x`), 1)
	_, err = evidence.VerifyFrom(ctx, start, bytes.NewReader(joinLines(edited)), nil, "")
	if !errors.As(err, &ve) || ve.Index != from+11 || ve.Reason != evidence.ReasonBrokenLink {
		t.Errorf("VerifyFrom(edited range) = %v, want a broken link at record %d", err, from+11)
	}

	// A nil or zero start is Verify.
	for _, s := range []*evidence.Chain{nil, new(evidence.Chain)} {
		rep, err := evidence.VerifyFrom(ctx, s, bytes.NewReader(joinLines(all)), bytes.NewReader(cps), vkey)
		if diff := cmp.Diff(whole, rep); err != nil || diff != "" {
			t.Errorf("VerifyFrom(%v) = %v, report (-want +got):\n%s", s, err, diff)
		}
	}
}

func TestVerifyFileWithStart(t *testing.T) {
	const n, from = 321, 100
	all, cps, start := rangeOf(t, n, from)
	_, vkey := testNoteKeys(t)
	path := filepath.Join(t.TempDir(), "range.jsonl")
	state, err := start.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{path: joinLines(all[from:]), path + evidence.CheckpointsSuffix: cps, path + evidence.StartSuffix: state} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The start file beside the log is not read unless given: without
	// it, the range's first record does not link to the genesis value.
	var ve *evidence.VerifyError
	if _, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey}); !errors.As(err, &ve) || ve.Reason != evidence.ReasonBrokenLink || ve.Index != 0 {
		t.Fatalf("VerifyFile(range without its start) = %v, want a broken link at record 0", err)
	}
	st, err := evidence.ReadStartFile(path + evidence.StartSuffix)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey, Start: st})
	if err != nil || rep.Start != from || rep.Records != n-from || rep.Anchored != n {
		t.Fatalf("VerifyFile() = %+v, %v; want start %d, %d records, %d anchored", rep, err, from, n-from, n)
	}
	if err := os.WriteFile(path+evidence.StartSuffix, []byte(`{"format":"aimskit-chain-v1","size":-1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.ReadStartFile(path + evidence.StartSuffix); !errors.Is(err, evidence.ErrMalformed) {
		t.Fatalf("ReadStartFile(bad start file) = %v, want ErrMalformed", err)
	}
}

func TestChainJSON(t *testing.T) {
	var c evidence.Chain
	for i := range 7 {
		b, err := c.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var c2 evidence.Chain
		if err := c2.UnmarshalJSON(b); err != nil {
			t.Fatalf("UnmarshalJSON(%s) = %v", b, err)
		}
		if c2.Size() != c.Size() || c2.Prev() != c.Prev() || c2.Root() != c.Root() {
			t.Fatalf("chain of %d lines: restored chain differs: %s", i, b)
		}
		c.AppendLine(nil, evidencetest.Record(i))
	}
	good, _ := c.MarshalJSON()
	for _, b := range []string{
		``, `[]`, `{}`, `{"format":"other","size":0,"prev":"` + evidence.Genesis + `","subtrees":[]}`,
		`{"format":"aimskit-chain-v1","size":0,"prev":"` + evidence.Genesis + `","subtrees":[],"extra":1}`,
		`{"format":"aimskit-chain-v1","size":1,"prev":"` + evidence.Genesis + `","subtrees":[]}`,
		`{"format":"aimskit-chain-v1","size":0,"prev":"sha256:00","subtrees":[]}`,
		string(good) + `{}`,
		string(bytes.Replace(good, []byte(`"size":7`), []byte(`"size":8`), 1)),
	} {
		var c2 evidence.Chain
		if err := c2.UnmarshalJSON([]byte(b)); !errors.Is(err, evidence.ErrMalformed) {
			t.Errorf("UnmarshalJSON(%s) = %v, want ErrMalformed", b, err)
		}
	}
}

// FuzzChainUnmarshalJSON checks that UnmarshalJSON never panics and that
// what it accepts marshals to a state it accepts again, unchanged.
func FuzzChainUnmarshalJSON(f *testing.F) {
	var c evidence.Chain
	for i := range 5 {
		b, _ := c.MarshalJSON()
		f.Add(b)
		c.AppendLine(nil, evidencetest.Record(i))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c evidence.Chain
		if err := c.UnmarshalJSON(b); err != nil {
			return
		}
		got, _ := c.MarshalJSON()
		var c2 evidence.Chain
		if err := c2.UnmarshalJSON(got); err != nil {
			t.Fatalf("UnmarshalJSON(MarshalJSON()) = %v", err)
		}
		again, _ := c2.MarshalJSON()
		if !bytes.Equal(got, again) {
			t.Fatalf("MarshalJSON changed on a round trip: %s, then %s", got, again)
		}
	})
}
