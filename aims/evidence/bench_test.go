package evidence_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// benchBatch is the number of records per Append in the benchmarks.
const benchBatch = 100

func benchmarkAppend(b *testing.B, sync evidence.SyncMode, batch int) {
	signer, _ := testNoteKeys(b)
	l, err := evidence.OpenFile(filepath.Join(b.TempDir(), "bench.jsonl"), &evidence.FileOptions{Sync: sync, Signer: signer})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close(context.Background())
	recs := make([]*evidence.Record, batch)
	for i := range recs {
		recs[i] = evidencetest.Record(i)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := l.Append(ctx, recs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkAppend appends batches of records with hash links, Merkle tree
// hashes and a signed checkpoint every 1000 records; SyncNone does not
// fsync, SyncBatch fsyncs once per batch.
func BenchmarkAppend(b *testing.B) {
	b.Run("SyncNone/batch=100", func(b *testing.B) { benchmarkAppend(b, evidence.SyncNone, benchBatch) })
	b.Run("SyncNone/batch=1", func(b *testing.B) { benchmarkAppend(b, evidence.SyncNone, 1) })
	b.Run("SyncBatch/batch=100", func(b *testing.B) { benchmarkAppend(b, evidence.SyncBatch, benchBatch) })
}

// BenchmarkVerify verifies a log of 100,000 records with a checkpoint
// every 1000.
func BenchmarkVerify(b *testing.B) {
	const n = 100_000
	signer, vkey := testNoteKeys(b)
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Sync: evidence.SyncNone, Signer: signer})
	if err != nil {
		b.Fatal(err)
	}
	appendN(b, l, 0, n, 1000)
	if err := l.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	log := readFile(b, path)
	cps := readFile(b, path+evidence.CheckpointsSuffix)
	ctx := context.Background()
	b.SetBytes(int64(len(log)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := evidence.Verify(ctx, bytes.NewReader(log), bytes.NewReader(cps), vkey)
		if err != nil || rep.Records != n {
			b.Fatalf("Verify() = %+v, %v", rep, err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
}
