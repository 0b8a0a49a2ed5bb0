package aims

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

// ErrStaleDecision is returned by [Gate.Apply] when the system is no
// longer in the stage the decision was made for.
var ErrStaleDecision = errors.New("aims: decision is stale")

// Apply carries out an allowing decision: it moves the AI system to the
// decision's target stage in st, where the system is kept as an AISystem
// document with id d.System.String(), and appends the move to the
// system's life-cycle history. The write uses the revision it read, so a
// concurrent change fails with an error matching [store.ErrConflict]; the
// store keeps the change history with w's actor and reason.
//
// The move is then recorded as evidence (type stage-change) and passed to
// the hooks as an [EventStageChange]. If the evidence cannot be written
// and the gate fails closed, Apply restores the previous document and
// returns an error matching [ErrNotRecorded].
//
// Apply returns an error matching [ErrDenied] for a decision that does not
// allow, and [ErrStaleDecision] when the stored system is no longer in
// d.From. It returns the system as stored.
func (g *Gate) Apply(ctx context.Context, st *store.Store, d Decision, w store.Write) (*inventory.System, error) {
	if !d.Allowed() {
		return nil, fmt.Errorf("aims: apply: %w", d.Err())
	}
	doc, err := st.Get(ctx, inventory.KindSystem, d.System.String())
	if err != nil {
		return nil, fmt.Errorf("aims: apply: %w", err)
	}
	var sys inventory.System
	dec := json.NewDecoder(bytes.NewReader(doc.Data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sys); err != nil {
		return nil, fmt.Errorf("aims: apply: stored %s %s: %w", inventory.KindSystem, doc.ID, err)
	}
	if sys.Lifecycle.Stage != d.From {
		return nil, fmt.Errorf("%w: decision %s was made for %s -> %s, but %s is now in %s",
			ErrStaleDecision, d.ID, d.From, d.To, sys.Name, sys.Lifecycle.Stage)
	}
	change := g.StageChange(d, &sys, w.Actor)
	sys.Lifecycle.Stage = d.To
	sys.Lifecycle.History = append(sys.Lifecycle.History, change)
	if err := sys.Validate(); err != nil {
		return nil, fmt.Errorf("aims: apply: %w", err)
	}
	data, err := json.Marshal(&sys)
	if err != nil {
		return nil, fmt.Errorf("aims: apply: %w", err)
	}
	put, err := st.Put(ctx, &store.Document{Kind: inventory.KindSystem, ID: doc.ID, Revision: doc.Revision, Data: data}, w)
	if err != nil {
		return nil, fmt.Errorf("aims: apply: %w", err)
	}
	// The move is made: record it whatever happens to ctx now.
	ctx = context.WithoutCancel(ctx)
	reverted := false
	err = g.emitChange(ctx, d, &sys, change, w, func() error {
		reverted = true
		undo := store.Write{Actor: w.Actor, Reason: "revert: the evidence of the stage change could not be recorded"}
		if _, uerr := st.Put(ctx, &store.Document{Kind: doc.Kind, ID: doc.ID, Revision: put.Revision, Data: doc.Data}, undo); uerr != nil {
			return fmt.Errorf("aims: apply: revert: %w", uerr)
		}
		return nil
	})
	if reverted {
		return nil, err
	}
	return &sys, err
}

// StageChange returns the life-cycle history entry that applying d to sys
// adds, as [Gate.Apply] adds it: the move from d.From to d.To on the
// gate's current day, by the actor by, under decision d, for the models
// sys lists now ([inventory.System.ModelVersions]). It does not check d.
func (g *Gate) StageChange(d Decision, sys *inventory.System, by string) inventory.StageChange {
	return inventory.StageChange{From: d.From, To: d.To, Date: document.DateOf(g.clock()), By: by, Decision: d.ID.String(),
		Models: sys.ModelVersions()}
}

// RecordStageChange records a move that d allowed and that was applied
// outside a store, such as by editing the system's file in its folder, as
// [Gate.Apply] records its own: as evidence of type stage-change, then to
// the hooks as an [EventStageChange]. change is the history entry that
// was added (see [Gate.StageChange]) and sys the system as it is now.
//
// The record is written under [context.WithoutCancel], since the move is
// already made. An error matching [ErrNotRecorded] means that the
// evidence was not written, whatever the gate's evidence-error setting: a
// caller that fails closed undoes the move. It returns an error matching
// [ErrDenied], and records nothing, for a decision that does not allow.
// Any other error is a hook's.
func (g *Gate) RecordStageChange(ctx context.Context, d Decision, sys *inventory.System, change inventory.StageChange) error {
	if !d.Allowed() {
		return fmt.Errorf("aims: record stage change: %w", d.Err())
	}
	em := g.emitter()
	em.policy = WarnOnly // the caller undoes the move
	return em.emit(ctx, g.changeEmission(d, sys, change, store.Write{Actor: change.By}, nil))
}

// emitChange emits the evidence of a stage change under the gate's
// evidence policy: undo, if not nil, undoes the move when its evidence
// cannot be written and the gate fails closed.
func (g *Gate) emitChange(ctx context.Context, d Decision, sys *inventory.System, change inventory.StageChange, w store.Write, undo func() error) error {
	return g.emitter().emit(ctx, g.changeEmission(d, sys, change, w, undo))
}

// changeEmission is the emission of a stage change: a stage-change record,
// then an [EventStageChange] for the hooks once it is written.
func (g *Gate) changeEmission(d Decision, sys *inventory.System, change inventory.StageChange, w store.Write, undo func() error) emission {
	return emission{
		record: func() (*evidence.Record, error) {
			data, err := json.Marshal(change)
			if err != nil {
				return nil, err
			}
			return &evidence.Record{
				Type:           evidence.TypeStageChange,
				System:         sys.ID,
				Controls:       []string{"iso42001:A.6.2.5", "iso42001:7.5.3"},
				Subjects:       subjects(sys),
				Outcome:        string(change.To),
				Reasons:        []string{fmt.Sprintf("%s -> %s allowed by decision %s", change.From, change.To, d.ID)},
				Actor:          w.Actor,
				PolicyRevision: d.PolicyRevision,
				Data:           data,
			}, nil
		},
		what:       "stage change of " + sys.Name,
		failClosed: undo,
		event:      &Event{Type: EventStageChange, System: sys.ID, Decision: &d, Change: &change},
	}
}
