package aims_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

const accuracyWaiver = `waivers:
  - {check: accuracy, system: ` + chatbotID + `, approver: CTO, reason: pilot with 20 users, granted: 2026-11-01, expires: 2026-12-31}
  - {check: latency, system: ` + chatbotID + `, approver: CTO, reason: slow pilot hardware, granted: 2026-11-01, expires: 2026-12-31}
`

// A waived check is waived in the decision, its evidence record and its
// attestation predicate, and does not deny.
func TestWaivedOutcome(t *testing.T) {
	f := loadFS(t, withFiles(fstest.MapFS{"sys.yaml": {Data: []byte(system(chatbotID, "bot"))}, "policy.yaml": {Data: []byte(basicPolicy(accuracyWaiver))}}, scopedToOther()))
	var sink evidence.MemorySink
	opts := fixedOptions(nil)
	opts.Evidence = &sink
	g, err := aims.NewGate(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(context.Background(), uuid.MustParse(chatbotID), inventory.StageVerificationValidation, aims.Facts{"accuracy": 0.8, "latency.p99": 400})
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	if d.Verdict != aims.VerdictAllow || len(d.Failed()) != 0 {
		t.Errorf("Verdict = %s, Failed() = %+v; want allow and none failed", d.Verdict, d.Failed())
	}
	outcomes := map[string]aims.CheckOutcome{}
	for _, c := range d.Checks {
		outcomes[c.Check] = c.Outcome
		if (c.Outcome == aims.OutcomeWaived) != (c.Waiver != nil) {
			t.Errorf("check %s: outcome %s with waiver %v", c.Check, c.Outcome, c.Waiver)
		}
	}
	want := map[string]aims.CheckOutcome{
		aims.CheckNotProhibited: aims.OutcomePass, "owners-assigned": aims.OutcomePass, "intended-use-documented": aims.OutcomePass,
		"accuracy": aims.OutcomeWaived, "latency": aims.OutcomeWaived, aims.CheckAssessmentsCurrent: aims.OutcomeNotApplicable,
	}
	if diff := cmp.Diff(want, outcomes); diff != "" {
		t.Errorf("check outcomes mismatch (-want +got):\n%s", diff)
	}

	recs := sink.Records()
	if len(recs) != 1 {
		t.Fatalf("sink holds %d records, want 1", len(recs))
	}
	wantReasons := []string{
		"accuracy: waived by CTO until 2026-12-31 (pilot with 20 users): accuracy = 0.8, below the minimum 0.9",
		"latency: waived by CTO until 2026-12-31 (slow pilot hardware): latency.p99 = 400, above the maximum 250",
	}
	if diff := cmp.Diff(wantReasons, recs[0].Reasons); diff != "" {
		t.Errorf("record reasons mismatch (-want +got):\n%s", diff)
	}
	var data struct {
		Checks []struct {
			Check   string `json:"check"`
			Outcome string `json:"outcome"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(recs[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	for _, c := range data.Checks {
		if (c.Check == "accuracy" || c.Check == "latency") && c.Outcome != "waived" {
			t.Errorf("record data: check %s outcome %q, want waived", c.Check, c.Outcome)
		}
	}

	var p attest.GateDecision // the record's data is the attestation predicate
	if err := json.Unmarshal(recs[0].Data, &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("predicate Validate() = %v", err)
	}
	for _, c := range p.Checks {
		if (c.ID == "accuracy" || c.ID == "latency") != (c.Outcome == attest.GateWaived) {
			t.Errorf("predicate: check %s outcome %s", c.ID, c.Outcome)
		}
	}
	if len(p.Waivers) != 2 || p.Outcome != attest.GateAllow {
		t.Errorf("predicate outcome %s with %d waivers, want allow with 2", p.Outcome, len(p.Waivers))
	}
}

// A waiver of not-prohibited is a problem of that waiver: the folder does
// not load and no gate is made with it, so nothing is allowed.
func TestProhibitionCannotBeWaived(t *testing.T) {
	prohibited := strings.Replace(system(chatbotID, "bot"), "category: minimal", "category: prohibited\n  prohibitedPractice: c", 1)
	waiver := `waivers:
  - {check: not-prohibited, system: ` + chatbotID + `, approver: CEO, reason: board decision, expires: 2027-01-01}
`
	_, err := aims.Load(context.Background(), fstest.MapFS{"sys.yaml": {Data: []byte(prohibited)}, "policy.yaml": {Data: []byte(basicPolicy(waiver))}})
	var de *document.Error
	if !errors.As(err, &de) {
		t.Fatalf("Load() = %v, want a *document.Error", err)
	}
	var got []string
	for _, p := range de.Problems {
		got = append(got, p.File+":"+p.Pointer+": "+p.Message)
	}
	if diff := cmp.Diff([]string{"policy.yaml:/waivers/0/check: a prohibited practice cannot be waived"}, got); diff != "" {
		t.Errorf("Load() problems mismatch (-want +got):\n%s", diff)
	}

	f := loadFS(t, fstest.MapFS{"sys.yaml": {Data: []byte(prohibited)}})
	p := &aims.GatePolicy{ID: "p", Waivers: []aims.Waiver{{Check: aims.CheckNotProhibited, System: uuid.MustParse(chatbotID), Approver: "CEO", Reason: "r", Expires: document.MustDate("2027-01-01")}}}
	if _, err := aims.NewGate(f, fixedOptions(p)); err == nil || !strings.Contains(err.Error(), "/waivers/0/check: a prohibited practice cannot be waived") {
		t.Errorf("NewGate(policy waiving not-prohibited) = %v, want the waiver's problem", err)
	}
	// Nor can a policy or a custom check take the name.
	renamed := &aims.GatePolicy{ID: "p", Gates: []aims.GateRule{{To: inventory.StageVerificationValidation, Checks: []aims.CheckSpec{{Check: aims.CheckOwnersAssigned, ID: aims.CheckNotProhibited}}}}}
	if _, err := aims.NewGate(f, fixedOptions(renamed)); err == nil || !strings.Contains(err.Error(), "/gates/0/checks/0/id") {
		t.Errorf("NewGate(policy naming a check not-prohibited) = %v, want a problem at its id", err)
	}
	opts := fixedOptions(nil)
	opts.Checks = map[string]aims.Check{aims.CheckNotProhibited: aims.CheckFunc(func(context.Context, *aims.CheckInput) (aims.CheckResult, error) {
		return aims.CheckResult{Outcome: aims.OutcomePass}, nil
	})}
	if _, err := aims.NewGate(f, opts); err == nil || !strings.Contains(err.Error(), "shadows a built-in check") {
		t.Errorf("NewGate(custom check not-prohibited) = %v, want it refused", err)
	}
	// The gate over the folder without the waiver denies.
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(context.Background(), uuid.MustParse(chatbotID), inventory.StageVerificationValidation, nil)
	if err != nil || d.Verdict != aims.VerdictDeny || d.Checks[0].Outcome != aims.OutcomeFail {
		t.Errorf("Evaluate(prohibited) = %s, %v; want deny by not-prohibited", d.Verdict, err)
	}
}
