package aims

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
)

// Errors of [Recorder].
var (
	// ErrRecorderClosed is returned by [Recorder.Record] and
	// [Recorder.Flush] once [Recorder.Close] has been called. It matches
	// [evidence.ErrClosed].
	ErrRecorderClosed = fmt.Errorf("aims: recorder closed: %w", evidence.ErrClosed)
	// ErrInvalidDecision is matched by the errors [ModelDecision.Validate]
	// and [Recorder.Record] return for a decision that cannot be recorded.
	ErrInvalidDecision = errors.New("aims: invalid model decision")
)

// controlEventLogs is the control that runtime decision records are
// evidence for: ISO/IEC 42001 A.6.2.8, AI system recording of event logs.
const controlEventLogs = "iso42001:A.6.2.8"

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
	// Operation, Provider, ResponseModel and Conversation describe the
	// model call, under the OpenTelemetry GenAI names: the operation,
	// such as "chat" (gen_ai.operation.name), the provider, such as
	// "openai" (gen_ai.provider.name), the model that answered
	// (gen_ai.response.model) and the id of the conversation the call
	// belongs to (gen_ai.conversation.id). Empty means not given.
	Operation     string `json:"gen_ai.operation.name,omitempty"`
	Provider      string `json:"gen_ai.provider.name,omitempty"`
	ResponseModel string `json:"gen_ai.response.model,omitempty"`
	Conversation  string `json:"gen_ai.conversation.id,omitempty"`
	// InputTokens and OutputTokens are the tokens the model call used
	// (gen_ai.usage.input_tokens, gen_ai.usage.output_tokens). Zero means
	// not given; they must not be negative.
	InputTokens  int64 `json:"gen_ai.usage.input_tokens,omitempty"`
	OutputTokens int64 `json:"gen_ai.usage.output_tokens,omitempty"`
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
// is nil or finite, Latency and the token counts are not negative, and
// Input and Output are zero or
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
	case d.InputTokens < 0 || d.OutputTokens < 0:
		return fmt.Errorf("%w: negative token count %d, %d", ErrInvalidDecision, d.InputTokens, d.OutputTokens)
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

// RecorderOptions configures a [Recorder]. A nil *RecorderOptions is the
// same as the zero value, which gives the defaults.
type RecorderOptions struct {
	// Buffer configures the recorder's buffer: its size, the batch size,
	// what Record does when it is full ([evidence.BufferOptions.Full]),
	// retries, and how write failures are reported, logged
	// ([evidence.BufferOptions.Logger]) or made to fail Record
	// ([evidence.BufferOptions.FailOnError]). The zero value gives the
	// defaults of [evidence.BufferOptions].
	Buffer evidence.BufferOptions
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
	// Pseudonyms, if set, replaces the Reviewer of every [HumanReview]
	// with its pseudonym under this key ([evidence.ContentKey.Pseudonym])
	// before it is recorded, so that the evidence tells reviewers apart
	// without naming them. It runs on the recorder's goroutine, not in
	// Record (and in Record as well when there are Hooks). Nil means that
	// reviewers are recorded as given.
	Pseudonyms *evidence.ContentKey
	// Hooks observe every decision Record enqueues, with an
	// [EventRuntimeDecision] whose Model is the decision and whose Record
	// is the record the recorder will write for it, byte for byte (so
	// that [evidence.Record.Hash] names it before it is written). They
	// run on the caller's goroutine, with the caller's ctx, after the
	// decision is enqueued; a decision Record refuses or drops is not
	// observed. Their errors are returned by Record. With hooks, Record
	// builds each record twice, once for the hooks and once to write it,
	// and allocates; without, it costs nothing. Nil hooks are an error.
	Hooks []Hook
}

// Recorder records the runtime decisions of AI systems as evidence
// (ISO/IEC 42001 A.6.2.8; EU AI Act Art. 12, 19 and 26(6)) without
// putting the evidence sink in the request path.
//
// [Recorder.Record] checks a decision, stamps it with a time and an id and
// puts it in the bounded buffer of an [evidence.Queue]; its goroutine,
// started by [NewRecorder], builds an [evidence.Record] of type
// [evidence.TypeRuntimeDecision] for each decision and writes them to the
// sink in batches, through [evidence.BatchSink.WriteBatch] if the sink has
// it (as [evidence.FileLog] does) and otherwise one Write per record.
// Records reach the sink in the order Record enqueued them.
// [evidence.BufferOptions.Full] says what happens when the buffer is full.
//
// Because writing is asynchronous, Record cannot report the failed write
// of its own decision: such failures are counted in
// [evidence.BufferStats.Failed], passed to
// [evidence.BufferOptions.OnError] (or logged at Error level), and
// returned by the next [Recorder.Flush]. With
// [evidence.BufferOptions.FailOnError], Record also returns an error
// matching [ErrNotRecorded] while the sink fails. Call Flush where a
// caller needs to know that evidence is stored, and [Recorder.Close] when
// done, which stops the goroutine. The recorder neither flushes nor closes
// the sink on its own except as Flush and Close say; the caller owns the
// sink.
//
// The zero value is not usable; use [NewRecorder]. A Recorder is safe for
// concurrent use by multiple goroutines.
type Recorder struct {
	q     *evidence.Queue[pending]
	trace func(context.Context) (string, string)
	clock func() time.Time
	newID func() (uuid.UUID, error)
	hooks Hooks
	build *recordBuilder
}

// pending is a decision on its way to the sink. It holds no pointer the
// caller can change.
type pending struct {
	d           ModelDecision // Review and Confidence are nil; see rev and conf
	rev         HumanReview
	hasRev      bool
	conf        float64
	hasConf     bool
	id          uuid.UUID
	at          time.Time
	trace, span string
}

// NewRecorder returns a recorder that writes to sink and starts its
// goroutine; call [Recorder.Close] to stop it. It panics if sink is nil,
// and returns an error for a negative buffer or batch size or an unknown
// full policy, or a nil hook. opts may be nil.
func NewRecorder(sink evidence.Sink, opts *RecorderOptions) (*Recorder, error) {
	if sink == nil {
		panic("aims: NewRecorder: nil sink")
	}
	var o RecorderOptions
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.NewID == nil {
		o.NewID = uuid.NewV7
	}
	for i, h := range o.Hooks {
		if h == nil {
			return nil, fmt.Errorf("aims: new recorder: hook %d is nil", i)
		}
	}
	b := &recordBuilder{
		pseudonyms: o.Pseudonyms,
		controls:   []string{controlEventLogs},
		masked: [3][]string{
			{"/data/input"},
			{"/data/output"},
			{"/data/input", "/data/output"},
		},
	}
	q, err := evidence.NewQueue(sink, b.build, &o.Buffer)
	if err != nil {
		return nil, fmt.Errorf("aims: new recorder: %w", err)
	}
	return &Recorder{q: q, trace: o.Trace, clock: o.Clock, newID: o.NewID, hooks: slices.Clone(o.Hooks), build: b}, nil
}

// Record enqueues the evidence of d and returns without waiting for it to
// be written. It copies d, including *d.Review. On the caller's goroutine
// it only validates d, takes the time, an id and the trace ids: the
// record is built and written by the recorder's goroutine.
//
// Record returns an error matching [ErrInvalidDecision] for an invalid
// decision (see [ModelDecision.Validate]), the error of
// [RecorderOptions.NewID], and [ErrRecorderClosed] once Close was called.
// When the buffer is full it follows [evidence.BufferOptions.Full]: under
// [evidence.FullFail] it returns [evidence.ErrBufferFull]; under
// [evidence.FullBlock] it waits, and returns the context's error if ctx is
// done first. A decision already made is recorded even if ctx is
// cancelled, as long as there is room: ctx only bounds the wait. Under
// [evidence.BufferOptions.FailOnError] it returns an error matching
// [ErrNotRecorded] while the sink fails, after enqueuing d.
//
// Record allocates nothing itself: what it costs beyond a channel send and
// one atomic load is NewID, Clock, Trace and the hooks, if any
// ([RecorderOptions.Hooks]).
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
	queued, err := r.q.Offer(ctx, p)
	err = closedErr(err)
	if len(r.hooks) == 0 || !queued {
		return err
	}
	return errors.Join(err, r.observe(ctx, p, d))
}

// observe runs the hooks for the enqueued decision p, given by the caller
// as d, on the caller's goroutine. It takes copies, so that Record's own
// values stay on its stack.
func (r *Recorder) observe(ctx context.Context, p pending, d ModelDecision) error {
	rec := &evidence.Record{}
	rec.Data = r.build.build(rec, nil, &p)
	return r.hooks.Observe(ctx, &Event{Type: EventRuntimeDecision, Time: rec.Time, System: d.System, Model: &d, Record: rec})
}

// closedErr returns [ErrRecorderClosed] for the queue's [evidence.ErrClosed]
// and err otherwise.
func closedErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, evidence.ErrClosed) {
		return ErrRecorderClosed
	}
	return err
}

// Flush waits until every decision enqueued before the call has been
// handed to the sink, then flushes the sink if it implements
// [evidence.Flusher]. It waits for room in the buffer whatever the
// [evidence.FullPolicy].
//
// Flush returns the first write error since the previous Flush (the
// records are also counted in [evidence.BufferStats.Failed]), the sink's
// Flush error, [ErrRecorderClosed] once Close was called, and the
// context's error if ctx is done first; the recorder goes on writing in
// that case.
func (r *Recorder) Flush(ctx context.Context) error {
	return closedErr(r.q.Flush(ctx))
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
// [evidence.BufferStats.Failed]), after which the goroutine ends. A sink
// that hangs keeps the goroutine until it returns.
//
// Calls to Record and Flush that wait for room return
// [ErrRecorderClosed] once Close is called. Close may be called more than
// once; later calls wait for the goroutine like the first.
func (r *Recorder) Close(ctx context.Context) error {
	return r.q.Close(ctx)
}

// Stats returns the recorder's counts so far.
func (r *Recorder) Stats() evidence.BufferStats {
	return r.q.Stats()
}

// recordBuilder builds the records of decisions on the recorder's
// goroutine.
type recordBuilder struct {
	pseudonyms *evidence.ContentKey
	controls   []string
	masked     [3][]string
}

// build fills rec with the record of p and appends its Data to buf.
func (b *recordBuilder) build(rec *evidence.Record, buf []byte, p *pending) []byte {
	if p.hasRev && b.pseudonyms != nil {
		p.rev.Reviewer = b.pseudonyms.Pseudonym(p.rev.Reviewer)
	}
	*rec = evidence.Record{
		SchemaVersion: evidence.SchemaVersion,
		ID:            p.id,
		Time:          p.at.UTC(),
		Type:          evidence.TypeRuntimeDecision,
		System:        p.d.System,
		Controls:      b.controls,
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
		rec.Masked = b.masked[2]
	case in:
		rec.Masked = b.masked[0]
	case out:
		rec.Masked = b.masked[1]
	}
	return appendDecisionData(buf, p)
}

// appendDecisionData appends the Data of p's record, a JSON object with
// the JSON names of [ModelDecision]:
//
//	{"gen_ai.request.model": Model, "modelVersion": ModelVersion,
//	 "gen_ai.operation.name": Operation, "gen_ai.provider.name": Provider,
//	 "gen_ai.response.model": ResponseModel,
//	 "gen_ai.conversation.id": Conversation,
//	 "gen_ai.usage.input_tokens": InputTokens,
//	 "gen_ai.usage.output_tokens": OutputTokens, "input": Input, "output": Output, "confidence": Confidence,
//	 "review": {"reviewer": …, "overridden": …}, "latencyNs": Latency}
//
// Model-call fields use the OpenTelemetry GenAI names; the rest are
// lower camel case, as the record's own fields. Empty strings, zero
// Content, zero token counts, a nil Confidence and a missing review are
// left out. It writes
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
		b = evidence.AppendJSONString(b, p.d.Model)
	}
	if p.d.ModelVersion != "" {
		key("modelVersion")
		b = evidence.AppendJSONString(b, p.d.ModelVersion)
	}
	for _, f := range [...]struct{ name, v string }{
		{"gen_ai.operation.name", p.d.Operation},
		{"gen_ai.provider.name", p.d.Provider},
		{"gen_ai.response.model", p.d.ResponseModel},
		{"gen_ai.conversation.id", p.d.Conversation},
	} {
		if f.v != "" {
			key(f.name)
			b = evidence.AppendJSONString(b, f.v)
		}
	}
	for _, f := range [...]struct {
		name string
		n    int64
	}{
		{"gen_ai.usage.input_tokens", p.d.InputTokens},
		{"gen_ai.usage.output_tokens", p.d.OutputTokens},
	} {
		if f.n != 0 {
			key(f.name)
			b = strconv.AppendInt(b, f.n, 10)
		}
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
		b = evidence.AppendJSONString(b, p.rev.Reviewer)
		b = append(b, `,"overridden":`...)
		b = strconv.AppendBool(b, p.rev.Overridden)
		b = append(b, '}')
	}
	key("latencyNs")
	b = strconv.AppendInt(b, int64(p.d.Latency), 10)
	return append(b, '}')
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
