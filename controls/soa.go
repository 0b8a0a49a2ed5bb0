package controls

import (
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
)

// KindStatementOfApplicability is the document kind of a
// [StatementOfApplicability].
const KindStatementOfApplicability = "StatementOfApplicability"

// StatementOfApplicability is the Statement of Applicability (SoA) that
// ISO/IEC 42001 clause 6.1.3 (f) asks for: document kind
// "StatementOfApplicability". It holds one [Entry] for each of the 38
// Annex A controls and for each control the organisation defines in
// OrganizationControls, saying whether the control is applicable or
// excluded and why, how far it is implemented, who owns it and what
// evidence shows it.
//
// The zero value is an empty statement; [StatementOfApplicability.Validate]
// reports what is missing, and [NewStatementOfApplicability] returns a
// draft with one entry per control. A StatementOfApplicability is a plain
// value: it is not safe for concurrent mutation, and
// [StatementOfApplicability.Clone] gives an independent copy.
type StatementOfApplicability struct {
	document.Header

	// ID identifies the statement across all documents.
	ID uuid.UUID `json:"id"`
	// Version is the version of the statement, e.g. "3" or "2026.1".
	Version string `json:"version"`
	// Approval records who approved this version, and when. It is the zero
	// value for a draft.
	Approval document.Approval `json:"approval,omitzero"`
	// LastReviewed is the date of the last review of the statement.
	LastReviewed document.Date `json:"lastReviewed,omitzero"`
	// OrganizationControls are the controls the organisation defines in
	// addition to Annex A (ISO/IEC 42001 6.1.3 d). Their ids must not use
	// the [NamespaceISO42001] namespace; each needs an entry.
	OrganizationControls []Control `json:"organizationControls,omitempty"`
	// Entries holds one entry per Annex A control and per organisation
	// control.
	Entries []Entry `json:"entries"`
}

// Entry is the decision about one control in a [StatementOfApplicability].
// The zero value is an undecided entry for no control; it does not
// validate.
type Entry struct {
	// Control is the control the entry is about, e.g. "iso42001:A.7.4".
	Control ID `json:"control"`
	// Applicability says whether the control is applicable or excluded.
	Applicability Applicability `json:"applicability"`
	// Justification says why the control is included or excluded. It is
	// required both ways.
	Justification Justification `json:"justification,omitzero"`
	// Status is how far the control is implemented. It is required for an
	// applicable control.
	Status Status `json:"status,omitempty"`
	// Owner names who is responsible for the control. It is required for an
	// applicable control.
	Owner string `json:"owner,omitempty"`
	// Evidence lists the documented information that shows the control is
	// in place.
	Evidence []Evidence `json:"evidence,omitempty"`
	// Systems names the AI systems of the inventory (by id) that the
	// decision is about, for a decision stated per AI system. Empty means
	// every AI system in the scope of the AI management system.
	Systems []uuid.UUID `json:"systems,omitempty"`
}

// Applicability says whether a control is applicable or excluded. The zero
// value, [ApplicabilityUnspecified], means not yet decided.
type Applicability string

// Applicability values.
const (
	ApplicabilityUnspecified Applicability = ""
	Applicable               Applicability = "applicable"
	Excluded                 Applicability = "excluded"
)

// Justification says why a control is included in or excluded from the
// statement. An applicable control needs at least one inclusion driver
// (Risks, Obligations or BestPractice); an excluded control needs a Ground
// and no inclusion driver. The zero value is no justification.
type Justification struct {
	// Risks are the ids of the risks whose treatment needs the control.
	Risks []string `json:"risks,omitempty"`
	// Obligations name legal, regulatory or contractual obligations that
	// need the control, e.g. "EU AI Act Art. 12".
	Obligations []string `json:"obligations,omitempty"`
	// BestPractice reports whether the control is included as good
	// practice, without a risk or an obligation that needs it.
	BestPractice bool `json:"bestPractice,omitempty"`
	// Ground is why an excluded control is excluded.
	Ground Ground `json:"ground,omitempty"`
	// Text explains the decision in words. It is required when Ground is
	// [GroundOther].
	Text string `json:"text,omitempty"`
}

// IsZero reports whether no justification is given.
func (j Justification) IsZero() bool {
	return len(j.Risks) == 0 && len(j.Obligations) == 0 && !j.BestPractice && j.Ground == GroundUnspecified && j.Text == ""
}

// String describes the justification in sentences for a reader, as the
// Statement of Applicability shows it: "Risk treatment: .",
// "Obligations: EU AI Act Art. 12.", "Best practice.", the ground of an
// exclusion (e.g. "Not required by the risk assessment."), then the text.
// It returns "" for the zero value.
func (j Justification) String() string {
	var parts []string
	if len(j.Risks) > 0 {
		parts = append(parts, "Risk treatment: "+strings.Join(j.Risks, ", ")+".")
	}
	if len(j.Obligations) > 0 {
		parts = append(parts, "Obligations: "+strings.Join(j.Obligations, "; ")+".")
	}
	if j.BestPractice {
		parts = append(parts, "Best practice.")
	}
	switch j.Ground {
	case GroundUnspecified:
	case GroundNotRequiredByRiskAssessment:
		parts = append(parts, "Not required by the risk assessment.")
	case GroundNotRequiredByExternalRequirements:
		parts = append(parts, "Not required by external requirements.")
	case GroundOther:
		parts = append(parts, "Other grounds.")
	default:
		parts = append(parts, "Ground: "+string(j.Ground)+".")
	}
	if t := strings.TrimSpace(j.Text); t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}

func (j Justification) hasDriver() bool {
	return len(j.Risks) > 0 || len(j.Obligations) > 0 || j.BestPractice
}

// Ground is why a control is excluded (ISO/IEC 42001 6.1.3). The zero
// value, [GroundUnspecified], means no ground is given.
type Ground string

// Grounds for excluding a control.
const (
	GroundUnspecified Ground = ""
	// GroundNotRequiredByRiskAssessment: the risk assessment shows the
	// control is not needed.
	GroundNotRequiredByRiskAssessment Ground = "not-required-by-risk-assessment"
	// GroundNotRequiredByExternalRequirements: no applicable external
	// requirement (law, regulation, contract) asks for it, or one grants an
	// exception.
	GroundNotRequiredByExternalRequirements Ground = "not-required-by-external-requirements"
	// GroundOther: another reason, given in [Justification.Text].
	GroundOther Ground = "other"
)

// Status is how far a control is implemented. The zero value,
// [StatusUnspecified], means no status is given.
type Status string

// Implementation statuses.
const (
	StatusUnspecified    Status = ""
	StatusPlanned        Status = "planned"
	StatusPartial        Status = "partial"
	StatusImplemented    Status = "implemented"
	StatusNotImplemented Status = "not-implemented"
)

// Evidence refers to documented information that shows a control is in
// place. Ref and Effective are required.
type Evidence struct {
	// Ref locates the evidence: a URL, a path in the repository, or the id
	// of a document or evidence record.
	Ref string `json:"ref"`
	// Effective is the date from which the evidence applies.
	Effective document.Date `json:"effective,omitzero"`
	// Description says in a few words what the evidence is.
	Description string `json:"description,omitempty"`
}

// NewStatementOfApplicability returns a draft statement with the given id,
// declaring the given organisation controls, and with one entry per Annex A
// control and per organisation control, in catalogue order. The entries
// name their control and nothing else: the draft does not validate until
// every entry is decided and justified, which is the point of a template.
// NewStatementOfApplicability copies org.
func NewStatementOfApplicability(id uuid.UUID, org []Control) *StatementOfApplicability {
	s := &StatementOfApplicability{
		Header:               document.Header{APIVersion: document.APIVersion, Kind: KindStatementOfApplicability},
		ID:                   id,
		OrganizationControls: slices.Clone(org),
	}
	for _, c := range annexA {
		s.Entries = append(s.Entries, Entry{Control: c.ID})
	}
	for _, c := range org {
		s.Entries = append(s.Entries, Entry{Control: c.ID})
	}
	return s
}

// Catalog returns the [ISO42001] catalogue with the statement's
// organisation controls added (see [NewCatalog]), and the problems with
// those controls, with pointers relative to the document.
func (s *StatementOfApplicability) Catalog() (*Catalog, error) {
	return newCatalog(s.OrganizationControls, "/organizationControls")
}

// Entry returns a copy of the entry for the control id, and whether there
// is one. When a control has several entries (an invalid statement) it
// returns the first.
func (s *StatementOfApplicability) Entry(id ID) (Entry, bool) {
	for _, e := range s.Entries {
		if e.Control == id {
			return e.clone(), true
		}
	}
	return Entry{}, false
}

// Validate reports every problem with s as a [*document.Error], with JSON
// pointers relative to the document. It checks that:
//
//   - id and version are set, and an approval names both approver and date;
//   - organisation controls are valid (see [NewCatalog]);
//   - every Annex A control and every organisation control has exactly one
//     entry: a missing control is reported at "/entries" with its id, e.g.
//     iso42001:A.7.4; a duplicate or an unknown control at the entry;
//   - every entry is applicable or excluded, with a justification that fits
//     (see [Justification]); an applicable control also has a status and an
//     owner;
//   - evidence has a reference and an effective date, and AI system ids
//     are set and not repeated.
//
// Every message about an entry names its control. An applicable control
// marked implemented without evidence is not an error but a warning: see
// [StatementOfApplicability.Warnings].
func (s *StatementOfApplicability) Validate() error {
	var e document.Error
	if s.Kind != "" && s.Kind != KindStatementOfApplicability {
		e.Add("/kind", "is %q, want %q", s.Kind, KindStatementOfApplicability)
	}
	if s.ID == uuid.Nil {
		e.Add("/id", "is required")
	}
	if strings.TrimSpace(s.Version) == "" {
		e.Add("/version", "is required")
	}
	if !s.Approval.IsZero() {
		if strings.TrimSpace(s.Approval.Approver) == "" {
			e.Add("/approval/approver", "is required when the statement is approved")
		}
		if s.Approval.Date.IsZero() {
			e.Add("/approval/date", "is required when the statement is approved")
		}
	}
	e.Merge("", validateOrg(s.OrganizationControls, "/organizationControls"))
	declared := make(map[ID]bool, len(s.OrganizationControls))
	for _, c := range s.OrganizationControls {
		declared[c.ID] = true
	}
	first := make(map[ID]int, len(s.Entries))
	for i, en := range s.Entries {
		ptr := document.Pointer("entries", i)
		id := en.Control
		switch {
		case !validID(string(id)):
			e.Add(ptr+"/control", "%q is not a control id (want namespace:ref, e.g. iso42001:A.7.4)", id)
		case id.Namespace() == NamespaceISO42001:
			if annexAIndex(id) < 0 {
				if isClause(id) {
					e.Add(ptr+"/control", "%s is a clause of ISO/IEC 42001, not an Annex A control", id)
				} else {
					e.Add(ptr+"/control", "%s is not an Annex A control", id)
				}
			}
		case !declared[id]:
			e.Add(ptr+"/control", "%s is not an Annex A control and is not declared in /organizationControls", id)
		}
		if j, dup := first[id]; dup {
			e.Add(ptr+"/control", "%s has more than one entry (first at %s)", id, document.Pointer("entries", j))
		} else {
			first[id] = i
		}
		en.validate(&e, ptr)
	}
	for _, c := range annexA {
		if _, ok := first[c.ID]; !ok {
			e.Add("/entries", "%s (%s) has no entry: every Annex A control needs one, applicable or excluded", c.ID, c.Title)
		}
	}
	for i, c := range s.OrganizationControls {
		if _, ok := first[c.ID]; !ok && validID(string(c.ID)) {
			e.Add("/entries", "organisation control %s (declared at %s) has no entry", c.ID, document.Pointer("organizationControls", i))
			first[c.ID] = -1 // report a control declared twice once
		}
	}
	return e.Err()
}

func (en *Entry) validate(e *document.Error, ptr string) {
	id := en.Control
	j := en.Justification
	jptr := ptr + "/justification"
	switch en.Applicability {
	case Applicable:
		if !j.hasDriver() {
			e.Add(jptr, "%s is applicable without justification: name the risks it treats, the obligations that need it, or mark it bestPractice", id)
		}
		if j.Ground != GroundUnspecified {
			e.Add(jptr+"/ground", "%s is applicable; an exclusion ground applies only to excluded controls", id)
		}
		if en.Status == StatusUnspecified {
			e.Add(ptr+"/status", "is required for applicable control %s (planned, partial, implemented or not-implemented)", id)
		}
		if strings.TrimSpace(en.Owner) == "" {
			e.Add(ptr+"/owner", "is required for applicable control %s", id)
		}
	case Excluded:
		switch {
		case j.IsZero():
			e.Add(jptr, "%s is excluded without justification: give a ground (not-required-by-risk-assessment, not-required-by-external-requirements or other)", id)
		case j.Ground == GroundUnspecified:
			e.Add(jptr+"/ground", "%s is excluded without a ground (not-required-by-risk-assessment, not-required-by-external-requirements or other)", id)
		case j.Ground == GroundOther && strings.TrimSpace(j.Text) == "":
			e.Add(jptr+"/text", "%s is excluded on other grounds: explain them in text", id)
		}
		if len(j.Risks) > 0 {
			e.Add(jptr+"/risks", "%s is excluded but names risks that need it", id)
		}
		if len(j.Obligations) > 0 {
			e.Add(jptr+"/obligations", "%s is excluded but names obligations that need it", id)
		}
		if j.BestPractice {
			e.Add(jptr+"/bestPractice", "%s is excluded but marked best practice", id)
		}
	case ApplicabilityUnspecified:
		e.Add(ptr+"/applicability", "is required for %s: applicable or excluded", id)
	default:
		e.Add(ptr+"/applicability", "is %q for %s, want applicable or excluded", en.Applicability, id)
	}
	switch j.Ground {
	case GroundUnspecified, GroundNotRequiredByRiskAssessment, GroundNotRequiredByExternalRequirements, GroundOther:
	default:
		e.Add(jptr+"/ground", "unknown ground %q for %s", j.Ground, id)
	}
	for k, r := range j.Risks {
		if strings.TrimSpace(r) == "" {
			e.Add(jptr+document.Pointer("risks", k), "is empty (%s)", id)
		}
	}
	for k, o := range j.Obligations {
		if strings.TrimSpace(o) == "" {
			e.Add(jptr+document.Pointer("obligations", k), "is empty (%s)", id)
		}
	}
	switch en.Status {
	case StatusUnspecified, StatusPlanned, StatusPartial, StatusImplemented, StatusNotImplemented:
	default:
		e.Add(ptr+"/status", "unknown status %q for %s", en.Status, id)
	}
	for k, ev := range en.Evidence {
		eptr := ptr + document.Pointer("evidence", k)
		if strings.TrimSpace(ev.Ref) == "" {
			e.Add(eptr+"/ref", "is required (%s)", id)
		}
		if ev.Effective.IsZero() {
			e.Add(eptr+"/effective", "is required: the date from which the evidence for %s applies", id)
		}
	}
	seen := make(map[uuid.UUID]int, len(en.Systems))
	for k, sys := range en.Systems {
		sptr := ptr + document.Pointer("systems", k)
		if sys == uuid.Nil {
			e.Add(sptr, "is the nil UUID (%s)", id)
			continue
		}
		if f, dup := seen[sys]; dup {
			e.Add(sptr, "AI system %s is listed twice for %s (first at %s)", sys, id, ptr+document.Pointer("systems", f))
			continue
		}
		seen[sys] = k
	}
}

// Warnings returns the problems with s that do not make it invalid but that
// an auditor will ask about: an applicable control marked implemented with
// no evidence. Pointers are relative to the document. It returns nil when
// there are none.
func (s *StatementOfApplicability) Warnings() []document.Problem {
	var out []document.Problem
	for i, en := range s.Entries {
		if en.Applicability == Applicable && en.Status == StatusImplemented && len(en.Evidence) == 0 {
			out = append(out, document.Problem{
				Pointer: document.Pointer("entries", i, "evidence"),
				Message: en.Control.String() + " is implemented but no evidence is referenced",
			})
		}
	}
	return out
}

// CheckTreatments checks s against the risk treatments: named maps each
// control that a risk treatment relies on to the ids of the risks whose
// treatment names it. A control named by a treatment must have an entry in
// s and must not be excluded there; each violation is a problem, reported
// in one [*document.Error] with pointers relative to s. It returns nil when
// s is consistent with the treatments. Controls are checked in id order.
func (s *StatementOfApplicability) CheckTreatments(named map[ID][]string) error {
	ids := make([]ID, 0, len(named))
	for id := range named {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var e document.Error
	for _, id := range ids {
		by := treatmentOf(named[id])
		i := slices.IndexFunc(s.Entries, func(en Entry) bool { return en.Control == id })
		switch {
		case i < 0:
			e.Add("/entries", "%s has no entry, but %s relies on it", id, by)
		case s.Entries[i].Applicability == Excluded:
			e.Add(document.Pointer("entries", i, "applicability"), "%s is excluded, but %s relies on it", id, by)
		}
	}
	return e.Err()
}

// treatmentOf describes the treatments of the given risks for a message.
func treatmentOf(risks []string) string {
	switch len(risks) {
	case 0:
		return "a risk treatment"
	case 1:
		return "the treatment of risk " + risks[0]
	}
	return "the treatment of risks " + strings.Join(risks, ", ")
}

// Clone returns a deep copy of s.
func (s *StatementOfApplicability) Clone() *StatementOfApplicability {
	if s == nil {
		return nil
	}
	c := *s
	c.OrganizationControls = slices.Clone(s.OrganizationControls)
	if s.Entries != nil {
		c.Entries = make([]Entry, len(s.Entries))
		for i, en := range s.Entries {
			c.Entries[i] = en.clone()
		}
	}
	return &c
}

func (en Entry) clone() Entry {
	en.Justification.Risks = slices.Clone(en.Justification.Risks)
	en.Justification.Obligations = slices.Clone(en.Justification.Obligations)
	en.Evidence = slices.Clone(en.Evidence)
	en.Systems = slices.Clone(en.Systems)
	return en
}
