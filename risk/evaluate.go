package risk

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
)

// Summary is the evaluation of an [Assessment] against its [Criteria] on
// one day (ISO/IEC 42001 6.1.2 d, 6.1.3 and 8.3): the derived level of
// every risk, counts per level, and what needs attention. All lists are in
// the order of the risks in the assessment.
//
// A Summary is a plain value owned by the caller; [Evaluate] shares no
// memory between the summary and its arguments.
type Summary struct {
	// CriteriaName and CriteriaVersion identify the criteria used.
	CriteriaName    string `json:"criteriaName"`
	CriteriaVersion string `json:"criteriaVersion"`
	// Date is the day evaluated: the date of now in now's location.
	Date document.Date `json:"date"`
	// Results holds one result per risk.
	Results []Result `json:"results"`
	// Levels counts the risks per level, lowest level first.
	Levels []LevelCount `json:"levels"`
	// Unaccepted lists the ids of the risks whose residual level is above
	// the appetite and that have no valid acceptance.
	Unaccepted []string `json:"unaccepted,omitempty"`
	// Overdue lists the treatment plan items that are not done and whose
	// due date is before Date.
	Overdue []OverdueItem `json:"overdue,omitempty"`
	// Stale lists the ids of the risks whose acceptance records a rating
	// other than the current residual rating.
	Stale []string `json:"stale,omitempty"`
	// Expired lists the ids of the risks whose acceptance has expired (its
	// Expires date is on or before Date).
	Expired []string `json:"expired,omitempty"`
	// NoControls lists the ids of the risks whose treatment names no
	// control.
	NoControls []string `json:"noControls,omitempty"`
	// Approved reports whether the assessment records an approval by
	// designated management.
	Approved bool `json:"approved"`
	// ReviewDue reports whether the next review date has been reached.
	ReviewDue bool `json:"reviewDue"`
}

// NeedsAttention reports whether anything in s calls for action: a risk
// above the appetite without a valid acceptance, an overdue plan item, a
// stale or expired acceptance, a missing approval or a review that is
// due. Risks without controls are listed but do not count.
func (s Summary) NeedsAttention() bool {
	return len(s.Unaccepted) > 0 || len(s.Overdue) > 0 || len(s.Stale) > 0 || len(s.Expired) > 0 ||
		!s.Approved || s.ReviewDue
}

// Result is the evaluation of one [Risk].
type Result struct {
	// ID and System identify the risk.
	ID     string    `json:"id"`
	System uuid.UUID `json:"system"`
	// Inherent is the inherent rating with its derived level.
	Inherent Score `json:"inherent"`
	// Residual is the residual rating with its derived level; it equals
	// Inherent when the risk has no residual rating.
	Residual Score `json:"residual"`
	// AboveAppetite reports whether the residual level is above the
	// criteria's appetite.
	AboveAppetite bool `json:"aboveAppetite"`
	// Accepted reports whether the risk has a valid acceptance: one that
	// is neither stale nor expired.
	Accepted bool `json:"accepted"`
	// StaleAcceptance and ExpiredAcceptance report why an acceptance is
	// not valid.
	StaleAcceptance   bool `json:"staleAcceptance,omitempty"`
	ExpiredAcceptance bool `json:"expiredAcceptance,omitempty"`
	// Overdue is the number of overdue plan items.
	Overdue int `json:"overdue,omitempty"`
	// Controls is the number of controls the treatment names.
	Controls int `json:"controls"`
}

// Acceptable reports whether the residual risk is acceptable: within the
// appetite, or above it with a valid acceptance.
func (r Result) Acceptable() bool { return !r.AboveAppetite || r.Accepted }

// LevelCount is the number of risks at one level.
type LevelCount struct {
	// Level is the level's name.
	Level string `json:"level"`
	// Inherent and Residual count the risks whose inherent and residual
	// level it is.
	Inherent int `json:"inherent"`
	Residual int `json:"residual"`
}

// OverdueItem is a treatment plan item past its due date.
type OverdueItem struct {
	// Risk is the id of the risk; Item is the index of the item in its
	// treatment plan (/risks/i/treatment/plan/Item).
	Risk   string        `json:"risk"`
	Item   int           `json:"item"`
	Action string        `json:"action"`
	Owner  string        `json:"owner"`
	Due    document.Date `json:"due"`
}

// ErrCriteria is matched (with [errors.Is]) by the error [Evaluate]
// returns when the criteria themselves are not valid.
var ErrCriteria = errors.New("risk: invalid criteria")

// Evaluate rates every risk of a against c and summarises what needs
// attention on the day of now (its date in its location; only the date
// counts). It is a pure, deterministic function of its arguments.
//
// For each risk it derives the inherent level and the residual level (the
// inherent one when no residual rating is given) from c's matrix, and
// reports:
//   - a residual level above c's appetite without a valid acceptance
//     ([Summary.Unaccepted]);
//   - an acceptance whose recorded rating differs from the current residual
//     rating (stale), or whose Expires date is today or earlier (expired);
//   - plan items that are not done and were due before today (overdue);
//   - treatments that name no control.
//
// Evaluate does not validate a (see [Assessment.Validate]) and does not
// check that c is the criteria a pins. It returns an error only when it
// cannot rate: when c is invalid (the error wraps [ErrCriteria] and c's
// [*document.Error]) or when a grade is not on c's scales (a
// [*document.Error] as from [Assessment.ValidateWith]).
func Evaluate(a *Assessment, c Criteria, now time.Time) (Summary, error) {
	if a == nil {
		return Summary{}, errors.New("risk: evaluate: no assessment")
	}
	if err := c.Validate(); err != nil {
		return Summary{}, fmt.Errorf("%w %s: %w", ErrCriteria, c.String(), err)
	}
	today := document.DateOf(now)
	s := Summary{
		CriteriaName:    c.Name,
		CriteriaVersion: c.Version,
		Date:            today,
		Results:         make([]Result, len(a.Risks)),
		Levels:          make([]LevelCount, len(c.Levels)),
		Approved:        a.Approval != nil,
		ReviewDue:       !a.NextReview.IsZero() && !today.Before(a.NextReview),
	}
	for i, l := range c.Levels {
		s.Levels[i].Level = l.Name
	}
	appetite := c.AppetiteRank()
	// The first pass rates every risk and counts the findings, so that the
	// second can allocate each list once, at its final size.
	var nUnaccepted, nOverdue, nStale, nExpired, nNoControls int
	for i := range a.Risks {
		r := &a.Risks[i]
		inh, ok := scoreOf(&c, r.Inherent)
		if !ok {
			return Summary{}, ratingError(a, c)
		}
		res := inh
		if !r.Residual.IsZero() {
			if res, ok = scoreOf(&c, r.Residual); !ok {
				return Summary{}, ratingError(a, c)
			}
		}
		out := &s.Results[i]
		*out = Result{
			ID:            r.ID,
			System:        r.System,
			Inherent:      inh,
			Residual:      res,
			AboveAppetite: res.Level > appetite,
			Controls:      len(r.Treatment.Controls),
		}
		if out.System == uuid.Nil {
			out.System = a.System
		}
		if ac := r.Acceptance; ac != nil {
			acc, ok := scoreOf(&c, ac.Rating)
			if !ok {
				return Summary{}, ratingError(a, c)
			}
			out.StaleAcceptance = acc.Likelihood != res.Likelihood || acc.Consequence != res.Consequence
			out.ExpiredAcceptance = !today.Before(ac.Expires)
			out.Accepted = !out.StaleAcceptance && !out.ExpiredAcceptance
		}
		for _, it := range r.Treatment.Plan {
			if it.Overdue(today) {
				out.Overdue++
			}
		}
		nUnaccepted += b2i(out.AboveAppetite && !out.Accepted)
		nStale += b2i(out.StaleAcceptance)
		nExpired += b2i(out.ExpiredAcceptance)
		nNoControls += b2i(out.Controls == 0)
		nOverdue += out.Overdue
		s.Levels[inh.Level-1].Inherent++
		s.Levels[res.Level-1].Residual++
	}
	s.Unaccepted = makeList[string](nUnaccepted)
	s.Stale = makeList[string](nStale)
	s.Expired = makeList[string](nExpired)
	s.NoControls = makeList[string](nNoControls)
	s.Overdue = makeList[OverdueItem](nOverdue)
	for i := range s.Results {
		out := &s.Results[i]
		if out.AboveAppetite && !out.Accepted {
			s.Unaccepted = append(s.Unaccepted, out.ID)
		}
		if out.StaleAcceptance {
			s.Stale = append(s.Stale, out.ID)
		}
		if out.ExpiredAcceptance {
			s.Expired = append(s.Expired, out.ID)
		}
		if out.Controls == 0 {
			s.NoControls = append(s.NoControls, out.ID)
		}
		if out.Overdue == 0 {
			continue
		}
		for j, it := range a.Risks[i].Treatment.Plan {
			if it.Overdue(today) {
				s.Overdue = append(s.Overdue, OverdueItem{Risk: out.ID, Item: j, Action: it.Action, Owner: it.Owner, Due: it.Due})
			}
		}
	}
	return s, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// makeList returns an empty slice with capacity n, or nil when n is 0, so
// that empty lists stay nil (and are left out of JSON).
func makeList[T any](n int) []T {
	if n == 0 {
		return nil
	}
	return make([]T, 0, n)
}

func scoreOf(c *Criteria, r Rating) (Score, bool) {
	l, ok := rank(c.Likelihood, r.Likelihood)
	if !ok {
		return Score{}, false
	}
	k, ok := rank(c.Consequence, r.Consequence)
	if !ok {
		return Score{}, false
	}
	s, err := c.score(l, k)
	return s, err == nil
}

// ratingError builds the problems of a rating that is not on c's scales.
func ratingError(a *Assessment, c Criteria) error {
	var e document.Error
	for i := range a.Risks {
		r := &a.Risks[i]
		ptr := document.Pointer("risks", i)
		checkOnScales(&e, &c, ptr+"/inherent", r.Inherent)
		if !r.Residual.IsZero() {
			checkOnScales(&e, &c, ptr+"/residual", r.Residual)
		}
		if r.Acceptance != nil {
			checkOnScales(&e, &c, ptr+"/acceptance/rating", r.Acceptance.Rating)
		}
	}
	if err := e.Err(); err != nil {
		return err
	}
	return errors.New("risk: evaluate: a rating is not on the scales of the criteria")
}
