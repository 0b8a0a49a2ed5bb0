package evidence_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
)

// decisionRecord returns record seq of a log of runtime decisions as
// aims.Recorder writes them for a model call: the decision's system,
// outcome, and as data the model, its version and the operation (an
// OpenTelemetry GenAI attribute), the digests of the prompt and the answer,
// the confidence and the latency, with the digests masked. Its log line
// is about 700 bytes, the size of the records of a real deployment (the
// records of evidencetest.Record are half as long).
func decisionRecord(seq int) *evidence.Record {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seq) * 731 * time.Microsecond)
	var id uuid.UUID
	ms := uint64(t.UnixMilli())
	binary.BigEndian.PutUint64(id[:], ms<<16|0x7000|uint64(seq)>>48&0xfff)
	binary.BigEndian.PutUint64(id[8:], 0x8000_0000_0000_0000|uint64(seq)&0x3fff_ffff_ffff_ffff)
	prompt := fmt.Appendf(nil, "prompt %d: score the credit application of customer %d", seq, seq*7919)
	answer := fmt.Appendf(nil, "answer %d: approve with a limit of %d", seq, 1000+seq%9000)
	in, out := evidence.DigestContent(prompt), evidence.DigestContent(answer)
	outcome := "approve"
	if seq%5 == 0 {
		outcome = "decline"
	}
	data := fmt.Appendf(nil, `{"gen_ai.request.model":"credit-scorer","modelVersion":"3.2.0","gen_ai.operation.name":"chat",`+
		`"input":{"sha256":"%s","length":%d},"output":{"sha256":"%s","length":%d},"confidence":0.%02d,"latencyNs":%d}`,
		in.SHA256, in.Length, out.SHA256, out.Length, 50+seq%50, 9_000_000+seq%4_000_000)
	return &evidence.Record{
		SchemaVersion: evidence.SchemaVersion,
		ID:            id,
		Time:          t,
		Type:          evidence.TypeRuntimeDecision,
		System:        uuid.MustParse("0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b"),
		Controls:      []string{"iso42001:A.6.2.8"},
		Outcome:       outcome,
		Data:          data,
		Masked:        []string{"/data/input", "/data/output"},
	}
}

// writeDecisionLog writes a log of n records of decisionRecord with a
// signed checkpoint every 1,000 records to path, as a FileLog writes it,
// and returns the verifier key of its checkpoints.
func writeDecisionLog(tb testing.TB, path string, n int) string {
	tb.Helper()
	signer, vkey := testNoteKeys(tb)
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Sync: evidence.SyncNone, Signer: signer, CheckpointEvery: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	recs := make([]*evidence.Record, 0, 1000)
	for i := range n {
		recs = append(recs, decisionRecord(i))
		if len(recs) == cap(recs) || i == n-1 {
			if _, err := l.Append(ctx, recs...); err != nil {
				tb.Fatal(err)
			}
			recs = recs[:0]
		}
	}
	if err := l.Close(ctx); err != nil {
		tb.Fatal(err)
	}
	return vkey
}

// TestDecisionRecordSize checks that decisionRecord makes valid records
// whose log lines are about 700 bytes long.
func TestDecisionRecordSize(t *testing.T) {
	var c evidence.Chain
	for _, seq := range []int{0, 1, 999, 1_000_000, 29_999_999} {
		line, err := c.AppendLine(nil, decisionRecord(seq))
		if err != nil {
			t.Fatalf("AppendLine(decisionRecord(%d)) = %v", seq, err)
		}
		if n := len(line); n < 650 || n > 750 {
			t.Errorf("len(line of decisionRecord(%d)) = %d, want about 700:\n%s", seq, n, line)
		}
		if seq == 1_000_000 {
			t.Logf("decisionRecord(%d), %d bytes:\n%s", seq, len(line), line)
		}
	}
}
