package evidence

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"io"
)

// PEM block types of the key files.
const (
	pemPrivateKey = "PRIVATE KEY"
	pemPublicKey  = "PUBLIC KEY"
)

// GenerateKey returns a new Ed25519 key pair, for signing envelopes (see
// [NewEd25519Signer]) and checkpoints (see [NewNoteSigner]). It reads 32
// bytes from random; a nil random means a secure source. A fixed reader
// gives a fixed key, for tests.
func GenerateKey(random io.Reader) (ed25519.PublicKey, ed25519.PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(random)
	if err != nil {
		return nil, nil, invalidf("generate key: %v", err)
	}
	return pub, priv, nil
}

// MarshalPrivateKey returns priv as a PEM block of type "PRIVATE KEY"
// holding PKCS #8 DER, the form "openssl genpkey -algorithm ed25519"
// writes. The caller must keep the result secret, e.g. in a file of mode
// 0600.
func MarshalPrivateKey(priv ed25519.PrivateKey) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, invalidf("ed25519 private key: %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, invalidf("private key: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
}

// ParsePrivateKey parses the first PEM block in b as an Ed25519 private
// key in PKCS #8. The error matches [ErrMalformed].
func ParsePrivateKey(b []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != pemPrivateKey {
		return nil, malformedf("private key: no %q PEM block", pemPrivateKey)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, malformedf("private key: %v", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, malformedf("private key: %T is not an Ed25519 key", k)
	}
	return priv, nil
}

// MarshalPublicKey returns pub as a PEM block of type "PUBLIC KEY" holding
// PKIX (SubjectPublicKeyInfo) DER.
func MarshalPublicKey(pub ed25519.PublicKey) ([]byte, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, invalidf("ed25519 public key: %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, invalidf("public key: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPublicKey, Bytes: der}), nil
}

// ParsePublicKey parses the first PEM block in b as an Ed25519 public key
// in PKIX form. The error matches [ErrMalformed].
func ParsePublicKey(b []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != pemPublicKey {
		return nil, malformedf("public key: no %q PEM block", pemPublicKey)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, malformedf("public key: %v", err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, malformedf("public key: %T is not an Ed25519 key", k)
	}
	return pub, nil
}
