package evidence_test

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// benchBatch is the number of records per Append in the benchmarks.
const benchBatch = 100

// benchRecords is the size of the logs of BenchmarkOpenFile and
// BenchmarkVerifyFile: go test -bench ... -args -records 10000000.
var benchRecords = flag.Int("records", 1_000_000, "records in the logs of BenchmarkOpenFile and BenchmarkVerifyFile")

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

// BenchmarkVerify verifies a log of 100,000 runtime decisions of about
// 700 bytes (decisionRecord) with a checkpoint every 1000, on one worker
// and on GOMAXPROCS workers, alternating the two in each round so that
// both see the same load; it reports the records per second of each and
// the speed-up of the workers over one.
//
//	go test -run '^$' -bench 'Verify$' -benchtime 10x ./aims/evidence/
func BenchmarkVerify(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	vkey := writeDecisionLog(b, path, n)
	log := readFile(b, path)
	cps := readFile(b, path+evidence.CheckpointsSuffix)
	ctx := context.Background()
	verify := func(workers int) time.Duration {
		start := time.Now()
		rep, err := evidence.VerifyLog(ctx, bytes.NewReader(log), bytes.NewReader(cps), &evidence.VerifyOptions{Key: vkey, Workers: workers})
		if err != nil || rep.Records != n {
			b.Fatalf("VerifyLog(%d workers) = %+v, %v", workers, rep, err)
		}
		return time.Since(start)
	}
	var one, all time.Duration
	b.SetBytes(2 * int64(len(log)))
	b.ReportAllocs()
	for b.Loop() {
		one += verify(1)
		all += verify(0)
	}
	b.ReportMetric(float64(b.N*n)/one.Seconds(), "records/s-1-worker")
	b.ReportMetric(float64(b.N*n)/all.Seconds(), "records/s-workers")
	b.ReportMetric(one.Seconds()/all.Seconds(), "speedup")
}

// BenchmarkVerifyFile verifies, as "aimskit evidence verify" does, a log
// file of -records runtime decisions of about 700 bytes (1,000,000 by
// default) with a checkpoint every 1000, on GOMAXPROCS workers, and
// reports records per second. The log is written once, before the timer.
//
//	go test -run '^$' -bench VerifyFile -benchtime 2x ./aims/evidence/ -args -records 30000000
func BenchmarkVerifyFile(b *testing.B) {
	n := *benchRecords
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	vkey := writeDecisionLog(b, path, n)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := evidence.VerifyFile(ctx, path, &evidence.VerifyOptions{Key: vkey})
		if err != nil || rep.Records != int64(n) {
			b.Fatalf("VerifyFile() = %+v, %v", rep, err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/verify")
}
