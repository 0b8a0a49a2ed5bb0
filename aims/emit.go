package aims

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
)

// emitter writes the evidence of decisions already made and tells the
// hooks about them. It is the one way [Gate], [Monitor] and [Manager] emit
// evidence, so that every record is stamped, written, reported and
// observed alike. It is a small value, made for each emission.
type emitter struct {
	sink   evidence.Sink // nil: no evidence is written
	clock  func() time.Time
	newID  func() (uuid.UUID, error)
	hooks  Hooks
	policy EvidencePolicy
}

// emission is one decision for [emitter.emit] to emit.
type emission struct {
	// record builds the evidence record. It is called only when there is
	// a sink; emit stamps what it leaves unset (id, schema version, time).
	record func() (*evidence.Record, error)
	// what names the record in the error, such as "decision ID".
	what string
	// failClosed applies the [FailClosed] evidence policy to a decision
	// whose evidence was not written: it turns the decision into a denial,
	// or undoes it. Its error is joined to the one returned. Nil, or a
	// [WarnOnly] policy, means that the decision stands.
	failClosed func() error
	// recorded runs once the record is written (or there is no sink),
	// before the hooks: it makes the decision take effect. Nil means
	// nothing to do.
	recorded func()
	// event is passed to the hooks; nil means none. A zero Time is set to
	// the clock's time when the hooks run.
	event *Event
	// observeUnrecorded says that the hooks see event even when its
	// record was not written.
	observeUnrecorded bool
}

// emit emits e under [context.WithoutCancel](ctx), since the decision is
// already made: it builds and stamps the record, writes it to the sink
// (a panic in the sink is an error), wraps a failure with
// [ErrNotRecorded] and e.what, applies the evidence policy, and then runs
// the hooks. It returns the joined errors.
func (em emitter) emit(ctx context.Context, e emission) error {
	ctx = context.WithoutCancel(ctx)
	rec, err := em.write(ctx, &e)
	if err != nil && em.policy == FailClosed && e.failClosed != nil {
		err = errors.Join(err, e.failClosed())
	}
	if err == nil && e.recorded != nil {
		e.recorded()
	}
	if e.event == nil || len(em.hooks) == 0 || (err != nil && !e.observeUnrecorded) {
		return err
	}
	if e.event.Time.IsZero() {
		e.event.Time = em.clock()
	}
	if err == nil {
		e.event.Record = rec
	}
	return errors.Join(err, em.hooks.Observe(ctx, e.event))
}

// write builds, stamps and writes the record of e, if there is a sink,
// and returns it; it returns nil and no error if there is none.
func (em emitter) write(ctx context.Context, e *emission) (*evidence.Record, error) {
	if em.sink == nil || e.record == nil {
		return nil, nil
	}
	r, err := e.record()
	if err == nil {
		err = r.Stamp(em.clock, em.newID)
	}
	if err == nil {
		err = writeEvidence(ctx, em.sink, r)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNotRecorded, e.what, err)
	}
	return r, nil
}

// writeEvidence writes r to a user-provided sink. A panic in the sink is
// recovered and returned as an error that says so, with the panic value,
// so that it fails the caller like any error of the sink.
func writeEvidence(ctx context.Context, sink evidence.Sink, r *evidence.Record) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("evidence sink panicked: %v", p)
		}
	}()
	return sink.Write(ctx, r)
}
