package risk

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
)

// KindAssessment is the document kind of an [Assessment].
const KindAssessment = "RiskAssessment"

// Assessment is the AI risk assessment of one AI system: document kind
// "RiskAssessment". It records its scope, the [Criteria] it rates against,
// who assessed and by which method, the identified [Risk] entries with
// their treatment, the approval of the treatment plan and of the residual
// risks by designated management, and when it is next reviewed (ISO/IEC
// 42001 6.1.2, 6.1.3, 8.2 and 8.3; EU AI Act Art. 9).
//
// The zero value is empty; [Assessment.Validate] reports what is missing
// and [Assessment.ValidateWith] checks the ratings against the criteria.
// An Assessment is a plain value: it is not safe for concurrent mutation,
// and [Assessment.Clone] gives an independent copy.
type Assessment struct {
	document.Header

	// ID identifies the assessment.
	ID uuid.UUID `json:"id"`
	// System is the AI system assessed (an [inventory.System] id).
	System uuid.UUID `json:"system"`
	// Title is a short human title.
	Title string `json:"title,omitempty"`
	// Scope says what the assessment covers: which parts, uses, stages
	// and interfaces of the system.
	Scope string `json:"scope"`
	// Criteria are the risk criteria the ratings refer to: pinned by name
	// and version, or given inline.
	Criteria CriteriaRef `json:"criteria"`
	// Assessor is who carried out the assessment.
	Assessor string `json:"assessor"`
	// Date is when the assessment was carried out.
	Date document.Date `json:"date"`
	// Method describes how risks were identified, analysed and evaluated,
	// e.g. "ISO/IEC 23894 clause 6 workshop with model validation".
	Method string `json:"method"`
	// Risks are the identified risks; at least one.
	Risks []Risk `json:"risks"`
	// Approval records the approval of the treatment plan by designated
	// management (6.1.3 h). Nil means not approved yet.
	Approval *document.Approval `json:"approval,omitempty"`
	// NextReview is when the assessment is next reviewed (8.2: at planned
	// intervals); it must be after Date.
	NextReview document.Date `json:"nextReview"`
}

// CriteriaRef names the [Criteria] of an assessment: either Name and
// Version, which pin criteria defined elsewhere (a RiskCriteria document,
// or [Builtin] criteria), or Inline criteria.
type CriteriaRef struct {
	// Name is the name of the pinned criteria, e.g. "aimskit-5x5".
	Name string `json:"name,omitempty"`
	// Version is the version of the pinned criteria, e.g. "1".
	Version string `json:"version,omitempty"`
	// Inline are criteria given in the assessment itself, written like a
	// RiskCriteria document (with apiVersion and kind).
	Inline *Criteria `json:"inline,omitempty"`
}

// Pinned returns the name and version the reference resolves to: those of
// the inline criteria when given.
func (r CriteriaRef) Pinned() (name, version string) {
	if r.Inline != nil {
		return r.Inline.Name, r.Inline.Version
	}
	return r.Name, r.Version
}

var (
	idRE      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	annexARE  = regexp.MustCompile(`^iso42001:A\.(2\.[2-4]|3\.[23]|4\.[2-6]|5\.[2-5]|6\.1\.[23]|6\.2\.[2-8]|7\.[2-6]|8\.[2-5]|9\.[2-4]|10\.[2-4])$`)
	controlRE = regexp.MustCompile(`^[a-z][a-z0-9-]*:[A-Za-z0-9._-]+$`)
)

// checkControl returns why id is not a control id a treatment may name, or
// "" when it is one: an Annex A control of ISO/IEC 42001
// ("iso42001:A.7.4") or a control in a namespace of the organisation's
// ("org:SEC-01").
func checkControl(id string) string {
	switch {
	case strings.HasPrefix(id, "iso42001:"):
		if !annexARE.MatchString(id) {
			return fmt.Sprintf("%q is not an ISO/IEC 42001 Annex A control (A.2.2 to A.10.4)", id)
		}
	case !controlRE.MatchString(id):
		return fmt.Sprintf("%q is not a namespaced control id: write e.g. iso42001:A.7.4 or org:SEC-01", id)
	}
	return ""
}

// Validate reports every problem with a as a [*document.Error], with JSON
// pointers relative to the document: missing fields, unknown enum values,
// duplicate risk ids, control ids that are not Annex A controls or not
// namespaced, incomplete acceptances and plan items, and dates in the
// wrong order. It checks inline criteria (under /criteria/inline) but not
// the ratings against the criteria: see [Assessment.ValidateWith].
func (a *Assessment) Validate() error {
	var e document.Error
	if a.Kind != "" && a.Kind != KindAssessment {
		e.Add("/kind", "is %q, want %q", a.Kind, KindAssessment)
	}
	if a.ID == uuid.Nil {
		e.Add("/id", "is required")
	}
	if a.System == uuid.Nil {
		e.Add("/system", "is required: the id of the AI system assessed")
	}
	if strings.TrimSpace(a.Scope) == "" {
		e.Add("/scope", "is required")
	}
	a.validateCriteriaRef(&e)
	if strings.TrimSpace(a.Assessor) == "" {
		e.Add("/assessor", "is required")
	}
	if a.Date.IsZero() {
		e.Add("/date", "is required")
	}
	if strings.TrimSpace(a.Method) == "" {
		e.Add("/method", "is required: describe how risks were identified, analysed and evaluated (6.1.2)")
	}
	if len(a.Risks) == 0 {
		e.Add("/risks", "is required: list the identified risks (6.1.2)")
	}
	for i := range a.Risks {
		a.validateRisk(&e, i)
	}
	if ap := a.Approval; ap != nil {
		if strings.TrimSpace(ap.Approver) == "" {
			e.Add("/approval/approver", "is required")
		}
		switch {
		case ap.Date.IsZero():
			e.Add("/approval/date", "is required")
		case !a.Date.IsZero() && ap.Date.Before(a.Date):
			e.Add("/approval/date", "%s is before the assessment date %s", ap.Date, a.Date)
		}
	}
	switch {
	case a.NextReview.IsZero():
		e.Add("/nextReview", "is required: plan the next review (8.2)")
	case !a.Date.IsZero() && !a.NextReview.After(a.Date):
		e.Add("/nextReview", "%s is not after the assessment date %s", a.NextReview, a.Date)
	}
	return e.Err()
}

func (a *Assessment) validateCriteriaRef(e *document.Error) {
	r := a.Criteria
	if r.Inline != nil {
		if r.Name != "" || r.Version != "" {
			e.Add("/criteria", "gives both a name and version and inline criteria: give one or the other")
		}
		e.Merge("/criteria/inline", r.Inline.Validate())
		return
	}
	if r.Name == "" {
		e.Add("/criteria/name", "is required: pin criteria by name and version, or give them inline")
	}
	if r.Version == "" {
		e.Add("/criteria/version", "is required: pin the version of the criteria")
	}
}

func (a *Assessment) validateRisk(e *document.Error, i int) {
	r := &a.Risks[i]
	ptr := document.Pointer("risks", i)
	switch {
	case r.ID == "":
		e.Add(ptr+"/id", "is required")
	case !idRE.MatchString(r.ID):
		e.Add(ptr+"/id", "%q must be letters, digits, dots, underscores or hyphens", r.ID)
	default:
		for j := range i {
			if a.Risks[j].ID == r.ID {
				e.Add(ptr+"/id", "%q is also the id of /risks/%d", r.ID, j)
				break
			}
		}
	}
	if r.System != uuid.Nil && r.System != a.System {
		e.Add(ptr+"/system", "is %s, but the assessment is of system %s", r.System, a.System)
	}
	if strings.TrimSpace(r.Title) == "" {
		e.Add(ptr+"/title", "is required")
	}
	switch {
	case r.Source == SourceUnspecified:
		e.Add(ptr+"/source", "is required: an Annex C risk source or custom")
	case !slices.Contains(Sources(), r.Source):
		e.Add(ptr+"/source", "unknown risk source %q", r.Source)
	case r.Source == SourceCustom && strings.TrimSpace(r.SourceDetail) == "":
		e.Add(ptr+"/sourceDetail", "is required for a custom risk source")
	}
	if len(r.Objectives) == 0 {
		e.Add(ptr+"/objectives", "is required: name the Annex C objectives the risk threatens")
	}
	for j, o := range r.Objectives {
		switch {
		case !slices.Contains(Objectives(), o):
			e.Add(document.Pointer("risks", i, "objectives", j), "unknown objective %q", o)
		case slices.Index(r.Objectives, o) < j:
			e.Add(document.Pointer("risks", i, "objectives", j), "%q is listed twice", o)
		}
	}
	switch {
	case r.Stage == "":
		e.Add(ptr+"/stage", "is required: the life-cycle stage in which the risk arises")
	case !r.Stage.Valid():
		e.Add(ptr+"/stage", "unknown life-cycle stage %q", r.Stage)
	}
	for _, d := range []struct {
		name string
		dim  Dimension
	}{{"organisation", r.Consequences.Organisation}, {"individuals", r.Consequences.Individuals}, {"society", r.Consequences.Society}} {
		dp := ptr + "/consequences/" + d.name
		if strings.TrimSpace(d.dim.Description) == "" {
			e.Add(dp+"/description", "is required: assess the consequences for the organisation, individuals and society separately (6.1.2)")
		}
		checkGrade(e, dp+"/consequence", d.dim.Consequence, true)
	}
	checkRating(e, ptr+"/inherent", r.Inherent, false)
	checkRating(e, ptr+"/residual", r.Residual, true)
	validateTreatment(e, ptr+"/treatment", &r.Treatment)
	if ac := r.Acceptance; ac != nil {
		ap := ptr + "/acceptance"
		if strings.TrimSpace(ac.Approver) == "" {
			e.Add(ap+"/approver", "is required: who in designated management accepted the residual risk (6.1.3 h)")
		}
		if ac.Date.IsZero() {
			e.Add(ap+"/date", "is required")
		}
		if strings.TrimSpace(ac.Rationale) == "" {
			e.Add(ap+"/rationale", "is required")
		}
		switch {
		case ac.Expires.IsZero():
			e.Add(ap+"/expires", "is required: an acceptance holds for a limited time")
		case !ac.Date.IsZero() && !ac.Expires.After(ac.Date):
			e.Add(ap+"/expires", "%s is not after the acceptance date %s", ac.Expires, ac.Date)
		}
		checkRating(e, ap+"/rating", ac.Rating, false)
	}
	for j, id := range r.Impacts {
		if !idRE.MatchString(id) {
			e.Add(document.Pointer("risks", i, "impacts", j), "%q is not an impact id", id)
		}
	}
}

func validateTreatment(e *document.Error, ptr string, t *Treatment) {
	if len(t.Options) == 0 {
		e.Add(ptr+"/options", "is required: choose at least one treatment option (6.1.3 a)")
	}
	mitigates := false
	for j, o := range t.Options {
		p := ptr + "/options/" + fmt.Sprint(j)
		switch {
		case !slices.Contains(TreatmentOptions(), o):
			e.Add(p, "unknown treatment option %q", o)
		case slices.Index(t.Options, o) < j:
			e.Add(p, "%q is listed twice", o)
		}
		mitigates = mitigates || o.Mitigates()
	}
	if slices.Contains(t.Options, TreatmentAvoid) && slices.Contains(t.Options, TreatmentRetain) {
		e.Add(ptr+"/options", "combines avoid and retain: a risk is either avoided or retained")
	}
	if mitigates && len(t.Controls) == 0 && len(t.Plan) == 0 {
		e.Add(ptr, "mitigates the risk but names no controls and no plan items (6.1.3 b, g)")
	}
	for j, c := range t.Controls {
		p := ptr + "/controls/" + fmt.Sprint(j)
		if why := checkControl(c); why != "" {
			e.Add(p, "%s", why)
		} else if slices.Index(t.Controls, c) < j {
			e.Add(p, "%q is listed twice", c)
		}
	}
	for j, it := range t.Plan {
		p := ptr + "/plan/" + fmt.Sprint(j)
		if strings.TrimSpace(it.Action) == "" {
			e.Add(p+"/action", "is required")
		}
		if strings.TrimSpace(it.Owner) == "" {
			e.Add(p+"/owner", "is required")
		}
		if it.Due.IsZero() {
			e.Add(p+"/due", "is required")
		}
		switch it.Status {
		case PlanUnspecified, PlanPlanned, PlanInProgress, PlanDone:
		default:
			e.Add(p+"/status", "unknown status %q (want planned, in-progress or done)", it.Status)
		}
		if !it.Completed.IsZero() && it.Status != PlanDone {
			e.Add(p+"/completed", "is set, but the status is %q, not done", it.Status)
		}
	}
}

func checkRating(e *document.Error, ptr string, r Rating, optional bool) {
	if optional && r.IsZero() {
		return
	}
	checkGrade(e, ptr+"/likelihood", r.Likelihood, false)
	checkGrade(e, ptr+"/consequence", r.Consequence, false)
}

func checkGrade(e *document.Error, ptr string, g Grade, optional bool) {
	switch {
	case g.IsZero():
		if !optional {
			e.Add(ptr, "is required")
		}
	case g.Name != "" && g.Rank != 0:
		e.Add(ptr, "gives both rank %d and name %q: give one", g.Rank, g.Name)
	case g.Name == "" && g.Rank < 1:
		e.Add(ptr, "rank %d is not positive", g.Rank)
	}
}

// ValidateWith checks a against the criteria its ratings refer to, and
// reports every problem as a [*document.Error] with JSON pointers
// relative to the assessment: c must be valid and be the criteria a pins
// (same name and version), every grade must be on c's scales (a problem
// at e.g. /risks/3/inherent/likelihood), the inherent consequence must be
// at least the worst graded consequence of the three dimensions, and the
// residual level must not be above the inherent level.
//
// It is meant for cross-document checks, after [Assessment.Validate]:
// a loader resolves the criteria ([Assessment.ResolveCriteria]) and calls
// it.
func (a *Assessment) ValidateWith(c Criteria) error {
	var e document.Error
	if err := c.Validate(); err != nil {
		var ce *document.Error
		first := err.Error()
		if errors.As(err, &ce) && len(ce.Problems) > 0 {
			first = ce.Problems[0].String()
		}
		e.Add("/criteria", "criteria %s are not valid (%s)", c.String(), first)
		return e.Err()
	}
	if name, version := a.Criteria.Pinned(); name != c.Name || version != c.Version {
		e.Add("/criteria", "pins criteria %s version %s, but was checked against %s", name, version, c.String())
	}
	for i := range a.Risks {
		r := &a.Risks[i]
		ptr := document.Pointer("risks", i)
		worst, worstDim := 0, ""
		for _, d := range []struct {
			name string
			g    Grade
		}{{"organisation", r.Consequences.Organisation.Consequence}, {"individuals", r.Consequences.Individuals.Consequence}, {"society", r.Consequences.Society.Consequence}} {
			if d.g.IsZero() {
				continue
			}
			k, ok := rank(c.Consequence, d.g)
			if !ok {
				e.Add(ptr+"/consequences/"+d.name+"/consequence", "%s %s", d.g, c.scaleWant("consequence", c.Consequence))
				continue
			}
			if k > worst {
				worst, worstDim = k, d.name
			}
		}
		inh, ok := checkOnScales(&e, &c, ptr+"/inherent", r.Inherent)
		if ok && inh.Consequence < worst {
			e.Add(ptr+"/inherent/consequence", "rank %d (%s) is below the consequence for %s, rank %d (%s): the overall consequence is at least the worst of the three",
				inh.Consequence, c.Consequence[inh.Consequence-1].Name, worstDim, worst, c.Consequence[worst-1].Name)
		}
		if !r.Residual.IsZero() {
			res, rok := checkOnScales(&e, &c, ptr+"/residual", r.Residual)
			if ok && rok && res.Level > inh.Level {
				e.Add(ptr+"/residual", "level %s is above the inherent level %s: a treatment does not raise a risk; record a risk the treatment creates as a risk of its own",
					res.Name, inh.Name)
			}
		}
		if r.Acceptance != nil {
			checkOnScales(&e, &c, ptr+"/acceptance/rating", r.Acceptance.Rating)
		}
	}
	return e.Err()
}

// checkOnScales scores r against c, adding a problem for each grade that
// is not on c's scales.
func checkOnScales(e *document.Error, c *Criteria, ptr string, r Rating) (Score, bool) {
	l, lok := rank(c.Likelihood, r.Likelihood)
	if !lok {
		e.Add(ptr+"/likelihood", "%s %s", r.Likelihood, c.scaleWant("likelihood", c.Likelihood))
	}
	k, kok := rank(c.Consequence, r.Consequence)
	if !kok {
		e.Add(ptr+"/consequence", "%s %s", r.Consequence, c.scaleWant("consequence", c.Consequence))
	}
	if !lok || !kok {
		return Score{}, false
	}
	s, err := c.score(l, k)
	if err != nil {
		e.Add(ptr, "%v", err)
		return Score{}, false
	}
	return s, true
}

// ResolveCriteria returns the criteria a rates against: its inline
// criteria, or else the criteria with the pinned name and version among
// library (e.g. the RiskCriteria documents of a governance folder) and
// then among the [Builtin] criteria. It returns a copy. The error says
// which criteria were not found.
func (a *Assessment) ResolveCriteria(library []Criteria) (Criteria, error) {
	if a.Criteria.Inline != nil {
		return a.Criteria.Inline.Clone(), nil
	}
	name, version := a.Criteria.Pinned()
	for i := range library {
		if library[i].Name == name && library[i].Version == version {
			return library[i].Clone(), nil
		}
	}
	if c, ok := Builtin(name); ok && c.Version == version {
		return c, nil
	}
	return Criteria{}, fmt.Errorf("risk: criteria %s version %s not found", name, version)
}

// Controls returns each control that a treatment of a names, mapped to the
// ids of the risks whose treatment names it, in risk order. A caller can
// check it against the Statement of Applicability (6.1.3 b, f).
func (a *Assessment) Controls() map[string][]string {
	out := make(map[string][]string)
	for _, r := range a.Risks {
		for _, c := range r.Treatment.Controls {
			if ids := out[c]; len(ids) == 0 || ids[len(ids)-1] != r.ID {
				out[c] = append(ids, r.ID)
			}
		}
	}
	return out
}

// Clone returns a deep copy of a.
func (a *Assessment) Clone() *Assessment {
	if a == nil {
		return nil
	}
	c := *a
	if a.Criteria.Inline != nil {
		in := a.Criteria.Inline.Clone()
		c.Criteria.Inline = &in
	}
	if a.Risks != nil {
		c.Risks = make([]Risk, len(a.Risks))
		for i := range a.Risks {
			c.Risks[i] = a.Risks[i].clone()
		}
	}
	if a.Approval != nil {
		ap := *a.Approval
		c.Approval = &ap
	}
	return &c
}
