package main

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/bundle"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// tarEntry is one file of a bundle, for tests that change bundles.
type tarEntry struct {
	name string
	data []byte
}

func readTar(t *testing.T, path string) []tarEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	var out []tarEntry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tarEntry{h.Name, b})
	}
}

func writeTar(t *testing.T, path string, entries []tarEntry) {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.name, Size: int64(len(e.data)), Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	write(t, path, buf.Bytes())
}

// rewriteManifest makes the manifest of entries list the files of
// entries as they are, as a forger would.
func rewriteManifest(t *testing.T, entries []tarEntry, edit func(m *bundle.Manifest)) []tarEntry {
	t.Helper()
	var m *bundle.Manifest
	for _, e := range entries {
		if e.name == bundle.ManifestName {
			var err error
			if m, err = bundle.ParseManifest(e.data); err != nil {
				t.Fatal(err)
			}
		}
	}
	m.Files = nil
	for _, e := range entries {
		if e.name != bundle.ManifestName {
			sum := sha256.Sum256(e.data)
			m.Files = append(m.Files, bundle.File{Name: e.name, Size: int64(len(e.data)), SHA256: hex.EncodeToString(sum[:])})
		}
	}
	if edit != nil {
		edit(m)
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]tarEntry, 0, len(entries))
	for _, e := range entries {
		if e.name == bundle.ManifestName {
			e.data = b
		}
		out = append(out, e)
	}
	return out
}

func withoutEntries(entries []tarEntry, names ...string) []tarEntry {
	var out []tarEntry
	for _, e := range entries {
		drop := false
		for _, n := range names {
			drop = drop || e.name == n
		}
		if !drop {
			out = append(out, e)
		}
	}
	return out
}

// TestEvidenceBundle writes a bundle of a segmented log and verifies it
// as an auditor would: with the key received out of band, and the
// bundle as it is; the same log gives the same bytes.
func TestEvidenceBundle(t *testing.T) {
	prefix, dir := segmentedLog(t, time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), 8)
	pub := prefix + ".pub"
	out := filepath.Join(t.TempDir(), "audit.tar")
	code, stdout, stderr := runCLI(t, "evidence", "bundle", "--pub", pub, "--out", out, dir)
	if code != exitOK || !strings.Contains(stdout, "8 segments (segment-000001.jsonl to segment-000008.jsonl), 47 records") ||
		!strings.Contains(stdout, "fingerprint") {
		t.Fatalf("evidence bundle = %d: %s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "evidence", "verify", "--pub", pub, out)
	if code != exitOK || !strings.Contains(stdout, "intact: 47 records in 8 segments") || !strings.Contains(stdout, "verified against the keys you gave") ||
		!strings.Contains(stdout, "the same as the one you gave") || stderr != "" {
		t.Fatalf("evidence verify BUNDLE = %d: %s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", pub, "--format", "json", out); code != exitOK || !strings.Contains(stdout, `"lastCheckpoint"`) {
		t.Errorf("evidence verify --format json BUNDLE = %d: %s%s", code, stdout, stderr)
	}

	// Deterministic: the same segments give the same bytes.
	out2 := filepath.Join(t.TempDir(), "again.tar")
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--pub", pub, "--out", out2, dir); code != exitOK {
		t.Fatalf("evidence bundle again = %d: %s", code, stderr)
	}
	if !bytes.Equal(readFileT(t, out), readFileT(t, out2)) {
		t.Errorf("two bundles of the same segments differ")
	}
	// An existing file is not overwritten.
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--pub", pub, "--out", out, dir); code != exitError || !strings.Contains(stderr, "exists") {
		t.Errorf("evidence bundle over an existing file = %d: %s", code, stderr)
	}
	// The entries are sorted, with fixed times, the manifest first.
	entries := readTar(t, out)
	if entries[0].name != bundle.ManifestName || entries[1].name != "log.vkey" || entries[2].name != "segment-000001.jsonl" {
		t.Errorf("first entries = %s, %s, %s; want the manifest, log.vkey, segment-000001.jsonl", entries[0].name, entries[1].name, entries[2].name)
	}

	// Without a key of their own, the auditor is told why one is needed.
	if code, _, stderr := runCLI(t, "evidence", "verify", out); code != exitError || !strings.Contains(stderr, "out of band") {
		t.Errorf("evidence verify BUNDLE without --pub = %d: %s", code, stderr)
	}
	// With the bundle's own keys, their fingerprints are printed and
	// flagged.
	code, stdout, stderr = runCLI(t, "evidence", "verify", "--bundled-keys", out)
	if code != exitOK || !strings.Contains(stdout, "USED: compare this fingerprint") || !strings.Contains(stderr, "WARNING") ||
		!strings.Contains(stdout, "keys the bundle carries itself") {
		t.Errorf("evidence verify --bundled-keys BUNDLE = %d: %s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := evidence.ParsePublicKey(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, evidence.KeyID(pk)) {
		t.Errorf("evidence verify --bundled-keys does not print the key id %s that keygen printed: %s", evidence.KeyID(pk), stdout)
	}
}

// TestEvidenceBundleTampering: a record altered inside the bundle, a
// segment removed from its middle, and files that are not those of the
// manifest are all caught.
func TestEvidenceBundleTampering(t *testing.T) {
	prefix, dir := segmentedLog(t, time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), 6)
	pub := prefix + ".pub"
	out := filepath.Join(t.TempDir(), "audit.tar")
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--pub", pub, "--out", out, dir); code != exitOK {
		t.Fatalf("evidence bundle = %d: %s", code, stderr)
	}
	entries := readTar(t, out)
	alter := func(name string) []tarEntry {
		var changed []tarEntry
		for _, e := range entries {
			if e.name == name {
				e.data = bytes.Replace(bytes.Clone(e.data), []byte(`"outcome":"`), []byte(`"outcome":"X`), 1)
			}
			changed = append(changed, e)
		}
		return changed
	}
	tmp := t.TempDir()
	tests := []struct {
		name    string
		entries []tarEntry
		want    []string
	}{
		{"record altered", alter("segment-000003.jsonl"), []string{"NOT AS ITS MANIFEST SAYS", "segment-000003.jsonl", "altered", "/files/"}},
		{"record altered, manifest forged", rewriteManifest(t, alter("segment-000003.jsonl"), nil), []string{"TAMPERED", "segment-000003.jsonl"}},
		{"middle segment removed", withoutEntries(entries, "segment-000003.jsonl", "segment-000003.jsonl.checkpoints"), []string{"segment-000003.jsonl: /files/", "missing"}},
		{"middle segment removed, manifest forged", rewriteManifest(t, withoutEntries(entries, "segment-000003.jsonl", "segment-000003.jsonl.checkpoints"),
			func(m *bundle.Manifest) {
				m.Segments = append(m.Segments[:2:2], m.Segments[3:]...)
			}), []string{"/segments/2/sequence", "contiguous"}},
		{"middle segment removed, sequence forged", rewriteManifest(t, withoutEntries(entries, "segment-000003.jsonl", "segment-000003.jsonl.checkpoints"),
			func(m *bundle.Manifest) {
				m.Segments = m.Segments[:2]
				m.Records = m.Segments[0].Records + m.Segments[1].Records
			}), []string{"/files/", "segment-000004.jsonl", "neither a segment"}},
		{"extra file", append(entries[:len(entries):len(entries)], tarEntry{"notes.txt", []byte("hi")}), []string{"notes.txt", "extra"}},
		{"record count forged", rewriteManifest(t, entries, func(m *bundle.Manifest) { m.Records++; m.Segments[0].Records++ }), []string{"/records", "claim"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(tmp, strings.Repeat("x", i+1)+".tar")
			writeTar(t, path, tt.entries)
			code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", pub, path)
			if code != exitInvalid {
				t.Fatalf("evidence verify = %d, want %d: %s%s", code, exitInvalid, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("evidence verify: stderr does not say %q: %s", w, stderr)
				}
			}
		})
	}
}

// TestEvidenceBundleMiddleSegmentChain: with a segment gone from the
// middle and the manifest forged to list the rest as contiguous (renamed
// segments), the chain of segments shows the hole.
func TestEvidenceBundleMiddleSegmentChain(t *testing.T) {
	prefix, dir := segmentedLog(t, time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), 5)
	pub := prefix + ".pub"
	out := filepath.Join(t.TempDir(), "audit.tar")
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--pub", pub, "--out", out, dir); code != exitOK {
		t.Fatalf("evidence bundle = %d: %s", code, stderr)
	}
	// Drop segment 3 and rename segments 4 and 5 to 3 and 4.
	var entries []tarEntry
	for _, e := range readTar(t, out) {
		switch {
		case strings.HasPrefix(e.name, "segment-000003."):
			continue
		case strings.HasPrefix(e.name, "segment-000004."):
			e.name = strings.Replace(e.name, "000004", "000003", 1)
		case strings.HasPrefix(e.name, "segment-000005."):
			e.name = strings.Replace(e.name, "000005", "000004", 1)
		}
		entries = append(entries, e)
	}
	entries = rewriteManifest(t, entries, func(m *bundle.Manifest) {
		m.Segments = m.Segments[:4]
		m.Segments[2].Name, m.Segments[3].Name = evidence.SegmentName(3), evidence.SegmentName(4)
		m.Records = 0
		for _, s := range m.Segments {
			m.Records += s.Records
		}
	})
	path := filepath.Join(t.TempDir(), "forged.tar")
	writeTar(t, path, entries)
	code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", pub, path)
	if code != exitInvalid || !strings.Contains(stderr, "TAMPERED") || !strings.Contains(stderr, string(evidence.ReasonSegmentMissing)) {
		t.Errorf("evidence verify of a bundle without its middle segment = %d: %s%s", code, stdout, stderr)
	}
}

// TestEvidenceBundleRange bundles a range of segments, by number and by
// date, and verifies it as a range.
func TestEvidenceBundleRange(t *testing.T) {
	prefix, dir := segmentedLog(t, time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), 8)
	pub := prefix + ".pub"
	tmp := t.TempDir()
	tests := []struct {
		name  string
		flags []string
		want  string
	}{
		{"by number", []string{"--first", "3", "--last", "segment-000005.jsonl"}, "18 records in 3 segments (segment-000003.jsonl to segment-000005.jsonl)"},
		{"by date", []string{"--from", "2025-01-04", "--to", "2025-01-05"}, "12 records in 2 segments (segment-000004.jsonl to segment-000005.jsonl)"},
		{"from a date on", []string{"--from", "2025-01-07"}, "12 records in 2 segments (segment-000007.jsonl to segment-000008.jsonl)"},
		{"up to a date", []string{"--to", "2025-01-01"}, "5 records in 1 segment (segment-000001.jsonl to segment-000001.jsonl)"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(tmp, strings.Repeat("r", i+1)+".tar")
			args := append([]string{"evidence", "bundle", "--pub", pub, "--out", out}, tt.flags...)
			if code, stdout, stderr := runCLI(t, append(args, dir)...); code != exitOK {
				t.Fatalf("evidence bundle %v = %d: %s%s", tt.flags, code, stdout, stderr)
			}
			code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", pub, out)
			if code != exitOK || !strings.Contains(stdout, tt.want) {
				t.Fatalf("evidence verify = %d: %s%s; want %q", code, stdout, stderr, tt.want)
			}
		})
	}
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--pub", pub, "--out", filepath.Join(tmp, "none.tar"), "--from", "2026-01-01", dir); code != exitError || !strings.Contains(stderr, "no segment") {
		t.Errorf("evidence bundle of an empty range = %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--pub", pub, "--out", filepath.Join(tmp, "bad.tar"), "--first", "seg3", dir); code != exitError || !strings.Contains(stderr, "--first seg3") {
		t.Errorf("evidence bundle --first seg3 = %d: %s", code, stderr)
	}
}

// TestEvidenceBundleSwappedKeys: a bundle whose keys were swapped, its
// checkpoints signed by another key, is refused when the auditor gives
// the key they received out of band; with the bundle's own keys it
// verifies, and the output says whose keys those are.
func TestEvidenceBundleSwappedKeys(t *testing.T) {
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	ownerPrefix, _ := segmentedLog(t, start, 3)
	_, forgedDir := segmentedLog(t, start, 3) // the same records, under a forger's key
	forgerPub := filepath.Join(filepath.Dir(forgedDir), "release.pub")
	out := filepath.Join(t.TempDir(), "forged.tar")
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--pub", forgerPub, "--out", out, forgedDir); code != exitOK {
		t.Fatalf("evidence bundle = %d: %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", ownerPrefix+".pub", out)
	if code != exitInvalid || !strings.Contains(stderr, "REFUSED") || !strings.Contains(stderr, "another log key") ||
		!strings.Contains(stdout, "DIFFERS from the one you gave") {
		t.Errorf("evidence verify --pub OWNER of a bundle with swapped keys = %d: %s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "evidence", "verify", "--bundled-keys", out)
	if code != exitOK || !strings.Contains(stderr, "WARNING") || !strings.Contains(stdout, "USED") {
		t.Errorf("evidence verify --bundled-keys of a bundle with swapped keys = %d: %s%s", code, stdout, stderr)
	}
}

// TestEvidenceBundleHostile: tar entries with unsafe names, duplicates,
// links and a malformed manifest are refused with the file and field
// named.
func TestEvidenceBundleHostile(t *testing.T) {
	prefix, dir := segmentedLog(t, time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), 2)
	pub := prefix + ".pub"
	out := filepath.Join(t.TempDir(), "audit.tar")
	if code, _, stderr := runCLI(t, "evidence", "bundle", "--pub", pub, "--out", out, dir); code != exitOK {
		t.Fatalf("evidence bundle = %d: %s", code, stderr)
	}
	entries := readTar(t, out)
	manifest := entries[0]
	tmp := t.TempDir()
	tests := []struct {
		name    string
		entries []tarEntry
		want    []string
	}{
		{"path traversal", append(entries[:len(entries):len(entries)], tarEntry{"../evil", []byte("x")}), []string{`"../evil"`, "unsafe-name", "climbs out"}},
		{"absolute name", append(entries[:len(entries):len(entries)], tarEntry{"/etc/passwd", []byte("x")}), []string{`"/etc/passwd"`, "absolute"}},
		{"duplicate name", append(entries[:len(entries):len(entries)], entries[2]), []string{entries[2].name, "duplicate"}},
		{"no manifest", entries[1:], []string{"MANIFEST.json", "no manifest"}},
		{"malformed manifest", append([]tarEntry{{bundle.ManifestName, bytes.Replace(manifest.data, []byte(`"sha256": "`), []byte(`"sha256": "zz`), 1)}}, entries[1:]...), []string{"MANIFEST.json: /files/0/sha256"}},
		{"manifest field of the wrong type", append([]tarEntry{{bundle.ManifestName, bytes.Replace(manifest.data, []byte(`"records": `), []byte(`"records": "`), 1)}}, entries[1:]...), []string{"MANIFEST.json"}},
		{"not a tar", nil, []string{"not-tar"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(tmp, strings.Repeat("h", i+1)+".tar")
			if tt.entries == nil {
				write(t, path, []byte("this is not a tar archive, but it is long enough to be read as one header block? no."))
			} else {
				writeTar(t, path, tt.entries)
			}
			code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", pub, path)
			if code != exitInvalid {
				t.Fatalf("evidence verify = %d, want %d: %s%s", code, exitInvalid, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("evidence verify: stderr does not say %q: %s", w, stderr)
				}
			}
		})
	}
}

// TestEvidenceBundleAfter: an auditor verifies this year's bundle after
// last year's (--after): a bundle that continues it passes and says so; one
// that leaves a gap, or whose history was rewritten between the visits and
// re-signed with the log's own key, is refused.
func TestEvidenceBundleAfter(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "release")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	signer := mustSigner(t, prefix+".key")
	// appendDays adds days daily segments of 5 records, from day from,
	// numbered from seed.
	appendDays := func(segs string, from, days, seed int) {
		t.Helper()
		now := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, from)
		s, err := evidence.OpenSegments(segs, &evidence.SegmentOptions{
			File:  evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone, Clock: func() time.Time { return now }},
			Daily: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		for d := range days {
			for i := range 5 {
				if _, err := s.Append(context.Background(), evidencetest.Record(seed+(from+d)*5+i)); err != nil {
					t.Fatal(err)
				}
			}
			now = now.AddDate(0, 0, 1)
		}
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	bundleOf := func(segs, name string, args ...string) string {
		t.Helper()
		out := filepath.Join(dir, name)
		args = append(append([]string{"evidence", "bundle", "--pub", prefix + ".pub", "--out", out}, args...), segs)
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatalf("evidence bundle = %d: %s", code, stderr)
		}
		return out
	}
	segs := filepath.Join(dir, "evidence")
	appendDays(segs, 0, 4, 0)
	lastYear := bundleOf(segs, "2025.tar")
	appendDays(segs, 4, 4, 0)
	thisYear := bundleOf(segs, "2026.tar", "--first", "5")
	code, stdout, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--after", lastYear, thisYear)
	if code != exitOK || !strings.Contains(stdout, "continues "+lastYear) {
		t.Fatalf("evidence verify --after LAST THIS = %d: %s%s", code, stdout, stderr)
	}
	gap := bundleOf(segs, "gap.tar", "--first", "6")
	code, _, stderr = runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--after", lastYear, gap)
	if code != exitInvalid || !strings.Contains(stderr, "DOES NOT SHOW THAT IT CONTINUES") || !strings.Contains(stderr, "segment 5 is in neither") {
		t.Errorf("evidence verify --after with a gap = %d: %s", code, stderr)
	}

	// The owner rewrites the whole history after last year's visit and
	// re-signs it with the same key.
	forged := filepath.Join(dir, "forged")
	appendDays(forged, 0, 8, 1000)
	for _, first := range []string{"4", "5"} {
		out := bundleOf(forged, "forged-"+first+".tar", "--first", first)
		if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", out); code != exitOK {
			t.Fatalf("the forged bundle alone = %d: %s", code, stderr)
		}
		code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--after", lastYear, out)
		if code != exitInvalid || !strings.Contains(stderr, "REWRITTEN SINCE") {
			t.Errorf("evidence verify --after of a history rewritten from segment %s = %d: %s", first, code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--after", lastYear, segs); code != exitError {
		t.Errorf("evidence verify --after DIR = %d, want %d: %s", code, exitError, stderr)
	}
}
