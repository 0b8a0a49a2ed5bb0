package aims_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
	"github.com/aimskit/aimskit/inventory"
)

func TestGateRecordsEvidence(t *testing.T) {
	f := loadExample(t)
	var sink evidence.MemorySink
	opts := fixedOptions(nil)
	opts.Evidence = &sink
	g, err := aims.NewGate(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(context.Background(), creditScoring, inventory.StageDeployment, nil)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	recs := sink.Records()
	if len(recs) != 1 {
		t.Fatalf("sink holds %d records, want 1", len(recs))
	}
	r := recs[0]
	if r.ID != d.ID || r.Type != evidence.TypeGateDecision || r.Outcome != "allow" || r.System != creditScoring || r.Actor != aims.ActorGate {
		t.Errorf("record = %+v, want the decision's id, type, outcome, system and actor", r)
	}
	if len(r.Subjects) == 0 || r.Subjects[0].Name != "model:credit-gbm@3.2.0" {
		t.Errorf("record subjects = %+v, want the model digest first", r.Subjects)
	}
	var back attest.GateDecision
	if err := json.Unmarshal(r.Data, &back); err != nil || back.DecisionID != d.ID || len(back.Checks) != len(d.Checks) {
		t.Errorf("record data does not hold the decision: %v", err)
	}
	// The record's data is the attestation's predicate: one schema for both.
	if err := back.Validate(); err != nil {
		t.Errorf("record data is not a valid gate-decision predicate: %v", err)
	}
	if want, _ := json.Marshal(back); string(r.Data) != string(want) {
		t.Errorf("record data = %s, want the predicate encoded as %s", r.Data, want)
	}
}

func TestGateFailsClosed(t *testing.T) {
	broken := evidence.SinkFunc(func(context.Context, *evidence.Record) error { return errors.New("disk full") })
	tests := []struct {
		name        string
		policy      aims.EvidencePolicy
		wantVerdict aims.Verdict
	}{
		{"fail closed by default", aims.FailClosed, aims.VerdictDeny},
		{"warn only keeps the verdict", aims.WarnOnly, aims.VerdictAllow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := fixedOptions(nil)
			opts.Evidence = broken
			opts.OnEvidenceError = tt.policy
			g, err := aims.NewGate(loadExample(t), opts)
			if err != nil {
				t.Fatal(err)
			}
			d, err := g.Evaluate(context.Background(), creditScoring, inventory.StageDeployment, nil)
			if !errors.Is(err, aims.ErrNotRecorded) {
				t.Errorf("Evaluate() error = %v, want ErrNotRecorded", err)
			}
			if d.Verdict != tt.wantVerdict {
				t.Errorf("Verdict = %s, want %s", d.Verdict, tt.wantVerdict)
			}
			if tt.policy == aims.FailClosed {
				last := d.Checks[len(d.Checks)-1]
				if last.Check != aims.CheckEvidence || last.Outcome != aims.OutcomeFail || d.Err() == nil {
					t.Errorf("last check = %+v, want a failed %s and Err() != nil", last, aims.CheckEvidence)
				}
			}
		})
	}
}

func TestAttest(t *testing.T) {
	f := loadExample(t)
	d := evaluate(t, f, creditScoring, inventory.StageDeployment)
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	signer, err := evidence.NewEd25519Signer(priv)
	if err != nil {
		t.Fatal(err)
	}
	artifact := evidence.Subject{Name: "credit-scoring-3.2.tar.gz", Digest: map[string]string{"sha256": "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"}}
	env, err := aims.Attest(context.Background(), signer, d, f.System(creditScoring), artifact)
	if err != nil {
		t.Fatalf("Attest: %v", err)
	}
	verifier, err := evidence.NewEd25519Verifier(priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	st, err := attest.VerifyStatement(context.Background(), env, verifier)
	if err != nil {
		t.Fatalf("VerifyStatement: %v", err)
	}
	if st.PredicateType != attest.PredicateGateDecision || len(st.Subject) != 3 {
		t.Errorf("statement = %s with %d subjects, want the gate-decision predicate and 3 subjects", st.PredicateType, len(st.Subject))
	}
	var p attest.GateDecision
	if err := json.Unmarshal(st.Predicate, &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil || p.DecisionID != d.ID || p.Outcome != attest.GateAllow {
		t.Errorf("predicate = %+v (%v), want the decision", p, err)
	}
	other := ed25519.NewKeyFromSeed(append(make([]byte, ed25519.SeedSize-1), 1))
	ov, _ := evidence.NewEd25519Verifier(other.Public().(ed25519.PublicKey))
	if _, err := attest.VerifyStatement(context.Background(), env, ov); err == nil {
		t.Error("VerifyStatement with another key succeeded")
	}
}
