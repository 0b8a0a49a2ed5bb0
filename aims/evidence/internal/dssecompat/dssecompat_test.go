package dssecompat_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"testing"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/secure-systems-lab/go-securesystemslib/signerverifier"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
)

// The interfaces have the same method sets, so each side's signers and
// verifiers are the other's.
var (
	_ evidence.Signer   = dsse.Signer(nil)
	_ evidence.Verifier = dsse.Verifier(nil)
	_ dsse.Signer       = (*evidence.Ed25519Signer)(nil)
	_ dsse.Verifier     = (*evidence.Ed25519Verifier)(nil)
	_ evidence.Signer   = (*signerverifier.ED25519SignerVerifier)(nil)
	_ evidence.Verifier = (*signerverifier.ED25519SignerVerifier)(nil)
)

// keys returns a fixed key as aimskit's signer and verifier and as
// securesystemslib's signer-verifier, loaded from aimskit's PEM key file.
func keys(tb testing.TB, seed byte) (*evidence.Ed25519Signer, *evidence.Ed25519Verifier, *signerverifier.ED25519SignerVerifier) {
	tb.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	s, err := evidence.NewEd25519Signer(priv)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := evidence.NewEd25519Verifier(priv.Public().(ed25519.PublicKey))
	if err != nil {
		tb.Fatal(err)
	}
	pemKey, err := evidence.MarshalPrivateKey(priv)
	if err != nil {
		tb.Fatal(err)
	}
	key, err := signerverifier.LoadKey(pemKey)
	if err != nil {
		tb.Fatalf("securesystemslib cannot load aimskit's private key file: %v", err)
	}
	key.KeyID = evidence.KeyID(priv.Public().(ed25519.PublicKey))
	sv, err := signerverifier.NewED25519SignerVerifierFromSSLibKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	return s, v, sv
}

// convert moves an envelope from one implementation to the other through
// its JSON form, as a file would.
func convert[T any](tb testing.TB, from any) *T {
	tb.Helper()
	b, err := json.Marshal(from)
	if err != nil {
		tb.Fatal(err)
	}
	to := new(T)
	if err := json.Unmarshal(b, to); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
	return to
}

func TestPAE(t *testing.T) {
	for _, tt := range []struct{ typ, body string }{
		{"http://example.com/HelloWorld", "hello world"},
		{"", ""},
		{attest.PayloadTypeInToto, `{"_type":"https://in-toto.io/Statement/v1"}`},
		{"ünïcödé", "\x00\xff"},
	} {
		got, want := attest.PAE(tt.typ, []byte(tt.body)), dsse.PAE(tt.typ, []byte(tt.body))
		if !bytes.Equal(got, want) {
			t.Errorf("PAE(%q, %q) = %q, securesystemslib gives %q", tt.typ, tt.body, got, want)
		}
	}
}

func statement(tb testing.TB) *attest.Statement {
	tb.Helper()
	st, err := attest.NewStatement(attest.PredicateGateDecision, map[string]any{"outcome": "allow"},
		evidence.DigestContent([]byte("model")).Subject("model.onnx"))
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// TestAimskitToSecureSystemsLib signs with aimskit and verifies with
// securesystemslib's envelope verifier and its own Ed25519 verifier.
func TestAimskitToSecureSystemsLib(t *testing.T) {
	ctx := context.Background()
	s, v, sv := keys(t, 1)
	env, err := attest.SignStatement(ctx, s, statement(t))
	if err != nil {
		t.Fatal(err)
	}
	theirs := convert[dsse.Envelope](t, env)

	for name, verifier := range map[string]dsse.Verifier{"securesystemslib key": sv, "aimskit key": v} {
		t.Run(name, func(t *testing.T) {
			ev, err := dsse.NewEnvelopeVerifier(verifier)
			if err != nil {
				t.Fatal(err)
			}
			accepted, payload, err := ev.VerifyAndDecode(ctx, theirs)
			if err != nil {
				t.Fatalf("securesystemslib VerifyAndDecode() = %v", err)
			}
			if len(accepted) != 1 {
				t.Errorf("accepted %d keys, want 1", len(accepted))
			}
			want, _ := json.Marshal(statement(t))
			if !bytes.Equal(payload, want) {
				t.Errorf("payload = %s, want %s", payload, want)
			}
		})
	}

	// A changed payload fails there too.
	theirs.PayloadType = "application/json"
	ev, _ := dsse.NewEnvelopeVerifier(sv)
	if _, err := ev.Verify(ctx, theirs); err == nil {
		t.Error("securesystemslib verified an envelope whose payload type was changed")
	}
}

// TestSecureSystemsLibToAimskit signs with securesystemslib and verifies
// with aimskit.
func TestSecureSystemsLibToAimskit(t *testing.T) {
	ctx := context.Background()
	_, v, sv := keys(t, 2)
	payload, err := json.Marshal(statement(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, signer := range map[string]dsse.Signer{"securesystemslib key": sv} {
		t.Run(name, func(t *testing.T) {
			es, err := dsse.NewEnvelopeSigner(signer)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := es.SignPayload(ctx, attest.PayloadTypeInToto, payload)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(theirs)
			ours, err := attest.ParseEnvelope(b)
			if err != nil {
				t.Fatalf("ParseEnvelope(%s) = %v", b, err)
			}
			for vname, verifier := range map[string]evidence.Verifier{"aimskit key": v, "securesystemslib key": sv} {
				got, err := attest.VerifyStatement(ctx, ours, verifier)
				if err != nil {
					t.Fatalf("%s: VerifyStatement() = %v", vname, err)
				}
				if got.PredicateType != attest.PredicateGateDecision {
					t.Errorf("%s: predicate type = %q", vname, got.PredicateType)
				}
			}
			if _, err := ours.Verify(ctx, "application/json", v); !errors.Is(err, attest.ErrPayloadType) {
				t.Errorf("Verify(other type) = %v, want an error matching ErrPayloadType", err)
			}
		})
	}
}

// TestSignersAcrossImplementations puts each side's signer into the other
// side's envelope signing.
func TestSignersAcrossImplementations(t *testing.T) {
	ctx := context.Background()
	s, v, sv := keys(t, 3)
	payload := []byte(`{"hello":"world"}`)

	es, err := dsse.NewEnvelopeSigner(s) // aimskit's signer in securesystemslib
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := es.SignPayload(ctx, "application/example", payload)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := convert[attest.Envelope](t, theirs).Verify(ctx, "application/example", v); err != nil || !bytes.Equal(got, payload) {
		t.Errorf("aimskit Verify() = %q, %v", got, err)
	}

	ours, err := attest.Sign(ctx, sv, "application/example", payload) // securesystemslib's signer in aimskit
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := dsse.NewEnvelopeVerifier(v)
	if _, got, err := ev.VerifyAndDecode(ctx, convert[dsse.Envelope](t, ours)); err != nil || !bytes.Equal(got, payload) {
		t.Errorf("securesystemslib VerifyAndDecode() = %q, %v", got, err)
	}
	// Both sides make the same Ed25519 signature over the same PAE.
	if ours.Signatures[0].Sig != theirs.Signatures[0].Sig {
		t.Errorf("signatures differ: aimskit %s, securesystemslib %s", ours.Signatures[0].Sig, theirs.Signatures[0].Sig)
	}
}
