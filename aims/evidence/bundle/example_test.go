package bundle_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
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

// ExampleVerifyOptions_after verifies this year's bundle after last
// year's, as an auditor who kept it does: a bundle that continues the
// old one verifies, and one whose history was rewritten in between and
// re-signed with the log's own key does not.
func ExampleVerifyOptions_after() {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "bundle-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tmp)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	signer, _ := evidence.NewNoteSigner("example", priv)
	vkey, _ := evidence.NoteVerifierKey("example", priv.Public().(ed25519.PublicKey))

	// days appends daily segments of two records to the log in dir, from
	// day from, with records numbered from seed.
	days := func(dir string, from, n, seed int) []string {
		now := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, from)
		log, err := evidence.OpenSegments(filepath.Join(tmp, dir), &evidence.SegmentOptions{
			File:  evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone, Clock: func() time.Time { return now }},
			Daily: true,
		})
		if err != nil {
			panic(err)
		}
		for d := range n {
			for i := range 2 {
				r := evidencetest.Record(seed + (from+d)*2 + i)
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
		paths, _ := evidence.SegmentPaths(filepath.Join(tmp, dir))
		return paths
	}
	// verifyAfter bundles paths, extracts the bundle and verifies it
	// after the previous bundle's manifest.
	n := 0
	verifyAfter := func(paths []string, prev *bundle.Manifest) (*bundle.Manifest, error) {
		var tarball bytes.Buffer
		if _, err := bundle.Write(ctx, &tarball, paths, &bundle.WriteOptions{LogKey: vkey}); err != nil {
			panic(err)
		}
		n++
		dir := filepath.Join(tmp, fmt.Sprint("audit", n))
		if err := os.Mkdir(dir, 0o700); err != nil {
			panic(err)
		}
		m, err := bundle.Extract(&tarball, dir, nil)
		if err != nil {
			panic(err)
		}
		_, err = bundle.Verify(ctx, dir, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{Key: vkey}, After: prev})
		return m, err
	}

	lastYear, _ := verifyAfter(days("log", 0, 2, 0), nil)
	paths := days("log", 2, 2, 0) // the log goes on
	_, err = verifyAfter(paths[2:], lastYear)
	fmt.Println("continues last year's bundle:", err == nil)

	forged := days("forged", 0, 4, 100) // the whole history, rewritten
	_, err = verifyAfter(forged[2:], lastYear)
	var ve *evidence.VerifyError
	fmt.Println("rewritten:", errors.As(err, &ve) && ve.Reason == evidence.ReasonTrustedMismatch)
	// Output:
	// continues last year's bundle: true
	// rewritten: true
}
