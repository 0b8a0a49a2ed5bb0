package aims

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// Check is one rule of a gate. Built-in checks are named by the Check*
// constants; applications add their own through [GateOptions.Checks], for
// example to compare a metric of their evaluation suite with a threshold.
//
// Run returns the check's result. A failure is a result with
// [OutcomeFail], not an error: an error means the check could not decide,
// and makes the whole evaluation return an error. Run must be safe for
// concurrent use and must not keep in or anything it points to after it returns.
type Check interface {
	Run(ctx context.Context, in *CheckInput) (CheckResult, error)
}

// CheckFunc adapts a function to a [Check].
type CheckFunc func(ctx context.Context, in *CheckInput) (CheckResult, error)

// Run calls f(ctx, in).
func (f CheckFunc) Run(ctx context.Context, in *CheckInput) (CheckResult, error) { return f(ctx, in) }

var _ Check = CheckFunc(nil)

// CheckInput is what a check sees. It is read-only: checks must not
// modify it or anything it points to.
type CheckInput struct {
	// System is the AI system at the gate.
	System *inventory.System
	// From and To are the stages of the transition.
	From, To inventory.Stage
	// Snapshot holds every governance document.
	Snapshot *Snapshot
	// Facts are the measurements the application supplied.
	Facts Facts
	// Spec is the check's entry in the policy, with its parameters.
	Spec CheckSpec
	// Now is the evaluation time: the time the documents are evaluated
	// at (which are current, what is overdue, which waivers apply). It is
	// the decision's [Decision.EvaluationTime].
	Now time.Time

	// prep holds what the gate worked out once for the system.
	prep *prepared
	soa  map[controls.ID]*controls.Entry
	// today is the day of Now, when the gate worked it out.
	today document.Date
}

// prepared is what a gate derives once per system, since the snapshot does
// not change while the gate is in use.
type prepared struct {
	ra           *risk.Assessment         // of the system, or nil
	ia           *impact.Assessment       // of the system, or nil
	class        inventory.Classification // that holds: derived from facts, else stated
	friaRequired bool                     // the deployer owes an Art. 27 FRIA
	impact       impactNeed               // whether and why an impact assessment is required
	inScope      bool                     // in the scope of the AI management system
	friaProblem  string                   // why the FRIA is incomplete; "" when complete or not owed
	problems     []document.Problem       // of the system's own documents
	placeholders []document.Problem       // left in the documents its gates depend on
	inputs       []DecisionInput
	residual     residualFacts
	current      dayCache // of assessments-current
	reviewOwed   dayCache // of impact-approved: why a review of the impact assessment is owed
}

// residualFacts is what the residual-risk check needs of a risk
// assessment, worked out once: everything but the acceptance expiry, which
// depends on the day of the evaluation.
type residualFacts struct {
	problem string // why the assessment cannot be evaluated; "" when it can
	risks   []residualFact
}

type residualFact struct {
	id            string
	aboveAppetite bool
	accepted      bool // has an acceptance
	stale         bool
	expires       document.Date
}

func prepareResidual(f *Snapshot, a *risk.Assessment) residualFacts {
	if a == nil {
		return residualFacts{problem: "no risk assessment of the system"}
	}
	c, ok := f.Criteria(a)
	if !ok {
		return residualFacts{problem: "the risk criteria of the assessment were not found"}
	}
	// Expiry is left to evaluation time; any day serves to get the rest.
	s, err := risk.Evaluate(a, c, time.Time{})
	if err != nil {
		return residualFacts{problem: "risk assessment cannot be evaluated: " + err.Error()}
	}
	var out residualFacts
	for i, r := range s.Results {
		ac := a.Risks[i].Acceptance
		if !r.AboveAppetite && ac == nil {
			continue
		}
		fact := residualFact{id: r.ID, aboveAppetite: r.AboveAppetite, stale: r.StaleAcceptance}
		if ac != nil {
			fact.accepted, fact.expires = true, ac.Expires
		}
		out.risks = append(out.risks, fact)
	}
	return out
}

// prepare works out what the gates of sys need, finding its documents in
// x, in time independent of the size of the snapshot.
func prepare(f *Snapshot, sys *inventory.System, x *index) *prepared {
	ob := sys.Explain()
	ra, ia := x.risk[sys.ID], x.impact[sys.ID]
	inScope := x.inScopeOf(sys.ID)
	p := &prepared{ra: ra, ia: ia, class: ob.Classification, friaRequired: ob.Obligations.FRIARequired, impact: impactNeedOf(ob, inScope), inScope: inScope,
		inputs: f.inputs(sys, ra, ia), residual: prepareResidual(f, ra), problems: x.problems[sys.ID], placeholders: f.placeholdersFor(sys, ra, ia)}
	if ia != nil && ia.FRIA != nil && p.friaRequired {
		if err := ia.ValidateBeforeUse(sys); err != nil {
			p.friaProblem = err.Error()
		}
	}
	return p
}

// lazyPrepared is what a gate prepares for one AI system, the first time
// it evaluates the system, so that NewGate does not classify every system
// of a large inventory up front.
type lazyPrepared struct {
	once sync.Once
	sys  *inventory.System
	p    *prepared
}

// get returns what was prepared for the system, preparing it on the first
// call.
func (l *lazyPrepared) get(f *Snapshot, x *index) *prepared {
	l.once.Do(func() { l.p = prepare(f, l.sys, x) })
	return l.p
}

// prepared returns what the gate prepared for the input's system,
// preparing it now for inputs built outside a gate.
func (in *CheckInput) prepared() *prepared {
	if in.prep == nil {
		in.prep = prepare(in.Snapshot, in.System, in.Snapshot.newIndex())
	}
	return in.prep
}

// day returns the day of Now.
func (in *CheckInput) day() document.Date {
	if in.today.IsZero() {
		return document.DateOf(in.Now)
	}
	return in.today
}

// entry returns the SoA entry of a control, read-only.
func (in *CheckInput) entry(id controls.ID) (*controls.Entry, bool) {
	if in.soa != nil {
		e, ok := in.soa[id]
		return e, ok
	}
	if in.Snapshot.SoA == nil {
		return nil, false
	}
	e, ok := in.Snapshot.SoA.Entry(id)
	return &e, ok
}

// Facts are measurements an application supplies to a gate, by name, e.g.
// "accuracy" or "fairness.gap" from its own evaluation suite.
type Facts map[string]float64

// CheckOutcome is the outcome of one check. The zero value, "", is no
// outcome: a check that returns it is in error.
type CheckOutcome string

// Check outcomes.
const (
	OutcomePass          CheckOutcome = "pass"
	OutcomeFail          CheckOutcome = "fail"
	OutcomeNotApplicable CheckOutcome = "not-applicable"
	// OutcomeWaived is a failure that a waiver of the policy lets pass
	// (see [CheckResult.Waiver]): it does not deny or warn. Only the gate
	// sets it; a check returns pass, fail or not-applicable.
	OutcomeWaived CheckOutcome = "waived"
)

// CheckResult is the result of one check.
type CheckResult struct {
	// Check is the id of the check use (see [CheckSpec.Name]); the gate
	// sets it.
	Check string `json:"check"`
	// Outcome is pass, fail, not-applicable, or waived for a failure a
	// waiver lets pass.
	Outcome CheckOutcome `json:"outcome"`
	// Severity is what a failure does; the gate sets it from the policy.
	// A check may return [SeverityWarn] to make a failure a warning
	// whatever the policy says; it cannot make one deny.
	Severity Severity `json:"severity"`
	// Message says why, for people.
	Message string `json:"message"`
	// Controls and Clauses are the ISO/IEC 42001 ids the check serves,
	// e.g. "iso42001:A.6.2.5" and "iso42001:6.1.3". Built-in checks share
	// these slices: treat them as read-only.
	Controls []string `json:"controls,omitempty"`
	Clauses  []string `json:"clauses,omitempty"`
	// Waiver is the waiver that let a failure pass, for a result with
	// [OutcomeWaived]; nil otherwise.
	Waiver *Waiver `json:"waiver,omitempty"`
}

// Verdict is the outcome of a gate decision. The zero value, "", is no
// verdict: a decision the gate did not make.
type Verdict string

// Verdicts.
const (
	// VerdictAllow: every check passed, was not applicable or was waived.
	VerdictAllow Verdict = "allow"
	// VerdictWarn: the transition may go ahead, but a warn-level check
	// failed.
	VerdictWarn Verdict = "warn"
	// VerdictDeny: a deny-level check failed.
	VerdictDeny Verdict = "deny"
)

// Decision is the result of evaluating a gate: a value, also when it
// denies.
type Decision struct {
	// ID is a UUIDv7 from the gate's ID source.
	ID uuid.UUID `json:"id"`
	// Time is when the decision was made, from the gate's clock
	// ([GateOptions.Clock]); its evidence record has the same time.
	Time time.Time `json:"time"`
	// EvaluationTime is the time the documents were evaluated at, from
	// [GateOptions.EvaluationTime]: Time, unless the gate was asked to
	// evaluate as of another day.
	EvaluationTime time.Time `json:"evaluationTime"`
	// System and SystemName identify the AI system.
	System     uuid.UUID `json:"system"`
	SystemName string    `json:"systemName"`
	// From and To are the stages of the transition.
	From inventory.Stage `json:"from"`
	To   inventory.Stage `json:"to"`
	// Verdict is allow, warn or deny.
	Verdict Verdict `json:"verdict"`
	// Checks holds the result of every check, in policy order.
	Checks []CheckResult `json:"checks"`
	// Inputs are the digests of the documents the decision read.
	Inputs []DecisionInput `json:"inputs"`
	// Facts are the facts supplied, sorted by name.
	Facts []Fact `json:"facts,omitempty"`
	// PolicyRevision identifies the policy.
	PolicyRevision string `json:"policyRevision"`
}

// DecisionInput names one document a decision read, with its digest.
type DecisionInput struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Digest string `json:"digest"`
}

// Fact is one supplied fact.
type Fact struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Allowed reports whether the transition may go ahead: the verdict is
// allow or warn.
func (d Decision) Allowed() bool { return d.Verdict == VerdictAllow || d.Verdict == VerdictWarn }

// Failed returns the checks that failed and were not waived, blocking
// ones first.
func (d Decision) Failed() []CheckResult {
	var out []CheckResult
	for _, c := range d.Checks {
		if c.Outcome == OutcomeFail && c.Severity != SeverityWarn {
			out = append(out, c)
		}
	}
	for _, c := range d.Checks {
		if c.Outcome == OutcomeFail && c.Severity == SeverityWarn {
			out = append(out, c)
		}
	}
	return out
}

// Waived returns the checks that failed and were let pass by a waiver
// ([OutcomeWaived]).
func (d Decision) Waived() []CheckResult {
	var out []CheckResult
	for _, c := range d.Checks {
		if c.Outcome == OutcomeWaived {
			out = append(out, c)
		}
	}
	return out
}

// Waivers returns the waivers the decision used.
func (d Decision) Waivers() []Waiver {
	var out []Waiver
	for _, c := range d.Checks {
		if c.Waiver != nil {
			out = append(out, *c.Waiver)
		}
	}
	return out
}

// ErrDenied is matched by every [*DeniedError].
var ErrDenied = errors.New("aims: gate denied")

// DeniedError is the error [Decision.Err] returns for a denial.
type DeniedError struct {
	Decision Decision
}

// Error lists the failed checks.
func (e *DeniedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "aims: gate %s -> %s denied for %s", e.Decision.From, e.Decision.To, e.Decision.SystemName)
	for _, c := range e.Decision.Failed() {
		if c.Severity == SeverityWarn {
			continue
		}
		fmt.Fprintf(&b, "\n  %s: %s", c.Check, c.Message)
		if len(c.Controls) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(c.Controls, ", "))
		}
	}
	return b.String()
}

// Unwrap returns [ErrDenied].
func (e *DeniedError) Unwrap() error { return ErrDenied }

// Err returns nil when the decision allows the transition, and a
// [*DeniedError] (matching [ErrDenied]) when it denies it. It is meant for
// an application's own release test:
//
//	func TestReleaseGate(t *testing.T) {
//		d, err := gate.Evaluate(ctx, systemID, inventory.StageDeployment, facts)
//		if err != nil {
//			t.Fatal(err)
//		}
//		if err := d.Err(); err != nil {
//			t.Fatal(err)
//		}
//	}
func (d Decision) Err() error {
	if d.Allowed() {
		return nil
	}
	return &DeniedError{Decision: d}
}

// GateOptions configures a [Gate]. The zero value gives the defaults; a
// nil *GateOptions is the same as the zero value.
type GateOptions struct {
	// Policy is the gate policy. Nil means the snapshot's GatePolicy if it
	// has one, and [DefaultPolicy] otherwise.
	Policy *GatePolicy
	// Checks are custom checks by name, referred to from the policy. A
	// name may not shadow a built-in check.
	Checks map[string]Check
	// Clock returns the current time: the time of each decision and of
	// its evidence record. Nil means time.Now.
	Clock func() time.Time
	// EvaluationTime returns the time a decision evaluates the documents
	// at: which assessments are current, which treatments are overdue,
	// which waivers apply. Set it to decide as of another day; the
	// decision records it as [Decision.EvaluationTime] next to its own
	// Time, which stays the Clock's. Nil means the Clock's time.
	EvaluationTime func() time.Time
	// NewID returns decision ids. Nil means uuid.NewV7.
	NewID func() (uuid.UUID, error)
	// Evidence receives the evidence record of every decision (see
	// [Decision.Record]) before the hooks run. Nil means no evidence is
	// recorded. A panic in the sink is recovered and counts as a failed
	// write.
	Evidence evidence.Sink
	// OnEvidenceError says what happens when Evidence fails; the zero
	// value is [FailClosed].
	OnEvidenceError EvidencePolicy
	// Hooks observe every decision, in order, after it is made. Add a
	// [*SlogHook] to log decisions.
	Hooks []Hook
	// Logger receives diagnostics at Debug level. Nil means silent.
	Logger *slog.Logger
}

// Gate evaluates life-cycle transitions of the AI systems of a snapshot
// against a policy. It is immutable after [NewGate] and safe for
// concurrent use; it does not modify the snapshot, which must not be
// modified while the gate is in use.
type Gate struct {
	folder  *Snapshot
	index   *index
	prep    map[uuid.UUID]*lazyPrepared
	soa     map[controls.ID]*controls.Entry
	policy  *GatePolicy
	waivers []Waiver // the valid waivers of the policy
	rev     string
	checks  map[string]Check
	rules   []gateRule  // the policy's gates, in order, with their checks
	current []ruleCheck // CheckAssessmentsCurrent as a warning, for a gate that does not list it
	clock   func() time.Time
	evalAt  func() time.Time
	newID   func() (uuid.UUID, error)
	hooks   Hooks
	log     *slog.Logger

	evidence        evidence.Sink
	onEvidenceError EvidencePolicy
}

// NewGate returns a gate over the snapshot. It returns an error when the
// policy is invalid or names a check that is neither built in nor given
// in opts.Checks, and when the snapshot has problems in documents that every
// gate reads ([Snapshot.SharedProblems]): that error wraps a
// [*document.Error] with those problems and matches [document.ErrInvalid].
//
// A snapshot that [Loader.Load] returned together with an error is usable
// when its problems are all problems of some AI systems' own documents
// ([Snapshot.SystemProblems]): the gate denies those systems, with a failed
// [CheckDocumentsValid] result, and decides for the others as usual. An
// invalid waiver of the snapshot's policy is such a problem, of the system
// it is for: the gate ignores it, while a policy given in opts.Policy
// must have none.
//
// NewGate takes time linear in the number of documents and indexes them,
// so that an evaluation takes time independent of the number of AI
// systems. What the gate works out once per system (its classification
// and obligations, the digests of its documents, its residual risks) it
// works out at the system's first evaluation.
func NewGate(f *Snapshot, opts *GateOptions) (*Gate, error) {
	if f == nil {
		panic("aims: NewGate with a nil folder")
	}
	var o GateOptions
	if opts != nil {
		o = *opts
	}
	g := &Gate{folder: f, clock: o.Clock, evalAt: o.EvaluationTime, newID: o.NewID, hooks: slices.Clone(o.Hooks), log: o.Logger,
		evidence: o.Evidence, onEvidenceError: o.OnEvidenceError}
	for i, h := range g.hooks {
		if h == nil {
			return nil, fmt.Errorf("aims: new gate: hook %d is nil", i)
		}
	}
	if g.clock == nil {
		g.clock = time.Now
	}
	if g.newID == nil {
		g.newID = uuid.NewV7
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if ps := f.SharedProblems(); len(ps) > 0 {
		return nil, fmt.Errorf("aims: new gate: documents every gate reads have problems: %w", &document.Error{Problems: ps})
	}
	g.policy = o.Policy
	if g.policy == nil {
		g.policy = f.policy()
	}
	if err := g.policy.Validate(); err != nil {
		return nil, fmt.Errorf("aims: new gate: policy %s: %w", g.policy.ID, err)
	}
	if o.Policy != nil {
		if err := o.Policy.validateWaivers(); err != nil {
			return nil, fmt.Errorf("aims: new gate: policy %s: %w", g.policy.ID, err)
		}
	}
	for _, w := range g.policy.Waivers {
		if w.Validate() == nil {
			g.waivers = append(g.waivers, w)
		}
	}
	g.rev = g.policy.Revision
	if g.rev == "" {
		g.rev = f.Digest(g.policy)
	}
	g.checks = builtinChecks()
	for name, c := range o.Checks {
		if _, dup := g.checks[name]; dup || name == CheckNotProhibited || name == CheckDocumentsValid {
			return nil, fmt.Errorf("aims: new gate: custom check %q shadows a built-in check", name)
		}
		if c == nil {
			return nil, fmt.Errorf("aims: new gate: custom check %q is nil", name)
		}
		g.checks[name] = c
	}
	cat := controls.ISO42001()
	if f.SoA != nil {
		if c, err := f.SoA.Catalog(); err == nil {
			cat = c
		}
	}
	var e document.Error
	for i, r := range g.policy.Gates {
		for j, c := range r.Checks {
			if _, ok := g.checks[c.Check]; !ok {
				e.Add(document.Pointer("gates", i, "checks", j, "check"), "unknown check %q (built-in: %s)", c.Check, strings.Join(BuiltinChecks(), ", "))
			}
			for k, id := range c.Params.Controls {
				if _, ok := cat.Lookup(controls.ID(id)); !ok {
					e.Add(document.Pointer("gates", i, "checks", j, "params", "controls", k), "unknown control %q", id)
				}
			}
		}
	}
	if err := e.Err(); err != nil {
		return nil, fmt.Errorf("aims: new gate: policy %s: %w", g.policy.ID, err)
	}
	g.rules = make([]gateRule, len(g.policy.Gates))
	for i, r := range g.policy.Gates {
		g.rules[i] = gateRule{from: r.From, to: r.To, checks: make([]ruleCheck, len(r.Checks))}
		for j, c := range r.Checks {
			g.rules[i].checks[j] = newRuleCheck(c.clone(), g.checks[c.Check])
			if c.Check == CheckAssessmentsCurrent {
				g.rules[i].current = true
			}
		}
	}
	g.current = []ruleCheck{newRuleCheck(CheckSpec{Check: CheckAssessmentsCurrent, Severity: SeverityWarn}, g.checks[CheckAssessmentsCurrent])}
	g.index = f.newIndex()
	g.prep = make(map[uuid.UUID]*lazyPrepared, len(g.index.systems))
	for id, sys := range g.index.systems {
		g.prep[id] = &lazyPrepared{sys: sys}
	}
	if f.SoA != nil {
		g.soa = make(map[controls.ID]*controls.Entry, len(f.SoA.Entries))
		for i := range f.SoA.Entries {
			en := &f.SoA.Entries[i]
			if _, dup := g.soa[en.Control]; !dup {
				g.soa[en.Control] = en
			}
		}
	}
	return g, nil
}

// gateRule is a gate of the policy as [NewGate] found it, with each
// check resolved.
type gateRule struct {
	from, to inventory.Stage
	checks   []ruleCheck
	current  bool // the gate lists CheckAssessmentsCurrent itself
}

// ruleCheck is one check of a gate: its entry in the policy, its name
// (see [CheckSpec.Name]) and what runs it.
type ruleCheck struct {
	spec  CheckSpec
	name  string
	check Check
	pure  builtinCheck // check, when it is a built-in one; else zero
}

func newRuleCheck(spec CheckSpec, c Check) ruleCheck {
	p, _ := c.(builtinCheck)
	return ruleCheck{spec: spec, name: spec.Name(), check: c, pure: p}
}

// rule returns the gate for a move from from to to, or nil: one with a
// matching from wins over one without, and of those without, the last.
func (g *Gate) rule(from, to inventory.Stage) *gateRule {
	var any *gateRule
	for i := range g.rules {
		r := &g.rules[i]
		if r.to != to {
			continue
		}
		if r.from == from {
			return r
		}
		if r.from == inventory.StageUnspecified {
			any = r
		}
	}
	return any
}

// Policy returns the policy the gate uses. The caller must not modify it.
func (g *Gate) Policy() *GatePolicy { return g.policy }

// ErrUnknownSystem is returned by [Gate.Evaluate] for a system id that is
// not in the snapshot.
var ErrUnknownSystem = errors.New("aims: unknown AI system")

// ErrTransition is returned by [Gate.Evaluate] for a move the life cycle
// does not allow.
var ErrTransition = errors.New("aims: transition not allowed")

// Evaluate decides whether the system may move from its current stage to
// stage to, records the decision's evidence and passes the decision to the
// hooks. The decision is a value: a denial is a [Decision] with
// [VerdictDeny], not an error.
//
// Evidence and hooks run under [context.WithoutCancel]: once a decision
// exists, it is recorded. When the evidence cannot be written (the sink
// returns an error or panics), Evaluate returns the decision and an error
// matching [ErrNotRecorded]; under [FailClosed], the default, the
// decision is then a denial with a failed [CheckEvidence] result. When a
// hook fails, Evaluate returns the decision together with the hook's
// error. An error means the gate could not decide: an unknown system
// ([ErrUnknownSystem]), a system whose inventory entry did not load (an
// error matching [document.ErrInvalid] with its problems), a move the
// life cycle does not allow ([ErrTransition]), a check that returned an
// error or panicked, or a cancelled context.
//
// A prohibited system is denied at every gate but retirement, which
// withdraws it as EU AI Act Art. 5 requires. A system whose own documents
// have problems ([Snapshot.SystemProblems]) is denied at every gate by
// [CheckDocumentsValid], which follows. After the checks of the
// policy's gate, every gate runs [CheckAssessmentsCurrent] as a warning,
// unless the gate lists it itself (then with its severity): what
// readiness reports about the system's assessments never goes unsaid. A
// transition without a gate in the policy is allowed after these two
// checks. Evaluation is deterministic: the same folder, policy, facts,
// clock, evaluation time and id give the same decision.
func (g *Gate) Evaluate(ctx context.Context, system uuid.UUID, to inventory.Stage, facts Facts) (Decision, error) {
	if err := ctx.Err(); err != nil {
		return Decision{}, err
	}
	sys := g.index.systems[system]
	if sys == nil {
		if ps := g.folder.SystemProblems(system); len(ps) > 0 {
			return Decision{}, fmt.Errorf("aims: evaluate: the inventory entry of AI system %s did not load: %w", system, &document.Error{Problems: ps})
		}
		return Decision{}, fmt.Errorf("%w %s", ErrUnknownSystem, system)
	}
	from := sys.Lifecycle.Stage
	if !inventory.CanTransition(from, to) {
		return Decision{}, fmt.Errorf("%w: %s cannot move from %s to %s (allowed: %v)", ErrTransition, sys.Name, from, to, from.Next())
	}
	now := g.clock()
	evalAt := now
	if g.evalAt != nil {
		evalAt = g.evalAt()
	}
	id, err := g.newID()
	if err != nil {
		return Decision{}, fmt.Errorf("aims: evaluate: decision id: %w", err)
	}
	rule := g.rule(from, to)
	prep := g.prep[sys.ID].get(g.folder, g.index)
	n := 1 // not-prohibited
	if len(prep.problems) > 0 {
		n++
	}
	placeholders := len(prep.placeholders) > 0 && from != inventory.StageInception
	if placeholders {
		n++
	}
	current := rule == nil || !rule.current
	if rule != nil {
		n += len(rule.checks)
	}
	if current {
		n++
	}
	d := Decision{
		ID: id, Time: now, EvaluationTime: evalAt, System: sys.ID, SystemName: sys.Name, From: from, To: to,
		PolicyRevision: g.rev,
		Checks:         make([]CheckResult, 0, n),
	}
	// The checks' input stays on the stack: the built-in checks are
	// called directly and do not keep it, and a check of the user's gets
	// a copy.
	in := &CheckInput{System: sys, From: from, To: to, Snapshot: g.folder, Facts: facts, Now: evalAt, prep: prep, soa: g.soa}
	today := document.DateOf(evalAt)
	in.today = today
	in.Spec = CheckSpec{Check: CheckNotProhibited}
	d.Checks = append(d.Checks, checkNotProhibited(in))
	if len(prep.problems) > 0 {
		d.Checks = append(d.Checks, checkDocumentsValid(prep.problems))
	}
	if placeholders {
		d.Checks = append(d.Checks, checkPlaceholders(prep.placeholders))
	}
	if rule != nil {
		if err := g.run(ctx, in, rule.checks, today, &d); err != nil {
			return Decision{}, err
		}
	}
	if current {
		if err := g.run(ctx, in, g.current, today, &d); err != nil {
			return Decision{}, err
		}
	}
	d.Verdict = verdict(d.Checks)
	d.Inputs = slices.Clone(prep.inputs)
	d.Facts = sortedFacts(facts)
	if g.log.Enabled(ctx, slog.LevelDebug) {
		g.log.LogAttrs(ctx, slog.LevelDebug, "aims: gate decision",
			slog.String(KeyDecisionID, d.ID.String()),
			slog.String(KeySystemID, sys.ID.String()),
			slog.String(KeyVerdict, string(d.Verdict)))
	}
	if g.evidence == nil && len(g.hooks) == 0 {
		return d, nil // nothing to write, no one to tell
	}
	// The decision is made: its evidence and observers are not cancelled.
	return g.emitDecision(ctx, d, sys, now)
}

// Attribute keys of the log records aimskit writes. They are stable.
const (
	KeyEventType      = "aimskit.event.type"
	KeyDecisionID     = "aimskit.decision.id"
	KeySystemID       = "aimskit.system.id"
	KeyTransition     = "aimskit.gate.transition"
	KeyVerdict        = "aimskit.decision.verdict"
	KeyPolicyRevision = "aimskit.policy.revision"
	KeyFailedChecks   = "aimskit.gate.failed_checks"
)

// run runs the checks cs on in, appending each result to d.Checks,
// which has room for them, after applying the policy to it: the
// severity, and a waiver active on the day today. A check that panics
// or returns an error stops the evaluation with an error.
func (g *Gate) run(ctx context.Context, in *CheckInput, cs []ruleCheck, today document.Date, d *Decision) (err error) {
	var c *ruleCheck
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("aims: evaluate: check %s: %w", c.name, fmt.Errorf("panic: %v", p))
		}
	}()
	for i := range cs {
		c = &cs[i]
		if err := ctx.Err(); err != nil {
			return err
		}
		in.Spec = c.spec
		d.Checks = d.Checks[:len(d.Checks)+1]
		r := &d.Checks[len(d.Checks)-1]
		if c.pure != 0 {
			// Field by field: a copy of the whole result into the
			// decision's heap slot costs a bulk write barrier.
			res := c.pure.eval(in)
			r.Outcome, r.Severity, r.Message = res.Outcome, res.Severity, res.Message
			r.Controls, r.Clauses = res.Controls, res.Clauses
		} else {
			// A check of the user's gets its own copy of the input: a
			// call through an interface lets its argument escape, and the
			// input of the built-in checks stays on the stack.
			cin := *in
			if *r, err = c.check.Run(ctx, &cin); err != nil {
				return fmt.Errorf("aims: evaluate: check %s: %w", c.name, err)
			}
		}
		switch r.Outcome {
		case OutcomePass, OutcomeFail, OutcomeNotApplicable:
		default:
			return fmt.Errorf("aims: evaluate: check %s: %w", c.name, fmt.Errorf("result has outcome %q, want pass, fail or not-applicable", r.Outcome))
		}
		r.Check = c.name
		// A check may lower a failure to a warning, never raise it.
		lowered := r.Severity == SeverityWarn
		r.Severity = c.spec.Severity
		if r.Severity == SeverityUnspecified {
			r.Severity = SeverityDeny
		}
		if lowered {
			r.Severity = SeverityWarn
		}
		r.Waiver = nil
		if r.Outcome == OutcomeFail {
			if w := g.waiver(c.name, in.System.ID, today); w != nil {
				r.Outcome = OutcomeWaived
				r.Waiver = w
			}
		}
	}
	return nil
}

// waiver returns the waiver of the policy that applies to a failure of
// check on the day today, or nil. Not-prohibited is never waived; the
// policy cannot hold such a waiver or give a check its name.
func (g *Gate) waiver(check string, system uuid.UUID, today document.Date) *Waiver {
	if check == CheckNotProhibited {
		return nil
	}
	for i := range g.waivers {
		w := &g.waivers[i]
		if w.Check == check && w.System == system && w.activeOn(today) {
			c := *w
			return &c
		}
	}
	return nil
}

func verdict(rs []CheckResult) Verdict {
	v := VerdictAllow
	for _, r := range rs {
		if r.Outcome != OutcomeFail {
			continue
		}
		if r.Severity == SeverityWarn {
			v = VerdictWarn
			continue
		}
		return VerdictDeny
	}
	return v
}

func sortedFacts(f Facts) []Fact {
	if len(f) == 0 {
		return nil
	}
	out := make([]Fact, 0, len(f))
	for k, v := range f {
		out = append(out, Fact{k, v})
	}
	slices.SortFunc(out, func(a, b Fact) int { return strings.Compare(a.Name, b.Name) })
	return out
}
