package evidence_test

import (
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/internal/schema"
)

// The predicate's optional additions (evaluationTime, a waived check)
// are valid, and a predicate made before them stays valid.
func TestGateDecisionOptionalFields(t *testing.T) {
	set, err := schema.Compile(evidence.GateDecisionSchema())
	if err != nil {
		t.Fatalf("compile the gate decision schema: %v", err)
	}
	tests := []struct {
		name   string
		change func(d *evidence.GateDecision)
		ok     bool
	}{
		{"without evaluation time", func(*evidence.GateDecision) {}, true},
		{"with evaluation time", func(d *evidence.GateDecision) { d.EvaluationTime = time.Date(2027, 12, 10, 12, 0, 0, 0, time.UTC) }, true},
		{"waived check", func(d *evidence.GateDecision) { d.Checks[1].Outcome = evidence.GateWaived }, true},
		{"waived decision", func(d *evidence.GateDecision) { d.Outcome = evidence.GateWaived }, false},
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
