package evidence

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// MinHighRiskRetentionMonths is the shortest retention of the logs of a
// high-risk AI system: six months (EU AI Act Art. 19(1) for providers,
// Art. 26(6) for deployers), unless other law says longer.
const MinHighRiskRetentionMonths = 6

// Retention is how long the segments of a log are kept after they close.
// It is a plain value.
type Retention struct {
	// Months is the number of calendar months a closed segment is kept.
	// Zero means that no segment may be deleted.
	Months int
	// HighRisk says that the log is of a high-risk AI system, whose logs
	// are kept at least [MinHighRiskRetentionMonths].
	HighRisk bool
}

// Validate returns an error matching [ErrInvalid] if the retention is
// negative, or shorter than six months for a high-risk AI system.
func (r Retention) Validate() error {
	if r.Months < 0 {
		return invalidf("retention of %d months: want zero or more", r.Months)
	}
	if r.HighRisk && r.Months < MinHighRiskRetentionMonths {
		return invalidf("retention of %d months: the logs of a high-risk AI system are kept at least %d months (EU AI Act Art. 19(1), 26(6))",
			r.Months, MinHighRiskRetentionMonths)
	}
	return nil
}

// Expired reports whether a segment closed at closed may be deleted at
// now: Months is positive and at least Months calendar months have
// passed.
func (r Retention) Expired(closed, now time.Time) bool {
	return r.Months > 0 && !closed.AddDate(0, r.Months, 0).After(now)
}

// TypeLogSegment is the type of the first record of every segment of a
// [SegmentLog] but the first: it commits to the previous segment's final
// signed checkpoint. Like [TypeLogRecovery], it is about the log, and
// its System is the nil UUID.
const TypeLogSegment Type = "log-segment"

// segmentData is the data of a [TypeLogSegment] record.
type segmentData struct {
	// Sequence is the segment's number, from 1.
	Sequence int `json:"sequence"`
	// Previous is the file name of the previous segment.
	Previous string `json:"previous"`
	// Checkpoint is the previous segment's final signed checkpoint.
	Checkpoint string `json:"checkpoint"`
	// Before is the number of records in all the segments before this
	// one.
	Before int64 `json:"before"`
}

// SegmentPrefix and SegmentSuffix frame the file names of the segments
// of a [SegmentLog]: segment-000001.jsonl, segment-000002.jsonl, ...
const (
	SegmentPrefix = "segment-"
	SegmentSuffix = ".jsonl"
)

// SegmentName returns the file name of segment seq (from 1).
func SegmentName(seq int) string {
	return fmt.Sprintf("%s%06d%s", SegmentPrefix, seq, SegmentSuffix)
}

// segmentSeq returns the sequence number in a segment's file name.
func segmentSeq(name string) (int, bool) {
	s, ok := strings.CutPrefix(filepath.Base(name), SegmentPrefix)
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, SegmentSuffix)
	if !ok || s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}

// SegmentPaths returns the paths of the segments in dir, in order.
func SegmentPaths(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("evidence: segments: %w", err)
	}
	type seg struct {
		seq  int
		path string
	}
	var segs []seg
	for _, e := range entries {
		if n, ok := segmentSeq(e.Name()); ok && e.Type().IsRegular() {
			segs = append(segs, seg{n, filepath.Join(dir, e.Name())})
		}
	}
	slices.SortFunc(segs, func(a, b seg) int { return a.seq - b.seq })
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.path
	}
	return out, nil
}

// SegmentOptions configures a [SegmentLog]. A nil *SegmentOptions is
// not valid: a segmented log needs File.Signer.
type SegmentOptions struct {
	// File configures each segment's [FileLog]. Its Signer is required:
	// each segment commits to the previous one's signed checkpoint.
	File FileOptions
	// MaxRecords, if positive, closes a segment once it holds this many
	// records: the next append goes to a new segment. A batch is never
	// split, so a segment may exceed it by one batch.
	MaxRecords int64
	// Daily closes a segment when the day (UTC, by File.Clock) of the
	// next append is not the day of the segment's first record.
	Daily bool
	// Retention is how long closed segments are kept; it is validated
	// (see [Retention.Validate]) and used by [SegmentLog.Prune].
	Retention Retention
}

// SegmentLog is an evidence log kept as a chain of segments, [FileLog]s
// named by [SegmentName] in a folder, so that a year of evidence is not
// one ever-growing file. Each segment but the first begins with a record
// of type [TypeLogSegment] that holds the previous segment's final signed
// checkpoint; [VerifySegments] checks the chain. Segments older than the
// retention period may be deleted, oldest first ([SegmentLog.Prune]);
// verification then reports the retention and the oldest remaining
// anchor, while deleting any other segment shows as tampering.
//
// It is safe for concurrent use. Use [OpenSegments].
type SegmentLog struct {
	dir  string
	opts SegmentOptions

	mu     sync.Mutex
	cur    *FileLog
	seq    int
	before int64 // records in the segments before cur
	day    string
	closed bool
}

var _ interface {
	Sink
	BatchSink
	Flusher
	Closer
} = (*SegmentLog)(nil)

// OpenSegments opens the segmented log in dir, creating dir (mode 0700)
// and its first segment if needed, and continues its last segment. See
// [OpenFile] for what opening a segment checks.
func OpenSegments(dir string, opts *SegmentOptions) (*SegmentLog, error) {
	if opts == nil || opts.File.Signer == nil {
		return nil, invalidf("open segments %s: SegmentOptions.File.Signer is required", dir)
	}
	if err := opts.Retention.Validate(); err != nil {
		return nil, err
	}
	if opts.MaxRecords < 0 {
		return nil, invalidf("open segments %s: MaxRecords %d: want zero or more", dir, opts.MaxRecords)
	}
	o := *opts
	if o.File.Clock == nil {
		o.File.Clock = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("evidence: open segments: %w", err)
	}
	paths, err := SegmentPaths(dir)
	if err != nil {
		return nil, err
	}
	s := &SegmentLog{dir: dir, opts: o, seq: 1}
	if len(paths) > 0 {
		last := paths[len(paths)-1]
		s.seq, _ = segmentSeq(last)
		if first, err := readFirstRecord(last); err == nil {
			s.day = first.Time.UTC().Format(time.DateOnly)
			var d segmentData
			if first.Type == TypeLogSegment && json.Unmarshal(first.Data, &d) == nil {
				s.before = d.Before
			}
		}
	}
	l, err := OpenFile(filepath.Join(dir, SegmentName(s.seq)), s.fileOptions(s.before))
	if err != nil {
		return nil, err
	}
	s.cur = l
	return s, nil
}

// fileOptions returns the options of a segment with before records in
// the segments before it: a key ring's periods count those too.
func (s *SegmentLog) fileOptions(before int64) *FileOptions {
	o := s.opts.File
	o.ringOffset = before
	return &o
}

// readFirstRecord reads the first record of a log file.
func readFirstRecord(path string) (*Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	line, err := br.ReadBytes('\n')
	if err != nil {
		return nil, malformedf("%s: no complete first record", path)
	}
	return ParseRecord(line[:len(line)-1])
}

// Path returns the path of the segment being written.
func (s *SegmentLog) Path() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur.Path()
}

// Len returns the number of records in the segment being written and
// those before it.
func (s *SegmentLog) Len() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.before + s.cur.Len()
}

// Write appends one record; see [SegmentLog.Append].
func (s *SegmentLog) Write(ctx context.Context, r *Record) error {
	_, err := s.Append(ctx, r)
	return err
}

// WriteBatch appends records as one batch; see [SegmentLog.Append].
func (s *SegmentLog) WriteBatch(ctx context.Context, records []*Record) error {
	_, err := s.Append(ctx, records...)
	return err
}

// Append appends records to the current segment, after closing it and
// starting the next if [SegmentOptions.MaxRecords] or
// [SegmentOptions.Daily] says so, and returns the index of the first
// across all segments. Errors are as for [FileLog.Append].
func (s *SegmentLog) Append(ctx context.Context, records ...*Record) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return -1, ErrClosed
	}
	now := s.opts.File.Clock()
	day := now.UTC().Format(time.DateOnly)
	n := s.cur.Len()
	content := n // records other than the segment's first, log-segment record
	if s.seq > 1 {
		content--
	}
	if content > 0 && (s.opts.MaxRecords > 0 && n >= s.opts.MaxRecords || s.opts.Daily && s.day != "" && day != s.day) {
		if err := s.rotateLocked(ctx); err != nil {
			return -1, err
		}
	}
	if s.day == "" {
		s.day = day
	}
	i, err := s.cur.Append(ctx, records...)
	if err != nil {
		return -1, err
	}
	return s.before + i, nil
}

// Rotate closes the current segment with a final signed checkpoint and
// starts the next one, whose first record commits to that checkpoint.
func (s *SegmentLog) Rotate(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return s.rotateLocked(ctx)
}

func (s *SegmentLog) rotateLocked(ctx context.Context) error {
	signed, err := s.cur.Checkpoint(ctx)
	if err != nil {
		return err
	}
	n := s.cur.Len()
	prevName := filepath.Base(s.cur.Path())
	if err := s.cur.Close(ctx); err != nil {
		return err
	}
	next, err := OpenFile(filepath.Join(s.dir, SegmentName(s.seq+1)), s.fileOptions(s.before+n))
	if err != nil {
		// Reopen the closed segment, so that the log stays usable.
		if cur, rerr := OpenFile(filepath.Join(s.dir, prevName), s.fileOptions(s.before)); rerr == nil {
			s.cur = cur
		} else {
			s.closed = true
		}
		return err
	}
	data, err := json.Marshal(segmentData{Sequence: s.seq + 1, Previous: prevName, Checkpoint: string(signed), Before: s.before + n})
	if err != nil {
		return err
	}
	r := &Record{Type: TypeLogSegment, Actor: ActorLog, Outcome: "continued", Data: data,
		Reasons: []string{fmt.Sprintf("continues %s, whose final signed checkpoint covers its %d records", prevName, n)}}
	if err := r.Stamp(s.opts.File.Clock, s.opts.File.NewID); err != nil {
		_ = next.Close(ctx)
		return err
	}
	if _, err := next.Append(ctx, r); err != nil {
		_ = next.Close(ctx)
		return err
	}
	s.cur, s.seq, s.before, s.day = next, s.seq+1, s.before+n, ""
	return nil
}

// Flush syncs the current segment; see [FileLog.Flush].
func (s *SegmentLog) Flush(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return s.cur.Flush(ctx)
}

// Close closes the current segment; see [FileLog.Close].
func (s *SegmentLog) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.closed = true
	return s.cur.Close(ctx)
}

// Prune deletes the closed segments whose retention has expired at now;
// see [PruneSegments].
func (s *SegmentLog) Prune(now time.Time) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	return PruneSegments(s.dir, s.opts.Retention, now)
}

// PruneSegments deletes, oldest first, the segments in dir (with their
// checkpoints and time-stamps files and their tile folders) whose retention r has expired at
// now: those whose successor began at least r.Months before now. It
// never deletes the last segment, which a writer may be appending to,
// and stops at a segment whose successor does not begin with a
// [TypeLogSegment] record. It returns the paths deleted. With a zero
// retention it deletes nothing; r is validated first.
func PruneSegments(dir string, r Retention, now time.Time) ([]string, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	paths, err := SegmentPaths(dir)
	if err != nil {
		return nil, err
	}
	var deleted []string
	for i := 0; i+1 < len(paths); i++ {
		next, err := readFirstRecord(paths[i+1])
		if err != nil || next.Type != TypeLogSegment || !r.Expired(next.Time, now) {
			break
		}
		if err := os.RemoveAll(paths[i] + TilesSuffix); err != nil {
			return deleted, fmt.Errorf("evidence: prune: %w", err)
		}
		for _, suffix := range []string{TimestampsSuffix, CheckpointsSuffix, ""} {
			if err := os.Remove(paths[i] + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return deleted, fmt.Errorf("evidence: prune: %w", err)
			}
		}
		deleted = append(deleted, paths[i])
	}
	return deleted, nil
}

// SegmentsReport says what [VerifySegments] checked. It is a plain value
// and its JSON form is stable.
type SegmentsReport struct {
	// Segments is the report of each segment, in order.
	Segments []SegmentReport `json:"segments"`
	// Records is the number of records in the segments read.
	Records int64 `json:"records"`
	// Before is the number of records in the segments deleted as
	// retention, before the first one read.
	Before int64 `json:"before"`
	// Retention, if set, says that the oldest segments were deleted after
	// their retention period, and what remains to anchor the rest.
	Retention *RetentionReport `json:"retention,omitempty"`
	// Range, if set, says that the segments are a range of a longer
	// chain ([SegmentVerifyOptions.Range]) that does not begin with
	// segment 1, and what anchors it.
	Range *RangeReport `json:"range,omitempty"`
}

// RangeReport describes the start of a range of segments that does not
// begin with the log's first segment.
type RangeReport struct {
	// First is the sequence number of the first segment of the range.
	First int `json:"first"`
	// Before is the number of records in the segments before it, as its
	// first record says.
	Before int64 `json:"before"`
	// Anchor is the final signed checkpoint of the segment before the
	// range, which the first segment of the range holds, and whose
	// signature was verified.
	Anchor string `json:"anchor"`
}

// SegmentReport is the verification of one segment.
type SegmentReport struct {
	// Path is the segment's file.
	Path string `json:"path"`
	// Sequence is its number, from 1.
	Sequence int `json:"sequence"`
	// Report is its verification as a log.
	Report VerifyReport `json:"report"`
}

// RetentionReport describes segments deleted after their retention.
type RetentionReport struct {
	// Deleted is the number of segments deleted, the oldest ones.
	Deleted int `json:"deleted"`
	// Records is the number of records they held.
	Records int64 `json:"records"`
	// Closed is when the last deleted segment was closed: when the first
	// remaining one began.
	Closed time.Time `json:"closed"`
	// Anchor is the oldest remaining anchor: the last deleted segment's
	// final signed checkpoint, which the first remaining segment holds.
	Anchor string `json:"anchor"`
}

// SegmentVerifyOptions says how [VerifySegments] checks a segmented log.
type SegmentVerifyOptions struct {
	// Log is what each segment is verified with; Log.Key or Log.KeyRing
	// is required. A key ring's periods count the records of the whole
	// chain (see [KeyRing]), also for a Range or after retention: the
	// first segment read says how many records came before it.
	// Log.Trusted, if set, is checked against the last segment, or the
	// segment TrustedSegment names.
	Log VerifyOptions
	// TrustedSegment is the sequence number of the segment that
	// Log.Trusted is a checkpoint of, such as the last segment of an
	// auditor's previous bundle: that segment must extend it. Zero means
	// the last segment. A segment of that number must be among those
	// verified.
	TrustedSegment int
	// Retention says which oldest segments may be missing: those closed
	// at least Retention.Months before Now. It is validated.
	Retention Retention
	// Now is the time of the verification. Nil means [time.Now].
	Now func() time.Time
	// Range says that the segments are a contiguous range of a longer
	// chain, such as the period an auditor's bundle holds: the segments
	// before the first one are outside the range, neither deleted as
	// retention nor missing. The first segment, unless it is segment 1,
	// must still begin with a [TypeLogSegment] record whose checkpoint
	// verifies; the report's Range holds it. A segment missing inside the
	// range is tampering as always. Retention is not used.
	Range bool
}

// The reasons of a [VerifyError] about the chain of segments. They are
// stable.
const (
	// ReasonSegmentMissing: a segment is missing from the chain, or does
	// not continue the one before it: its first record does not commit to
	// that segment's final signed checkpoint.
	ReasonSegmentMissing Reason = "segment-missing"
	// ReasonEarlyDeletion: the oldest segments are missing although their
	// retention period has not ended.
	ReasonEarlyDeletion Reason = "deleted-before-retention"
)

// VerifySegments verifies the segments of a log at paths, in order of
// their sequence numbers (see [SegmentPaths]): each must verify as a log
// with the key, and each but the first must begin with a
// [TypeLogSegment] record that commits to the previous segment's final
// signed checkpoint, its size and root being those of the previous
// segment's records. If the first segment read is not segment 1, its
// commitment is the oldest remaining anchor: the segments before it were
// deleted, which is retention if they closed at least the retention
// period before now, and tampering ([ReasonEarlyDeletion]) otherwise.
// A segment missing elsewhere is tampering ([ReasonSegmentMissing]).
//
// The error for a segment that does not verify is its [*VerifyError],
// with the record index within the segment; the report's Segments name
// the segment.
func VerifySegments(ctx context.Context, paths []string, opts *SegmentVerifyOptions) (SegmentsReport, error) {
	var rep SegmentsReport
	if opts == nil || opts.Log.Key == "" && opts.Log.KeyRing == nil {
		return rep, invalidf("verify segments: a verifier key or a key ring is required")
	}
	if opts.Log.Key != "" && opts.Log.KeyRing != nil {
		return rep, invalidf("verify segments: give a key or a key ring, not both")
	}
	if err := opts.Retention.Validate(); err != nil {
		return rep, err
	}
	if len(paths) == 0 {
		return rep, invalidf("verify segments: no segment")
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	var keys checkpointKeys
	if opts.Log.KeyRing != nil {
		ring, err := opts.Log.KeyRing.parse()
		if err != nil {
			return rep, err
		}
		keys.ring = ring
	} else {
		v, err := note.NewVerifier(opts.Log.Key)
		if err != nil {
			return rep, malformedf("verifier key: %v", err)
		}
		keys.one = v
	}
	type seg struct {
		path string
		seq  int
	}
	segs := make([]seg, 0, len(paths))
	for _, p := range paths {
		n, ok := segmentSeq(p)
		if !ok {
			return rep, invalidf("verify segments: %s is not named as a segment (%s)", p, SegmentName(1))
		}
		segs = append(segs, seg{p, n})
	}
	slices.SortStableFunc(segs, func(a, b seg) int { return a.seq - b.seq })
	var (
		prev  *SegmentReport
		total int64 // records in the segments before s, deleted ones included
	)
	trustedSeq := opts.TrustedSegment
	if trustedSeq == 0 {
		trustedSeq = segs[len(segs)-1].seq
	}
	if opts.Log.Trusted != nil && !slices.ContainsFunc(segs, func(s seg) bool { return s.seq == trustedSeq }) {
		return rep, invalidf("verify segments: the trusted checkpoint is of segment %d, which is not among the segments given", trustedSeq)
	}
	for i, s := range segs {
		o := opts.Log
		if s.seq != trustedSeq {
			o.Trusted = nil
		}
		first, ferr := readFirstRecord(s.path)
		// A key ring's periods count the records of the segments before
		// this one: for the first segment read after segment 1, as its
		// first record says (which its checkpoints cover).
		o.ringOffset = total
		if i == 0 && s.seq > 1 && ferr == nil {
			var d segmentData
			if json.Unmarshal(first.Data, &d) == nil && d.Before > 0 {
				o.ringOffset = d.Before
			}
		}
		r, err := VerifyFile(ctx, s.path, &o)
		rep.Segments = append(rep.Segments, SegmentReport{Path: s.path, Sequence: s.seq, Report: r})
		rep.Records += r.Records
		if err != nil {
			return rep, err
		}
		before := total
		total += r.Records
		chainErr := func(reason Reason, detail string) error {
			return &VerifyError{Index: 0, Checkpoint: -1, Reason: reason, Detail: s.path + ": " + detail}
		}
		if s.seq == 1 {
			if i > 0 {
				return rep, chainErr(ReasonSegmentMissing, "two first segments")
			}
			if ferr == nil && first.Type == TypeLogSegment {
				return rep, chainErr(ReasonSegmentMissing, "the first segment continues another")
			}
			prev = &rep.Segments[i]
			continue
		}
		if ferr != nil || first.Type != TypeLogSegment {
			return rep, chainErr(ReasonSegmentMissing, fmt.Sprintf("segment %d does not begin with a %s record", s.seq, TypeLogSegment))
		}
		var d segmentData
		if err := json.Unmarshal(first.Data, &d); err != nil || d.Sequence != s.seq {
			return rep, chainErr(ReasonSegmentMissing, fmt.Sprintf("the %s record does not name segment %d", TypeLogSegment, s.seq))
		}
		c, err := keys.openEndingAt([]byte(d.Checkpoint), d.Before)
		if err != nil {
			return rep, chainErr(ReasonSegmentMissing, "the previous segment's checkpoint it holds does not verify: "+err.Error())
		}
		if prev == nil && opts.Range {
			rep.Before, total = d.Before, d.Before+r.Records
			rep.Range = &RangeReport{First: s.seq, Before: d.Before, Anchor: d.Checkpoint}
			prev = &rep.Segments[i]
			continue
		}
		if prev == nil {
			// The oldest segments are gone: retention, if they are old
			// enough.
			if !opts.Retention.Expired(first.Time, now()) {
				detail := fmt.Sprintf("segments 1 to %d are missing, but segment %d began on %s", s.seq-1, s.seq, first.Time.UTC().Format(time.RFC3339))
				if opts.Retention.Months > 0 {
					detail += fmt.Sprintf(", less than the retention period of %d months ago", opts.Retention.Months)
				} else {
					detail += ", and no retention period allows deleting segments"
				}
				return rep, chainErr(ReasonEarlyDeletion, detail)
			}
			rep.Before, total = d.Before, d.Before+r.Records
			rep.Retention = &RetentionReport{Deleted: s.seq - 1, Records: d.Before, Closed: first.Time.UTC(), Anchor: d.Checkpoint}
			prev = &rep.Segments[i]
			continue
		}
		pr := prev.Report
		if prev.Sequence != s.seq-1 {
			return rep, chainErr(ReasonSegmentMissing, fmt.Sprintf("segment %d follows segment %d: segments between them are missing", s.seq, prev.Sequence))
		}
		if c.Size != pr.Records || c.Root != pr.Root || d.Previous != filepath.Base(prev.Path) || d.Before != before {
			return rep, chainErr(ReasonSegmentMissing, fmt.Sprintf("its first record commits to a checkpoint of %d records that is not the final state of segment %d (%d records)", c.Size, prev.Sequence, pr.Records))
		}
		prev = &rep.Segments[i]
	}
	return rep, nil
}
