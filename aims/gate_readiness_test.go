package aims_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
)

var supportChatbot = uuid.MustParse("2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60")

// evaluateOn evaluates a move of system as of day at.
func evaluateOn(t testing.TB, f *aims.Snapshot, system uuid.UUID, to inventory.Stage, at time.Time) aims.Decision {
	t.Helper()
	opts := fixedOptions(nil)
	opts.EvaluationTime = func() time.Time { return at }
	g, err := aims.NewGate(f, opts)
	if err != nil {
		t.Fatalf("NewGate: %v", err)
	}
	d, err := g.Evaluate(context.Background(), system, to, nil)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return d
}

func result(d aims.Decision, check string) (aims.CheckResult, bool) {
	i := slices.IndexFunc(d.Checks, func(c aims.CheckResult) bool { return c.Check == check })
	if i < 0 {
		return aims.CheckResult{}, false
	}
	return d.Checks[i], true
}

// systemClauses are the clauses whose readiness gaps are about one AI
// system.
var systemClauses = []string{"iso42001:6.1.2", "iso42001:6.1.3", "iso42001:6.1.4", "iso42001:8.2", "iso42001:8.3", "iso42001:8.4"}

// readinessAbout returns what readiness reports about the system's
// assessments on the day of at.
func readinessAbout(f *aims.Snapshot, sys *inventory.System, at time.Time) []string {
	var out []string
	for _, g := range f.Readiness(at).Gaps() {
		if slices.Contains(systemClauses, g.ID) && strings.Contains(g.Missing, " of "+sys.Name) {
			out = append(out, strings.TrimPrefix(g.ID, "iso42001:")+" "+g.Missing)
		}
	}
	return out
}

// The overdue treatment readiness reports makes the deployment gate warn,
// in readiness's words.
func TestGateWarnsAboutOverdueTreatment(t *testing.T) {
	f := loadExample(t)
	day := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	want := "8.3 treatment of risk R-01 of Consumer credit scoring is overdue since 2026-11-30: Add fairness tests per age band, sex and nationality to the validation gate (A.6.2.4)"
	if diff := cmp.Diff([]string{want}, readinessAbout(f, f.System(creditScoring), day)); diff != "" {
		t.Fatalf("readiness mismatch (-want +got):\n%s", diff)
	}
	d := evaluateOn(t, f, creditScoring, inventory.StageDeployment, day)
	if d.Verdict != aims.VerdictWarn {
		t.Errorf("Verdict = %s, want warn; failed %+v", d.Verdict, d.Failed())
	}
	c, ok := result(d, aims.CheckAssessmentsCurrent)
	if !ok || c.Outcome != aims.OutcomeFail || c.Severity != aims.SeverityWarn || !strings.Contains(c.Message, want) {
		t.Errorf("%s = %+v, want a warning with %q", aims.CheckAssessmentsCurrent, c, want)
	}
	// On a day before the due date, both are quiet.
	before := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	if got := readinessAbout(f, f.System(creditScoring), before); got != nil {
		t.Errorf("readiness on %s = %v, want nothing", before, got)
	}
	if d := evaluateOn(t, f, creditScoring, inventory.StageDeployment, before); d.Verdict != aims.VerdictAllow {
		t.Errorf("Verdict on %s = %s, want allow; failed %+v", before, d.Verdict, d.Failed())
	}
}

// ISO/IEC 42001 6.1.4 asks for an impact assessment of every AI system in
// the scope of the AIMS: readiness reports a minimal-risk system without
// one, and its gates warn about it where the EU AI Act would deny.
func TestGateImpactAssessmentOfSystemInScope(t *testing.T) {
	day := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	f := loadExample(t)
	f.ImpactAssessments = slices.DeleteFunc(f.ImpactAssessments, func(a *impact.Assessment) bool { return a.System == supportChatbot })
	if got := readinessAbout(f, f.System(supportChatbot), day); !slices.Contains(got, "6.1.4 no impact assessment of Customer support assistant") {
		t.Fatalf("readiness = %v, want the 6.1.4 gap", got)
	}
	d := evaluateOn(t, f, supportChatbot, inventory.StageReEvaluation, day)
	if d.Verdict != aims.VerdictWarn {
		t.Errorf("Verdict = %s, want warn; checks %+v", d.Verdict, d.Checks)
	}
	c, _ := result(d, aims.CheckImpactAssessed)
	if c.Outcome != aims.OutcomeFail || c.Severity != aims.SeverityWarn || !strings.Contains(c.Message, "6.1.4") {
		t.Errorf("%s = %+v, want a warning naming 6.1.4", aims.CheckImpactAssessed, c)
	}

	// With its impact assessment, the check passes instead of being not
	// applicable.
	d = evaluateOn(t, loadExample(t), supportChatbot, inventory.StageReEvaluation, day)
	if c, _ := result(d, aims.CheckImpactAssessed); c.Outcome != aims.OutcomePass || d.Verdict != aims.VerdictAllow {
		t.Errorf("%s = %+v, verdict %s; want pass and allow", aims.CheckImpactAssessed, c, d.Verdict)
	}

	// Out of the scope and not required by the EU AI Act: readiness and
	// the gate say nothing.
	f.ManagementSystem.Scope.Systems = slices.DeleteFunc(f.ManagementSystem.Scope.Systems, func(id uuid.UUID) bool { return id == supportChatbot })
	if got := readinessAbout(f, f.System(supportChatbot), day); got != nil {
		t.Errorf("readiness of a system out of scope = %v, want nothing", got)
	}
	d = evaluateOn(t, f, supportChatbot, inventory.StageReEvaluation, day)
	for _, id := range []string{aims.CheckImpactAssessed, aims.CheckAssessmentsCurrent} {
		if c, _ := result(d, id); c.Outcome != aims.OutcomeNotApplicable {
			t.Errorf("%s out of scope = %+v, want not applicable", id, c)
		}
	}
}

// Whatever readiness reports about a system's assessments, its gates
// report at least as a warning, in the same words; and where readiness
// reports nothing, assessments-current passes.
func TestReadinessAndGateAgree(t *testing.T) {
	mutations := []struct {
		name   string
		mutate func(f *aims.Snapshot)
	}{
		{"example", func(*aims.Snapshot) {}},
		{"no chatbot impact assessment", func(f *aims.Snapshot) {
			f.ImpactAssessments = slices.DeleteFunc(f.ImpactAssessments, func(a *impact.Assessment) bool { return a.System == supportChatbot })
		}},
		{"unapproved assessments", func(f *aims.Snapshot) {
			f.RiskAssessment(creditScoring).Approval = nil
			f.ImpactAssessment(supportChatbot).Approval = nil
		}},
		{"model changed", func(f *aims.Snapshot) { f.System(creditScoring).Resources.Models[0].Version = "3.3.0" }},
	}
	days := []time.Time{
		time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC),
		time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC),
	}
	for _, m := range mutations {
		for _, day := range days {
			f := loadExample(t)
			m.mutate(f)
			for _, sys := range f.Systems {
				t.Run(m.name+"/"+day.Format(time.DateOnly)+"/"+sys.Name, func(t *testing.T) {
					want := readinessAbout(f, sys, day)
					for _, to := range sys.Lifecycle.Stage.Next() {
						d := evaluateOn(t, f, sys.ID, to, day)
						c, ok := result(d, aims.CheckAssessmentsCurrent)
						if !ok {
							t.Fatalf("gate to %s has no %s", to, aims.CheckAssessmentsCurrent)
						}
						if (c.Outcome == aims.OutcomePass) != (len(want) == 0) {
							t.Errorf("gate to %s: %s = %s %q; readiness reports %v", to, c.Check, c.Outcome, c.Message, want)
						}
						for _, w := range want {
							if !strings.Contains(c.Message, w) {
								t.Errorf("gate to %s: %s message lacks %q:\n%s", to, c.Check, w, c.Message)
							}
						}
						if len(want) > 0 && d.Verdict == aims.VerdictAllow {
							t.Errorf("gate to %s allows while readiness reports %v", to, want)
						}
					}
				})
			}
		}
	}
}

const otherID = "22222222-2222-4222-8222-222222222222"

// scopedTo returns the files of a management system whose scope holds
// only a system "other", so that the systems of a test folder are outside
// it and readiness, and assessments-current, leave them alone.
func scopedToOther() fstest.MapFS {
	return fstest.MapFS{
		"other.yaml": {Data: []byte(system(otherID, "other"))},
		"ms.yaml": {Data: []byte(`apiVersion: aimskit.dev/v1alpha1
kind: ManagementSystem
id: ms-test
organization: Org
version: "1"
context:
  externalIssues: [{description: Regulation}]
  internalIssues: [{description: Skills}]
  aiRoles: [provider]
  climateChange: {relevant: false}
interestedParties:
  - name: Users
    requirements: [{type: legal, description: Disclosure}]
scope:
  systems: [` + otherID + `]
  boundaries: One system
policy:
  title: AI policy
  document: POL-1
  approval: {approver: Board, date: 2026-01-10}
  nextReview: 2027-01-10
  commitments: [Meet requirements]
roles:
  - {role: AIMS owner, holder: CRO, responsibilities: [Runs the AIMS]}
riskCriteria: {name: aimskit-5x5, version: "1"}
objectives:
  - id: obj-1
    description: Fair outcomes
    metric: Approval-rate gap
    target: {value: 5, unit: percentage points, direction: at-most}
    owner: Model risk
    due: 2026-12-31
    evaluation: {method: Monthly report, frequency: monthly}
approval: {approver: Board, date: 2026-01-15}
`)},
	}
}

// withFiles returns fsys with the files of more added.
func withFiles(fsys, more fstest.MapFS) fstest.MapFS {
	out := fstest.MapFS{}
	maps.Copy(out, fsys)
	maps.Copy(out, more)
	return out
}

// A policy may run assessments-current with its own severity, but not
// give its name to another check.
func TestAssessmentsCurrentInPolicy(t *testing.T) {
	day := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	f := loadExample(t)
	strict := &aims.GatePolicy{ID: "strict", Gates: []aims.GateRule{{To: inventory.StageDeployment, Checks: []aims.CheckSpec{{Check: aims.CheckAssessmentsCurrent}}}}}
	opts := fixedOptions(strict)
	opts.EvaluationTime = func() time.Time { return day }
	g, err := aims.NewGate(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(context.Background(), creditScoring, inventory.StageDeployment, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range d.Checks {
		got = append(got, c.Check+" "+string(c.Outcome)+" "+string(c.Severity))
	}
	want := []string{"not-prohibited pass deny", "assessments-current fail deny"}
	if diff := cmp.Diff(want, got); diff != "" || d.Verdict != aims.VerdictDeny {
		t.Errorf("strict policy: verdict %s, checks mismatch (-want +got):\n%s", d.Verdict, diff)
	}

	renamed := &aims.GatePolicy{ID: "p", Gates: []aims.GateRule{{To: inventory.StageDeployment, Checks: []aims.CheckSpec{{Check: aims.CheckOwnersAssigned, ID: aims.CheckAssessmentsCurrent}}}}}
	if _, err := aims.NewGate(f, fixedOptions(renamed)); err == nil || !strings.Contains(err.Error(), "/gates/0/checks/0/id") {
		t.Errorf("NewGate(policy naming another check assessments-current) = %v, want a problem at its id", err)
	}
}

// One gate evaluated on different days, also concurrently, reports
// readiness as of each day.
func TestAssessmentsCurrentEachDay(t *testing.T) {
	before := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	after := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	want := map[time.Time]aims.Verdict{before: aims.VerdictAllow, after: aims.VerdictWarn}
	var calls atomic.Int64
	opts := fixedOptions(nil)
	opts.EvaluationTime = func() time.Time {
		if calls.Add(1)%2 == 0 {
			return after
		}
		return before
	}
	g, err := aims.NewGate(loadExample(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	evaluate := func() error {
		d, err := g.Evaluate(context.Background(), creditScoring, inventory.StageDeployment, nil)
		if err != nil {
			return err
		}
		if d.Verdict != want[d.EvaluationTime] {
			return fmt.Errorf("Evaluate on %s = %s, want %s", d.EvaluationTime.Format(time.DateOnly), d.Verdict, want[d.EvaluationTime])
		}
		return nil
	}
	for range 4 {
		if err := evaluate(); err != nil {
			t.Error(err)
		}
	}
	errs := make(chan error, 64)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() { errs <- evaluate() })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
