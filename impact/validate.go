package impact

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

var (
	idRE      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	langRE    = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
)

// maxCharter is the last article of the EU Charter of Fundamental Rights
// that states a right (Articles 51 to 54 are general provisions).
const maxCharter = 50

// Validate reports every problem with a as a [*document.Error], with JSON
// pointers relative to the document: missing fields, unknown enum values,
// duplicate ids and names, impacts that name unknown parties, FRIA
// elements that are incomplete or refer to impacts that are not harms,
// thresholds in the wrong order, and dates in the wrong order. Whether an
// FRIA is required depends on the system: see
// [Assessment.ValidateBeforeUse].
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
	required(&e, "/assessor", a.Assessor)
	if a.Date.IsZero() {
		e.Add("/date", "is required")
	}
	required(&e, "/scope/description", a.Scope.Description)
	for i, s := range a.Scope.Stages {
		if !s.Valid() {
			e.Add(document.Pointer("scope", "stages", i), "unknown life-cycle stage %q", s)
		}
	}
	si := a.SystemInfo
	required(&e, "/systemInfo/description", si.Description)
	required(&e, "/systemInfo/purpose", si.Purpose)
	if len(si.IntendedUses) == 0 {
		e.Add("/systemInfo/intendedUses", "is required: list the intended uses (ISO/IEC 42005 6.3.4)")
	}
	if len(si.UnintendedUses) == 0 {
		e.Add("/systemInfo/unintendedUses", "is required: list unintended uses and reasonably foreseeable misuse (ISO/IEC 42005 6.3.5)")
	}
	a.validateData(&e)
	a.validateModels(&e)
	a.validateDeployment(&e)
	a.validateParties(&e)
	a.validateImpacts(&e)
	a.validateThresholds(&e)
	if a.FRIA != nil {
		a.validateFRIA(&e)
	}
	if ap := a.Approval; ap != nil {
		required(&e, "/approval/approver", ap.Approver)
		switch {
		case ap.Date.IsZero():
			e.Add("/approval/date", "is required")
		case !a.Date.IsZero() && ap.Date.Before(a.Date):
			e.Add("/approval/date", "%s is before the assessment date %s", ap.Date, a.Date)
		}
	}
	a.validateReview(&e)
	return e.Err()
}

func required(e *document.Error, ptr, s string) {
	if strings.TrimSpace(s) == "" {
		e.Add(ptr, "is required")
	}
}

func (a *Assessment) validateData(e *document.Error) {
	if len(a.Data.Datasets) == 0 {
		e.Add("/data/datasets", "is required: list the data sets assessed (ISO/IEC 42005 6.4)")
	}
	for i, d := range a.Data.Datasets {
		ptr := document.Pointer("data", "datasets", i, "name")
		switch {
		case strings.TrimSpace(d.Name) == "":
			e.Add(ptr, "is required")
		case slices.IndexFunc(a.Data.Datasets, func(o Dataset) bool { return o.Name == d.Name }) < i:
			e.Add(ptr, "%q is listed twice", d.Name)
		}
	}
	required(e, "/data/quality", a.Data.Quality)
}

func (a *Assessment) validateModels(e *document.Error) {
	if len(a.Models) == 0 {
		e.Add("/models", "is required: record the models assessed with their versions (ISO/IEC 42005 6.5)")
	}
	for i, m := range a.Models {
		ptr := document.Pointer("models", i)
		required(e, ptr+"/name", m.Name)
		required(e, ptr+"/version", m.Version)
		if m.Name != "" && slices.IndexFunc(a.Models, func(o Model) bool { return o.Name == m.Name && o.Version == m.Version }) < i {
			e.Add(ptr, "model %s %s is listed twice", m.Name, m.Version)
		}
	}
}

func (a *Assessment) validateDeployment(e *document.Error) {
	d := a.Deployment
	if len(d.Countries) == 0 {
		e.Add("/deployment/countries", "is required: the countries where the system is used (ISO/IEC 42005 6.6)")
	}
	for i, c := range d.Countries {
		if !countryRE.MatchString(c) {
			e.Add(document.Pointer("deployment", "countries", i), "%q is not an ISO 3166-1 alpha-2 code", c)
		}
	}
	for i, l := range d.Languages {
		if !langRE.MatchString(l) {
			e.Add(document.Pointer("deployment", "languages", i), "%q is not a BCP 47 language tag", l)
		}
	}
}

func (a *Assessment) validateParties(e *document.Error) {
	if len(a.Parties) == 0 {
		e.Add("/parties", "is required: list the relevant interested parties (ISO/IEC 42005 6.7)")
	}
	for i, p := range a.Parties {
		ptr := document.Pointer("parties", i)
		switch {
		case strings.TrimSpace(p.Name) == "":
			e.Add(ptr+"/name", "is required")
		case slices.IndexFunc(a.Parties, func(o Party) bool { return o.Name == p.Name }) < i:
			e.Add(ptr+"/name", "%q is also the name of another party", p.Name)
		}
		if !slices.Contains([]PartyKind{PartyIndividual, PartyGroup, PartySociety, PartyOrganisation}, p.Kind) {
			e.Add(ptr+"/kind", "is %q, want individual, group, society or organisation", p.Kind)
		}
	}
}

func (a *Assessment) validateImpacts(e *document.Error) {
	if len(a.Impacts) == 0 {
		e.Add("/impacts", "is required: list the actual and reasonably foreseeable impacts (ISO/IEC 42005 6.8)")
	}
	for i := range a.Impacts {
		im := &a.Impacts[i]
		ptr := document.Pointer("impacts", i)
		switch {
		case im.ID == "":
			e.Add(ptr+"/id", "is required")
		case !idRE.MatchString(im.ID):
			e.Add(ptr+"/id", "%q must be letters, digits, dots, underscores or hyphens", im.ID)
		case slices.IndexFunc(a.Impacts, func(o Impact) bool { return o.ID == im.ID }) < i:
			e.Add(ptr+"/id", "%q is also the id of another impact", im.ID)
		}
		required(e, ptr+"/description", im.Description)
		switch {
		case im.Area == AreaUnspecified:
			e.Add(ptr+"/area", "is required")
		case !slices.Contains(Areas(), im.Area):
			e.Add(ptr+"/area", "unknown impact area %q", im.Area)
		case im.Area == AreaFundamentalRights && len(im.Charter) == 0:
			e.Add(ptr+"/charter", "is required for a fundamental-rights impact: name the EU Charter articles concerned")
		}
		for j, art := range im.Charter {
			if art < 1 || art > maxCharter {
				e.Add(document.Pointer("impacts", i, "charter", j), "%d is not an article of the EU Charter of Fundamental Rights that states a right (1 to %d)", art, maxCharter)
			}
		}
		if im.Effect != EffectBenefit && im.Effect != EffectHarm {
			e.Add(ptr+"/effect", "is %q, want benefit or harm", im.Effect)
		}
		if len(im.Affected) == 0 {
			e.Add(ptr+"/affected", "is required: name the affected interested parties")
		}
		for j, name := range im.Affected {
			if !slices.ContainsFunc(a.Parties, func(p Party) bool { return p.Name == name }) {
				e.Add(document.Pointer("impacts", i, "affected", j), "%q is not one of the parties", name)
			}
		}
		checkEnum(e, ptr+"/severity", im.Severity, Severities())
		checkEnum(e, ptr+"/likelihood", im.Likelihood, Likelihoods())
		checkEnum(e, ptr+"/scale", im.Scale, []Scale{ScaleIndividual, ScaleGroup, ScaleWidespread})
		checkEnum(e, ptr+"/reversibility", im.Reversibility, []Reversibility{Reversible, HardToReverse, Irreversible})
		checkEnum(e, ptr+"/duration", im.Duration, []Duration{DurationTemporary, DurationLongTerm, DurationPermanent})
		if im.Effect == EffectHarm && im.Severity.Rank() >= SeverityMedium.Rank() && len(im.Measures) == 0 {
			e.Add(ptr+"/measures", "is required for a harm of %s severity: record the measures that address it (ISO/IEC 42005 6.9)", im.Severity)
		}
		if r := im.Residual; r != nil {
			checkEnum(e, ptr+"/residual/severity", r.Severity, Severities())
			checkEnum(e, ptr+"/residual/likelihood", r.Likelihood, Likelihoods())
			if im.Effect == EffectHarm && r.Severity.Rank() > im.Severity.Rank() && im.Severity.Rank() > 0 {
				e.Add(ptr+"/residual/severity", "%s is above the severity before measures (%s)", r.Severity, im.Severity)
			}
		}
	}
}

func checkEnum[T ~string](e *document.Error, ptr string, v T, allowed []T) {
	switch {
	case v == "":
		e.Add(ptr, "is required")
	case !slices.Contains(allowed, v):
		want := make([]string, len(allowed))
		for i, a := range allowed {
			want[i] = string(a)
		}
		e.Add(ptr, "is %q, want one of %s", v, strings.Join(want, ", "))
	}
}

func (a *Assessment) validateThresholds(e *document.Error) {
	t := a.Thresholds
	checkEnum(e, "/thresholds/sensitive", t.Sensitive, Levels())
	if t.Restricted != LevelUnspecified {
		switch {
		case t.Restricted.Rank() == 0:
			checkEnum(e, "/thresholds/restricted", t.Restricted, Levels())
		case t.Sensitive.Rank() > 0 && t.Restricted.Rank() <= t.Sensitive.Rank():
			e.Add("/thresholds/restricted", "%s is not above the sensitive threshold %s", t.Restricted, t.Sensitive)
		}
	}
	if t.Designation != UseUnspecified {
		checkEnum(e, "/thresholds/designation", t.Designation, []Use{UseStandard, UseSensitive, UseRestricted})
	}
}

func (a *Assessment) validateFRIA(e *document.Error) {
	f := a.FRIA
	const art = "(EU AI Act Art. 27(1)"
	required(e, "/fria/processes", f.Processes)
	required(e, "/fria/period", f.Period)
	required(e, "/fria/frequency", f.Frequency)
	if len(f.Persons) == 0 {
		e.Add("/fria/persons", "is required: the categories of persons and groups likely to be affected %s(c))", art)
	}
	if len(f.Harms) == 0 {
		e.Add("/fria/harms", "is required: the ids of the impacts that are specific risks of harm %s(d))", art)
	}
	for i, id := range f.Harms {
		j := slices.IndexFunc(a.Impacts, func(im Impact) bool { return im.ID == id })
		switch {
		case j < 0:
			e.Add(document.Pointer("fria", "harms", i), "%q is not the id of an impact", id)
		case a.Impacts[j].Effect != EffectHarm:
			e.Add(document.Pointer("fria", "harms", i), "%q is not a harm (its effect is %q)", id, a.Impacts[j].Effect)
		}
	}
	if len(f.Oversight) == 0 {
		e.Add("/fria/oversight", "is required: the human-oversight measures %s(e))", art)
	}
	if len(f.Measures) == 0 {
		e.Add("/fria/measures", "is required: the measures to take if the risks materialise %s(f))", art)
	}
	required(e, "/fria/governance", f.Governance)
	required(e, "/fria/complaints", f.Complaints)
	if !f.Notified.IsZero() && !a.Date.IsZero() && f.Notified.Before(a.Date) {
		e.Add("/fria/notified", "%s is before the assessment date %s", f.Notified, a.Date)
	}
}

func (a *Assessment) validateReview(e *document.Error) {
	r := a.Review
	if len(r.Triggers) == 0 {
		e.Add("/review/triggers", "is required: the events on which the assessment is reviewed (ISO/IEC 42001 8.4)")
	}
	for i, t := range r.Triggers {
		ptr := document.Pointer("review", "triggers", i)
		switch {
		case !slices.Contains(Triggers(), t):
			e.Add(ptr, "unknown review trigger %q", t)
		case slices.Index(r.Triggers, t) < i:
			e.Add(ptr, "%q is listed twice", t)
		}
	}
	periodic := slices.Contains(r.Triggers, TriggerPeriodic)
	switch {
	case r.IntervalMonths < 0:
		e.Add("/review/intervalMonths", "must not be negative")
	case periodic && r.IntervalMonths == 0:
		e.Add("/review/intervalMonths", "is required for the periodic trigger")
	}
	switch {
	case r.Next.IsZero():
		e.Add("/review/next", "is required: plan the next review (ISO/IEC 42001 8.4)")
	case a.Date.IsZero():
	case !r.Next.After(a.Date):
		e.Add("/review/next", "%s is not after the assessment date %s", r.Next, a.Date)
	case periodic && r.IntervalMonths > 0 && r.IntervalMonths <= maxIntervalMonths:
		limit := document.DateOf(a.Date.Time(nil).AddDate(0, r.IntervalMonths, 0))
		if r.Next.After(limit) {
			e.Add("/review/next", "%s is more than %d months after the assessment date %s", r.Next, r.IntervalMonths, a.Date)
		}
	}
	if r.IntervalMonths > maxIntervalMonths {
		e.Add("/review/intervalMonths", "%d is more than %d months", r.IntervalMonths, maxIntervalMonths)
	}
}

// maxIntervalMonths bounds the planned review interval (five years).
const maxIntervalMonths = 60

// ValidateFor checks a against the inventory entry of the system it
// assesses and reports every problem as a [*document.Error] with JSON
// pointers relative to the assessment: sys must be the system a assesses
// (a problem at /system otherwise, and when sys is nil). It is meant for
// cross-document checks after [Assessment.Validate].
//
// What the assessment must hold only before the system's first use, such
// as the FRIA elements, is not checked here but by
// [Assessment.ValidateBeforeUse]: an assessment without them yet is work
// in progress, not an invalid document.
func (a *Assessment) ValidateFor(sys *inventory.System) error {
	var e document.Error
	if sys == nil {
		e.Add("/system", "AI system %s is not in the inventory", a.System)
		return e.Err()
	}
	if sys.ID != a.System {
		e.Add("/system", "is %s, but was checked against AI system %s (%s)", a.System, sys.ID, sys.Name)
	}
	return e.Err()
}

// ValidateBeforeUse reports, as a [*document.Error] with JSON pointers
// relative to the assessment, what a must still hold before the first use
// of sys, the system it assesses: when the system's classification and
// the organisation's operator roles require a fundamental rights impact
// assessment (EU AI Act Art. 27; [inventory.Obligations.FRIARequired]),
// the FRIA elements (a problem at /fria) and at least one
// fundamental-rights impact (a problem at /impacts). It returns nil when
// nothing is missing or sys is nil. [Assessment.Validate] checks the FRIA
// elements themselves when they are present.
//
// Art. 27 asks for the FRIA before first use, so its absence is normal
// while the system is designed: aimskit's loader reports it as a note for
// a system not yet deployed, and the deployment gate's fria-complete
// check denies until it is complete.
func (a *Assessment) ValidateBeforeUse(sys *inventory.System) error {
	if sys == nil || !sys.Obligations().FRIARequired {
		return nil
	}
	var e document.Error
	why := friaReason(sys)
	if a.FRIA == nil {
		e.Add("/fria", "is required: %s must carry out a fundamental rights impact assessment before first use (EU AI Act Art. 27)", why)
	}
	if !slices.ContainsFunc(a.Impacts, func(im Impact) bool { return im.Area == AreaFundamentalRights }) {
		e.Add("/impacts", "records no fundamental-rights impact, but %s owes a fundamental rights impact assessment (EU AI Act Art. 27)", why)
	}
	return e.Err()
}

// friaReason says why a system's deployer owes an FRIA.
func friaReason(sys *inventory.System) string {
	c := sys.Classified()
	switch {
	case c.AnnexIII == "5(b)" || c.AnnexIII == "5(c)":
		return fmt.Sprintf("the deployer of an Annex III %s system", c.AnnexIII)
	case c.PublicAuthority:
		return "a public-authority deployer of an Annex III system"
	case c.PublicService:
		return "a deployer providing public services with an Annex III system"
	}
	return "the deployer"
}
