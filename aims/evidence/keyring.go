package evidence

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// KeyRing is the set of keys that signed a log's checkpoints over its
// life, each with the period in which it was the log's key. A log whose
// key was rotated from A to B verifies as a whole with a ring that holds
// both: A for the checkpoints up to the rotation, B for those after.
//
// A period is a range of log sizes, not of clock times: a checkpoint
// holds no time of its own, and a time in it would be asserted by the
// very key whose period it is meant to bound. A key may sign checkpoints
// of sizes From to Until, both included; a checkpoint of another size
// signed by it is refused with a [*VerifyError] of [ReasonKeyPeriod] that
// names the checkpoint and the key.
//
// Its file form, which [ParseKeyRing] reads, is JSON:
//
//	{"keys": [
//	  {"key": "aimskit+1a2b3c4d+AX...", "from": 0, "until": 5000},
//	  {"key": "aimskit+5e6f7a8b+AY...", "from": 5000}
//	]}
//
// where key is a note verifier key ([NoteVerifierKey]) and a missing
// until means that the key is still in use.
//
// For a [SegmentLog], sizes count the records of the whole chain of
// segments, as [SegmentLog.Len] does: a checkpoint of n records of a
// segment with b records in the segments before it is of size b+n. One
// ring thus covers every segment, and a rotation may fall in the middle
// of one. KeyRing is a plain value.
type KeyRing struct {
	Keys []RingKey `json:"keys"`
}

// RingKey is one key of a [KeyRing].
type RingKey struct {
	// Key is the note verifier key (see [NoteVerifierKey]).
	Key string `json:"key"`
	// From is the smallest log size whose checkpoint the key may sign.
	From int64 `json:"from"`
	// Until, if not nil, is the largest log size whose checkpoint the key
	// may sign: the size at which the log rotated to the next key.
	Until *int64 `json:"until,omitempty"`
}

// ringEntry is a parsed [RingKey].
type ringEntry struct {
	v           note.Verifier
	from, until int64 // until is -1 for no end
}

// keyRing is a parsed [KeyRing], which finds a key by name and hash.
type keyRing struct {
	entries []ringEntry
	// offset is the number of records before the log the ring checks:
	// for a segment of a [SegmentLog], those of the segments before it.
	// A checkpoint of size n is of size offset+n in the ring's periods.
	offset int64
}

// at returns the ring for a log with offset records before it.
func (r *keyRing) at(offset int64) *keyRing {
	c := *r
	c.offset = offset
	return &c
}

// ParseKeyRing parses a key ring in its JSON form (see [KeyRing]). Unknown
// fields, malformed keys, a period that ends before it starts and a key
// given twice are errors matching [ErrMalformed].
func ParseKeyRing(b []byte) (*KeyRing, error) {
	var kr KeyRing
	if err := strictUnmarshal(b, &kr); err != nil {
		return nil, malformedf("key ring: %v", err)
	}
	if _, err := kr.parse(); err != nil {
		return nil, err
	}
	return &kr, nil
}

// ReadKeyRing reads a key ring file (see [KeyRing]).
func ReadKeyRing(path string) (*KeyRing, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("evidence: read key ring: %w", err)
	}
	kr, err := ParseKeyRing(b)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, path)
	}
	return kr, nil
}

// parse checks the ring and returns its parsed form.
func (kr *KeyRing) parse() (*keyRing, error) {
	if kr == nil || len(kr.Keys) == 0 {
		return nil, malformedf("key ring: no keys")
	}
	r := &keyRing{}
	for i, k := range kr.Keys {
		v, err := note.NewVerifier(k.Key)
		if err != nil {
			return nil, malformedf("key ring: key %d: %v", i, err)
		}
		e := ringEntry{v: v, from: k.From, until: -1}
		if k.Until != nil {
			e.until = *k.Until
		}
		if e.from < 0 || k.Until != nil && e.until < e.from {
			return nil, malformedf("key ring: key %d (%s): the period from size %d until %s is empty", i, keyLabel(v), k.From, untilText(e.until))
		}
		for _, o := range r.entries {
			if o.v.Name() == v.Name() && o.v.KeyHash() == v.KeyHash() {
				return nil, malformedf("key ring: key %s is given twice", keyLabel(v))
			}
		}
		r.entries = append(r.entries, e)
	}
	return r, nil
}

// Verifier implements [note.Verifiers].
func (r *keyRing) Verifier(name string, hash uint32) (note.Verifier, error) {
	if e := r.find(name, hash); e != nil {
		return e.v, nil
	}
	return nil, &note.UnknownVerifierError{Name: name, KeyHash: hash}
}

func (r *keyRing) find(name string, hash uint32) *ringEntry {
	for i := range r.entries {
		if e := &r.entries[i]; e.v.Name() == name && e.v.KeyHash() == hash {
			return e
		}
	}
	return nil
}

// given lists the ring's keys as "name+hash".
func (r *keyRing) given() string {
	var s []string
	for _, e := range r.entries {
		s = append(s, keyLabel(e.v))
	}
	return strings.Join(s, ", ")
}

func keyLabel(v note.Verifier) string { return fmt.Sprintf("%s+%08x", v.Name(), v.KeyHash()) }

func untilText(until int64) string {
	if until < 0 {
		return "now"
	}
	return fmt.Sprint(until)
}

// checkpointKeys opens the signed checkpoints of a log: with one key, or
// with a key ring.
type checkpointKeys struct {
	one  note.Verifier
	ring *keyRing
}

// name describes the keys, for reports.
func (k checkpointKeys) name() string {
	if k.ring != nil {
		return "the key ring (" + k.ring.given() + ")"
	}
	return k.one.Name()
}

// open verifies a signed checkpoint. With one key it is
// [openCheckpointDiagnosed]. With a ring, a note signed by none of its
// keys gives a [*KeyError]; a bad signature by one of them an error
// matching [ErrVerification]; a checkpoint whose size is outside the
// signing key's period a [*keyPeriodError].
func (k checkpointKeys) open(signed []byte) (Checkpoint, error) {
	if k.ring == nil {
		return openCheckpointDiagnosed(signed, k.one)
	}
	n, err := note.Open(signed, k.ring)
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			ke := &KeyError{Given: k.ring.given(), Found: noteSigners(signed)}
			if text, ok := splitNote(signed); ok {
				if pc, perr := parseCheckpointText(text); perr == nil {
					ke.Origin = pc.Origin
				}
			}
			return Checkpoint{}, ke
		case errors.As(err, &invalid):
			return Checkpoint{}, unverifiedf("checkpoint: bad signature by %s+%08x", invalid.Name, invalid.Hash)
		default:
			return Checkpoint{}, malformedf("checkpoint: %v", err)
		}
	}
	c, err := parseCheckpointText(n.Text)
	if err != nil {
		return Checkpoint{}, err
	}
	size := c.Size + k.ring.offset // in the ring's periods
	var firstErr error
	for _, s := range n.Sigs {
		e := k.ring.find(s.Name, s.Hash)
		if e == nil {
			continue
		}
		switch {
		case c.Origin != s.Name:
			firstErr = cmp(firstErr, unverifiedf("checkpoint: origin %q is not the key name %q", c.Origin, s.Name))
		case size < e.from || e.until >= 0 && size > e.until:
			firstErr = cmp(firstErr, &keyPeriodError{key: keyLabel(e.v), size: size, segment: k.ring.offset > 0, from: e.from, until: e.until})
		default:
			return c, nil
		}
	}
	return Checkpoint{}, firstErr
}

// openEndingAt verifies the final checkpoint of a segment, after which
// the chain of segments holds end records: with a ring, the checkpoint's
// size counts as end.
func (k checkpointKeys) openEndingAt(signed []byte, end int64) (Checkpoint, error) {
	if k.ring == nil {
		return k.open(signed)
	}
	var size int64
	if text, ok := splitNote(signed); ok {
		if c, err := parseCheckpointText(text); err == nil {
			size = c.Size
		}
	}
	return checkpointKeys{ring: k.ring.at(end - size)}.open(signed)
}

func cmp(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// keyPeriodError says that a checkpoint is signed by a key of the ring
// outside the key's period.
type keyPeriodError struct {
	key         string
	size        int64 // with the records of the segments before
	segment     bool  // the checkpoint is of a segment after the first
	from, until int64
}

func (e *keyPeriodError) Error() string {
	what := "the checkpoint of size %d"
	if e.segment {
		what = "the checkpoint at size %d of the chain of segments"
	}
	return fmt.Sprintf(what+" is signed by key %s, which may sign sizes %d to %s only",
		e.size, e.key, e.from, untilText(e.until))
}

func (e *keyPeriodError) Unwrap() error { return ErrVerification }
