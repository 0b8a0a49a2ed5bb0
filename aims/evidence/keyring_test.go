package evidence_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/aimskit/aimskit/aims/evidence"
)

// rotationKeys returns the note signers and verifier keys of two keys of
// the test origin.
func rotationKeys(t *testing.T) (a, b note.Signer, va, vb string) {
	t.Helper()
	mk := func(seed byte) (note.Signer, string) {
		priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
		s, err := evidence.NewNoteSigner(testOrigin, priv)
		if err != nil {
			t.Fatal(err)
		}
		v, err := evidence.NoteVerifierKey(testOrigin, priv.Public().(ed25519.PublicKey))
		if err != nil {
			t.Fatal(err)
		}
		return s, v
	}
	a, va = mk(11)
	b, vb = mk(12)
	return a, b, va, vb
}

func ring(t *testing.T, text string) *evidence.KeyRing {
	t.Helper()
	kr, err := evidence.ParseKeyRing([]byte(text))
	if err != nil {
		t.Fatalf("ParseKeyRing(%s) = %v", text, err)
	}
	return kr
}

// A log signed with key A, rotated to key B by reopening it with B and a
// key ring, verifies as a whole with the ring; a checkpoint signed by A
// after the rotation is refused, naming the checkpoint and the key.
func TestKeyRotation(t *testing.T) {
	ctx := context.Background()
	a, b, va, vb := rotationKeys(t)
	path := filepath.Join(t.TempDir(), "evidence.jsonl")
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: a})
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, l, 0, 10, 3)
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	kr := ring(t, fmt.Sprintf(`{"keys": [{"key": %q, "from": 0, "until": 10}, {"key": %q, "from": 10}]}`, va, vb))

	// A ring that ends the writer's own period is refused.
	if _, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: a, KeyRing: kr}); !errors.Is(err, evidence.ErrInvalid) {
		t.Fatalf("OpenFile(A, ring ending A at 10) = %v, want ErrInvalid", err)
	}
	// Without the ring, B does not accept A's checkpoints.
	if _, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: b}); !errors.Is(err, evidence.ErrWrongKey) {
		t.Fatalf("OpenFile(B without a ring) = %v, want ErrWrongKey", err)
	}
	l, err = evidence.OpenFile(path, &evidence.FileOptions{Signer: b, KeyRing: kr})
	if err != nil {
		t.Fatalf("OpenFile(B with the ring) = %v", err)
	}
	appendN(t, l, 10, 5, 2)
	cp, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.OpenCheckpoint(cp, vb); err != nil {
		t.Fatalf("the checkpoint after the rotation is not signed by B: %v", err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}

	rep, err := evidence.VerifyFile(ctx, path, &evidence.VerifyOptions{KeyRing: kr})
	if err != nil || rep.Records != 15 || rep.Anchored != 15 {
		t.Fatalf("VerifyFile(ring) = %+v, %v; want 15 records anchored", rep, err)
	}
	if _, err := evidence.VerifyFile(ctx, path, &evidence.VerifyOptions{Key: va}); err == nil {
		t.Fatal("VerifyFile(A alone) verified a log that B signed after the rotation")
	}

	// The stolen key A signs a checkpoint after the rotation.
	c, err := evidence.ParseCheckpoint(cp)
	if err != nil {
		t.Fatal(err)
	}
	byA, err := note.Sign(&note.Note{Text: c.Text()}, a)
	if err != nil {
		t.Fatal(err)
	}
	line, err := evidence.CheckpointLine(byA)
	if err != nil {
		t.Fatal(err)
	}
	cpPath := path + evidence.CheckpointsSuffix
	n := len(lines(readFile(t, cpPath)))
	writeFile(t, cpPath, append(readFile(t, cpPath), line...))
	_, err = evidence.VerifyFile(ctx, path, &evidence.VerifyOptions{KeyRing: kr})
	var ve *evidence.VerifyError
	if !errors.As(err, &ve) || ve.Reason != evidence.ReasonKeyPeriod || ve.Checkpoint != n {
		t.Fatalf("VerifyFile(A after rotation) = %v, want %s at checkpoint %d", err, evidence.ReasonKeyPeriod, n)
	}
	aLabel := strings.SplitN(va, "+", 3)
	if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("checkpoint %d", n)) || !strings.Contains(msg, aLabel[0]+"+"+aLabel[1]) {
		t.Fatalf("error %q does not name the checkpoint and key A", msg)
	}
	// The writer refuses it too.
	if _, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: b, KeyRing: kr}); !errors.As(err, &ve) || ve.Reason != evidence.ReasonKeyPeriod {
		t.Fatalf("OpenFile(A after rotation) = %v, want %s", err, evidence.ReasonKeyPeriod)
	}
}

func TestParseKeyRingRefuses(t *testing.T) {
	_, _, va, vb := rotationKeys(t)
	for _, text := range []string{
		``, `{}`, `{"keys": []}`, `{"keys": [{"key": "nonsense"}]}`,
		fmt.Sprintf(`{"keys": [{"key": %q, "from": 5, "until": 4}]}`, va),
		fmt.Sprintf(`{"keys": [{"key": %q, "from": -1}]}`, va),
		fmt.Sprintf(`{"keys": [{"key": %q}, {"key": %q}]}`, va, va),
		fmt.Sprintf(`{"keys": [{"key": %q, "valid": 1}]}`, vb),
	} {
		if _, err := evidence.ParseKeyRing([]byte(text)); !errors.Is(err, evidence.ErrMalformed) {
			t.Errorf("ParseKeyRing(%s) = %v, want ErrMalformed", text, err)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "ring.json")
	if err := os.WriteFile(p, []byte(fmt.Sprintf(`{"keys": [{"key": %q}]}`, va)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.ReadKeyRing(p); err != nil {
		t.Fatalf("ReadKeyRing = %v", err)
	}
}

func FuzzParseKeyRing(f *testing.F) {
	f.Add([]byte(`{"keys": [{"key": "a+00000000+AQ==", "from": 0, "until": 10}]}`))
	f.Add([]byte(`{"keys": [{"key": "example.com/aimskit/evidence-test+5a0a6f0c+AfSuR2u4pbh8uSmfgNzr0I9kH3o7hKD5z4x6Y8lXeAaA", "from": 10}]}`))
	f.Add([]byte(`{"keys": null}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		kr, err := evidence.ParseKeyRing(b)
		if err != nil {
			if !errors.Is(err, evidence.ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		if len(kr.Keys) == 0 {
			t.Fatal("a ring without keys parsed")
		}
		_, _ = evidence.VerifyLog(context.Background(), strings.NewReader(""), strings.NewReader(""), &evidence.VerifyOptions{KeyRing: kr})
	})
}

func FuzzParseWitnessKey(f *testing.F) {
	k, _ := evidence.NewWitnessKey("witness.example/w1", ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32)).Public().(ed25519.PublicKey))
	f.Add(k.String())
	f.Add("a+00000000+BA==")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := evidence.ParseWitnessKey(s)
		if err != nil {
			return
		}
		if got, err := evidence.ParseWitnessKey(k.String()); err != nil || got.String() != k.String() {
			t.Fatalf("round trip of %q: %v, %v", s, got, err)
		}
	})
}

// A segmented log rotated from key A to key B (in the middle of a
// segment) verifies as a whole with a key ring whose periods count the
// records of the whole chain; so does a range of its segments, and one
// that starts after the rotation. A chain signed by A past the rotation
// is refused.
func TestSegmentsKeyRotation(t *testing.T) {
	ctx := context.Background()
	a, b, va, vb := rotationKeys(t)
	clock := newFakeClock()
	write := func(dir string, s note.Signer, kr *evidence.KeyRing, from, n int) int64 {
		t.Helper()
		l, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{
			File:       evidence.FileOptions{Signer: s, KeyRing: kr, Sync: evidence.SyncNone, Clock: clock.Now, CheckpointEvery: 5},
			MaxRecords: 20,
		})
		if err != nil {
			t.Fatalf("OpenSegments() = %v", err)
		}
		for i := 0; i < n; i += 10 {
			appendBatch(t, l, from+i, 10)
		}
		size := l.Len()
		if err := l.Close(ctx); err != nil {
			t.Fatal(err)
		}
		return size
	}
	dir := filepath.Join(t.TempDir(), "segments")
	rotated := write(dir, a, nil, 0, 50)
	kr := ring(t, fmt.Sprintf(`{"keys": [{"key": %q, "from": 0, "until": %d}, {"key": %q, "from": %d}]}`, va, rotated, vb, rotated))
	// The log reopens with B, and the ring, in the middle of its third
	// segment.
	total := write(dir, b, kr, 50, 60)
	paths, err := evidence.SegmentPaths(dir)
	if err != nil || len(paths) < 5 {
		t.Fatalf("SegmentPaths() = %v, %v; want at least 5 segments", paths, err)
	}
	verify := func(paths []string, o evidence.VerifyOptions, inRange bool) (evidence.SegmentsReport, error) {
		return evidence.VerifySegments(ctx, paths, &evidence.SegmentVerifyOptions{Log: o, Range: inRange})
	}
	rep, err := verify(paths, evidence.VerifyOptions{KeyRing: kr}, false)
	if err != nil || rep.Records != total {
		t.Fatalf("VerifySegments(ring) = %d records, %v; want %d", rep.Records, err, total)
	}
	for _, k := range []string{va, vb} {
		if _, err := verify(paths, evidence.VerifyOptions{Key: k}, false); err == nil {
			t.Errorf("VerifySegments(one key %.20s…) verified a log signed by two", k)
		}
	}
	if _, err := verify(paths, evidence.VerifyOptions{Key: va, KeyRing: kr}, false); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("VerifySegments(key and ring) = %v, want ErrInvalid", err)
	}
	// A range that starts after segment 1, and one that starts after the
	// rotation: the ring's periods still count from the first record.
	for _, from := range []int{1, len(paths) - 1} {
		if _, err := verify(paths[from:], evidence.VerifyOptions{KeyRing: kr}, true); err != nil {
			t.Errorf("VerifySegments(segments %d to %d, ring) = %v", from+1, len(paths), err)
		}
	}

	// The stolen key A goes on signing after the rotation.
	forged := filepath.Join(t.TempDir(), "segments")
	write(forged, a, nil, 0, 110)
	fpaths, _ := evidence.SegmentPaths(forged)
	_, err = verify(fpaths, evidence.VerifyOptions{KeyRing: kr}, false)
	var ve *evidence.VerifyError
	if !errors.As(err, &ve) || ve.Reason != evidence.ReasonKeyPeriod {
		t.Fatalf("VerifySegments(A after the rotation) = %v, want %s", err, evidence.ReasonKeyPeriod)
	}
	if !strings.Contains(err.Error(), "of the chain of segments") {
		t.Errorf("error %q does not say that the size counts the chain", err)
	}
	// And the writer refuses to continue such a chain with the ring.
	if _, err := evidence.OpenSegments(forged, &evidence.SegmentOptions{File: evidence.FileOptions{Signer: b, KeyRing: kr, Clock: clock.Now}}); !errors.As(err, &ve) || ve.Reason != evidence.ReasonKeyPeriod {
		t.Fatalf("OpenSegments(B, ring) on a chain A signed past the rotation = %v, want %s", err, evidence.ReasonKeyPeriod)
	}
}
