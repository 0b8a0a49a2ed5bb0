package aimsotel_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/aimsotel"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/inventory"
)

var creditScoring = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")

// now is the time of the tests' gates, at which the example folder's
// assessments are current.
var now = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// Personal data the tests put where an application would, and look for
// in the telemetry.
const (
	prompt   = "My name is Erika Mustermann, IBAN DE02120300000000202051: may I borrow 20,000 EUR?"
	output   = "Your application is referred to a loan officer."
	reviewer = "jane.doe@bank.example"
)

// telemetry holds the in-memory exporters of one test.
type telemetry struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newTelemetry(t *testing.T) *telemetry {
	t.Helper()
	tel := &telemetry{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	tel.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tel.spans))
	tel.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader))
	t.Cleanup(func() {
		tel.tp.Shutdown(context.Background())
		tel.mp.Shutdown(context.Background())
	})
	return tel
}

// events returns the span events of the ended spans, by span name.
func (tel *telemetry) events() map[string][]sdktrace.Event {
	out := map[string][]sdktrace.Event{}
	for _, s := range tel.spans.Ended() {
		out[s.Name()] = append(out[s.Name()], s.Events()...)
	}
	return out
}

// sums returns the data points of the counter name, keyed by their
// attributes as "k=v,k=v" in key order.
func (tel *telemetry) sums(t *testing.T, name string) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok {
				t.Fatalf("metric %s is %T, want a sum of int64", name, m.Data)
			}
			for _, dp := range sum.DataPoints {
				var kv []string
				for _, a := range dp.Attributes.ToSlice() {
					kv = append(kv, string(a.Key)+"="+a.Value.Emit())
				}
				out[strings.Join(kv, ",")] += dp.Value
			}
		}
	}
	return out
}

func attrs(e sdktrace.Event) map[string]attribute.Value {
	m := map[string]attribute.Value{}
	for _, a := range e.Attributes {
		m[string(a.Key)] = a.Value
	}
	return m
}

// logLines returns the lines of the file log at path by record id.
func logLines(t *testing.T, path string) map[string][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		r, err := evidence.ParseRecord(sc.Bytes())
		if err != nil {
			t.Fatalf("log line %s: %v", sc.Bytes(), err)
		}
		out[r.ID.String()] = bytes.Clone(sc.Bytes())
	}
	return out
}

// readmeKeys returns the attribute names of the README's table of
// OpenTelemetry attributes.
func readmeKeys(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `((?:aims|gen_ai)\\.[a-z_.]+)`").FindAllSubmatch(b, -1) {
		keys[string(m[1])] = true
	}
	if len(keys) == 0 {
		t.Fatal("README.md has no table of OpenTelemetry attributes")
	}
	return keys
}

func loadCreditScoring(t *testing.T) *aims.Snapshot {
	t.Helper()
	f, err := aims.Load(context.Background(), os.DirFS("../../examples/credit-scoring/governance"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return f
}

// TestDecisionsReachExporters sends a gate decision and a runtime
// decision through the hook into the SDK's in-memory exporters, and
// checks their attributes against the README's table and their record
// hashes against the evidence log.
func TestDecisionsReachExporters(t *testing.T) {
	tel := newTelemetry(t)
	h, err := aimsotel.New(&aimsotel.Options{MeterProvider: tel.mp})
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "evidence.jsonl")
	log, err := evidence.OpenFile(logPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close(context.Background())
	tracer := tel.tp.Tracer("test")

	// A release: one gate decision that allows, one that denies.
	f := loadCreditScoring(t)
	gate, err := aims.NewGate(f, &aims.GateOptions{Evidence: log, Hooks: []aims.Hook{h}, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx, span := tracer.Start(context.Background(), "release")
	allow, err := gate.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil || allow.Verdict != aims.VerdictAllow {
		t.Fatalf("Evaluate = %s, %v; want allow", allow.Verdict, err)
	}
	span.End()
	denied := loadCreditScoring(t)
	denied.ImpactAssessment(creditScoring).FRIA = nil
	denyGate, err := aims.NewGate(denied, &aims.GateOptions{Evidence: log, Hooks: []aims.Hook{h}, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx, span = tracer.Start(context.Background(), "release")
	deny, err := denyGate.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil || deny.Verdict != aims.VerdictDeny {
		t.Fatalf("Evaluate without FRIA = %s, %v; want deny", deny.Verdict, err)
	}
	span.End()

	// A request: one runtime decision, reviewed, with the prompt and the
	// output in ctx, which a hook without Content must not export.
	key, err := evidence.NewContentKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := aims.NewRecorder(log, &aims.RecorderOptions{Trace: aimsotel.TraceIDs, Hooks: []aims.Hook{h}, Pseudonyms: key})
	if err != nil {
		t.Fatal(err)
	}
	ctx, span = tracer.Start(context.Background(), "chat")
	d := aims.ModelDecision{
		System: creditScoring, Operation: "chat", Provider: "openai", Model: "gpt-4o", ResponseModel: "gpt-4o-2024-08-06",
		ModelVersion: "2024-08-06", Conversation: "conv-42", InputTokens: 120, OutputTokens: 30,
		Input: evidence.DigestContent([]byte(prompt)), Output: evidence.DigestContent([]byte(output)),
		Outcome: "refer", Confidence: new(0.61), Review: &aims.HumanReview{Reviewer: reviewer, Overridden: true},
		Latency: 1500 * time.Millisecond,
	}
	if err := rec.Record(aimsotel.WithContent(ctx, prompt, output), d); err != nil {
		t.Fatalf("Record: %v", err)
	}
	span.End()
	if err := rec.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantTrace := span.SpanContext().TraceID().String()

	lines := logLines(t, logPath)
	documented := readmeKeys(t)
	events := tel.events()
	var gateEvents []sdktrace.Event
	for _, e := range events["release"] {
		if e.Name == "aims.gate.decision" {
			gateEvents = append(gateEvents, e)
		}
	}
	if len(gateEvents) != 2 || len(events["chat"]) != 1 || events["chat"][0].Name != "aims.runtime.decision" {
		t.Fatalf("span events = %v, want two aims.gate.decision on the release spans and one aims.runtime.decision on the chat span", events)
	}
	all := append(gateEvents, events["chat"][0])
	for _, e := range all {
		a := attrs(e)
		for k, v := range a {
			if !documented[k] {
				t.Errorf("%s: attribute %s is not in the README's table", e.Name, k)
			}
			for _, secret := range []string{prompt, output, reviewer, "Erika", "IBAN"} {
				if strings.Contains(v.Emit(), secret) {
					t.Errorf("%s: attribute %s = %q holds personal data %q", e.Name, k, v.Emit(), secret)
				}
			}
		}
		id := a["aims.evidence.record.id"].AsString()
		line, ok := lines[id]
		if !ok {
			t.Fatalf("%s: aims.evidence.record.id %q is not in the evidence log", e.Name, id)
		}
		r, err := evidence.ParseRecord(line)
		if err != nil {
			t.Fatal(err)
		}
		want, err := r.Hash()
		if err != nil {
			t.Fatal(err)
		}
		if got := a["aims.evidence.record.hash"].AsString(); got != want {
			t.Errorf("%s: aims.evidence.record.hash = %q, want %q, the hash of the log line of record %s", e.Name, got, want, id)
		}
		if got := a["aims.control.ids"].AsStringSlice(); !cmp.Equal(got, r.Controls) {
			t.Errorf("%s: aims.control.ids = %v, want the record's controls %v", e.Name, got, r.Controls)
		}
		if got := a["aims.system.id"].AsString(); got != creditScoring.String() {
			t.Errorf("%s: aims.system.id = %q, want %s", e.Name, got, creditScoring)
		}
	}

	for i, want := range []struct {
		decision                  aims.Decision
		verdict, outcome          string
		failed                    []string
		transition, decisionIDKey string
	}{
		{allow, "allow", "allowed", nil, "verification-and-validation->deployment", allow.ID.String()},
		{deny, "deny", "denied", []string{aims.CheckFRIA}, "verification-and-validation->deployment", deny.ID.String()},
	} {
		a := attrs(gateEvents[i])
		got := []any{a["aims.decision.id"].AsString(), a["aims.decision.verdict"].AsString(), a["aims.decision.outcome"].AsString(),
			a["aims.gate.failed_checks"].AsStringSlice(), a["aims.evidence.record.id"].AsString()}
		wantFailed := want.failed
		if wantFailed == nil {
			wantFailed = []string{}
		}
		if diff := cmp.Diff([]any{want.decisionIDKey, want.verdict, want.outcome, wantFailed, want.decision.ID.String()}, got,
			cmp.Transformer("nilSlice", func(s []string) []string {
				if s == nil {
					return []string{}
				}
				return s
			})); diff != "" {
			t.Errorf("gate decision %d (-want +got):\n%s", i, diff)
		}
	}

	a := attrs(events["chat"][0])
	got := map[string]any{}
	for _, k := range []string{"gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model", "gen_ai.response.model",
		"gen_ai.conversation.id", "aims.decision.verdict", "aims.decision.outcome", "aims.model.version"} {
		got[k] = a[k].AsString()
	}
	got["gen_ai.usage.input_tokens"] = a["gen_ai.usage.input_tokens"].AsInt64()
	got["gen_ai.usage.output_tokens"] = a["gen_ai.usage.output_tokens"].AsInt64()
	got["aims.review.overridden"] = a["aims.review.overridden"].AsBool()
	want := map[string]any{
		"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
		"gen_ai.response.model": "gpt-4o-2024-08-06", "gen_ai.conversation.id": "conv-42",
		"gen_ai.usage.input_tokens": int64(120), "gen_ai.usage.output_tokens": int64(30),
		"aims.decision.verdict": "refer", "aims.decision.outcome": "overridden", "aims.model.version": "2024-08-06",
		"aims.review.overridden": true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("runtime decision attributes (-want +got):\n%s", diff)
	}
	if _, ok := a["gen_ai.input.messages"]; ok {
		t.Error("gen_ai.input.messages exported without Options.Content")
	}
	r, _ := evidence.ParseRecord(lines[a["aims.evidence.record.id"].AsString()])
	if r.TraceID != wantTrace {
		t.Errorf("runtime record trace id = %q, want the chat span's %s", r.TraceID, wantTrace)
	}

	decisions := tel.sums(t, aimsotel.MetricDecisions)
	sys := "aims.system.id=" + creditScoring.String()
	if diff := cmp.Diff(map[string]int64{
		"aims.decision.outcome=allowed,aims.decision.verdict=allow,aims.event.type=gate-decision," + sys:       1,
		"aims.decision.outcome=denied,aims.decision.verdict=deny,aims.event.type=gate-decision," + sys:         1,
		"aims.decision.outcome=overridden,aims.decision.verdict=refer,aims.event.type=runtime-decision," + sys: 1,
	}, decisions); diff != "" {
		t.Errorf("%s (-want +got):\n%s", aimsotel.MetricDecisions, diff)
	}
	if diff := cmp.Diff(map[string]int64{"aims.gate.check=" + aims.CheckFRIA + "," + sys: 1},
		tel.sums(t, aimsotel.MetricDenials)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", aimsotel.MetricDenials, diff)
	}
}

// TestContentOptIn checks that a hook with Options.Content exports the
// prompt and output the application put in ctx, and only then.
func TestContentOptIn(t *testing.T) {
	tel := newTelemetry(t)
	h, err := aimsotel.New(&aimsotel.Options{Content: true})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := aims.NewRecorder(&evidence.MemorySink{}, &aims.RecorderOptions{Hooks: []aims.Hook{h}})
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close(context.Background())
	ctx, span := tel.tp.Tracer("test").Start(context.Background(), "chat")
	d := aims.ModelDecision{System: creditScoring, Model: "gpt-4o", Outcome: "answered"}
	if err := rec.Record(aimsotel.WithContent(ctx, prompt, output), d); err != nil {
		t.Fatal(err)
	}
	if err := rec.Record(ctx, d); err != nil {
		t.Fatal(err)
	}
	span.End()
	events := tel.events()["chat"]
	if len(events) != 2 {
		t.Fatalf("events = %v, want 2", events)
	}
	a := attrs(events[0])
	wantIn := `[{"role":"user","parts":[{"type":"text","content":"` + prompt + `"}]}]`
	wantOut := `[{"role":"assistant","parts":[{"type":"text","content":"` + output + `"}]}]`
	if got := a["gen_ai.input.messages"].AsString(); got != wantIn {
		t.Errorf("gen_ai.input.messages = %s, want %s", got, wantIn)
	}
	if got := a["gen_ai.output.messages"].AsString(); got != wantOut {
		t.Errorf("gen_ai.output.messages = %s, want %s", got, wantOut)
	}
	if _, ok := attrs(events[1])["gen_ai.input.messages"]; ok {
		t.Error("gen_ai.input.messages exported for a decision whose ctx holds no content")
	}
}

// blockingSink blocks every write until release is closed.
type blockingSink struct{ release chan struct{} }

func (s blockingSink) Write(ctx context.Context, r *evidence.Record) error {
	<-s.release
	return nil
}

// TestRefusalsDropsAndEvents checks the counters that no decision
// reports: guard refusals, dropped runtime records, and the events of a
// monitor.
func TestRefusalsDropsAndEvents(t *testing.T) {
	tel := newTelemetry(t)
	h, err := aimsotel.New(&aimsotel.Options{MeterProvider: tel.mp})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f := loadCreditScoring(t)
	guard := aims.NewGuard(f, nil)
	if _, err := h.ObserveGuard(guard); err != nil {
		t.Fatal(err)
	}
	guard.Allow(ctx, uuid.Max)
	guard.Allow(ctx, uuid.Max)
	guard.Allow(ctx, creditScoring) // not released in the example folder

	sink := blockingSink{release: make(chan struct{})}
	rec, err := aims.NewRecorder(sink, &aims.RecorderOptions{Buffer: evidence.BufferOptions{Size: 1, BatchSize: 1, Full: evidence.FullDrop}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.ObserveRecorder(rec); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := rec.Record(ctx, aims.ModelDecision{System: creditScoring, Outcome: "answered"}); err != nil {
			t.Fatal(err)
		}
	}

	mem := &evidence.MemorySink{}
	mon, err := aims.NewMonitor(guard, f, &aims.MonitorOptions{Evidence: mem, Hooks: []aims.Hook{h}})
	if err != nil {
		t.Fatal(err)
	}
	f.System(creditScoring).Lifecycle.Status = inventory.StatusActive
	sctx, span := tel.tp.Tracer("test").Start(ctx, "operations")
	if err := mon.OpenIncident(sctx, &governance.Incident{
		ID: "inc-1", System: creditScoring, Title: "Refusals for " + reviewer, Description: "Refused at four times the usual rate.",
		Type: governance.IncidentFundamentalRights, Status: governance.IncidentDetected, Aware: time.Now(), Suspend: true,
	}); err != nil {
		t.Fatal(err)
	}
	// The actor and the reason of a resumption are a person's and free
	// text: neither is exported.
	if err := mon.Resume(sctx, creditScoring, reviewer, prompt); err != nil {
		t.Fatal(err)
	}
	span.End()
	var names []string
	for _, e := range tel.events()["operations"] {
		names = append(names, e.Name)
		for k, v := range attrs(e) {
			if strings.Contains(v.Emit(), reviewer) || strings.Contains(v.Emit(), "Erika") {
				t.Errorf("%s: attribute %s = %q holds personal data", e.Name, k, v.Emit())
			}
		}
		if a := attrs(e); a["aims.evidence.record.hash"].AsString() == "" {
			t.Errorf("%s: no aims.evidence.record.hash", e.Name)
		}
	}
	if diff := cmp.Diff([]string{"aims.incident", "aims.suspension", "aims.resumption"}, names); diff != "" {
		t.Errorf("span events (-want +got):\n%s", diff)
	}

	refusals := tel.sums(t, aimsotel.MetricRefusals)
	if diff := cmp.Diff(map[string]int64{
		"aims.guard.refusal=unknown-system": 2, "aims.guard.refusal=not-released": 1,
		"aims.guard.refusal=suspended": 0, "aims.guard.refusal=retired": 0,
	}, refusals); diff != "" {
		t.Errorf("%s (-want +got):\n%s", aimsotel.MetricRefusals, diff)
	}
	records := tel.sums(t, aimsotel.MetricRecords)
	stats := rec.Stats()
	if stats.Dropped == 0 || records["aims.evidence.state=dropped"] != int64(stats.Dropped) {
		t.Errorf("%s dropped = %d, want the recorder's count %d (> 0)", aimsotel.MetricRecords, records["aims.evidence.state=dropped"], stats.Dropped)
	}
	close(sink.release)
	if err := rec.Close(ctx); err != nil {
		t.Fatal(err)
	}
	sys := "aims.system.id=" + creditScoring.String()
	if diff := cmp.Diff(map[string]int64{"aims.event.type=incident," + sys: 1, "aims.event.type=suspension," + sys: 1, "aims.event.type=resumption," + sys: 1},
		tel.sums(t, aimsotel.MetricEvents)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", aimsotel.MetricEvents, diff)
	}
}

// TestGenAINames pins the gen_ai.* names to those the README documents.
func TestGenAINames(t *testing.T) {
	got := []attribute.Key{aimsotel.KeyGenAIOperationName, aimsotel.KeyGenAIProviderName, aimsotel.KeyGenAIRequestModel,
		aimsotel.KeyGenAIResponseModel, aimsotel.KeyGenAIInputTokens, aimsotel.KeyGenAIOutputTokens, aimsotel.KeyGenAIConversation}
	want := []attribute.Key{"gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model",
		"gen_ai.response.model", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.conversation.id"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GenAI keys (-want +got):\n%s", diff)
	}
	documented := readmeKeys(t)
	for _, k := range want {
		if !documented[string(k)] {
			t.Errorf("%s is not in the README's table", k)
		}
	}
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "semantic conventions "+aimsotel.SemConvVersion) {
		t.Errorf("README.md does not name the semantic conventions version %s", aimsotel.SemConvVersion)
	}
}
