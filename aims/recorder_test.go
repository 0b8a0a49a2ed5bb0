package aims_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
)

var recorderSystem = uuid.MustParse("0c6f7f3e-3b7d-4c8e-9a1f-2d5b8e7c4a10")

// decision returns a valid decision whose outcome is outcome.
func decision(outcome string) aims.ModelDecision {
	return aims.ModelDecision{
		System:       recorderSystem,
		Model:        "credit-scorer",
		ModelVersion: "3.2.0",
		Input:        evidence.DigestContent([]byte("prompt")),
		Output:       evidence.DigestContent([]byte("answer")),
		Outcome:      outcome,
		Confidence:   new(0.87),
		Latency:      12 * time.Millisecond,
	}
}

func newRecorder(t testing.TB, sink evidence.Sink, opts *aims.RecorderOptions) *aims.Recorder {
	t.Helper()
	r, err := aims.NewRecorder(sink, opts)
	if err != nil {
		t.Fatalf("NewRecorder() = %v", err)
	}
	return r
}

// closeRecorder closes r and checks that its goroutine is gone.
func closeRecorder(t testing.TB, r *aims.Recorder) {
	t.Helper()
	if err := r.Close(t.Context()); err != nil {
		t.Errorf("Close() = %v, want nil", err)
	}
	checkNoRecorderGoroutine(t)
}

// checkNoRecorderGoroutine fails the test if a recorder goroutine is
// still running. Close returns only after the goroutine has closed its
// done channel; the goroutine may still be returning, so the check yields
// to the scheduler a bounded number of times rather than sleeping.
func checkNoRecorderGoroutine(t testing.TB) {
	t.Helper()
	var stacks strings.Builder
	for range 1000 {
		stacks.Reset()
		pprof.Lookup("goroutine").WriteTo(&stacks, 1)
		if !strings.Contains(stacks.String(), "aims.(*Recorder).run") {
			return
		}
		runtime.Gosched()
	}
	t.Errorf("a recorder goroutine is still running:\n%s", stacks.String())
}

// gate is a sink that blocks in Write until released, ignoring its
// context, and stores what it accepts in a MemorySink.
type gate struct {
	evidence.MemorySink
	entered chan struct{} // receives once per Write
	release chan struct{}
}

func newGate() *gate {
	return &gate{entered: make(chan struct{}, 1<<16), release: make(chan struct{})}
}

func (g *gate) Write(ctx context.Context, r *evidence.Record) error {
	g.entered <- struct{}{}
	<-g.release
	return g.MemorySink.Write(context.WithoutCancel(ctx), r)
}

func outcomes(recs []*evidence.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Outcome
	}
	return out
}

func TestRecorderWritesInOrder(t *testing.T) {
	var sink evidence.MemorySink
	r := newRecorder(t, &sink, &aims.RecorderOptions{Buffer: evidence.BufferOptions{BatchSize: 7, Size: 16}})
	var want []string
	for i := range 1000 {
		o := fmt.Sprintf("d%04d", i)
		want = append(want, o)
		if err := r.Record(t.Context(), decision(o)); err != nil {
			t.Fatalf("Record(%d) = %v", i, err)
		}
	}
	closeRecorder(t, r)
	recs := sink.Records()
	if diff := cmp.Diff(want, outcomes(recs)); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	for _, rec := range recs {
		if err := rec.Validate(); err != nil {
			t.Fatalf("record %s: Validate() = %v", rec.ID, err)
		}
	}
	if got, want := r.Stats(), (evidence.BufferStats{Written: 1000}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestRecorderRecordContent(t *testing.T) {
	var sink evidence.MemorySink
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	id := uuid.Must(uuid.NewV7())
	r := newRecorder(t, &sink, &aims.RecorderOptions{
		Clock: func() time.Time { return at },
		NewID: func() (uuid.UUID, error) { return id, nil },
		Trace: func(context.Context) (string, string) {
			return "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
		},
	})
	d := decision("approve")
	d.Review = &aims.HumanReview{Reviewer: "reviewer-7", Overridden: true}
	if err := r.Record(t.Context(), d); err != nil {
		t.Fatalf("Record() = %v", err)
	}
	d.Review.Overridden = false // Record copied the review
	closeRecorder(t, r)

	recs := sink.Records()
	if len(recs) != 1 {
		t.Fatalf("sink has %d records, want 1", len(recs))
	}
	got := recs[0]
	want := &evidence.Record{
		SchemaVersion: evidence.SchemaVersion,
		ID:            id,
		Time:          at.UTC(),
		Type:          evidence.TypeRuntimeDecision,
		System:        recorderSystem,
		Controls:      []string{"iso42001:A.6.2.8"},
		Outcome:       "approve",
		TraceID:       "4bf92f3577b34da6a3ce929d0e0e4736",
		SpanID:        "00f067aa0ba902b7",
		Masked:        []string{"/data/input", "/data/output"},
	}
	data := got.Data
	got.Data = nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	var gotData map[string]any
	if err := json.Unmarshal(data, &gotData); err != nil {
		t.Fatalf("data %s: %v", data, err)
	}
	in, out := evidence.DigestContent([]byte("prompt")), evidence.DigestContent([]byte("answer"))
	wantData := map[string]any{
		"gen_ai.request.model": "credit-scorer",
		"modelVersion":         "3.2.0",
		"input":                map[string]any{"sha256": in.SHA256, "length": float64(in.Length)},
		"output":               map[string]any{"sha256": out.SHA256, "length": float64(out.Length)},
		"confidence":           0.87,
		"review":               map[string]any{"reviewer": "reviewer-7", "overridden": true},
		"latencyNs":            float64(12 * time.Millisecond),
	}
	if diff := cmp.Diff(wantData, gotData); diff != "" {
		t.Errorf("data (-want +got):\n%s", diff)
	}
}

func TestRecorderDataEscaping(t *testing.T) {
	tests := []struct {
		name       string
		model      string
		confidence float64
	}{
		{"plain", "credit-scorer", 0.5},
		{"quotes and backslash", `a "quoted" \ name`, 1},
		{"control characters", "tab\tnewline\n\x00", -3.25},
		{"unicode", "modèle-信用 <&>", 1e-9},
		{"invalid UTF-8", "bad\xff", 1e21},
		{"tiny", "m", 5e-324},
		{"zero", "", 0},
	}
	var sink evidence.MemorySink
	r := newRecorder(t, &sink, nil)
	for _, tt := range tests {
		d := decision(tt.name)
		d.Model, d.ModelVersion, d.Confidence = tt.model, tt.model, &tt.confidence
		d.Review = &aims.HumanReview{Reviewer: tt.model}
		if err := r.Record(t.Context(), d); err != nil {
			t.Fatalf("Record(%s) = %v", tt.name, err)
		}
	}
	closeRecorder(t, r)
	for i, rec := range sink.Records() {
		tt := tests[i]
		var got struct {
			Model      string  `json:"gen_ai.request.model"`
			Version    string  `json:"modelVersion"`
			Confidence float64 `json:"confidence"`
			Review     struct {
				Reviewer string `json:"reviewer"`
			} `json:"review"`
		}
		if err := json.Unmarshal(rec.Data, &got); err != nil {
			t.Fatalf("%s: data %s: %v", tt.name, rec.Data, err)
		}
		want, _ := json.Marshal(tt.model)
		var wantModel string
		json.Unmarshal(want, &wantModel) // as encoding/json writes it: invalid UTF-8 replaced
		if got.Model != wantModel || got.Version != wantModel || got.Review.Reviewer != wantModel || got.Confidence != tt.confidence {
			t.Errorf("%s: data %s decodes to %+v, want model %q, confidence %v", tt.name, rec.Data, got, wantModel, tt.confidence)
		}
	}
}

func TestRecorderBadTraceIDsLeftOut(t *testing.T) {
	tests := []struct {
		name         string
		trace, span  string
		wantT, wantS string
	}{
		{name: "upper case", trace: "4BF92F3577B34DA6A3CE929D0E0E4736", span: "00F067AA0BA902B7"},
		{name: "all zero", trace: strings.Repeat("0", 32), span: strings.Repeat("0", 16)},
		{name: "short", trace: "4bf9", span: "00f0"},
		{name: "span only", span: "00f067aa0ba902b7", wantS: "00f067aa0ba902b7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sink evidence.MemorySink
			r := newRecorder(t, &sink, &aims.RecorderOptions{
				Trace: func(context.Context) (string, string) { return tt.trace, tt.span },
			})
			if err := r.Record(t.Context(), decision("x")); err != nil {
				t.Fatalf("Record() = %v", err)
			}
			closeRecorder(t, r)
			rec := sink.Records()[0]
			if rec.TraceID != tt.wantT || rec.SpanID != tt.wantS {
				t.Errorf("trace, span = %q, %q; want %q, %q", rec.TraceID, rec.SpanID, tt.wantT, tt.wantS)
			}
		})
	}
}

func TestRecorderConcurrent(t *testing.T) {
	const goroutines, each = 8, 1000
	var sink evidence.MemorySink
	r := newRecorder(t, &sink, &aims.RecorderOptions{Buffer: evidence.BufferOptions{Size: 64, BatchSize: 32}})
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				if err := r.Record(context.Background(), decision(fmt.Sprintf("%d-%04d", g, i))); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Record() = %v", err)
	}
	closeRecorder(t, r)

	recs := sink.Records()
	if len(recs) != goroutines*each {
		t.Fatalf("sink has %d records, want %d", len(recs), goroutines*each)
	}
	ids := make(map[uuid.UUID]bool)
	next := make(map[string]int) // per goroutine, the index expected next
	for _, rec := range recs {
		if ids[rec.ID] {
			t.Fatalf("record %s written twice", rec.ID)
		}
		ids[rec.ID] = true
		var g string
		var i int
		if _, err := fmt.Sscanf(strings.Replace(rec.Outcome, "-", " ", 1), "%s %d", &g, &i); err != nil {
			t.Fatalf("outcome %q: %v", rec.Outcome, err)
		}
		if i != next[g] {
			t.Fatalf("goroutine %s: record %d written after %d", g, i, next[g]-1)
		}
		next[g]++
	}
	if got, want := r.Stats(), (evidence.BufferStats{Written: goroutines * each}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

// fill starts a recorder on a gate with room for buffer decisions, and
// fills it: the first decision is held in the sink, the next buffer in
// the buffer.
func fill(t *testing.T, full evidence.FullPolicy, buffer int) (*aims.Recorder, *gate) {
	t.Helper()
	g := newGate()
	r := newRecorder(t, g, &aims.RecorderOptions{Buffer: evidence.BufferOptions{Size: buffer, BatchSize: 1, Full: full}})
	if err := r.Record(t.Context(), decision("held")); err != nil {
		t.Fatalf("Record(held) = %v", err)
	}
	<-g.entered
	for i := range buffer {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v", i, err)
		}
	}
	return r, g
}

func TestRecorderDropCounts(t *testing.T) {
	r, g := fill(t, evidence.FullDrop, 4)
	for i := range 3 {
		if err := r.Record(t.Context(), decision("dropped")); err != nil {
			t.Fatalf("Record(dropped %d) = %v, want nil", i, err)
		}
	}
	if got := r.Stats().Dropped; got != 3 {
		t.Errorf("Stats().Dropped = %d, want 3", got)
	}
	close(g.release)
	closeRecorder(t, r)
	if got, want := r.Stats(), (evidence.BufferStats{Written: 5, Dropped: 3}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	if diff := cmp.Diff([]string{"held", "0", "1", "2", "3"}, outcomes(g.Records())); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
}

func TestRecorderFailWhenFull(t *testing.T) {
	r, g := fill(t, evidence.FullFail, 2)
	if err := r.Record(t.Context(), decision("refused")); !errors.Is(err, evidence.ErrBufferFull) {
		t.Errorf("Record(full) = %v, want ErrBufferFull", err)
	}
	close(g.release)
	closeRecorder(t, r)
	if got, want := r.Stats(), (evidence.BufferStats{Written: 3}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestRecorderBlockHonoursContext(t *testing.T) {
	r, g := fill(t, evidence.FullBlock, 2)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if err := r.Record(ctx, decision("late")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Record(full, ctx expires) = %v, want DeadlineExceeded", err)
	}
	close(g.release)
	if err := r.Flush(t.Context()); err != nil {
		t.Fatalf("Flush() = %v", err)
	}
	// With room, a cancelled context does not stop the evidence of a
	// decision already made.
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	if err := r.Record(cancelled, decision("cancelled")); err != nil {
		t.Errorf("Record(room, cancelled ctx) = %v, want nil", err)
	}
	closeRecorder(t, r)
	if diff := cmp.Diff([]string{"held", "0", "1", "cancelled"}, outcomes(g.Records())); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
}

func TestRecorderFlush(t *testing.T) {
	var sink evidence.MemorySink
	r := newRecorder(t, &sink, &aims.RecorderOptions{Buffer: evidence.BufferOptions{BatchSize: 3}})
	for i := range 10 {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v", i, err)
		}
	}
	if err := r.Flush(t.Context()); err != nil {
		t.Fatalf("Flush() = %v", err)
	}
	if got := sink.Len(); got != 10 {
		t.Errorf("after Flush, sink has %d records, want 10", got)
	}
	if err := r.Flush(t.Context()); err != nil {
		t.Errorf("Flush(empty) = %v", err)
	}
	closeRecorder(t, r)
	if err := r.Flush(t.Context()); !errors.Is(err, aims.ErrRecorderClosed) {
		t.Errorf("Flush() after Close = %v, want ErrRecorderClosed", err)
	}
}

// flushSink counts calls to Flush.
type flushSink struct {
	evidence.MemorySink
	mu      sync.Mutex
	flushes int
}

func (s *flushSink) Flush(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushes++
	return nil
}

func TestRecorderFlushesSink(t *testing.T) {
	s := &flushSink{}
	r := newRecorder(t, s, nil)
	if err := r.Flush(t.Context()); err != nil {
		t.Fatalf("Flush() = %v", err)
	}
	closeRecorder(t, r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flushes != 2 {
		t.Errorf("sink flushed %d times, want 2 (Flush and Close)", s.flushes)
	}
}

func TestRecorderInvalidDecision(t *testing.T) {
	tests := []struct {
		name   string
		change func(*aims.ModelDecision)
	}{
		{"nil system", func(d *aims.ModelDecision) { d.System = uuid.Nil }},
		{"NaN confidence", func(d *aims.ModelDecision) { d.Confidence = new(math.NaN()) }},
		{"+Inf confidence", func(d *aims.ModelDecision) { d.Confidence = new(math.Inf(1)) }},
		{"-Inf confidence", func(d *aims.ModelDecision) { d.Confidence = new(math.Inf(-1)) }},
		{"negative latency", func(d *aims.ModelDecision) { d.Latency = -time.Millisecond }},
		{"short digest", func(d *aims.ModelDecision) { d.Input.SHA256 = "abc" }},
		{"upper-case digest", func(d *aims.ModelDecision) { d.Output.SHA256 = strings.ToUpper(d.Output.SHA256) }},
		{"negative length", func(d *aims.ModelDecision) { d.Input.Length = -1 }},
	}
	var sink evidence.MemorySink
	r := newRecorder(t, &sink, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decision(tt.name)
			tt.change(&d)
			if err := d.Validate(); !errors.Is(err, aims.ErrInvalidDecision) {
				t.Errorf("Validate() = %v, want ErrInvalidDecision", err)
			}
			if err := r.Record(t.Context(), d); !errors.Is(err, aims.ErrInvalidDecision) {
				t.Errorf("Record() = %v, want ErrInvalidDecision", err)
			}
		})
	}
	closeRecorder(t, r)
	if got := sink.Len(); got != 0 {
		t.Errorf("sink has %d records, want 0", got)
	}
}

func TestRecorderZeroContentLeftOut(t *testing.T) {
	var sink evidence.MemorySink
	r := newRecorder(t, &sink, nil)
	d := decision("x")
	d.Input = evidence.Content{}
	if err := r.Record(t.Context(), d); err != nil {
		t.Fatalf("Record() = %v", err)
	}
	closeRecorder(t, r)
	rec := sink.Records()[0]
	if diff := cmp.Diff([]string{"/data/output"}, rec.Masked); diff != "" {
		t.Errorf("Masked (-want +got):\n%s", diff)
	}
	if strings.Contains(string(rec.Data), `"input"`) {
		t.Errorf("Data = %s, want no input", rec.Data)
	}
}

func TestRecorderBadID(t *testing.T) {
	var sink evidence.MemorySink
	errID := errors.New("no entropy")
	for _, newID := range []func() (uuid.UUID, error){
		func() (uuid.UUID, error) { return uuid.Nil, errID },
		func() (uuid.UUID, error) { return uuid.New(), nil }, // version 4
	} {
		r := newRecorder(t, &sink, &aims.RecorderOptions{NewID: newID})
		if err := r.Record(t.Context(), decision("x")); err == nil {
			t.Errorf("Record() with a bad NewID = nil, want an error")
		}
		closeRecorder(t, r)
	}
	if got := sink.Len(); got != 0 {
		t.Errorf("sink has %d records, want 0", got)
	}
}

func TestNewRecorderOptions(t *testing.T) {
	var sink evidence.MemorySink
	for _, opts := range []*aims.RecorderOptions{
		{Buffer: evidence.BufferOptions{Size: -1}},
		{Buffer: evidence.BufferOptions{BatchSize: -1}},
		{Buffer: evidence.BufferOptions{Full: evidence.FullPolicy(9)}},
	} {
		if r, err := aims.NewRecorder(&sink, opts); err == nil {
			t.Errorf("NewRecorder(%+v) = nil error, want an error", *opts)
			r.Close(t.Context())
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("NewRecorder(nil sink) did not panic")
			}
		}()
		aims.NewRecorder(nil, nil)
	}()
	checkNoRecorderGoroutine(t)
}

func TestRecorderClosed(t *testing.T) {
	var sink evidence.MemorySink
	r := newRecorder(t, &sink, nil)
	closeRecorder(t, r)
	if err := r.Record(t.Context(), decision("x")); !errors.Is(err, aims.ErrRecorderClosed) {
		t.Errorf("Record() after Close = %v, want ErrRecorderClosed", err)
	}
	if err := r.Close(t.Context()); err != nil {
		t.Errorf("second Close() = %v, want nil", err)
	}
}

func TestRecorderFailingSink(t *testing.T) {
	errSink := errors.New("disk full")
	var (
		mu   sync.Mutex
		seen []error
	)
	r := newRecorder(t, evidence.SinkFunc(func(context.Context, *evidence.Record) error {
		return errSink
	}), &aims.RecorderOptions{Buffer: evidence.BufferOptions{
		BatchSize: 4,
		OnError: func(err error) {
			mu.Lock()
			seen = append(seen, err)
			mu.Unlock()
		},
	}})
	for i := range 10 {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v", i, err)
		}
	}
	if err := r.Flush(t.Context()); !errors.Is(err, errSink) {
		t.Errorf("Flush() = %v, want an error matching %v", err, errSink)
	}
	if err := r.Flush(t.Context()); err != nil {
		t.Errorf("second Flush() = %v, want nil (the error was reported)", err)
	}
	if err := r.Record(t.Context(), decision("last")); err != nil {
		t.Fatalf("Record(last) = %v", err)
	}
	if err := r.Close(t.Context()); !errors.Is(err, errSink) {
		t.Errorf("Close() = %v, want an error matching %v", err, errSink)
	}
	checkNoRecorderGoroutine(t)
	if got, want := r.Stats(), (evidence.BufferStats{Failed: 11}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatalf("OnError was not called")
	}
	for _, err := range seen {
		if !errors.Is(err, errSink) {
			t.Errorf("OnError(%v), want an error matching %v", err, errSink)
		}
	}
}

func TestRecorderPanickingSinkAndHandler(t *testing.T) {
	r := newRecorder(t, evidence.SinkFunc(func(context.Context, *evidence.Record) error {
		panic("sink bug")
	}), &aims.RecorderOptions{Buffer: evidence.BufferOptions{OnError: func(error) { panic("handler bug") }}})
	if err := r.Record(t.Context(), decision("x")); err != nil {
		t.Fatalf("Record() = %v", err)
	}
	if err := r.Close(t.Context()); err == nil || !strings.Contains(err.Error(), "sink bug") {
		t.Errorf("Close() = %v, want the sink's panic as an error", err)
	}
	checkNoRecorderGoroutine(t)
	if got := r.Stats().Failed; got != 1 {
		t.Errorf("Stats().Failed = %d, want 1", got)
	}
}

func TestRecorderHangingSink(t *testing.T) {
	g := newGate()
	r := newRecorder(t, g, &aims.RecorderOptions{Buffer: evidence.BufferOptions{Size: 1, BatchSize: 1}})
	if err := r.Record(t.Context(), decision("held")); err != nil {
		t.Fatalf("Record(held) = %v", err)
	}
	<-g.entered
	if err := r.Record(t.Context(), decision("queued")); err != nil {
		t.Fatalf("Record(queued) = %v", err)
	}
	// A caller waiting for room is released by Close.
	waiting := make(chan error)
	go func() { waiting <- r.Record(context.Background(), decision("waiting")) }()

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := r.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Close(cancelled ctx) with a hanging sink = %v, want context.Canceled", err)
	}
	if err := <-waiting; !errors.Is(err, aims.ErrRecorderClosed) {
		t.Errorf("waiting Record() = %v, want ErrRecorderClosed", err)
	}
	if err := r.Record(t.Context(), decision("after")); !errors.Is(err, aims.ErrRecorderClosed) {
		t.Errorf("Record() after Close = %v, want ErrRecorderClosed", err)
	}

	close(g.release)
	// The second Close waits for the goroutine, which ends once the sink
	// returns. The gate ignores its context, so both records are written.
	if err := r.Close(t.Context()); err != nil {
		t.Errorf("second Close() = %v, want nil", err)
	}
	checkNoRecorderGoroutine(t)
	if diff := cmp.Diff([]string{"held", "queued"}, outcomes(g.Records())); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
}

// ctxSink blocks until its context is done, then fails.
type ctxSink struct{ entered chan struct{} }

func (s ctxSink) Write(ctx context.Context, r *evidence.Record) error {
	s.entered <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

func TestRecorderCloseCancelsWrites(t *testing.T) {
	s := ctxSink{entered: make(chan struct{}, 16)}
	r := newRecorder(t, s, &aims.RecorderOptions{Buffer: evidence.BufferOptions{BatchSize: 1}})
	for i := range 3 {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v", i, err)
		}
	}
	<-s.entered
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := r.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Close(cancelled ctx) = %v, want context.Canceled", err)
	}
	if err := r.Close(t.Context()); !errors.Is(err, context.Canceled) {
		t.Errorf("second Close() = %v, want the sink's context.Canceled", err)
	}
	checkNoRecorderGoroutine(t)
	if got, want := r.Stats(), (evidence.BufferStats{Failed: 3}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

// appendSink records the sizes of the batches appended to it.
type appendSink struct {
	evidence.MemorySink
	mu      sync.Mutex
	batches []int
}

var _ evidence.BatchSink = (*appendSink)(nil)

func (s *appendSink) WriteBatch(ctx context.Context, recs []*evidence.Record) error {
	s.mu.Lock()
	s.batches = append(s.batches, len(recs))
	s.mu.Unlock()
	for _, r := range recs {
		if err := s.Write(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func TestRecorderAppendsBatches(t *testing.T) {
	g := newGate()
	s := &appendSink{}
	// A gate in front makes the batches deterministic: the first record
	// holds the goroutine while the next ten queue up.
	r := newRecorder(t, evidence.NewMultiSink(g, s), &aims.RecorderOptions{Buffer: evidence.BufferOptions{BatchSize: 4}})
	for i := range 11 {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v", i, err)
		}
		if i == 0 {
			<-g.entered
		}
	}
	close(g.release)
	closeRecorder(t, r)
	// The MultiSink has no WriteBatch, so s is written one record at a time.
	if len(s.batches) != 0 || s.Len() != 11 {
		t.Errorf("through MultiSink: batches %v, %d records; want none, 11", s.batches, s.Len())
	}

	s = &appendSink{}
	r = newRecorder(t, s, &aims.RecorderOptions{Buffer: evidence.BufferOptions{BatchSize: 4, Size: 64}})
	for i := range 11 {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v", i, err)
		}
	}
	closeRecorder(t, r)
	total := 0
	for _, n := range s.batches {
		if n < 1 || n > 4 {
			t.Errorf("batch of %d records, want 1 to 4", n)
		}
		total += n
	}
	if total != 11 || s.Len() != 11 {
		t.Errorf("appended %d records in %v, sink has %d; want 11", total, s.batches, s.Len())
	}
}

func TestRecorderFileLog(t *testing.T) {
	l, err := evidence.OpenFile(filepath.Join(t.TempDir(), "evidence.jsonl"), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := newRecorder(t, l, &aims.RecorderOptions{Buffer: evidence.BufferOptions{BatchSize: 16}})
	for i := range 100 {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v", i, err)
		}
	}
	closeRecorder(t, r)
	if got := l.Len(); got != 100 {
		t.Errorf("log has %d records, want 100", got)
	}
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func ExampleRecorder() {
	ctx := context.Background()
	var sink evidence.MemorySink // in production, an evidence.FileLog
	rec, err := aims.NewRecorder(&sink, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rec.Close(ctx)

	prompt, answer := []byte("applicant 4711: income …"), []byte("score 0.82: approve")
	err = rec.Record(ctx, aims.ModelDecision{
		System:       uuid.MustParse("0c6f7f3e-3b7d-4c8e-9a1f-2d5b8e7c4a10"),
		Model:        "credit-scorer",
		ModelVersion: "3.2.0",
		Input:        evidence.DigestContent(prompt), // never the prompt itself
		Output:       evidence.DigestContent(answer),
		Outcome:      "approve",
		Confidence:   new(0.82),
		Latency:      12 * time.Millisecond,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := rec.Flush(ctx); err != nil {
		fmt.Println(err)
		return
	}
	r := sink.Records()[0]
	fmt.Println(r.Type, r.Controls, r.Outcome, r.Masked)
	fmt.Println(rec.Stats())
	// Output:
	// runtime-decision [iso42001:A.6.2.8] approve [/data/input /data/output]
	// {1 0 0}
}

// outage is a sink that fails while down and stores records otherwise.
type outage struct {
	evidence.MemorySink
	mu   sync.Mutex
	down bool
}

var errUnreachable = errors.New("database unreachable")

func (s *outage) setDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

var _ evidence.BatchSink = (*outage)(nil)

func (s *outage) WriteBatch(ctx context.Context, recs []*evidence.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return errUnreachable
	}
	for _, r := range recs {
		if err := s.MemorySink.Write(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// TestRecorderRetriesThroughOutage shows what a recorder with a Retry
// policy does while its sink is unreachable: it keeps the failed batch,
// buffers new decisions up to its bound, then applies its Full policy,
// and once the sink is back writes everything in order, losing nothing.
func TestRecorderRetriesThroughOutage(t *testing.T) {
	s := &outage{down: true}
	attempts := make(chan error, 100)
	resume := make(chan bool)
	r := newRecorder(t, s, &aims.RecorderOptions{Buffer: evidence.BufferOptions{
		Size:      4,
		BatchSize: 2,
		Full:      evidence.FullFail,
		Retry: func(ctx context.Context, attempt int, err error) bool {
			attempts <- err
			return <-resume
		},
	}})
	// The first decision is a batch of its own: it fails and waits in
	// Retry, which holds the buffer's goroutine. The buffer then takes
	// four more decisions, and the Full policy refuses the next.
	if err := r.Record(t.Context(), decision("0")); err != nil {
		t.Fatalf("Record(0) = %v", err)
	}
	if err := <-attempts; !errors.Is(err, errUnreachable) {
		t.Fatalf("Retry got %v, want the sink's error", err)
	}
	for i := 1; i < 5; i++ {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatalf("Record(%d) = %v, want nil while the buffer has room", i, err)
		}
	}
	if err := r.Record(t.Context(), decision("overflow")); !errors.Is(err, evidence.ErrBufferFull) {
		t.Fatalf("Record(overflow) = %v, want ErrBufferFull", err)
	}
	resume <- true // second attempt, still down
	if err := <-attempts; !errors.Is(err, errUnreachable) {
		t.Fatalf("Retry got %v, want the sink's error", err)
	}
	s.setDown(false)
	resume <- true
	if err := r.Flush(t.Context()); err != nil {
		t.Fatalf("Flush() after the sink is back = %v, want nil", err)
	}
	closeRecorder(t, r)
	if diff := cmp.Diff([]string{"0", "1", "2", "3", "4"}, outcomes(s.Records())); diff != "" {
		t.Errorf("outcomes written (-want +got):\n%s", diff)
	}
	if got, want := r.Stats(), (evidence.BufferStats{Written: 5}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

// TestRecorderRetryGivesUp checks that records a Retry policy gives up
// are counted as failed and reported, and that Write-only sinks are
// retried from the first record they did not take.
func TestRecorderRetryGivesUp(t *testing.T) {
	var mem evidence.MemorySink
	calls := 0
	sink := evidence.SinkFunc(func(ctx context.Context, rec *evidence.Record) error {
		calls++
		if calls == 2 || calls == 3 { // the second record fails twice
			return errUnreachable
		}
		return mem.Write(ctx, rec)
	})
	r := newRecorder(t, sink, &aims.RecorderOptions{Buffer: evidence.BufferOptions{
		BatchSize: 3,
		Retry:     func(ctx context.Context, attempt int, err error) bool { return attempt < 2 },
	}})
	// Fill one batch before the goroutine can take it apart.
	for i := range 3 {
		if err := r.Record(t.Context(), decision(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	err := r.Flush(t.Context())
	if !errors.Is(err, errUnreachable) {
		t.Fatalf("Flush() = %v, want the sink's error", err)
	}
	closeRecorder(t, r)
	st := r.Stats()
	if st.Written+st.Failed != 3 || st.Failed == 0 {
		t.Errorf("Stats() = %+v, want 3 records in all, some failed", st)
	}
	got := outcomes(mem.Records())
	if len(got) == 0 || got[0] != "0" {
		t.Errorf("outcomes written = %v, want the first record first", got)
	}
}

// TestRecorderConfidenceAbsent checks that a decision without a
// confidence is recorded without one, not with 0, and that a zero
// confidence is recorded as 0.
func TestRecorderConfidenceAbsent(t *testing.T) {
	var sink evidence.MemorySink
	r := newRecorder(t, &sink, nil)
	none := decision("none")
	none.Confidence = nil
	zero := decision("zero")
	zero.Confidence = new(0.0)
	for _, d := range []aims.ModelDecision{none, zero} {
		if err := r.Record(t.Context(), d); err != nil {
			t.Fatal(err)
		}
	}
	closeRecorder(t, r)
	recs := sink.Records()
	for i, want := range []bool{false, true} {
		var data map[string]any
		if err := json.Unmarshal(recs[i].Data, &data); err != nil {
			t.Fatal(err)
		}
		if _, ok := data["confidence"]; ok != want {
			t.Errorf("record %d data %s: confidence present = %v, want %v", i, recs[i].Data, ok, want)
		}
	}
}
