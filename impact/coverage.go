package impact

import (
	"slices"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/risk"
)

// Gap is a harm of high severity that no risk of the system's risk
// assessment covers: the impact assessment has not fed the risk
// assessment (ISO/IEC 42001 6.1.4 to 6.1.2).
type Gap struct {
	// Impact is the id of the harm; Pointer is its JSON pointer in the
	// impact assessment, e.g. "/impacts/2".
	Impact  string `json:"impact"`
	Pointer string `json:"pointer"`
	// Area and Severity describe it.
	Area     Area     `json:"area"`
	Severity Severity `json:"severity"`
}

// UncoveredHarms lists the harms of a of high or critical severity (before
// measures) that no risk of ra covers, in the order of a's impacts. A risk
// covers a harm when its [risk.Risk.Impacts] lists the harm's id. If ra is
// nil or assesses another system, no harm is covered.
func UncoveredHarms(a *Assessment, ra *risk.Assessment) []Gap {
	var gaps []Gap
	for i := range a.Impacts {
		im := &a.Impacts[i]
		if im.Effect != EffectHarm || im.Severity.Rank() < SeverityHigh.Rank() {
			continue
		}
		if ra != nil && ra.System == a.System && slices.ContainsFunc(ra.Risks, func(r risk.Risk) bool {
			return slices.Contains(r.Impacts, im.ID)
		}) {
			continue
		}
		gaps = append(gaps, Gap{Impact: im.ID, Pointer: document.Pointer("impacts", i), Area: im.Area, Severity: im.Severity})
	}
	return gaps
}
