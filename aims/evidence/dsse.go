package evidence

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// PayloadTypeInToto is the DSSE payload type of an in-toto [Statement].
const PayloadTypeInToto = "application/vnd.in-toto+json"

// Signer signs DSSE envelopes. Its method set is that of the Signer of
// github.com/secure-systems-lab/go-securesystemslib/dsse, so a signer
// written for either works with both; a key in a KMS or HSM can be one.
//
// Sign returns the signature of data, which is the [PAE] encoding of an
// envelope's payload. KeyID returns a hint naming the key, which verifiers
// use only to pick a key, never to trust one; it may be "". A Signer must
// be safe for concurrent use.
type Signer interface {
	Sign(ctx context.Context, data []byte) ([]byte, error)
	KeyID() (string, error)
}

// Verifier verifies DSSE signatures. Its method set is that of the
// Verifier of github.com/secure-systems-lab/go-securesystemslib/dsse.
//
// Verify returns nil if sig is a valid signature of data by the key, and
// an error otherwise. KeyID is the key's hint, as for [Signer]; Public
// returns the public key. A Verifier must be safe for concurrent use.
type Verifier interface {
	Verify(ctx context.Context, data, sig []byte) error
	KeyID() (string, error)
	Public() crypto.PublicKey
}

// Envelope is a DSSE v1 envelope: a payload, its type and signatures over
// both. Its JSON form is the one of the DSSE specification.
//
// The zero value is an empty envelope that verifies with nothing. An
// Envelope is a plain value.
type Envelope struct {
	// PayloadType says how to interpret the payload, such as
	// [PayloadTypeInToto].
	PayloadType string `json:"payloadType"`
	// Payload is the payload, in standard base64.
	Payload string `json:"payload"`
	// Signatures are the signatures over [PAE](PayloadType, payload).
	Signatures []Signature `json:"signatures"`
}

// Signature is one signature in an [Envelope]. It is a plain value.
type Signature struct {
	// KeyID is the signer's unauthenticated hint naming its key.
	KeyID string `json:"keyid"`
	// Sig is the signature, in standard base64.
	Sig string `json:"sig"`
}

// PAE returns the DSSE v1 pre-authentication encoding of a payload of the
// given type, which is what is signed:
//
//	"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
//
// where LEN is the length in bytes in ASCII decimal and SP is a space.
func PAE(payloadType string, payload []byte) []byte {
	b := make([]byte, 0, len("DSSEv1")+len(payloadType)+len(payload)+24)
	b = append(b, "DSSEv1 "...)
	b = strconv.AppendInt(b, int64(len(payloadType)), 10)
	b = append(b, ' ')
	b = append(b, payloadType...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(len(payload)), 10)
	b = append(b, ' ')
	return append(b, payload...)
}

// Sign returns an envelope of payload, of the given type, signed by signer.
// It returns an error matching [ErrInvalid] for an empty payload type or a
// nil signer, and the signer's error, wrapped, if it fails.
func Sign(ctx context.Context, signer Signer, payloadType string, payload []byte) (*Envelope, error) {
	if payloadType == "" {
		return nil, invalidf("sign: empty payload type")
	}
	if signer == nil {
		return nil, invalidf("sign: nil signer")
	}
	e := &Envelope{
		PayloadType: payloadType,
		Payload:     base64.StdEncoding.EncodeToString(payload),
	}
	if err := e.AddSignature(ctx, signer); err != nil {
		return nil, err
	}
	return e, nil
}

// AddSignature signs e's payload with signer and appends the signature,
// so that an envelope can carry signatures by several keys. It returns an
// error matching [ErrMalformed] if the payload is not base64.
func (e *Envelope) AddSignature(ctx context.Context, signer Signer) error {
	if signer == nil {
		return invalidf("sign: nil signer")
	}
	payload, err := decodeBase64(e.Payload)
	if err != nil {
		return malformedf("envelope: payload is not base64")
	}
	keyID, err := signer.KeyID()
	if err != nil {
		return fmt.Errorf("evidence: sign: key id: %w", err)
	}
	sig, err := signer.Sign(ctx, PAE(e.PayloadType, payload))
	if err != nil {
		return fmt.Errorf("evidence: sign: %w", err)
	}
	e.Signatures = append(e.Signatures, Signature{KeyID: keyID, Sig: base64.StdEncoding.EncodeToString(sig)})
	return nil
}

// Verify checks that e has the payload type the caller expects and at
// least one signature that one of verifiers accepts, and returns the
// payload: exactly the bytes that were verified, which the caller should
// use rather than decode e again.
//
// A signature is tried with every verifier whose key id is empty, or
// equal to the signature's key id when that is not empty; key ids are
// hints and decide nothing else. Signatures that are not base64 are
// skipped.
//
// Verify returns an error matching [ErrPayloadType] if e's payload type is
// not payloadType; [ErrMalformed] if the payload is not base64; and
// [ErrVerification] if no signature verifies, saying why for each.
func (e *Envelope) Verify(ctx context.Context, payloadType string, verifiers ...Verifier) ([]byte, error) {
	if e == nil {
		return nil, malformedf("envelope: nil")
	}
	if e.PayloadType != payloadType {
		return nil, fmt.Errorf("%w: got %q, want %q", ErrPayloadType, e.PayloadType, payloadType)
	}
	payload, err := decodeBase64(e.Payload)
	if err != nil {
		return nil, malformedf("envelope: payload is not base64")
	}
	if len(verifiers) == 0 {
		return nil, invalidf("verify envelope: no verifiers")
	}
	if len(e.Signatures) == 0 {
		return nil, unverifiedf("envelope has no signatures")
	}
	vs := keyedVerifiers(verifiers)
	pae := PAE(e.PayloadType, payload)
	why := make([]string, 0, len(e.Signatures))
	for i, s := range e.Signatures {
		sig, err := decodeBase64(s.Sig)
		if err != nil {
			why = append(why, fmt.Sprintf("signature %d: not base64", i))
			continue
		}
		tried := false
		for _, v := range vs {
			if s.KeyID != "" && v.id != "" && s.KeyID != v.id {
				continue
			}
			tried = true
			if v.v.Verify(ctx, pae, sig) == nil {
				return payload, nil
			}
		}
		if tried {
			why = append(why, fmt.Sprintf("signature %d: does not verify", i))
		} else {
			why = append(why, fmt.Sprintf("signature %d: no verifier for key %q", i, s.KeyID))
		}
	}
	return nil, unverifiedf("envelope: no valid signature: %s", strings.Join(why, "; "))
}

// ParseEnvelope decodes an envelope from its JSON form and checks its
// shape: a payload type, a base64 payload and at least one signature, each
// in base64. Unknown fields are ignored. It does not verify signatures;
// use [Envelope.Verify]. The error matches [ErrMalformed].
func ParseEnvelope(b []byte) (*Envelope, error) {
	var e Envelope
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, malformedf("envelope: %v", err)
	}
	if e.PayloadType == "" {
		return nil, malformedf("envelope: no payloadType")
	}
	if _, err := decodeBase64(e.Payload); err != nil {
		return nil, malformedf("envelope: payload is not base64")
	}
	if len(e.Signatures) == 0 {
		return nil, malformedf("envelope: no signatures")
	}
	for i, s := range e.Signatures {
		if sig, err := decodeBase64(s.Sig); err != nil || len(sig) == 0 {
			return nil, malformedf("envelope: signature %d is not base64", i)
		}
	}
	return &e, nil
}

// decodeBase64 decodes standard or URL-safe base64, padded or not, as the
// DSSE specification asks verifiers to accept.
func decodeBase64(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

// KeyID returns the key id aimskit gives an Ed25519 public key: the
// lower-case hex SHA-256 digest of its 32 raw bytes.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:])
}

// Ed25519Signer is a [Signer] with an Ed25519 private key. Its key id is
// [KeyID] of the public key. It is immutable and safe for concurrent use.
// The zero value is not usable; use [NewEd25519Signer].
type Ed25519Signer struct {
	priv  ed25519.PrivateKey
	keyID string
}

var _ Signer = (*Ed25519Signer)(nil)

// NewEd25519Signer returns a signer with priv, which it copies. It returns
// an error matching [ErrInvalid] if priv is not an Ed25519 private key.
func NewEd25519Signer(priv ed25519.PrivateKey) (*Ed25519Signer, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, invalidf("ed25519 private key: %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	priv = ed25519.NewKeyFromSeed(priv.Seed())
	pub, _ := priv.Public().(ed25519.PublicKey)
	return &Ed25519Signer{priv: priv, keyID: KeyID(pub)}, nil
}

// Sign returns the Ed25519 signature of data.
func (s *Ed25519Signer) Sign(_ context.Context, data []byte) ([]byte, error) {
	if len(s.priv) != ed25519.PrivateKeySize {
		return nil, invalidf("sign: signer has no key")
	}
	return ed25519.Sign(s.priv, data), nil
}

// KeyID returns [KeyID] of the public key.
func (s *Ed25519Signer) KeyID() (string, error) { return s.keyID, nil }

// Public returns the public key, an [ed25519.PublicKey], or nil for the
// zero Ed25519Signer.
func (s *Ed25519Signer) Public() crypto.PublicKey {
	if len(s.priv) != ed25519.PrivateKeySize {
		return nil
	}
	return s.priv.Public()
}

// Ed25519Verifier is a [Verifier] with an Ed25519 public key. Its key id is
// [KeyID] of the key. It is immutable and safe for concurrent use. The
// zero value is not usable; use [NewEd25519Verifier].
type Ed25519Verifier struct {
	pub   ed25519.PublicKey
	keyID string
}

var _ Verifier = (*Ed25519Verifier)(nil)

// NewEd25519Verifier returns a verifier with pub, which it copies. It
// returns an error matching [ErrInvalid] if pub is not an Ed25519 public
// key.
func NewEd25519Verifier(pub ed25519.PublicKey) (*Ed25519Verifier, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, invalidf("ed25519 public key: %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	pub = append(ed25519.PublicKey(nil), pub...)
	return &Ed25519Verifier{pub: pub, keyID: KeyID(pub)}, nil
}

// Verify returns nil if sig is the Ed25519 signature of data by the key,
// and otherwise an error matching [ErrVerification].
func (v *Ed25519Verifier) Verify(_ context.Context, data, sig []byte) error {
	if len(v.pub) != ed25519.PublicKeySize || !ed25519.Verify(v.pub, data, sig) {
		return unverifiedf("ed25519 signature does not verify")
	}
	return nil
}

// KeyID returns [KeyID] of the key.
func (v *Ed25519Verifier) KeyID() (string, error) { return v.keyID, nil }

// Public returns the key, an [ed25519.PublicKey].
func (v *Ed25519Verifier) Public() crypto.PublicKey {
	return append(ed25519.PublicKey(nil), v.pub...)
}

// keyedVerifier is a verifier with its key id, "" if it has none.
type keyedVerifier struct {
	v  Verifier
	id string
}

// keyedVerifiers returns the verifiers that are not nil with their key
// ids.
func keyedVerifiers(verifiers []Verifier) []keyedVerifier {
	vs := make([]keyedVerifier, 0, len(verifiers))
	for _, v := range verifiers {
		if v == nil {
			continue
		}
		id, err := v.KeyID()
		if err != nil {
			id = ""
		}
		vs = append(vs, keyedVerifier{v, id})
	}
	return vs
}
