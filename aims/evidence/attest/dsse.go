package attest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aimskit/aimskit/aims/evidence"
)

// PayloadTypeInToto is the DSSE payload type of an in-toto [Statement].
const PayloadTypeInToto = "application/vnd.in-toto+json"

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
func Sign(ctx context.Context, signer evidence.Signer, payloadType string, payload []byte) (*Envelope, error) {
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
func (e *Envelope) AddSignature(ctx context.Context, signer evidence.Signer) error {
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
func (e *Envelope) Verify(ctx context.Context, payloadType string, verifiers ...evidence.Verifier) ([]byte, error) {
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

// keyedVerifier is a verifier with its key id, "" if it has none.
type keyedVerifier struct {
	v  evidence.Verifier
	id string
}

// keyedVerifiers returns the verifiers that are not nil with their key
// ids.
func keyedVerifiers(verifiers []evidence.Verifier) []keyedVerifier {
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
