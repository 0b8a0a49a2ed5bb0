package evidence_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// bufRecord returns a valid record with outcome o.
func bufRecord(tb testing.TB, o string) *evidence.Record {
	tb.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		tb.Fatal(err)
	}
	return &evidence.Record{
		SchemaVersion: evidence.SchemaVersion,
		ID:            id,
		Time:          time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Type:          evidence.TypeRuntimeDecision,
		System:        uuid.MustParse("0190a1b2-0000-7000-8000-000000000001"),
		Outcome:       o,
		Data:          []byte(`{"n":1}`),
	}
}

func bufOutcomes(recs []*evidence.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Outcome
	}
	return out
}

func newBuffered(tb testing.TB, sink evidence.Sink, opts *evidence.BufferOptions) *evidence.Buffered {
	tb.Helper()
	b, err := evidence.NewBuffered(sink, opts)
	if err != nil {
		tb.Fatalf("NewBuffered() = %v", err)
	}
	tb.Cleanup(func() { b.Close(context.Background()) })
	return b
}

func TestConformanceBuffered(t *testing.T) {
	sinks := make(map[evidence.Sink]*evidence.MemorySink)
	evidencetest.Run(t,
		func(t *testing.T) evidence.Sink {
			m := new(evidence.MemorySink)
			b := newBuffered(t, m, nil)
			sinks[b] = m
			return b
		},
		func(t *testing.T, s evidence.Sink) []*evidence.Record {
			if err := s.(*evidence.Buffered).Flush(t.Context()); err != nil {
				t.Fatalf("Flush() = %v", err)
			}
			return sinks[s].Records()
		},
	)
}

// batchMemory records the sizes of the batches written to it.
type batchMemory struct {
	evidence.MemorySink
	mu      sync.Mutex
	batches []int
	down    bool
}

var _ evidence.BatchSink = (*batchMemory)(nil)

var errDown = errors.New("sink down")

func (s *batchMemory) setDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

func (s *batchMemory) WriteBatch(ctx context.Context, recs []*evidence.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return errDown
	}
	s.batches = append(s.batches, len(recs))
	for _, r := range recs {
		if err := s.MemorySink.Write(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// TestBufferedBatchesInOrder checks that a Buffered sink writes through
// WriteBatch, in batches of at most BatchSize, in order, and copies the
// records it is given.
func TestBufferedBatchesInOrder(t *testing.T) {
	s := &batchMemory{}
	b := newBuffered(t, s, &evidence.BufferOptions{Size: 64, BatchSize: 4})
	var want []string
	for i := range 11 {
		r := bufRecord(t, fmt.Sprint(i))
		if err := b.Write(t.Context(), r); err != nil {
			t.Fatalf("Write(%d) = %v", i, err)
		}
		r.Outcome, r.Data[0] = "changed", 'x' // Write copied r
		want = append(want, fmt.Sprint(i))
	}
	if err := b.Close(t.Context()); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if diff := cmp.Diff(want, bufOutcomes(s.Records())); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	for _, r := range s.Records() {
		if string(r.Data) != `{"n":1}` {
			t.Errorf("record %s data = %s, want the data as written", r.Outcome, r.Data)
		}
	}
	for _, n := range s.batches {
		if n < 1 || n > 4 {
			t.Errorf("batch of %d records, want 1 to 4", n)
		}
	}
	if got, want := b.Stats(), (evidence.BufferStats{Written: 11}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	if err := b.Write(t.Context(), bufRecord(t, "late")); !errors.Is(err, evidence.ErrClosed) {
		t.Errorf("Write() after Close = %v, want ErrClosed", err)
	}
	if err := b.Flush(t.Context()); !errors.Is(err, evidence.ErrClosed) {
		t.Errorf("Flush() after Close = %v, want ErrClosed", err)
	}
}

func TestBufferedInvalid(t *testing.T) {
	b := newBuffered(t, new(evidence.MemorySink), nil)
	if err := b.Write(t.Context(), nil); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Write(nil) = %v, want ErrInvalid", err)
	}
	for _, opts := range []*evidence.BufferOptions{
		{Size: -1},
		{BatchSize: -1},
		{Full: evidence.FullPolicy(9)},
	} {
		if b, err := evidence.NewBuffered(new(evidence.MemorySink), opts); !errors.Is(err, evidence.ErrInvalid) {
			t.Errorf("NewBuffered(%+v) = %v, want ErrInvalid", *opts, err)
			if b != nil {
				b.Close(t.Context())
			}
		}
	}
}

// holdSink holds its first Write until release is closed.
type holdSink struct {
	evidence.MemorySink
	once    sync.Once
	entered chan struct{}
	release chan struct{}
}

func newHoldSink() *holdSink {
	return &holdSink{entered: make(chan struct{}), release: make(chan struct{})}
}

func (s *holdSink) Write(ctx context.Context, r *evidence.Record) error {
	s.once.Do(func() {
		close(s.entered)
		<-s.release
	})
	return s.MemorySink.Write(ctx, r)
}

// fillBuffered returns a Buffered of size n whose goroutine holds one
// record in the sink and whose buffer is full.
func fillBuffered(t *testing.T, full evidence.FullPolicy, n int) (*evidence.Buffered, *holdSink) {
	s := newHoldSink()
	b := newBuffered(t, s, &evidence.BufferOptions{Size: n, BatchSize: 1, Full: full})
	if err := b.Write(t.Context(), bufRecord(t, "held")); err != nil {
		t.Fatal(err)
	}
	<-s.entered
	for i := range n {
		if err := b.Write(t.Context(), bufRecord(t, fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	return b, s
}

func TestBufferedFull(t *testing.T) {
	t.Run("drop", func(t *testing.T) {
		b, s := fillBuffered(t, evidence.FullDrop, 2)
		if err := b.Write(t.Context(), bufRecord(t, "dropped")); err != nil {
			t.Errorf("Write(full) = %v, want nil under FullDrop", err)
		}
		close(s.release)
		if err := b.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got, want := b.Stats(), (evidence.BufferStats{Written: 3, Dropped: 1}); got != want {
			t.Errorf("Stats() = %+v, want %+v", got, want)
		}
	})
	t.Run("fail", func(t *testing.T) {
		b, s := fillBuffered(t, evidence.FullFail, 2)
		if err := b.Write(t.Context(), bufRecord(t, "refused")); !errors.Is(err, evidence.ErrBufferFull) {
			t.Errorf("Write(full) = %v, want ErrBufferFull", err)
		}
		close(s.release)
		if err := b.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got, want := b.Stats(), (evidence.BufferStats{Written: 3}); got != want {
			t.Errorf("Stats() = %+v, want %+v", got, want)
		}
	})
	t.Run("block", func(t *testing.T) {
		b, s := fillBuffered(t, evidence.FullBlock, 2)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := b.Write(ctx, bufRecord(t, "waits")); !errors.Is(err, context.Canceled) {
			t.Errorf("Write(full, cancelled) = %v, want context.Canceled", err)
		}
		close(s.release)
		if err := b.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"held", "0", "1"}, bufOutcomes(s.Records())); diff != "" {
			t.Errorf("outcomes (-want +got):\n%s", diff)
		}
	})
}

// TestBufferedFailOnError checks that under FailOnError Write returns an
// error matching ErrNotRecorded from the first batch given up until one
// is written again, and that Flush returns the sink's error.
func TestBufferedFailOnError(t *testing.T) {
	ctx := t.Context()
	s := &batchMemory{}
	var (
		mu   sync.Mutex
		seen []error
	)
	b := newBuffered(t, s, &evidence.BufferOptions{FailOnError: true, OnError: func(err error) {
		mu.Lock()
		seen = append(seen, err)
		mu.Unlock()
	}})
	s.setDown(true)
	if err := b.Write(ctx, bufRecord(t, "0")); err != nil && !errors.Is(err, evidence.ErrNotRecorded) {
		t.Fatalf("Write(0) = %v, want nil or ErrNotRecorded", err)
	}
	if err := b.Flush(ctx); !errors.Is(err, errDown) {
		t.Fatalf("Flush() while down = %v, want the sink's error", err)
	}
	if err := b.Write(ctx, bufRecord(t, "1")); !errors.Is(err, evidence.ErrNotRecorded) || !errors.Is(err, errDown) {
		t.Fatalf("Write(1) after a failed batch = %v, want ErrNotRecorded wrapping the sink's error", err)
	}
	if err := b.Flush(ctx); !errors.Is(err, errDown) {
		t.Fatalf("Flush() while down = %v, want the sink's error", err)
	}
	s.setDown(false)
	if err := b.Write(ctx, bufRecord(t, "2")); err != nil && !errors.Is(err, evidence.ErrNotRecorded) {
		t.Fatalf("Write(2) = %v, want nil or ErrNotRecorded", err)
	}
	if err := b.Flush(ctx); err != nil {
		t.Fatalf("Flush() after the sink is back = %v", err)
	}
	if err := b.Write(ctx, bufRecord(t, "3")); err != nil {
		t.Fatalf("Write(3) after a batch was written = %v, want nil", err)
	}
	if err := b.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"2", "3"}, bufOutcomes(s.Records())); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if got, want := b.Stats(), (evidence.BufferStats{Written: 2, Failed: 2}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Errorf("OnError saw %d errors, want 2", len(seen))
	}
}

// TestBufferedRetry checks that a Retry policy writes a failed batch
// again, in order, once the sink is back.
func TestBufferedRetry(t *testing.T) {
	s := &batchMemory{}
	s.setDown(true)
	attempts := make(chan error)
	resume := make(chan bool)
	b := newBuffered(t, s, &evidence.BufferOptions{BatchSize: 2, Retry: func(ctx context.Context, attempt int, err error) bool {
		attempts <- err
		return <-resume
	}})
	for i := range 2 {
		if err := b.Write(t.Context(), bufRecord(t, fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-attempts; !errors.Is(err, errDown) {
		t.Fatalf("Retry got %v, want the sink's error", err)
	}
	s.setDown(false)
	resume <- true
	if err := b.Close(t.Context()); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if diff := cmp.Diff([]string{"0", "1"}, bufOutcomes(s.Records())); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if got, want := b.Stats(), (evidence.BufferStats{Written: 2}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestRetryBackoff(t *testing.T) {
	retry := evidence.RetryBackoff(0, 0)
	if !retry(t.Context(), 1, errDown) {
		t.Error("RetryBackoff: first retry = false, want true")
	}
	if retry(t.Context(), 1, fmt.Errorf("bad: %w", evidence.ErrInvalid)) {
		t.Error("RetryBackoff retries an invalid record, want no retry")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if evidence.RetryBackoff(time.Hour, time.Hour)(ctx, 5, errDown) {
		t.Error("RetryBackoff with a done context = true, want false")
	}
}

func TestFullPolicyString(t *testing.T) {
	for p, want := range map[evidence.FullPolicy]string{
		evidence.FullBlock: "block", evidence.FullDrop: "drop", evidence.FullFail: "fail", 9: "FullPolicy(9)",
	} {
		if got := p.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(p), got, want)
		}
	}
}

// TestQueueOffer checks that Offer reports which entries it dropped under
// FullDrop, and that Add, which does not, returns nil for them alike.
func TestQueueOffer(t *testing.T) {
	open := make(chan struct{})
	sink := evidence.SinkFunc(func(context.Context, *evidence.Record) error { <-open; return nil })
	build := func(dst *evidence.Record, data []byte, o *string) []byte {
		*dst = *bufRecord(t, *o)
		return data
	}
	q, err := evidence.NewQueue(sink, build, &evidence.BufferOptions{Size: 1, BatchSize: 1, Full: evidence.FullDrop})
	if err != nil {
		t.Fatal(err)
	}
	var dropped uint64
	for i := range 4 {
		queued, err := q.Offer(t.Context(), fmt.Sprint(i))
		if err != nil {
			t.Fatalf("Offer: %v", err)
		}
		if !queued {
			dropped++
		}
	}
	if err := q.Add(t.Context(), "last"); err != nil {
		t.Fatalf("Add when full = %v, want nil under FullDrop", err)
	}
	close(open)
	if err := q.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	s := q.Stats()
	if dropped == 0 || s.Dropped < dropped || s.Written+s.Dropped != 5 {
		t.Errorf("Offer reported %d dropped; stats %+v; want at least one, each counted", dropped, s)
	}
	if queued, err := q.Offer(t.Context(), "closed"); queued || !errors.Is(err, evidence.ErrClosed) {
		t.Errorf("Offer after Close = %v, %v; want false, ErrClosed", queued, err)
	}
}
