package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Reason says why a log does not verify. The values are stable; the zero
// value names no reason.
type Reason string

// The reasons a [VerifyError] gives. They are stable.
const (
	// ReasonBadJSON: a line is not a JSON object with a "prev" string.
	ReasonBadJSON Reason = "bad-json"
	// ReasonBrokenLink: a record's prev is not the hash of the line before
	// it: that line or this one was changed, or lines were removed,
	// inserted or reordered.
	ReasonBrokenLink Reason = "broken-link"
	// ReasonTornTail: the log does not end with a newline.
	ReasonTornTail Reason = "torn-tail"
	// ReasonRootMismatch: a checkpoint's root hash is not the tree hash of
	// the log's records.
	ReasonRootMismatch Reason = "root-mismatch"
	// ReasonMissingRecords: a checkpoint covers more records than the log
	// holds: records were removed from its end.
	ReasonMissingRecords Reason = "missing-records"
	// ReasonBadSignature: a checkpoint is not signed by the log's key.
	ReasonBadSignature Reason = "bad-signature"
	// ReasonBadCheckpoint: a line of the checkpoints file is malformed, or
	// checkpoints are out of order.
	ReasonBadCheckpoint Reason = "bad-checkpoint"
)

// VerifyError reports the first problem [Verify] found. It matches
// [ErrTampered], and Err when that is set. It is a plain value.
type VerifyError struct {
	// Index is the index of the first record at which the log is known not
	// to be as written, or -1 if the problem is in a checkpoint alone.
	//
	// For [ReasonBrokenLink] the change is in this record or the one
	// before it. For [ReasonRootMismatch] it is the first record that no
	// earlier, matching checkpoint covers: the change is at Index or after.
	// For [ReasonMissingRecords] and [ReasonTornTail] it is the number of
	// complete records in the log.
	Index int64
	// Checkpoint is the index of the line of the checkpoints file
	// involved, or -1.
	Checkpoint int
	// Reason says what is wrong.
	Reason Reason
	// Detail says more, for people.
	Detail string
	// Err is the underlying error, if any, such as one matching
	// [ErrVerification] for a bad signature.
	Err error
}

// Error returns a description of the problem.
func (e *VerifyError) Error() string {
	var b strings.Builder
	b.WriteString("evidence: log does not verify")
	if e.Index >= 0 {
		fmt.Fprintf(&b, ": record %d", e.Index)
	}
	if e.Checkpoint >= 0 {
		fmt.Fprintf(&b, ": checkpoint %d", e.Checkpoint)
	}
	fmt.Fprintf(&b, ": %s", e.Reason)
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	return b.String()
}

// Unwrap returns [ErrTampered] and Err.
func (e *VerifyError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrTampered}
	}
	return []error{ErrTampered, e.Err}
}

// VerifyReport says what [Verify] checked. It is a plain value, and its
// JSON form is stable.
type VerifyReport struct {
	// Start is the index of the first record read: zero, unless the log
	// begins after its first record (see [VerifyFrom]).
	Start int64 `json:"start,omitempty"`
	// Records is the number of records read and found sound, up to the
	// first problem.
	Records int64 `json:"records"`
	// Checkpoints is the number of checkpoints whose signature and root
	// hash were verified.
	Checkpoints int `json:"checkpoints"`
	// Anchored is the size of the largest verified checkpoint. Records at
	// and after this index are protected by the hash links alone: anyone
	// who can write the file can append to them or cut them off unseen.
	Anchored int64 `json:"anchored"`
	// Origin is the origin of the verified checkpoints, or "".
	Origin string `json:"origin,omitempty"`
	// Root is the Merkle tree hash of the Start+Records records up to the
	// last sound one.
	Root tlog.Hash `json:"root"`
}

// Verify reads a log from log and checks that it is as it was written:
// every line is a JSON object whose "prev" is the [LinkHash] of the line
// before it ([Genesis] for the first) and the log ends with a newline.
//
// If checkpoints is not nil, Verify also reads the checkpoints file from it
// and checks, with the note verifier key verifierKey (see
// [NoteVerifierKey]), that every checkpoint is signed by that key, that
// their sizes do not decrease, and that each one's root hash is the tree
// hash of the log's first records. Records past the last checkpoint are
// reported as not anchored (see [VerifyReport.Anchored]); decide whether
// that is acceptable.
//
// Verify checks integrity, not content: to decode and validate the
// records, use [Records].
//
// It returns an error that is a [*VerifyError], matching [ErrTampered], for
// the first problem found, with the report of what was sound before it.
// Other errors (reading, a malformed verifier key, cancellation) are
// returned as they are, wrapped.
func Verify(ctx context.Context, log io.Reader, checkpoints io.Reader, verifierKey string) (VerifyReport, error) {
	return VerifyFrom(ctx, nil, log, checkpoints, verifierKey)
}

// StartSuffix is appended to a log's path to name the file that holds the
// state of the chain before the log's first record, in the JSON form of
// [Chain], when the log is a range of a larger log that does not start at
// its first record, such as a range exported from a database.
const StartSuffix = ".start"

// VerifyFrom is [Verify] for a log that continues the chain start: its
// first record is record start.Size() of the whole log, and links to
// start.Prev(). A nil or zero start is the empty chain, and VerifyFrom is
// then Verify. Record indexes in errors and in the report are those of the
// whole log; start itself is not modified.
//
// The records before the start are not read, so what VerifyFrom proves
// about them depends on the checkpoints: a checkpoint whose size is
// smaller than start.Size() cannot be checked and is skipped; one at or
// after it is checked against the tree hash that start continues, so a
// verified checkpoint past the start also shows that start is the true
// state of the log's earlier records. Without such a checkpoint, start is
// taken on trust.
func VerifyFrom(ctx context.Context, start *Chain, log io.Reader, checkpoints io.Reader, verifierKey string) (VerifyReport, error) {
	var rep VerifyReport
	var cps []Checkpoint
	if checkpoints != nil {
		if verifierKey == "" {
			return rep, invalidf("verify: checkpoints need a verifier key")
		}
		v, err := note.NewVerifier(verifierKey)
		if err != nil {
			return rep, malformedf("verifier key: %v", err)
		}
		cps, err = readCheckpoints(checkpoints, v)
		if err != nil {
			return rep, err
		}
		if len(cps) > 0 {
			rep.Origin = cps[0].Origin
		}
	}

	var (
		fr   frontier
		want = []byte(Genesis)
		next = 0 // next checkpoint to compare
		lr   = newLineReader(log)
		link [linkHashLen]byte
	)
	if start != nil && start.Size() > 0 {
		fr = frontier{n: start.fr.n, roots: append([]tlog.Hash(nil), start.fr.roots...)}
		want = []byte(start.Prev())
		rep.Start = fr.n
		for next < len(cps) && cps[next].Size < fr.n {
			next++
		}
	}
	check := func() *VerifyError {
		for next < len(cps) && cps[next].Size == fr.n {
			if cps[next].Root != fr.root() {
				return &VerifyError{Index: max(rep.Anchored, rep.Start), Checkpoint: next, Reason: ReasonRootMismatch,
					Detail: fmt.Sprintf("the checkpoint's root hash is not the tree hash of the first %d records", fr.n)}
			}
			rep.Anchored = fr.n
			rep.Checkpoints++
			next++
		}
		return nil
	}
	fail := func(e *VerifyError) (VerifyReport, error) {
		rep.Records = fr.n - rep.Start
		rep.Root = fr.root()
		return rep, e
	}
	if e := check(); e != nil {
		return fail(e)
	}
	for {
		if fr.n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return rep, fmt.Errorf("evidence: verify: %w", err)
			}
		}
		line, complete, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, fmt.Errorf("evidence: verify: %w", err)
		}
		if !complete {
			return fail(&VerifyError{Index: fr.n, Checkpoint: -1, Reason: ReasonTornTail,
				Detail: fmt.Sprintf("%d bytes after the last newline", len(line))})
		}
		prev, reason, detail := linePrev(line)
		if reason != "" {
			return fail(&VerifyError{Index: fr.n, Checkpoint: -1, Reason: reason, Detail: detail})
		}
		if !bytes.Equal(prev, want) {
			d := "prev is not the genesis value"
			switch {
			case fr.n == rep.Start && fr.n > 0:
				d = fmt.Sprintf("prev is not the hash of record %d that the start state gives", fr.n-1)
			case fr.n > 0:
				d = fmt.Sprintf("prev is not the hash of record %d", fr.n-1)
			}
			return fail(&VerifyError{Index: fr.n, Checkpoint: -1, Reason: ReasonBrokenLink, Detail: d})
		}
		want = appendLinkHash(link[:0], line)
		fr.add(tlog.RecordHash(line))
		if e := check(); e != nil {
			return fail(e)
		}
	}
	if next < len(cps) {
		return fail(&VerifyError{Index: fr.n, Checkpoint: next, Reason: ReasonMissingRecords,
			Detail: fmt.Sprintf("the checkpoint covers %d records, the log holds %d", cps[next].Size, fr.n)})
	}
	rep.Records = fr.n - rep.Start
	rep.Root = fr.root()
	return rep, nil
}

// VerifyFile verifies the log at path with [Verify]. If verifierKey is not
// empty it also verifies the checkpoints in path+[CheckpointsSuffix]; a
// missing checkpoints file counts as one with no checkpoints. If the file
// path+[StartSuffix] exists, the log is a range that begins after the
// first record and is verified with [VerifyFrom] from the chain state in
// that file.
func VerifyFile(ctx context.Context, path, verifierKey string) (VerifyReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return VerifyReport{}, fmt.Errorf("evidence: verify: %w", err)
	}
	defer f.Close()
	var start *Chain
	switch b, err := os.ReadFile(path + StartSuffix); {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return VerifyReport{}, fmt.Errorf("evidence: verify: %w", err)
	default:
		start = new(Chain)
		if err := start.UnmarshalJSON(b); err != nil {
			return VerifyReport{}, fmt.Errorf("evidence: verify: %s: %w", path+StartSuffix, err)
		}
	}
	var cps io.Reader
	if verifierKey != "" {
		cf, err := os.Open(path + CheckpointsSuffix)
		switch {
		case errors.Is(err, os.ErrNotExist):
			cps = bytes.NewReader(nil)
		case err != nil:
			return VerifyReport{}, fmt.Errorf("evidence: verify: %w", err)
		default:
			defer cf.Close()
			cps = cf
		}
	}
	return VerifyFrom(ctx, start, f, cps, verifierKey)
}

// readCheckpoints reads and verifies a checkpoints file.
func readCheckpoints(r io.Reader, v note.Verifier) ([]Checkpoint, error) {
	var cps []Checkpoint
	lr := newLineReader(r)
	for i := 0; ; i++ {
		line, complete, err := lr.next()
		if errors.Is(err, io.EOF) {
			return cps, nil
		}
		if err != nil {
			return nil, fmt.Errorf("evidence: verify: checkpoints: %w", err)
		}
		bad := func(reason Reason, detail string, err error) ([]Checkpoint, error) {
			return nil, &VerifyError{Index: -1, Checkpoint: i, Reason: reason, Detail: detail, Err: err}
		}
		if !complete {
			return bad(ReasonBadCheckpoint, "the checkpoints file does not end with a newline", nil)
		}
		var cl checkpointLine
		if err := strictUnmarshal(line, &cl); err != nil {
			return bad(ReasonBadCheckpoint, "not a checkpoint line: "+err.Error(), nil)
		}
		c, err := openCheckpoint([]byte(cl.Note), v)
		if err != nil {
			if errors.Is(err, ErrVerification) {
				return bad(ReasonBadSignature, "", err)
			}
			return bad(ReasonBadCheckpoint, "", err)
		}
		if len(cps) > 0 && c.Size < cps[len(cps)-1].Size {
			return bad(ReasonBadCheckpoint, fmt.Sprintf("size %d after size %d", c.Size, cps[len(cps)-1].Size), nil)
		}
		cps = append(cps, c)
	}
}

// prevSuffix is how a line written by [FileLog] ends: prev is its last
// member.
const prevSuffix = `,"prev":"sha256:`

// linePrev returns the value of the line's "prev" member. If the line is
// not a JSON object with a prev string, it returns the reason.
func linePrev(line []byte) (prev []byte, reason Reason, detail string) {
	const tail = len(prevSuffix) + 64 + 2 // `,"prev":"sha256:` hex `"}`
	if !validJSON(line) {
		return nil, ReasonBadJSON, "the line is not valid JSON"
	}
	// Fast path: the form FileLog writes. A valid JSON text that ends with
	// `"}` ends with its top-level object, whose last member this is.
	if n := len(line); n > tail && line[n-1] == '}' && line[n-2] == '"' &&
		bytes.Equal(line[n-tail:n-tail+len(prevSuffix)], []byte(prevSuffix)) {
		return line[n-tail+len(`,"prev":"`) : n-2], "", ""
	}
	var v struct {
		Prev *string `json:"prev"`
	}
	if err := json.Unmarshal(line, &v); err != nil {
		return nil, ReasonBadJSON, "the line is not a JSON object with a prev string"
	}
	if v.Prev == nil {
		return nil, ReasonBadJSON, "the line has no prev"
	}
	return []byte(*v.Prev), "", ""
}

// Records returns an iterator over the records of a log read from r, in
// order, each decoded with [ParseRecord]. It stops after the first error,
// which it yields with a nil record: a record that does not parse (the
// error matches [ErrInvalid] and names the record's index), a torn tail
// (matching [ErrMalformed]) or an error reading r. Records does not check
// hash links; see [Verify].
func Records(r io.Reader) iter.Seq2[*Record, error] {
	return func(yield func(*Record, error) bool) {
		lr := newLineReader(r)
		for i := 0; ; i++ {
			line, complete, err := lr.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(nil, fmt.Errorf("evidence: read records: %w", err))
				return
			}
			if !complete {
				yield(nil, malformedf("record %d: the log does not end with a newline", i))
				return
			}
			rec, err := ParseRecord(line)
			if err != nil {
				yield(nil, fmt.Errorf("%w (record %d)", err, i))
				return
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
}
