package bundle_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/bundle"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// Example writes a bundle of the last two of three daily segments, and
// verifies it as an auditor does: extracted, checked against its
// manifest, and verified with the log key received out of band.
func Example() {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "bundle-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tmp)

	// The log's owner: a segmented log, closed daily.
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	signer, _ := evidence.NewNoteSigner("example", priv)
	vkey, _ := evidence.NoteVerifierKey("example", priv.Public().(ed25519.PublicKey))
	now := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	log, err := evidence.OpenSegments(filepath.Join(tmp, "log"), &evidence.SegmentOptions{
		File:  evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone, Clock: func() time.Time { return now }},
		Daily: true,
	})
	if err != nil {
		panic(err)
	}
	for day := range 3 {
		for i := range 4 {
			r := evidencetest.Record(day*4 + i)
			r.Time = now
			if _, err := log.Append(ctx, r); err != nil {
				panic(err)
			}
		}
		now = now.Add(24 * time.Hour)
	}
	if err := log.Close(ctx); err != nil {
		panic(err)
	}
	paths, _ := evidence.SegmentPaths(filepath.Join(tmp, "log"))
	var tarball bytes.Buffer
	if _, err := bundle.Write(ctx, &tarball, paths[1:], &bundle.WriteOptions{LogKey: vkey}); err != nil {
		panic(err)
	}

	// The auditor.
	dir := filepath.Join(tmp, "audit")
	if err := os.Mkdir(dir, 0o700); err != nil {
		panic(err)
	}
	m, err := bundle.Extract(&tarball, dir, nil)
	if err != nil {
		panic(err)
	}
	rep, err := bundle.Verify(ctx, dir, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{Key: vkey}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d records in %d segments, from segment %d, after %d records\n",
		rep.Segments.Records, len(rep.Segments.Segments), rep.Segments.Range.First, rep.Segments.Range.Before)
	fmt.Println("period:", m.Period.From.Format(time.DateOnly), "to", m.Period.To.Format(time.DateOnly))
	fmt.Println("bundled log key the same as ours:", rep.Anchors[0].Matches)
	// Output:
	// 10 records in 2 segments, from segment 2, after 4 records
	// period: 2026-02-02 to 2026-02-03
	// bundled log key the same as ours: true
}
