package aimsotel_test

import (
	"context"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/aimsotel"
	"github.com/aimskit/aimskit/aims/evidence"
)

// BenchmarkRecordHook compares Recorder.Record without hooks and with the
// OpenTelemetry hook, in one run, on a recording span and with a meter
// provider that aggregates.
func BenchmarkRecordHook(b *testing.B) {
	discard := evidence.SinkFunc(func(context.Context, *evidence.Record) error { return nil })
	tp := sdktrace.NewTracerProvider()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer tp.Shutdown(context.Background())
	defer mp.Shutdown(context.Background())
	h, err := aimsotel.New(&aimsotel.Options{MeterProvider: mp})
	if err != nil {
		b.Fatal(err)
	}
	d := aims.ModelDecision{
		System: creditScoring, Operation: "chat", Provider: "openai", Model: "gpt-4o", ModelVersion: "2024-08-06",
		Input: evidence.DigestContent([]byte(prompt)), Output: evidence.DigestContent([]byte(output)),
		Outcome: "answered", Confidence: new(0.9), Latency: 800 * time.Millisecond,
	}
	for _, bc := range []struct {
		name  string
		hooks []aims.Hook
	}{
		{"no-hooks", nil},
		{"otel", []aims.Hook{h}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r, err := aims.NewRecorder(discard, &aims.RecorderOptions{Trace: aimsotel.TraceIDs, Hooks: bc.hooks,
				Buffer: evidence.BufferOptions{Size: 1 << 16, Full: evidence.FullDrop}})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close(context.Background())
			b.ReportAllocs()
			for b.Loop() {
				// A span per request, as an HTTP instrumentation starts; its
				// events would otherwise grow without bound.
				ctx, span := tp.Tracer("bench").Start(context.Background(), "chat")
				if err := r.Record(ctx, d); err != nil {
					b.Fatal(err)
				}
				span.End()
			}
		})
	}
}
