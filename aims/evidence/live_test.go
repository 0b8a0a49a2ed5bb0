package evidence_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// TestVerifyAndProveBesideWriter verifies and proves a log again and again
// while a writer appends to it: a line still being written is in
// progress, never tampering, and neither takes the writer's lock.
func TestVerifyAndProveBesideWriter(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	path := filepath.Join(t.TempDir(), "live.jsonl")
	l := openLogAt(t, path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 50, Sync: evidence.SyncNone})
	const total, batch = 3000, 7
	done := make(chan error, 1)
	go func() {
		defer close(done)
		for i := 0; i < total; i += batch {
			recs := make([]*evidence.Record, 0, batch)
			for j := i; j < min(i+batch, total); j++ {
				recs = append(recs, evidencetest.Record(j))
			}
			if _, err := l.Append(t.Context(), recs...); err != nil {
				done <- err
				return
			}
		}
		done <- l.Close(t.Context())
	}()
	runs := 0
	for writing := true; writing; runs++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			writing = false
		default:
		}
		rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey, MaxUnanchored: total})
		if err != nil {
			t.Fatalf("VerifyFile() beside the writer (run %d) = %v", runs, err)
		}
		if rep.Records < rep.Anchored {
			t.Fatalf("report %+v", rep)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := evidence.NewProver(t.Context(), bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if p.Len() > 0 {
			if _, err := p.ProveInclusion(p.Len()-1, p.Len()); err != nil {
				t.Fatalf("ProveInclusion() beside the writer = %v", err)
			}
		}
	}
	rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey})
	if err != nil || rep.Records != total || rep.Unanchored != 0 {
		t.Fatalf("VerifyFile() after the writer closed = %+v, %v", rep, err)
	}
	t.Logf("verified and proved %d times while the writer appended %d records", runs, total)
}
