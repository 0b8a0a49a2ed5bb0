package aims

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
)

// Errors of [Recorder].
var (
	// ErrRecorderClosed is returned by [Recorder.Record] and
	// [Recorder.Flush] once [Recorder.Close] has been called.
	ErrRecorderClosed = errors.New("aims: recorder closed")
	// ErrBufferFull is returned by [Recorder.Record] under [FullFail] when
	// the recorder's buffer is full.
	ErrBufferFull = errors.New("aims: recorder buffer full")
	// ErrInvalidDecision is matched by the errors [ModelDecision.Validate]
	// and [Recorder.Record] return for a decision that cannot be recorded.
	ErrInvalidDecision = errors.New("aims: invalid model decision")
)

// ControlEventLogs is the control that runtime decision records are
// evidence for: ISO/IEC 42001 A.6.2.8, AI system recording of event logs.
const ControlEventLogs = "iso42001:A.6.2.8"

// ModelDecision is one consequential decision an AI system made while
// serving, as [Recorder.Record] records it (ISO/IEC 42001 A.6.2.8; EU AI
// Act Art. 12, 19 and 26(6)).
//
// Input and Output are digests and lengths, never the content itself: use
// [evidence.DigestContent] on the prompt and the answer, or
// [evidence.ContentKey.Digest] where the content could be guessed, as a
// one-word outcome or a short prompt can. A zero Content is left out of
// the record.
//
// The zero value is not a valid decision: System must be set. A
// ModelDecision is a plain value.
type ModelDecision struct {
	// System is the id of the AI system that made the decision. The
	// recorder does not check it against the inventory.
	System uuid.UUID `json:"system"`
	// Model and ModelVersion name the model that produced the output.
	// Model is recorded under the OpenTelemetry GenAI name
	// gen_ai.request.model.
	Model        string `json:"gen_ai.request.model,omitempty"`
	ModelVersion string `json:"modelVersion,omitempty"`
	// Input and Output stand in for the model's input and output.
	Input  evidence.Content `json:"input,omitzero"`
	Output evidence.Content `json:"output,omitzero"`
	// Outcome is the decision, such as "approve", "refer" or "decline".
	Outcome string `json:"outcome,omitempty"`
	// Confidence is the model's confidence or score, nil if the model
	// gives none (it is then left out of the record, not recorded as 0).
	// It must be finite. The recorder reads it when Record is called and
	// keeps no reference to it.
	Confidence *float64 `json:"confidence,omitempty"`
	// Review is the human review of the decision, nil if there was none
	// (EU AI Act Art. 14).
	Review *HumanReview `json:"review,omitempty"`
	// Latency is how long the decision took, recorded in nanoseconds. It
	// must not be negative.
	Latency time.Duration `json:"latencyNs"`
}

// HumanReview says who reviewed a decision and whether they overrode it.
// It implements [slog.LogValuer] so that the reviewer is not logged.
type HumanReview struct {
	// Reviewer identifies the reviewer, preferably by a pseudonymous id;
	// [RecorderOptions.Pseudonyms] makes one.
	Reviewer string `json:"reviewer"`
	// Overridden reports whether the reviewer changed the outcome.
	Overridden bool `json:"overridden"`
}

// LogValue implements [slog.LogValuer]. It logs whether a reviewer is set,
// but not who it is.
func (h HumanReview) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("reviewed", h.Reviewer != ""),
		slog.Bool("overridden", h.Overridden),
	)
}

// Validate reports whether d can be recorded: System is set, Confidence
// is nil or finite, Latency is not negative, and Input and Output are zero or
// valid (see [evidence.Content.Validate]: a plain or a keyed digest in
// lower-case hex and a non-negative length). The error matches
// [ErrInvalidDecision]. Validate does not allocate unless d is invalid.
func (d *ModelDecision) Validate() error {
	switch {
	case d.System == uuid.Nil:
		return fmt.Errorf("%w: no system", ErrInvalidDecision)
	case d.Confidence != nil && (math.IsNaN(*d.Confidence) || math.IsInf(*d.Confidence, 0)):
		return fmt.Errorf("%w: confidence %v is not finite", ErrInvalidDecision, *d.Confidence)
	case d.Latency < 0:
		return fmt.Errorf("%w: negative latency %v", ErrInvalidDecision, d.Latency)
	}
	if err := validContent(d.Input); err != nil {
		return fmt.Errorf("%w: input: %v", ErrInvalidDecision, err)
	}
	if err := validContent(d.Output); err != nil {
		return fmt.Errorf("%w: output: %v", ErrInvalidDecision, err)
	}
	return nil
}

// validContent returns the problem of a Content that is neither zero nor
// valid.
func validContent(c evidence.Content) error {
	if c == (evidence.Content{}) {
		return nil
	}
	return c.Validate()
}

// FullPolicy says what [Recorder.Record] does when the recorder's buffer
// is full.
type FullPolicy int

// The full policies.
const (
	// FullBlock, the zero FullPolicy, waits for room in the buffer, or
	// until the caller's context is done.
	FullBlock FullPolicy = iota
	// FullDrop drops the decision, counts it in [RecorderStats.Dropped] and
	// returns nil. Use it only where losing evidence is acceptable.
	FullDrop
	// FullFail returns [ErrBufferFull], so that the caller can fail the
	// request: evidence that cannot be recorded fails closed.
	FullFail
)

// String returns the policy's name.
func (p FullPolicy) String() string {
	switch p {
	case FullBlock:
		return "block"
	case FullDrop:
		return "drop"
	case FullFail:
		return "fail"
	}
	return fmt.Sprintf("FullPolicy(%d)", int(p))
}

// Defaults of [RecorderOptions].
const (
	DefaultRecorderBuffer    = 4096
	DefaultRecorderBatchSize = 256
)

// RecorderOptions configures a [Recorder]. A nil *RecorderOptions is the
// same as the zero value, which gives the defaults.
type RecorderOptions struct {
	// Buffer is the number of decisions the recorder holds before they are
	// written. Zero means [DefaultRecorderBuffer].
	Buffer int
	// BatchSize is the largest number of records handed to the sink at
	// once. Zero means [DefaultRecorderBatchSize].
	BatchSize int
	// Full says what Record does when the buffer is full. The zero value
	// is [FullBlock].
	Full FullPolicy
	// Trace returns the W3C trace and span ids of the request in ctx, for
	// example from the application's OpenTelemetry span context. It runs
	// on the caller's goroutine in Record and must be cheap. Ids that are
	// not W3C ids are left out of the record. Nil means no trace ids.
	Trace func(ctx context.Context) (traceID, spanID string)
	// Clock returns the decision time. Nil means time.Now.
	Clock func() time.Time
	// NewID returns record ids, which must be UUIDs version 7. Nil means
	// uuid.NewV7.
	NewID func() (uuid.UUID, error)
	// Logger receives diagnostics. Nil means silent.
	Logger *slog.Logger
	// Pseudonyms, if set, replaces the Reviewer of every [HumanReview]
	// with its pseudonym under this key ([evidence.ContentKey.Pseudonym])
	// before it is recorded, so that the evidence tells reviewers apart
	// without naming them. It runs on the recorder's goroutine, not in
	// Record. Nil means that reviewers are recorded as given.
	Pseudonyms *evidence.ContentKey
	// OnError receives the errors of writes to the sink, which have no
	// caller to return to. It runs on the recorder's goroutine and must
	// not block for long. Nil means that they are logged to Logger at
	// Error level; either way they are counted in [RecorderStats.Failed].
	OnError func(error)
	// FailOnError makes [Recorder.Record] fail closed while the sink
	// fails: once the recorder has given up a record (it is counted in
	// [RecorderStats.Failed]), Record returns an error matching
	// [ErrNotRecorded] that wraps the sink's latest error, until a later
	// batch is written in full; then Record returns nil again. The error
	// tells the caller that evidence is not being stored now, so that it
	// can refuse to act on the decision.
	//
	// Record still enqueues the decision when it returns this error, so
	// that the recorder goes on trying the sink and notices when it
	// recovers: the decision may yet be recorded. Under a Retry policy,
	// a batch that Retry writes again has not failed until Retry gives it
	// up; meanwhile decisions wait in the buffer and [RecorderOptions.Full]
	// applies. False, the default, means that Record reports only its own
	// errors, and write failures reach only OnError (or Logger),
	// [RecorderStats.Failed] and the next [Recorder.Flush].
	FailOnError bool
	// Retry decides whether a batch the sink did not accept is written
	// again. The recorder calls it on its goroutine after each failed
	// attempt, with the number of attempts so far and the error; Retry
	// waits as long as it sees fit and returns true to try again, or
	// false to give the records up (they are then counted in
	// [RecorderStats.Failed]). ctx is done once [Recorder.Close] gives up
	// waiting, and Retry should then return false at once. Nil means no
	// retry. [RetryBackoff] gives a policy with exponential backoff.
	//
	// While the recorder retries, decisions wait in the buffer in their
	// order; once it is full, [RecorderOptions.Full] applies. Records are
	// retried in order, so a sink that keeps order and stores each
	// accepted record once, such as a PostgreSQL log that recognises a
	// batch it already committed, loses nothing while it is unreachable.
	Retry func(ctx context.Context, attempt int, err error) bool
}

// RetryBackoff returns a [RecorderOptions.Retry] policy that retries
// without end, waiting initial after the first failed attempt and twice
// as long after each further one, up to maxWait. It stops retrying when ctx
// is done. It does not retry an error matching [evidence.ErrInvalid],
// which no retry can mend. initial and maxWait below one millisecond mean one
// millisecond.
func RetryBackoff(initial, maxWait time.Duration) func(ctx context.Context, attempt int, err error) bool {
	initial = max(initial, time.Millisecond)
	maxWait = max(maxWait, initial)
	return func(ctx context.Context, attempt int, err error) bool {
		if errors.Is(err, evidence.ErrInvalid) {
			return false
		}
		d := initial
		for i := 1; i < attempt && d < maxWait; i++ {
			d *= 2
		}
		d = min(d, maxWait)
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-ctx.Done():
			return false
		}
	}
}

// RecorderStats counts the decisions a [Recorder] has handled.
type RecorderStats struct {
	// Written is the number of records the sink accepted.
	Written uint64
	// Dropped is the number of decisions dropped under [FullDrop].
	Dropped uint64
	// Failed is the number of records the sink did not accept.
	Failed uint64
}

// batchAppender is the optional ability of a sink, such as
// [evidence.FileLog], to store several records in one write.
type batchAppender interface {
	Append(ctx context.Context, records ...*evidence.Record) (int64, error)
}

// Recorder records the runtime decisions of AI systems as evidence
// (ISO/IEC 42001 A.6.2.8; EU AI Act Art. 12, 19 and 26(6)) without
// putting the evidence sink in the request path.
//
// [Recorder.Record] checks a decision, stamps it with a time and an id and
// puts it in a bounded buffer; one goroutine, started by [NewRecorder],
// builds an [evidence.Record] of type [evidence.TypeRuntimeDecision] for
// each decision and writes them to the sink in batches, through Append if
// the sink has it (as [evidence.FileLog] does) and otherwise one Write per
// record. Records reach the sink in the order Record enqueued them.
// [RecorderOptions.Full] says what happens when the buffer is full.
//
// Because writing is asynchronous, Record cannot report the failed write
// of its own decision: such failures are counted in
// [RecorderStats.Failed], passed to [RecorderOptions.OnError] (or logged
// at Error level), and returned by the next [Recorder.Flush]. With
// [RecorderOptions.FailOnError], Record also returns an error matching
// [ErrNotRecorded] while the sink fails.
// Call Flush where a caller needs to know that evidence is stored, and
// [Recorder.Close] when done, which stops the goroutine. The recorder
// neither flushes nor closes the sink on its own except as Flush and Close
// say; the caller owns the sink.
//
// The zero value is not usable; use [NewRecorder]. A Recorder is safe for
// concurrent use by multiple goroutines.
type Recorder struct {
	sink        evidence.Sink
	appender    batchAppender // sink's Append, or nil
	full        FullPolicy
	batch       int
	trace       func(context.Context) (string, string)
	clock       func() time.Time
	newID       func() (uuid.UUID, error)
	logger      *slog.Logger
	onError     func(error)
	retry       func(context.Context, int, error) bool
	failOnError bool
	pseudonyms  *evidence.ContentKey

	ch chan pending

	mu       sync.RWMutex // held for reading while sending on ch
	closed   bool         // set under mu held for writing; no send follows
	stopping chan struct{}
	sealed   chan struct{} // closed after closed is set: ch gets no more sends
	abort    chan struct{} // closed when Close gives up waiting
	done     chan struct{} // closed when the goroutine has ended
	stopOnce sync.Once
	abortOne sync.Once
	finalErr error // the goroutine's last unreported write error; set before done, then guarded by mu

	written atomic.Uint64
	dropped atomic.Uint64
	failed  atomic.Uint64
	// failing is the error Record returns under FailOnError, nil while
	// the sink writes. Only the goroutine stores it.
	failing atomic.Pointer[error]
}

// pending is a decision on its way to the sink, or a flush request. It
// holds no pointer the caller can change.
type pending struct {
	d           ModelDecision // Review and Confidence are nil; see rev and conf
	rev         HumanReview
	hasRev      bool
	conf        float64
	hasConf     bool
	id          uuid.UUID
	at          time.Time
	trace, span string
	flush       *flushRequest
}

type flushRequest struct {
	done chan struct{}
	err  error // set before done is closed
}

// NewRecorder returns a recorder that writes to sink and starts its
// goroutine; call [Recorder.Close] to stop it. It panics if sink is nil,
// and returns an error for a negative Buffer or BatchSize or an unknown
// Full policy. opts may be nil.
func NewRecorder(sink evidence.Sink, opts *RecorderOptions) (*Recorder, error) {
	if sink == nil {
		panic("aims: NewRecorder: nil sink")
	}
	var o RecorderOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Buffer < 0:
		return nil, fmt.Errorf("aims: new recorder: negative buffer %d", o.Buffer)
	case o.BatchSize < 0:
		return nil, fmt.Errorf("aims: new recorder: negative batch size %d", o.BatchSize)
	case o.Full < FullBlock || o.Full > FullFail:
		return nil, fmt.Errorf("aims: new recorder: unknown full policy %d", int(o.Full))
	}
	if o.Buffer == 0 {
		o.Buffer = DefaultRecorderBuffer
	}
	if o.BatchSize == 0 {
		o.BatchSize = DefaultRecorderBatchSize
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.NewID == nil {
		o.NewID = uuid.NewV7
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{
		sink:        sink,
		full:        o.Full,
		batch:       o.BatchSize,
		trace:       o.Trace,
		clock:       o.Clock,
		newID:       o.NewID,
		logger:      o.Logger,
		onError:     o.OnError,
		retry:       o.Retry,
		failOnError: o.FailOnError,
		pseudonyms:  o.Pseudonyms,
		ch:          make(chan pending, o.Buffer),
		stopping:    make(chan struct{}),
		sealed:      make(chan struct{}),
		abort:       make(chan struct{}),
		done:        make(chan struct{}),
	}
	r.appender, _ = sink.(batchAppender)
	go r.run()
	return r, nil
}

// Record enqueues the evidence of d and returns without waiting for it to
// be written. It copies d, including *d.Review. On the caller's goroutine
// it only validates d, takes the time, an id and the trace ids: the
// record is built and written by the recorder's goroutine.
//
// Record returns an error matching [ErrInvalidDecision] for an invalid
// decision (see [ModelDecision.Validate]), the error of
// [RecorderOptions.NewID], and [ErrRecorderClosed] once Close was called.
// When the buffer is full it follows [RecorderOptions.Full]: under
// [FullFail] it returns [ErrBufferFull]; under [FullBlock] it waits, and
// returns the context's error if ctx is done first. A decision already
// made is recorded even if ctx is cancelled, as long as there is room:
// ctx only bounds the wait. Under [RecorderOptions.FailOnError] it returns
// an error matching [ErrNotRecorded] while the sink fails, after
// enqueuing d.
//
// Record allocates nothing itself: what it costs beyond a channel send and
// one atomic load is NewID, Clock and Trace.
func (r *Recorder) Record(ctx context.Context, d ModelDecision) error {
	if err := d.Validate(); err != nil {
		return err
	}
	id, err := r.newID()
	if err != nil {
		return fmt.Errorf("aims: record: new id: %w", err)
	}
	if id.Version() != 7 || id.Variant() != uuid.RFC4122 {
		return fmt.Errorf("aims: record: new id %s: want a UUID version 7", id)
	}
	p := pending{d: d, id: id, at: r.clock()}
	if d.Review != nil {
		p.rev, p.hasRev, p.d.Review = *d.Review, true, nil
	}
	if d.Confidence != nil {
		p.conf, p.hasConf, p.d.Confidence = *d.Confidence, true, nil
	}
	if r.trace != nil {
		p.trace, p.span = r.trace(ctx)
	}
	if err := r.enqueue(ctx, &p, r.full); err != nil {
		return err
	}
	if e := r.failing.Load(); e != nil {
		return *e
	}
	return nil
}

// enqueue sends p, following policy when the buffer is full.
func (r *Recorder) enqueue(ctx context.Context, p *pending, policy FullPolicy) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return ErrRecorderClosed
	}
	select {
	case r.ch <- *p:
		return nil
	default:
	}
	switch policy {
	case FullDrop:
		r.dropped.Add(1)
		return nil
	case FullFail:
		return ErrBufferFull
	}
	select {
	case r.ch <- *p:
		return nil
	case <-r.stopping:
		return ErrRecorderClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Flush waits until every decision enqueued before the call has been
// handed to the sink, then flushes the sink if it implements
// [evidence.Flusher]. It waits for room in the buffer whatever the
// [FullPolicy].
//
// Flush returns the first write error since the previous Flush (the
// records are also counted in [RecorderStats.Failed]), the sink's Flush
// error, [ErrRecorderClosed] once Close was called, and the context's
// error if ctx is done first; the recorder goes on writing in that case.
func (r *Recorder) Flush(ctx context.Context) error {
	req := &flushRequest{done: make(chan struct{})}
	if err := r.enqueue(ctx, &pending{flush: req}, FullBlock); err != nil {
		return err
	}
	select {
	case <-req.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return errors.Join(req.err, r.flushSink(ctx))
}

func (r *Recorder) flushSink(ctx context.Context) error {
	if f, ok := r.sink.(evidence.Flusher); ok {
		return f.Flush(ctx)
	}
	return nil
}

// Close stops accepting decisions, waits until those already enqueued
// have been handed to the sink and the goroutine has ended, and then
// flushes the sink if it implements [evidence.Flusher]. It does not close
// the sink. It returns the first write error since the last Flush and the
// sink's Flush error.
//
// If ctx is done first, Close returns the context's error without
// waiting further, and the writes still to come get a cancelled context:
// a sink that honours it fails them at once (they are counted in
// [RecorderStats.Failed]), after which the goroutine ends. A sink that
// hangs keeps the goroutine until it returns.
//
// Calls to Record and Flush that wait for room return
// [ErrRecorderClosed] once Close is called. Close may be called more than
// once; later calls wait for the goroutine like the first.
func (r *Recorder) Close(ctx context.Context) error {
	r.stopOnce.Do(func() {
		close(r.stopping) // wakes senders waiting for room
		r.mu.Lock()
		r.closed = true
		r.mu.Unlock()
		close(r.sealed)
	})
	select {
	case <-r.done:
	case <-ctx.Done():
		r.abortOne.Do(func() { close(r.abort) })
		return ctx.Err()
	}
	r.mu.Lock() // the goroutine has ended; the lock orders concurrent Closes
	err := r.finalErr
	r.finalErr = nil
	r.mu.Unlock()
	return errors.Join(err, r.flushSink(ctx))
}

// Stats returns the recorder's counts so far.
func (r *Recorder) Stats() RecorderStats {
	return RecorderStats{
		Written: r.written.Load(),
		Dropped: r.dropped.Load(),
		Failed:  r.failed.Load(),
	}
}

// run is the recorder's goroutine.
func (r *Recorder) run() {
	defer close(r.done)
	w := newBatchWriter(r)
	for {
		select {
		case p := <-r.ch:
			w.add(p)
		case <-r.sealed:
			// Close made sure that no send follows, so len(r.ch) is
			// exact: take what is left and end.
			for len(r.ch) > 0 {
				w.add(<-r.ch)
			}
			w.write()
			r.finalErr = w.err
			return
		}
	more:
		for w.n < r.batch {
			select {
			case p := <-r.ch:
				w.add(p)
			default:
				break more
			}
		}
		w.write()
	}
}

// batchWriter builds and writes the records of a batch. Its slices are
// reused from batch to batch: sinks do not keep records after writing.
type batchWriter struct {
	r        *Recorder
	ctx      context.Context
	recs     []evidence.Record
	ptrs     []*evidence.Record
	ends     []int
	buf      []byte // the Data of the batch's records, one after another
	n        int
	err      error // first write error since the last flush request
	controls []string
	masked   [3][]string
}

func newBatchWriter(r *Recorder) *batchWriter {
	w := &batchWriter{
		r:        r,
		ctx:      writeContext{done: r.abort},
		recs:     make([]evidence.Record, r.batch),
		ptrs:     make([]*evidence.Record, 0, r.batch),
		ends:     make([]int, 0, r.batch),
		controls: []string{ControlEventLogs},
		masked: [3][]string{
			{"/data/input"},
			{"/data/output"},
			{"/data/input", "/data/output"},
		},
	}
	return w
}

// add builds the record of p, or serves p as a flush request.
func (w *batchWriter) add(p pending) {
	if p.flush != nil {
		w.write()
		p.flush.err, w.err = w.err, nil
		close(p.flush.done)
		return
	}
	if p.hasRev && w.r.pseudonyms != nil {
		p.rev.Reviewer = w.r.pseudonyms.Pseudonym(p.rev.Reviewer)
	}
	w.buf = appendDecisionData(w.buf, &p)
	rec := &w.recs[w.n]
	*rec = evidence.Record{
		SchemaVersion: evidence.SchemaVersion,
		ID:            p.id,
		Time:          p.at.UTC(),
		Type:          evidence.TypeRuntimeDecision,
		System:        p.d.System,
		Controls:      w.controls,
		Outcome:       p.d.Outcome,
	}
	if validTraceID(p.trace, 32) {
		rec.TraceID = p.trace
	}
	if validTraceID(p.span, 16) {
		rec.SpanID = p.span
	}
	switch in, out := p.d.Input != (evidence.Content{}), p.d.Output != (evidence.Content{}); {
	case in && out:
		rec.Masked = w.masked[2]
	case in:
		rec.Masked = w.masked[0]
	case out:
		rec.Masked = w.masked[1]
	}
	w.ends = append(w.ends, len(w.buf))
	w.ptrs = append(w.ptrs, rec)
	w.n++
	if w.n == len(w.recs) {
		w.write()
	}
}

// write hands the batch to the sink and resets it.
func (w *batchWriter) write() {
	if w.n == 0 {
		return
	}
	start := 0
	for i, end := range w.ends {
		w.recs[i].Data = w.buf[start:end:end]
		start = end
	}
	recs := w.ptrs
	for attempt := 1; ; attempt++ {
		written, err := w.put(recs)
		w.r.written.Add(uint64(written))
		if err == nil {
			if w.r.failing.Load() != nil {
				w.r.failing.Store(nil) // the sink writes again
			}
			break
		}
		recs = recs[written:]
		if w.r.retry == nil || !w.retryAfter(attempt, err) {
			w.fail(len(recs), err)
			break
		}
	}
	clear(w.recs[:w.n])
	w.ptrs, w.ends, w.n = w.ptrs[:0], w.ends[:0], 0
	w.buf = w.buf[:0]
}

// retryAfter asks the Retry policy whether to write again. A panic in
// the policy means no.
func (w *batchWriter) retryAfter(attempt int, err error) (again bool) {
	defer func() {
		if v := recover(); v != nil {
			w.r.logger.LogAttrs(w.ctx, slog.LevelError, "aims: recorder: Retry panicked", slog.Any("panic", v))
			again = false
		}
	}()
	w.r.logger.LogAttrs(w.ctx, slog.LevelWarn, "aims: recorder: evidence not written yet",
		slog.Int("attempt", attempt), slog.Any("error", err))
	return w.r.retry(w.ctx, attempt, err)
}

// put writes recs to the sink and returns how many it accepted: with a
// Retry policy, the records before the first that failed, so that the
// rest can be written again in order. A panic in the sink is an error.
func (w *batchWriter) put(recs []*evidence.Record) (written int, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("aims: recorder: sink panicked: %v", v)
		}
	}()
	if w.r.appender != nil {
		if _, err := w.r.appender.Append(w.ctx, recs...); err != nil {
			return 0, fmt.Errorf("aims: recorder: append %d records: %w", len(recs), err)
		}
		return len(recs), nil
	}
	var first error
	for _, rec := range recs {
		if err := w.r.sink.Write(w.ctx, rec); err != nil {
			if first == nil {
				first = fmt.Errorf("aims: recorder: write record %s: %w", rec.ID, err)
			}
			if w.r.retry != nil {
				return written, first
			}
			continue
		}
		written++
	}
	return written, first
}

// fail counts n failed records and reports err.
func (w *batchWriter) fail(n int, err error) {
	w.r.failed.Add(uint64(n))
	if w.r.failOnError {
		e := fmt.Errorf("%w: recorder gave up %d records: %w", ErrNotRecorded, n, err)
		w.r.failing.Store(&e)
	}
	if w.err == nil {
		w.err = err
	}
	if w.r.onError == nil {
		w.r.logger.LogAttrs(w.ctx, slog.LevelError, "aims: recorder: evidence not written",
			slog.Int("records", n), slog.Any("error", err))
		return
	}
	defer func() {
		if v := recover(); v != nil {
			w.r.logger.LogAttrs(w.ctx, slog.LevelError, "aims: recorder: OnError panicked",
				slog.Any("panic", v))
		}
	}()
	w.r.onError(err)
}

// appendDecisionData appends the Data of p's record, a JSON object with
// the JSON names of [ModelDecision]:
//
//	{"gen_ai.request.model": Model, "modelVersion": ModelVersion,
//	 "input": Input, "output": Output, "confidence": Confidence,
//	 "review": {"reviewer": …, "overridden": …}, "latencyNs": Latency}
//
// Model-call fields use the OpenTelemetry GenAI names; the rest are
// lower camel case, as the record's own fields. Empty strings, zero
// Content, a nil Confidence and a missing review are left out. It writes
// JSON by hand, since this runs once per decision.
func appendDecisionData(b []byte, p *pending) []byte {
	b = append(b, '{')
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, `":`...)
	}
	if p.d.Model != "" {
		key("gen_ai.request.model")
		b = appendJSONString(b, p.d.Model)
	}
	if p.d.ModelVersion != "" {
		key("modelVersion")
		b = appendJSONString(b, p.d.ModelVersion)
	}
	for _, c := range [...]struct {
		name string
		c    evidence.Content
	}{{"input", p.d.Input}, {"output", p.d.Output}} {
		if c.c == (evidence.Content{}) {
			continue
		}
		key(c.name)
		// As encoding/json writes a Content; the digests and the key id
		// are lower-case hex, checked by Validate.
		if c.c.HMACSHA256 != "" {
			b = append(b, `{"hmacSha256":"`...)
			b = append(b, c.c.HMACSHA256...)
			b = append(b, `","keyId":"`...)
			b = append(b, c.c.KeyID...)
		} else {
			b = append(b, `{"sha256":"`...)
			b = append(b, c.c.SHA256...)
		}
		b = append(b, `","length":`...)
		b = strconv.AppendInt(b, int64(c.c.Length), 10)
		b = append(b, '}')
	}
	if p.hasConf {
		key("confidence")
		b = appendJSONFloat(b, p.conf)
	}
	if p.hasRev {
		key("review")
		b = append(b, `{"reviewer":`...)
		b = appendJSONString(b, p.rev.Reviewer)
		b = append(b, `,"overridden":`...)
		b = strconv.AppendBool(b, p.rev.Overridden)
		b = append(b, '}')
	}
	key("latencyNs")
	b = strconv.AppendInt(b, int64(p.d.Latency), 10)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string. Printable ASCII without
// quotes or backslashes is copied; anything else goes through
// encoding/json, which also replaces invalid UTF-8.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONFloat appends the finite f as encoding/json writes it.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(b, f, format, -1, 64)
}

// validTraceID reports whether s is a W3C trace or span id of n hex digits.
func validTraceID(s string, n int) bool {
	if len(s) != n {
		return false
	}
	zero := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
		zero = zero && c == '0'
	}
	return !zero
}

// writeContext is the context of the recorder's writes to the sink. The
// writes have no caller, so it carries no values and no deadline; it is
// done once Close gives up waiting, so that a sink that honours its
// context stops holding the goroutine.
type writeContext struct{ done <-chan struct{} }

var _ context.Context = writeContext{}

func (c writeContext) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c writeContext) Done() <-chan struct{}       { return c.done }
func (c writeContext) Value(any) any               { return nil }

func (c writeContext) Err() error {
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}
