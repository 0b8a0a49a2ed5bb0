package aims_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/inventory"
)

// panickingSink panics with "disk on fire" on every write.
var panickingSink = evidence.SinkFunc(func(context.Context, *evidence.Record) error { panic("disk on fire") })

// TestSinkPanicIsNotRecorded checks that every operation that writes
// evidence synchronously turns a panic in the sink into an error matching
// ErrNotRecorded that names the panic, instead of crashing.
func TestSinkPanicIsNotRecorded(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, sink evidence.Sink) error
	}{
		{"Gate.Evaluate", func(t *testing.T, sink evidence.Sink) error {
			opts := fixedOptions(nil)
			opts.Evidence = sink
			g, err := aims.NewGate(loadExample(t), opts)
			if err != nil {
				t.Fatal(err)
			}
			d, err := g.Evaluate(t.Context(), creditScoring, inventory.StageDeployment, nil)
			if d.Verdict != aims.VerdictDeny || d.Allowed() {
				t.Errorf("Evaluate() verdict = %s, want deny: a decision without evidence does not allow", d.Verdict)
			}
			if last := d.Checks[len(d.Checks)-1]; last.Check != aims.CheckEvidence || last.Outcome != aims.OutcomeFail {
				t.Errorf("Evaluate() last check = %+v, want a failed %s", last, aims.CheckEvidence)
			}
			return err
		}},
		{"Gate.Apply", func(t *testing.T, sink evidence.Sink) error {
			ctx := t.Context()
			d, err := mustGate(t, fixedOptions(nil)).Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
			if err != nil || !d.Allowed() {
				t.Fatalf("Evaluate() = %s, %v, want an allowing decision", d.Verdict, err)
			}
			opts := fixedOptions(nil)
			opts.Evidence = sink
			st := storeWithExample(t)
			sys, err := mustGate(t, opts).Apply(ctx, st, d, store.Write{Actor: "release-bot"})
			if sys != nil {
				t.Errorf("Apply() returned the system in %s, want nil: the move is reverted", sys.Lifecycle.Stage)
			}
			return err
		}},
		{"Manager.Suspend", func(t *testing.T, sink evidence.Sink) error {
			st, _ := seededStore(t)
			m := newManager(t, st, &aims.ManagerOptions{Evidence: sink})
			return m.Suspend(t.Context(), creditScoring, store.Write{Actor: "oncall@example.com"})
		}},
		{"Monitor.Report", func(t *testing.T, sink evidence.Sink) error {
			m := newPanicMonitor(t, sink, aims.Threshold{System: creditScoring, Metric: "error-rate", Max: 0.1})
			return m.Report(t.Context(), creditScoring, "error-rate", 0.5)
		}},
		{"Monitor.OpenIncident", func(t *testing.T, sink evidence.Sink) error {
			m := newPanicMonitor(t, sink)
			return m.OpenIncident(t.Context(), &governance.Incident{
				ID: "inc-2026-008", System: creditScoring, Title: "Refusals without reasons",
				Description: "Refusal letters were sent without the principal reasons.",
				Type:        governance.IncidentFundamentalRights, Status: governance.IncidentDetected, Aware: testNow,
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run(t, panickingSink)
			if !errors.Is(err, aims.ErrNotRecorded) {
				t.Fatalf("%s with a panicking sink = %v, want ErrNotRecorded", tt.name, err)
			}
			if msg := err.Error(); !strings.Contains(msg, "sink panicked: disk on fire") {
				t.Errorf("%s error = %q, want it to say the sink panicked and with what", tt.name, msg)
			}
		})
	}
}

func mustGate(t *testing.T, opts *aims.GateOptions) *aims.Gate {
	t.Helper()
	g, err := aims.NewGate(loadExample(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func newPanicMonitor(t *testing.T, sink evidence.Sink, th ...aims.Threshold) *aims.Monitor {
	t.Helper()
	f := monitoredFolder(t)
	o := fixedOptions(nil)
	m, err := aims.NewMonitor(aims.NewGuard(f, nil), f, &aims.MonitorOptions{Thresholds: th, Evidence: sink, Clock: o.Clock, NewID: o.NewID})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
