package attest_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
)

// exampleKey returns a fixed key, so that the examples print the same
// signatures every time. Real keys come from [evidence.GenerateKey].
func exampleKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{42}, ed25519.SeedSize))
}

func fixedClock() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

// Sign an attestation of a gate decision and verify it, as a release
// pipeline and a deployment check would.
func ExampleSignStatement() {
	ctx := context.Background()
	priv := exampleKey()
	signer, err := evidence.NewEd25519Signer(priv)
	if err != nil {
		log.Fatal(err)
	}
	decision := &attest.GateDecision{
		DecisionID: uuid.MustParse("019b76da-a800-7000-8000-000000000001"),
		SystemID:   uuid.MustParse("0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b"),
		Transition: attest.GateTransition{From: "verification-and-validation", To: "deployment"},
		Outcome:    attest.GateAllow,
		Checks: []attest.GateCheck{
			{ID: "risk-assessment-approved", Outcome: attest.GateAllow, Controls: []string{"iso42001:A.6.2.4"}},
		},
		Time: fixedClock(),
	}
	model := evidence.DigestContent([]byte("model weights")).Subject("model.onnx")
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

	envs, err := attest.ReadBundle(&bundle)
	if err != nil {
		log.Fatal(err)
	}
	verifier, err := evidence.NewEd25519Verifier(priv.Public().(ed25519.PublicKey))
	if err != nil {
		log.Fatal(err)
	}
	got, err := attest.VerifyStatement(ctx, envs[0], verifier)
	if err != nil {
		log.Fatal(err)
	}
	var d attest.GateDecision
	if err := json.Unmarshal(got.Predicate, &d); err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.PredicateType)
	fmt.Println(got.Subject[0].Name, d.Outcome, d.Transition.To)
	fmt.Println("signature:", envs[0].Signatures[0].Sig[:16]+"…")
	// Output:
	// https://aimskit.dev/attestation/gate-decision/v1
	// model.onnx allow deployment
	// signature: T90KAxf+ax++VUzl…
}

// The DSSE pre-authentication encoding, with the test vector of the DSSE
// specification.
func ExamplePAE() {
	fmt.Printf("%s\n", attest.PAE("http://example.com/HelloWorld", []byte("hello world")))
	// Output:
	// DSSEv1 29 http://example.com/HelloWorld 11 hello world
}
