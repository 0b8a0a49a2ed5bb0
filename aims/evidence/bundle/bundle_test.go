package bundle_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/bundle"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

func TestWriteExtractVerify(t *testing.T) {
	paths, vkey := segmentedLog(t, 1, 4, 5)
	b, m := writeBundle(t, paths, vkey)
	got, err := bundle.Check(bytes.NewReader(b), nil)
	if err != nil {
		t.Fatalf("Check() = %v", err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Errorf("Check() manifest (-want +got):\n%s", diff)
	}
	if m.Records != 4*5+3 || len(m.Segments) != 4 || m.Origin != "example" || m.Before != 0 {
		t.Errorf("Write() manifest: %d records in %d segments of %q, %d before; want 23 in 4 of example, 0 before", m.Records, len(m.Segments), m.Origin, m.Before)
	}
	dir := t.TempDir()
	if _, err := bundle.Extract(bytes.NewReader(b), dir, nil); err != nil {
		t.Fatalf("Extract() = %v", err)
	}
	rep, err := bundle.Verify(context.Background(), dir, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{Key: vkey}})
	if err != nil {
		t.Fatalf("Verify() = %v", err)
	}
	if rep.BundledAnchorsUsed() || len(rep.Anchors) != 1 || !rep.Anchors[0].Matches || rep.Segments.Records != m.Records {
		t.Errorf("Verify() = anchors %+v, %d records", rep.Anchors, rep.Segments.Records)
	}
	if _, err := bundle.Verify(context.Background(), dir, m, nil); !errors.Is(err, bundle.ErrInvalid) {
		t.Errorf("Verify(no key) = %v, want ErrInvalid", err)
	}
	rep, err = bundle.Verify(context.Background(), dir, m, &bundle.VerifyOptions{UseBundledAnchors: true})
	if err != nil || !rep.BundledAnchorsUsed() {
		t.Errorf("Verify(UseBundledAnchors) = %v, used %v", err, rep.BundledAnchorsUsed())
	}
	// Another key: a *KeyError, and the bundle's key is marked.
	_, other := seededKeys(t, 2, "example")
	rep, err = bundle.Verify(context.Background(), dir, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{Key: other}})
	var ke *evidence.KeyError
	if !errors.As(err, &ke) || !rep.Anchors[0].Differs {
		t.Errorf("Verify(another key) = %v, anchors %+v; want a *KeyError and the bundle's key marked as differing", err, rep.Anchors)
	}
	// The extracted folder already holds the files.
	if _, err := bundle.Extract(bytes.NewReader(b), dir, nil); err == nil {
		t.Errorf("Extract() into a folder holding the files = nil, want an error")
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	paths, vkey := segmentedLog(t, 1, 3, 4)
	a, _ := writeBundle(t, paths, vkey)
	b, _ := writeBundle(t, paths, vkey)
	if !bytes.Equal(a, b) {
		t.Fatalf("Write() twice gave different bytes")
	}
	var names []string
	for _, e := range entries(t, a) {
		names = append(names, e.name())
	}
	want := []string{"MANIFEST.json", "log.vkey",
		"segment-000001.jsonl", "segment-000001.jsonl.checkpoints",
		"segment-000002.jsonl", "segment-000002.jsonl.checkpoints",
		"segment-000003.jsonl", "segment-000003.jsonl.checkpoints"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("Write() entries (-want +got):\n%s", diff)
	}
	for _, e := range entries(t, a) {
		if !e.hdr.ModTime.Equal(bundle.ModTime) {
			t.Errorf("Write() entry %s has time %v, want %v", e.name(), e.hdr.ModTime, bundle.ModTime)
		}
	}
}

func TestVerifyRange(t *testing.T) {
	paths, vkey := segmentedLog(t, 1, 6, 3)
	b, m := writeBundle(t, paths[2:5], vkey)
	if m.Before != 3+4 || m.Segments[0].Sequence != 3 {
		t.Errorf("Write(segments 3 to 5) = %d before, first segment %d; want 7, 3", m.Before, m.Segments[0].Sequence)
	}
	dir := t.TempDir()
	if _, err := bundle.Extract(bytes.NewReader(b), dir, nil); err != nil {
		t.Fatal(err)
	}
	rep, err := bundle.Verify(context.Background(), dir, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{Key: vkey}})
	if err != nil || rep.Segments.Range == nil || rep.Segments.Range.First != 3 {
		t.Errorf("Verify(range) = %+v, %v", rep.Segments.Range, err)
	}
}

// TestReadHostile: entries that must not be extracted are refused with
// an *Error naming the file.
func TestReadHostile(t *testing.T) {
	paths, vkey := segmentedLog(t, 1, 2, 2)
	good, _ := writeBundle(t, paths, vkey)
	es := entries(t, good)
	link := file("segment-000002.jsonl", nil)
	link.hdr.Typeflag, link.hdr.Linkname = '2', "/etc/passwd"
	dirEntry := file("keys", nil)
	dirEntry.hdr.Typeflag = '5'
	tests := []struct {
		name    string
		archive []byte
		opts    *bundle.ReadOptions
		file    string
		problem bundle.Problem
	}{
		{"parent folder", tarBytes(t, append(es, file("../x", []byte("x")))...), nil, "../x", bundle.ProblemUnsafeName},
		{"absolute", tarBytes(t, append(es, file("/tmp/x", []byte("x")))...), nil, "/tmp/x", bundle.ProblemUnsafeName},
		{"in a folder", tarBytes(t, append(es, file("keys/log.vkey", []byte("x")))...), nil, "keys/log.vkey", bundle.ProblemUnsafeName},
		{"windows drive", tarBytes(t, append(es, file(`C:\x`, []byte("x")))...), nil, `C:\x`, bundle.ProblemUnsafeName},
		{"dot file", tarBytes(t, append(es, file(".hidden", []byte("x")))...), nil, ".hidden", bundle.ProblemUnsafeName},
		{"symbolic link", tarBytes(t, append(es[:1:1], link)...), nil, "segment-000002.jsonl", bundle.ProblemNotRegular},
		{"folder", tarBytes(t, append(es[:1:1], dirEntry)...), nil, "keys", bundle.ProblemNotRegular},
		{"duplicate", tarBytes(t, append(es, es[2])...), nil, es[2].name(), bundle.ProblemDuplicate},
		{"duplicate manifest", tarBytes(t, append(es, es[0])...), nil, bundle.ManifestName, bundle.ProblemDuplicate},
		{"too large", good, &bundle.ReadOptions{MaxFileSize: 64}, es[0].name(), bundle.ProblemTooLarge},
		{"too many files", good, &bundle.ReadOptions{MaxFiles: 3}, es[3].name(), bundle.ProblemTooLarge},
		{"cut short", good[:1500], nil, bundle.ManifestName, bundle.ProblemNotTar},
		{"no manifest", tarBytes(t, es[1:]...), nil, bundle.ManifestName, bundle.ProblemManifest},
		{"not a tar", []byte(strings.Repeat("not a tar ", 100)), nil, "the bundle", bundle.ProblemNotTar},
		{"extra file", tarBytes(t, append(es, file("notes.txt", []byte("x")))...), nil, "notes.txt", bundle.ProblemExtra},
		{"missing file", tarBytes(t, append(es[:2:2], es[3:]...)...), nil, es[2].name(), bundle.ProblemMissing},
		{"altered file", tarBytes(t, append(es[:2:2], append([]entry{file(es[2].name(), bytes.ToUpper(es[2].data))}, es[3:]...)...)...), nil, es[2].name(), bundle.ProblemAltered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bundle.Check(bytes.NewReader(tt.archive), tt.opts)
			var be *bundle.Error
			if !errors.As(err, &be) {
				t.Fatalf("Check() = %v, want a *bundle.Error", err)
			}
			if be.File != tt.file || be.Problem != tt.problem {
				t.Errorf("Check() = %v; want file %q, problem %s", err, tt.file, tt.problem)
			}
			if !errors.Is(err, bundle.ErrMalformed) && !errors.Is(err, bundle.ErrMismatch) {
				t.Errorf("Check() = %v, matches neither ErrMalformed nor ErrMismatch", err)
			}
		})
	}
}

// TestParseManifestErrors: each malformed field is named by its JSON
// pointer.
func TestParseManifestErrors(t *testing.T) {
	paths, vkey := segmentedLog(t, 1, 2, 2)
	good, _ := writeBundle(t, paths, vkey)
	manifest := string(entries(t, good)[0].data)
	replace := func(old, new string) string {
		if !strings.Contains(manifest, old) {
			t.Fatalf("manifest lacks %q", old)
		}
		return strings.Replace(manifest, old, new, 1)
	}
	tests := []struct {
		name, in, pointer string
	}{
		{"not JSON", "{", ""},
		{"not an object", "[]", ""},
		{"trailing data", manifest + "{}", ""},
		{"unknown field", replace(`"format":`, `"extra": 1, "format":`), "/extra"},
		{"unknown field in a file", replace(`"size":`, `"mode": 1, "size":`), "/files/0/mode"},
		{"other format", replace(`"aimskit-evidence-bundle"`, `"zip"`), "/format"},
		{"newer version", replace(`"formatVersion": 1`, `"formatVersion": 2`), "/formatVersion"},
		{"version as a string", replace(`"formatVersion": 1`, `"formatVersion": "1"`), "/formatVersion"},
		{"negative records", replace(`"records": 5`, `"records": -5`), "/records"},
		{"records that do not add up", replace(`"records": 5`, `"records": 6`), "/records"},
		{"bad time", replace(`"from": "2025`, `"from": "yesterday`), "/period/from"},
		{"period backwards", replace(`"to": "2025-03-02T08:01:00Z"`, `"to": "2024-01-01T00:00:00Z"`), "/period/to"},
		{"bad digest", replace(`"sha256": "`, `"sha256": "ZZ`), "/files/0/sha256"},
		{"unsafe file name", replace(`"name": "log.vkey"`, `"name": "../log.vkey"`), "/files/0/name"},
		{"segment not listed", replace(`"name": "segment-000002.jsonl",`, `"name": "segment-000009.jsonl",`), "/segments/1/name"},
		{"segment out of order", replace(`"sequence": 2`, `"sequence": 5`), "/segments/1/sequence"},
		{"anchor not listed", replace(`"logKey": "log.vkey"`, `"logKey": "other.vkey"`), "/anchors/logKey"},
		{"key ring not listed", replace(`"logKey": "log.vkey"`, `"logKey": "log.vkey", "keyRing": "keyring.json"`), "/anchors/keyRing"},
		{"key ring not a string", replace(`"logKey": "log.vkey"`, `"logKey": "log.vkey", "keyRing": 1`), "/anchors/keyRing"},
		{"no segments", replace(`"segments": [`, `"segments": [], "x": [`), "/x"},
		{"null version", replace(`"formatVersion": 1`, `"formatVersion": null`), "/formatVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bundle.ParseManifest([]byte(tt.in))
			var be *bundle.Error
			if !errors.As(err, &be) || be.Problem != bundle.ProblemManifest || be.File != bundle.ManifestName {
				t.Fatalf("ParseManifest() = %v, want a manifest *bundle.Error", err)
			}
			if be.Pointer != tt.pointer {
				t.Errorf("ParseManifest() = %v; pointer %q, want %q", err, be.Pointer, tt.pointer)
			}
			if !errors.Is(err, bundle.ErrMalformed) {
				t.Errorf("ParseManifest() = %v, does not match ErrMalformed", err)
			}
		})
	}
}

// A bundle of a segmented log whose key was rotated from A to B carries
// the log's key ring and verifies with the auditor's copy of it; a bundle
// re-signed with a forger's key and a ring of that key is refused with
// the auditor's ring, and its ring is marked as differing.
func TestBundleKeyRing(t *testing.T) {
	ctx := context.Background()
	privA, va := seededKeys(t, 1, "example")
	privB, vb := seededKeys(t, 2, "example")
	privC, vc := seededKeys(t, 3, "example")
	now := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	write := func(dir string, priv *ed25519.PrivateKey, kr *evidence.KeyRing, from, n int) int64 {
		t.Helper()
		signer, err := evidence.NewNoteSigner("example", *priv)
		if err != nil {
			t.Fatal(err)
		}
		s, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{
			File:       evidence.FileOptions{Signer: signer, KeyRing: kr, Sync: evidence.SyncNone, Clock: func() time.Time { return now }},
			MaxRecords: 8,
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if _, err := s.Append(ctx, evidencetest.Record(from+i)); err != nil {
				t.Fatal(err)
			}
		}
		size := s.Len()
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
		return size
	}
	ringOf := func(until int64, keys ...string) *evidence.KeyRing {
		kr := &evidence.KeyRing{}
		for i, k := range keys {
			rk := evidence.RingKey{Key: k}
			if i > 0 {
				rk.From = until
			}
			if i < len(keys)-1 {
				rk.Until = &until
			}
			kr.Keys = append(kr.Keys, rk)
		}
		return kr
	}
	// The real log: signed by A, then rotated to B inside a segment.
	dir := filepath.Join(t.TempDir(), "segments")
	rotated := write(dir, privA, nil, 0, 20)
	real := ringOf(rotated, va, vb)
	write(dir, privB, real, 20, 20)
	paths, err := evidence.SegmentPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	m, err := bundle.Write(ctx, &buf, paths[1:], &bundle.WriteOptions{Generator: "test", KeyRing: real})
	if err != nil {
		t.Fatalf("Write(ring) = %v", err)
	}
	if m.Anchors.KeyRing != bundle.KeyRingName {
		t.Fatalf("manifest anchors %+v, want the key ring", m.Anchors)
	}
	out := t.TempDir()
	if _, err := bundle.Extract(bytes.NewReader(buf.Bytes()), out, nil); err != nil {
		t.Fatal(err)
	}
	rep, err := bundle.Verify(ctx, out, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{KeyRing: real}})
	if err != nil || len(rep.Anchors) != 1 || !rep.Anchors[0].Matches || rep.BundledAnchorsUsed() {
		t.Fatalf("Verify(auditor's ring) = %v, anchors %+v", err, rep.Anchors)
	}
	if _, err := bundle.Verify(ctx, out, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{Key: va}}); err == nil {
		t.Error("Verify(key A alone) verified a log B signed after the rotation")
	}
	rep, err = bundle.Verify(ctx, out, m, &bundle.VerifyOptions{UseBundledAnchors: true})
	if err != nil || !rep.BundledAnchorsUsed() {
		t.Errorf("Verify(bundled ring) = %v, used %v", err, rep.BundledAnchorsUsed())
	}
	if _, err := bundle.Verify(ctx, out, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{Key: va, KeyRing: real}}); !errors.Is(err, bundle.ErrInvalid) {
		t.Errorf("Verify(key and ring) = %v, want ErrInvalid", err)
	}

	// A forger rewrites the log with key C and bundles a ring of C.
	forged := filepath.Join(t.TempDir(), "segments")
	write(forged, privC, nil, 0, 40)
	fpaths, _ := evidence.SegmentPaths(forged)
	buf.Reset()
	fm, err := bundle.Write(ctx, &buf, fpaths[1:], &bundle.WriteOptions{Generator: "test", KeyRing: ringOf(0, vc)})
	if err != nil {
		t.Fatal(err)
	}
	fout := t.TempDir()
	if _, err := bundle.Extract(bytes.NewReader(buf.Bytes()), fout, nil); err != nil {
		t.Fatal(err)
	}
	rep, err = bundle.Verify(ctx, fout, fm, &bundle.VerifyOptions{Log: evidence.VerifyOptions{KeyRing: real}})
	var ke *evidence.KeyError
	if !errors.As(err, &ke) || !rep.Anchors[0].Differs {
		t.Errorf("Verify(forged, auditor's ring) = %v, anchors %+v; want a *KeyError and the ring marked as differing", err, rep.Anchors)
	}
}

// An auditor's second bundle must continue the first (VerifyOptions.After):
// overlapping or adjacent bundles of the same log do; a gap between them
// is reported; a history rewritten between the two visits and re-signed
// with the log's own key is refused as tampering.
func TestBundleAfter(t *testing.T) {
	ctx := context.Background()
	priv, vkey := seededKeys(t, 1, "example")
	signer, err := evidence.NewNoteSigner("example", *priv)
	if err != nil {
		t.Fatal(err)
	}
	// write appends days daily segments of perDay records to the log in
	// dir, from day from, with records numbered from seed.
	write := func(dir string, from, days, perDay, seed int) []string {
		t.Helper()
		return appendDays(t, dir, signer, from, days, perDay, seed)
	}
	extract := func(paths []string) (string, *bundle.Manifest) {
		t.Helper()
		b, m := writeBundle(t, paths, vkey)
		dir := t.TempDir()
		if _, err := bundle.Extract(bytes.NewReader(b), dir, nil); err != nil {
			t.Fatal(err)
		}
		return dir, m
	}
	verifyAfter := func(dir string, m, prev *bundle.Manifest) error {
		_, err := bundle.Verify(ctx, dir, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{Key: vkey}, After: prev})
		return err
	}

	real := filepath.Join(t.TempDir(), "segments")
	_, first := extract(write(real, 0, 4, 5, 0)) // last year's visit: segments 1 to 4
	paths := write(real, 4, 4, 5, 0)             // the log goes on: segments 5 to 8
	for _, tt := range []struct {
		name  string
		from  int // index of the first segment of the new bundle
		check func(error) bool
	}{
		{"overlapping (segments 4 to 8)", 3, func(err error) bool { return err == nil }},
		{"adjacent (segments 5 to 8)", 4, func(err error) bool { return err == nil }},
		{"all (segments 1 to 8)", 0, func(err error) bool { return err == nil }},
		{"a gap (segments 6 to 8)", 5, func(err error) bool {
			var be *bundle.Error
			return errors.As(err, &be) && be.Problem == bundle.ProblemNotContinued && errors.Is(err, bundle.ErrMismatch)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir, m := extract(paths[tt.from:])
			if err := verifyAfter(dir, m, first); !tt.check(err) {
				t.Errorf("Verify(After) = %v", err)
			}
		})
	}
	// A bundle that ends before the previous one's last segment.
	dir, m := extract(paths[:2])
	if err := verifyAfter(dir, m, first); !errors.Is(err, bundle.ErrMismatch) {
		t.Errorf("Verify(After) of segments 1 to 2 = %v, want ErrMismatch", err)
	}

	// The writer rewrites the whole history after the first visit, with
	// other records, and re-signs it with the log's own key.
	forged := filepath.Join(t.TempDir(), "segments")
	write(forged, 0, 4, 5, 1000)
	fpaths := write(forged, 4, 4, 5, 1000)
	for _, from := range []int{3, 4} {
		dir, m := extract(fpaths[from:])
		if err := verifyAfter(dir, m, nil); err != nil {
			t.Fatalf("the forged bundle verifies on its own: %v", err)
		}
		err := verifyAfter(dir, m, first)
		var ve *evidence.VerifyError
		if !errors.As(err, &ve) || ve.Reason != evidence.ReasonTrustedMismatch {
			t.Errorf("Verify(forged segments %d to 8, After) = %v, want %s", from+1, err, evidence.ReasonTrustedMismatch)
		}
	}
	// Segment 4 went on after the first visit: a bundle that holds it
	// shows that it extends the first bundle; one that begins with
	// segment 5 cannot.
	grown := filepath.Join(t.TempDir(), "segments")
	_, before := extract(write(grown, 0, 4, 5, 0))
	write(grown, 3, 1, 5, 500) // day 3 again: five more records in segment 4
	gpaths := write(grown, 4, 2, 5, 0)
	dir, m = extract(gpaths[3:])
	if err := verifyAfter(dir, m, before); err != nil {
		t.Errorf("Verify(After) of segments 4 to 6, segment 4 grown = %v", err)
	}
	dir, m = extract(gpaths[4:])
	var be *bundle.Error
	if err := verifyAfter(dir, m, before); !errors.As(err, &be) || be.Problem != bundle.ProblemNotContinued {
		t.Errorf("Verify(After) of segments 5 to 6, segment 4 grown = %v, want %s", err, bundle.ProblemNotContinued)
	}
	// Segment 4 lost records after the first visit.
	shrunk := filepath.Join(t.TempDir(), "segments")
	write(shrunk, 0, 3, 5, 0)
	write(shrunk, 3, 1, 2, 700)
	spaths := write(shrunk, 4, 2, 5, 0)
	dir, m = extract(spaths[4:])
	var ve *evidence.VerifyError
	if err := verifyAfter(dir, m, first); !errors.As(err, &ve) || ve.Reason != evidence.ReasonTrustedMismatch || !strings.Contains(err.Error(), "removed") {
		t.Errorf("Verify(After) of segments 5 to 6 after segment 4 lost records = %v, want %s", err, evidence.ReasonTrustedMismatch)
	}

	// After and a trusted checkpoint together are refused.
	dir, m = extract(paths[3:])
	if _, err := bundle.Verify(ctx, dir, m, &bundle.VerifyOptions{Log: evidence.VerifyOptions{Key: vkey, Trusted: []byte(first.LastCheckpoint)}, After: first}); !errors.Is(err, bundle.ErrInvalid) {
		t.Errorf("Verify(After and Trusted) = %v, want ErrInvalid", err)
	}
}
