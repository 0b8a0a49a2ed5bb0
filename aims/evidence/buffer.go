package evidence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Errors of [Buffered] and [Queue].
var (
	// ErrBufferFull is returned by [Buffered.Write] and [Queue.Add] under
	// [FullFail] when the buffer is full.
	ErrBufferFull = errors.New("evidence: buffer full")
	// ErrNotRecorded matches the error [Buffered.Write] and [Queue.Add]
	// return under [BufferOptions.FailOnError] while the sink fails:
	// evidence is not being stored now.
	ErrNotRecorded = errors.New("evidence: not recorded")
)

// BatchSink is a [Sink] that can store several records in one write, as
// [FileLog] does in one locked append and the PostgreSQL log in one
// transaction. [Buffered] and [Queue] hand their batches to WriteBatch when
// the sink has it, and otherwise write the records one by one.
//
// WriteBatch stores all of records, in order, or none of them, and
// follows the other rules of [Sink] for each record. It does not retain
// the slice or the records.
type BatchSink interface {
	Sink
	WriteBatch(ctx context.Context, records []*Record) error
}

// FullPolicy says what [Buffered.Write] and [Queue.Add] do when the
// buffer is full.
type FullPolicy int

// The full policies.
const (
	// FullBlock, the zero FullPolicy, waits for room in the buffer, or
	// until the caller's context is done.
	FullBlock FullPolicy = iota
	// FullDrop drops the record, counts it in [BufferStats.Dropped] and
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

// Defaults of [BufferOptions]. A batch of a quarter of the buffer lets a
// sink that syncs once per batch (a [FileLog] with [SyncBatch]) pay for
// its fsync once per thousand records when decisions come fast, while a
// slow trickle is still written one record at a time.
const (
	DefaultBufferSize = 4096
	DefaultBatchSize  = 1024
)

// BufferOptions configures a [Buffered] sink or a [Queue]. A nil
// *BufferOptions is the same as the zero value, which gives the defaults.
type BufferOptions struct {
	// Size is the number of records the buffer holds before they are
	// written. Zero means [DefaultBufferSize].
	Size int
	// BatchSize is the largest number of records handed to the sink at
	// once. Zero means [DefaultBatchSize].
	BatchSize int
	// Full says what a write does when the buffer is full. The zero value
	// is [FullBlock].
	Full FullPolicy
	// Logger receives diagnostics. Nil means silent.
	Logger *slog.Logger
	// OnError receives the errors of writes to the sink, which have no
	// caller to return to. It runs on the buffer's goroutine and must not
	// block for long. Nil means that they are logged to Logger at Error
	// level; either way they are counted in [BufferStats.Failed].
	OnError func(error)
	// FailOnError makes writes to the buffer fail closed while the sink
	// fails: once the buffer has given up a record (it is counted in
	// [BufferStats.Failed]), a write returns an error matching
	// [ErrNotRecorded] that wraps the sink's latest error, until a later
	// batch is written in full; then writes return nil again. The error
	// tells the caller that evidence is not being stored now, so that it
	// can refuse to act on the decision.
	//
	// A write still enqueues its record when it returns this error, so
	// that the buffer goes on trying the sink and notices when it
	// recovers: the record may yet be stored. Under a Retry policy, a
	// batch that Retry writes again has not failed until Retry gives it
	// up; meanwhile records wait in the buffer and Full applies. False,
	// the default, means that a write reports only its own errors, and
	// write failures reach only OnError (or Logger), [BufferStats.Failed]
	// and the next Flush.
	FailOnError bool
	// Retry decides whether a batch the sink did not accept is written
	// again. The buffer calls it on its goroutine after each failed
	// attempt, with the number of attempts so far and the error; Retry
	// waits as long as it sees fit and returns true to try again, or
	// false to give the records up (they are then counted in
	// [BufferStats.Failed]). ctx is done once Close gives up waiting, and
	// Retry should then return false at once. Nil means no retry.
	// [RetryBackoff] gives a policy with exponential backoff.
	//
	// While the buffer retries, records wait in it in their order; once
	// it is full, Full applies. Records are retried in order, so a sink
	// that keeps order and stores each accepted record once, such as a
	// PostgreSQL log that recognises a batch it already committed, loses
	// nothing while it is unreachable.
	Retry func(ctx context.Context, attempt int, err error) bool
}

// RetryBackoff returns a [BufferOptions.Retry] policy that retries
// without end, waiting initial after the first failed attempt and twice
// as long after each further one, up to maxWait. It stops retrying when
// ctx is done. It does not retry an error matching [ErrInvalid], which no
// retry can mend. initial and maxWait below one millisecond mean one
// millisecond.
func RetryBackoff(initial, maxWait time.Duration) func(ctx context.Context, attempt int, err error) bool {
	initial = max(initial, time.Millisecond)
	maxWait = max(maxWait, initial)
	return func(ctx context.Context, attempt int, err error) bool {
		if errors.Is(err, ErrInvalid) {
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

// BufferStats counts the records a [Buffered] sink or a [Queue] has
// handled.
type BufferStats struct {
	// Written is the number of records the sink accepted.
	Written uint64
	// Dropped is the number of records dropped under [FullDrop].
	Dropped uint64
	// Failed is the number of records the sink did not accept.
	Failed uint64
}

// Buffered is a [Sink] that puts records in a bounded buffer and writes
// them to another sink in batches on its own goroutine, so that the sink
// is out of the caller's path. Records reach the sink in the order they
// were written to the buffer, through [BatchSink.WriteBatch] if the sink
// has it and otherwise one Write per record. [BufferOptions.Full] says
// what happens when the buffer is full.
//
// Because writing is asynchronous, Write cannot report the failed write
// of its own record: such failures are counted in [BufferStats.Failed],
// passed to [BufferOptions.OnError] (or logged at Error level), and
// returned by the next [Buffered.Flush]. With [BufferOptions.FailOnError],
// Write also returns an error matching [ErrNotRecorded] while the sink
// fails. Call Flush where a caller needs to know that evidence is stored,
// and [Buffered.Close] when done, which stops the goroutine. Buffered
// neither flushes nor closes the sink on its own except as Flush and
// Close say; the caller owns the sink.
//
// The zero value is not usable; use [NewBuffered]. A Buffered is safe for
// concurrent use by multiple goroutines.
type Buffered struct {
	q *Queue[Record]
}

var _ interface {
	Sink
	Flusher
	Closer
} = (*Buffered)(nil)

// NewBuffered returns a buffered sink that writes to sink and starts its
// goroutine; call [Buffered.Close] to stop it. It panics if sink is nil,
// and returns an error matching [ErrInvalid] for a negative Size or
// BatchSize or an unknown Full policy. opts may be nil.
func NewBuffered(sink Sink, opts *BufferOptions) (*Buffered, error) {
	if sink == nil {
		panic("evidence: NewBuffered: nil sink")
	}
	q, err := NewQueue(sink, copyRecord, opts)
	if err != nil {
		return nil, err
	}
	return &Buffered{q: q}, nil
}

// copyRecord is the build function of a [Buffered] sink: its entries are
// already copies.
func copyRecord(dst *Record, data []byte, r *Record) []byte {
	*dst = *r
	return data
}

// Write copies r into the buffer and returns without waiting for it to be
// written. It returns an error matching [ErrInvalid] for a nil or invalid
// record, [ErrClosed] once Close was called, and follows
// [BufferOptions.Full] when the buffer is full: under [FullFail] it
// returns [ErrBufferFull]; under [FullBlock] it waits, and returns the
// context's error if ctx is done first. Under [BufferOptions.FailOnError]
// it returns an error matching [ErrNotRecorded] while the sink fails,
// after enqueuing r.
func (b *Buffered) Write(ctx context.Context, r *Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return b.q.Add(ctx, *r.Clone())
}

// Flush waits until every record written before the call has been handed
// to the sink, then flushes the sink if it implements [Flusher]; see
// [Queue.Flush].
func (b *Buffered) Flush(ctx context.Context) error { return b.q.Flush(ctx) }

// Close stops accepting records, waits until those already buffered have
// been handed to the sink, and flushes the sink; see [Queue.Close]. It
// does not close the sink.
func (b *Buffered) Close(ctx context.Context) error { return b.q.Close(ctx) }

// Stats returns the counts so far.
func (b *Buffered) Stats() BufferStats { return b.q.Stats() }

// Queue is the machinery of [Buffered] for writers that build their
// records on the buffer's goroutine rather than their own: it holds
// entries of type T in a bounded buffer, and one goroutine builds a
// [Record] of each with a build function and writes them to the sink in
// batches, as [Buffered] does. The entries are copied as values; T should
// hold nothing the caller changes afterwards.
//
// The build function fills dst from the entry. The record's Data it may
// either set in dst or append to data and return the longer slice: bytes
// appended become dst.Data, valid until the batch is written. data is
// reused from batch to batch, which saves an allocation per record. The
// records are not retained after they are written, as [Sink] requires.
//
// The zero value is not usable; use [NewQueue]. A Queue is safe for
// concurrent use by multiple goroutines.
type Queue[T any] struct {
	sink        Sink
	batchSink   BatchSink // sink's WriteBatch, or nil
	build       func(dst *Record, data []byte, entry *T) []byte
	full        FullPolicy
	batch       int
	logger      *slog.Logger
	onError     func(error)
	retry       func(context.Context, int, error) bool
	failOnError bool

	ch chan entry[T]

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
	// failing is the error Add returns under FailOnError, nil while the
	// sink writes. Only the goroutine stores it.
	failing atomic.Pointer[error]
}

// entry is a value on its way to the sink, or a flush request.
type entry[T any] struct {
	v     T
	flush *flushRequest
}

type flushRequest struct {
	done chan struct{}
	err  error // set before done is closed
}

// NewQueue returns a queue that builds records with build, writes them to
// sink and starts its goroutine; call [Queue.Close] to stop it. It panics
// if sink or build is nil, and returns an error matching [ErrInvalid] for
// a negative Size or BatchSize or an unknown Full policy. opts may be nil.
func NewQueue[T any](sink Sink, build func(dst *Record, data []byte, entry *T) []byte, opts *BufferOptions) (*Queue[T], error) {
	if sink == nil {
		panic("evidence: NewQueue: nil sink")
	}
	if build == nil {
		panic("evidence: NewQueue: nil build function")
	}
	var o BufferOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Size < 0:
		return nil, invalidf("new buffer: negative size %d", o.Size)
	case o.BatchSize < 0:
		return nil, invalidf("new buffer: negative batch size %d", o.BatchSize)
	case o.Full < FullBlock || o.Full > FullFail:
		return nil, invalidf("new buffer: unknown full policy %d", int(o.Full))
	}
	if o.Size == 0 {
		o.Size = DefaultBufferSize
	}
	if o.BatchSize == 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	q := &Queue[T]{
		sink:        sink,
		build:       build,
		full:        o.Full,
		batch:       o.BatchSize,
		logger:      o.Logger,
		onError:     o.OnError,
		retry:       o.Retry,
		failOnError: o.FailOnError,
		ch:          make(chan entry[T], o.Size),
		stopping:    make(chan struct{}),
		sealed:      make(chan struct{}),
		abort:       make(chan struct{}),
		done:        make(chan struct{}),
	}
	q.batchSink, _ = sink.(BatchSink)
	go q.run()
	return q, nil
}

// Add enqueues v and returns without waiting for its record to be
// written. It returns [ErrClosed] once Close was called. When the buffer
// is full it follows [BufferOptions.Full]: under [FullFail] it returns
// [ErrBufferFull]; under [FullBlock] it waits, and returns the context's
// error if ctx is done first. An entry is enqueued even if ctx is
// cancelled, as long as there is room: ctx only bounds the wait. Under
// [BufferOptions.FailOnError] it returns an error matching
// [ErrNotRecorded] while the sink fails, after enqueuing v.
//
// Add allocates nothing: it costs a channel send and one atomic load.
func (q *Queue[T]) Add(ctx context.Context, v T) error {
	_, err := q.Offer(ctx, v)
	return err
}

// Offer is [Queue.Add] that also reports whether v was enqueued: it is
// false when v was dropped under [FullDrop], and whenever Add would
// return an error other than the [ErrNotRecorded] of
// [BufferOptions.FailOnError], which comes after v is enqueued.
func (q *Queue[T]) Offer(ctx context.Context, v T) (queued bool, err error) {
	if err := q.enqueue(ctx, entry[T]{v: v}, q.full); err != nil {
		if err == errDropped {
			return false, nil
		}
		return false, err
	}
	if e := q.failing.Load(); e != nil {
		return true, *e
	}
	return true, nil
}

// errDropped is what enqueue returns for an entry it dropped under
// [FullDrop]; it never leaves the package.
var errDropped = errors.New("evidence: dropped")

// enqueue sends e, following policy when the buffer is full.
func (q *Queue[T]) enqueue(ctx context.Context, e entry[T], policy FullPolicy) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return ErrClosed
	}
	select {
	case q.ch <- e:
		return nil
	default:
	}
	switch policy {
	case FullDrop:
		q.dropped.Add(1)
		return errDropped
	case FullFail:
		return ErrBufferFull
	}
	select {
	case q.ch <- e:
		return nil
	case <-q.stopping:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Flush waits until every entry enqueued before the call has been handed
// to the sink, then flushes the sink if it implements [Flusher]. It waits
// for room in the buffer whatever the [FullPolicy].
//
// Flush returns the first write error since the previous Flush (the
// records are also counted in [BufferStats.Failed]), the sink's Flush
// error, [ErrClosed] once Close was called, and the context's error if ctx
// is done first; the queue goes on writing in that case.
func (q *Queue[T]) Flush(ctx context.Context) error {
	req := &flushRequest{done: make(chan struct{})}
	if err := q.enqueue(ctx, entry[T]{flush: req}, FullBlock); err != nil {
		return err
	}
	select {
	case <-req.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return errors.Join(req.err, q.flushSink(ctx))
}

func (q *Queue[T]) flushSink(ctx context.Context) error {
	if f, ok := q.sink.(Flusher); ok {
		return f.Flush(ctx)
	}
	return nil
}

// Close stops accepting entries, waits until those already enqueued have
// been handed to the sink and the goroutine has ended, and then flushes
// the sink if it implements [Flusher]. It does not close the sink. It
// returns the first write error since the last Flush and the sink's Flush
// error.
//
// If ctx is done first, Close returns the context's error without waiting
// further, and the writes still to come get a cancelled context: a sink
// that honours it fails them at once (they are counted in
// [BufferStats.Failed]), after which the goroutine ends. A sink that hangs
// keeps the goroutine until it returns.
//
// Calls to Add and Flush that wait for room return [ErrClosed] once Close
// is called. Close may be called more than once; later calls wait for the
// goroutine like the first.
func (q *Queue[T]) Close(ctx context.Context) error {
	q.stopOnce.Do(func() {
		close(q.stopping) // wakes senders waiting for room
		q.mu.Lock()
		q.closed = true
		q.mu.Unlock()
		close(q.sealed)
	})
	select {
	case <-q.done:
	case <-ctx.Done():
		q.abortOne.Do(func() { close(q.abort) })
		return ctx.Err()
	}
	q.mu.Lock() // the goroutine has ended; the lock orders concurrent Closes
	err := q.finalErr
	q.finalErr = nil
	q.mu.Unlock()
	return errors.Join(err, q.flushSink(ctx))
}

// Stats returns the counts so far.
func (q *Queue[T]) Stats() BufferStats {
	return BufferStats{
		Written: q.written.Load(),
		Dropped: q.dropped.Load(),
		Failed:  q.failed.Load(),
	}
}

// run is the queue's goroutine.
func (q *Queue[T]) run() {
	defer close(q.done)
	w := newBatchWriter(q)
	for {
		select {
		case e := <-q.ch:
			w.add(&e)
		case <-q.sealed:
			// Close made sure that no send follows, so len(q.ch) is
			// exact: take what is left and end.
			for len(q.ch) > 0 {
				e := <-q.ch
				w.add(&e)
			}
			w.write()
			q.finalErr = w.err
			return
		}
	more:
		for w.n < q.batch {
			select {
			case e := <-q.ch:
				w.add(&e)
			default:
				break more
			}
		}
		w.write()
	}
}

// batchWriter builds and writes the records of a batch. Its slices are
// reused from batch to batch: sinks do not keep records after writing.
type batchWriter[T any] struct {
	q    *Queue[T]
	ctx  context.Context
	recs []Record
	ptrs []*Record
	ends []int // end of each record's Data in buf, or -1 if build set it
	buf  []byte
	n    int
	err  error // first write error since the last flush request
}

func newBatchWriter[T any](q *Queue[T]) *batchWriter[T] {
	return &batchWriter[T]{
		q:    q,
		ctx:  writeContext{done: q.abort},
		recs: make([]Record, q.batch),
		ptrs: make([]*Record, 0, q.batch),
		ends: make([]int, 0, q.batch),
	}
}

// add builds the record of e, or serves e as a flush request.
func (w *batchWriter[T]) add(e *entry[T]) {
	if e.flush != nil {
		w.write()
		e.flush.err, w.err = w.err, nil
		close(e.flush.done)
		return
	}
	rec := &w.recs[w.n]
	start := len(w.buf)
	w.buf = w.q.build(rec, w.buf, &e.v)
	end := len(w.buf)
	if end == start {
		end = -1 // build set Data, if any
	}
	w.ends = append(w.ends, end)
	w.ptrs = append(w.ptrs, rec)
	w.n++
	if w.n == len(w.recs) {
		w.write()
	}
}

// write hands the batch to the sink and resets it.
func (w *batchWriter[T]) write() {
	if w.n == 0 {
		return
	}
	start := 0
	for i, end := range w.ends {
		if end < 0 {
			continue
		}
		w.recs[i].Data = w.buf[start:end:end]
		start = end
	}
	q := w.q
	recs := w.ptrs
	for attempt := 1; ; attempt++ {
		written, err := w.put(recs)
		q.written.Add(uint64(written))
		if err == nil {
			if q.failing.Load() != nil {
				q.failing.Store(nil) // the sink writes again
			}
			break
		}
		recs = recs[written:]
		if q.retry == nil || !w.retryAfter(attempt, err) {
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
func (w *batchWriter[T]) retryAfter(attempt int, err error) (again bool) {
	defer func() {
		if v := recover(); v != nil {
			w.q.logger.LogAttrs(w.ctx, slog.LevelError, "evidence: buffer: Retry panicked", slog.Any("panic", v))
			again = false
		}
	}()
	w.q.logger.LogAttrs(w.ctx, slog.LevelWarn, "evidence: buffer: evidence not written yet",
		slog.Int("attempt", attempt), slog.Any("error", err))
	return w.q.retry(w.ctx, attempt, err)
}

// put writes recs to the sink and returns how many it accepted: with a
// Retry policy, the records before the first that failed, so that the
// rest can be written again in order. A panic in the sink is an error.
func (w *batchWriter[T]) put(recs []*Record) (written int, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("evidence: buffer: sink panicked: %v", v)
		}
	}()
	q := w.q
	if q.batchSink != nil {
		if err := q.batchSink.WriteBatch(w.ctx, recs); err != nil {
			return 0, fmt.Errorf("evidence: buffer: write batch of %d records: %w", len(recs), err)
		}
		return len(recs), nil
	}
	var first error
	for _, rec := range recs {
		if err := q.sink.Write(w.ctx, rec); err != nil {
			if first == nil {
				first = fmt.Errorf("evidence: buffer: write record %s: %w", rec.ID, err)
			}
			if q.retry != nil {
				return written, first
			}
			continue
		}
		written++
	}
	return written, first
}

// fail counts n failed records and reports err.
func (w *batchWriter[T]) fail(n int, err error) {
	q := w.q
	q.failed.Add(uint64(n))
	if q.failOnError {
		e := fmt.Errorf("%w: buffer gave up %d records: %w", ErrNotRecorded, n, err)
		q.failing.Store(&e)
	}
	if w.err == nil {
		w.err = err
	}
	if q.onError == nil {
		q.logger.LogAttrs(w.ctx, slog.LevelError, "evidence: buffer: evidence not written",
			slog.Int("records", n), slog.Any("error", err))
		return
	}
	defer func() {
		if v := recover(); v != nil {
			q.logger.LogAttrs(w.ctx, slog.LevelError, "evidence: buffer: OnError panicked",
				slog.Any("panic", v))
		}
	}()
	q.onError(err)
}

// writeContext is the context of the buffer's writes to the sink. The
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
