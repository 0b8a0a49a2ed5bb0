package aims

import (
	"fmt"
	"strings"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/impact"
)

func checkRiskAssessed(in *CheckInput) CheckResult {
	return result(in.Folder.RiskAssessment(in.System.ID) != nil, nil, idsRisk,
		"risk assessment exists", "no risk assessment of the system")
}

// tooOld reports whether a document dated d is older than maxDays on the
// day of now; maxDays 0 means no limit.
func tooOld(d document.Date, maxDays int, today document.Date) bool {
	return maxDays > 0 && d.AddDays(maxDays).Before(today)
}

func checkRiskApproved(in *CheckInput) CheckResult {
	a := in.Folder.RiskAssessment(in.System.ID)
	today := document.DateOf(in.Now)
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
	today := document.DateOf(in.Now)
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

func checkImpactAssessed(in *CheckInput) CheckResult {
	if !in.prepared().impactRequired {
		return notApplicable(idsImpactC, idsImpact, "no impact assessment required for this classification")
	}
	return result(in.Folder.ImpactAssessment(in.System.ID) != nil, idsImpactC, idsImpact,
		"impact assessment exists", "no impact assessment of the system (required for its classification)")
}

func checkImpactApproved(in *CheckInput) CheckResult {
	if !in.prepared().impactRequired {
		return notApplicable(idsImpactC, idsImpact, "no impact assessment required for this classification")
	}
	a := in.Folder.ImpactAssessment(in.System.ID)
	today := document.DateOf(in.Now)
	switch {
	case a == nil:
		return result(false, idsImpactC, idsImpact, "", "no impact assessment of the system (required for its classification)")
	case a.Approval == nil:
		return result(false, idsImpactC, idsImpact, "", "impact assessment not approved")
	case tooOld(a.Date, in.Spec.Params.MaxAgeDays, today):
		return result(false, idsImpactC, idsImpact, "", fmt.Sprintf("impact assessment of %s is older than %d days", a.Date, in.Spec.Params.MaxAgeDays))
	}
	if due, reasons := impact.ReviewDue(a, in.System, in.Now); due {
		return result(false, idsImpactC, idsImpact, "", "impact assessment review owed: "+joinReasons(reasons))
	}
	return result(true, idsImpactC, idsImpact, "impact assessment approved and current", "")
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
	a := in.Folder.ImpactAssessment(in.System.ID)
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
