package aims_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
)

// capture is a slog handler that keeps the records it handles.
type capture struct {
	mu      sync.Mutex
	records []slog.Record
}

func (c *capture) Enabled(context.Context, slog.Level) bool { return true }
func (c *capture) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *capture) WithGroup(string) slog.Handler            { return c }

func (c *capture) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records = append(c.records, r.Clone())
	return nil
}

func (c *capture) all() []slog.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]slog.Record(nil), c.records...)
}

// attrs returns the attributes of r by key.
func attrs(r slog.Record) map[string]slog.Value {
	m := map[string]slog.Value{}
	r.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.Resolve()
		return true
	})
	return m
}

// TestRecorderLogsFailedBatches checks that, without OnError or
// FailOnError, every batch the sink refuses is logged at Error level and
// counted, while Record goes on returning nil.
func TestRecorderLogsFailedBatches(t *testing.T) {
	errSink := errors.New("disk full")
	logs := &capture{}
	r := newRecorder(t, evidence.SinkFunc(func(context.Context, *evidence.Record) error { return errSink }),
		&aims.RecorderOptions{Buffer: evidence.BufferOptions{BatchSize: 4, Logger: slog.New(logs)}})
	const n = 10
	for i := range n {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v, want nil: without FailOnError write failures are not Record's", i, err)
		}
	}
	if err := r.Flush(t.Context()); !errors.Is(err, errSink) {
		t.Errorf("Flush() = %v, want an error matching %v", err, errSink)
	}
	if got, want := r.Stats(), (evidence.BufferStats{Failed: n}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	var logged int64
	var entries int
	for _, rec := range logs.all() {
		if rec.Message != "evidence: buffer: evidence not written" {
			continue
		}
		entries++
		if rec.Level != slog.LevelError {
			t.Errorf("log entry %q at %s, want ERROR", rec.Message, rec.Level)
		}
		a := attrs(rec)
		logged += a["records"].Int64()
		if err, ok := a["error"].Any().(error); !ok || !errors.Is(err, errSink) {
			t.Errorf("log entry error = %v, want an error matching %v", a["error"], errSink)
		}
	}
	if entries == 0 || logged != n {
		t.Errorf("%d Error entries for %d records, want at least one entry and %d records in all", entries, logged, n)
	}
	closeRecorder(t, r)
}

// downSink is a sink that can be made to fail.
type downSink interface {
	evidence.Sink
	Records() []*evidence.Record
	setDown(down bool)
}

var (
	_ downSink = (*outage)(nil)
	_ downSink = (*switchSink)(nil)
)

// switchSink is a sink with Write only that fails while down.
type switchSink struct {
	evidence.MemorySink
	down atomic.Bool
}

func (s *switchSink) setDown(down bool) { s.down.Store(down) }

func (s *switchSink) Write(ctx context.Context, r *evidence.Record) error {
	if s.down.Load() {
		return errUnreachable
	}
	return s.MemorySink.Write(ctx, r)
}

// TestRecorderFailOnError checks that under FailOnError Record returns an
// error matching ErrNotRecorded, wrapping the sink's error, from the
// first batch the recorder gives up until one is written again.
func TestRecorderFailOnError(t *testing.T) {
	tests := []struct {
		name string
		sink downSink
	}{
		{"append", &outage{}},
		{"write", &switchSink{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			r := newRecorder(t, tt.sink, &aims.RecorderOptions{Buffer: evidence.BufferOptions{FailOnError: true}})
			if err := r.Record(ctx, decision("0")); err != nil {
				t.Fatalf("Record(0) = %v, want nil", err)
			}
			if err := r.Flush(ctx); err != nil {
				t.Fatalf("Flush() = %v, want nil", err)
			}

			tt.sink.setDown(true)
			// The batch of "1" may fail before or after Record returns:
			// either answer is right.
			if err := r.Record(ctx, decision("1")); err != nil && !errors.Is(err, aims.ErrNotRecorded) {
				t.Fatalf("Record(1) = %v, want nil or ErrNotRecorded", err)
			}
			if err := r.Flush(ctx); !errors.Is(err, errUnreachable) {
				t.Fatalf("Flush() while down = %v, want the sink's error", err)
			}
			err := r.Record(ctx, decision("2"))
			if !errors.Is(err, aims.ErrNotRecorded) || !errors.Is(err, errUnreachable) {
				t.Fatalf("Record(2) after a failed batch = %v, want ErrNotRecorded wrapping the sink's error", err)
			}
			if err := r.Flush(ctx); !errors.Is(err, errUnreachable) {
				t.Fatalf("Flush() while down = %v, want the sink's error", err)
			}

			tt.sink.setDown(false)
			// "3" is enqueued even though Record reports the failure; its
			// batch, written or not yet, decides what Record says.
			if err := r.Record(ctx, decision("3")); err != nil && !errors.Is(err, aims.ErrNotRecorded) {
				t.Fatalf("Record(3) = %v, want nil or ErrNotRecorded", err)
			}
			if err := r.Flush(ctx); err != nil {
				t.Fatalf("Flush() after the sink is back = %v, want nil", err)
			}
			if err := r.Record(ctx, decision("4")); err != nil {
				t.Fatalf("Record(4) after a batch was written = %v, want nil", err)
			}
			closeRecorder(t, r)
			if diff := cmp.Diff([]string{"0", "3", "4"}, outcomes(tt.sink.Records())); diff != "" {
				t.Errorf("outcomes written (-want +got):\n%s", diff)
			}
			if got, want := r.Stats(), (evidence.BufferStats{Written: 3, Failed: 2}); got != want {
				t.Errorf("Stats() = %+v, want %+v", got, want)
			}
		})
	}
}
