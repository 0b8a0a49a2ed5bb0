package aims_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/inventory"
)

var creditScoring = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")

func loadExample(t testing.TB) *aims.Snapshot {
	t.Helper()
	f, err := aims.Load(context.Background(), os.DirFS("../examples/credit-scoring/governance"))
	if err != nil {
		t.Fatalf("Load(example): %v", err)
	}
	return f
}

func evaluate(t testing.TB, f *aims.Snapshot, system uuid.UUID, to inventory.Stage) aims.Decision {
	t.Helper()
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatalf("NewGate: %v", err)
	}
	d, err := g.Evaluate(context.Background(), system, to, nil)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return d
}

func failedChecks(d aims.Decision) []string {
	var out []string
	for _, c := range d.Failed() {
		out = append(out, c.Check)
	}
	return out
}

func TestCreditScoringDeployment(t *testing.T) {
	t.Run("complete folder allows", func(t *testing.T) {
		d := evaluate(t, loadExample(t), creditScoring, inventory.StageDeployment)
		if d.Verdict != aims.VerdictAllow {
			t.Fatalf("Verdict = %s, want allow; failed %v", d.Verdict, d.Failed())
		}
	})
	t.Run("missing FRIA denies", func(t *testing.T) {
		f := loadExample(t)
		f.ImpactAssessment(creditScoring).FRIA = nil
		d := evaluate(t, f, creditScoring, inventory.StageDeployment)
		if d.Verdict != aims.VerdictDeny {
			t.Fatalf("Verdict = %s, want deny", d.Verdict)
		}
		failed := d.Failed()
		if len(failed) != 1 || failed[0].Check != aims.CheckFRIA || !strings.Contains(failed[0].Message, "Art. 27") {
			t.Errorf("Failed() = %+v, want only %s naming Art. 27", failed, aims.CheckFRIA)
		}
		if got := failed[0].Controls; len(got) == 0 || got[0] != "iso42001:A.5.4" {
			t.Errorf("failed check controls = %v, want them tied to A.5.4", got)
		}
	})
	t.Run("unapproved risk assessment denies", func(t *testing.T) {
		f := loadExample(t)
		f.RiskAssessment(creditScoring).Approval = nil
		d := evaluate(t, f, creditScoring, inventory.StageDeployment)
		// Readiness reports it too, as the warning of assessments-current.
		if diff := cmp.Diff([]string{aims.CheckRiskApproved, aims.CheckAssessmentsCurrent}, failedChecks(d)); diff != "" {
			t.Errorf("Failed() mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("model change makes the impact review owed", func(t *testing.T) {
		f := loadExample(t)
		f.System(creditScoring).Resources.Models[0].Version = "3.3.0"
		d := evaluate(t, f, creditScoring, inventory.StageDeployment)
		if diff := cmp.Diff([]string{aims.CheckImpactApproved, aims.CheckAssessmentsCurrent}, failedChecks(d)); diff != "" {
			t.Errorf("Failed() mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("prohibited system passes no gate but retirement", func(t *testing.T) {
		f := loadExample(t)
		s := f.System(creditScoring)
		// The example classifies from facts: social scoring is Art. 5(1)(c).
		s.Facts.Capabilities = append(s.Facts.Capabilities, inventory.CapabilitySocialScoring)
		for _, to := range s.Lifecycle.Stage.Next() {
			if to == inventory.StageRetirement {
				continue // withdrawing it is allowed: TestProhibitedSystemMayOnlyRetire
			}
			d := evaluate(t, f, creditScoring, to)
			if d.Allowed() || d.Checks[0].Check != aims.CheckNotProhibited || d.Checks[0].Outcome != aims.OutcomeFail {
				t.Errorf("gate to %s: verdict %s, first check %+v; want deny by %s", to, d.Verdict, d.Checks[0], aims.CheckNotProhibited)
			}
		}
	})
}
