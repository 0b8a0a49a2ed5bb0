package main

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// segmentedLog writes a log of days daily segments, from start, signed
// with a new key under the default origin, and returns the key prefix
// and the folder.
func segmentedLog(t *testing.T, start time.Time, days int) (prefix, dir string) {
	t.Helper()
	tmp := t.TempDir()
	prefix = filepath.Join(tmp, "release")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	b, err := os.ReadFile(prefix + ".key")
	if err != nil {
		t.Fatal(err)
	}
	priv, err := evidence.ParsePrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := evidence.NewNoteSigner(defaultOrigin, ed25519.PrivateKey(priv))
	if err != nil {
		t.Fatal(err)
	}
	now := start
	dir = filepath.Join(tmp, "evidence")
	s, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{
		File:  evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone, Clock: func() time.Time { return now }},
		Daily: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for d := range days {
		for i := range 5 {
			r := evidencetest.Record(d*5 + i)
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
	return prefix, dir
}

// TestEvidenceVerifySegments verifies a segmented log across segments,
// prunes it as retention, and shows that a middle segment deleted, or old
// segments deleted too early, fail; and that a retention under six months
// for a high-risk system is refused.
func TestEvidenceVerifySegments(t *testing.T) {
	prefix, dir := segmentedLog(t, time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), 10)
	pub := prefix + ".pub"
	code, out, stderr := runCLI(t, "evidence", "verify", "--pub", pub, dir)
	if code != exitOK || !strings.Contains(out, "intact: 59 records in 10 segments") {
		t.Fatalf("verify DIR = %d: %s%s", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", pub, "--retention-months", "3", "--high-risk", dir); code != exitError || !strings.Contains(stderr, "at least 6 months") {
		t.Errorf("verify --retention-months 3 --high-risk = %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "evidence", "prune", "--retention-months", "3", "--high-risk", dir); code != exitError || !strings.Contains(stderr, "at least 6 months") {
		t.Errorf("prune --retention-months 3 --high-risk = %d: %s", code, stderr)
	}
	paths, err := evidence.SegmentPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Segments given one by one, with one in the middle left out.
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", pub, paths[0], paths[1], paths[3]); code != exitInvalid || !strings.Contains(stderr, "segment-missing") {
		t.Errorf("verify without segment 3 = %d: %s", code, stderr)
	}
	// The oldest segments, deleted without a retention period.
	if code, _, stderr := runCLI(t, "evidence", "verify", "--pub", pub, paths[4], paths[5]); code != exitInvalid || !strings.Contains(stderr, "deleted-before-retention") {
		t.Errorf("verify of segments 5 and 6 alone = %d: %s", code, stderr)
	}

	// Pruning: every segment but the last closed more than 6 months ago.
	code, out, stderr = runCLI(t, "evidence", "prune", "--retention-months", "6", "--high-risk", dir)
	if code != exitOK || strings.Count(out, "deleted ") != 9 {
		t.Fatalf("prune = %d: %s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "evidence", "verify", "--pub", pub, "--retention-months", "6", "--high-risk", dir)
	if code != exitOK || !strings.Contains(out, "retention: the 9 oldest segments before segment 10") || !strings.Contains(out, "oldest remaining anchor") {
		t.Fatalf("verify after prune = %d: %s%s", code, out, stderr)
	}
}

// TestEvidenceVerifySegmentsEarlyDeletion: segments deleted before their
// retention ended are tampering.
func TestEvidenceVerifySegmentsEarlyDeletion(t *testing.T) {
	prefix, dir := segmentedLog(t, time.Now().Add(-10*24*time.Hour), 5)
	paths, err := evidence.SegmentPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", evidence.CheckpointsSuffix} {
		if err := os.Remove(paths[0] + suffix); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := runCLI(t, "evidence", "verify", "--pub", prefix+".pub", "--retention-months", "6", "--high-risk", dir)
	if code != exitInvalid || !strings.Contains(stderr, "deleted-before-retention") {
		t.Errorf("verify after an early deletion = %d: %s", code, stderr)
	}
}
