package evidence_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

func TestConformanceMemorySink(t *testing.T) {
	evidencetest.Run(t,
		func(*testing.T) evidence.Sink { return new(evidence.MemorySink) },
		func(_ *testing.T, s evidence.Sink) []*evidence.Record { return s.(*evidence.MemorySink).Records() },
	)
}

func TestConformanceFileLog(t *testing.T) {
	for _, sync := range []evidence.SyncMode{evidence.SyncNone, evidence.SyncBatch} {
		t.Run(map[evidence.SyncMode]string{evidence.SyncNone: "SyncNone", evidence.SyncBatch: "SyncBatch"}[sync], func(t *testing.T) {
			signer, _ := testNoteKeys(t)
			evidencetest.Run(t,
				func(t *testing.T) evidence.Sink {
					return openLog(t, &evidence.FileOptions{Sync: sync, Signer: signer, CheckpointEvery: 7})
				},
				func(t *testing.T, s evidence.Sink) []*evidence.Record {
					return readLogRecords(t, s.(*evidence.FileLog).Path())
				},
			)
		})
	}
}

// TestConformanceMultiSink checks a MultiSink over a file log and a
// memory sink, reading the file.
func TestConformanceMultiSink(t *testing.T) {
	logs := make(map[evidence.Sink]*evidence.FileLog)
	evidencetest.Run(t,
		func(t *testing.T) evidence.Sink {
			l := openLog(t, nil)
			m := evidence.NewMultiSink(new(evidence.MemorySink), l, evidence.NewSlogSink(nil, nil))
			logs[m] = l
			return m
		},
		func(t *testing.T, s evidence.Sink) []*evidence.Record {
			return readLogRecords(t, logs[s].Path())
		},
	)
}

// TestConformanceOneSink runs the error-returning variant on one sink.
func TestConformanceOneSink(t *testing.T) {
	l := openLog(t, nil)
	err := evidencetest.TestSink(t.Context(), l, func() ([]*evidence.Record, error) {
		f, err := os.Open(l.Path())
		if err != nil {
			return nil, err
		}
		defer f.Close()
		var out []*evidence.Record
		for r, err := range evidence.Records(f) {
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	})
	if err != nil {
		t.Error(err)
	}
}

// TestConformanceCatchesBadSink checks that the suite finds the faults of
// a sink that breaks the rules.
func TestConformanceCatchesBadSink(t *testing.T) {
	var (
		mu     sync.Mutex
		stored []*evidence.Record
	)
	bad := evidence.SinkFunc(func(_ context.Context, r *evidence.Record) error {
		mu.Lock()
		defer mu.Unlock()
		stored = append(stored, r) // keeps the caller's record, accepts nil
		return nil
	})
	err := evidencetest.TestSink(t.Context(), bad, func() ([]*evidence.Record, error) {
		mu.Lock()
		defer mu.Unlock()
		out := make([]*evidence.Record, 0, len(stored))
		for _, r := range stored {
			if r != nil {
				out = append(out, r)
			}
		}
		return out, nil
	})
	if err == nil {
		t.Fatal("Test(bad sink) = nil, want errors")
	}
	for _, want := range []string{"NotRetained", "NilRecord", "InvalidRecord"} {
		if !strings.Contains(err.Error(), want+":") {
			t.Errorf("Test(bad sink) = %v, want a %s failure", err, want)
		}
	}
}

func readLogRecords(tb testing.TB, path string) []*evidence.Record {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []*evidence.Record
	for r, err := range evidence.Records(f) {
		if err != nil {
			tb.Fatalf("Records(%s): %v", path, err)
		}
		out = append(out, r)
	}
	return out
}

func TestSinkFunc(t *testing.T) {
	var got *evidence.Record
	s := evidence.SinkFunc(func(_ context.Context, r *evidence.Record) error {
		got = r
		return nil
	})
	r := evidencetest.Record(1)
	if err := s.Write(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	if got != r {
		t.Errorf("SinkFunc got %p, want %p", got, r)
	}
}

func TestMultiSink(t *testing.T) {
	errA, errB := errors.New("sink a down"), errors.New("sink b down")
	var calls []string
	sink := func(name string, err error) evidence.Sink {
		return evidence.SinkFunc(func(context.Context, *evidence.Record) error {
			calls = append(calls, name)
			return err
		})
	}
	m := evidence.NewMultiSink(sink("a", errA), nil, sink("ok", nil), sink("b", errB))
	err := m.Write(t.Context(), evidencetest.Record(1))
	if !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Errorf("Write() = %v, want errors matching both %v and %v", err, errA, errB)
	}
	if diff := cmp.Diff([]string{"a", "ok", "b"}, calls); diff != "" {
		t.Errorf("sinks called (-want +got):\n%s", diff)
	}

	calls = nil
	if err := m.Write(t.Context(), nil); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Write(nil) = %v, want an error matching ErrInvalid", err)
	}
	if len(calls) != 0 {
		t.Errorf("Write(nil) called sinks %v, want none", calls)
	}

	var zero evidence.MultiSink
	if err := zero.Write(t.Context(), evidencetest.Record(1)); err != nil {
		t.Errorf("zero MultiSink Write() = %v, want nil", err)
	}
}

// flushCloser counts Flush and Close calls.
type flushCloser struct {
	evidence.MemorySink
	flushes, closes int
	err             error
}

func (f *flushCloser) Flush(context.Context) error { f.flushes++; return f.err }
func (f *flushCloser) Close(context.Context) error { f.closes++; return f.err }

func TestMultiSinkFlushClose(t *testing.T) {
	boom := errors.New("boom")
	a, b := &flushCloser{}, &flushCloser{err: boom}
	m := evidence.NewMultiSink(a, new(evidence.MemorySink), b)
	if err := m.Flush(t.Context()); !errors.Is(err, boom) {
		t.Errorf("Flush() = %v, want an error matching %v", err, boom)
	}
	if err := m.Close(t.Context()); !errors.Is(err, boom) {
		t.Errorf("Close() = %v, want an error matching %v", err, boom)
	}
	if a.flushes != 1 || a.closes != 1 || b.flushes != 1 || b.closes != 1 {
		t.Errorf("flushes, closes = %d %d, %d %d; want 1 each", a.flushes, a.closes, b.flushes, b.closes)
	}
}

func TestMemorySink(t *testing.T) {
	var s evidence.MemorySink
	r := evidencetest.FullRecord(1)
	if err := s.Write(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	got := s.Records()
	got[0].Outcome = "changed by the caller"
	if diff := cmp.Diff([]*evidence.Record{r}, s.Records()); diff != "" {
		t.Errorf("Records() mismatch (-want +got):\n%s", diff)
	}
	if s.Len() != 1 {
		t.Errorf("Len() = %d, want 1", s.Len())
	}
	s.Reset()
	if s.Len() != 0 {
		t.Errorf("Len() after Reset = %d, want 0", s.Len())
	}
}

func TestSlogSink(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := evidence.NewSlogSink(logger, &evidence.SlogOptions{Level: slog.LevelWarn})
	r := evidencetest.FullRecord(1)
	r.Actor = "gate"
	r.Prev = evidence.Genesis
	if err := s.Write(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("log output %q: %v", buf.Bytes(), err)
	}
	wantKeys := []string{
		"time", "level", "msg",
		evidence.KeyRecordID, evidence.KeyType, evidence.KeyTime, evidence.KeySystemID, evidence.KeyControls,
		evidence.KeySubjects, evidence.KeyOutcome, evidence.KeyReasons, evidence.KeyActor, evidence.KeyPolicyRevision,
		evidence.KeyTraceID, evidence.KeySpanID, evidence.KeyDataBytes, evidence.KeyMasked, evidence.KeyPrev,
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	slices.Sort(wantKeys)
	if diff := cmp.Diff(wantKeys, keys); diff != "" {
		t.Errorf("logged keys mismatch (-want +got):\n%s", diff)
	}
	if got["msg"] != evidence.SlogMessage || got["level"] != "WARN" || got[evidence.KeyRecordID] != r.ID.String() ||
		got[evidence.KeyOutcome] != r.Outcome || got[evidence.KeyActor] != "gate" {
		t.Errorf("logged %v, want msg %q, level WARN, id %s, outcome %s", got, evidence.SlogMessage, r.ID, r.Outcome)
	}

	for _, s := range []*evidence.SlogSink{evidence.NewSlogSink(nil, nil), {}} {
		if err := s.Write(t.Context(), r); err != nil {
			t.Errorf("SlogSink without logger: Write() = %v, want nil", err)
		}
		if err := s.Write(t.Context(), nil); !errors.Is(err, evidence.ErrInvalid) {
			t.Errorf("Write(nil) = %v, want an error matching ErrInvalid", err)
		}
	}
}

func TestSlogSinkDisabledLevel(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelError}))
	if err := evidence.NewSlogSink(logger, nil).Write(t.Context(), evidencetest.Record(1)); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("a disabled level logged %q", buf.String())
	}
}
