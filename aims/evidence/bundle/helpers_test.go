package bundle_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/ed25519"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/bundle"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// seededKeys returns a note signer and verifier key from a fixed seed.
func seededKeys(t testing.TB, seed byte, origin string) (*ed25519.PrivateKey, string) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	vkey, err := evidence.NoteVerifierKey(origin, priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return &priv, vkey
}

// segmentedLog writes a log of days daily segments of perDay records
// each, stamped by an injected clock from 2025-03-01, signed with a key
// from seed, and returns its segment paths and verifier key.
func segmentedLog(t testing.TB, seed byte, days, perDay int) ([]string, string) {
	t.Helper()
	priv, vkey := seededKeys(t, seed, "example")
	signer, err := evidence.NewNoteSigner("example", *priv)
	if err != nil {
		t.Fatal(err)
	}
	return appendDays(t, filepath.Join(t.TempDir(), "segments"), signer, 0, days, perDay, 0), vkey
}

// appendDays appends days daily segments of perDay records to the
// segmented log in dir, from day from (counted from 2025-03-01), with
// records numbered from seed, and returns the paths of all its segments.
func appendDays(t testing.TB, dir string, signer note.Signer, from, days, perDay, seed int) []string {
	t.Helper()
	now := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, from)
	s, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{
		File:  evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone, Clock: func() time.Time { return now }},
		Daily: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for d := range days {
		for i := range perDay {
			r := evidencetest.Record(seed + (from+d)*perDay + i)
			r.Time = now.Add(time.Duration(i) * time.Minute)
			if _, err := s.Append(context.Background(), r); err != nil {
				t.Fatal(err)
			}
		}
		now = now.Add(24 * time.Hour)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	paths, err := evidence.SegmentPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// writeBundle writes a bundle of paths, with the log key vkey.
func writeBundle(t testing.TB, paths []string, vkey string) ([]byte, *bundle.Manifest) {
	t.Helper()
	var buf bytes.Buffer
	m, err := bundle.Write(context.Background(), &buf, paths, &bundle.WriteOptions{Generator: "test", LogKey: vkey})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), m
}

// entry is one tar entry of a test archive.
type entry struct {
	hdr  tar.Header
	data []byte
}

func file(name string, data []byte) entry {
	return entry{tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(data)), Mode: 0o644}, data}
}

func tarBytes(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := e.hdr
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// entries reads the entries of a tar archive.
func entries(t testing.TB, b []byte) []entry {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(b))
	var out []entry
	for {
		h, err := tr.Next()
		if err != nil {
			return out
		}
		var data bytes.Buffer
		if _, err := data.ReadFrom(tr); err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{*h, data.Bytes()})
	}
}

func (e entry) name() string { return e.hdr.Name }
