package attest_test

import (
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence/attest"
	"github.com/aimskit/aimskit/internal/schema"
)

// The predicate's optional additions (evaluationTime, a waived check)
// are valid, and a predicate made before them stays valid.
func TestGateDecisionOptionalFields(t *testing.T) {
	set, err := schema.Compile(attest.GateDecisionSchema())
	if err != nil {
		t.Fatalf("compile the gate decision schema: %v", err)
	}
	tests := []struct {
		name   string
		change func(d *attest.GateDecision)
		ok     bool
	}{
		{"without evaluation time", func(*attest.GateDecision) {}, true},
		{"with evaluation time", func(d *attest.GateDecision) { d.EvaluationTime = time.Date(2027, 12, 10, 12, 0, 0, 0, time.UTC) }, true},
		{"waived check", func(d *attest.GateDecision) { d.Checks[1].Outcome = attest.GateWaived }, true},
		{"waived decision", func(d *attest.GateDecision) { d.Outcome = attest.GateWaived }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleDecision()
			tt.change(d)
			if err := d.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok = %v", err, tt.ok)
			}
			if violations := validateJSON(t, set, d); (len(violations) == 0) != tt.ok {
				t.Errorf("schema violations = %v, want ok = %v", violations, tt.ok)
			}
		})
	}
}
