package aims

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

// Names of the built-in checks. Each is documented with what it passes,
// the parameters it reads and the ISO/IEC 42001 ids it serves.
const (
	// CheckNotProhibited fails for a system classified as a prohibited
	// practice (EU AI Act Art. 5) at every transition but one: the move to
	// retirement, which withdraws the system as Art. 5 requires, passes.
	// Every gate runs it first; it cannot be waived and needs no entry in
	// a policy.
	CheckNotProhibited = "not-prohibited"
	// CheckDocumentsValid fails for a system whose own documents have
	// problems that [Loader.Load] reported (see [Snapshot.SystemProblems]):
	// its inventory entry, its risk or impact assessment, its incidents,
	// a waiver granted for it. A gate does not allow a system on
	// documents with problems, so it denies such a system at every
	// transition, naming the problems, while the gates of the other
	// systems of the snapshot decide as usual (7.5.2, 7.5.3). A gate runs it
	// after [CheckNotProhibited], only for a system with problems; it
	// cannot be waived and needs no entry in a policy.
	CheckDocumentsValid = "documents-valid"
	// CheckClassified passes when the system has an EU AI Act category
	// (clause 6.1.4 context; A.9.4).
	CheckClassified = "system-classified"
	// CheckOwnersAssigned passes when a business owner and a technical
	// lead are named (A.3.2).
	CheckOwnersAssigned = "owners-assigned"
	// CheckIntendedUse passes when the intended purpose is documented
	// (A.9.4, A.6.2.2).
	CheckIntendedUse = "intended-use-documented"
	// CheckHumanOversight passes when a high-risk system has a
	// human-oversight mechanism; not applicable otherwise (EU AI Act
	// Art. 14; A.9.2).
	CheckHumanOversight = "human-oversight-defined"
	// CheckFactThreshold compares the fact named by Params.Fact with
	// Params.Min and Params.Max; a missing fact fails (A.6.2.4).
	CheckFactThreshold = "fact-threshold"
	// CheckRiskAssessed passes when a risk assessment of the system exists
	// (6.1.2, 8.2).
	CheckRiskAssessed = "risk-assessed"
	// CheckRiskApproved passes when the system's risk assessment is
	// approved and, with Params.MaxAgeDays, not older than that (6.1.2,
	// 6.1.3 h, 8.2).
	CheckRiskApproved = "risk-assessment-approved"
	// CheckResidualRisk passes when no residual risk is above the appetite
	// of the criteria without a valid acceptance (6.1.3, 8.3).
	CheckResidualRisk = "residual-risk-accepted"
	// CheckImpactAssessed passes when an impact assessment of the system
	// exists (6.1.4, A.5.2). One is required of every AI system in the
	// scope of the AI management system, as ISO/IEC 42001 6.1.4 and 8.4
	// ask and as readiness reports; for a system whose EU AI Act
	// classification asks for none (not high-risk, derogated or GPAI with
	// systemic risk, and no Art. 27 FRIA), a failure is only a warning,
	// whatever the policy's severity. Not applicable to a system that is
	// outside the scope and that the EU AI Act asks no assessment of.
	CheckImpactAssessed = "impact-assessed"
	// CheckImpactApproved passes when the system's impact assessment is
	// approved, with Params.MaxAgeDays not older than that, and owes no
	// review (6.1.4, 8.4, A.5.2, A.5.3). It requires an assessment of the
	// same systems as [CheckImpactAssessed], and warns or denies alike.
	CheckImpactApproved = "impact-assessment-approved"
	// CheckFRIA passes when the impact assessment holds the EU AI Act
	// Art. 27 FRIA elements; not applicable when Art. 27 does not apply
	// (A.5.4, A.5.5).
	CheckFRIA = "fria-complete"
	// CheckAssessmentsCurrent passes when [Snapshot.Readiness] reports
	// nothing about the assessments of the system: both exist and are
	// approved, no review is due, no harm of high severity is left
	// uncovered by a risk, no residual risk is above the appetite without
	// a valid acceptance, no treatment is overdue and no acceptance stale
	// or expired (6.1.2, 6.1.3, 6.1.4, 8.2, 8.3, 8.4). It runs the code
	// readiness runs and fails with its words, so that a gate never
	// allows quietly what readiness reports. Not applicable to a system
	// outside the scope of the AI management system, which readiness does
	// not report on. Every gate runs it last, as a warning, unless the
	// policy's gate lists it, with the severity it gives.
	CheckAssessmentsCurrent = "assessments-current"
	// CheckControls passes when every control in Params.Controls that the
	// Statement of Applicability marks applicable to the system is
	// implemented with evidence in effect (6.1.3 f, 8.3).
	CheckControls = "controls-implemented"
)

// BuiltinChecks returns the names of the built-in checks, sorted.
func BuiltinChecks() []string {
	names := make([]string, 0, 16)
	for n := range builtinChecks() {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func builtinChecks() map[string]Check {
	return map[string]Check{
		CheckClassified:     builtinClassified,
		CheckOwnersAssigned: builtinOwners,
		CheckIntendedUse:    builtinIntendedUse,
		CheckHumanOversight: builtinHumanOversight,
		CheckFactThreshold:  builtinFact,
		CheckRiskAssessed:   builtinRiskAssessed,
		CheckRiskApproved:   builtinRiskApproved,
		CheckResidualRisk:   builtinResidualRisk,
		CheckImpactAssessed: builtinImpactAssessed,
		CheckImpactApproved: builtinImpactApproved,
		CheckFRIA:           builtinFRIA,
		CheckControls:       builtinControls,

		CheckAssessmentsCurrent: builtinAssessmentsCurrent,
	}
}

// builtinCheck is a built-in check: it needs no context and cannot fail.
// A gate calls it directly (see [builtinCheck.eval]), so that the input
// of the checks stays on the gate's stack.
type builtinCheck uint8

// The built-in checks. The zero value is none.
const (
	builtinClassified builtinCheck = iota + 1
	builtinOwners
	builtinIntendedUse
	builtinHumanOversight
	builtinFact
	builtinRiskAssessed
	builtinRiskApproved
	builtinResidualRisk
	builtinImpactAssessed
	builtinImpactApproved
	builtinFRIA
	builtinControls
	builtinAssessmentsCurrent
)

// Run calls the check.
func (b builtinCheck) Run(_ context.Context, in *CheckInput) (CheckResult, error) {
	return b.eval(in), nil
}

// eval runs the check on in, with static calls, which do not keep in.
func (b builtinCheck) eval(in *CheckInput) CheckResult {
	switch b {
	case builtinClassified:
		return checkClassified(in)
	case builtinOwners:
		return checkOwners(in)
	case builtinIntendedUse:
		return checkIntendedUse(in)
	case builtinHumanOversight:
		return checkHumanOversight(in)
	case builtinFact:
		return checkFact(in)
	case builtinRiskAssessed:
		return checkRiskAssessed(in)
	case builtinRiskApproved:
		return checkRiskApproved(in)
	case builtinResidualRisk:
		return checkResidualRisk(in)
	case builtinImpactAssessed:
		return checkImpactAssessed(in)
	case builtinImpactApproved:
		return checkImpactApproved(in)
	case builtinFRIA:
		return checkFRIA(in)
	case builtinControls:
		return checkControls(in)
	case builtinAssessmentsCurrent:
		return checkAssessmentsCurrent(in)
	}
	panic(fmt.Sprintf("aims: unknown built-in check %d", b))
}

var _ Check = builtinCheck(0)

// The ids each built-in check serves. Shared, read-only.
var (
	idsProhibited = []string{"iso42001:A.9.4"}
	idsDocuments  = []string{"iso42001:7.5.2", "iso42001:7.5.3"}
	idsClassified = []string{"iso42001:A.9.4", "iso42001:A.6.2.2"}
	idsOwners     = []string{"iso42001:A.3.2"}
	idsIntended   = []string{"iso42001:A.9.4", "iso42001:A.6.2.2"}
	idsOversight  = []string{"iso42001:A.9.2", "iso42001:A.6.2.2"}
	idsFact       = []string{"iso42001:A.6.2.4"}
	idsRisk       = []string{"iso42001:6.1.2", "iso42001:8.2"}
	idsRiskApprov = []string{"iso42001:6.1.2", "iso42001:6.1.3", "iso42001:8.2"}
	idsResidual   = []string{"iso42001:6.1.3", "iso42001:8.3"}
	idsImpactC    = []string{"iso42001:A.5.2", "iso42001:A.5.3"}
	idsImpact     = []string{"iso42001:6.1.4", "iso42001:8.4"}
	idsFRIAC      = []string{"iso42001:A.5.4", "iso42001:A.5.5"}
	idsControls   = []string{"iso42001:6.1.3", "iso42001:8.3"}
	idsCurrent    = []string{"iso42001:6.1.2", "iso42001:6.1.3", "iso42001:6.1.4", "iso42001:8.2", "iso42001:8.3", "iso42001:8.4"}
)

func result(pass bool, controls, clauses []string, passMsg string, failMsg string) CheckResult {
	if pass {
		return CheckResult{Outcome: OutcomePass, Message: passMsg, Controls: controls, Clauses: clauses}
	}
	return CheckResult{Outcome: OutcomeFail, Message: failMsg, Controls: controls, Clauses: clauses}
}

func notApplicable(controls, clauses []string, msg string) CheckResult {
	return CheckResult{Outcome: OutcomeNotApplicable, Message: msg, Controls: controls, Clauses: clauses}
}

func checkNotProhibited(in *CheckInput) CheckResult {
	c := in.prepared().class
	switch {
	case c.Category != inventory.CategoryProhibited:
		return CheckResult{Check: CheckNotProhibited, Outcome: OutcomePass, Severity: SeverityDeny,
			Message: "not a prohibited practice", Controls: idsProhibited}
	case in.To == inventory.StageRetirement:
		return CheckResult{Check: CheckNotProhibited, Outcome: OutcomePass, Severity: SeverityDeny,
			Message:  fmt.Sprintf("prohibited practice under EU AI Act Art. 5(1)(%s): withdrawing it is what Art. 5 requires", c.ProhibitedPractice),
			Controls: idsProhibited}
	}
	return CheckResult{Check: CheckNotProhibited, Outcome: OutcomeFail, Severity: SeverityDeny,
		Message:  fmt.Sprintf("prohibited practice under EU AI Act Art. 5(1)(%s): it may not be placed on the market, put into service or used", c.ProhibitedPractice),
		Controls: idsProhibited}
}

// checkDocumentsValid fails with the problems of the system's own
// documents.
func checkDocumentsValid(problems []document.Problem) CheckResult {
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.String()
	}
	return CheckResult{Check: CheckDocumentsValid, Outcome: OutcomeFail, Severity: SeverityDeny,
		Message: fmt.Sprintf("the documents of the system have %d %s: %s", len(problems), plural(len(problems), "problem", "problems"),
			strings.Join(msgs, "; ")),
		Clauses: idsDocuments}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func checkClassified(in *CheckInput) CheckResult {
	return result(in.prepared().class.Category != inventory.CategoryUnspecified, idsClassified, nil,
		"classified under the EU AI Act", "not classified under the EU AI Act")
}

func checkOwners(in *CheckInput) CheckResult {
	a := in.System.Accountability
	switch {
	case a.BusinessOwner.IsZero() && a.TechnicalLead.IsZero():
		return result(false, idsOwners, nil, "", "no business owner and no technical lead assigned")
	case a.BusinessOwner.IsZero():
		return result(false, idsOwners, nil, "", "no business owner assigned")
	case a.TechnicalLead.IsZero():
		return result(false, idsOwners, nil, "", "no technical lead assigned")
	}
	return result(true, idsOwners, nil, "business owner and technical lead assigned", "")
}

func checkIntendedUse(in *CheckInput) CheckResult {
	return result(strings.TrimSpace(in.System.Purpose.Intended) != "", idsIntended, nil,
		"intended use documented", "intended use not documented")
}

func checkHumanOversight(in *CheckInput) CheckResult {
	if in.prepared().class.Category != inventory.CategoryHighRisk {
		return notApplicable(idsOversight, nil, "not a high-risk system")
	}
	o := in.System.Purpose.Oversight
	switch {
	case o.IsZero():
		return result(false, idsOversight, nil, "", "high-risk system without a human-oversight mechanism (EU AI Act Art. 14)")
	case !o.CanOverride || !o.CanStop:
		return result(false, idsOversight, nil, "", "human oversight must be able to override outputs and stop the system (EU AI Act Art. 14(4))")
	}
	return result(true, idsOversight, nil, "human oversight defined: overseers can override and stop", "")
}

func checkFact(in *CheckInput) CheckResult {
	p := in.Spec.Params
	v, ok := in.Facts[p.Fact]
	switch {
	case p.Fact == "":
		return result(false, idsFact, nil, "", "policy names no fact (params.fact)")
	case !ok:
		return result(false, idsFact, nil, "", fmt.Sprintf("fact %q was not supplied", p.Fact))
	case math.IsNaN(v) || math.IsInf(v, 0):
		return result(false, idsFact, nil, "", fmt.Sprintf("fact %q is %v", p.Fact, v))
	case p.Min != nil && v < *p.Min:
		return result(false, idsFact, nil, "", fmt.Sprintf("%s = %g, below the minimum %g", p.Fact, v, *p.Min))
	case p.Max != nil && v > *p.Max:
		return result(false, idsFact, nil, "", fmt.Sprintf("%s = %g, above the maximum %g", p.Fact, v, *p.Max))
	}
	return result(true, idsFact, nil, fmt.Sprintf("%s = %g within bounds", p.Fact, v), "")
}

func checkControls(in *CheckInput) CheckResult {
	soa := in.Snapshot.SoA
	if soa == nil {
		return result(false, nil, idsControls, "", "no Statement of Applicability")
	}
	today := in.day()
	var missing []string
	for _, id := range in.Spec.Params.Controls {
		e, ok := in.entry(controls.ID(id))
		switch {
		case !ok:
			missing = append(missing, id+" (no entry in the Statement of Applicability)")
		case e.Applicability != controls.Applicable || !covers(e.Systems, in.System.ID):
			// Excluded, or not applicable to this system: nothing to show.
		case e.Status != controls.StatusImplemented:
			missing = append(missing, fmt.Sprintf("%s (%s)", id, statusText(e.Status)))
		case !evidenceInEffect(e.Evidence, today):
			missing = append(missing, id+" (implemented, but no evidence in effect)")
		}
	}
	if len(missing) > 0 {
		return CheckResult{Outcome: OutcomeFail, Controls: in.Spec.Params.Controls, Clauses: idsControls,
			Message: "controls not implemented with evidence: " + strings.Join(missing, "; ")}
	}
	return CheckResult{Outcome: OutcomePass, Controls: in.Spec.Params.Controls, Clauses: idsControls,
		Message: "applicable controls implemented with evidence"}
}

func covers(systems []uuid.UUID, id uuid.UUID) bool {
	return len(systems) == 0 || slices.Contains(systems, id)
}

func statusText(s controls.Status) string {
	if s == "" {
		return "no status"
	}
	return string(s)
}

func evidenceInEffect(ev []controls.Evidence, today document.Date) bool {
	for _, e := range ev {
		if !e.Effective.After(today) {
			return true
		}
	}
	return false
}
