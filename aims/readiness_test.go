package aims_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/risk"
)

func TestReadiness(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(f *aims.Snapshot)
		want   []aims.Gap
	}{
		{"complete example", func(*aims.Snapshot) {}, nil},
		{"missing risk assessment", func(f *aims.Snapshot) {
			f.RiskAssessments = slices.DeleteFunc(f.RiskAssessments, func(a *risk.Assessment) bool { return a.System == creditScoring })
		}, []aims.Gap{{ID: "iso42001:6.1.2", Missing: "no risk assessment of Consumer credit scoring", File: "ai-system-credit-scoring.yaml"}}},
		{"missing internal audit", func(f *aims.Snapshot) { f.Audits = nil },
			[]aims.Gap{{ID: "iso42001:9.2", Missing: "no internal audit recorded"}}},
		{"missing SoA entry", func(f *aims.Snapshot) {
			f.SoA.Entries = slices.DeleteFunc(f.SoA.Entries, func(e controls.Entry) bool { return e.Control == "iso42001:A.7.4" })
		}, []aims.Gap{{ID: "iso42001:A.7.4", Missing: "no entry in the Statement of Applicability", File: "statement-of-applicability.yaml"}}},
		{"missing corrective action", func(f *aims.Snapshot) {
			n := f.Nonconformities[0]
			n.CorrectiveAction = governance.CorrectiveAction{}
			n.EffectivenessReview = governance.EffectivenessReview{}
			n.Closure = governance.Closure{}
		}, []aims.Gap{{ID: "iso42001:10.2", Missing: "nonconformity nc-2026-004 has no corrective action", File: "nonconformity-2026-004.yaml"}}},
		{"old management review", func(f *aims.Snapshot) { f.Reviews[0].Date = document.MustDate("2025-10-01") },
			[]aims.Gap{{ID: "iso42001:9.3", Missing: "the last management review was on 2025-10-01, more than 12 months ago"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := loadExample(t)
			tt.mutate(f)
			r := f.Readiness(testNow)
			got := r.Gaps()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Gaps() mismatch (-want +got):\n%s", diff)
			}
			if wantMet := r.Total - len(tt.want); r.Met != wantMet {
				t.Errorf("Met = %d, want %d", r.Met, wantMet)
			}
		})
	}
}
