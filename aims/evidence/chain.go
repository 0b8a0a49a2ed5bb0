package evidence

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Chain builds the lines of a hash-linked evidence log and keeps the
// RFC 6962 Merkle tree hash over them, in O(log n) memory. It is the
// format of [FileLog], exported so that other stores of evidence, such as
// a database table, write logs that [Verify] and the command line accept
// once exported as JSON Lines.
//
// The zero value is the chain of an empty log: its next line links to
// [Genesis]. A Chain's state can be saved with [Chain.MarshalBinary] and
// restored with [Chain.UnmarshalBinary], so that a writer that appends to
// a shared log can resume from the state another writer left. Its JSON
// form ([Chain.MarshalJSON]) is the start file of a log that begins after
// its first record, which [VerifyFrom] and [VerifyFile] check.
//
// A Chain is not safe for concurrent use; whoever appends to a log must
// serialise the appends anyway.
type Chain struct {
	prev    [linkHashLen]byte
	started bool // prev is set; otherwise it is Genesis
	fr      frontier
	enc     recordEncoder
}

// Size returns the number of lines appended to the chain.
func (c *Chain) Size() int64 { return c.fr.n }

// Prev returns the [LinkHash] of the last line, or [Genesis] if there is
// none: the value of the next line's "prev".
func (c *Chain) Prev() string {
	if !c.started {
		return Genesis
	}
	return string(c.prev[:])
}

// Root returns the Merkle tree hash of the lines appended so far.
func (c *Chain) Root() tlog.Hash { return c.fr.root() }

// Checkpoint returns the checkpoint of the chain as it is now, with the
// given origin.
func (c *Chain) Checkpoint(origin string) Checkpoint {
	return Checkpoint{Origin: origin, Size: c.fr.n, Root: c.fr.root()}
}

// AppendLine appends to dst the log line of r, linked to the line before
// it, and returns the extended buffer; the line has no trailing newline.
// It then adds the line to the chain. The line is r's JSON form, as
// [FileLog] writes it, with "prev" set to [Chain.Prev]; r's own Prev is
// ignored and r is not modified. AppendLine returns an error matching
// [ErrInvalid], and leaves the chain unchanged, if r is nil or invalid.
func (c *Chain) AppendLine(dst []byte, r *Record) ([]byte, error) {
	if err := r.Validate(); err != nil {
		return dst, err
	}
	rec := *r
	rec.Prev = ""
	start := len(dst)
	dst, err := c.enc.appendRecord(dst, &rec)
	if err != nil {
		return dst[:start], invalidf("record %s: %v", r.ID, err)
	}
	if !c.started {
		copy(c.prev[:], Genesis)
	}
	dst = linkLine(dst[:len(dst)-1], start, &c.prev) // without its "}"
	c.started = true
	c.fr.add(tlog.RecordHash(dst[start:]))
	return dst, nil
}

// Add adds a line that is already written, such as one read back from a
// log, to the chain, without checking its "prev" (that is what [Verify]
// does).
func (c *Chain) Add(line []byte) {
	appendLinkHash(c.prev[:0], line)
	c.started = true
	c.fr.add(tlog.RecordHash(line))
}

// chainMagic starts the binary form of a Chain.
const chainMagic = "aimskit-chain-v1\n"

// MarshalBinary returns the chain's state: its size, the link hash of its
// last line and the roots of its perfect subtrees, at most 64 hashes.
func (c *Chain) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, len(chainMagic)+8+linkHashLen+len(c.fr.roots)*tlog.HashSize)
	b = append(b, chainMagic...)
	b = binary.BigEndian.AppendUint64(b, uint64(c.fr.n))
	b = append(b, c.Prev()...)
	for _, h := range c.fr.roots {
		b = append(b, h[:]...)
	}
	return b, nil
}

// UnmarshalBinary restores a state saved by [Chain.MarshalBinary]. It
// returns an error matching [ErrMalformed], and leaves c unchanged, if b
// is not such a state.
func (c *Chain) UnmarshalBinary(b []byte) error {
	rest, ok := bytes.CutPrefix(b, []byte(chainMagic))
	if !ok || len(rest) < 8+linkHashLen {
		return malformedf("chain state: not an aimskit chain state")
	}
	n := int64(binary.BigEndian.Uint64(rest))
	prev := rest[8 : 8+linkHashLen]
	rest = rest[8+linkHashLen:]
	if !validLinkHash(string(prev)) {
		return malformedf("chain state: bad link hash")
	}
	if len(rest)%tlog.HashSize != 0 {
		return malformedf("chain state: %d bytes of subtree hashes, not a multiple of %d", len(rest), tlog.HashSize)
	}
	roots := make([]tlog.Hash, len(rest)/tlog.HashSize)
	for i := range roots {
		copy(roots[i][:], rest[i*tlog.HashSize:])
	}
	return c.restore(n, string(prev), roots)
}

// chainJSON is the JSON form of a Chain.
type chainJSON struct {
	Format   string      `json:"format"`
	Size     int64       `json:"size"`
	Prev     string      `json:"prev"`
	Subtrees []tlog.Hash `json:"subtrees"`
}

// chainFormat names the JSON form of a Chain.
const chainFormat = "aimskit-chain-v1"

// MarshalJSON returns the chain's state as a JSON object:
//
//	{"format": "aimskit-chain-v1", "size": 1000, "prev": "sha256:…", "subtrees": ["<base64>", …]}
//
// where size is the number of lines, prev the link hash of the last one and
// subtrees the roots of the perfect subtrees of the Merkle tree, largest
// first, one per bit set in size. It is the content of the start file of a
// log that begins after its first record (see [StartSuffix]).
func (c *Chain) MarshalJSON() ([]byte, error) {
	roots := c.fr.roots
	if roots == nil {
		roots = []tlog.Hash{}
	}
	return json.Marshal(chainJSON{Format: chainFormat, Size: c.fr.n, Prev: c.Prev(), Subtrees: roots})
}

// UnmarshalJSON restores a state written by [Chain.MarshalJSON]. It
// returns an error matching [ErrMalformed], and leaves c unchanged, if b
// is not such a state.
func (c *Chain) UnmarshalJSON(b []byte) error {
	var j chainJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return malformedf("chain state: %v", err)
	}
	if dec.More() {
		return malformedf("chain state: data after the object")
	}
	if j.Format != chainFormat {
		return malformedf("chain state: /format is %q, want %q", j.Format, chainFormat)
	}
	if !validLinkHash(j.Prev) {
		return malformedf("chain state: /prev is not a link hash (sha256:<64 lowercase hex digits>)")
	}
	return c.restore(j.Size, j.Prev, j.Subtrees)
}

// restore sets c to the state of n lines, the last with link hash prev,
// and the subtree roots given.
func (c *Chain) restore(n int64, prev string, roots []tlog.Hash) error {
	if n < 0 {
		return malformedf("chain state: negative size %d", n)
	}
	if (n == 0) != (prev == Genesis) {
		return malformedf("chain state: a chain of %d lines with prev %s", n, prev)
	}
	// A tree of n leaves has one perfect subtree per bit set in n.
	want := 0
	for k := n; k != 0; k &= k - 1 {
		want++
	}
	if len(roots) != want {
		return malformedf("chain state: %d subtree hashes, want %d for %d lines", len(roots), want, n)
	}
	c.fr = frontier{n: n, roots: append([]tlog.Hash(nil), roots...)}
	copy(c.prev[:], prev)
	c.started = n > 0
	return nil
}

// Sign returns the signed note of c, signed by s, whose name must be c's
// origin.
func (c Checkpoint) Sign(s note.Signer) ([]byte, error) {
	if s.Name() != c.Origin {
		return nil, invalidf("sign checkpoint: signer %q is not the origin %q", s.Name(), c.Origin)
	}
	return signCheckpoint(c, s)
}

// CheckpointLine returns the line, with its newline, that holds the signed
// checkpoint note in a checkpoints file (see [CheckpointsSuffix]).
func CheckpointLine(signed []byte) ([]byte, error) {
	line, err := json.Marshal(checkpointLine{Note: string(signed)})
	if err != nil {
		return nil, fmt.Errorf("evidence: checkpoint line: %w", err)
	}
	return append(line, '\n'), nil
}
