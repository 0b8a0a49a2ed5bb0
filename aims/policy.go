package aims

import (
	_ "embed"
	"regexp"
	"slices"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

//go:embed schema/gatepolicy.schema.json
var gatePolicySchema []byte

// KindGatePolicy is the document kind of a [GatePolicy].
const KindGatePolicy = "GatePolicy"

// GatePolicy says which checks guard which life-cycle transition (document
// kind "GatePolicy"; ISO/IEC 42001 A.6.2.4 verification and validation,
// A.6.2.5 deployment), with the parameters of each check, and records the
// waivers granted for failed checks.
//
// A folder without a GatePolicy uses [DefaultPolicy]. The zero value is an
// empty policy; [GatePolicy.Validate] reports what is missing.
type GatePolicy struct {
	document.Header
	// ID names the policy.
	ID string `json:"id"`
	// Revision identifies this version of the policy in decisions. Empty
	// means the digest of the policy document.
	Revision string `json:"revision,omitempty"`
	// Description says what the policy is for.
	Description string `json:"description,omitempty"`
	// Gates lists the gates, one per transition target stage (and
	// optionally source stage).
	Gates []GateRule `json:"gates"`
	// Waivers are the waivers granted for failed checks.
	Waivers []Waiver `json:"waivers,omitempty"`
}

// GateRule is the set of checks that guards moves to one stage.
type GateRule struct {
	// To is the stage the transition moves to.
	To inventory.Stage `json:"to"`
	// From restricts the rule to moves from this stage; empty means any.
	From inventory.Stage `json:"from,omitempty"`
	// Checks are the checks to run, in order.
	Checks []CheckSpec `json:"checks"`
}

// CheckSpec is one check of a gate with its parameters.
type CheckSpec struct {
	// Check is the name of a built-in check (see [BuiltinChecks]) or of a
	// custom check given in [GateOptions.Checks].
	Check string `json:"check"`
	// ID names this use of the check in decisions and waivers; empty means
	// Check. Give distinct ids when a gate uses one check twice.
	ID string `json:"id,omitempty"`
	// Severity says what a failure does: deny (the default) or warn.
	Severity Severity `json:"severity,omitempty"`
	// Params are the check's parameters.
	Params CheckParams `json:"params,omitzero"`
}

// Name returns the id of this use of the check: ID, or Check when ID is
// empty.
func (c CheckSpec) Name() string {
	if c.ID != "" {
		return c.ID
	}
	return c.Check
}

// CheckParams are the parameters of a check. Each built-in check documents the
// ones it reads; a zero field means the check's default.
type CheckParams struct {
	// MaxAgeDays is the largest age of an assessment, in days.
	MaxAgeDays int `json:"maxAgeDays,omitempty"`
	// Controls are control ids (e.g. "iso42001:A.6.2.5") that must be
	// implemented with evidence.
	Controls []string `json:"controls,omitempty"`
	// Fact names a fact the application supplies, e.g. "accuracy".
	Fact string `json:"fact,omitempty"`
	// Min and Max bound the fact, inclusive; nil means unbounded.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// Extra holds parameters of custom checks.
	Extra map[string]string `json:"extra,omitempty"`
}

// IsZero reports whether no parameter is set.
func (p CheckParams) IsZero() bool {
	return p.MaxAgeDays == 0 && len(p.Controls) == 0 && p.Fact == "" && p.Min == nil && p.Max == nil && len(p.Extra) == 0
}

// Severity is what a failed check does to a decision.
type Severity string

// Severities.
const (
	SeverityUnspecified Severity = "" // read as deny
	SeverityDeny        Severity = "deny"
	SeverityWarn        Severity = "warn"
)

// Waiver lets a failed check pass for one system until it expires. It is
// granted by a named approver with a reason, and recorded in the policy
// document so that it is reviewed like any other change.
type Waiver struct {
	// Check is the id of the check use (see [CheckSpec.Name]).
	Check string `json:"check"`
	// System is the AI system the waiver is for.
	System uuid.UUID `json:"system"`
	// Approver is who granted it; Reason why.
	Approver string `json:"approver"`
	Reason   string `json:"reason"`
	// Granted is when it was granted; Expires the first day it no longer
	// applies.
	Granted document.Date `json:"granted,omitzero"`
	Expires document.Date `json:"expires"`
}

// activeOn reports whether the waiver applies on day d: from Granted (if
// set) up to the day before Expires.
func (w Waiver) activeOn(d document.Date) bool {
	return d.Before(w.Expires) && (w.Granted.IsZero() || !d.Before(w.Granted))
}

var policyIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,127}$`)

// Validate reports problems with the policy that need no other document:
// required fields, known stages and severities, and duplicate check ids
// in a gate. Whether check names exist is checked by [NewGate], which
// knows the custom checks.
//
// Waivers are checked one by one by [GatePolicy.validateWaivers], not
// here: an invalid waiver is a problem of that waiver and of the AI
// system it is for, and leaves the rest of the policy usable.
// [Loader.Load] reports the problems of every waiver, a gate over a
// folder ignores an invalid waiver of the folder's policy, and [NewGate]
// refuses a policy given in [GateOptions.Policy] with one.
func (p *GatePolicy) Validate() error {
	var e document.Error
	if p.Kind != "" && p.Kind != KindGatePolicy {
		e.Add("/kind", "is %q, want %q", p.Kind, KindGatePolicy)
	}
	if !policyIDRE.MatchString(p.ID) {
		e.Add("/id", "%q is not a valid id (lower-case letters, digits, '.', '_', '-')", p.ID)
	}
	type key struct{ from, to inventory.Stage }
	seen := make(map[key]int)
	for i, g := range p.Gates {
		ptr := document.Pointer("gates", i)
		if !g.To.Valid() {
			e.Add(ptr+"/to", "unknown stage %q", g.To)
		}
		if g.From != inventory.StageUnspecified && !g.From.Valid() {
			e.Add(ptr+"/from", "unknown stage %q", g.From)
		}
		if g.From != inventory.StageUnspecified && g.To.Valid() && !inventory.CanTransition(g.From, g.To) {
			e.Add(ptr, "transition %s is not allowed by the life cycle", inventory.Transition{From: g.From, To: g.To})
		}
		if j, dup := seen[key{g.From, g.To}]; dup {
			e.Add(ptr, "duplicates the gate at /gates/%d", j)
		}
		seen[key{g.From, g.To}] = i
		names := make(map[string]bool)
		for j, c := range g.Checks {
			cptr := document.Pointer("gates", i, "checks", j)
			if c.Check == "" {
				e.Add(cptr+"/check", "is required")
			}
			if c.Name() == CheckNotProhibited {
				e.Add(cptr+"/id", "%q is reserved: every gate runs it first and it cannot be waived", CheckNotProhibited)
			}
			if c.Name() == CheckDocumentsValid {
				e.Add(cptr+"/id", "%q is reserved: every gate runs it for a system whose documents have problems, and it cannot be waived", CheckDocumentsValid)
			}
			if c.Name() == CheckAssessmentsCurrent && c.Check != CheckAssessmentsCurrent {
				e.Add(cptr+"/id", "%q is reserved for the check of that name, which every gate runs", CheckAssessmentsCurrent)
			}
			if names[c.Name()] {
				e.Add(cptr+"/id", "check id %q is used twice in this gate; give each use its own id", c.Name())
			}
			names[c.Name()] = true
			if !slices.Contains([]Severity{SeverityUnspecified, SeverityDeny, SeverityWarn}, c.Severity) {
				e.Add(cptr+"/severity", "is %q, want deny or warn", c.Severity)
			}
			if c.Params.MaxAgeDays < 0 {
				e.Add(cptr+"/params/maxAgeDays", "must not be negative")
			}
			if c.Params.Min != nil && c.Params.Max != nil && *c.Params.Min > *c.Params.Max {
				e.Add(cptr+"/params/min", "is greater than max")
			}
		}
	}
	return e.Err()
}

// Validate reports the problems of one waiver, with JSON pointers relative
// to the waiver: required fields, an expiry after the grant, and a check
// that may be waived ([CheckNotProhibited] may not).
func (w Waiver) Validate() error {
	var e document.Error
	if w.Check == "" {
		e.Add("/check", "is required")
	}
	if w.Check == CheckNotProhibited {
		e.Add("/check", "a prohibited practice cannot be waived")
	}
	if w.Check == CheckDocumentsValid {
		e.Add("/check", "problems of documents cannot be waived: correct the documents")
	}
	if w.System == uuid.Nil {
		e.Add("/system", "is required")
	}
	if w.Approver == "" {
		e.Add("/approver", "is required: a waiver needs a named approver")
	}
	if w.Reason == "" {
		e.Add("/reason", "is required")
	}
	if w.Expires.IsZero() {
		e.Add("/expires", "is required: a waiver must expire")
	} else if !w.Granted.IsZero() && !w.Granted.Before(w.Expires) {
		e.Add("/expires", "%s is not after granted (%s)", w.Expires, w.Granted)
	}
	return e.Err()
}

// validateWaivers reports the problems of every waiver of the policy (see
// [Waiver.Validate]), with JSON pointers relative to the policy, such as
// /waivers/0/check.
func (p *GatePolicy) validateWaivers() error {
	var e document.Error
	for i, w := range p.Waivers {
		e.Merge(document.Pointer("waivers", i), w.Validate())
	}
	return e.Err()
}

// DefaultPolicy returns the policy used when a folder has none. Its gates
// follow the life-cycle stage → controls table of the reference notes
// (ISO/IEC 42001 A.6.2 and the stage evidence it calls for):
//
//   - design and development: system classified, owners assigned,
//     intended use documented;
//   - verification and validation: the above, a risk assessment exists,
//     an impact assessment exists where one is required;
//   - deployment: the above, risk assessment approved and at most 365 days
//     old, no residual risk above appetite without a valid acceptance,
//     impact assessment approved where required with the FRIA where
//     Art. 27 applies, human oversight defined for high-risk systems, and
//     the stage's SoA-applicable controls (A.6.2.4, A.6.2.5, A.8.2)
//     implemented with evidence;
//   - operation and monitoring, and continuous validation: the stage's
//     controls (A.6.2.6, A.6.2.8, A.8.4) implemented with evidence;
//   - re-evaluation: a risk assessment exists, and an impact assessment
//     where one is required (8.2, 8.4);
//   - retirement: owners assigned, and operation and monitoring (A.6.2.6,
//     which covers decommissioning) implemented with evidence.
//
// "An impact assessment where one is required" means of every system in
// the scope of the AI management system (ISO/IEC 42001 6.1.4): missing, it
// denies where the EU AI Act also asks for one and warns otherwise (see
// [CheckImpactAssessed]).
//
// Moves back within the life cycle (for example deployment back to
// verification and validation) use the gate of their target stage.
//
// Every gate, in this policy or any other, also refuses a prohibited
// system ([CheckNotProhibited]) unless it moves to retirement; that check
// cannot be waived. And every gate warns about what readiness reports of
// the system's assessments ([CheckAssessmentsCurrent]).
func DefaultPolicy() *GatePolicy {
	basics := []CheckSpec{
		{Check: CheckClassified},
		{Check: CheckOwnersAssigned},
		{Check: CheckIntendedUse},
	}
	withRisk := append(slices.Clone(basics),
		CheckSpec{Check: CheckRiskAssessed},
		CheckSpec{Check: CheckImpactAssessed},
	)
	deploy := append(slices.Clone(basics),
		CheckSpec{Check: CheckRiskApproved, Params: CheckParams{MaxAgeDays: 365}},
		CheckSpec{Check: CheckResidualRisk},
		CheckSpec{Check: CheckImpactApproved, Params: CheckParams{MaxAgeDays: 365}},
		CheckSpec{Check: CheckFRIA},
		CheckSpec{Check: CheckHumanOversight},
		CheckSpec{Check: CheckControls, Params: CheckParams{Controls: []string{
			"iso42001:A.6.2.4", "iso42001:A.6.2.5", "iso42001:A.8.2",
		}}},
	)
	operate := []CheckSpec{
		{Check: CheckControls, Params: CheckParams{Controls: []string{
			"iso42001:A.6.2.6", "iso42001:A.6.2.8", "iso42001:A.8.4",
		}}},
	}
	return &GatePolicy{
		Header:      document.Header{APIVersion: document.APIVersion, Kind: KindGatePolicy},
		ID:          "aimskit-default",
		Revision:    "aimskit-default/1",
		Description: "The default gates of aimskit, after the ISO/IEC 42001 life-cycle stage evidence.",
		Gates: []GateRule{
			{To: inventory.StageDesignAndDevelopment, Checks: basics},
			{To: inventory.StageVerificationValidation, Checks: withRisk},
			{To: inventory.StageDeployment, Checks: deploy},
			{To: inventory.StageOperationMonitoring, Checks: operate},
			{To: inventory.StageContinuousValidation, Checks: operate},
			{To: inventory.StageReEvaluation, Checks: []CheckSpec{
				{Check: CheckRiskAssessed},
				{Check: CheckImpactAssessed},
			}},
			{To: inventory.StageRetirement, Checks: []CheckSpec{
				{Check: CheckOwnersAssigned},
				{Check: CheckControls, Params: CheckParams{Controls: []string{"iso42001:A.6.2.6"}}},
			}},
		},
	}
}
