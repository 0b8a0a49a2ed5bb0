package aims_test

import (
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/inventory"
)

// A prohibited system may be withdrawn: not-prohibited passes a move to
// retirement, saying that Art. 5 requires it, and fails every other move.
func TestProhibitedSystemMayOnlyRetire(t *testing.T) {
	f := loadExample(t)
	s := f.System(creditScoring)
	// The example classifies from facts: social scoring is Art. 5(1)(c).
	s.Facts.Capabilities = append(s.Facts.Capabilities, inventory.CapabilitySocialScoring)
	for _, to := range s.Lifecycle.Stage.Next() {
		t.Run(string(to), func(t *testing.T) {
			d := evaluate(t, f, creditScoring, to)
			c := d.Checks[0]
			if c.Check != aims.CheckNotProhibited {
				t.Fatalf("first check = %s, want %s", c.Check, aims.CheckNotProhibited)
			}
			if to == inventory.StageRetirement {
				if c.Outcome != aims.OutcomePass || !strings.Contains(c.Message, "Art. 5") || !strings.Contains(c.Message, "withdraw") {
					t.Errorf("not-prohibited = %s %q, want pass saying that Art. 5 requires the withdrawal", c.Outcome, c.Message)
				}
				if !d.Allowed() {
					t.Errorf("retirement verdict = %s, want it allowed; failed %+v", d.Verdict, d.Failed())
				}
				return
			}
			if c.Outcome != aims.OutcomeFail || d.Allowed() {
				t.Errorf("not-prohibited = %s, verdict %s; want fail and deny", c.Outcome, d.Verdict)
			}
		})
	}
}
