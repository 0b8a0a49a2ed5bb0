package evidence

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cosignatureAlg is the signature type byte of Ed25519 cosignatures
// (C2SP tlog-cosignature, cosignature/v1) in key ids and verifier keys.
const cosignatureAlg = 0x04

// WitnessKey is the public key of a witness that cosigns checkpoints in
// the C2SP tlog-cosignature format (Ed25519, cosignature/v1). Its text
// form, a verifier key ("vkey"), is "<name>+<hash>+<base64(0x04 || key)>",
// where hash is the key id in hex: the first four bytes of
// SHA-256(name || "\n" || 0x04 || key). It is a plain value.
type WitnessKey struct {
	// Name names the witness, usually a schema-less URL.
	Name string
	// Public is the Ed25519 public key.
	Public ed25519.PublicKey
}

// NewWitnessKey returns the witness key of pub under name. The name must
// be non-empty and contain neither spaces nor "+".
func NewWitnessKey(name string, pub ed25519.PublicKey) (WitnessKey, error) {
	if !validKeyName(name) {
		return WitnessKey{}, invalidf("witness name %q: want a non-empty name without spaces or +", name)
	}
	if len(pub) != ed25519.PublicKeySize {
		return WitnessKey{}, invalidf("witness public key: %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	return WitnessKey{Name: name, Public: bytes.Clone(pub)}, nil
}

// ParseWitnessKey parses a witness verifier key (see [WitnessKey]). It
// returns an error matching [ErrMalformed] for anything else, such as the
// verifier key of a log (type 0x01).
func ParseWitnessKey(vkey string) (WitnessKey, error) {
	vkey = strings.TrimSpace(vkey)
	name, rest, ok1 := strings.Cut(vkey, "+")
	hashText, keyText, ok2 := strings.Cut(rest, "+")
	if !ok1 || !ok2 || !validKeyName(name) || len(hashText) != 8 || !isLowerHex(hashText) {
		return WitnessKey{}, malformedf("witness key %q: want name+hash+key", vkey)
	}
	key, err := base64.StdEncoding.Strict().DecodeString(keyText)
	if err != nil || len(key) != 1+ed25519.PublicKeySize || key[0] != cosignatureAlg {
		return WitnessKey{}, malformedf("witness key %q: want base64 of 0x04 and a 32-byte Ed25519 key", vkey)
	}
	k := WitnessKey{Name: name, Public: ed25519.PublicKey(key[1:])}
	if fmt.Sprintf("%08x", k.KeyID()) != hashText {
		return WitnessKey{}, malformedf("witness key %q: the hash is not the key id of the name and key", vkey)
	}
	return k, nil
}

// KeyID returns the key id of the cosignatures of k.
func (k WitnessKey) KeyID() uint32 {
	h := sha256.New()
	h.Write([]byte(k.Name))
	h.Write([]byte{'\n', cosignatureAlg})
	h.Write(k.Public)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// String returns the verifier key of k.
func (k WitnessKey) String() string {
	return fmt.Sprintf("%s+%08x+%s", k.Name, k.KeyID(),
		base64.StdEncoding.EncodeToString(append([]byte{cosignatureAlg}, k.Public...)))
}

// Cosigner makes cosignatures (C2SP tlog-cosignature, Ed25519
// cosignature/v1) of checkpoints. It is immutable and safe for concurrent
// use. The zero value is not usable; use [NewCosigner].
type Cosigner struct {
	key  WitnessKey
	priv ed25519.PrivateKey
}

// NewCosigner returns a cosigner that signs with priv under name.
func NewCosigner(name string, priv ed25519.PrivateKey) (*Cosigner, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, invalidf("cosigner private key: %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	priv = ed25519.NewKeyFromSeed(priv.Seed())
	k, err := NewWitnessKey(name, priv.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	return &Cosigner{key: k, priv: priv}, nil
}

// Key returns the cosigner's public key.
func (c *Cosigner) Key() WitnessKey { return c.key }

// Cosign returns the note signature line ("— name base64\n") that
// cosigns the checkpoint whose note text (the body, without signature
// lines) is text, at time t, truncated to the second. t must not be
// before 1970.
func (c *Cosigner) Cosign(text string, t time.Time) ([]byte, error) {
	if !strings.HasSuffix(text, "\n") {
		return nil, invalidf("cosign: the checkpoint text does not end with a newline")
	}
	ts := t.Unix()
	if ts <= 0 {
		return nil, invalidf("cosign: time %v is not after 1970", t)
	}
	sig := make([]byte, 4, 4+8+ed25519.SignatureSize)
	binary.BigEndian.PutUint32(sig, c.key.KeyID())
	sig = binary.BigEndian.AppendUint64(sig, uint64(ts))
	sig = append(sig, ed25519.Sign(c.priv, cosignedMessage(text, uint64(ts)))...)
	line := "\u2014 " + c.key.Name + " " + base64.StdEncoding.EncodeToString(sig) + "\n"
	return []byte(line), nil
}

// cosignedMessage is the message an Ed25519 cosignature/v1 signs.
func cosignedMessage(text string, ts uint64) []byte {
	return []byte("cosignature/v1\ntime " + strconv.FormatUint(ts, 10) + "\n" + text)
}

// Cosignature is a verified cosignature of a checkpoint.
type Cosignature struct {
	// Witness is the key that made it.
	Witness WitnessKey
	// Time is when the witness made it, as it says.
	Time time.Time
}

// CheckCosignature reports whether the signature line line (with or
// without its "— " prefix and newline) is a valid cosignature by k of the
// checkpoint whose note text is text, and when it was made.
func CheckCosignature(k WitnessKey, text string, line []byte) (time.Time, bool) {
	s := strings.TrimSuffix(string(line), "\n")
	s = strings.TrimPrefix(s, "\u2014 ")
	name, sigText, ok := strings.Cut(s, " ")
	if !ok || name != k.Name || len(k.Public) != ed25519.PublicKeySize {
		return time.Time{}, false
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(sigText)
	if err != nil || len(sig) != 4+8+ed25519.SignatureSize || binary.BigEndian.Uint32(sig) != k.KeyID() {
		return time.Time{}, false
	}
	ts := binary.BigEndian.Uint64(sig[4:])
	if ts == 0 || ts > 1<<63-1 {
		return time.Time{}, false
	}
	if !ed25519.Verify(k.Public, cosignedMessage(text, ts), sig[12:]) {
		return time.Time{}, false
	}
	return time.Unix(int64(ts), 0).UTC(), true
}

// Cosignatures returns the valid cosignatures, by the witnesses in keys,
// of the signed checkpoint signed, in the order of keys, one per witness.
// Signature lines of other keys, and lines that do not verify, are
// skipped. It does not check the log's own signature; see
// [OpenCheckpoint].
func Cosignatures(signed []byte, keys []WitnessKey) []Cosignature {
	text, ok := splitNote(signed)
	if !ok {
		return nil
	}
	sigs := noteSignatureLines(signed)
	var out []Cosignature
	for _, k := range keys {
		for _, line := range sigs {
			if t, ok := CheckCosignature(k, text, line); ok {
				out = append(out, Cosignature{Witness: k, Time: t})
				break
			}
		}
	}
	return out
}

// noteSignatureLines returns the signature lines of a signed note, each
// with its newline.
func noteSignatureLines(signed []byte) [][]byte {
	i := bytes.Index(signed, []byte("\n\n"))
	if i < 0 {
		return nil
	}
	var out [][]byte
	for _, line := range bytes.SplitAfter(signed[i+2:], []byte("\n")) {
		if bytes.HasPrefix(line, []byte("\u2014 ")) && bytes.HasSuffix(line, []byte("\n")) {
			out = append(out, line)
		}
	}
	return out
}

// addSignatureLines returns the signed note with the signature lines
// appended that it does not hold yet.
func addSignatureLines(signed []byte, lines [][]byte) []byte {
	have := noteSignatureLines(signed)
	out := bytes.Clone(signed)
next:
	for _, l := range lines {
		for _, h := range have {
			if bytes.Equal(h, l) {
				continue next
			}
		}
		out = append(out, l...)
		have = append(have, l)
	}
	return out
}
