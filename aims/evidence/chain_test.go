package evidence_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// TestChainMatchesFileLog checks that a Chain writes the very lines a
// FileLog writes, with the same checkpoints, also when it is saved and
// restored part way.
func TestChainMatchesFileLog(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	l := openLog(t, &evidence.FileOptions{Signer: signer, CheckpointEvery: 100, Sync: evidence.SyncNone})
	const n = 1037
	appendN(t, l, 0, n, 17)
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := readFile(t, l.Path())

	var c evidence.Chain
	if got := c.Prev(); got != evidence.Genesis {
		t.Fatalf("zero Chain: Prev() = %q, want Genesis", got)
	}
	var log, cps []byte
	for i := range n {
		if i == 500 {
			state, err := c.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var c2 evidence.Chain
			if err := c2.UnmarshalBinary(state); err != nil {
				t.Fatalf("UnmarshalBinary(MarshalBinary()) = %v", err)
			}
			if c2.Size() != c.Size() || c2.Prev() != c.Prev() || c2.Root() != c.Root() {
				t.Fatal("restored chain differs from the saved one")
			}
			c = c2
		}
		var err error
		log, err = c.AppendLine(log, evidencetest.Record(i))
		if err != nil {
			t.Fatalf("AppendLine(record %d) = %v", i, err)
		}
		log = append(log, '\n')
		if c.Size()%100 == 0 || i == n-1 {
			signed, err := c.Checkpoint(testOrigin).Sign(signer)
			if err != nil {
				t.Fatal(err)
			}
			line, err := evidence.CheckpointLine(signed)
			if err != nil {
				t.Fatal(err)
			}
			cps = append(cps, line...)
		}
	}
	if !bytes.Equal(log, want) {
		t.Fatal("the Chain's lines differ from the FileLog's")
	}
	rep, err := verifyBytes(t, log, cps, vkey)
	if err != nil {
		t.Fatalf("Verify() = %v", err)
	}
	if rep.Records != n || rep.Anchored != n || rep.Root != c.Root() {
		t.Fatalf("Verify() = %+v, want %d records, all anchored, root %v", rep, n, c.Root())
	}
}

func TestChainRejects(t *testing.T) {
	var c evidence.Chain
	r := evidencetest.Record(1)
	r.Outcome = ""
	r.Type = "nope"
	if _, err := c.AppendLine(nil, r); !errors.Is(err, evidence.ErrInvalid) {
		t.Fatalf("AppendLine(invalid) = %v, want ErrInvalid", err)
	}
	if _, err := c.AppendLine(nil, nil); !errors.Is(err, evidence.ErrInvalid) {
		t.Fatalf("AppendLine(nil) = %v, want ErrInvalid", err)
	}
	if c.Size() != 0 {
		t.Fatalf("Size() = %d after rejected lines, want 0", c.Size())
	}
	if _, err := (evidence.Checkpoint{Origin: "other"}).Sign(mustSigner(t)); !errors.Is(err, evidence.ErrInvalid) {
		t.Fatalf("Sign(other origin) = %v, want ErrInvalid", err)
	}
	for _, b := range [][]byte{nil, []byte("x"), []byte("aimskit-chain-v1\n"), append([]byte("aimskit-chain-v1\n"), make([]byte, 100)...)} {
		if err := c.UnmarshalBinary(b); !errors.Is(err, evidence.ErrMalformed) {
			t.Errorf("UnmarshalBinary(%q) = %v, want ErrMalformed", b, err)
		}
	}
}

func mustSigner(t *testing.T) interface {
	Name() string
	KeyHash() uint32
	Sign([]byte) ([]byte, error)
} {
	s, _ := testNoteKeys(t)
	return s
}

// FuzzChainUnmarshal checks that UnmarshalBinary never panics and that
// what it accepts marshals back to the same bytes.
func FuzzChainUnmarshal(f *testing.F) {
	var c evidence.Chain
	for i := range 5 {
		b, _ := c.MarshalBinary()
		f.Add(b)
		c.AppendLine(nil, evidencetest.Record(i))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c evidence.Chain
		if err := c.UnmarshalBinary(b); err != nil {
			return
		}
		got, _ := c.MarshalBinary()
		if !bytes.Equal(got, b) {
			t.Fatalf("MarshalBinary(UnmarshalBinary(%x)) = %x", b, got)
		}
	})
}
