package evidence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
)

// Sink receives evidence records. It is the extension point through which
// aimskit records evidence: a gate or recorder builds a [Record] and hands
// it to a Sink, and a decision whose evidence a Sink cannot take fails
// closed.
//
// Write stores r, or returns an error saying why it did not. An
// implementation must:
//
//   - return an error, and store nothing, for a nil record or one that
//     [Record.Validate] rejects;
//   - not retain r or anything it points to after Write returns (copy or
//     serialize it);
//   - store each record it accepted exactly once, and records written one
//     after another by one goroutine in that order;
//   - given a cancelled context, either store the record and return nil,
//     or store nothing and return an error that matches the context's
//     error;
//   - be safe for concurrent use by multiple goroutines.
//
// Callers that already made the decision the record is evidence of write
// it under [context.WithoutCancel], so that the evidence is kept even if
// the request is cancelled. Package evidencetest checks an implementation
// against these rules.
//
// A Sink that buffers implements [Flusher]; one that holds resources
// implements [Closer]. New abilities will come as new optional interfaces,
// never as methods added to Sink.
type Sink interface {
	Write(ctx context.Context, r *Record) error
}

// Flusher is implemented by a [Sink] that buffers records or writes them
// asynchronously. Flush returns once every record accepted before the
// call is stored as durably as the sink can store it, or returns the
// error that prevented it.
type Flusher interface {
	Flush(ctx context.Context) error
}

// Closer is implemented by a [Sink] that holds resources. Close flushes
// what the sink holds and releases its resources; after Close, Write
// returns an error matching [ErrClosed].
type Closer interface {
	Close(ctx context.Context) error
}

// SinkFunc adapts a function to a [Sink]. It does nothing for the function:
// the function itself must follow the rules of [Sink].
type SinkFunc func(ctx context.Context, r *Record) error

var _ Sink = SinkFunc(nil)

// Write calls f(ctx, r).
func (f SinkFunc) Write(ctx context.Context, r *Record) error { return f(ctx, r) }

// MultiSink writes each record to several sinks, in order.
//
// The zero value writes to no sink. A MultiSink is immutable and safe for
// concurrent use if its sinks are.
type MultiSink struct {
	sinks []Sink
}

var _ interface {
	Sink
	Flusher
	Closer
} = (*MultiSink)(nil)

// NewMultiSink returns a [MultiSink] that writes to sinks, in the order
// given. Nil sinks are skipped. It copies the slice.
func NewMultiSink(sinks ...Sink) *MultiSink {
	m := &MultiSink{sinks: make([]Sink, 0, len(sinks))}
	for _, s := range sinks {
		if s != nil {
			m.sinks = append(m.sinks, s)
		}
	}
	return m
}

// Write writes r to every sink, even after one fails, and returns the
// errors joined with [errors.Join]; it returns nil only if every sink
// stored r. A nil or invalid record is rejected before any sink sees it.
func (m *MultiSink) Write(ctx context.Context, r *Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	var errs []error
	for _, s := range m.sinks {
		if err := s.Write(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Flush flushes every sink that implements [Flusher] and joins their
// errors.
func (m *MultiSink) Flush(ctx context.Context) error {
	var errs []error
	for _, s := range m.sinks {
		if f, ok := s.(Flusher); ok {
			if err := f.Flush(ctx); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Close closes every sink that implements [Closer], in order, and joins
// their errors.
func (m *MultiSink) Close(ctx context.Context) error {
	var errs []error
	for _, s := range m.sinks {
		if c, ok := s.(Closer); ok {
			if err := c.Close(ctx); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// MemorySink is a [Sink] that keeps copies of the records written to it in
// memory, for tests and examples.
//
// The zero value is an empty sink ready to use. A MemorySink is safe for
// concurrent use by multiple goroutines and must not be copied after first
// use.
type MemorySink struct {
	mu      sync.Mutex
	records []*Record
}

var _ Sink = (*MemorySink)(nil)

// Write stores a copy of r. It returns an error matching [ErrInvalid] for a
// nil or invalid record and the context's error if ctx is done; in both
// cases it stores nothing.
func (s *MemorySink) Write(ctx context.Context, r *Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("evidence: write: %w", err)
	}
	c := r.Clone()
	s.mu.Lock()
	s.records = append(s.records, c)
	s.mu.Unlock()
	return nil
}

// Records returns copies of the stored records, in the order they were
// written. The caller owns the result.
func (s *MemorySink) Records() []*Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Record, len(s.records))
	for i, r := range s.records {
		out[i] = r.Clone()
	}
	return out
}

// Len returns the number of stored records.
func (s *MemorySink) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.records)
}

// Reset removes every stored record.
func (s *MemorySink) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = nil
}

// Attribute keys that [SlogSink] uses. They are stable: dashboards and
// alerts may depend on them.
const (
	KeyRecordID       = "aimskit.evidence.id"
	KeyType           = "aimskit.evidence.type"
	KeyTime           = "aimskit.evidence.time"
	KeySystemID       = "aimskit.evidence.system"
	KeyControls       = "aimskit.evidence.controls"
	KeySubjects       = "aimskit.evidence.subjects"
	KeyOutcome        = "aimskit.evidence.outcome"
	KeyReasons        = "aimskit.evidence.reasons"
	KeyActor          = "aimskit.evidence.actor"
	KeyPolicyRevision = "aimskit.evidence.policy_revision"
	KeyTraceID        = "aimskit.evidence.trace_id"
	KeySpanID         = "aimskit.evidence.span_id"
	KeyDataBytes      = "aimskit.evidence.data_bytes"
	KeyMasked         = "aimskit.evidence.masked"
	KeyPrev           = "aimskit.evidence.prev"
)

// SlogMessage is the message of the log records [SlogSink] emits.
const SlogMessage = "aimskit evidence"

// SlogOptions configures a [SlogSink]. A nil *SlogOptions is the same as
// the zero value, which gives the defaults.
type SlogOptions struct {
	// Level is the level of the log records. Nil means [slog.LevelInfo].
	Level slog.Leveler
}

// SlogSink mirrors records into a [*slog.Logger], one log record per
// evidence record, with the attribute keys [KeyRecordID] and the other Key
// constants. Data is logged as its length only ([KeyDataBytes]).
//
// A SlogSink is a mirror for operators, not a record of evidence: slog
// drops the errors of its handlers, so Write cannot tell whether the log
// record was written. Pair it with a durable sink through [MultiSink].
//
// The zero value discards records. A SlogSink is immutable and safe for
// concurrent use.
type SlogSink struct {
	logger *slog.Logger
	level  slog.Leveler
}

var _ Sink = (*SlogSink)(nil)

// NewSlogSink returns a [SlogSink] that logs to logger. A nil logger means
// that records are discarded. opts may be nil.
func NewSlogSink(logger *slog.Logger, opts *SlogOptions) *SlogSink {
	s := &SlogSink{logger: logger}
	if opts != nil {
		s.level = opts.Level
	}
	return s
}

// Write logs r with the logger's LogAttrs, passing ctx to the handler. It
// returns an error matching [ErrInvalid] for a nil or invalid record; it
// ignores cancellation, since logging does not block on it.
func (s *SlogSink) Write(ctx context.Context, r *Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if s.logger == nil {
		return nil
	}
	level := slog.LevelInfo
	if s.level != nil {
		level = s.level.Level()
	}
	if !s.logger.Enabled(ctx, level) {
		return nil
	}
	attrs := make([]slog.Attr, 0, 16)
	attrs = append(attrs,
		slog.String(KeyRecordID, r.ID.String()),
		slog.String(KeyType, string(r.Type)),
		slog.Time(KeyTime, r.Time),
		slog.String(KeySystemID, r.System.String()),
	)
	attrs = appendOptional(attrs, r, "aimskit.evidence.")
	s.logger.LogAttrs(ctx, level, SlogMessage, attrs...)
	return nil
}
