package aims_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/inventory"
)

// A move applied outside a store is recorded as Apply records its own.
func TestRecordStageChange(t *testing.T) {
	ctx := context.Background()
	var sink evidence.MemorySink
	opts := fixedOptions(nil)
	opts.Evidence = &sink
	f := loadExample(t)
	g, err := aims.NewGate(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil || !d.Allowed() {
		t.Fatalf("Evaluate = %s, %v", d.Verdict, err)
	}
	sys := f.System(creditScoring)
	change := g.StageChange(d, sys, "release-bot")
	want := inventory.StageChange{From: inventory.StageVerificationValidation, To: inventory.StageDeployment,
		Date: change.Date, By: "release-bot", Decision: d.ID.String(), Models: []string{"credit-gbm@3.2.0"}}
	if diff := cmp.Diff(want, change); diff != "" || change.Date.IsZero() {
		t.Errorf("StageChange (-want +got):\n%s", diff)
	}
	if err := g.RecordStageChange(ctx, d, sys, change); err != nil {
		t.Fatalf("RecordStageChange = %v", err)
	}
	recs := sink.Records()
	last := recs[len(recs)-1]
	if last.Type != evidence.TypeStageChange || last.Actor != "release-bot" || last.Outcome != string(inventory.StageDeployment) {
		t.Errorf("record = %s by %s, outcome %s; want stage-change by release-bot, deployment", last.Type, last.Actor, last.Outcome)
	}
	var got inventory.StageChange
	if err := json.Unmarshal(last.Data, &got); err != nil || !cmp.Equal(change, got) {
		t.Errorf("record data = %+v, %v; want %+v", got, err, change)
	}

	denied := d
	denied.Verdict = aims.VerdictDeny
	n := len(sink.Records())
	if err := g.RecordStageChange(ctx, denied, sys, change); !errors.Is(err, aims.ErrDenied) {
		t.Errorf("RecordStageChange of a denial = %v, want ErrDenied", err)
	}
	if len(sink.Records()) != n {
		t.Errorf("RecordStageChange of a denial recorded something")
	}
}
