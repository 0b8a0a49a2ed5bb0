package evidence

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
)

// ContentKeyMinSize is the smallest secret, in bytes, that
// [NewContentKey] accepts.
const ContentKeyMinSize = 32

// PseudonymPrefix starts every pseudonym that [ContentKey.Pseudonym]
// returns.
const PseudonymPrefix = "hmac-sha256:"

// Labels that derive the keys of a [ContentKey] from its secret. They
// separate the uses of one secret, so that the keyed digest of a text and
// the pseudonym of the same text are unrelated.
const (
	labelDigest    = "aimskit.dev/evidence/content-digest/v1"
	labelPseudonym = "aimskit.dev/evidence/pseudonym/v1"
)

// ContentKey makes keyed digests of content and pseudonyms of identities
// under a secret of the deployment.
//
// A plain [DigestContent] lets anyone who holds the content show that it
// is what was recorded, but also lets anyone who reads the evidence test
// guesses: a model output such as "decline", "approve" or "refer" is
// recovered by hashing three words, and a reviewer's e-mail address by
// hashing the staff list. [ContentKey.Digest] returns an HMAC-SHA-256 of
// the content instead, which cannot be computed without the key, and
// [ContentKey.Pseudonym] does the same for identities such as reviewers.
//
// The trade-off, plainly:
//
//   - A keyed digest verifies only with the key. An auditor who holds the
//     content needs the key too, or someone who has it, to show that the
//     content is what was recorded ([ContentKey.Matches]).
//   - Losing the key makes every keyed digest and pseudonym made with it
//     unverifiable and unlinkable for good. Keep the secret as long as the
//     evidence, and back it up like a signing key.
//   - Whoever holds the key can still test guesses, just as anyone can
//     with plain digests. Keep the secret secret, give each deployment its
//     own, and never use it for anything else.
//   - The length of the content is still recorded in the clear.
//
// The key id ([ContentKey.ID]), recorded in each keyed [Content], tells a
// verifier which key to use; it is derived from the secret by a one-way
// function and does not reveal it.
//
// The zero value is not usable; use [NewContentKey]. A ContentKey is
// immutable and safe for concurrent use. It implements [slog.LogValuer]
// and [fmt.Stringer] so that logging or printing it shows only its id.
type ContentKey struct {
	digest    []byte // HMAC key of content digests
	pseudonym []byte // HMAC key of pseudonyms
	id        string
}

// NewContentKey returns a key derived from secret, which must hold at
// least [ContentKeyMinSize] bytes from a secure random source, such as 32
// bytes from crypto/rand kept in a secret store. The same secret always
// gives the same key. NewContentKey does not keep secret. It returns an
// error matching [ErrInvalid] for a shorter secret.
func NewContentKey(secret []byte) (*ContentKey, error) {
	if len(secret) < ContentKeyMinSize {
		return nil, invalidf("new content key: secret has %d bytes, want at least %d", len(secret), ContentKeyMinSize)
	}
	k := &ContentKey{
		digest:    mac(secret, []byte(labelDigest)),
		pseudonym: mac(secret, []byte(labelPseudonym)),
	}
	sum := sha256.Sum256(k.digest)
	k.id = hex.EncodeToString(sum[:4])
	return k, nil
}

// mac returns the HMAC-SHA-256 of b under key.
func mac(key, b []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(b)
	return h.Sum(nil)
}

// ID returns the key id: eight lower-case hex digits, the start of the
// SHA-256 digest of the key that [ContentKey.Digest] uses. It is recorded
// in every keyed [Content] as KeyID.
func (k *ContentKey) ID() string { return k.id }

// Digest returns the keyed [Content] of b: its HMAC-SHA-256 under k in
// HMACSHA256, k's id in KeyID, and its length.
func (k *ContentKey) Digest(b []byte) Content {
	return Content{HMACSHA256: hex.EncodeToString(mac(k.digest, b)), KeyID: k.id, Length: len(b)}
}

// Matches reports whether c stands for b. A keyed c matches when it was
// made with k ([ContentKey.Digest]); a keyed c made with another key never
// matches. A plain c ([DigestContent]) matches when it holds b's SHA-256
// digest, which needs no key. The length must match too.
func (k *ContentKey) Matches(b []byte, c Content) bool {
	var want Content
	switch {
	case c.HMACSHA256 != "" && c.SHA256 == "":
		want = k.Digest(b)
	case c.SHA256 != "" && c.HMACSHA256 == "":
		want = DigestContent(b)
	default:
		return false
	}
	return c.KeyID == want.KeyID && c.Length == want.Length &&
		subtle.ConstantTimeCompare([]byte(c.SHA256+c.HMACSHA256), []byte(want.SHA256+want.HMACSHA256)) == 1
}

// Pseudonym returns a pseudonym of id, such as a reviewer's e-mail
// address: [PseudonymPrefix] followed by the lower-case hex HMAC-SHA-256 of
// id under a key derived from k's secret, other than the one of
// [ContentKey.Digest]. The same id always gives the same pseudonym under
// the same key, so that the decisions of one reviewer can be told apart
// from another's without naming either. An empty id gives "".
func (k *ContentKey) Pseudonym(id string) string {
	if id == "" {
		return ""
	}
	return PseudonymPrefix + hex.EncodeToString(mac(k.pseudonym, []byte(id)))
}

// String returns "evidence.ContentKey(ID)", never the key.
func (k *ContentKey) String() string { return "evidence.ContentKey(" + k.id + ")" }

// GoString returns the same as [ContentKey.String], so that %#v does not
// print the key either.
func (k *ContentKey) GoString() string { return k.String() }

// LogValue implements [slog.LogValuer]: it logs the key id only.
func (k *ContentKey) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", k.id))
}

var _ slog.LogValuer = (*ContentKey)(nil)
