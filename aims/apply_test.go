package aims_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/memstore"
	"github.com/aimskit/aimskit/inventory"
)

// storeWithExample returns a memstore holding the credit-scoring system.
func storeWithExample(t *testing.T) *store.Store {
	t.Helper()
	st := memstore.New(nil)
	f := loadExample(t)
	data, err := json.Marshal(f.System(creditScoring))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(context.Background(), &store.Document{Kind: inventory.KindSystem, ID: creditScoring.String(), Data: data},
		store.Write{Actor: "test", Reason: "seed"}); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestApply(t *testing.T) {
	ctx := context.Background()
	st := storeWithExample(t)
	var sink evidence.MemorySink
	opts := fixedOptions(nil)
	opts.Evidence = &sink
	var events []aims.EventType
	opts.Hooks = []aims.Hook{aims.HookFunc(func(_ context.Context, e *aims.Event) error { events = append(events, e.Type); return nil })}
	g, err := aims.NewGate(loadExample(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil || !d.Allowed() {
		t.Fatalf("Evaluate = %s, %v", d.Verdict, err)
	}
	sys, err := g.Apply(ctx, st, d, store.Write{Actor: "release-bot", Reason: "release 3.2"})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if sys.Lifecycle.Stage != inventory.StageDeployment {
		t.Errorf("stage = %s, want deployment", sys.Lifecycle.Stage)
	}
	last := sys.Lifecycle.History[len(sys.Lifecycle.History)-1]
	if last.To != inventory.StageDeployment || last.Decision != d.ID.String() || last.By != "release-bot" {
		t.Errorf("last history entry = %+v", last)
	}
	hist, err := st.History(ctx, inventory.KindSystem, creditScoring.String())
	if err != nil || len(hist) != 2 || hist[1].Actor != "release-bot" || hist[1].Reason != "release 3.2" {
		t.Errorf("store history = %+v (%v), want the seed and the move by release-bot", hist, err)
	}
	recs := sink.Records()
	if len(recs) != 2 || recs[1].Type != evidence.TypeStageChange || recs[1].Outcome != "deployment" {
		t.Errorf("evidence = %d records, want the decision and the stage change", len(recs))
	}
	if len(events) != 2 || events[1] != aims.EventStageChange {
		t.Errorf("hook events = %v, want gate-decision then stage-change", events)
	}
	// Applying the same decision again is stale: the system moved.
	if _, err := g.Apply(ctx, st, d, store.Write{Actor: "release-bot"}); !errors.Is(err, aims.ErrStaleDecision) {
		t.Errorf("second Apply = %v, want ErrStaleDecision", err)
	}
}

func TestApplyRefusesDenialAndRevertsWithoutEvidence(t *testing.T) {
	ctx := context.Background()
	f := loadExample(t)
	f.ImpactAssessment(creditScoring).FRIA = nil
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	denied, _ := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	st := storeWithExample(t)
	if _, err := g.Apply(ctx, st, denied, store.Write{Actor: "bot"}); !errors.Is(err, aims.ErrDenied) {
		t.Errorf("Apply(denied) = %v, want ErrDenied", err)
	}

	// An evidence sink that accepts the decision but fails on the move.
	calls := 0
	flaky := evidence.SinkFunc(func(context.Context, *evidence.Record) error {
		calls++
		if calls > 1 {
			return errors.New("log unavailable")
		}
		return nil
	})
	opts := fixedOptions(nil)
	opts.Evidence = flaky
	g2, err := aims.NewGate(loadExample(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g2.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g2.Apply(ctx, st, d, store.Write{Actor: "bot"}); !errors.Is(err, aims.ErrNotRecorded) {
		t.Fatalf("Apply with failing evidence = %v, want ErrNotRecorded", err)
	}
	doc, err := st.Get(ctx, inventory.KindSystem, creditScoring.String())
	if err != nil {
		t.Fatal(err)
	}
	var sys inventory.System
	if err := json.Unmarshal(doc.Data, &sys); err != nil {
		t.Fatal(err)
	}
	if sys.Lifecycle.Stage != inventory.StageVerificationValidation {
		t.Errorf("stored stage after failed evidence = %s, want it reverted to verification-and-validation", sys.Lifecycle.Stage)
	}
}
