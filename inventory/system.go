package inventory

import (
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
)

// KindSystem is the document kind of a [System].
const KindSystem = "AISystem"

// System is one entry of the AI system inventory: document kind
// "AISystem". It records what the system is, who is accountable for it,
// what it is for, where it stands in its life cycle, which resources it
// uses, which third parties are involved, and how the EU AI Act classifies
// it.
//
// The zero value is an empty entry; [System.Validate] reports what is
// missing. A System is a plain value: it is not safe for concurrent
// mutation, and [System.Clone] gives an independent copy.
type System struct {
	document.Header

	// ID identifies the system across all documents.
	ID uuid.UUID `json:"id"`
	// Name is a short human name, unique within the inventory.
	Name string `json:"name"`
	// Version is the version of the system (not of its models).
	Version string `json:"version,omitempty"`
	// Description says in a few sentences what the system does.
	Description string `json:"description,omitempty"`
	// Labels are free key/value pairs used to filter and group systems.
	Labels map[string]string `json:"labels,omitempty"`

	// Accountability names who answers for the system (A.3.2).
	Accountability Accountability `json:"accountability"`
	// Purpose documents intended use and misuse (A.6.2.2, A.9.4).
	Purpose Purpose `json:"purpose"`
	// Lifecycle is the system's life-cycle stage and operational status.
	Lifecycle Lifecycle `json:"lifecycle"`
	// Resources lists models, data, tooling, compute and people (A.4).
	Resources Resources `json:"resources,omitzero"`
	// Parties lists suppliers, customers and partners and what each is
	// responsible for (A.10).
	Parties []Party `json:"parties,omitempty"`
	// Classification is the EU AI Act classification as stated in the
	// document. With Facts it is optional, and must agree with what the
	// facts derive; [System.Classified] returns the one that holds.
	Classification Classification `json:"classification,omitzero"`
	// Facts are the facts the EU AI Act classification is derived from
	// ([Classify]); nil when the classification is only stated.
	Facts *Facts `json:"facts,omitempty"`
	// RecordKeeping says how long the system's logs are kept (EU AI Act
	// Art. 19(1), 26(6)).
	RecordKeeping *RecordKeeping `json:"recordKeeping,omitempty"`
	// Monitoring holds the criteria for pausing the system in operation
	// (A.6.2.6; EU AI Act Art. 14 and 26(5)).
	Monitoring Monitoring `json:"monitoring,omitzero"`
}

// Monitoring holds the thresholds above which a running system is
// suspended.
type Monitoring struct {
	Thresholds []MetricThreshold `json:"thresholds,omitempty"`
}

// MetricThreshold suspends the system when the average of the latest
// Window reports of Metric exceeds Max.
type MetricThreshold struct {
	// Metric names the measure the application reports, e.g. "drift",
	// "error-rate", "override-rate" or "complaints".
	Metric string `json:"metric"`
	// Max is the highest average that does not suspend.
	Max float64 `json:"max"`
	// Window is the number of latest reports averaged; 0 means 1.
	Window int `json:"window,omitempty"`
}

// Accountability names the people who answer for a system and the roles
// the organisation plays toward it (ISO/IEC 42001 4.1 and A.3.2).
type Accountability struct {
	// BusinessOwner is accountable for the system's use and outcomes.
	BusinessOwner Person `json:"businessOwner"`
	// TechnicalLead is responsible for building and running it.
	TechnicalLead Person `json:"technicalLead"`
	// Roles are the organisation's ISO/IEC 22989 roles toward the system.
	Roles []Role `json:"roles,omitempty"`
	// OperatorRoles are the organisation's EU AI Act operator roles.
	OperatorRoles []OperatorRole `json:"operatorRoles,omitempty"`
}

// Person is a named accountable person or function.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Team  string `json:"team,omitempty"`
}

// IsZero reports whether no name is set.
func (p Person) IsZero() bool { return p.Name == "" }

// Role is an ISO/IEC 22989 AI stakeholder role of the organisation toward
// an AI system.
type Role string

// The ISO/IEC 22989 AI stakeholder roles.
const (
	RoleUnspecified       Role = ""
	RoleProvider          Role = "provider"
	RoleProducer          Role = "producer"
	RoleCustomer          Role = "customer"
	RolePartner           Role = "partner"
	RoleSubject           Role = "subject"
	RoleRelevantAuthority Role = "relevant-authority"
)

// OperatorRole is an EU AI Act operator role (Art. 3).
type OperatorRole string

// The EU AI Act operator roles.
const (
	OperatorUnspecified              OperatorRole = ""
	OperatorProvider                 OperatorRole = "provider"
	OperatorDeployer                 OperatorRole = "deployer"
	OperatorImporter                 OperatorRole = "importer"
	OperatorDistributor              OperatorRole = "distributor"
	OperatorAuthorisedRepresentative OperatorRole = "authorised-representative"
	OperatorProductManufacturer      OperatorRole = "product-manufacturer"
)

// Purpose documents what a system is meant for and how it may be misused
// (ISO/IEC 42001 A.6.2.2 and A.9.4; EU AI Act Art. 3(12) and 3(13)).
type Purpose struct {
	// Intended is the intended purpose.
	Intended string `json:"intended"`
	// ForeseeableMisuse lists reasonably foreseeable misuse.
	ForeseeableMisuse []string `json:"foreseeableMisuse,omitempty"`
	// Users are the groups who operate the system or act on its output.
	Users []string `json:"users,omitempty"`
	// AffectedPersons are the people and groups the output affects.
	AffectedPersons []string `json:"affectedPersons,omitempty"`
	// Context is where the system is deployed.
	Context DeploymentContext `json:"context,omitzero"`
	// Autonomy is how far the system acts without a human.
	Autonomy Autonomy `json:"autonomy,omitempty"`
	// Oversight is the human-oversight mechanism (EU AI Act Art. 14).
	Oversight Oversight `json:"oversight,omitzero"`
}

// DeploymentContext is where a system is used.
type DeploymentContext struct {
	// Countries are ISO 3166-1 alpha-2 codes, e.g. "DE".
	Countries []string `json:"countries,omitempty"`
	// Languages are BCP 47 tags, e.g. "de" or "en-GB".
	Languages []string `json:"languages,omitempty"`
	// Setting describes the environment, e.g. "branch offices".
	Setting string `json:"setting,omitempty"`
}

// Autonomy is the level of autonomy of a system (after ISO/IEC 22989).
type Autonomy string

// Levels of autonomy, from least to most.
const (
	AutonomyUnspecified     Autonomy = ""
	AutonomyDecisionSupport Autonomy = "decision-support"  // a human decides; the system informs
	AutonomyHumanInTheLoop  Autonomy = "human-in-the-loop" // a human approves each decision
	AutonomyHumanOnTheLoop  Autonomy = "human-on-the-loop" // a human supervises and can intervene
	AutonomyAutonomous      Autonomy = "autonomous"        // no human in the decision
)

// Oversight describes how people oversee a system (EU AI Act Art. 14).
type Oversight struct {
	// Mechanism describes how oversight works.
	Mechanism string `json:"mechanism,omitempty"`
	// Roles are the roles that exercise oversight.
	Roles []string `json:"roles,omitempty"`
	// CanOverride reports whether overseers can disregard or reverse an output.
	CanOverride bool `json:"canOverride,omitempty"`
	// CanStop reports whether overseers can stop the system in a safe state.
	CanStop bool `json:"canStop,omitempty"`
}

// IsZero reports whether no oversight is described.
func (o Oversight) IsZero() bool {
	return o.Mechanism == "" && len(o.Roles) == 0 && !o.CanOverride && !o.CanStop
}

// Resources are the resources of a system (ISO/IEC 42001 A.4).
type Resources struct {
	Models   []Model   `json:"models,omitempty"`   // A.4.2
	Datasets []Dataset `json:"datasets,omitempty"` // A.4.3
	Tooling  []Tool    `json:"tooling,omitempty"`  // A.4.4
	Compute  []Compute `json:"compute,omitempty"`  // A.4.5
	People   []People  `json:"people,omitempty"`   // A.4.6
}

// Model is a model the system uses.
type Model struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Kind     string `json:"kind,omitempty"` // e.g. "gradient-boosted trees", "llm"
	Provider string `json:"provider,omitempty"`
	License  string `json:"license,omitempty"`
	// Digest is the model artifact's digest, "sha256:" and 64 hex digits.
	Digest string `json:"digest,omitempty"`
	Origin Origin `json:"origin,omitempty"`
	// Energy is the energy the model took to make and takes to run, where
	// known or estimated.
	Energy Energy `json:"energy,omitzero"`
}

// Energy is the energy consumption of a model, known or estimated, in
// kilowatt-hours: what the technical documentation of a general-purpose
// AI model states (EU AI Act Annex XI) and what SPDX 3 records as
// ai_energyConsumption. Zero is not declared. It is a plain value.
type Energy struct {
	// TrainingKWh is the energy of training the model.
	TrainingKWh float64 `json:"trainingKWh,omitempty"`
	// FinetuningKWh is the energy of fine-tuning it.
	FinetuningKWh float64 `json:"finetuningKWh,omitempty"`
	// InferenceKWh is the energy of running it, over the period or unit
	// of work the organisation states in its documentation.
	InferenceKWh float64 `json:"inferenceKWh,omitempty"`
}

// IsZero reports whether no energy is declared.
func (e Energy) IsZero() bool { return e == Energy{} }

// Origin tells whether a resource was made in house or by a third party.
type Origin string

// Origins.
const (
	OriginUnspecified Origin = ""
	OriginInHouse     Origin = "in-house"
	OriginThirdParty  Origin = "third-party"
)

// Dataset is a data resource (ISO/IEC 42001 A.4.3, A.7).
type Dataset struct {
	Name       string         `json:"name"`
	Purpose    DatasetPurpose `json:"purpose"`
	Source     string         `json:"source,omitempty"`
	Provenance string         `json:"provenance,omitempty"`
	// PersonalData reports whether the data holds personal data; if so,
	// PersonalDataCategories says which.
	PersonalData           bool     `json:"personalData,omitempty"`
	PersonalDataCategories []string `json:"personalDataCategories,omitempty"`
	License                string   `json:"license,omitempty"`
	KnownBiases            []string `json:"knownBiases,omitempty"`
	Digest                 string   `json:"digest,omitempty"`
}

// DatasetPurpose is what a dataset is used for.
type DatasetPurpose string

// Dataset purposes.
const (
	DatasetUnspecified DatasetPurpose = ""
	DatasetTraining    DatasetPurpose = "training"
	DatasetValidation  DatasetPurpose = "validation"
	DatasetTest        DatasetPurpose = "test"
	DatasetProduction  DatasetPurpose = "production"
)

// Tool is a tooling resource (A.4.4), e.g. a training framework.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Purpose string `json:"purpose,omitempty"`
}

// Compute is a system or computing resource (A.4.5).
type Compute struct {
	Name        string `json:"name"`
	Provider    string `json:"provider,omitempty"`
	Location    string `json:"location,omitempty"`
	Description string `json:"description,omitempty"`
}

// People is a human resource (A.4.6): a role and the competence it needs.
type People struct {
	Role       string `json:"role"`
	Competence string `json:"competence,omitempty"`
	Count      int    `json:"count,omitempty"`
}

// Party is a supplier, customer or partner of a system and what it is
// responsible for (ISO/IEC 42001 A.10).
type Party struct {
	Name             string   `json:"name"`
	Relation         Relation `json:"relation"`
	Responsibilities []string `json:"responsibilities,omitempty"`
	Agreement        string   `json:"agreement,omitempty"` // contract or agreement reference
}

// Relation is how a third party relates to a system.
type Relation string

// Relations (A.10.3 suppliers, A.10.4 customers).
const (
	RelationUnspecified Relation = ""
	RelationSupplier    Relation = "supplier"
	RelationCustomer    Relation = "customer"
	RelationPartner     Relation = "partner"
)

var (
	digestRE  = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	langRE    = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
)

// Validate reports every problem with s as a [*document.Error], with JSON
// pointers relative to the document. It checks required fields, enum
// values, digests, the consistency of stage and status, and the EU AI Act
// classification (see [Classification.Validate]). What is required only
// before first use is checked by [System.ValidateBeforeUse].
func (s *System) Validate() error {
	var e document.Error
	if s.Kind != "" && s.Kind != KindSystem {
		e.Add("/kind", "is %q, want %q", s.Kind, KindSystem)
	}
	if s.ID == uuid.Nil {
		e.Add("/id", "is required")
	}
	if strings.TrimSpace(s.Name) == "" {
		e.Add("/name", "is required")
	}
	for k := range s.Labels {
		if k == "" {
			e.Add("/labels", "has an empty key")
		}
	}
	a := s.Accountability
	if a.BusinessOwner.IsZero() {
		e.Add("/accountability/businessOwner/name", "is required: the business owner answers for the system (A.3.2)")
	}
	if a.TechnicalLead.IsZero() {
		e.Add("/accountability/technicalLead/name", "is required (A.3.2)")
	}
	for i, r := range a.Roles {
		if !oneOf(r, RoleProvider, RoleProducer, RoleCustomer, RolePartner, RoleSubject, RoleRelevantAuthority) {
			e.Add(document.Pointer("accountability", "roles", i), "unknown role %q", r)
		}
	}
	for i, r := range a.OperatorRoles {
		if !validOperator(r) {
			e.Add(document.Pointer("accountability", "operatorRoles", i), "unknown operator role %q", r)
		}
	}
	s.validatePurpose(&e)
	e.Merge("/lifecycle", s.Lifecycle.Validate())
	s.validateResources(&e)
	for i, p := range s.Parties {
		if p.Name == "" {
			e.Add(document.Pointer("parties", i, "name"), "is required")
		}
		if !oneOf(p.Relation, RelationSupplier, RelationCustomer, RelationPartner) {
			e.Add(document.Pointer("parties", i, "relation"), "is %q, want supplier, customer or partner", p.Relation)
		}
	}
	s.validateClassification(&e)
	seenMetric := make(map[string]bool)
	for i, t := range s.Monitoring.Thresholds {
		ptr := document.Pointer("monitoring", "thresholds", i)
		if strings.TrimSpace(t.Metric) == "" {
			e.Add(ptr+"/metric", "is required")
		}
		if seenMetric[t.Metric] {
			e.Add(ptr+"/metric", "metric %q has a threshold already", t.Metric)
		}
		seenMetric[t.Metric] = true
		if math.IsNaN(t.Max) || math.IsInf(t.Max, 0) {
			e.Add(ptr+"/max", "must be a finite number")
		}
		if t.Window < 0 {
			e.Add(ptr+"/window", "must not be negative")
		}
	}
	return e.Err()
}

// ValidateBeforeUse reports, as a [*document.Error] with JSON pointers
// relative to the document, what s must still hold before it is first
// used: the human-oversight mechanism of a high-risk system (EU AI Act
// Art. 14; a problem at /purpose/oversight). [System.Validate] does not
// check it, since a system being designed may not have it yet; aimskit's
// loader reports it as a note until the system is deployed, and the
// deployment gate's human-oversight-defined check denies until it is
// there.
func (s *System) ValidateBeforeUse() error {
	var e document.Error
	if s.Classified().Category == CategoryHighRisk && s.Purpose.Oversight.IsZero() {
		e.Add("/purpose/oversight", "is required for a high-risk system (EU AI Act Art. 14)")
	}
	return e.Err()
}

// validateClassification checks the stated classification, the facts,
// that the two agree, and the retention of logs.
func (s *System) validateClassification(e *document.Error) {
	stated := s.Classification.Category != CategoryUnspecified
	if s.Facts == nil || stated {
		e.Merge("/classification", s.Classification.Validate())
	}
	if s.Facts != nil {
		err := s.Facts.Validate()
		e.Merge("/facts", err)
		if r := s.Facts.Roles; len(r) > 0 && len(s.Accountability.OperatorRoles) > 0 && !sameRoles(r, s.Accountability.OperatorRoles) {
			e.Add("/facts/roles", "are %s, but /accountability/operatorRoles are %s: give the roles once",
				joinStrings(r), joinStrings(s.Accountability.OperatorRoles))
		}
		if err == nil && stated {
			e.Merge("/classification", s.Explain().Contradictions(s.Classification))
		}
	}
	if rk := s.RecordKeeping; rk != nil {
		switch m := rk.LogRetentionMonths; {
		case m < 0:
			e.Add("/recordKeeping/logRetentionMonths", "must not be negative")
		case m < MinLogRetentionMonths && s.Classified().Category == CategoryHighRisk:
			e.Add("/recordKeeping/logRetentionMonths", "is %d, but the logs of a high-risk system are kept at least %d months (EU AI Act Art. 19(1), Art. 26(6))", m, MinLogRetentionMonths)
		}
	}
}

func sameRoles(a, b []OperatorRole) bool {
	for _, r := range a {
		if !slices.Contains(b, r) {
			return false
		}
	}
	for _, r := range b {
		if !slices.Contains(a, r) {
			return false
		}
	}
	return true
}

// Explain returns the chain from the facts of s to its classification
// and obligations, with every rule considered ([Classify]); the roles are
// those of the facts or else of /accountability/operatorRoles. Without
// facts it explains the stated classification, with [BasisStated]
// ("stated, not derived").
func (s *System) Explain() Derivation {
	if s.Facts == nil {
		return statedDerivation(s.Classification, s.Accountability.OperatorRoles)
	}
	f := *s.Facts
	if len(f.Roles) == 0 {
		f.Roles = s.Accountability.OperatorRoles
	}
	d := Classify(f)
	if d.Classification.Rationale == "" {
		d.Classification.Rationale = s.Classification.Rationale
	}
	return d
}

// Classified returns the EU AI Act classification that holds for s: the
// one derived from its facts when it has facts, else the stated one.
func (s *System) Classified() Classification {
	if s.Facts == nil {
		return s.Classification
	}
	return s.Explain().Classification
}

func (s *System) validatePurpose(e *document.Error) {
	p := s.Purpose
	if strings.TrimSpace(p.Intended) == "" {
		e.Add("/purpose/intended", "is required: document the intended purpose (A.9.4)")
	}
	for i, c := range p.Context.Countries {
		if !countryRE.MatchString(c) {
			e.Add(document.Pointer("purpose", "context", "countries", i), "%q is not an ISO 3166-1 alpha-2 code", c)
		}
	}
	for i, l := range p.Context.Languages {
		if !langRE.MatchString(l) {
			e.Add(document.Pointer("purpose", "context", "languages", i), "%q is not a BCP 47 language tag", l)
		}
	}
	if p.Autonomy != AutonomyUnspecified && !oneOf(p.Autonomy, AutonomyDecisionSupport, AutonomyHumanInTheLoop, AutonomyHumanOnTheLoop, AutonomyAutonomous) {
		e.Add("/purpose/autonomy", "unknown autonomy level %q", p.Autonomy)
	}
}

func (s *System) validateResources(e *document.Error) {
	r := s.Resources
	seen := make(map[string]int)
	for i, m := range r.Models {
		ptr := document.Pointer("resources", "models", i)
		if m.Name == "" {
			e.Add(ptr+"/name", "is required")
		}
		if m.Version == "" {
			e.Add(ptr+"/version", "is required")
		}
		if m.Digest != "" && !digestRE.MatchString(m.Digest) {
			e.Add(ptr+"/digest", "%q is not \"sha256:\" followed by 64 lower-case hex digits", m.Digest)
		}
		if m.Origin != OriginUnspecified && !oneOf(m.Origin, OriginInHouse, OriginThirdParty) {
			e.Add(ptr+"/origin", "is %q, want in-house or third-party", m.Origin)
		}
		for _, q := range []struct {
			name string
			kwh  float64
		}{{"trainingKWh", m.Energy.TrainingKWh}, {"finetuningKWh", m.Energy.FinetuningKWh}, {"inferenceKWh", m.Energy.InferenceKWh}} {
			if math.IsNaN(q.kwh) || math.IsInf(q.kwh, 0) || q.kwh < 0 {
				e.Add(ptr+"/energy/"+q.name, "must be a finite number of kilowatt-hours, not negative")
			}
		}
		key := m.Name + "@" + m.Version
		if j, dup := seen[key]; dup && m.Name != "" {
			e.Add(ptr, "model %s is listed twice (also at /resources/models/%d)", key, j)
		}
		seen[key] = i
	}
	for i, d := range r.Datasets {
		ptr := document.Pointer("resources", "datasets", i)
		if d.Name == "" {
			e.Add(ptr+"/name", "is required")
		}
		if !oneOf(d.Purpose, DatasetTraining, DatasetValidation, DatasetTest, DatasetProduction) {
			e.Add(ptr+"/purpose", "is %q, want training, validation, test or production", d.Purpose)
		}
		if d.Digest != "" && !digestRE.MatchString(d.Digest) {
			e.Add(ptr+"/digest", "%q is not \"sha256:\" followed by 64 lower-case hex digits", d.Digest)
		}
		if len(d.PersonalDataCategories) > 0 && !d.PersonalData {
			e.Add(ptr+"/personalData", "is false, but personalDataCategories are listed")
		}
	}
	for i, t := range r.Tooling {
		if t.Name == "" {
			e.Add(document.Pointer("resources", "tooling", i, "name"), "is required")
		}
	}
	for i, c := range r.Compute {
		if c.Name == "" {
			e.Add(document.Pointer("resources", "compute", i, "name"), "is required")
		}
	}
	for i, p := range r.People {
		if p.Role == "" {
			e.Add(document.Pointer("resources", "people", i, "role"), "is required")
		}
		if p.Count < 0 {
			e.Add(document.Pointer("resources", "people", i, "count"), "must not be negative")
		}
	}
}

// ModelVersions returns the system's models as "name@version", in
// inventory order.
func (s *System) ModelVersions() []string {
	out := make([]string, len(s.Resources.Models))
	for i, m := range s.Resources.Models {
		out[i] = m.Name + "@" + m.Version
	}
	return out
}

// Model returns the model with the given name, and whether there is one.
// When several versions are listed it returns the first.
func (s *System) Model(name string) (Model, bool) {
	for _, m := range s.Resources.Models {
		if m.Name == name {
			return m, true
		}
	}
	return Model{}, false
}

// Clone returns a deep copy of s.
func (s *System) Clone() *System {
	if s == nil {
		return nil
	}
	c := *s
	c.Labels = maps.Clone(s.Labels)
	c.Accountability.Roles = slices.Clone(s.Accountability.Roles)
	c.Accountability.OperatorRoles = slices.Clone(s.Accountability.OperatorRoles)
	p := &c.Purpose
	p.ForeseeableMisuse = slices.Clone(p.ForeseeableMisuse)
	p.Users = slices.Clone(p.Users)
	p.AffectedPersons = slices.Clone(p.AffectedPersons)
	p.Context.Countries = slices.Clone(p.Context.Countries)
	p.Context.Languages = slices.Clone(p.Context.Languages)
	p.Oversight.Roles = slices.Clone(p.Oversight.Roles)
	c.Lifecycle.History = slices.Clone(s.Lifecycle.History)
	for i := range c.Lifecycle.History {
		c.Lifecycle.History[i].Models = slices.Clone(c.Lifecycle.History[i].Models)
	}
	r := &c.Resources
	r.Models = slices.Clone(r.Models)
	r.Datasets = slices.Clone(r.Datasets)
	for i := range r.Datasets {
		d := &r.Datasets[i]
		d.PersonalDataCategories = slices.Clone(d.PersonalDataCategories)
		d.KnownBiases = slices.Clone(d.KnownBiases)
	}
	r.Tooling = slices.Clone(r.Tooling)
	r.Compute = slices.Clone(r.Compute)
	r.People = slices.Clone(r.People)
	c.Parties = slices.Clone(s.Parties)
	for i := range c.Parties {
		c.Parties[i].Responsibilities = slices.Clone(c.Parties[i].Responsibilities)
	}
	c.Classification = s.Classification.Clone()
	if s.Facts != nil {
		f := s.Facts.Clone()
		c.Facts = &f
	}
	if s.RecordKeeping != nil {
		rk := *s.RecordKeeping
		c.RecordKeeping = &rk
	}
	c.Monitoring.Thresholds = slices.Clone(s.Monitoring.Thresholds)
	return &c
}

func oneOf[T comparable](v T, allowed ...T) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func validOperator(r OperatorRole) bool {
	return oneOf(r, OperatorProvider, OperatorDeployer, OperatorImporter, OperatorDistributor,
		OperatorAuthorisedRepresentative, OperatorProductManufacturer)
}
