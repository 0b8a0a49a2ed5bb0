package evidence

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Genesis is the value of [Record.Prev] in the first record of a log.
const Genesis = "sha256:0000000000000000000000000000000000000000000000000000000000000000"

// LinkHash returns the hash that the record after line stores in
// [Record.Prev]: "sha256:" followed by the lower-case hex SHA-256 digest
// of line, the exact bytes of a log line without its newline.
func LinkHash(line []byte) string {
	return string(appendLinkHash(nil, line))
}

// linkLine makes the log line of a record: dst[start:] holds the
// record's JSON object without "prev" and without its closing brace
// (as [recordEncoder.appendRecord] writes it, less the last byte).
// linkLine appends the "prev" member set to *prev and the closing brace,
// sets *prev to the line's [LinkHash], ready for the next line, and
// returns the extended buffer. It is the one place that links lines:
// [Chain.AppendLine] and [FileLog.Append] both use it.
func linkLine(dst []byte, start int, prev *[linkHashLen]byte) []byte {
	dst = append(dst, `,"prev":"`...)
	dst = append(dst, prev[:]...)
	dst = append(dst, `"}`...)
	appendLinkHash(prev[:0], dst[start:])
	return dst
}

func appendLinkHash(dst, line []byte) []byte {
	sum := sha256.Sum256(line)
	dst = append(dst, "sha256:"...)
	return hex.AppendEncode(dst, sum[:])
}

func validLinkHash(s string) bool {
	hexPart, ok := strings.CutPrefix(s, "sha256:")
	return ok && len(hexPart) == 64 && isLowerHex(hexPart)
}

// Checkpoint is the signed statement of a log's state: its origin, the
// number of records and the RFC 6962 Merkle tree hash over those records.
// Its text form follows the C2SP tlog-checkpoint specification:
//
//	<origin>
//	<size>
//	<base64 root hash>
//
// and it is signed as a C2SP signed note (the format of
// [golang.org/x/mod/sumdb/note]) by the log's key, whose name is the
// origin. The leaves of the tree are the log's lines without their
// newlines, hashed with [tlog.RecordHash].
//
// Checkpoint is a plain value.
type Checkpoint struct {
	// Origin names the log. It is the name of the key that signs the
	// log's checkpoints.
	Origin string
	// Size is the number of records the checkpoint covers.
	Size int64
	// Root is the Merkle tree hash of the first Size records.
	Root tlog.Hash
}

// Text returns the checkpoint's note text, which is what is signed.
func (c Checkpoint) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
}

// parseCheckpointText parses a checkpoint's note text. Extension lines
// after the root hash are allowed and ignored, as the C2SP specification
// says.
func parseCheckpointText(text string) (Checkpoint, error) {
	lines := strings.SplitAfterN(text, "\n", 4)
	if len(lines) < 3 || !strings.HasSuffix(lines[2], "\n") {
		return Checkpoint{}, malformedf("checkpoint: want origin, size and root hash lines")
	}
	origin := strings.TrimSuffix(lines[0], "\n")
	if !validKeyName(origin) {
		return Checkpoint{}, malformedf("checkpoint: origin %q is not a valid key name", origin)
	}
	sizeText := strings.TrimSuffix(lines[1], "\n")
	size, err := strconv.ParseInt(sizeText, 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != sizeText {
		return Checkpoint{}, malformedf("checkpoint: size %q is not a decimal number", sizeText)
	}
	root, err := base64.StdEncoding.Strict().DecodeString(strings.TrimSuffix(lines[2], "\n"))
	if err != nil || len(root) != tlog.HashSize {
		return Checkpoint{}, malformedf("checkpoint: root hash is not %d bytes of base64", tlog.HashSize)
	}
	c := Checkpoint{Origin: origin, Size: size}
	copy(c.Root[:], root)
	return c, nil
}

// OpenCheckpoint verifies a signed checkpoint with the note verifier key
// verifierKey (see [NoteVerifierKey]) and returns what it says. The origin
// must be the key's name. A malformed note or key gives an error matching
// [ErrMalformed]; a note signed by other keys only, a [*KeyError] matching
// [ErrWrongKey]; a note whose signature by the key does not verify, an
// error matching [ErrVerification].
func OpenCheckpoint(signed []byte, verifierKey string) (Checkpoint, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return Checkpoint{}, malformedf("verifier key: %v", err)
	}
	return openCheckpointDiagnosed(signed, v)
}

func openCheckpoint(signed []byte, v note.Verifier) (Checkpoint, error) {
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			return Checkpoint{}, unverifiedf("checkpoint: not signed by %s", v.Name())
		case errors.As(err, &invalid):
			return Checkpoint{}, unverifiedf("checkpoint: bad signature by %s", v.Name())
		default:
			return Checkpoint{}, malformedf("checkpoint: %v", err)
		}
	}
	c, err := parseCheckpointText(n.Text)
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != v.Name() {
		return Checkpoint{}, unverifiedf("checkpoint: origin %q is not the key name %q", c.Origin, v.Name())
	}
	return c, nil
}

// openCheckpointDiagnosed is openCheckpoint that tells a checkpoint signed
// by another key, or under another origin, from a forged one: the first
// gives a [*KeyError], the second an error matching [ErrVerification].
func openCheckpointDiagnosed(signed []byte, v note.Verifier) (Checkpoint, error) {
	c, err := openCheckpoint(signed, v)
	if err == nil || !errors.Is(err, ErrVerification) {
		return c, err
	}
	var unverified *note.UnverifiedNoteError
	if _, oerr := note.Open(signed, note.VerifierList(v)); !errors.As(oerr, &unverified) {
		return c, err
	}
	ke := &KeyError{Given: fmt.Sprintf("%s+%08x", v.Name(), v.KeyHash()), Found: noteSigners(signed)}
	if text, ok := splitNote(signed); ok {
		if pc, perr := parseCheckpointText(text); perr == nil {
			ke.Origin = pc.Origin
		}
	}
	return Checkpoint{}, ke
}

// noteSigners returns the keys that signed a note, as "name+hash", without
// verifying the signatures.
func noteSigners(signed []byte) []string {
	i := bytes.Index(signed, []byte("\n\n"))
	if i < 0 {
		return nil
	}
	var out []string
	for _, line := range strings.Split(string(signed[i+2:]), "\n") {
		rest, ok := strings.CutPrefix(line, "\u2014 ")
		if !ok {
			continue
		}
		name, sig, ok := strings.Cut(rest, " ")
		if !ok {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(sig)
		if err != nil || len(b) < 4 {
			continue
		}
		out = append(out, fmt.Sprintf("%s+%08x", name, binary.BigEndian.Uint32(b)))
	}
	return out
}

// signCheckpoint returns the signed note of c.
func signCheckpoint(c Checkpoint, s note.Signer) ([]byte, error) {
	msg, err := note.Sign(&note.Note{Text: c.Text()}, s)
	if err != nil {
		return nil, fmt.Errorf("evidence: sign checkpoint: %v", err)
	}
	return msg, nil
}

// NoteVerifierKey returns the verifier key, in the text form of
// [golang.org/x/mod/sumdb/note] ("<name>+<hash>+<key>"), that checks
// checkpoints signed with the private key of pub under name. Auditors need
// only this string to check a log's checkpoints and proofs. The name must
// be non-empty and contain neither spaces nor "+".
func NoteVerifierKey(name string, pub ed25519.PublicKey) (string, error) {
	if !validKeyName(name) {
		return "", invalidf("key name %q: want a non-empty name without spaces or +", name)
	}
	if len(pub) != ed25519.PublicKeySize {
		return "", invalidf("public key: %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		return "", invalidf("verifier key: %v", err)
	}
	return vkey, nil
}

// NewNoteSigner returns a signer of checkpoints, for [FileOptions.Signer],
// that signs with priv under name. The name is the log's origin; use the
// same name in [NoteVerifierKey].
func NewNoteSigner(name string, priv ed25519.PrivateKey) (note.Signer, error) {
	if !validKeyName(name) {
		return nil, invalidf("key name %q: want a non-empty name without spaces or +", name)
	}
	if len(priv) != ed25519.PrivateKeySize {
		return nil, invalidf("private key: %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	pub, ok := priv.Public().(ed25519.PublicKey)
	if !ok {
		return nil, invalidf("private key: no Ed25519 public key")
	}
	return &noteSigner{name: name, hash: noteKeyHash(name, pub), priv: priv}, nil
}

type noteSigner struct {
	name string
	hash uint32
	priv ed25519.PrivateKey
}

// verifier returns the note verifier of the signer's key.
func (s *noteSigner) verifier() note.Verifier {
	return &noteVerifier{name: s.name, hash: s.hash, pub: s.priv.Public().(ed25519.PublicKey)}
}

// noteVerifier verifies the Ed25519 signatures of a [noteSigner].
type noteVerifier struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
}

func (v *noteVerifier) Name() string    { return v.name }
func (v *noteVerifier) KeyHash() uint32 { return v.hash }
func (v *noteVerifier) Verify(msg, sig []byte) bool {
	return ed25519.Verify(v.pub, msg, sig)
}

func (s *noteSigner) Name() string                    { return s.name }
func (s *noteSigner) KeyHash() uint32                 { return s.hash }
func (s *noteSigner) Sign(msg []byte) ([]byte, error) { return ed25519.Sign(s.priv, msg), nil }

// noteKeyHash is the key hash of the note format: the first four bytes,
// big-endian, of SHA-256(name || "\n" || 0x01 || public key).
func noteKeyHash(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', 1})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// validKeyName reports whether name is valid as a note key name and
// checkpoint origin: non-empty UTF-8 without spaces or "+".
func validKeyName(name string) bool {
	return name != "" && utf8.ValidString(name) && strings.IndexFunc(name, unicode.IsSpace) < 0 &&
		!strings.Contains(name, "+")
}

// checkpointLine is one line of a checkpoints file.
type checkpointLine struct {
	// Note is the signed checkpoint.
	Note string `json:"note"`
}

// splitNote returns the text of a signed note, without checking the
// signatures.
func splitNote(signed []byte) (string, bool) {
	i := bytes.Index(signed, []byte("\n\n"))
	if i < 0 {
		return "", false
	}
	return string(signed[:i+1]), true
}

// ParseCheckpoint reads what a signed checkpoint says without verifying
// its signature, for a tool that must find a checkpoint before it has the
// key; use [OpenCheckpoint] to trust it. It returns an error matching
// [ErrMalformed] if signed is not a signed checkpoint.
func ParseCheckpoint(signed []byte) (Checkpoint, error) {
	text, ok := splitNote(signed)
	if !ok {
		return Checkpoint{}, malformedf("checkpoint: note has no signatures")
	}
	return parseCheckpointText(text)
}
