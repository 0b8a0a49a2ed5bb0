package attest_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
)

// modelSubject is the subject of the statements of the tests.
var modelSubject = evidence.DigestContent([]byte("model weights")).Subject("model.onnx")

// gateStatement returns the JSON of a statement of sampleDecision about
// modelSubject, with change applied to its decoded form.
func gateStatement(tb testing.TB, change func(st map[string]any)) []byte {
	tb.Helper()
	st, err := attest.NewStatement(attest.PredicateGateDecision, sampleDecision(), modelSubject)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	change(m)
	if b, err = json.Marshal(m); err != nil {
		tb.Fatal(err)
	}
	return b
}

// predicate returns the predicate of a statement decoded by gateStatement.
func predicate(st map[string]any) map[string]any { return st["predicate"].(map[string]any) }

// signedBundle signs payload, of the given type, with the key of seed and
// returns a bundle of the envelope.
func signedBundle(tb testing.TB, seed byte, payloadType string, payload []byte) []byte {
	tb.Helper()
	s, _ := testSigner(tb, seed)
	env, err := attest.Sign(context.Background(), s, payloadType, payload)
	if err != nil {
		tb.Fatal(err)
	}
	return bundleOf(tb, env)
}

func bundleOf(tb testing.TB, envs ...*attest.Envelope) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := attest.WriteBundle(&buf, envs...); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// changeEnvelope decodes the one envelope of bundle, changes it and
// encodes it again.
func changeEnvelope(tb testing.TB, bundle []byte, change func(e *attest.Envelope)) []byte {
	tb.Helper()
	envs, err := attest.ReadBundle(bytes.NewReader(bundle))
	if err != nil {
		tb.Fatal(err)
	}
	change(envs[0])
	return bundleOf(tb, envs[0])
}

// newBundleVerifier returns a bundle verifier with verifiers.
func newBundleVerifier(tb testing.TB, verifiers ...evidence.Verifier) *attest.BundleVerifier {
	tb.Helper()
	bv, err := attest.NewBundleVerifier(verifiers...)
	if err != nil {
		tb.Fatalf("NewBundleVerifier() = %v", err)
	}
	return bv
}

func TestBundleVerifier(t *testing.T) {
	unchanged := func(map[string]any) {}
	good := signedBundle(t, 1, attest.PayloadTypeInToto, gateStatement(t, unchanged))
	_, v := testSigner(t, 1)
	keyID, _ := v.KeyID()
	bv := newBundleVerifier(t, v)
	release := evidence.DigestContent([]byte("release.tar.gz"))
	tests := []struct {
		name      string
		bundle    []byte
		artifacts []evidence.Subject
		wantKeyID string
		want      []attest.Problem
	}{
		{"valid", good, nil, keyID, nil},
		{"artifact matches a subject", good, []evidence.Subject{modelSubject}, keyID, nil},
		{"artifact matches by digest, not by name", good, []evidence.Subject{evidence.DigestContent([]byte("model weights")).Subject("renamed.onnx")}, keyID, nil},
		{"artifact matches no subject", good, []evidence.Subject{modelSubject, release.Subject("release.tar.gz")}, keyID,
			[]attest.Problem{{Check: attest.CheckArtifact, Pointer: "/subject"}}},
		{"artifact with no digest in common", good, []evidence.Subject{{Name: "x", Digest: map[string]string{"sha512": strings.Repeat("a", 128)}}}, keyID,
			[]attest.Problem{{Check: attest.CheckArtifact, Pointer: "/subject"}}},
		{"signed by another key", signedBundle(t, 2, attest.PayloadTypeInToto, gateStatement(t, unchanged)), nil, "",
			[]attest.Problem{{Check: attest.CheckKey}}},
		{"signed by another key that is not named", changeEnvelope(t, signedBundle(t, 2, attest.PayloadTypeInToto, gateStatement(t, unchanged)),
			func(e *attest.Envelope) { e.Signatures[0].KeyID = "" }), nil, "",
			[]attest.Problem{{Check: attest.CheckSignature}}},
		{"payload changed", changeEnvelope(t, good, func(e *attest.Envelope) {
			p, _ := base64.StdEncoding.DecodeString(e.Payload)
			p[len(p)/2] ^= 1
			e.Payload = base64.StdEncoding.EncodeToString(p)
		}), nil, "", []attest.Problem{{Check: attest.CheckSignature}}},
		{"payload type changed", changeEnvelope(t, good, func(e *attest.Envelope) { e.PayloadType = "application/json" }), nil, "",
			[]attest.Problem{{Check: attest.CheckSignature}, {Check: attest.CheckPayloadType}}},
		{"signed payload of another type", signedBundle(t, 1, "application/json", gateStatement(t, unchanged)), nil, keyID,
			[]attest.Problem{{Check: attest.CheckPayloadType}}},
		{"payload not JSON", signedBundle(t, 1, attest.PayloadTypeInToto, []byte("hello")), nil, keyID,
			[]attest.Problem{{Check: attest.CheckStatement}}},
		{"statement of another version", signedBundle(t, 1, attest.PayloadTypeInToto,
			gateStatement(t, func(st map[string]any) { st["_type"] = "https://in-toto.io/Statement/v0.1" })), nil, keyID,
			[]attest.Problem{{Check: attest.CheckStatement, Pointer: "/_type"}}},
		{"statement without subject", signedBundle(t, 1, attest.PayloadTypeInToto,
			gateStatement(t, func(st map[string]any) { delete(st, "subject") })), []evidence.Subject{modelSubject}, keyID,
			[]attest.Problem{{Check: attest.CheckStatement}, {Check: attest.CheckArtifact, Pointer: "/subject"}}},
		{"predicate type not published", signedBundle(t, 1, attest.PayloadTypeInToto,
			gateStatement(t, func(st map[string]any) { st["predicateType"] = "https://slsa.dev/provenance/v1" })), nil, keyID,
			[]attest.Problem{{Check: attest.CheckPredicateType, Pointer: "/predicateType"}}},
		{"predicate against the schema", signedBundle(t, 1, attest.PayloadTypeInToto, gateStatement(t, func(st map[string]any) {
			predicate(st)["outcome"] = "maybe"
			predicate(st)["checks"].([]any)[1].(map[string]any)["controls"] = []any{"A.6.2.4"}
			delete(predicate(st), "time")
		})), nil, keyID, []attest.Problem{
			{Check: attest.CheckPredicate, Pointer: "/predicate"},
			{Check: attest.CheckPredicate, Pointer: "/predicate/checks/1/controls/0"},
			{Check: attest.CheckPredicate, Pointer: "/predicate/outcome"},
		}},
		{"no predicate", signedBundle(t, 1, attest.PayloadTypeInToto, gateStatement(t, func(st map[string]any) { delete(st, "predicate") })), nil, keyID,
			[]attest.Problem{{Check: attest.CheckPredicate, Pointer: "/predicate"}}},
		{"predicate that matches the schema but is not valid", signedBundle(t, 1, attest.PayloadTypeInToto, gateStatement(t, func(st map[string]any) {
			predicate(st)["decisionId"] = "00000000-0000-0000-0000-000000000000"
		})), nil, keyID, []attest.Problem{{Check: attest.CheckPredicate, Pointer: "/predicate"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := bv.Verify(t.Context(), bytes.NewReader(tt.bundle), &attest.BundleOptions{Artifacts: tt.artifacts})
			if err != nil {
				t.Fatalf("Verify() = %v", err)
			}
			if len(rep.Envelopes) != 1 {
				t.Fatalf("Verify() = %d envelope reports, want 1", len(rep.Envelopes))
			}
			got := rep.Envelopes[0]
			if diff := cmp.Diff(tt.want, got.Problems, cmpopts.IgnoreFields(attest.Problem{}, "Message")); diff != "" {
				t.Errorf("Verify() problems mismatch (-want +got):\n%s", diff)
			}
			for _, p := range got.Problems {
				if p.Message == "" {
					t.Errorf("problem %+v has no message", p)
				}
			}
			if got.KeyID != tt.wantKeyID {
				t.Errorf("Verify() key id = %q, want %q", got.KeyID, tt.wantKeyID)
			}
			if got.Line != 1 {
				t.Errorf("Verify() line = %d, want 1", got.Line)
			}
			if rep.Verified() != (len(tt.want) == 0) || got.Verified() != (len(tt.want) == 0) {
				t.Errorf("Verified() = %v, %v with problems %v", rep.Verified(), got.Verified(), got.Problems)
			}
		})
	}
}

// TestBundleVerifierMessages checks the messages people act on: which keys
// signed, which artifact matched nothing, where the schema failed.
func TestBundleVerifierMessages(t *testing.T) {
	_, v := testSigner(t, 1)
	_, other := testSigner(t, 2)
	given, _ := v.KeyID()
	found, _ := other.KeyID()
	bv := newBundleVerifier(t, v)
	verify := func(bundle []byte, artifacts ...evidence.Subject) attest.EnvelopeReport {
		t.Helper()
		rep, err := bv.Verify(t.Context(), bytes.NewReader(bundle), &attest.BundleOptions{Artifacts: artifacts})
		if err != nil {
			t.Fatalf("Verify() = %v", err)
		}
		return rep.Envelopes[0]
	}
	tests := []struct {
		name  string
		got   attest.EnvelopeReport
		wants []string
	}{
		{"other key", verify(signedBundle(t, 2, attest.PayloadTypeInToto, gateStatement(t, func(map[string]any) {}))),
			[]string{"signed by key " + found + ", not by the given key " + given}},
		{"changed payload", verify(changeEnvelope(t, signedBundle(t, 1, attest.PayloadTypeInToto, gateStatement(t, func(map[string]any) {})),
			func(e *attest.Envelope) {
				e.Payload = base64.StdEncoding.EncodeToString([]byte(`{"_type":"forged"}`))
			})),
			[]string{"signature does not verify"}},
		{"artifact", verify(signedBundle(t, 1, attest.PayloadTypeInToto, gateStatement(t, func(map[string]any) {})),
			evidence.DigestContent([]byte("other")).Subject("release.tar.gz")),
			[]string{`artifact "release.tar.gz" (sha256:` + evidence.DigestContent([]byte("other")).SHA256 + ")", `"model.onnx" (sha256:` + modelSubject.Digest["sha256"] + ")"}},
		{"schema", verify(signedBundle(t, 1, attest.PayloadTypeInToto, gateStatement(t, func(st map[string]any) { predicate(st)["outcome"] = "maybe" }))),
			[]string{"allow", "deny"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.got.Problems) != 1 {
				t.Fatalf("problems = %+v, want one", tt.got.Problems)
			}
			for _, want := range tt.wants {
				if !strings.Contains(tt.got.Problems[0].Message, want) {
					t.Errorf("message %q lacks %q", tt.got.Problems[0].Message, want)
				}
			}
		})
	}
}

func TestBundleVerifierLines(t *testing.T) {
	s, v := testSigner(t, 1)
	st, err := attest.NewStatement(attest.PredicateGateDecision, sampleDecision(), modelSubject)
	if err != nil {
		t.Fatal(err)
	}
	env, err := attest.SignStatement(t.Context(), s, st)
	if err != nil {
		t.Fatal(err)
	}
	line := bundleOf(t, env)
	tampered := changeEnvelope(t, line, func(e *attest.Envelope) { e.Signatures[0].Sig = base64.StdEncoding.EncodeToString(make([]byte, 64)) })
	// Blank lines count, and the last line may lack its newline.
	bundle := slices.Concat(line, []byte("\n  \n"), tampered, bytes.TrimSuffix(line, []byte("\n")))
	rep, err := newBundleVerifier(t, nil, v).Verify(t.Context(), bytes.NewReader(bundle), nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	var verified []bool
	for _, e := range rep.Envelopes {
		lines = append(lines, e.Line)
		verified = append(verified, e.Verified())
	}
	if diff := cmp.Diff([]int{1, 4, 5}, lines); diff != "" {
		t.Errorf("lines mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{true, false, true}, verified); diff != "" {
		t.Errorf("verified mismatch (-want +got):\n%s", diff)
	}
	if rep.Verified() {
		t.Error("Verified() = true with an envelope that does not verify")
	}
	if d := rep.Envelopes[0].Decision; d == nil || d.Outcome != attest.GateWarn {
		t.Errorf("Decision = %+v, want the warn decision", d)
	}
	if diff := cmp.Diff(st, rep.Envelopes[2].Statement); diff != "" {
		t.Errorf("Statement mismatch (-want +got):\n%s", diff)
	}
	if rep.Envelopes[1].Statement != nil || rep.Envelopes[1].Decision != nil {
		t.Error("an envelope that does not verify has a statement")
	}
	// The JSON form keeps the statement and leaves the decision out.
	b, err := json.Marshal(rep.Envelopes[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"line":1`, `"keyId":"`, `"statement":{"_type":"https://in-toto.io/Statement/v1"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	if bytes.Contains(b, []byte(`"problems"`)) || bytes.Contains(b, []byte(`"decision"`)) {
		t.Errorf("JSON %s has problems or a decision", b)
	}
}

func TestBundleVerifierErrors(t *testing.T) {
	_, v := testSigner(t, 1)
	bv := newBundleVerifier(t, v)
	good := signedBundle(t, 1, attest.PayloadTypeInToto, gateStatement(t, func(map[string]any) {}))
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name     string
		bv       *attest.BundleVerifier
		ctx      context.Context
		bundle   []byte
		opts     *attest.BundleOptions
		want     error
		wantText string
	}{
		{"empty", bv, t.Context(), nil, nil, evidence.ErrMalformed, "no envelopes"},
		{"blank lines", bv, t.Context(), []byte("\n \n\t\n"), nil, evidence.ErrMalformed, "no envelopes"},
		{"not JSON", bv, t.Context(), slices.Concat(good, []byte("hello\n")), nil, evidence.ErrMalformed, "bundle line 2"},
		{"not an envelope", bv, t.Context(), []byte("{}\n"), nil, evidence.ErrMalformed, "bundle line 1"},
		{"evidence log", bv, t.Context(), []byte(`{"prev":"` + evidence.Genesis + `"}` + "\n"), nil, evidence.ErrMalformed, "bundle line 1"},
		{"artifact without digest", bv, t.Context(), good, &attest.BundleOptions{Artifacts: []evidence.Subject{{Name: "x"}}}, evidence.ErrInvalid, "artifact 0"},
		{"canceled", bv, canceled, good, nil, context.Canceled, "canceled"},
		{"zero verifier", &attest.BundleVerifier{}, t.Context(), good, nil, evidence.ErrInvalid, "no verifiers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := tt.bv.Verify(tt.ctx, bytes.NewReader(tt.bundle), tt.opts)
			if !errors.Is(err, tt.want) || !strings.Contains(fmt.Sprint(err), tt.wantText) {
				t.Errorf("Verify() = %v, want an error matching %v that says %q", err, tt.want, tt.wantText)
			}
			if rep != nil {
				t.Errorf("Verify() report = %+v with an error, want nil", rep)
			}
		})
	}
	for _, vs := range [][]evidence.Verifier{nil, {nil}} {
		if _, err := attest.NewBundleVerifier(vs...); !errors.Is(err, evidence.ErrInvalid) {
			t.Errorf("NewBundleVerifier(%v) = %v, want an error matching ErrInvalid", vs, err)
		}
	}
}

func TestPredicateTypes(t *testing.T) {
	if diff := cmp.Diff([]string{attest.PredicateGateDecision}, attest.PredicateTypes()); diff != "" {
		t.Errorf("PredicateTypes() mismatch (-want +got):\n%s", diff)
	}
	if (&attest.BundleReport{}).Verified() {
		t.Error("Verified() of an empty report = true, want false")
	}
}

// FuzzBundleVerifier checks that BundleVerifier.Verify never panics, that its errors
// match ErrMalformed, that it reports one envelope per non-blank line, and
// that an envelope it verifies is one VerifyStatement accepts, with the
// same statement.
func FuzzBundleVerifier(f *testing.F) {
	good := signedBundle(f, 1, attest.PayloadTypeInToto, gateStatement(f, func(map[string]any) {}))
	f.Add(good)
	f.Add(slices.Concat(good, []byte("\n"), good))
	f.Add(signedBundle(f, 2, attest.PayloadTypeInToto, gateStatement(f, func(map[string]any) {})))
	f.Add(signedBundle(f, 1, "application/json", []byte(`{}`)))
	f.Add(signedBundle(f, 1, attest.PayloadTypeInToto, []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"x"}}],"predicateType":"https://aimskit.dev/attestation/gate-decision/v1","predicate":{"outcome":1e400}}`)))
	f.Add(signedBundle(f, 1, attest.PayloadTypeInToto, gateStatement(f, func(st map[string]any) { predicate(st)["time"] = "yesterday" })))
	f.Add([]byte("{}\n"))
	f.Add([]byte("\n"))
	f.Add([]byte(`{"payloadType":"x","payload":"","signatures":[{"keyid":"","sig":"AA=="}]}`))
	_, v := testSigner(f, 1)
	bv := newBundleVerifier(f, v)
	artifact := attest.BundleOptions{Artifacts: []evidence.Subject{modelSubject}}
	f.Fuzz(func(t *testing.T, bundle []byte) {
		rep, err := bv.Verify(context.Background(), bytes.NewReader(bundle), &artifact)
		if err != nil {
			if !errors.Is(err, evidence.ErrMalformed) {
				t.Fatalf("Verify() = %v, want an error matching ErrMalformed", err)
			}
			return
		}
		lines := 0
		for _, l := range bytes.Split(bundle, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				lines++
			}
		}
		if len(rep.Envelopes) != lines {
			t.Fatalf("Verify() = %d envelope reports for %d lines", len(rep.Envelopes), lines)
		}
		envs, err := attest.ReadBundle(bytes.NewReader(bundle))
		if err != nil {
			t.Fatalf("ReadBundle() = %v for a bundle Verify read", err)
		}
		for i, e := range rep.Envelopes {
			if !e.Verified() {
				continue
			}
			st, err := attest.VerifyStatement(context.Background(), envs[i], v)
			if err != nil {
				t.Fatalf("envelope %d: Verify verified it, VerifyStatement() = %v", i, err)
			}
			if diff := cmp.Diff(st, e.Statement); diff != "" {
				t.Errorf("envelope %d: statement mismatch (-VerifyStatement +Verify):\n%s", i, diff)
			}
			if e.Decision == nil || e.Decision.Validate() != nil {
				t.Errorf("envelope %d: verified with decision %+v", i, e.Decision)
			}
		}
	})
}

// Verify a release's attestations before deploying it: every envelope of
// the bundle must be signed by the release key, carry a predicate that
// matches its published schema, and be about the model file to deploy.
func ExampleBundleVerifier_Verify() {
	ctx := context.Background()
	priv := exampleKey()
	signer, err := evidence.NewEd25519Signer(priv)
	if err != nil {
		log.Fatal(err)
	}
	model := evidence.DigestContent([]byte("model weights")).Subject("model.onnx")
	decision := &attest.GateDecision{
		DecisionID: [16]byte{1},
		SystemID:   [16]byte{2},
		Transition: attest.GateTransition{From: "verification-and-validation", To: "deployment"},
		Outcome:    attest.GateAllow,
		Time:       fixedClock(),
	}
	st, err := attest.NewStatement(attest.PredicateGateDecision, decision, model)
	if err != nil {
		log.Fatal(err)
	}
	env, err := attest.SignStatement(ctx, signer, st)
	if err != nil {
		log.Fatal(err)
	}
	var bundle bytes.Buffer
	if err := attest.WriteBundle(&bundle, env); err != nil { // release.intoto.jsonl
		log.Fatal(err)
	}

	verifier, err := evidence.NewEd25519Verifier(priv.Public().(ed25519.PublicKey))
	if err != nil {
		log.Fatal(err)
	}
	bv, err := attest.NewBundleVerifier(verifier)
	if err != nil {
		log.Fatal(err)
	}
	wrong := evidence.DigestContent([]byte("other weights")).Subject("model.onnx")
	for _, artifact := range []evidence.Subject{model, wrong} {
		rep, err := bv.Verify(ctx, bytes.NewReader(bundle.Bytes()), &attest.BundleOptions{Artifacts: []evidence.Subject{artifact}})
		if err != nil {
			log.Fatal(err) // not a bundle
		}
		for _, e := range rep.Envelopes {
			if e.Verified() {
				fmt.Printf("line %d: %s %s\n", e.Line, e.Decision.Outcome, e.Decision.Transition.To)
			}
			for _, p := range e.Problems {
				fmt.Printf("line %d: %s problem at %s\n", e.Line, p.Check, p.Pointer)
			}
		}
	}
	// Output:
	// line 1: allow deployment
	// line 1: artifact problem at /subject
}
