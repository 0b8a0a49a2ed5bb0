package attest_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
	"github.com/aimskit/aimskit/internal/schema"
)

func testSigner(tb testing.TB, seed byte) (*evidence.Ed25519Signer, *evidence.Ed25519Verifier) {
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
	return s, v
}

func TestPAE(t *testing.T) {
	tests := []struct {
		payloadType, payload, want string
	}{
		// The test vector of the DSSE specification, protocol.md.
		{"http://example.com/HelloWorld", "hello world", "DSSEv1 29 http://example.com/HelloWorld 11 hello world"},
		{"", "", "DSSEv1 0  0 "},
		{attest.PayloadTypeInToto, "{}", "DSSEv1 28 application/vnd.in-toto+json 2 {}"},
		{"t", "ünï", "DSSEv1 1 t 5 ünï"},
	}
	for _, tt := range tests {
		if got := string(attest.PAE(tt.payloadType, []byte(tt.payload))); got != tt.want {
			t.Errorf("PAE(%q, %q) = %q, want %q", tt.payloadType, tt.payload, got, tt.want)
		}
	}
}

func TestSignVerify(t *testing.T) {
	s, v := testSigner(t, 1)
	payload := []byte(`{"hello":"world"}`)
	env, err := attest.Sign(t.Context(), s, "application/example", payload)
	if err != nil {
		t.Fatal(err)
	}
	keyID, _ := s.KeyID()
	if want := evidence.KeyID(s.Public().(ed25519.PublicKey)); keyID != want {
		t.Errorf("KeyID() = %s, want %s", keyID, want)
	}
	if len(env.Signatures) != 1 || env.Signatures[0].KeyID != keyID {
		t.Errorf("signatures = %+v, want one with key id %s", env.Signatures, keyID)
	}
	got, err := env.Verify(t.Context(), "application/example", v)
	if err != nil {
		t.Fatalf("Verify() = %v", err)
	}
	if !bytes.Equal(got, payload) {
		t.Errorf("Verify() payload = %q, want %q", got, payload)
	}
	// The JSON form uses the names of the DSSE specification.
	b, _ := json.Marshal(env)
	for _, name := range []string{`"payloadType"`, `"payload"`, `"signatures"`, `"keyid"`, `"sig"`} {
		if !bytes.Contains(b, []byte(name)) {
			t.Errorf("envelope JSON %s lacks %s", b, name)
		}
	}
}

func TestEnvelopeVerifyFails(t *testing.T) {
	s, v := testSigner(t, 1)
	_, other := testSigner(t, 2)
	const typ = "application/example"
	good, err := attest.Sign(t.Context(), s, typ, []byte("payload"))
	if err != nil {
		t.Fatal(err)
	}
	change := func(f func(e *attest.Envelope)) *attest.Envelope {
		e := *good
		e.Signatures = append([]attest.Signature(nil), good.Signatures...)
		f(&e)
		return &e
	}
	tests := []struct {
		name      string
		env       *attest.Envelope
		typ       string
		verifiers []evidence.Verifier
		want      error
		message   string
	}{
		{"wrong payload type", good, attest.PayloadTypeInToto, []evidence.Verifier{v}, attest.ErrPayloadType, "got \"application/example\""},
		{"payload not base64", change(func(e *attest.Envelope) { e.Payload = "!!!" }), typ, []evidence.Verifier{v}, evidence.ErrMalformed, "payload is not base64"},
		{"payload changed", change(func(e *attest.Envelope) { e.Payload = base64Std([]byte("other")) }), typ, []evidence.Verifier{v}, evidence.ErrVerification, "does not verify"},
		{"payload type changed", change(func(e *attest.Envelope) { e.PayloadType = "x" }), "x", []evidence.Verifier{v}, evidence.ErrVerification, "does not verify"},
		{"no signatures", change(func(e *attest.Envelope) { e.Signatures = nil }), typ, []evidence.Verifier{v}, evidence.ErrVerification, "no signatures"},
		{"signature not base64", change(func(e *attest.Envelope) { e.Signatures[0].Sig = "***" }), typ, []evidence.Verifier{v}, evidence.ErrVerification, "not base64"},
		{"other key", good, typ, []evidence.Verifier{other}, evidence.ErrVerification, "no verifier for key"},
		{"other key without key id", change(func(e *attest.Envelope) { e.Signatures[0].KeyID = "" }), typ, []evidence.Verifier{other}, evidence.ErrVerification, "does not verify"},
		{"no verifiers", good, typ, nil, evidence.ErrInvalid, "no verifiers"},
		{"nil verifier only", good, typ, []evidence.Verifier{nil}, evidence.ErrVerification, "no verifier"},
		{"nil envelope", nil, typ, []evidence.Verifier{v}, evidence.ErrMalformed, "nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := tt.env.Verify(t.Context(), tt.typ, tt.verifiers...)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify() = %v, want an error matching %v", err, tt.want)
			}
			if payload != nil {
				t.Errorf("Verify() payload = %q, want nil", payload)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("Verify() = %q, want a message containing %q", err, tt.message)
			}
		})
	}
}

func TestEnvelopeVerifyAccepts(t *testing.T) {
	s, v := testSigner(t, 1)
	s2, v2 := testSigner(t, 2)
	const typ = "application/example"
	payload := []byte("payload?>>") // encodes to base64 with + and /
	good, err := attest.Sign(t.Context(), s, typ, payload)
	if err != nil {
		t.Fatal(err)
	}
	reencode := func(enc *base64.Encoding) *attest.Envelope {
		e := *good
		sig, _ := base64.StdEncoding.DecodeString(good.Signatures[0].Sig)
		e.Payload = enc.EncodeToString(payload)
		e.Signatures = []attest.Signature{{KeyID: good.Signatures[0].KeyID, Sig: enc.EncodeToString(sig)}}
		return &e
	}
	twoSigs := *good
	twoSigs.Signatures = append([]attest.Signature(nil), good.Signatures...)
	if err := twoSigs.AddSignature(t.Context(), s2); err != nil {
		t.Fatal(err)
	}
	junkFirst := *good
	junkFirst.Signatures = append([]attest.Signature{{KeyID: "junk", Sig: "???"}}, good.Signatures...)
	noKeyID := *good
	noKeyID.Signatures = []attest.Signature{{Sig: good.Signatures[0].Sig}}

	tests := []struct {
		name      string
		env       *attest.Envelope
		verifiers []evidence.Verifier
	}{
		{"standard base64", good, []evidence.Verifier{v}},
		{"URL-safe base64", reencode(base64.URLEncoding), []evidence.Verifier{v}},
		{"unpadded base64", reencode(base64.RawStdEncoding), []evidence.Verifier{v}},
		{"unpadded URL-safe base64", reencode(base64.RawURLEncoding), []evidence.Verifier{v}},
		{"second of two signatures", &twoSigs, []evidence.Verifier{v2}},
		{"second of two verifiers", good, []evidence.Verifier{v2, v}},
		{"junk signature first", &junkFirst, []evidence.Verifier{v}},
		{"signature without key id", &noKeyID, []evidence.Verifier{v2, v}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.env.Verify(t.Context(), typ, tt.verifiers...)
			if err != nil {
				t.Fatalf("Verify() = %v", err)
			}
			if !bytes.Equal(got, payload) {
				t.Errorf("Verify() = %q, want %q", got, payload)
			}
		})
	}
}

func TestSignErrors(t *testing.T) {
	s, _ := testSigner(t, 1)
	if _, err := attest.Sign(t.Context(), s, "", []byte("x")); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Sign(empty type) = %v, want an error matching ErrInvalid", err)
	}
	if _, err := attest.Sign(t.Context(), nil, "t", []byte("x")); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Sign(nil signer) = %v, want an error matching ErrInvalid", err)
	}
	boom := errors.New("kms unavailable")
	if _, err := attest.Sign(t.Context(), failingSigner{boom}, "t", []byte("x")); !errors.Is(err, boom) {
		t.Errorf("Sign(failing signer) = %v, want an error matching %v", err, boom)
	}
	if _, err := evidence.NewEd25519Signer(make([]byte, 10)); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("NewEd25519Signer(short key) = %v, want an error matching ErrInvalid", err)
	}
	if _, err := evidence.NewEd25519Verifier(make([]byte, 10)); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("NewEd25519Verifier(short key) = %v, want an error matching ErrInvalid", err)
	}
	e := &attest.Envelope{PayloadType: "t", Payload: "!!"}
	if err := e.AddSignature(t.Context(), s); !errors.Is(err, evidence.ErrMalformed) {
		t.Errorf("AddSignature(bad payload) = %v, want an error matching ErrMalformed", err)
	}
}

func TestEd25519ZeroValues(t *testing.T) {
	var s evidence.Ed25519Signer
	if _, err := s.Sign(t.Context(), []byte("x")); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("zero Ed25519Signer.Sign() = %v, want an error matching ErrInvalid", err)
	}
	if s.Public() != nil {
		t.Errorf("zero Ed25519Signer.Public() = %v, want nil", s.Public())
	}
	var v evidence.Ed25519Verifier
	if err := v.Verify(t.Context(), []byte("x"), make([]byte, 64)); !errors.Is(err, evidence.ErrVerification) {
		t.Errorf("zero Ed25519Verifier.Verify() = %v, want an error matching ErrVerification", err)
	}
}

type failingSigner struct{ err error }

func (f failingSigner) Sign(context.Context, []byte) ([]byte, error) { return nil, f.err }
func (f failingSigner) KeyID() (string, error)                       { return "k", nil }

func TestEd25519VerifierCopiesKey(t *testing.T) {
	priv := testKey(t)
	pub := append(ed25519.PublicKey(nil), priv.Public().(ed25519.PublicKey)...)
	v, err := evidence.NewEd25519Verifier(pub)
	if err != nil {
		t.Fatal(err)
	}
	pub[0] ^= 0xff
	if got := v.Public().(ed25519.PublicKey); got.Equal(pub) {
		t.Error("changing the caller's key changed the verifier's")
	}
	var _ crypto.PublicKey = v.Public()
}

// sampleDecision returns a valid gate decision.
func sampleDecision() *attest.GateDecision {
	expires := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	return &attest.GateDecision{
		DecisionID: uuid.MustParse("0194e7c2-1111-7222-8333-444455556666"),
		SystemID:   uuid.MustParse("0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b"),
		Transition: attest.GateTransition{From: "verification-and-validation", To: "deployment"},
		Outcome:    attest.GateWarn,
		Checks: []attest.GateCheck{
			{ID: "risk-assessment-approved", Outcome: attest.GateAllow, Controls: []string{"iso42001:A.5.2"}, Clauses: []string{"iso42001:8.2"}},
			{ID: "bias-evaluation", Outcome: attest.GateWarn, Controls: []string{"iso42001:A.6.2.4"}, Message: "evaluation older than 90 days"},
		},
		Waivers:        []attest.GateWaiver{{ID: "waiver-7", Check: "bias-evaluation", Approver: "cro@example.com", Expires: &expires}},
		Inputs:         []evidence.Subject{evidence.DigestContent([]byte("policy")).Subject("gatepolicy.yaml")},
		PolicyRevision: "git:0123abcd",
		Time:           time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
	}
}

func TestStatementRoundTrip(t *testing.T) {
	s, v := testSigner(t, 1)
	model := evidence.DigestContent([]byte("model weights")).Subject("model.onnx")
	st, err := attest.NewStatement(attest.PredicateGateDecision, sampleDecision(), model)
	if err != nil {
		t.Fatal(err)
	}
	env, err := attest.SignStatement(t.Context(), s, st)
	if err != nil {
		t.Fatal(err)
	}
	if env.PayloadType != attest.PayloadTypeInToto {
		t.Errorf("payload type = %q, want %q", env.PayloadType, attest.PayloadTypeInToto)
	}
	got, err := attest.VerifyStatement(t.Context(), env, v)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(st, got); diff != "" {
		t.Errorf("VerifyStatement() mismatch (-want +got):\n%s", diff)
	}
	var d attest.GateDecision
	if err := json.Unmarshal(got.Predicate, &d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sampleDecision(), &d); diff != "" {
		t.Errorf("predicate mismatch (-want +got):\n%s", diff)
	}
	// The statement's JSON names are the in-toto ones.
	payload, _ := base64.StdEncoding.DecodeString(env.Payload)
	for _, name := range []string{`"_type":"https://in-toto.io/Statement/v1"`, `"subject":[`, `"predicateType":"https://aimskit.dev/attestation/gate-decision/v1"`, `"predicate":{`} {
		if !bytes.Contains(payload, []byte(name)) {
			t.Errorf("statement %s lacks %s", payload, name)
		}
	}
	// Another payload type is refused, and so is a payload that is not a
	// statement.
	other, _ := attest.Sign(t.Context(), s, "application/json", payload)
	if _, err := attest.VerifyStatement(t.Context(), other, v); !errors.Is(err, attest.ErrPayloadType) {
		t.Errorf("VerifyStatement(other type) = %v, want an error matching ErrPayloadType", err)
	}
	for _, bad := range []string{`[]`, `{"_type":"https://in-toto.io/Statement/v0.1"}`, `{"_type":"https://in-toto.io/Statement/v1","subject":[]}`} {
		env, _ := attest.Sign(t.Context(), s, attest.PayloadTypeInToto, []byte(bad))
		if _, err := attest.VerifyStatement(t.Context(), env, v); !errors.Is(err, evidence.ErrMalformed) {
			t.Errorf("VerifyStatement(%s) = %v, want an error matching ErrMalformed", bad, err)
		}
	}
}

func TestStatementValidate(t *testing.T) {
	good := func() *attest.Statement {
		st, err := attest.NewStatement("https://example.com/p/v1", map[string]int{"a": 1},
			evidence.Subject{Name: "x", Digest: map[string]string{"sha256": strings.Repeat("a", 64)}})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	tests := []struct {
		name   string
		change func(s *attest.Statement)
		ok     bool
	}{
		{"good", func(*attest.Statement) {}, true},
		{"no predicate", func(s *attest.Statement) { s.Predicate = nil }, true},
		{"wrong type", func(s *attest.Statement) { s.Type = "https://in-toto.io/Statement/v0.1" }, false},
		{"no subject", func(s *attest.Statement) { s.Subject = nil }, false},
		{"subject without digest", func(s *attest.Statement) { s.Subject[0].Digest = nil }, false},
		{"no predicate type", func(s *attest.Statement) { s.PredicateType = "" }, false},
		{"predicate an array", func(s *attest.Statement) { s.Predicate = []byte(`[1]`) }, false},
		{"predicate not JSON", func(s *attest.Statement) { s.Predicate = []byte(`{`) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good()
			tt.change(s)
			err := s.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok = %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, evidence.ErrInvalid) {
				t.Errorf("Validate() = %v, want an error matching ErrInvalid", err)
			}
		})
	}
	if _, err := attest.NewStatement("https://example.com/p/v1", func() {}, good().Subject...); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("NewStatement(unencodable predicate) = %v, want an error matching ErrInvalid", err)
	}
	s, _ := testSigner(t, 1)
	if _, err := attest.SignStatement(t.Context(), s, &attest.Statement{}); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("SignStatement(invalid) = %v, want an error matching ErrInvalid", err)
	}
}

func TestGateDecisionValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *attest.GateDecision)
		ok     bool
	}{
		{"good", func(*attest.GateDecision) {}, true},
		{"no checks", func(d *attest.GateDecision) { d.Checks = nil }, true},
		{"no decision id", func(d *attest.GateDecision) { d.DecisionID = uuid.Nil }, false},
		{"no system id", func(d *attest.GateDecision) { d.SystemID = uuid.Nil }, false},
		{"no transition", func(d *attest.GateDecision) { d.Transition = attest.GateTransition{} }, false},
		{"unspecified outcome", func(d *attest.GateDecision) { d.Outcome = attest.GateOutcomeUnspecified }, false},
		{"unknown outcome", func(d *attest.GateDecision) { d.Outcome = "maybe" }, false},
		{"check without id", func(d *attest.GateDecision) { d.Checks[0].ID = "" }, false},
		{"check with bad outcome", func(d *attest.GateDecision) { d.Checks[0].Outcome = "pass" }, false},
		{"check with bad control", func(d *attest.GateDecision) { d.Checks[0].Controls = []string{"A.6.2.4"} }, false},
		{"check with bad clause", func(d *attest.GateDecision) { d.Checks[0].Clauses = []string{"8.2"} }, false},
		{"waiver without check", func(d *attest.GateDecision) { d.Waivers[0].Check = "" }, false},
		{"input without digest", func(d *attest.GateDecision) { d.Inputs[0].Digest = nil }, false},
		{"no time", func(d *attest.GateDecision) { d.Time = time.Time{} }, false},
	}
	set, err := schema.Compile(attest.GateDecisionSchema())
	if err != nil {
		t.Fatalf("compile the gate decision schema: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleDecision()
			tt.change(d)
			err := d.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok = %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, evidence.ErrInvalid) {
				t.Errorf("Validate() = %v, want an error matching ErrInvalid", err)
			}
			// The JSON Schema agrees wherever it can tell; it cannot see
			// nil UUIDs, which are well-formed strings.
			if tt.name == "no decision id" || tt.name == "no system id" || tt.name == "no time" {
				return
			}
			violations := validateJSON(t, set, d)
			if got := len(violations) == 0; got != tt.ok {
				t.Errorf("schema violations = %v, want ok = %v", violations, tt.ok)
			}
		})
	}
}

func validateJSON(tb testing.TB, set *schema.Set, v any) []schema.Violation {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		tb.Fatal(err)
	}
	violations, err := set.Validate(attest.GateDecisionSchemaID, doc)
	if err != nil {
		tb.Fatal(err)
	}
	return violations
}

func TestGateDecisionSchema(t *testing.T) {
	var head struct {
		ID     string `json:"$id"`
		Schema string `json:"$schema"`
	}
	s := attest.GateDecisionSchema()
	if err := json.Unmarshal(s, &head); err != nil {
		t.Fatal(err)
	}
	if head.ID != attest.GateDecisionSchemaID {
		t.Errorf("schema $id = %q, want %q", head.ID, attest.GateDecisionSchemaID)
	}
	s[0] = 'x'
	if attest.GateDecisionSchema()[0] != '{' {
		t.Error("GateDecisionSchema() returned the package's own slice")
	}
}

func TestBundle(t *testing.T) {
	s, v := testSigner(t, 1)
	var envs []*attest.Envelope
	for _, p := range []string{"one", "two", "three"} {
		e, err := attest.Sign(t.Context(), s, "t", []byte(p))
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, e)
	}
	var buf bytes.Buffer
	if err := attest.WriteBundle(&buf, envs...); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != 3 {
		t.Errorf("bundle has %d lines, want 3", n)
	}
	got, err := attest.ReadBundle(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(envs, got); diff != "" {
		t.Errorf("ReadBundle() mismatch (-want +got):\n%s", diff)
	}
	for i, e := range got {
		if _, err := e.Verify(t.Context(), "t", v); err != nil {
			t.Errorf("envelope %d: Verify() = %v", i, err)
		}
	}

	// Blank lines and a missing final newline are fine.
	loose := append([]byte("\n  \n"), bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
	if got, err := attest.ReadBundle(bytes.NewReader(loose)); err != nil || len(got) != 3 {
		t.Errorf("ReadBundle(loose) = %d envelopes, %v; want 3", len(got), err)
	}
	if got, err := attest.ReadBundle(bytes.NewReader(nil)); err != nil || len(got) != 0 {
		t.Errorf("ReadBundle(empty) = %v, %v; want none", got, err)
	}

	bad := []struct{ name, in, message string }{
		{"not JSON", "{\n", "bundle line 1"},
		{"no payload type", `{"payload":"","signatures":[{"sig":"AA=="}]}`, "no payloadType"},
		{"payload not base64", `{"payloadType":"t","payload":"*","signatures":[{"sig":"AA=="}]}`, "payload is not base64"},
		{"no signatures", `{"payloadType":"t","payload":""}`, "no signatures"},
		{"signature not base64", `{"payloadType":"t","payload":"","signatures":[{"sig":"*"}]}`, "signature 0"},
		{"second line bad", buf.String()[:bytes.IndexByte(buf.Bytes(), '\n')+1] + "[]\n", "bundle line 2"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := attest.ReadBundle(strings.NewReader(tt.in))
			if !errors.Is(err, evidence.ErrMalformed) {
				t.Fatalf("ReadBundle() = %v, want an error matching ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("ReadBundle() = %q, want a message containing %q", err, tt.message)
			}
		})
	}
	boom := errors.New("read failed")
	if _, err := attest.ReadBundle(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("ReadBundle(failing reader) = %v, want an error matching %v", err, boom)
	}
	if err := attest.WriteBundle(&buf, envs[0], nil); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("WriteBundle(nil envelope) = %v, want an error matching ErrInvalid", err)
	}
	if err := attest.WriteBundle(errWriter{boom}, envs...); !errors.Is(err, boom) {
		t.Errorf("WriteBundle(failing writer) = %v, want an error matching %v", err, boom)
	}
}

type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

func TestKeys(t *testing.T) {
	pub, priv, err := evidence.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{3}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if want := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32)); !priv.Equal(want) {
		t.Error("GenerateKey(fixed reader) did not give the key of that seed")
	}
	privPEM, err := evidence.MarshalPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := evidence.MarshalPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(privPEM, []byte("-----BEGIN PRIVATE KEY-----\n")) || !bytes.HasPrefix(pubPEM, []byte("-----BEGIN PUBLIC KEY-----\n")) {
		t.Errorf("PEM blocks:\n%s%s", privPEM, pubPEM)
	}
	gotPriv, err := evidence.ParsePrivateKey(privPEM)
	if err != nil || !gotPriv.Equal(priv) {
		t.Errorf("ParsePrivateKey() = %v, %v; want the key", gotPriv, err)
	}
	gotPub, err := evidence.ParsePublicKey(pubPEM)
	if err != nil || !gotPub.Equal(pub) {
		t.Errorf("ParsePublicKey() = %v, %v; want the key", gotPub, err)
	}
	if _, _, err := evidence.GenerateKey(iotest.ErrReader(errors.New("no entropy"))); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("GenerateKey(failing reader) = %v, want an error matching ErrInvalid", err)
	}
	if _, _, err := evidence.GenerateKey(nil); err != nil {
		t.Errorf("GenerateKey(nil) = %v", err)
	}

	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecPubDER, _ := x509.MarshalPKIXPublicKey(ec.Public())
	bad := []struct {
		name  string
		parse func([]byte) error
		in    []byte
	}{
		{"private: garbage", parsePriv, []byte("garbage")},
		{"private: public PEM", parsePriv, pubPEM},
		{"private: bad DER", parsePriv, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2}})},
		{"private: ECDSA", parsePriv, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})},
		{"public: garbage", parsePub, []byte("garbage")},
		{"public: private PEM", parsePub, privPEM},
		{"public: bad DER", parsePub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2}})},
		{"public: ECDSA", parsePub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecPubDER})},
	}
	for _, tt := range bad {
		if err := tt.parse(tt.in); !errors.Is(err, evidence.ErrMalformed) {
			t.Errorf("%s: got %v, want an error matching ErrMalformed", tt.name, err)
		}
	}
	if _, err := evidence.MarshalPrivateKey(priv[:5]); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("MarshalPrivateKey(short) = %v, want an error matching ErrInvalid", err)
	}
	if _, err := evidence.MarshalPublicKey(pub[:5]); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("MarshalPublicKey(short) = %v, want an error matching ErrInvalid", err)
	}
}

func parsePriv(b []byte) error { _, err := evidence.ParsePrivateKey(b); return err }
func parsePub(b []byte) error  { _, err := evidence.ParsePublicKey(b); return err }

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// testKey returns a fixed Ed25519 key.
func testKey(tb testing.TB) ed25519.PrivateKey {
	tb.Helper()
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}
