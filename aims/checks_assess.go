package aims

import (
	"fmt"
	"strings"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/risk"
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
	a := in.Folder.RiskAssessment(in.System.ID)
	if a == nil {
		return result(false, nil, idsResidual, "", "no risk assessment of the system")
	}
	c, ok := in.Folder.Criteria(a)
	if !ok {
		return result(false, nil, idsResidual, "", "the risk criteria of the assessment were not found")
	}
	s, err := risk.Evaluate(a, c, in.Now)
	if err != nil {
		return result(false, nil, idsResidual, "", "risk assessment cannot be evaluated: "+err.Error())
	}
	var bad []string
	if len(s.Unaccepted) > 0 {
		bad = append(bad, "residual risk above appetite without a valid acceptance: "+strings.Join(s.Unaccepted, ", "))
	}
	if len(s.Stale) > 0 {
		bad = append(bad, "acceptance no longer matches the residual rating: "+strings.Join(s.Stale, ", "))
	}
	if len(s.Expired) > 0 {
		bad = append(bad, "acceptance expired: "+strings.Join(s.Expired, ", "))
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
	if !in.prepared().obligations.FRIARequired {
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
