package aims_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
)

// BenchmarkRecord compares the cost of Recorder.Record on the caller's
// goroutine with a plain slog line carrying the same facts.
func BenchmarkRecord(b *testing.B) {
	d := decision("approve")
	ctx := context.Background()

	b.Run("Record", func(b *testing.B) {
		discard := evidence.SinkFunc(func(context.Context, *evidence.Record) error { return nil })
		// Drop keeps the caller from ever waiting on the goroutine; the
		// dropped count shows how often the buffer was full.
		r, err := aims.NewRecorder(discard, &aims.RecorderOptions{Buffer: evidence.BufferOptions{Size: 1 << 16, Full: evidence.FullDrop}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := r.Record(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if err := r.Close(ctx); err != nil {
			b.Fatal(err)
		}
		s := r.Stats()
		b.ReportMetric(float64(s.Dropped)/float64(s.Written+s.Dropped), "dropped/op")
	})

	b.Run("slog", func(b *testing.B) {
		logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
		b.ReportAllocs()
		for b.Loop() {
			logger.LogAttrs(ctx, slog.LevelInfo, "decision",
				slog.String("system", d.System.String()),
				slog.String("model", d.Model),
				slog.String("input_sha256", d.Input.SHA256),
				slog.String("outcome", d.Outcome),
				slog.Float64("confidence", *d.Confidence),
				slog.Duration("latency", d.Latency),
			)
		}
	})
}

// BenchmarkRecorderPipeline measures decisions per second from Record to
// a FileLog that signs a checkpoint every 1,000 records, with the default
// batch size, and with batches of 256 (the default before it was 1024)
// to show what the batch size does to a log that fsyncs each batch.
func BenchmarkRecorderPipeline(b *testing.B) {
	for _, mode := range []struct {
		name  string
		sync  evidence.SyncMode
		batch int
	}{
		{"sync=batch", evidence.SyncBatch, 0},
		{"sync=none", evidence.SyncNone, 0},
		{"sync=batch/batch=256", evidence.SyncBatch, 256},
	} {
		b.Run(mode.name, func(b *testing.B) {
			_, priv, err := evidence.GenerateKey(nil)
			if err != nil {
				b.Fatal(err)
			}
			signer, err := evidence.NewNoteSigner("bench.aimskit.dev", priv)
			if err != nil {
				b.Fatal(err)
			}
			l, err := evidence.OpenFile(filepath.Join(b.TempDir(), "evidence.jsonl"), &evidence.FileOptions{
				Sync:            mode.sync,
				Signer:          signer,
				CheckpointEvery: 1000,
			})
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close(context.Background())
			r, err := aims.NewRecorder(l, &aims.RecorderOptions{Buffer: evidence.BufferOptions{BatchSize: mode.batch}})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			d := decision("approve")
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				if err := r.Record(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
			if err := r.Close(ctx); err != nil {
				b.Fatal(err)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			if s := r.Stats(); s.Written != uint64(b.N) {
				b.Fatalf("Stats() = %+v, want %d written", s, b.N)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
		})
	}
}
