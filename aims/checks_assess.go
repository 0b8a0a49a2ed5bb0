package aims

import (
	"fmt"
	"strings"
	"sync"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/impact"
)

func checkRiskAssessed(in *CheckInput) CheckResult {
	return result(in.prepared().ra != nil, nil, idsRisk,
		"risk assessment exists", "no risk assessment of the system")
}

// tooOld reports whether a document dated d is older than maxDays on the
// day of now; maxDays 0 means no limit.
func tooOld(d document.Date, maxDays int, today document.Date) bool {
	return maxDays > 0 && d.AddDays(maxDays).Before(today)
}

func checkRiskApproved(in *CheckInput) CheckResult {
	a := in.prepared().ra
	today := in.day()
	switch {
	case a == nil:
		return result(false, nil, idsRiskApprov, "", "no risk assessment of the system")
	case a.Approval == nil:
		return result(false, nil, idsRiskApprov, "", "risk assessment not approved by designated management (6.1.3 h)")
	case tooOld(a.Date, in.Spec.Params.MaxAgeDays, today):
		return result(false, nil, idsRiskApprov, "", fmt.Sprintf("risk assessment of %s is older than %d days", a.Date, in.Spec.Params.MaxAgeDays))
	case !a.NextReview.IsZero() && a.NextReview.Before(today):
		return result(false, nil, idsRiskApprov, "", fmt.Sprintf("risk assessment review was due on %s", a.NextReview))
	}
	return result(true, nil, idsRiskApprov, "risk assessment approved and current", "")
}

func checkResidualRisk(in *CheckInput) CheckResult {
	rf := in.prepared().residual
	if rf.problem != "" {
		return result(false, nil, idsResidual, "", rf.problem)
	}
	today := in.day()
	var unaccepted, stale, expired []string
	for _, r := range rf.risks {
		exp := r.accepted && !today.Before(r.expires)
		if r.aboveAppetite && (!r.accepted || r.stale || exp) {
			unaccepted = append(unaccepted, r.id)
		}
		if r.stale {
			stale = append(stale, r.id)
		}
		if exp {
			expired = append(expired, r.id)
		}
	}
	var bad []string
	if len(unaccepted) > 0 {
		bad = append(bad, "residual risk above appetite without a valid acceptance: "+strings.Join(unaccepted, ", "))
	}
	if len(stale) > 0 {
		bad = append(bad, "acceptance no longer matches the residual rating: "+strings.Join(stale, ", "))
	}
	if len(expired) > 0 {
		bad = append(bad, "acceptance expired: "+strings.Join(expired, ", "))
	}
	if len(bad) > 0 {
		return result(false, nil, idsResidual, "", strings.Join(bad, "; "))
	}
	return result(true, nil, idsResidual, "residual risks within appetite or accepted", "")
}

// impactResult is the result of an impact check for a system that needs
// an impact assessment for the reason need: a failure for a system that
// only ISO/IEC 42001 asks one of is a warning, and says so.
func impactResult(need impactNeed, pass bool, passMsg, failMsg string) CheckResult {
	r := result(pass, idsImpactC, idsImpact, passMsg, failMsg)
	if !pass && need == impactByStandard {
		r.Severity = SeverityWarn
		r.Message += " (ISO/IEC 42001 6.1.4 asks for one of every AI system in the scope of the AI management system; a warning, as the EU AI Act does not for this classification)"
	}
	return r
}

const impactNotNeeded = "no impact assessment required: the system is outside the scope of the AI management system, and the EU AI Act asks for none for its classification"

func checkImpactAssessed(in *CheckInput) CheckResult {
	need := in.prepared().impact
	if need == impactNotRequired {
		return notApplicable(idsImpactC, idsImpact, impactNotNeeded)
	}
	return impactResult(need, in.prepared().ia != nil, "impact assessment exists", "no impact assessment of the system")
}

func checkImpactApproved(in *CheckInput) CheckResult {
	need := in.prepared().impact
	if need == impactNotRequired {
		return notApplicable(idsImpactC, idsImpact, impactNotNeeded)
	}
	a := in.prepared().ia
	today := in.day()
	switch {
	case a == nil:
		return impactResult(need, false, "", "no impact assessment of the system")
	case a.Approval == nil:
		return impactResult(need, false, "", "impact assessment not approved")
	case tooOld(a.Date, in.Spec.Params.MaxAgeDays, today):
		return impactResult(need, false, "", fmt.Sprintf("impact assessment of %s is older than %d days", a.Date, in.Spec.Params.MaxAgeDays))
	}
	owed, _ := in.prepared().reviewOwed.get(today, func() (string, []string) {
		if due, reasons := impact.ReviewDue(a, in.System, in.Now); due {
			return "impact assessment review owed: " + joinReasons(reasons), nil
		}
		return "", nil
	})
	if owed != "" {
		return impactResult(need, false, "", owed)
	}
	return result(true, idsImpactC, idsImpact, "impact assessment approved and current", "")
}

// checkAssessmentsCurrent reports, in readiness's words, what
// [Snapshot.Readiness] reports about the assessments of the system.
func checkAssessmentsCurrent(in *CheckInput) CheckResult {
	if !in.prepared().inScope {
		return notApplicable(nil, idsCurrent, "outside the scope of the AI management system: readiness does not report on it")
	}
	msg, clauses := in.prepared().current.get(in.day(), func() (string, []string) {
		var gaps, clauses []string
		p := in.prepared()
		in.Snapshot.systemGaps(in.System, p.ra, p.ia, p.impact, in.Now, func(id, _, format string, args ...any) {
			gaps = append(gaps, id+" "+fmt.Sprintf(format, args...))
			clauses = appendNew(clauses, "iso42001:"+id)
		})
		if len(gaps) == 0 {
			return "", nil
		}
		return "readiness gaps: " + strings.Join(gaps, "; "), clauses
	})
	if msg != "" {
		// The clauses of the gaps found, not all the check serves.
		return result(false, nil, clauses, "", msg)
	}
	return result(true, nil, idsCurrent, "readiness finds the assessments of the system complete and current", "")
}

// dayCache keeps what assessments-current found about a system on the
// last day it was evaluated for. Readiness's rules depend on the snapshot,
// which does not change while a gate is in use, and on the day alone, so
// that a gate evaluating a system many times a day works them out once a
// day. It is safe for concurrent use.
type dayCache struct {
	mu      sync.Mutex
	valid   bool
	day     document.Date
	msg     string
	clauses []string // shared: read-only
}

// get returns what compute returns for day, calling it only when the
// cache holds another day.
func (c *dayCache) get(day document.Date, compute func() (string, []string)) (string, []string) {
	c.mu.Lock()
	if c.valid && c.day == day {
		msg, clauses := c.msg, c.clauses
		c.mu.Unlock()
		return msg, clauses
	}
	c.mu.Unlock()
	msg, clauses := compute()
	c.mu.Lock()
	c.valid, c.day, c.msg, c.clauses = true, day, msg, clauses
	c.mu.Unlock()
	return msg, clauses
}

func joinReasons(rs []impact.Reason) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Message
	}
	return strings.Join(parts, "; ")
}

func checkFRIA(in *CheckInput) CheckResult {
	if !in.prepared().friaRequired {
		return notApplicable(idsFRIAC, idsImpact, "no fundamental rights impact assessment required (EU AI Act Art. 27)")
	}
	a := in.prepared().ia
	switch {
	case a == nil:
		return result(false, idsFRIAC, idsImpact, "", "fundamental rights impact assessment missing (EU AI Act Art. 27): no impact assessment")
	case a.FRIA == nil:
		return result(false, idsFRIAC, idsImpact, "", "fundamental rights impact assessment missing (EU AI Act Art. 27): the impact assessment has no FRIA elements")
	case in.prepared().friaProblem != "":
		return result(false, idsFRIAC, idsImpact, "", "fundamental rights impact assessment incomplete (EU AI Act Art. 27): "+in.prepared().friaProblem)
	}
	return result(true, idsFRIAC, idsImpact, "fundamental rights impact assessment complete (EU AI Act Art. 27)", "")
}
