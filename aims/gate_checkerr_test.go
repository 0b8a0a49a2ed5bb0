package aims_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/inventory"
)

// TestGateCheckErrors checks the error of an evaluation whose check
// panics, returns an error or returns a result with an outcome a check
// may not give, after a check that passes.
func TestGateCheckErrors(t *testing.T) {
	errBroken := errors.New("broken")
	tests := []struct {
		name    string
		check   aims.CheckFunc
		want    string
		wantErr error
	}{
		{"panic", func(context.Context, *aims.CheckInput) (aims.CheckResult, error) { panic("boom") },
			"aims: evaluate: check second: panic: boom", nil},
		{"error", func(context.Context, *aims.CheckInput) (aims.CheckResult, error) {
			return aims.CheckResult{}, errBroken
		},
			"aims: evaluate: check second: broken", errBroken},
		{"waived outcome", func(context.Context, *aims.CheckInput) (aims.CheckResult, error) {
			return aims.CheckResult{Outcome: aims.OutcomeWaived}, nil
		}, `aims: evaluate: check second: result has outcome "waived", want pass, fail or not-applicable`, nil},
	}
	f := loadFS(t, fstest.MapFS{"sys.yaml": {Data: []byte(system(chatbotID, "bot"))}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &aims.GatePolicy{ID: "p", Gates: []aims.GateRule{{To: inventory.StageVerificationValidation,
				Checks: []aims.CheckSpec{{Check: aims.CheckOwnersAssigned}, {Check: "custom", ID: "second"}}}}}
			opts := fixedOptions(p)
			opts.Checks = map[string]aims.Check{"custom": tt.check}
			g, err := aims.NewGate(f, opts)
			if err != nil {
				t.Fatal(err)
			}
			_, err = g.Evaluate(context.Background(), uuid.MustParse(chatbotID), inventory.StageVerificationValidation, nil)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Evaluate() = %v, want %s", err, tt.want)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Evaluate() = %v, want an error matching %v", err, tt.wantErr)
			}
		})
	}
}
