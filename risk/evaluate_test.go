package risk_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/risk"
)

// at returns 09:00 UTC on the given date: the injected clock.
func at(s string) time.Time { return date(s).Time(nil).Add(9 * time.Hour) }

func evaluate(t testing.TB, a *risk.Assessment, now time.Time) risk.Summary {
	t.Helper()
	s, err := risk.Evaluate(a, builtin5x5(t), now)
	if err != nil {
		t.Fatalf("Evaluate() error: %v", err)
	}
	return s
}

func TestEvaluateValid(t *testing.T) {
	s := evaluate(t, validAssessment(), at("2026-10-20"))
	if s.NeedsAttention() {
		t.Errorf("NeedsAttention() = true for a valid assessment: %+v", s)
	}
	wantLevels := []risk.LevelCount{
		{Level: "low", Inherent: 1, Residual: 1},
		{Level: "medium", Inherent: 0, Residual: 2},
		{Level: "high", Inherent: 3, Residual: 1},
		{Level: "critical"},
	}
	if diff := cmp.Diff(wantLevels, s.Levels); diff != "" {
		t.Errorf("Levels mismatch (-want +got):\n%s", diff)
	}
	want := risk.Result{
		ID:            "R-04",
		System:        systemID,
		Inherent:      risk.Score{Likelihood: 4, Consequence: 4, Level: 3, Name: "high"},
		Residual:      risk.Score{Likelihood: 3, Consequence: 4, Level: 3, Name: "high"},
		AboveAppetite: true,
		Accepted:      true,
		Controls:      2,
	}
	if diff := cmp.Diff(want, s.Results[3]); diff != "" {
		t.Errorf("Results[3] mismatch (-want +got):\n%s", diff)
	}
	// R-03 has no residual rating: the residual is the inherent rating.
	if s.Results[2].Residual != s.Results[2].Inherent {
		t.Errorf("Results[2].Residual = %v, want the inherent %v", s.Results[2].Residual, s.Results[2].Inherent)
	}
}

func TestEvaluateAboveAppetite(t *testing.T) {
	tests := []struct {
		name     string
		residual risk.Rating
		want     []string
	}{
		{"medium is within the appetite", rate(2, 4), nil},
		{"high without acceptance", rate(3, 4), []string{"R-01"}},
		{"critical without acceptance", risk.Rating{Likelihood: name("almost-certain"), Consequence: name("severe")}, []string{"R-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssessment()
			a.Risks[0].Residual = tt.residual
			s := evaluate(t, a, at("2026-10-20"))
			if diff := cmp.Diff(tt.want, s.Unaccepted); diff != "" {
				t.Errorf("Unaccepted mismatch (-want +got):\n%s", diff)
			}
			if got, want := s.Results[0].Acceptable(), tt.want == nil; got != want {
				t.Errorf("Results[0].Acceptable() = %v, want %v", got, want)
			}
		})
	}
}

func TestEvaluateAcceptance(t *testing.T) {
	tests := []struct {
		name        string
		now         string
		residual    risk.Rating // R-04's residual rating; the acceptance recorded 3 x 4
		wantAccept  bool
		wantStale   []string
		wantExpired []string
		wantUnacc   []string
	}{
		{"valid", "2026-10-20", rate(3, 4), true, nil, nil, nil},
		{"same rating by name", "2026-10-20", risk.Rating{Likelihood: name("possible"), Consequence: name("major")}, true, nil, nil, nil},
		{"stale when the likelihood changes", "2026-10-20", rate(4, 4), false, []string{"R-04"}, nil, []string{"R-04"}},
		{"stale when the consequence changes", "2026-10-20", rate(3, 5), false, []string{"R-04"}, nil, []string{"R-04"}},
		{"stale even when lowered into the appetite", "2026-10-20", rate(2, 4), false, []string{"R-04"}, nil, nil},
		{"valid on the day before expiry", "2027-03-30", rate(3, 4), true, nil, nil, nil},
		{"expired on its expiry date", "2027-03-31", rate(3, 4), false, nil, []string{"R-04"}, []string{"R-04"}},
		{"expired after its expiry date", "2027-06-01", rate(3, 4), false, nil, []string{"R-04"}, []string{"R-04"}},
		{"stale and expired", "2027-06-01", rate(4, 4), false, []string{"R-04"}, []string{"R-04"}, []string{"R-04"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssessment()
			a.Risks[3].Residual = tt.residual
			s := evaluate(t, a, at(tt.now))
			if got := s.Results[3].Accepted; got != tt.wantAccept {
				t.Errorf("Results[3].Accepted = %v, want %v", got, tt.wantAccept)
			}
			if diff := cmp.Diff(tt.wantStale, s.Stale); diff != "" {
				t.Errorf("Stale mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantExpired, s.Expired); diff != "" {
				t.Errorf("Expired mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantUnacc, s.Unaccepted); diff != "" {
				t.Errorf("Unaccepted mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvaluateOverdue(t *testing.T) {
	// Every risk of validAssessment has one plan item due 2026-11-30.
	berlin := time.FixedZone("CET", 1*60*60)
	tests := []struct {
		name   string
		now    time.Time
		status risk.PlanStatus
		want   int // overdue items
	}{
		{"before the due date", at("2026-11-29"), "", 0},
		{"on the due date", at("2026-11-30"), risk.PlanInProgress, 0},
		{"late on the due date in another zone", time.Date(2026, 11, 30, 23, 59, 0, 0, berlin), "", 0},
		{"the day after", at("2026-12-01"), risk.PlanPlanned, 4},
		{"the day after, in progress", at("2026-12-01"), risk.PlanInProgress, 4},
		{"the day after, done", at("2026-12-01"), risk.PlanDone, 0},
		{"just after midnight in another zone", time.Date(2026, 12, 1, 0, 30, 0, 0, berlin), "", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssessment()
			for i := range a.Risks {
				a.Risks[i].Treatment.Plan[0].Status = tt.status
			}
			s := evaluate(t, a, tt.now)
			if got := len(s.Overdue); got != tt.want {
				t.Errorf("len(Overdue) = %d, want %d", got, tt.want)
			}
			if tt.want > 0 {
				want := risk.OverdueItem{Risk: "R-01", Item: 0, Action: "Fairness tests", Owner: "Model Validation", Due: date("2026-11-30")}
				if diff := cmp.Diff(want, s.Overdue[0]); diff != "" {
					t.Errorf("Overdue[0] mismatch (-want +got):\n%s", diff)
				}
				if s.Results[0].Overdue != 1 {
					t.Errorf("Results[0].Overdue = %d, want 1", s.Results[0].Overdue)
				}
			}
			if got := s.NeedsAttention(); got != (tt.want > 0) {
				t.Errorf("NeedsAttention() = %v, want %v", got, tt.want > 0)
			}
		})
	}
}

func TestEvaluateFindings(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(a *risk.Assessment)
		now    string
		check  func(s risk.Summary) bool
	}{
		{"risk without controls", func(a *risk.Assessment) { a.Risks[2].Treatment.Controls = nil }, "2026-10-20",
			func(s risk.Summary) bool { return cmp.Equal(s.NoControls, []string{"R-03"}) && !s.NeedsAttention() }},
		{"not approved", func(a *risk.Assessment) { a.Approval = nil }, "2026-10-20",
			func(s risk.Summary) bool { return !s.Approved && s.NeedsAttention() }},
		{"review not yet due", func(a *risk.Assessment) {}, "2027-03-30",
			func(s risk.Summary) bool { return !s.ReviewDue }},
		{"review due on its date", func(a *risk.Assessment) {}, "2027-03-31",
			func(s risk.Summary) bool { return s.ReviewDue && s.NeedsAttention() }},
		{"risk of the assessment's system", func(a *risk.Assessment) {}, "2026-10-20",
			func(s risk.Summary) bool { return s.Results[0].System == systemID }},
		{"summary names the criteria and date", func(a *risk.Assessment) {}, "2026-10-20",
			func(s risk.Summary) bool {
				return s.CriteriaName == "aimskit-5x5" && s.CriteriaVersion == "1" && s.Date == date("2026-10-20")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssessment()
			tt.mutate(a)
			if s := evaluate(t, a, at(tt.now)); !tt.check(s) {
				t.Errorf("Evaluate() = %+v, fails the check", s)
			}
		})
	}
}

func TestEvaluateErrors(t *testing.T) {
	t.Run("invalid criteria", func(t *testing.T) {
		c := builtin5x5(t)
		c.Matrix[0][0] = 9
		_, err := risk.Evaluate(validAssessment(), c, at("2026-10-20"))
		if !errors.Is(err, risk.ErrCriteria) || !errors.Is(err, document.ErrInvalid) {
			t.Errorf("Evaluate(invalid criteria) error = %v, want ErrCriteria and document.ErrInvalid", err)
		}
	})
	t.Run("rating out of range", func(t *testing.T) {
		a := validAssessment()
		a.Risks[3].Inherent.Likelihood = rank(6)
		_, err := risk.Evaluate(a, builtin5x5(t), at("2026-10-20"))
		if diff := cmp.Diff([]string{"/risks/3/inherent/likelihood"}, documenttest.Pointers(documenttest.Problems(t, err))); diff != "" {
			t.Errorf("Evaluate() problems mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("nil assessment", func(t *testing.T) {
		if _, err := risk.Evaluate(nil, builtin5x5(t), at("2026-10-20")); err == nil {
			t.Error("Evaluate(nil) error = nil, want an error")
		}
	})
}

func TestEvaluateDeterministic(t *testing.T) {
	a := validAssessment()
	first := evaluate(t, a, at("2027-06-01"))
	for range 5 {
		if diff := cmp.Diff(first, evaluate(t, a, at("2027-06-01"))); diff != "" {
			t.Fatalf("Evaluate() is not deterministic (-first +again):\n%s", diff)
		}
	}
}

// TestExampleAssessment decodes the credit-scoring example and checks that
// it is complete and valid: ratings on the criteria's scales, every
// residual risk within the appetite or validly accepted, and an approval.
func TestExampleAssessment(t *testing.T) {
	v, err := newDecoder(t).Decode("risk-assessment.yaml", documenttest.ReadExample(t, "risk-assessment.yaml"))
	if err != nil {
		t.Fatalf("Decode(example): %v", err)
	}
	a := v.(*risk.Assessment)
	c, err := a.ResolveCriteria(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.ValidateWith(c); err != nil {
		t.Fatalf("ValidateWith(%s): %v", c.String(), err)
	}
	s, err := risk.Evaluate(a, c, at("2026-10-20"))
	if err != nil {
		t.Fatal(err)
	}
	if s.NeedsAttention() || len(s.NoControls) > 0 {
		t.Errorf("example needs attention on 2026-10-20: %+v", s)
	}
	if a.NextReview.Year != 2027 || a.Approval == nil {
		t.Errorf("example: next review %s, approval %v", a.NextReview, a.Approval)
	}
	var ids []string
	for _, r := range a.Risks {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{"R-01", "R-02", "R-03", "R-04", "R-05", "R-06"}, ids); diff != "" {
		t.Errorf("example risks mismatch (-want +got):\n%s", diff)
	}
	wantLevels := []risk.LevelCount{
		{Level: "low"},
		{Level: "medium", Residual: 5},
		{Level: "high", Inherent: 6, Residual: 1},
		{Level: "critical"},
	}
	if diff := cmp.Diff(wantLevels, s.Levels); diff != "" {
		t.Errorf("example levels mismatch (-want +got):\n%s", diff)
	}
	// A later rating change makes the acceptance of R-04 stale.
	a.Risks[3].Residual.Likelihood = name("likely")
	if s := evaluate(t, a, at("2026-10-20")); !cmp.Equal(s.Stale, []string{"R-04"}) || !cmp.Equal(s.Unaccepted, []string{"R-04"}) {
		t.Errorf("after a rating change: Stale = %v, Unaccepted = %v; want [R-04] both", s.Stale, s.Unaccepted)
	}
}
