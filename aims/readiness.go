package aims

import (
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// Readiness is an audit-readiness report of a governance folder: for each
// ISO/IEC 42001 requirement that documented information can show, and for
// each Annex A and organisation control, whether that information exists
// and is current, and if not, what is missing.
type Readiness struct {
	// Date is the day the report is for.
	Date document.Date `json:"date"`
	// Score is the share of items met, in percent, rounded down.
	Score int `json:"score"`
	// Met and Total count the items.
	Met   int `json:"met"`
	Total int `json:"total"`
	// Items holds one item per clause, then one per control, in
	// catalogue order.
	Items []ReadinessItem `json:"items"`
	// Stated lists the AI systems whose EU AI Act classification is
	// stated, not derived from facts, in inventory order. They are not
	// gaps: a stated classification is valid, but nothing shows it right.
	Stated []StatedClassification `json:"stated,omitempty"`
}

// StatedClassification is an AI system whose EU AI Act classification is
// stated in its document with no facts to derive it from.
type StatedClassification struct {
	// System and Name identify the AI system.
	System uuid.UUID `json:"system"`
	Name   string    `json:"name"`
	// Category is the stated category.
	Category inventory.Category `json:"category"`
	// File is its inventory document.
	File string `json:"file,omitempty"`
}

// ReadinessItem is the readiness of one clause or control.
type ReadinessItem struct {
	// ID is the clause or control id, e.g. "iso42001:9.2".
	ID string `json:"id"`
	// Title is its short title.
	Title string `json:"title"`
	// Met reports whether no gap was found.
	Met bool `json:"met"`
	// Gaps say what is missing.
	Gaps []Gap `json:"gaps,omitempty"`
}

// Gap is one missing or outdated piece of documented information.
type Gap struct {
	// ID is the clause or control the gap is about.
	ID string `json:"id"`
	// Missing says what is missing, for people.
	Missing string `json:"missing"`
	// File is the document concerned, if any.
	File string `json:"file,omitempty"`
}

// Gaps returns every gap of the report, in item order.
func (r *Readiness) Gaps() []Gap {
	var out []Gap
	for _, it := range r.Items {
		out = append(out, it.Gaps...)
	}
	return out
}

// Readiness works out, on the day of now, which documented information
// the snapshot holds for each requirement of clauses 4 to 10 that documents
// can show, and for each control of the Statement of Applicability. The
// rules, by clause:
//
//   - 4.1, 4.2, 4.3, 5.2, 5.3, 6.1.1, 6.2: the ManagementSystem document
//     records the context and the organisation's roles toward AI, the
//     interested parties, a scope with AI systems, an approved AI policy
//     not past its review date, roles, risk criteria that exist, and
//     objectives;
//   - 6.1.2: every AI system in scope has an approved risk assessment, and
//     every harm of high severity in its impact assessment is covered by a
//     risk;
//   - 6.1.3: an approved Statement of Applicability; no residual risk
//     above appetite without a valid acceptance;
//   - 6.1.4: every AI system in scope has an approved impact assessment
//     (ISO/IEC 42001 asks for one of every AI system in the scope,
//     whatever its EU AI Act classification);
//   - 8.2: no risk assessment is past its review date;
//   - 8.3: no treatment is overdue and no acceptance stale or expired;
//   - 8.4: no impact assessment review is owed;
//   - 9.2: an internal audit ended within the last 12 months;
//   - 9.3: a management review within the last 12 months;
//   - 10.2: every nonconformity has a corrective action, none overdue;
//   - Annex A and organisation controls: an entry in the Statement of
//     Applicability; an applicable control is implemented with evidence in
//     effect.
//
// AI systems classified without facts are listed in Readiness.Stated
// ("stated, not derived"), not counted as gaps.
//
// What it reports about the assessments of one AI system (6.1.2 to 8.4)
// is what the gate's [CheckAssessmentsCurrent] reports about it, in the
// same words. It is a pure function of the snapshot and now.
func (f *Snapshot) Readiness(now time.Time) *Readiness {
	today := document.DateOf(now)
	r := &Readiness{Date: today}
	cat := controls.ISO42001()
	if f.SoA != nil {
		if c, err := f.SoA.Catalog(); err == nil {
			cat = c
		}
	}
	gaps := make(map[string][]Gap)
	add := func(id, file, format string, args ...any) {
		id = "iso42001:" + id
		gaps[id] = append(gaps[id], Gap{ID: id, Missing: fmt.Sprintf(format, args...), File: file})
	}
	f.readinessContext(today, add)
	f.readinessAssessments(now, add)
	f.readinessRecords(now, add)
	clauses := []string{"4.1", "4.2", "4.3", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.2", "8.2", "8.3", "8.4", "9.2", "9.3", "10.2"}
	for _, c := range clauses {
		id := "iso42001:" + c
		title := ""
		if cl, ok := cat.LookupClause(controls.ID(id)); ok {
			title = cl.Title
		}
		r.Items = append(r.Items, ReadinessItem{ID: id, Title: title, Met: len(gaps[id]) == 0, Gaps: gaps[id]})
	}
	for _, ctl := range cat.Controls() {
		it := ReadinessItem{ID: string(ctl.ID), Title: ctl.Title}
		it.Gaps = f.controlGaps(ctl.ID, today)
		it.Met = len(it.Gaps) == 0
		r.Items = append(r.Items, it)
	}
	for _, sys := range f.Systems {
		if sys.Facts == nil {
			r.Stated = append(r.Stated, StatedClassification{System: sys.ID, Name: sys.Name, Category: sys.Classification.Category, File: f.File(sys)})
		}
	}
	for _, it := range r.Items {
		r.Total++
		if it.Met {
			r.Met++
		}
	}
	if r.Total > 0 {
		r.Score = int(math.Floor(100 * float64(r.Met) / float64(r.Total)))
	}
	return r
}

type addGap func(id, file, format string, args ...any)

func (f *Snapshot) readinessContext(today document.Date, add addGap) {
	ms := f.ManagementSystem
	if ms == nil {
		for _, c := range []string{"4.1", "4.2", "4.3", "5.2", "5.3", "6.1.1", "6.2"} {
			add(c, "", "no ManagementSystem document")
		}
		return
	}
	file := f.File(ms)
	if len(ms.Context.ExternalIssues)+len(ms.Context.InternalIssues) == 0 {
		add("4.1", file, "no internal or external issues recorded")
	}
	if len(ms.Context.AIRoles) == 0 {
		add("4.1", file, "the organisation's roles toward AI systems are not recorded")
	}
	if len(ms.InterestedParties) == 0 {
		add("4.2", file, "no interested parties recorded")
	}
	if len(ms.Scope.Systems) == 0 {
		add("4.3", file, "the scope lists no AI system")
	}
	switch {
	case ms.Policy.Approval.IsZero():
		add("5.2", file, "the AI policy is not approved")
	case !ms.Policy.NextReview.IsZero() && ms.Policy.NextReview.Before(today):
		add("5.2", file, "the AI policy was due for review on %s", ms.Policy.NextReview)
	}
	if len(ms.Roles) == 0 {
		add("5.3", file, "no roles and responsibilities recorded")
	}
	if _, ok := f.criteriaByRef(ms.RiskCriteria.Name, ms.RiskCriteria.Version); !ok {
		add("6.1.1", file, "risk criteria %s are neither built in nor defined in the folder", ms.RiskCriteria)
	}
	if len(ms.Objectives) == 0 {
		add("6.2", file, "no AI objectives recorded")
	}
}

func (f *Snapshot) criteriaByRef(name, version string) (risk.Criteria, bool) {
	for _, c := range f.RiskCriteria {
		if c.Name == name && c.Version == version {
			return *c, true
		}
	}
	c, ok := risk.Builtin(name)
	if !ok || c.Version != version {
		return risk.Criteria{}, false
	}
	return c, true
}

// inScope returns the AI systems in the scope of the management system,
// or every system of the inventory when there is no ManagementSystem.
func (f *Snapshot) inScope() []uuid.UUID {
	if f.ManagementSystem != nil {
		return f.ManagementSystem.Scope.Systems
	}
	ids := make([]uuid.UUID, len(f.Systems))
	for i, s := range f.Systems {
		ids[i] = s.ID
	}
	return ids
}

func (f *Snapshot) readinessAssessments(now time.Time, add addGap) {
	x := f.newIndex()
	for _, id := range f.inScope() {
		sys := x.systems[id]
		if sys == nil {
			continue // reported by Load
		}
		f.systemGaps(sys, x.risk[id], x.impact[id], impactNeedOf(sys.Explain(), x.inScopeOf(id)), now, add)
	}
	switch {
	case f.SoA == nil:
		add("6.1.3", "", "no Statement of Applicability")
	case f.SoA.Approval.IsZero():
		add("6.1.3", f.File(f.SoA), "the Statement of Applicability is not approved")
	}
}

// systemGaps adds the gaps readiness finds, on the day of now, in the
// assessments of one AI system of the scope: its risk assessment (6.1.2
// exists and approved, 6.1.3 residual risk accepted, 8.2 review not due,
// 8.3 no treatment overdue and no acceptance stale or expired) and its
// impact assessment (6.1.4 exists and approved where [impactNeedOf]
// requires one, 6.1.2 its severe harms covered by risks, 8.4 no review
// owed). The gate's [CheckAssessmentsCurrent] calls it too, so that the
// two cannot disagree. ra and ia are the system's assessments, or nil,
// and need is its [impactNeedOf].
func (f *Snapshot) systemGaps(sys *inventory.System, ra *risk.Assessment, ia *impact.Assessment, need impactNeed, now time.Time, add addGap) {
	today := document.DateOf(now)
	name := sys.Name
	switch {
	case ra == nil:
		add("6.1.2", f.File(sys), "no risk assessment of %s", name)
	case ra.Approval == nil:
		add("6.1.2", f.File(ra), "the risk assessment of %s is not approved", name)
	}
	if ra != nil {
		if !ra.NextReview.IsZero() && ra.NextReview.Before(today) {
			add("8.2", f.File(ra), "the risk assessment of %s was due for review on %s", name, ra.NextReview)
		}
		if c, ok := f.Criteria(ra); ok {
			if s, err := risk.Evaluate(ra, c, now); err == nil {
				for _, id := range s.Unaccepted {
					add("6.1.3", f.File(ra), "risk %s of %s is above the appetite without a valid acceptance", id, name)
				}
				for _, o := range s.Overdue {
					add("8.3", f.File(ra), "treatment of risk %s of %s is overdue since %s: %s", o.Risk, name, o.Due, o.Action)
				}
				for _, id := range s.Stale {
					add("8.3", f.File(ra), "the acceptance of risk %s of %s no longer matches its residual rating", id, name)
				}
				for _, id := range s.Expired {
					add("8.3", f.File(ra), "the acceptance of risk %s of %s has expired", id, name)
				}
			}
		}
	}
	if need != impactNotRequired {
		switch {
		case ia == nil:
			add("6.1.4", f.File(sys), "no impact assessment of %s", name)
		case ia.Approval == nil:
			add("6.1.4", f.File(ia), "the impact assessment of %s is not approved", name)
		}
	}
	if ia != nil && ra != nil {
		for _, g := range impact.UncoveredHarms(ia, ra) {
			add("6.1.2", f.File(ia), "harm %s (%s, %s) of %s is covered by no risk", g.Impact, g.Area, g.Severity, name)
		}
	}
	if ia != nil {
		if due, reasons := impact.ReviewDue(ia, sys, now); due {
			add("8.4", f.File(ia), "the impact assessment of %s is due for review: %s", name, joinReasons(reasons))
		}
	}
}

// impactNeed says whether, and by which rule, an AI system needs an impact
// assessment.
type impactNeed int

const (
	// impactNotRequired: the system is outside the scope of the AIMS and
	// the EU AI Act asks for no assessment of it.
	impactNotRequired impactNeed = iota
	// impactByStandard: ISO/IEC 42001 6.1.4 and 8.4 ask for an AI system
	// impact assessment of every AI system in the scope of the AIMS.
	impactByStandard
	// impactByLaw: the EU AI Act classification asks for one as well (a
	// high-risk, derogated or systemic-risk GPAI system, or an Art. 27
	// FRIA owed by the deployer).
	impactByLaw
)

// impactNeedOf returns why an AI system needs an impact assessment, given
// its classification and obligations d ([inventory.System.Explain]) and
// whether it is in the scope of the management system (see
// [Snapshot.inScope]).
// Readiness reports a missing or unapproved assessment of every system
// that needs one; a gate denies for [impactByLaw] and warns for
// [impactByStandard].
func impactNeedOf(d inventory.Derivation, inScope bool) impactNeed {
	switch d.Classification.Category {
	case inventory.CategoryHighRisk, inventory.CategoryDerogated, inventory.CategoryGPAISystemic:
		return impactByLaw
	}
	if d.Obligations.FRIARequired {
		return impactByLaw
	}
	if inScope {
		return impactByStandard
	}
	return impactNotRequired
}

func (f *Snapshot) readinessRecords(now time.Time, add addGap) {
	today := document.DateOf(now)
	yearAgo := document.DateOf(now.AddDate(-1, 0, 0))
	var lastAudit, lastReview document.Date
	for _, a := range f.Audits {
		end := a.Period.End
		if end.IsZero() {
			end = a.Period.Start
		}
		if end.After(lastAudit) && !end.After(today) {
			lastAudit = end
		}
	}
	switch {
	case lastAudit.IsZero():
		add("9.2", "", "no internal audit recorded")
	case lastAudit.Before(yearAgo):
		add("9.2", "", "the last internal audit ended on %s, more than 12 months ago", lastAudit)
	}
	for _, r := range f.Reviews {
		if r.Date.After(lastReview) && !r.Date.After(today) {
			lastReview = r.Date
		}
	}
	switch {
	case lastReview.IsZero():
		add("9.3", "", "no management review recorded")
	case lastReview.Before(yearAgo):
		add("9.3", "", "the last management review was on %s, more than 12 months ago", lastReview)
	}
	for _, n := range f.Nonconformities {
		switch {
		case n.Status() == governance.NonconformityOpen:
			add("10.2", f.File(n), "nonconformity %s has no corrective action", n.ID)
		case n.Overdue(now):
			add("10.2", f.File(n), "the corrective action of nonconformity %s is overdue since %s", n.ID, n.CorrectiveAction.Due)
		}
	}
}

func (f *Snapshot) controlGaps(id controls.ID, today document.Date) []Gap {
	gap := func(format string, args ...any) []Gap {
		return []Gap{{ID: string(id), Missing: fmt.Sprintf(format, args...), File: f.File(f.SoA)}}
	}
	if f.SoA == nil {
		return []Gap{{ID: string(id), Missing: "no Statement of Applicability"}}
	}
	e, ok := f.SoA.Entry(id)
	switch {
	case !ok:
		return gap("no entry in the Statement of Applicability")
	case e.Applicability == controls.Excluded:
		return nil
	case e.Status != controls.StatusImplemented:
		return gap("applicable but %s", statusText(e.Status))
	case !evidenceInEffect(e.Evidence, today):
		return gap("implemented, but no evidence in effect")
	}
	return nil
}
