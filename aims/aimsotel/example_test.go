package aimsotel_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/aimsotel"
	"github.com/aimskit/aimskit/aims/evidence"
)

// This example wires the hook into the service of
// examples/llm-support-chat: its guard, recorder and monitor, over its
// governance folder. In-memory exporters stand in for the OTLP exporters
// a service would configure; the hook needs only the meter provider, and
// adds its span events to the request's span.
func Example_llmSupportChat() {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	ctx := context.Background()
	folder, err := aims.Load(ctx, os.DirFS("../../examples/llm-support-chat/governance"))
	if err != nil {
		fmt.Println(err)
		return
	}
	system := uuid.MustParse("2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60")
	sink := &evidence.MemorySink{}

	hook, _ := aimsotel.New(&aimsotel.Options{MeterProvider: mp}) // no prompts or outputs unless Content is set
	guard := aims.NewGuard(folder, nil)
	rec, _ := aims.NewRecorder(sink, &aims.RecorderOptions{Trace: aimsotel.TraceIDs, Hooks: []aims.Hook{hook}})
	mon, _ := aims.NewMonitor(guard, folder, &aims.MonitorOptions{Evidence: sink, Recorder: rec, Hooks: []aims.Hook{hook}})
	hook.ObserveGuard(guard)  // aims.guard.refusals
	hook.ObserveRecorder(rec) // aims.recorder.records: written, dropped, failed

	// One request to POST /chat, in the span an HTTP instrumentation
	// would start.
	ctx, span := tp.Tracer("llm-support-chat").Start(ctx, "POST /chat")
	fmt.Println("guard:", guard.Allow(ctx, system))
	rec.Record(ctx, aims.ModelDecision{
		System: system, Operation: "chat", Model: "support-llm", ModelVersion: "2026-06",
		Input: evidence.DigestContent([]byte("How do I order a new card?")), Output: evidence.DigestContent([]byte("In the app.")),
		Outcome: "answered", Latency: 800 * time.Millisecond,
	})
	mon.Report(ctx, system, "drift", 0.05)
	span.End()
	rec.Close(ctx)

	for _, e := range spans.Ended()[0].Events() {
		a := attrs(e)
		fmt.Println("span event:", e.Name, a["gen_ai.request.model"].Emit(), a["aims.decision.outcome"].Emit(),
			strings.HasPrefix(a["aims.evidence.record.hash"].Emit(), "sha256:"))
	}
	var rm metricdata.ResourceMetrics
	reader.Collect(ctx, &rm)
	for _, m := range rm.ScopeMetrics[0].Metrics {
		fmt.Println("metric:", m.Name)
	}
	// Output:
	// guard: <nil>
	// span event: aims.runtime.decision support-llm answered true
	// metric: aims.decisions
	// metric: aims.decision.duration
	// metric: aims.guard.refusals
	// metric: aims.recorder.records
}
