package evidence_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// BenchmarkOpenFile opens a log of -records records (1,000,000 by
// default; see benchRecords), with a signed
// checkpoint every 1,000, and reports the time of OpenFile, what it
// allocates, and the heap the open log holds (live-MB, from
// runtime.MemStats after a garbage collection). "tiles" opens the log
// with its tile files; "no-tiles" removes them first, as for a log
// written before they existed, so that OpenFile reads the whole log and
// writes them. "append" appends batches of 100 records to the open log.
func BenchmarkOpenFile(b *testing.B) {
	n := *benchRecords
	signer, _ := testNoteKeys(b)
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	opts := &evidence.FileOptions{Sync: evidence.SyncNone, Signer: signer}
	l, err := evidence.OpenFile(path, opts)
	if err != nil {
		b.Fatal(err)
	}
	appendN(b, l, 0, n, 1000)
	if err := l.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	open := func(b *testing.B, prepare func(testing.TB)) {
		var before, after runtime.MemStats
		var live uint64
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			prepare(b)
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.StartTimer()
			l, err := evidence.OpenFile(path, opts)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			live = max(live, after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc))
			if l.Len() != int64(n) {
				b.Fatalf("Len() = %d, want %d", l.Len(), n)
			}
			if err := l.Close(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(live)/1e6, "live-MB")
	}
	b.Run("tiles", func(b *testing.B) { open(b, func(testing.TB) {}) })
	b.Run("no-tiles", func(b *testing.B) {
		open(b, func(tb testing.TB) {
			if err := os.RemoveAll(path + ".tiles"); err != nil {
				tb.Fatal(err)
			}
		})
	})
	// append appends batches of 100 records to the open log of -records
	// records (last, since it grows the log).
	b.Run("append", func(b *testing.B) {
		l, err := evidence.OpenFile(path, opts)
		if err != nil {
			b.Fatal(err)
		}
		defer l.Close(context.Background())
		recs := make([]*evidence.Record, benchBatch)
		for i := range recs {
			recs[i] = evidencetest.Record(n + i)
		}
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := l.Append(ctx, recs...); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "records/s")
	})
}
