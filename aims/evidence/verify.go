package evidence

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/aimskit/aimskit/aims/evidence/internal/lines"
)

// Reason says why a log does not verify. The values are stable; the zero
// value names no reason.
type Reason string

// The reasons a [VerifyError] gives. They are stable.
const (
	// ReasonBadJSON: a complete line is not a JSON object with a "prev"
	// string.
	ReasonBadJSON Reason = "bad-json"
	// ReasonBrokenLink: a record's prev is not the hash of the line before
	// it: that line or this one was changed, or lines were removed,
	// inserted or reordered.
	ReasonBrokenLink Reason = "broken-link"
	// ReasonTornTail: the log does not end with a newline. [Verify] no
	// longer reports it: bytes after the last newline are a line still
	// being written ([VerifyReport.InProgress]). [OpenFile] reports a
	// torn tail it cannot cut with it.
	ReasonTornTail Reason = "torn-tail"
	// ReasonRootMismatch: a checkpoint's root hash is not the tree hash of
	// the log's records.
	ReasonRootMismatch Reason = "root-mismatch"
	// ReasonMissingRecords: a checkpoint, or the trusted checkpoint,
	// covers more records than the log holds: records were removed from
	// its end.
	ReasonMissingRecords Reason = "missing-records"
	// ReasonBadSignature: a checkpoint is not signed by the log's key,
	// although earlier ones are.
	ReasonBadSignature Reason = "bad-signature"
	// ReasonBadCheckpoint: a line of the checkpoints file is malformed, or
	// checkpoints are out of order.
	ReasonBadCheckpoint Reason = "bad-checkpoint"
	// ReasonUnanchored: more records at the end of the log than
	// [VerifyOptions.MaxUnanchored] allows are covered by no verified
	// checkpoint, or the checkpoints file is missing or holds no
	// checkpoint. Anyone who can write the log could have written those
	// records.
	ReasonUnanchored Reason = "unanchored"
	// ReasonTrustedMismatch: the log is not consistent with the trusted
	// checkpoint ([VerifyOptions.Trusted]): its first records are not the
	// ones the trusted checkpoint signed.
	ReasonTrustedMismatch Reason = "trusted-mismatch"
	// ReasonKeyPeriod: a checkpoint is signed by a key of the key ring
	// ([VerifyOptions.KeyRing]) outside the key's period, such as a key
	// used after the log rotated away from it.
	ReasonKeyPeriod Reason = "key-out-of-period"
	// ReasonUnwitnessed: the latest checkpoint does not carry valid
	// cosignatures of as many of the witnesses given
	// ([VerifyOptions.Witnesses]) as the quorum asks.
	ReasonUnwitnessed Reason = "unwitnessed"
	// ReasonBadTimestamp: with [VerifyOptions.TSACert], a time-stamp of a
	// checkpoint does not verify (it is over another checkpoint, changed,
	// or by another authority), names a checkpoint the log does not have,
	// or there is none.
	ReasonBadTimestamp Reason = "bad-timestamp"
)

// VerifyError reports the first problem [Verify] found. It matches
// [ErrTampered], and Err when that is set. It is a plain value.
type VerifyError struct {
	// Index is the index of the first record at which the log is known not
	// to be as written, or -1 if the problem is in a checkpoint alone.
	//
	// For [ReasonBrokenLink] the change is in this record or the one
	// before it. For [ReasonRootMismatch] and [ReasonTrustedMismatch] it
	// is the first record that no earlier, matching checkpoint covers: the
	// change is at Index or after. For [ReasonMissingRecords] it is the
	// number of complete records in the log, and for [ReasonUnanchored]
	// the first unanchored record.
	Index int64
	// Checkpoint is the index of the line of the checkpoints file
	// involved, or -1.
	Checkpoint int
	// Reason says what is wrong.
	Reason Reason
	// Detail says more, for people. It is never empty.
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

// KeyError reports that checkpoints are signed by a key other than the
// one given: a mistake in the verifier's configuration (the wrong public
// key, or the wrong origin), not a sign that the log was changed. It
// matches [ErrWrongKey], and [ErrVerification] since nothing signed by
// the key given was found. It is a plain value.
type KeyError struct {
	// Given is the key the caller gave, as "name+hash" (origin and key
	// hash in hex).
	Given string
	// Found lists the keys that signed the checkpoint, as "name+hash".
	Found []string
	// Origin is the origin the checkpoint names, if it could be read.
	Origin string
}

// Error says which keys signed and which was given.
func (e *KeyError) Error() string {
	givenName, _, _ := strings.Cut(e.Given, "+")
	if e.Origin != "" && e.Origin != givenName {
		return fmt.Sprintf("evidence: the checkpoints are of the log %q, not %q: give the log's origin (signed by %s; key given %s)",
			e.Origin, givenName, strings.Join(e.Found, ", "), e.Given)
	}
	if len(e.Found) == 0 {
		return fmt.Sprintf("evidence: the checkpoint has no signature; key given %s", e.Given)
	}
	return fmt.Sprintf("evidence: the checkpoints are signed by key %s, not by the key given, %s", strings.Join(e.Found, ", "), e.Given)
}

// Unwrap returns [ErrWrongKey] and [ErrVerification].
func (e *KeyError) Unwrap() []error { return []error{ErrWrongKey, ErrVerification} }

// The names of the checks in a [VerifyReport]. They are stable.
const (
	// CheckLinks: every record's prev is the hash of the line before it,
	// from [Genesis] (or the start state of a range).
	CheckLinks = "links"
	// CheckTree: the root hash of every verified checkpoint is the Merkle
	// tree hash of the records it covers.
	CheckTree = "tree"
	// CheckSignatures: every checkpoint is signed by the key given.
	CheckSignatures = "signatures"
	// CheckAnchoring: every record is covered by a verified checkpoint, but
	// for the unanchored tail [VerifyOptions.MaxUnanchored] allows.
	CheckAnchoring = "anchoring"
	// CheckTrusted: the log is consistent with the trusted checkpoint.
	CheckTrusted = "trusted-head"
	// CheckWitnesses: the latest checkpoint is cosigned by a quorum of the
	// witnesses given. The report has it only when witnesses are given.
	CheckWitnesses = "witnesses"
	// CheckTimestamps: every RFC 3161 time-stamp of a checkpoint verifies
	// with the TSA certificate given; reported only when one is given
	// ([VerifyOptions.TSACert]).
	CheckTimestamps = "time-stamps"
)

// The statuses of a [VerifyCheck].
const (
	// StatusHolds: the check was made and holds.
	StatusHolds = "holds"
	// StatusFails: the check was made and does not hold.
	StatusFails = "fails"
	// StatusNotChecked: the check was not made, for want of a key or a
	// trusted checkpoint, or because an earlier problem stopped the
	// verification.
	StatusNotChecked = "not-checked"
)

// VerifyCheck says what one check of [Verify] established.
type VerifyCheck struct {
	// Name is one of the Check names, such as [CheckLinks].
	Name string `json:"name"`
	// Status is [StatusHolds], [StatusFails] or [StatusNotChecked].
	Status string `json:"status"`
	// Detail says what was checked, for people.
	Detail string `json:"detail"`
}

// VerifyReport says what [Verify] checked. It is a plain value, and its
// JSON form is stable.
type VerifyReport struct {
	// Start is the index of the first record read: zero, unless the log
	// begins after its first record (see [VerifyOptions.Start]).
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
	// Unanchored is the number of records at the end of the log that no
	// verified checkpoint covers. It is zero without a key.
	Unanchored int64 `json:"unanchored"`
	// InProgress is the number of bytes after the last newline: a line
	// still being written, or the torn tail of a crash, which the next
	// writer cuts off. They are not a record and are not checked.
	InProgress int `json:"inProgress,omitempty"`
	// Trusted is the size of the trusted checkpoint the log was shown to
	// be consistent with, or -1 if none was given.
	Trusted int64 `json:"trusted"`
	// Witnessed is the size of the latest checkpoint, if it carries the
	// cosignatures of a quorum of [VerifyOptions.Witnesses].
	Witnessed int64 `json:"witnessed,omitempty"`
	// Cosigners lists the witnesses whose valid cosignature the latest
	// checkpoint carries, as "name+hash", when witnesses are given.
	Cosigners []string `json:"cosigners,omitempty"`
	// Origin is the origin of the verified checkpoints, or "".
	Origin string `json:"origin,omitempty"`
	// Root is the Merkle tree hash of the Start+Records records up to the
	// last sound one.
	Root tlog.Hash `json:"root"`
	// Checks says, check by check, what holds.
	Checks []VerifyCheck `json:"checks"`
}

// Check returns the check with the given name, or a zero VerifyCheck.
func (r VerifyReport) Check(name string) VerifyCheck {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return VerifyCheck{}
}

// VerifyOptions says what [VerifyLog] and [VerifyFile] check beyond the
// hash links. A nil *VerifyOptions is the zero value: hash links and
// nothing else.
type VerifyOptions struct {
	// Key is the note verifier key (see [NoteVerifierKey]) of the log's
	// checkpoints. With a key, every checkpoint must be signed by it, its
	// root must be the tree hash of the records it covers, and every
	// record must be covered by one (see MaxUnanchored). Empty means that
	// checkpoints are not read.
	Key string
	// Start is the state of the chain before the log's first record, for
	// a log that is a range of a larger one (see [StartSuffix]). Nil means
	// that the log begins with its first record. A start state is never
	// read from beside the log unless given here: whoever can write the
	// log can write it too.
	Start *Chain
	// Trusted is a signed checkpoint of the log that the verifier kept
	// from an earlier visit, or got from a witness. The log must hold the
	// records it signed, unchanged: a log cut, rewritten or forked before
	// its size does not verify. It needs Key or KeyRing.
	Trusted []byte
	// MaxUnanchored is the number of records at the end of the log that
	// may lack a verified checkpoint, for a log that is still being
	// written. Zero means that, with a Key, every record must be covered;
	// a negative value accepts any number (and a log without
	// checkpoints), and the report only counts them.
	MaxUnanchored int64
	// KeyRing, instead of Key, holds the keys that signed the log's
	// checkpoints over its life, each with its period (see [KeyRing]): a
	// log whose key was rotated verifies as a whole, and a checkpoint
	// signed by a key outside its period fails ([ReasonKeyPeriod]).
	KeyRing *KeyRing
	// Witnesses are the witnesses whose cosignatures (C2SP
	// tlog-cosignature) the latest checkpoint must carry: at least
	// WitnessQuorum of them. A witness cosigns a checkpoint only if it is
	// consistent with the last one it cosigned, so a log rewritten or
	// forked after a cosigned checkpoint, even re-signed with the log's
	// own key, fails ([ReasonUnwitnessed]). They need Key or KeyRing.
	Witnesses []WitnessKey
	// WitnessQuorum is the number of Witnesses that must have cosigned.
	// Zero means all of them.
	WitnessQuorum int
	// TSACert is the certificate of the time-stamping authority whose
	// RFC 3161 time-stamps of the log's checkpoints (see
	// [TimestampsSuffix]) must verify: each over the note text of a
	// verified checkpoint, signed with this certificate, which must be
	// for time-stamping; and one at least. The report's
	// [CheckTimestamps] then says by when the records existed. It needs
	// Key. Nil means that time-stamps are not read.
	TSACert *x509.Certificate
	// Timestamps is the content of the log's time-stamps file, for
	// [VerifyLog]; [VerifyFile] reads it from beside the log when TSACert
	// is set.
	Timestamps []byte
	// Workers is the number of goroutines that hash and check the
	// records: the log is read in blocks of complete lines, which the
	// workers check in parallel, and their hashes are added to the tree
	// in order. The result is the same whatever the number of workers:
	// the same report, and the same error for the same first problem.
	// Zero means [runtime.GOMAXPROCS]; one verifies on the caller's
	// goroutine alone, reading the log line by line; a negative value is
	// an error.
	Workers int

	// ringOffset is the number of records before the log in a chain of
	// segments, for KeyRing's periods (see [VerifySegments]).
	ringOffset int64
}

// Verify reads a log from log and checks that it is as it was written:
// every complete line is a JSON object whose "prev" is the [LinkHash] of
// the line before it ([Genesis] for the first).
//
// If checkpoints is not nil, Verify also reads the checkpoints file from it
// and checks, with the note verifier key verifierKey (see
// [NoteVerifierKey]), that every checkpoint is signed by that key, that
// their sizes do not decrease, that each one's root hash is the tree hash
// of the log's first records, and that every record is covered by one. It
// is [VerifyLog] with only [VerifyOptions.Key] set.
//
// It returns an error that is a [*VerifyError], matching [ErrTampered], for
// the first problem found, with the report of what was sound before it; a
// [*KeyError], matching [ErrWrongKey], if the checkpoints are signed by
// another key. Other errors (reading, a malformed verifier key,
// cancellation) are returned as they are, wrapped.
func Verify(ctx context.Context, log io.Reader, checkpoints io.Reader, verifierKey string) (VerifyReport, error) {
	if checkpoints != nil && verifierKey == "" {
		return VerifyReport{Trusted: -1}, invalidf("verify: checkpoints need a verifier key")
	}
	var cps io.Reader
	if verifierKey != "" {
		cps = checkpoints
	}
	return VerifyLog(ctx, log, cps, &VerifyOptions{Key: verifierKey})
}

// StartSuffix is the customary suffix of the file that holds the state of
// the chain before a log's first record, in the JSON form of [Chain], when
// the log is a range of a larger log that does not start at its first
// record, such as a range exported from a database. [ReadStartFile] reads
// it; [VerifyFile] does not look for it on its own.
const StartSuffix = ".start"

// VerifyFrom is [Verify] for a log that continues the chain start; see
// [VerifyOptions.Start].
func VerifyFrom(ctx context.Context, start *Chain, log io.Reader, checkpoints io.Reader, verifierKey string) (VerifyReport, error) {
	if checkpoints != nil && verifierKey == "" {
		return VerifyReport{Trusted: -1}, invalidf("verify: checkpoints need a verifier key")
	}
	var cps io.Reader
	if verifierKey != "" {
		cps = checkpoints
	}
	return VerifyLog(ctx, log, cps, &VerifyOptions{Key: verifierKey, Start: start})
}

// VerifyLog reads a log from log and, if opts has a Key, its checkpoints
// file from checkpoints (nil or empty means that there is none), and
// checks what opts asks; see [VerifyOptions]. The report says check by
// check what holds ([VerifyReport.Checks]).
//
// Record indexes in errors and in the report are those of the whole log,
// so that a range (see [VerifyOptions.Start]) reports the indexes of the
// log it was taken from. The records before the start are not read: a
// checkpoint whose size is smaller than the start's cannot be checked and
// is skipped; one at or after it is checked against the tree hash that
// the start continues, so a verified checkpoint past the start also shows
// that the start is the true state of the log's earlier records.
//
// Bytes after the last newline are taken as a line still being written
// ([VerifyReport.InProgress]), so that a log can be verified while a
// writer appends to it; give such a log a MaxUnanchored above the
// writer's checkpoint interval. Read a live log's checkpoints before the
// log itself, as [VerifyFile] does, since the writer writes records before
// the checkpoints that cover them.
//
// Errors are as for [Verify]. The trusted checkpoint is checked first: a
// malformed one gives an error matching [ErrMalformed], one signed by
// another key a [*KeyError], one whose signature does not verify an error
// matching [ErrVerification].
//
// With more than one worker ([VerifyOptions.Workers]), VerifyLog reads
// ahead of the records being checked, a few blocks of 256 KiB per worker,
// and it returns only once its goroutines have ended and no longer read
// log.
func VerifyLog(ctx context.Context, log io.Reader, checkpoints io.Reader, opts *VerifyOptions) (VerifyReport, error) {
	return verifyLog(ctx, log, checkpoints, opts, verifyBlockSize)
}

// verifyLog is [VerifyLog], with blocks of blockSize bytes for the
// workers.
func verifyLog(ctx context.Context, log io.Reader, checkpoints io.Reader, opts *VerifyOptions, blockSize int) (VerifyReport, error) {
	var o VerifyOptions
	if opts != nil {
		o = *opts
	}
	rep := VerifyReport{Trusted: -1}
	var (
		cps     []Checkpoint
		notes   [][]byte
		v       *checkpointKeys
		trusted *Checkpoint
	)
	switch {
	case o.Key != "" && o.KeyRing != nil:
		return rep, invalidf("verify: give a key or a key ring, not both")
	case o.Key != "":
		one, err := note.NewVerifier(o.Key)
		if err != nil {
			return rep, malformedf("verifier key: %v", err)
		}
		v = &checkpointKeys{one: one}
	case o.KeyRing != nil:
		ring, err := o.KeyRing.parse()
		if err != nil {
			return rep, err
		}
		ring.offset = o.ringOffset
		v = &checkpointKeys{ring: ring}
	}
	if len(o.Witnesses) > 0 && v == nil {
		return rep, invalidf("verify: witnesses need a verifier key or a key ring")
	}
	if o.WitnessQuorum < 0 || o.WitnessQuorum > len(o.Witnesses) {
		return rep, invalidf("verify: a witness quorum of %d with %d witnesses", o.WitnessQuorum, len(o.Witnesses))
	}
	if o.TSACert != nil && v == nil {
		return rep, invalidf("verify: time-stamps need a verifier key")
	}
	if o.Workers < 0 {
		return rep, invalidf("verify: %d workers", o.Workers)
	}
	if o.Trusted != nil {
		if v == nil {
			return rep, invalidf("verify: a trusted checkpoint needs a verifier key")
		}
		c, err := v.open(o.Trusted)
		if err != nil {
			return rep, fmt.Errorf("evidence: verify: trusted checkpoint: %w", err)
		}
		trusted = &c
	}
	if v != nil && checkpoints != nil {
		var err error
		cps, notes, err = readCheckpoints(checkpoints, *v)
		if err != nil {
			return rep, err
		}
	}
	if len(cps) > 0 {
		rep.Origin = cps[0].Origin
	}

	var (
		fr   frontier
		want = []byte(Genesis)
		next = 0 // next checkpoint to compare
	)
	if s := o.Start; s != nil && s.Size() > 0 {
		fr = frontier{n: s.fr.n, roots: append([]tlog.Hash(nil), s.fr.roots...)}
		want = []byte(s.Prev())
		rep.Start = fr.n
		for next < len(cps) && cps[next].Size < fr.n {
			next++
		}
		if trusted != nil && trusted.Size < fr.n {
			return rep, invalidf("verify: the trusted checkpoint covers %d records, before the range's start at record %d", trusted.Size, fr.n)
		}
	}
	v1 := verifier{rep: &rep, fr: &fr, cps: cps, trusted: trusted, key: v, opts: &o, next: &next}
	if e := v1.check(); e != nil {
		return v1.fail(e)
	}
	workers := o.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		e   *VerifyError
		err error
	)
	if workers > 1 {
		e, err = v1.readBlocks(ctx, log, want, workers, blockSize)
	} else {
		e, err = v1.readLines(ctx, log, want)
	}
	switch {
	case err != nil:
		return rep, err
	case e != nil:
		return v1.fail(e)
	}
	if next < len(cps) {
		return v1.fail(&VerifyError{Index: fr.n, Checkpoint: next, Reason: ReasonMissingRecords,
			Detail: fmt.Sprintf("the checkpoint covers %d records, the log holds %d", cps[next].Size, fr.n)})
	}
	if trusted != nil && trusted.Size > fr.n {
		return v1.fail(&VerifyError{Index: fr.n, Checkpoint: -1, Reason: ReasonMissingRecords,
			Detail: fmt.Sprintf("the trusted checkpoint covers %d records, the log holds %d", trusted.Size, fr.n)})
	}
	rep.Records = fr.n - rep.Start
	rep.Root = fr.root()
	if v != nil {
		rep.Unanchored = fr.n - max(rep.Anchored, rep.Start)
		if rep.Checkpoints == 0 {
			rep.Unanchored = fr.n - rep.Start
		}
		if o.MaxUnanchored >= 0 {
			switch {
			case rep.Checkpoints == 0 && (fr.n > rep.Start || rep.Start == 0):
				d := "no signed checkpoint: the checkpoints file is missing or empty"
				if len(cps) > 0 {
					d = fmt.Sprintf("no signed checkpoint covers the range from record %d", rep.Start)
				}
				if rep.Unanchored > 0 {
					d += fmt.Sprintf(", so none of the %d records is anchored", rep.Unanchored)
				}
				if rep.Unanchored > o.MaxUnanchored || rep.Start == 0 && len(cps) == 0 {
					return v1.fail(&VerifyError{Index: rep.Start, Checkpoint: -1, Reason: ReasonUnanchored, Detail: d})
				}
			case rep.Unanchored > o.MaxUnanchored:
				return v1.fail(&VerifyError{Index: fr.n - rep.Unanchored, Checkpoint: -1, Reason: ReasonUnanchored,
					Detail: fmt.Sprintf("the last %d records are covered by no signed checkpoint (%d allowed)", rep.Unanchored, o.MaxUnanchored)})
			}
		}
	}
	if e := v1.checkWitnesses(notes); e != nil {
		return v1.fail(e)
	}
	if o.TSACert != nil {
		check, e := verifyTimestamps(o.Timestamps, cps, o.TSACert)
		v1.ts = &check
		if e != nil {
			return v1.fail(e)
		}
	}
	rep.Checks = v1.checks(nil)
	return rep, nil
}

// checkWitnesses checks that the latest checkpoint carries the
// cosignatures of a quorum of the witnesses given.
func (v *verifier) checkWitnesses(notes [][]byte) *VerifyError {
	ws := v.opts.Witnesses
	if len(ws) == 0 {
		return nil
	}
	quorum := v.opts.WitnessQuorum
	if quorum == 0 {
		quorum = len(ws)
	}
	if len(notes) == 0 {
		return &VerifyError{Index: -1, Checkpoint: -1, Reason: ReasonUnwitnessed,
			Detail: "no signed checkpoint to carry the witnesses' cosignatures"}
	}
	last := len(notes) - 1
	cos := Cosignatures(notes[last], ws)
	v.rep.Cosigners = v.rep.Cosigners[:0]
	for _, c := range cos {
		v.rep.Cosigners = append(v.rep.Cosigners, fmt.Sprintf("%s+%08x", c.Witness.Name, c.Witness.KeyID()))
	}
	if len(cos) < quorum {
		return &VerifyError{Index: -1, Checkpoint: last, Reason: ReasonUnwitnessed,
			Detail: fmt.Sprintf("the latest checkpoint (size %d) carries valid cosignatures of %d of the %d witnesses given, %d required: it was not cosigned, or the log was rewritten after the witnesses saw it",
				v.cps[last].Size, len(cos), len(ws), quorum)}
	}
	v.rep.Witnessed = v.cps[last].Size
	return nil
}

// readLines reads the log line by line from log and checks each line,
// from the link want, adding it to the tree. It returns the first
// problem found, or an error reading log or of ctx. It sets
// [VerifyReport.InProgress]; the rest of the report is for the caller.
func (v *verifier) readLines(ctx context.Context, log io.Reader, want []byte) (*VerifyError, error) {
	var (
		fr   = v.fr
		lr   = lines.NewReader(log)
		link [linkHashLen]byte
	)
	for {
		if fr.n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("evidence: verify: %w", err)
			}
		}
		line, complete, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("evidence: verify: %w", err)
		}
		if !complete {
			v.rep.InProgress = len(line)
			return nil, nil
		}
		prev, reason, detail := linePrev(line)
		if reason != "" {
			return &VerifyError{Index: fr.n, Checkpoint: -1, Reason: reason, Detail: detail}, nil
		}
		if !bytes.Equal(prev, want) {
			return v.brokenLink(), nil
		}
		want = appendLinkHash(link[:0], line)
		fr.add(tlog.RecordHash(line))
		if e := v.check(); e != nil {
			return e, nil
		}
	}
}

// brokenLink returns the problem of the next record, whose prev is not
// the link hash of the record before it.
func (v *verifier) brokenLink() *VerifyError {
	n := v.fr.n
	d := "prev is not the genesis value"
	switch {
	case n == v.rep.Start && n > 0:
		d = fmt.Sprintf("prev is not the hash of record %d that the start state gives", n-1)
	case n > 0:
		d = fmt.Sprintf("prev is not the hash of record %d", n-1)
	}
	return &VerifyError{Index: n, Checkpoint: -1, Reason: ReasonBrokenLink, Detail: d}
}

// verifier holds the state of one run of [VerifyLog].
type verifier struct {
	rep     *VerifyReport
	fr      *frontier
	cps     []Checkpoint
	next    *int
	trusted *Checkpoint
	key     *checkpointKeys
	opts    *VerifyOptions
	ts      *VerifyCheck // the time-stamps check, once made
}

// check compares the tree with the checkpoints and the trusted checkpoint
// of its size.
func (v *verifier) check() *VerifyError {
	fr, rep := v.fr, v.rep
	for *v.next < len(v.cps) && v.cps[*v.next].Size == fr.n {
		if v.cps[*v.next].Root != fr.root() {
			return &VerifyError{Index: max(rep.Anchored, rep.Start), Checkpoint: *v.next, Reason: ReasonRootMismatch,
				Detail: fmt.Sprintf("the checkpoint's root hash is not the tree hash of the first %d records", fr.n)}
		}
		rep.Anchored = fr.n
		rep.Checkpoints++
		*v.next++
	}
	if t := v.trusted; t != nil && t.Size == fr.n {
		if t.Root != fr.root() {
			return &VerifyError{Index: max(min(rep.Anchored, t.Size-1), rep.Start, 0), Checkpoint: -1, Reason: ReasonTrustedMismatch,
				Detail: fmt.Sprintf("the first %d records are not the ones the trusted checkpoint signed: the log was rewritten or forked", t.Size)}
		}
		rep.Trusted = t.Size
	}
	return nil
}

// fail completes the report for the problem e.
func (v *verifier) fail(e *VerifyError) (VerifyReport, error) {
	v.rep.Records = v.fr.n - v.rep.Start
	v.rep.Root = v.fr.root()
	v.rep.Checks = v.checks(e)
	return *v.rep, e
}

// checks says what each check established, given the problem e (nil if
// none).
func (v *verifier) checks(e *VerifyError) []VerifyCheck {
	rep := v.rep
	status := func(failed bool) string {
		if failed {
			return StatusFails
		}
		return StatusHolds
	}
	var reason Reason
	if e != nil {
		reason = e.Reason
	}
	out := make([]VerifyCheck, 0, 5)
	linkDetail := fmt.Sprintf("%d records, each linked to the one before it from the genesis value", rep.Records)
	if rep.Start > 0 {
		linkDetail = fmt.Sprintf("%d records from record %d, each linked to the one before it from the given start state", rep.Records, rep.Start)
	}
	linksFailed := reason == ReasonBrokenLink || reason == ReasonBadJSON
	if linksFailed {
		linkDetail = e.Detail
	}
	out = append(out, VerifyCheck{Name: CheckLinks, Status: status(linksFailed), Detail: linkDetail})
	if v.key == nil {
		out = append(out,
			VerifyCheck{Name: CheckTree, Status: StatusNotChecked, Detail: "no key: checkpoints not read"},
			VerifyCheck{Name: CheckSignatures, Status: StatusNotChecked, Detail: "no key: checkpoints not read"},
			VerifyCheck{Name: CheckAnchoring, Status: StatusNotChecked, Detail: "no key: anyone who can write the log could have written, changed or cut any record"},
			VerifyCheck{Name: CheckTrusted, Status: StatusNotChecked, Detail: "no trusted checkpoint given"})
		return out
	}
	sigStatus, sigDetail := StatusHolds, fmt.Sprintf("%d checkpoints signed by %s", len(v.cps), v.key.name())
	if len(v.cps) == 0 {
		sigStatus, sigDetail = StatusNotChecked, "no checkpoint to check"
	}
	treeFailed := reason == ReasonRootMismatch || reason == ReasonMissingRecords && e.Checkpoint >= 0
	treeDetail := fmt.Sprintf("%d checkpoints match the tree hash of the records they cover", rep.Checkpoints)
	switch {
	case treeFailed:
		treeDetail = e.Detail
	case rep.Checkpoints == 0:
		treeDetail = "no checkpoint covers the records read"
	}
	treeStatus := status(treeFailed)
	if !treeFailed && rep.Checkpoints == 0 {
		treeStatus = StatusNotChecked
	}
	out = append(out,
		VerifyCheck{Name: CheckTree, Status: treeStatus, Detail: treeDetail},
		VerifyCheck{Name: CheckSignatures, Status: sigStatus, Detail: sigDetail})
	switch {
	case reason == ReasonUnanchored:
		out = append(out, VerifyCheck{Name: CheckAnchoring, Status: StatusFails, Detail: e.Detail})
	case e != nil:
		out = append(out, VerifyCheck{Name: CheckAnchoring, Status: StatusNotChecked, Detail: "stopped at the first problem"})
	case rep.Unanchored == 0:
		out = append(out, VerifyCheck{Name: CheckAnchoring, Status: StatusHolds,
			Detail: fmt.Sprintf("every record is covered by a signed checkpoint (the latest covers %d)", rep.Anchored)})
	default:
		out = append(out, VerifyCheck{Name: CheckAnchoring, Status: StatusHolds,
			Detail: fmt.Sprintf("the last %d records are covered by no signed checkpoint yet, as allowed; the rest by one of size %d", rep.Unanchored, rep.Anchored)})
	}
	switch {
	case v.trusted == nil:
		out = append(out, VerifyCheck{Name: CheckTrusted, Status: StatusNotChecked,
			Detail: "no trusted checkpoint given: a log cut or rewritten to an earlier signed state cannot be told from the real one"})
	case reason == ReasonTrustedMismatch || reason == ReasonMissingRecords && e.Checkpoint < 0:
		out = append(out, VerifyCheck{Name: CheckTrusted, Status: StatusFails, Detail: e.Detail})
	case rep.Trusted >= 0:
		out = append(out, VerifyCheck{Name: CheckTrusted, Status: StatusHolds,
			Detail: fmt.Sprintf("the log extends the trusted checkpoint of %d records", rep.Trusted)})
	default:
		out = append(out, VerifyCheck{Name: CheckTrusted, Status: StatusNotChecked, Detail: "stopped before the trusted checkpoint's size"})
	}
	if len(v.opts.Witnesses) > 0 {
		switch {
		case reason == ReasonUnwitnessed:
			out = append(out, VerifyCheck{Name: CheckWitnesses, Status: StatusFails, Detail: e.Detail})
		case e != nil:
			out = append(out, VerifyCheck{Name: CheckWitnesses, Status: StatusNotChecked, Detail: "stopped at the first problem"})
		default:
			out = append(out, VerifyCheck{Name: CheckWitnesses, Status: StatusHolds,
				Detail: fmt.Sprintf("the latest checkpoint (size %d) is cosigned by %s", rep.Witnessed, strings.Join(rep.Cosigners, ", "))})
		}
	}
	switch {
	case v.opts.TSACert == nil:
	case v.ts != nil:
		out = append(out, *v.ts)
	default:
		out = append(out, VerifyCheck{Name: CheckTimestamps, Status: StatusNotChecked, Detail: "stopped at the first problem"})
	}
	return out
}

// VerifyFile verifies the log at path with [VerifyLog]. With a key, it
// reads the checkpoints from path+[CheckpointsSuffix], before the log, so
// that a log being written verifies; a missing checkpoints file is then a
// failure ([ReasonUnanchored]) unless [VerifyOptions.MaxUnanchored] is
// negative. Nothing else beside the log is read: a range's start state is
// given in [VerifyOptions.Start] (see [ReadStartFile]). VerifyFile only
// reads; it takes no lock.
func VerifyFile(ctx context.Context, path string, opts *VerifyOptions) (VerifyReport, error) {
	var o VerifyOptions
	if opts != nil {
		o = *opts
	}
	var cps io.Reader
	if o.TSACert != nil && o.Timestamps == nil {
		b, err := readTimestampsFile(path)
		if err != nil {
			return VerifyReport{Trusted: -1}, fmt.Errorf("evidence: verify: %w", err)
		}
		o.Timestamps = b
	}
	if o.Key != "" || o.KeyRing != nil {
		b, err := os.ReadFile(path + CheckpointsSuffix)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return VerifyReport{Trusted: -1}, fmt.Errorf("evidence: verify: %w", err)
		default:
			cps = bytes.NewReader(b)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return VerifyReport{Trusted: -1}, fmt.Errorf("evidence: verify: %w", err)
	}
	defer f.Close()
	return VerifyLog(ctx, f, cps, &o)
}

// ReadStartFile reads a chain state in the JSON form of [Chain], such as
// the start file that a range export writes beside a log (see
// [StartSuffix]), for [VerifyOptions.Start].
func ReadStartFile(path string) (*Chain, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("evidence: read start: %w", err)
	}
	c := new(Chain)
	if err := c.UnmarshalJSON(b); err != nil {
		return nil, fmt.Errorf("evidence: read start: %s: %w", path, err)
	}
	return c, nil
}

// readCheckpoints reads and verifies a checkpoints file. An incomplete
// last line is a checkpoint still being written and is skipped.
func readCheckpoints(r io.Reader, v checkpointKeys) ([]Checkpoint, [][]byte, error) {
	var cps []Checkpoint
	var notes [][]byte
	lr := lines.NewReader(r)
	for i := 0; ; i++ {
		line, complete, err := lr.Next()
		if errors.Is(err, io.EOF) || err == nil && !complete {
			return cps, notes, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("evidence: verify: checkpoints: %w", err)
		}
		bad := func(reason Reason, detail string, err error) ([]Checkpoint, [][]byte, error) {
			return nil, nil, &VerifyError{Index: -1, Checkpoint: i, Reason: reason, Detail: detail, Err: err}
		}
		var cl checkpointLine
		if err := strictUnmarshal(line, &cl); err != nil {
			return bad(ReasonBadCheckpoint, "not a checkpoint line: "+err.Error(), nil)
		}
		c, err := v.open([]byte(cl.Note))
		if err != nil {
			var ke *KeyError
			var pe *keyPeriodError
			switch {
			case errors.As(err, &pe):
				return bad(ReasonKeyPeriod, fmt.Sprintf("checkpoint %d: %v", i, pe), err)
			case errors.As(err, &ke) && len(cps) == 0:
				// Not one checkpoint is signed by the key given: the
				// wrong key or origin, not a forgery.
				return nil, nil, err
			case errors.As(err, &ke):
				return bad(ReasonBadSignature, fmt.Sprintf("signed by %s, while the checkpoints before it are signed by %s",
					strings.Join(ke.Found, ", "), ke.Given), err)
			case errors.Is(err, ErrVerification):
				return bad(ReasonBadSignature, "the signature does not verify: "+err.Error(), err)
			}
			return bad(ReasonBadCheckpoint, err.Error(), err)
		}
		if len(cps) > 0 && c.Size < cps[len(cps)-1].Size {
			return bad(ReasonBadCheckpoint, fmt.Sprintf("size %d after size %d", c.Size, cps[len(cps)-1].Size), nil)
		}
		cps = append(cps, c)
		notes = append(notes, []byte(cl.Note))
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
		lr := lines.NewReader(r)
		for i := 0; ; i++ {
			line, complete, err := lr.Next()
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
