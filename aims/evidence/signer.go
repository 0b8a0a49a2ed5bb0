package evidence

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
)

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
