package aims

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
	"github.com/aimskit/aimskit/inventory"
)

// EvidencePolicy says what a gate does when its evidence cannot be
// recorded.
type EvidencePolicy int

const (
	// FailClosed (the default) turns the decision into a denial and
	// returns an error matching [ErrNotRecorded]: a decision without
	// evidence does not allow.
	FailClosed EvidencePolicy = iota
	// WarnOnly keeps the decision and returns the error matching
	// [ErrNotRecorded] next to it.
	WarnOnly
)

// ErrNotRecorded matches the error a gate returns when the evidence of a
// decision could not be written: the sink returned an error or panicked.
// [Manager] and [Monitor] return it for their records likewise, and
// [Recorder.Record] while its sink fails under
// [evidence.BufferOptions.FailOnError]. It is [evidence.ErrNotRecorded],
// which an [evidence.Buffered] sink returns likewise.
var ErrNotRecorded = evidence.ErrNotRecorded

// CheckEvidence is the id of the result a gate adds to a decision whose
// evidence could not be recorded, under [FailClosed].
const CheckEvidence = "evidence-recorded"

// ActorGate is the actor of the evidence records a gate writes.
const ActorGate = "aimskit/gate"

// Record returns the evidence record of the decision: its id and time, the
// system, the verdict, as reasons the messages of the failed checks and
// of the waived ones with their waiver's approver, expiry and reason, the
// ids of every control and clause the checks serve, the digests of the
// model and data resources of sys as subjects, and as data the decision's
// gate-decision predicate, the same JSON an
// attestation of the decision carries ([attest.GateDecision], schema
// [attest.GateDecisionSchema]), so that an auditor reads one schema in the
// log and in the attestation. It contains no personal data beyond what the
// governance documents hold. sys may be nil.
func (d Decision) Record(sys *inventory.System) (*evidence.Record, error) {
	data, err := json.Marshal(d.predicate())
	if err != nil {
		return nil, fmt.Errorf("aims: evidence record: %w", err)
	}
	r := &evidence.Record{
		SchemaVersion:  evidence.SchemaVersion,
		ID:             d.ID,
		Time:           d.Time,
		Type:           evidence.TypeGateDecision,
		System:         d.System,
		Outcome:        string(d.Verdict),
		Actor:          ActorGate,
		PolicyRevision: d.PolicyRevision,
		Data:           data,
		Subjects:       subjects(sys),
	}
	for _, c := range d.Checks {
		r.Controls = appendNew(r.Controls, c.Controls...)
		r.Controls = appendNew(r.Controls, c.Clauses...)
		switch {
		case c.Outcome == OutcomeFail:
			r.Reasons = append(r.Reasons, c.Check+": "+c.Message)
		case c.Outcome == OutcomeWaived && c.Waiver != nil:
			w := c.Waiver
			r.Reasons = append(r.Reasons, fmt.Sprintf("%s: waived by %s until %s (%s): %s", c.Check, w.Approver, w.Expires, w.Reason, c.Message))
		}
	}
	return r, nil
}

func appendNew(dst []string, ids ...string) []string {
	for _, id := range ids {
		if !slices.Contains(dst, id) {
			dst = append(dst, id)
		}
	}
	return dst
}

// subjects returns the in-toto subjects of an AI system: each model and
// data set with a sha256 digest, named "model:NAME@VERSION" and
// "dataset:NAME". Resources without a digest are left out. sys may be nil.
func subjects(sys *inventory.System) []evidence.Subject {
	if sys == nil {
		return nil
	}
	var out []evidence.Subject
	for _, m := range sys.Resources.Models {
		if hex, ok := strings.CutPrefix(m.Digest, "sha256:"); ok {
			out = append(out, evidence.Subject{Name: "model:" + m.Name + "@" + m.Version, Digest: map[string]string{"sha256": hex}})
		}
	}
	for _, ds := range sys.Resources.Datasets {
		if hex, ok := strings.CutPrefix(ds.Digest, "sha256:"); ok {
			out = append(out, evidence.Subject{Name: "dataset:" + ds.Name, Digest: map[string]string{"sha256": hex}})
		}
	}
	return out
}

// predicate returns the decision as the predicate of a gate-decision
// attestation ([attest.PredicateGateDecision]).
func (d Decision) predicate() attest.GateDecision {
	p := attest.GateDecision{
		DecisionID:     d.ID,
		SystemID:       d.System,
		Transition:     attest.GateTransition{From: string(d.From), To: string(d.To)},
		Outcome:        attest.GateOutcome(d.Verdict),
		PolicyRevision: d.PolicyRevision,
		Time:           d.Time,
		EvaluationTime: d.EvaluationTime,
	}
	for _, c := range d.Checks {
		o := attest.GateAllow
		switch {
		case c.Outcome == OutcomeWaived:
			o = attest.GateWaived
		case c.Outcome == OutcomeFail && c.Severity == SeverityWarn:
			o = attest.GateWarn
		case c.Outcome == OutcomeFail:
			o = attest.GateDeny
		}
		p.Checks = append(p.Checks, attest.GateCheck{ID: c.Check, Outcome: o, Controls: c.Controls, Clauses: c.Clauses, Message: c.Message})
		if w := c.Waiver; w != nil {
			exp := w.Expires.Time(time.UTC)
			p.Waivers = append(p.Waivers, attest.GateWaiver{ID: c.Check + "@" + w.System.String(), Check: c.Check, Approver: w.Approver, Expires: &exp})
		}
	}
	for _, in := range d.Inputs {
		if hex, ok := strings.CutPrefix(in.Digest, "sha256:"); ok {
			p.Inputs = append(p.Inputs, evidence.Subject{Name: in.Kind + "/" + in.ID, Digest: map[string]string{"sha256": hex}})
		}
	}
	return p
}

// Attest signs the decision as an in-toto Statement v1 with the
// gate-decision predicate in a DSSE envelope. The subjects are the model
// and data set digests of sys (see [subjects]) and extra, such as the
// digest of the release artifact. A statement needs at least one subject.
func Attest(ctx context.Context, signer evidence.Signer, d Decision, sys *inventory.System, extra ...evidence.Subject) (*attest.Envelope, error) {
	subjects := append(subjects(sys), extra...)
	st, err := attest.NewStatement(attest.PredicateGateDecision, d.predicate(), subjects...)
	if err != nil {
		return nil, fmt.Errorf("aims: attest: %w", err)
	}
	env, err := attest.SignStatement(ctx, signer, st)
	if err != nil {
		return nil, fmt.Errorf("aims: attest: %w", err)
	}
	return env, nil
}

// emitter returns the gate's way of emitting evidence.
func (g *Gate) emitter() emitter {
	return emitter{sink: g.evidence, clock: g.clock, newID: g.newID, hooks: g.hooks, policy: g.onEvidenceError}
}

// emitDecision writes the decision's evidence to the gate's sink, applying
// the gate's evidence policy, and then passes the decision to the hooks.
// It returns the decision, which a failure to record it under
// [FailClosed] turns into a denial. It takes the decision by value, so
// that [Gate.Evaluate] keeps its own off the heap when there is nothing
// to emit.
func (g *Gate) emitDecision(ctx context.Context, d Decision, sys *inventory.System, now time.Time) (Decision, error) {
	err := g.emit(ctx, &d, sys, now)
	return d, err
}

func (g *Gate) emit(ctx context.Context, d *Decision, sys *inventory.System, now time.Time) error {
	return g.emitter().emit(ctx, emission{
		record: func() (*evidence.Record, error) { return d.Record(sys) },
		what:   "decision " + d.ID.String(),
		failClosed: func() error {
			d.Checks = append(d.Checks, CheckResult{Check: CheckEvidence, Outcome: OutcomeFail, Severity: SeverityDeny,
				Message: "the evidence of this decision could not be recorded", Clauses: idsEvidence})
			d.Verdict = VerdictDeny
			return nil
		},
		event:             &Event{Type: EventGateDecision, Time: now, System: sys.ID, Decision: d},
		observeUnrecorded: true,
	})
}

var idsEvidence = []string{"iso42001:7.5.3"}
