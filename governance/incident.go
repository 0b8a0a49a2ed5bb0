package governance

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
)

// KindIncident is the document kind of an [Incident].
const KindIncident = "Incident"

// Incident is the record of one incident with an AI system: document kind
// "Incident". It serves the communication of incidents to interested
// parties (ISO/IEC 42001 A.8.4), the nonconformity and corrective action
// that follow (10.2), and the reporting of serious incidents to the market
// surveillance authority (EU AI Act Art. 73, with the incident types of
// Art. 3(49)).
//
// [Incident.Deadline] computes the reporting deadline and
// [Incident.Overdue] whether it was missed.
//
// The zero value is an empty record; [Incident.Validate] reports what is
// missing. An Incident is a plain value: it is not safe for concurrent
// mutation, and [Incident.Clone] gives an independent copy.
type Incident struct {
	document.Header

	// ID identifies the incident, e.g. "inc-2026-007".
	ID string `json:"id"`
	// System is the AI system concerned.
	System uuid.UUID `json:"system"`
	// Title names the incident in a line.
	Title string `json:"title"`
	// Description says what happened.
	Description string `json:"description"`
	// Type classifies the incident (EU AI Act Art. 3(49)).
	Type IncidentType `json:"type"`
	// Death reports whether the incident caused, or may have caused, the
	// death of a person; it shortens the reporting deadline to 10 days.
	Death bool `json:"death,omitempty"`
	// Aware is when the provider or deployer became aware of the incident;
	// reporting deadlines count from it.
	Aware time.Time `json:"aware"`
	// CausalLink is when a causal link between the AI system and the
	// incident, or its reasonable likelihood, was established; zero while
	// not established. It may not be before Aware.
	CausalLink time.Time `json:"causalLink,omitzero"`
	// Status is where the handling of the incident stands.
	Status IncidentStatus `json:"status"`
	// Reports are the reports sent to authorities, in any order.
	Reports []IncidentReport `json:"reports,omitempty"`
	// Nonconformity is the id of the [Nonconformity] that handles the
	// incident (10.2), if any.
	Nonconformity string `json:"nonconformity,omitempty"`
	// CorrectiveAction says what is done to remove the cause. It is
	// required once the incident is closed.
	CorrectiveAction string `json:"correctiveAction,omitempty"`
	// Communications record what was communicated to interested parties
	// (A.8.4).
	Communications []IncidentCommunication `json:"communications,omitempty"`
	// Suspend reports whether the AI system is to be suspended while the
	// incident is open, as the organisation's policy requires for the
	// incident.
	Suspend bool `json:"suspend,omitempty"`
}

// IncidentType classifies an incident after EU AI Act Art. 3(49). Every
// type but [IncidentNotSerious] is a serious incident that Art. 73 requires
// to be reported. The zero value is [IncidentTypeUnspecified].
type IncidentType string

// Incident types.
const (
	IncidentTypeUnspecified IncidentType = ""
	// IncidentDeathOrHarmToHealth: death of a person or serious harm to a
	// person's health, Art. 3(49)(a).
	IncidentDeathOrHarmToHealth IncidentType = "death-or-serious-harm-to-health"
	// IncidentCriticalInfrastructure: serious and irreversible disruption of
	// the management or operation of critical infrastructure, Art. 3(49)(b).
	IncidentCriticalInfrastructure IncidentType = "critical-infrastructure-disruption"
	// IncidentFundamentalRights: infringement of obligations under Union law
	// intended to protect fundamental rights, Art. 3(49)(c).
	IncidentFundamentalRights IncidentType = "fundamental-rights-infringement"
	// IncidentPropertyOrEnvironment: serious harm to property or the
	// environment, Art. 3(49)(d).
	IncidentPropertyOrEnvironment IncidentType = "property-or-environment-harm"
	// IncidentWidespreadInfringement: a widespread infringement (Art. 73(3)).
	IncidentWidespreadInfringement IncidentType = "widespread-infringement"
	// IncidentNotSerious: an incident that is not a serious incident; it
	// has no reporting deadline.
	IncidentNotSerious IncidentType = "not-serious"
)

// Serious reports whether t is a serious incident type, one that Art. 73
// requires to be reported.
func (t IncidentType) Serious() bool {
	switch t {
	case IncidentDeathOrHarmToHealth, IncidentCriticalInfrastructure, IncidentFundamentalRights,
		IncidentPropertyOrEnvironment, IncidentWidespreadInfringement:
		return true
	}
	return false
}

// IncidentStatus is where the handling of an incident stands.
// The zero value is [IncidentStatusUnspecified].
type IncidentStatus string

// Incident statuses, in the order they are normally reached.
const (
	IncidentStatusUnspecified IncidentStatus = ""
	// IncidentDetected: the incident is known and no report is sent yet.
	IncidentDetected IncidentStatus = "detected"
	// IncidentInitialReportSent: an initial, possibly incomplete, report is
	// sent (Art. 73(5)).
	IncidentInitialReportSent IncidentStatus = "initial-report-sent"
	// IncidentCompleteReportSent: the complete report is sent.
	IncidentCompleteReportSent IncidentStatus = "complete-report-sent"
	// IncidentClosed: the incident is closed.
	IncidentClosed IncidentStatus = "closed"
)

// ReportKind says whether a report is the initial or the complete one.
// The zero value is [ReportKindUnspecified].
type ReportKind string

// Report kinds.
const (
	ReportKindUnspecified ReportKind = ""
	ReportInitial         ReportKind = "initial"  // an initial report, which may be incomplete
	ReportComplete        ReportKind = "complete" // the complete report
)

// IncidentReport is one report of an incident to an authority.
//
// The zero value is an empty report. It is a plain value, safe to copy.
type IncidentReport struct {
	// Date is when the report was sent.
	Date time.Time `json:"date"`
	// Kind says whether it is the initial or the complete report.
	Kind ReportKind `json:"kind"`
	// Authority is the authority reported to, e.g. the market surveillance
	// authority of the Member State where the incident happened.
	Authority string `json:"authority"`
	// Reference is the authority's or the sender's reference, if any.
	Reference string `json:"reference,omitempty"`
}

// IncidentCommunication records one communication about an incident to an
// interested party (ISO/IEC 42001 A.8.4).
//
// The zero value is empty. It is a plain value, safe to copy.
type IncidentCommunication struct {
	// Date is the day of the communication.
	Date document.Date `json:"date,omitzero"`
	// To is the interested party informed, e.g. "Affected loan applicants".
	To string `json:"to"`
	// Channel is how, e.g. "e-mail", "customer portal".
	Channel string `json:"channel"`
	// Summary says what was communicated.
	Summary string `json:"summary"`
}

// Reporting deadlines of EU AI Act Art. 73, counted from awareness.
const (
	deadlineGeneral        = 15 * 24 * time.Hour // Art. 73(2)
	deadlineInfrastructure = 2 * 24 * time.Hour  // Art. 73(3): type (b) or a widespread infringement
	deadlineDeath          = 10 * 24 * time.Hour // Art. 73(4)
)

// Deadline returns the latest time by which a report of i is due under EU
// AI Act Art. 73, and whether there is one. The deadline counts from
// Aware, in whole days of 24 hours:
//
//   - 2 days for a serious disruption of critical infrastructure (type
//     (b)) or a widespread infringement (Art. 73(3));
//   - otherwise 10 days when Death is set (Art. 73(4));
//   - otherwise 15 days for any other serious incident (Art. 73(2)).
//
// When several rules apply the shortest deadline wins. An incident that is
// not serious, or whose type or awareness time is not set, has no
// deadline. Art. 73 also requires a report immediately once a causal link
// is established; that obligation has no fixed time and is not computed.
func (i *Incident) Deadline() (time.Time, bool) {
	if !i.Type.Serious() || i.Aware.IsZero() {
		return time.Time{}, false
	}
	d := deadlineGeneral
	if i.Death {
		d = deadlineDeath
	}
	if i.Type == IncidentCriticalInfrastructure || i.Type == IncidentWidespreadInfringement {
		d = deadlineInfrastructure
	}
	return i.Aware.Add(d), true
}

// Overdue reports whether the reporting deadline of i ([Incident.Deadline])
// has passed at now without a report, initial or complete, sent by the
// deadline. The deadline itself is not overdue. A report sent late does
// not cure the breach: Overdue stays true. An incident without a deadline
// is never overdue.
func (i *Incident) Overdue(now time.Time) bool {
	due, ok := i.Deadline()
	if !ok || !now.After(due) {
		return false
	}
	for _, r := range i.Reports {
		if !r.Date.IsZero() && !r.Date.After(due) {
			return false
		}
	}
	return true
}

// Validate reports every problem with i as a [*document.Error], with JSON
// pointers relative to the document. Beyond required fields and enum
// values it checks:
//
//   - Death goes only with a serious incident type;
//   - the causal link is not established before awareness;
//   - the status agrees with the reports: detected has none,
//     initial-report-sent has an initial report, complete-report-sent has
//     a complete one, and a serious incident is closed only with a
//     complete report;
//   - a closed incident records its corrective action (10.2);
//   - reports are sent, and communications made, no earlier than
//     awareness (communications compare days);
//   - the nonconformity, if named, has a well-formed id.
//
// Whether the system and the nonconformity exist is for a loader, which
// sees the other documents.
func (i *Incident) Validate() error {
	var e document.Error
	if i.Kind != "" && i.Kind != KindIncident {
		e.Add("/kind", "is %q, want %q", i.Kind, KindIncident)
	}
	recCheckID(&e, "/id", i.ID)
	if i.System == uuid.Nil {
		e.Add("/system", "is required: name the AI system concerned")
	}
	recRequire(&e, "/title", i.Title, "")
	recRequire(&e, "/description", i.Description, "say what happened")
	switch {
	case i.Type == IncidentTypeUnspecified:
		e.Add("/type", "is required (a serious incident type of EU AI Act Art. 3(49), widespread-infringement or not-serious)")
	case !i.Type.Serious() && i.Type != IncidentNotSerious:
		e.Add("/type", "unknown incident type %q (want death-or-serious-harm-to-health, critical-infrastructure-disruption, fundamental-rights-infringement, property-or-environment-harm, widespread-infringement or not-serious)", i.Type)
	case i.Death && !i.Type.Serious():
		e.Add("/death", "is true, but the type is %s: a death is a serious incident (Art. 3(49)(a))", i.Type)
	}
	if i.Aware.IsZero() {
		e.Add("/aware", "is required: record when the incident became known; reporting deadlines count from it")
	}
	if !i.CausalLink.IsZero() && !i.Aware.IsZero() && i.CausalLink.Before(i.Aware) {
		e.Add("/causalLink", "is %s, before awareness at %s", i.CausalLink.Format(time.RFC3339), i.Aware.Format(time.RFC3339))
	}
	i.validateReports(&e)
	i.validateStatus(&e)
	if i.Nonconformity != "" {
		recCheckID(&e, "/nonconformity", i.Nonconformity)
	}
	if i.Status == IncidentClosed {
		recRequire(&e, "/correctiveAction", i.CorrectiveAction, "record the corrective action before closing the incident (10.2)")
	}
	for k, c := range i.Communications {
		ptr := document.Pointer("communications", k)
		if c.Date.IsZero() {
			e.Add(ptr+"/date", "is required")
		} else if !i.Aware.IsZero() && c.Date.Before(document.DateOf(i.Aware)) {
			e.Add(ptr+"/date", "is %s, before awareness on %s", c.Date, document.DateOf(i.Aware))
		}
		recRequire(&e, ptr+"/to", c.To, "name the interested party informed (A.8.4)")
		recRequire(&e, ptr+"/channel", c.Channel, "")
		recRequire(&e, ptr+"/summary", c.Summary, "")
	}
	return e.Err()
}

func (i *Incident) validateReports(e *document.Error) {
	for k, r := range i.Reports {
		ptr := document.Pointer("reports", k)
		switch {
		case r.Date.IsZero():
			e.Add(ptr+"/date", "is required")
		case !i.Aware.IsZero() && r.Date.Before(i.Aware):
			e.Add(ptr+"/date", "is %s, before awareness at %s", r.Date.Format(time.RFC3339), i.Aware.Format(time.RFC3339))
		}
		switch r.Kind {
		case ReportInitial, ReportComplete:
		case ReportKindUnspecified:
			e.Add(ptr+"/kind", "is required (initial or complete)")
		default:
			e.Add(ptr+"/kind", "unknown report kind %q (want initial or complete)", r.Kind)
		}
		recRequire(e, ptr+"/authority", r.Authority, "name the authority reported to (Art. 73(1))")
	}
}

func (i *Incident) validateStatus(e *document.Error) {
	hasInitial := slices.ContainsFunc(i.Reports, func(r IncidentReport) bool { return r.Kind == ReportInitial })
	hasComplete := slices.ContainsFunc(i.Reports, func(r IncidentReport) bool { return r.Kind == ReportComplete })
	switch i.Status {
	case IncidentDetected:
		if len(i.Reports) > 0 {
			e.Add("/status", "is detected, but a report is recorded (want initial-report-sent or complete-report-sent)")
		}
	case IncidentInitialReportSent:
		switch {
		case hasComplete:
			e.Add("/status", "is initial-report-sent, but a complete report is recorded (want complete-report-sent)")
		case !hasInitial:
			e.Add("/reports", "is missing an initial report, which status initial-report-sent needs")
		}
	case IncidentCompleteReportSent:
		if !hasComplete {
			e.Add("/reports", "is missing a complete report, which status complete-report-sent needs")
		}
	case IncidentClosed:
		if i.Type.Serious() && !hasComplete {
			e.Add("/reports", "is missing a complete report: a serious incident is closed only once it is reported completely (Art. 73)")
		}
	case IncidentStatusUnspecified:
		e.Add("/status", "is required (detected, initial-report-sent, complete-report-sent or closed)")
	default:
		e.Add("/status", "unknown status %q (want detected, initial-report-sent, complete-report-sent or closed)", i.Status)
	}
}

// Clone returns a deep copy of i.
func (i *Incident) Clone() *Incident {
	if i == nil {
		return nil
	}
	c := *i
	c.Reports = slices.Clone(i.Reports)
	c.Communications = slices.Clone(i.Communications)
	return &c
}
