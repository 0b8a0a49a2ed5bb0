package evidence_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// dailySegments writes a log of days daily segments of perDay records
// each, by an injected clock, and returns its folder, its verifier key
// and the clock.
func dailySegments(t testing.TB, days, perDay int) (string, string, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	signer, vkey := testNoteKeys(t)
	dir := filepath.Join(t.TempDir(), "segments")
	s, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{
		File:      evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone, Clock: clock.Now, CheckpointEvery: -1},
		Daily:     true,
		Retention: evidence.Retention{Months: 6, HighRisk: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	for d := range days {
		for i := 0; i < perDay; i += 100 {
			appendBatch(t, s, d*perDay+i, min(100, perDay-i))
		}
		clock.Advance(24 * time.Hour)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	return dir, vkey, clock
}

func appendBatch(t testing.TB, s *evidence.SegmentLog, from, n int) {
	t.Helper()
	recs := make([]*evidence.Record, n)
	for i := range recs {
		recs[i] = evidencetest.Record(from + i)
	}
	if _, err := s.Append(t.Context(), recs...); err != nil {
		t.Fatal(err)
	}
}

func verifySegments(t testing.TB, dir, vkey string, now time.Time) (evidence.SegmentsReport, error) {
	t.Helper()
	paths, err := evidence.SegmentPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	return evidence.VerifySegments(t.Context(), paths, &evidence.SegmentVerifyOptions{
		Log:       evidence.VerifyOptions{Key: vkey},
		Retention: evidence.Retention{Months: 6, HighRisk: true},
		Now:       func() time.Time { return now },
	})
}

func TestSegmentsVerifyAcrossSegments(t *testing.T) {
	dir, vkey, clock := dailySegments(t, 30, 250)
	paths, err := evidence.SegmentPaths(dir)
	if err != nil || len(paths) != 30 {
		t.Fatalf("SegmentPaths() = %d segments, %v; want 30", len(paths), err)
	}
	rep, err := verifySegments(t, dir, vkey, clock.Now())
	if err != nil {
		t.Fatalf("VerifySegments() = %v", err)
	}
	// 30 days of 250 records, and a log-segment record at the start of
	// each segment but the first.
	if rep.Records != 30*250+29 || rep.Retention != nil || len(rep.Segments) != 30 {
		t.Errorf("report: %d records in %d segments, retention %+v", rep.Records, len(rep.Segments), rep.Retention)
	}
	// The log continues where it was.
	signer, _ := testNoteKeys(t)
	s, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{File: evidence.FileOptions{Signer: signer, Clock: clock.Now}, Daily: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Len(); got != 30*250+29 {
		t.Errorf("Len() after reopening = %d", got)
	}
	appendBatch(t, s, 0, 1)
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rep, err := verifySegments(t, dir, vkey, clock.Now()); err != nil || len(rep.Segments) != 31 {
		t.Fatalf("VerifySegments() after a new day = %d segments, %v", len(rep.Segments), err)
	}
}

func TestSegmentsRetentionIsNotTampering(t *testing.T) {
	dir, vkey, clock := dailySegments(t, 30, 50)
	paths, _ := evidence.SegmentPaths(dir)
	later := clock.Now().AddDate(0, 6, -20) // the segments of the first 10 days are past retention
	signer, _ := testNoteKeys(t)
	s, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{File: evidence.FileOptions{Signer: signer, Clock: clock.Now},
		Retention: evidence.Retention{Months: 6, HighRisk: true}})
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := s.Prune(later)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 10 {
		t.Fatalf("Prune() deleted %d segments, want 10: %v", len(deleted), deleted)
	}
	for _, p := range deleted {
		if _, err := os.Lstat(p + evidence.TilesSuffix); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Prune() left the tile folder of %s: %v", p, err)
		}
	}
	if _, err := os.Lstat(paths[10] + evidence.TilesSuffix); err != nil {
		t.Errorf("the tile folder of a kept segment: %v", err)
	}
	rep, err := verifySegments(t, dir, vkey, later)
	if err != nil {
		t.Fatalf("VerifySegments() after pruning = %v", err)
	}
	r := rep.Retention
	if r == nil || r.Deleted != 10 || r.Records != 10*50+9 || r.Anchor == "" {
		t.Fatalf("retention report %+v", r)
	}
	if _, err := evidence.OpenCheckpoint([]byte(r.Anchor), vkey); err != nil {
		t.Errorf("the oldest remaining anchor does not verify: %v", err)
	}

	// The same deletion, seen before the retention period ended, is
	// tampering.
	_, err = verifySegments(t, dir, vkey, clock.Now())
	var ve *evidence.VerifyError
	if !errors.As(err, &ve) || ve.Reason != evidence.ReasonEarlyDeletion {
		t.Fatalf("VerifySegments() too early = %v, want %s", err, evidence.ReasonEarlyDeletion)
	}

	// Deleting a middle segment is tampering.
	if err := os.Remove(paths[15]); err != nil {
		t.Fatal(err)
	}
	_, err = verifySegments(t, dir, vkey, later)
	if !errors.As(err, &ve) || ve.Reason != evidence.ReasonSegmentMissing {
		t.Fatalf("VerifySegments() without segment 16 = %v, want %s", err, evidence.ReasonSegmentMissing)
	}
}

func TestSegmentsReplacedSegmentIsTampering(t *testing.T) {
	dir, vkey, clock := dailySegments(t, 3, 20)
	paths, _ := evidence.SegmentPaths(dir)
	// Segment 2 replaced by a valid, signed log that is not the one
	// segment 3 continues.
	for _, suffix := range []string{"", evidence.CheckpointsSuffix} {
		if err := os.Remove(paths[1] + suffix); err != nil {
			t.Fatal(err)
		}
	}
	signer, _ := testNoteKeys(t)
	l := openLogAt(t, paths[1], &evidence.FileOptions{Signer: signer, Clock: clock.Now})
	appendN(t, l, 0, 20, 20)
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, err := verifySegments(t, dir, vkey, clock.Now())
	var ve *evidence.VerifyError
	if !errors.As(err, &ve) || ve.Reason != evidence.ReasonSegmentMissing {
		t.Fatalf("VerifySegments() with a forged segment 2 = %v, want %s", err, evidence.ReasonSegmentMissing)
	}
}

func TestRetentionShorterThanSixMonthsForHighRiskIsAnError(t *testing.T) {
	signer, vkey := testNoteKeys(t)
	short := evidence.Retention{Months: 5, HighRisk: true}
	if err := short.Validate(); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Validate() = %v, want ErrInvalid", err)
	}
	if _, err := evidence.OpenSegments(t.TempDir(), &evidence.SegmentOptions{File: evidence.FileOptions{Signer: signer}, Retention: short}); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("OpenSegments() = %v, want ErrInvalid", err)
	}
	if _, err := evidence.VerifySegments(t.Context(), []string{"segment-000001.jsonl"}, &evidence.SegmentVerifyOptions{Log: evidence.VerifyOptions{Key: vkey}, Retention: short}); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("VerifySegments() = %v, want ErrInvalid", err)
	}
	if err := (evidence.Retention{Months: 6, HighRisk: true}).Validate(); err != nil {
		t.Errorf("six months: %v", err)
	}
	if err := (evidence.Retention{Months: 1}).Validate(); err != nil {
		t.Errorf("one month, not high-risk: %v", err)
	}
}

// TestSegmentsMillion writes a log of 1,000,000 records in 30 segments
// (by size) and verifies it across segments, then deletes the 10 oldest
// as retention, which verifies with the oldest remaining anchor, and
// then a middle one, which is tampering. It takes a few seconds; under
// the race detector, which makes it ten times slower, and with -short,
// it is skipped (BenchmarkSegmentsMillion runs the same).
func TestSegmentsMillion(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("a million records: skipped under the race detector and with -short")
	}
	segmentsMillion(t)
}

// BenchmarkSegmentsMillion times TestSegmentsMillion's work:
//
//	go test -run '^$' -bench SegmentsMillion -benchtime 1x ./aims/evidence
func BenchmarkSegmentsMillion(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		segmentsMillion(b)
	}
}

func segmentsMillion(tb testing.TB) {
	const total, segments = 1_000_000, 30
	clock := newFakeClock()
	signer, vkey := testNoteKeys(tb)
	dir := filepath.Join(tb.TempDir(), "segments")
	s, err := evidence.OpenSegments(dir, &evidence.SegmentOptions{
		File:       evidence.FileOptions{Signer: signer, Sync: evidence.SyncNone, Clock: clock.Now, CheckpointEvery: 100_000},
		MaxRecords: total/segments + 1,
		Retention:  evidence.Retention{Months: 6, HighRisk: true},
	})
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < total; i += 1000 {
		appendBatch(tb, s, i, 1000)
		if i%(total/segments+1000) == 0 {
			clock.Advance(24 * time.Hour)
		}
	}
	if err := s.Close(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	paths, _ := evidence.SegmentPaths(dir)
	if len(paths) != segments {
		tb.Fatalf("%d segments, want %d", len(paths), segments)
	}
	rep, err := verifySegments(tb, dir, vkey, clock.Now())
	if err != nil || rep.Records != total+segments-1 {
		tb.Fatalf("VerifySegments() = %d records, %v", rep.Records, err)
	}
	for _, p := range paths[:10] {
		os.Remove(p)
		os.Remove(p + evidence.CheckpointsSuffix)
	}
	rep, err = verifySegments(tb, dir, vkey, clock.Now().AddDate(1, 0, 0))
	if err != nil || rep.Retention == nil || rep.Retention.Deleted != 10 {
		tb.Fatalf("VerifySegments() after retention = %+v, %v", rep.Retention, err)
	}
	os.Remove(paths[20])
	_, err = verifySegments(tb, dir, vkey, clock.Now().AddDate(1, 0, 0))
	var ve *evidence.VerifyError
	if !errors.As(err, &ve) || ve.Reason != evidence.ReasonSegmentMissing {
		tb.Fatalf("VerifySegments() without a middle segment = %v", err)
	}
}

// TestSegmentsRange verifies a range of segments that does not begin
// with segment 1 as a range, anchored by its first segment's commitment,
// while a segment missing inside the range is still tampering.
func TestSegmentsRange(t *testing.T) {
	dir, vkey, clock := dailySegments(t, 8, 10)
	paths, err := evidence.SegmentPaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := &evidence.SegmentVerifyOptions{Log: evidence.VerifyOptions{Key: vkey}, Range: true, Now: clock.Now}
	rep, err := evidence.VerifySegments(t.Context(), paths[3:6], opts)
	if err != nil {
		t.Fatalf("VerifySegments(segments 4 to 6, Range) = %v", err)
	}
	if rep.Range == nil || rep.Range.First != 4 || rep.Range.Before != 3*10+2 || rep.Range.Anchor == "" || rep.Retention != nil {
		t.Errorf("VerifySegments(segments 4 to 6, Range).Range = %+v, retention %+v; want first 4, 32 records before", rep.Range, rep.Retention)
	}
	if rep.Records != 3*11 || rep.Before != 32 {
		t.Errorf("VerifySegments(segments 4 to 6, Range) = %d records, %d before; want 33, 32", rep.Records, rep.Before)
	}
	// Without Range, the same segments are an early deletion.
	if _, err := evidence.VerifySegments(t.Context(), paths[3:6], &evidence.SegmentVerifyOptions{Log: evidence.VerifyOptions{Key: vkey}, Now: clock.Now}); !isReason(err, evidence.ReasonEarlyDeletion) {
		t.Errorf("VerifySegments(segments 4 to 6) = %v; want %s", err, evidence.ReasonEarlyDeletion)
	}
	// A hole inside the range.
	if _, err := evidence.VerifySegments(t.Context(), []string{paths[3], paths[5]}, opts); !isReason(err, evidence.ReasonSegmentMissing) {
		t.Errorf("VerifySegments(segments 4 and 6, Range) = %v; want %s", err, evidence.ReasonSegmentMissing)
	}
	// The whole chain as a range has no Range report.
	if rep, err := evidence.VerifySegments(t.Context(), paths, opts); err != nil || rep.Range != nil {
		t.Errorf("VerifySegments(all, Range) = %+v, %v; want no range", rep.Range, err)
	}
}

func isReason(err error, r evidence.Reason) bool {
	var ve *evidence.VerifyError
	return errors.As(err, &ve) && ve.Reason == r
}

// A trusted checkpoint of a segment that is not the last is checked
// against that segment (TrustedSegment); one of a segment not given is an
// error.
func TestSegmentsTrustedSegment(t *testing.T) {
	dir, vkey, _ := dailySegments(t, 4, 10)
	paths, _ := evidence.SegmentPaths(dir)
	cps := lines(readFile(t, paths[1]+evidence.CheckpointsSuffix))
	trusted := []byte(jsonNote(t, []byte(cps[len(cps)-1])))
	verify := func(seg int) error {
		_, err := evidence.VerifySegments(t.Context(), paths, &evidence.SegmentVerifyOptions{
			Log: evidence.VerifyOptions{Key: vkey, Trusted: trusted}, TrustedSegment: seg})
		return err
	}
	if err := verify(2); err != nil {
		t.Errorf("VerifySegments(trusted checkpoint of segment 2) = %v", err)
	}
	var ve *evidence.VerifyError
	if err := verify(0); !errors.As(err, &ve) || ve.Reason != evidence.ReasonTrustedMismatch {
		t.Errorf("VerifySegments(segment 2's checkpoint as the last segment's) = %v, want %s", err, evidence.ReasonTrustedMismatch)
	}
	if err := verify(9); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("VerifySegments(TrustedSegment 9) = %v, want ErrInvalid", err)
	}
}
