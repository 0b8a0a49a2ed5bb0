package aims_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/inventory"
)

// monitoredFolder returns the example folder with the credit-scoring
// system released by a passing deployment decision, so that a guard of it
// allows the system.
func monitoredFolder(t *testing.T) *aims.Snapshot {
	t.Helper()
	ctx := context.Background()
	f := loadExample(t)
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := g.Apply(ctx, storeWithExample(t), d, store.Write{Actor: "release-bot"})
	if err != nil {
		t.Fatal(err)
	}
	*f.System(creditScoring) = *sys
	return f
}

// monitorLog is an evidence sink and a hook that keeps what it receives.
type monitorLog struct {
	mu      sync.Mutex
	err     error // returned by Write
	records []*evidence.Record
	events  []aims.Event
}

func (r *monitorLog) Write(ctx context.Context, rec *evidence.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.records = append(r.records, rec.Clone())
	return nil
}

func (r *monitorLog) Observe(ctx context.Context, e *aims.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, *e)
	return nil
}

func (r *monitorLog) types() (records []evidence.Type, events []aims.EventType) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range r.records {
		records = append(records, x.Type)
	}
	for _, e := range r.events {
		events = append(events, e.Type)
	}
	return records, events
}

func newTestMonitor(t *testing.T, f *aims.Snapshot, rec *monitorLog, th ...aims.Threshold) (*aims.Monitor, *aims.Guard) {
	t.Helper()
	g := aims.NewGuard(f, nil)
	o := fixedOptions(nil)
	m, err := aims.NewMonitor(g, f, &aims.MonitorOptions{
		Thresholds: th,
		Evidence:   rec,
		Hooks:      []aims.Hook{rec},
		Clock:      o.Clock,
		NewID:      o.NewID,
	})
	if err != nil {
		t.Fatalf("NewMonitor: %v", err)
	}
	return m, g
}

func TestMonitorSuspendAndResume(t *testing.T) {
	ctx := context.Background()
	f := monitoredFolder(t)
	rec := &monitorLog{}
	m, g := newTestMonitor(t, f, rec, aims.Threshold{System: creditScoring, Metric: "error-rate", Max: 0.1})
	if err := g.Allow(ctx, creditScoring); err != nil {
		t.Fatalf("Allow() before any report = %v, want nil", err)
	}
	if err := m.Report(ctx, creditScoring, "error-rate", 0.05); err != nil {
		t.Fatalf("Report(0.05) = %v, want nil", err)
	}
	if err := m.Report(ctx, creditScoring, "latency", 1e9); err != nil {
		t.Fatalf("Report(metric without threshold) = %v, want nil", err)
	}
	if err := g.Allow(ctx, creditScoring); err != nil {
		t.Fatalf("Allow() below the threshold = %v, want nil", err)
	}
	if err := m.Report(ctx, creditScoring, "error-rate", 0.2); err != nil {
		t.Fatalf("Report(0.2) = %v, want nil", err)
	}
	if err := g.Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Fatalf("Allow() after crossing = %v, want ErrSuspended", err)
	}
	if !m.Suspended(creditScoring) {
		t.Error("Suspended() = false, want true")
	}
	if got := f.System(creditScoring).Lifecycle.Status; got == inventory.StatusSuspended {
		t.Errorf("caller's folder status = %s: the monitor modified the folder", got)
	}
	// Further reports while suspended change nothing.
	if err := m.Report(ctx, creditScoring, "error-rate", 0.9); err != nil {
		t.Fatalf("Report() while suspended = %v, want nil", err)
	}

	for _, tt := range []struct{ name, actor, reason string }{
		{"no actor", "", "fixed"},
		{"no reason", "jane.doe", " "},
	} {
		if err := m.Resume(ctx, creditScoring, tt.actor, tt.reason); err == nil {
			t.Errorf("Resume(%s) = nil, want an error", tt.name)
		}
	}
	if err := g.Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Fatalf("Allow() after refused resumes = %v, want ErrSuspended", err)
	}
	if err := m.Resume(ctx, creditScoring, "jane.doe", "data pipeline fixed, error rate back to 2%"); err != nil {
		t.Fatalf("Resume() = %v, want nil", err)
	}
	if err := g.Allow(ctx, creditScoring); err != nil {
		t.Fatalf("Allow() after Resume = %v, want nil", err)
	}
	if err := m.Resume(ctx, creditScoring, "jane.doe", "again"); !errors.Is(err, aims.ErrNotSuspended) {
		t.Errorf("second Resume() = %v, want ErrNotSuspended", err)
	}

	records, events := rec.types()
	if diff := cmp.Diff([]evidence.Type{evidence.TypeSuspension, evidence.TypeResumption}, records); diff != "" {
		t.Errorf("evidence record types mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]aims.EventType{aims.EventSuspension, aims.EventResumption}, events); diff != "" {
		t.Errorf("event types mismatch (-want +got):\n%s", diff)
	}
	for _, r := range rec.records {
		if err := r.Validate(); err != nil {
			t.Errorf("record %s does not validate: %v", r.Type, err)
		}
		if r.System != creditScoring || !cmp.Equal(r.Controls, []string{"iso42001:A.6.2.6"}) || len(r.Reasons) != 1 {
			t.Errorf("record %s: system %s, controls %v, reasons %q", r.Type, r.System, r.Controls, r.Reasons)
		}
	}
	if got, want := rec.records[0].Actor, aims.ActorMonitor; got != want {
		t.Errorf("suspension actor = %q, want %q", got, want)
	}
	if got, want := rec.records[1].Actor, "jane.doe"; got != want {
		t.Errorf("resumption actor = %q, want %q", got, want)
	}
	for _, e := range rec.events {
		if e.System != creditScoring || e.Time.IsZero() {
			t.Errorf("event %s: system %s, time %v", e.Type, e.System, e.Time)
		}
	}
}

func TestMonitorReportErrors(t *testing.T) {
	ctx := context.Background()
	f := monitoredFolder(t)
	m, g := newTestMonitor(t, f, &monitorLog{}, aims.Threshold{System: creditScoring, Metric: "drift", Max: 1})
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if err := m.Report(ctx, creditScoring, "drift", v); !errors.Is(err, aims.ErrMetricValue) {
			t.Errorf("Report(%v) = %v, want ErrMetricValue", v, err)
		}
	}
	if err := g.Allow(ctx, creditScoring); err != nil {
		t.Errorf("Allow() after rejected values = %v, want nil", err)
	}
	unknown := uuid.MustParse("00000000-0000-4000-8000-000000000099")
	if err := m.Report(ctx, unknown, "drift", 0); !errors.Is(err, aims.ErrUnknownSystem) {
		t.Errorf("Report(unknown system) = %v, want ErrUnknownSystem", err)
	}
	if err := m.Resume(ctx, unknown, "jane.doe", "why"); !errors.Is(err, aims.ErrUnknownSystem) {
		t.Errorf("Resume(unknown system) = %v, want ErrUnknownSystem", err)
	}
}

func TestMonitorWindow(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		want   bool // suspended after the last value
	}{
		{"window not full", []float64{0.9, 0.9}, false},
		{"average at the threshold", []float64{0.1, 0.1, 0.1}, false},
		{"average above the threshold", []float64{0, 0, 0.31}, true},
		{"spike averaged away", []float64{0, 0.25, 0}, false},
		{"old values leave the window", []float64{0.2, 0, 0, 0.1, 0.05}, false},
		{"sustained rise", []float64{0, 0.05, 0.1, 0.15, 0.2}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			m, g := newTestMonitor(t, monitoredFolder(t), &monitorLog{},
				aims.Threshold{System: creditScoring, Metric: "override-rate", Max: 0.1, Window: 3})
			for _, v := range tt.values {
				if err := m.Report(ctx, creditScoring, "override-rate", v); err != nil {
					t.Fatalf("Report(%v) = %v", v, err)
				}
			}
			if got := m.Suspended(creditScoring); got != tt.want {
				t.Errorf("Suspended() after %v = %t, want %t", tt.values, got, tt.want)
			}
			if err := g.Allow(ctx, creditScoring); errors.Is(err, aims.ErrSuspended) != tt.want {
				t.Errorf("Allow() after %v = %v, want suspended %t", tt.values, err, tt.want)
			}
		})
	}
}

func TestMonitorResumeClearsWindow(t *testing.T) {
	ctx := context.Background()
	m, _ := newTestMonitor(t, monitoredFolder(t), &monitorLog{},
		aims.Threshold{System: creditScoring, Metric: "complaints", Max: 5, Window: 2})
	for _, v := range []float64{9, 9} {
		if err := m.Report(ctx, creditScoring, "complaints", v); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Resume(ctx, creditScoring, "jane.doe", "complaints handled"); err != nil {
		t.Fatal(err)
	}
	// One new observation does not fill the cleared window.
	if err := m.Report(ctx, creditScoring, "complaints", 9); err != nil {
		t.Fatal(err)
	}
	if m.Suspended(creditScoring) {
		t.Error("Suspended() after one observation past Resume = true, want false")
	}
}

func TestMonitorEvidenceFailure(t *testing.T) {
	ctx := context.Background()
	rec := &monitorLog{err: errors.New("disk full")}
	m, g := newTestMonitor(t, monitoredFolder(t), rec, aims.Threshold{System: creditScoring, Metric: "error-rate", Max: 0.1})
	if err := m.Report(ctx, creditScoring, "error-rate", 0.5); !errors.Is(err, aims.ErrNotRecorded) {
		t.Errorf("Report() with a failing sink = %v, want ErrNotRecorded", err)
	}
	if err := g.Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("Allow() = %v, want ErrSuspended: a suspension stands without evidence", err)
	}
	if err := m.Resume(ctx, creditScoring, "jane.doe", "fixed"); !errors.Is(err, aims.ErrNotRecorded) {
		t.Errorf("Resume() with a failing sink = %v, want ErrNotRecorded", err)
	}
	if err := g.Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("Allow() after an unrecorded Resume = %v, want ErrSuspended", err)
	}
	if _, events := rec.types(); !cmp.Equal(events, []aims.EventType{aims.EventSuspension}) {
		t.Errorf("events = %v, want [suspension]", events)
	}
}

func TestMonitorAlreadySuspended(t *testing.T) {
	ctx := context.Background()
	f := monitoredFolder(t)
	f.System(creditScoring).Lifecycle.Status = inventory.StatusSuspended
	rec := &monitorLog{}
	m, _ := newTestMonitor(t, f, rec, aims.Threshold{System: creditScoring, Metric: "error-rate", Max: 0.1})
	if err := m.Report(ctx, creditScoring, "error-rate", 0.5); err != nil {
		t.Fatalf("Report() = %v, want nil", err)
	}
	if err := m.Resume(ctx, creditScoring, "jane.doe", "the document says suspended"); !errors.Is(err, aims.ErrNotSuspended) {
		t.Errorf("Resume() of a suspension the monitor did not make = %v, want ErrNotSuspended", err)
	}
	if records, _ := rec.types(); len(records) != 0 {
		t.Errorf("evidence records = %v, want none", records)
	}
}

func TestNewMonitorErrors(t *testing.T) {
	f := loadExample(t)
	g := aims.NewGuard(f, nil)
	tests := []struct {
		name string
		opts *aims.MonitorOptions
		is   error
	}{
		{"unknown system", &aims.MonitorOptions{Thresholds: []aims.Threshold{{System: uuid.MustParse("00000000-0000-4000-8000-000000000099"), Metric: "drift", Max: 1}}}, aims.ErrUnknownSystem},
		{"no metric", &aims.MonitorOptions{Thresholds: []aims.Threshold{{System: creditScoring, Max: 1}}}, nil},
		{"max not finite", &aims.MonitorOptions{Thresholds: []aims.Threshold{{System: creditScoring, Metric: "drift", Max: math.NaN()}}}, nil},
		{"negative window", &aims.MonitorOptions{Thresholds: []aims.Threshold{{System: creditScoring, Metric: "drift", Max: 1, Window: -1}}}, nil},
		{"duplicate", &aims.MonitorOptions{Thresholds: []aims.Threshold{{System: creditScoring, Metric: "drift", Max: 1}, {System: creditScoring, Metric: "drift", Max: 2}}}, nil},
		{"nil hook", &aims.MonitorOptions{Hooks: []aims.Hook{nil}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := aims.NewMonitor(g, f, tt.opts)
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Errorf("NewMonitor() = %v, want an error matching %v", err, tt.is)
			}
		})
	}
	if _, err := aims.NewMonitor(g, f, nil); err != nil {
		t.Errorf("NewMonitor(nil options) = %v, want nil", err)
	}
}

func TestMonitorConcurrentReport(t *testing.T) {
	ctx := context.Background()
	rec := &monitorLog{}
	m, g := newTestMonitor(t, monitoredFolder(t), rec,
		aims.Threshold{System: creditScoring, Metric: "error-rate", Max: 0.5},
		aims.Threshold{System: creditScoring, Metric: "drift", Max: 0.5, Window: 4})
	const workers, reports = 16, 500
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range reports {
				v := 0.01
				if w == workers-1 && i == reports/2 {
					v = 0.9
				}
				if err := m.Report(ctx, creditScoring, "error-rate", v); err != nil {
					errs <- err
					return
				}
				if err := m.Report(ctx, creditScoring, "drift", 0.1); err != nil {
					errs <- err
					return
				}
				_ = g.Allow(ctx, creditScoring)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Report() = %v", err)
	}
	if err := g.Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("Allow() = %v, want ErrSuspended", err)
	}
	records, events := rec.types()
	if len(records) != 1 || len(events) != 1 {
		t.Errorf("got %d records and %d events, want one suspension each", len(records), len(events))
	}
}

func BenchmarkMonitorReport(b *testing.B) {
	ctx := context.Background()
	f := loadExample(b)
	m, err := aims.NewMonitor(aims.NewGuard(f, nil), f, &aims.MonitorOptions{Thresholds: []aims.Threshold{
		{System: creditScoring, Metric: "error-rate", Max: 0.5, Window: 10},
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Report(ctx, creditScoring, "error-rate", 0.01); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleMonitor() {
	ctx := context.Background()
	f, err := aims.Load(ctx, os.DirFS("../examples/credit-scoring/governance"))
	if err != nil {
		fmt.Println(err)
		return
	}
	system := uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	g := aims.NewGuard(f, nil)
	var log []*evidence.Record
	m, err := aims.NewMonitor(g, f, &aims.MonitorOptions{
		Thresholds: []aims.Threshold{{System: system, Metric: "error-rate", Max: 0.05, Window: 2}},
		Evidence: evidence.SinkFunc(func(_ context.Context, r *evidence.Record) error {
			log = append(log, r)
			return nil
		}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range []float64{0.02, 0.04, 0.09} {
		if err := m.Report(ctx, system, "error-rate", v); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(g.Allow(ctx, system))
	fmt.Println(log[0].Type, log[0].Reasons[0])
	if err := m.Resume(ctx, system, "jane.doe", "upstream data feed repaired"); err != nil {
		fmt.Println(err)
	}
	fmt.Println(m.Suspended(system), log[1].Type, log[1].Actor)
	// Output:
	// aims: AI system suspended
	// suspension error-rate: average 0.065 over the last 2 observations exceeds the threshold 0.05 (last value 0.09)
	// false resumption jane.doe
}

func TestMonitorOpenIncident(t *testing.T) {
	ctx := context.Background()
	f := monitoredFolder(t)
	rec := &monitorLog{}
	m, g := newTestMonitor(t, f, rec)
	if err := g.Allow(ctx, creditScoring); err != nil {
		t.Fatalf("Allow() before the incident = %v", err)
	}
	inc := &governance.Incident{
		ID: "inc-2026-007", System: creditScoring, Title: "Systematic refusals in one postcode area",
		Description: "Applicants from one postcode area were refused at four times the usual rate.",
		Type:        governance.IncidentFundamentalRights, Status: governance.IncidentDetected,
		Aware: testNow, Suspend: true,
	}
	if err := m.OpenIncident(ctx, inc); err != nil {
		t.Fatalf("OpenIncident: %v", err)
	}
	if err := g.Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("Allow() after an incident that suspends = %v, want ErrSuspended", err)
	}
	records, events := rec.types()
	if diff := cmp.Diff([]evidence.Type{evidence.TypeIncident, evidence.TypeSuspension}, records); diff != "" {
		t.Errorf("evidence mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]aims.EventType{aims.EventIncident, aims.EventSuspension}, events); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
	if got := rec.events[0].Record; got == nil || got.ID != rec.records[0].ID {
		t.Errorf("incident event's Record = %v, want the incident record %s", got, rec.records[0].ID)
	}
	if !strings.Contains(string(rec.records[0].Data), `"deadline":"2026-12-13T09:00:00Z"`) {
		t.Errorf("incident record data = %s, want the Art. 73 deadline 15 days after awareness", rec.records[0].Data)
	}
	if err := m.OpenIncident(ctx, &governance.Incident{ID: "x"}); err == nil {
		t.Error("OpenIncident(invalid) = nil, want the validation problems")
	}
	if err := m.Resume(ctx, creditScoring, "Head of Credit Risk", "cause found and fixed"); err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if err := g.Allow(ctx, creditScoring); err != nil {
		t.Errorf("Allow() after Resume = %v", err)
	}
}

// gatedSink holds the writes of a recorder until it is opened, so that a
// test can see whether a suspension record overtakes the decisions queued
// before it.
type gatedSink struct {
	open chan struct{}
	log  *monitorLog
}

func (g *gatedSink) Write(ctx context.Context, rec *evidence.Record) error {
	if rec.Type == evidence.TypeRuntimeDecision {
		<-g.open
	}
	return g.log.Write(ctx, rec)
}

// TestMonitorKeepsDecisionsBeforeSuspension checks that with
// MonitorOptions.Recorder the decisions recorded before a suspension come
// before its record in the evidence.
func TestMonitorKeepsDecisionsBeforeSuspension(t *testing.T) {
	ctx := context.Background()
	log := &monitorLog{}
	sink := &gatedSink{open: make(chan struct{}), log: log}
	rec, err := aims.NewRecorder(sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close(ctx)
	g := aims.NewGuard(monitoredFolder(t), nil)
	mon, err := aims.NewMonitor(g, monitoredFolder(t), &aims.MonitorOptions{
		Thresholds: []aims.Threshold{{System: creditScoring, Metric: "drift", Max: 0.5, Window: 1}},
		Evidence:   sink, Recorder: rec,
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		d := decision(fmt.Sprint(i))
		d.System = creditScoring
		if err := rec.Record(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	// The recorder's writes wait until the report has started: without
	// the flush, the suspension record would be written first.
	reported := make(chan error, 1)
	go func() { reported <- mon.Report(ctx, creditScoring, "drift", 0.9) }()
	close(sink.open)
	if err := <-reported; err != nil {
		t.Fatal(err)
	}
	records, _ := log.types()
	want := []evidence.Type{evidence.TypeRuntimeDecision, evidence.TypeRuntimeDecision, evidence.TypeRuntimeDecision, evidence.TypeSuspension}
	if diff := cmp.Diff(want, records); diff != "" {
		t.Errorf("evidence order (-want +got):\n%s", diff)
	}
}
