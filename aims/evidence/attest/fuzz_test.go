package attest_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
)

// FuzzEnvelope checks that decoding and verifying envelopes never panics,
// that a verified payload is the envelope's, and that an envelope
// ParseEnvelope accepts survives a round trip through JSON.
func FuzzEnvelope(f *testing.F) {
	s, v := testSigner(f, 1)
	env, err := attest.Sign(f.Context(), s, attest.PayloadTypeInToto, []byte(`{"_type":"https://in-toto.io/Statement/v1"}`))
	if err != nil {
		f.Fatal(err)
	}
	b, _ := json.Marshal(env)
	f.Add(b)
	f.Add([]byte(`{"payloadType":"t","payload":"","signatures":[{"keyid":"","sig":"AA"}]}`))
	f.Add([]byte(`{"payloadType":"t","payload":"-_-_","signatures":[{"sig":"*"}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := attest.ParseEnvelope(b)
		if err != nil {
			if !errors.Is(err, evidence.ErrMalformed) {
				t.Fatalf("ParseEnvelope() = %v, want an error matching ErrMalformed", err)
			}
			return
		}
		if payload, err := e.Verify(t.Context(), e.PayloadType, v); err == nil {
			if _, err := e.Verify(t.Context(), e.PayloadType+"x", v); !errors.Is(err, attest.ErrPayloadType) {
				t.Errorf("Verify(other type) = %v, want an error matching ErrPayloadType", err)
			}
			if !decodesTo(e.Payload, payload) {
				t.Errorf("Verify() payload %q is not the envelope's %q", payload, e.Payload)
			}
		}
		_, _ = attest.VerifyStatement(t.Context(), e, v)
		again, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		e2, err := attest.ParseEnvelope(again)
		if err != nil {
			t.Fatalf("ParseEnvelope(%s) = %v after a round trip", again, err)
		}
		if diff := cmp.Diff(e, e2); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
	})
}

// FuzzReadBundle checks that ReadBundle never panics and that a bundle it
// reads is read the same after WriteBundle.
func FuzzReadBundle(f *testing.F) {
	s, _ := testSigner(f, 1)
	var buf bytes.Buffer
	for _, p := range []string{"a", "b"} {
		env, err := attest.Sign(f.Context(), s, "t", []byte(p))
		if err != nil {
			f.Fatal(err)
		}
		if err := attest.WriteBundle(&buf, env); err != nil {
			f.Fatal(err)
		}
	}
	f.Add(buf.Bytes())
	f.Add([]byte("\n\n{}\n"))
	f.Add([]byte(`{"payloadType":"t","payload":"","signatures":[{"sig":"AA=="}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		envs, err := attest.ReadBundle(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, evidence.ErrMalformed) {
				t.Fatalf("ReadBundle() = %v, want an error matching ErrMalformed", err)
			}
			return
		}
		var out bytes.Buffer
		if err := attest.WriteBundle(&out, envs...); err != nil {
			t.Fatal(err)
		}
		again, err := attest.ReadBundle(&out)
		if err != nil {
			t.Fatalf("ReadBundle(written bundle) = %v", err)
		}
		if diff := cmp.Diff(envs, again); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
	})
}

// decodesTo reports whether s is payload in one of the base64 encodings
// DSSE allows.
func decodesTo(s string, payload []byte) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && bytes.Equal(b, payload) {
			return true
		}
	}
	return false
}
