package aims_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
	"github.com/aimskit/aimskit/inventory"
)

// A decision evaluated as of another day is recorded at the time it is
// made: the record, the decision and the predicate keep the evaluation
// time apart from the wall-clock time.
func TestGateEvaluationTime(t *testing.T) {
	evalAt := time.Date(2027, 12, 10, 12, 0, 0, 0, time.UTC)
	var sink evidence.MemorySink
	opts := fixedOptions(nil)
	opts.EvaluationTime = func() time.Time { return evalAt }
	opts.Evidence = &sink
	g, err := aims.NewGate(loadExample(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(context.Background(), creditScoring, inventory.StageDeployment, nil)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	if !d.Time.Equal(testNow) || !d.EvaluationTime.Equal(evalAt) {
		t.Errorf("Decision.Time, EvaluationTime = %v, %v, want %v, %v", d.Time, d.EvaluationTime, testNow, evalAt)
	}
	recs := sink.Records()
	if len(recs) != 1 {
		t.Fatalf("sink holds %d records, want 1", len(recs))
	}
	if !recs[0].Time.Equal(testNow) {
		t.Errorf("record time = %v, want the clock's %v", recs[0].Time, testNow)
	}
	var data struct {
		Time           time.Time `json:"time"`
		EvaluationTime time.Time `json:"evaluationTime"`
	}
	if err := json.Unmarshal(recs[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	if !data.Time.Equal(testNow) || !data.EvaluationTime.Equal(evalAt) {
		t.Errorf("record data time, evaluationTime = %v, %v, want %v, %v", data.Time, data.EvaluationTime, testNow, evalAt)
	}
	var p attest.GateDecision // the record's data is the attestation predicate
	if err := json.Unmarshal(recs[0].Data, &p); err != nil {
		t.Fatal(err)
	}
	if !p.Time.Equal(testNow) || !p.EvaluationTime.Equal(evalAt) {
		t.Errorf("predicate time, evaluationTime = %v, %v, want %v, %v", p.Time, p.EvaluationTime, testNow, evalAt)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("predicate Validate() = %v", err)
	}
}

// Without EvaluationTime, the clock's time is both.
func TestGateEvaluationTimeDefault(t *testing.T) {
	g, err := aims.NewGate(loadExample(t), fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(context.Background(), creditScoring, inventory.StageDeployment, nil)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	if !d.Time.Equal(testNow) || !d.EvaluationTime.Equal(testNow) {
		t.Errorf("Decision.Time, EvaluationTime = %v, %v, want %v for both", d.Time, d.EvaluationTime, testNow)
	}
}
