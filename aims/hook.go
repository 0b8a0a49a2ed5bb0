package aims

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/inventory"
)

// EventType is the type of a governance event. The zero value, "", is
// no type: no event has it.
type EventType string

// Event types.
const (
	EventGateDecision EventType = "gate-decision"
	EventStageChange  EventType = "stage-change"
	// EventRuntimeDecision: a [Recorder] took a runtime decision of an AI
	// system ([Recorder.Record]).
	EventRuntimeDecision EventType = "runtime-decision"
	// EventIncident: a [Monitor] recorded that an incident was opened
	// ([Monitor.OpenIncident]).
	EventIncident EventType = "incident"
)

// Event is one governance decision or change that hooks observe.
type Event struct {
	// Type says what happened.
	Type EventType
	// Time is when it happened.
	Time time.Time
	// System is the AI system concerned.
	System uuid.UUID
	// Decision is the gate decision, for EventGateDecision and for the
	// decision that allowed an EventStageChange.
	Decision *Decision
	// Change is the stage change, for EventStageChange.
	Change *inventory.StageChange
	// Model is the runtime decision, for EventRuntimeDecision.
	Model *ModelDecision
	// Record is the evidence record of the event as it was written to
	// the sink, or, for EventRuntimeDecision, as the recorder will write
	// it (see [RecorderOptions.Hooks]). It is nil when no record was
	// written: there is no sink, or writing failed and the event is
	// observed all the same. Its Prev is empty: the log links records
	// as it writes them. With [evidence.Record.Hash] it names the record
	// in the tamper-evident log.
	Record *evidence.Record
}

// Hook observes events. Hooks run synchronously, in registration order,
// after the event's evidence is recorded (a runtime decision's once it is
// enqueued: see [RecorderOptions.Hooks]); they must be safe for
// concurrent use, must not modify e or what it points to, and must not
// keep e after they return. An error from a
// hook is returned to the caller of the operation; a panic in a hook is
// recovered and returned as an error.
type Hook interface {
	Observe(ctx context.Context, e *Event) error
}

// HookFunc adapts a function to a [Hook].
type HookFunc func(ctx context.Context, e *Event) error

// Observe calls f(ctx, e).
func (f HookFunc) Observe(ctx context.Context, e *Event) error { return f(ctx, e) }

var (
	_ Hook = HookFunc(nil)
	_ Hook = Hooks(nil)
	_ Hook = (*SlogHook)(nil)
)

// Hooks runs several hooks in order. It runs all of them even when some
// fail, and returns their errors joined with [errors.Join].
type Hooks []Hook

// Observe calls every hook in order, recovering panics.
func (hs Hooks) Observe(ctx context.Context, e *Event) error {
	var errs []error
	for i, h := range hs {
		if err := observe(ctx, h, e); err != nil {
			errs = append(errs, fmt.Errorf("aims: hook %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

func observe(ctx context.Context, h Hook, e *Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return h.Observe(ctx, e)
}

// SlogHook writes one log record per event to a [slog.Logger], with the
// stable attribute keys of this package (KeyDecisionID and the others), so
// that any slog handler, including an OpenTelemetry bridge, receives them.
// Gate decisions are logged at Info when allowed and at Warn when denied.
//
// The zero value discards. A SlogHook is safe for concurrent use.
type SlogHook struct {
	Logger *slog.Logger
}

// Observe logs e. It never fails: slog drops handler errors by design,
// which is why evidence does not go through slog.
func (h *SlogHook) Observe(ctx context.Context, e *Event) error {
	if h == nil || h.Logger == nil {
		return nil
	}
	level := slog.LevelInfo
	attrs := []slog.Attr{
		slog.String(KeyEventType, string(e.Type)),
		slog.String(KeySystemID, e.System.String()),
	}
	if d := e.Decision; d != nil {
		if !d.Allowed() {
			level = slog.LevelWarn
		}
		attrs = append(attrs,
			slog.String(KeyDecisionID, d.ID.String()),
			slog.String(KeyTransition, string(d.From)+"->"+string(d.To)),
			slog.String(KeyVerdict, string(d.Verdict)),
			slog.String(KeyPolicyRevision, d.PolicyRevision),
			slog.Int(KeyFailedChecks, len(d.Failed())),
		)
	}
	if c := e.Change; c != nil {
		attrs = append(attrs, slog.String(KeyTransition, string(c.From)+"->"+string(c.To)))
	}
	h.Logger.LogAttrs(ctx, level, "aims: "+string(e.Type), attrs...)
	return nil
}
