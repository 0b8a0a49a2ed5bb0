package impact

import (
	"github.com/google/uuid"
	"slices"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

// KindAssessment is the document kind of an [Assessment].
const KindAssessment = "ImpactAssessment"

// Assessment is the AI system impact assessment of one AI system: document
// kind "ImpactAssessment". Its contents follow clause 6 of ISO/IEC 42005
// (scope, system, data, models, deployment environment, interested
// parties, impacts and measures) and carry the elements of the fundamental
// rights impact assessment of EU AI Act Art. 27 where the deployer owes
// one (ISO/IEC 42001 6.1.4, 8.4 and A.5.2 to A.5.5).
//
// The zero value is empty; [Assessment.Validate] reports what is missing
// and [Assessment.ValidateFor] checks the assessment against the
// inventory entry of its system. An Assessment is a plain value: it is not
// safe for concurrent mutation, and [Assessment.Clone] gives an
// independent copy.
type Assessment struct {
	document.Header

	// ID identifies the assessment.
	ID uuid.UUID `json:"id"`
	// System is the AI system assessed (an [inventory.System] id).
	System uuid.UUID `json:"system"`
	// Title is a short human title.
	Title string `json:"title,omitempty"`
	// Assessor is who carried out the assessment.
	Assessor string `json:"assessor"`
	// Date is when the assessment was carried out.
	Date document.Date `json:"date"`
	// Scope is what the assessment covers (42005 6.2).
	Scope Scope `json:"scope"`
	// SystemInfo describes the system (42005 6.3).
	SystemInfo SystemInfo `json:"systemInfo"`
	// Data describes the data and its quality (42005 6.4).
	Data DataInfo `json:"data"`
	// Models are the algorithms and models assessed, each with its
	// version (42005 6.5). [ReviewDue] compares them with the inventory.
	Models []Model `json:"models"`
	// Deployment is the deployment environment (42005 6.6).
	Deployment Deployment `json:"deployment"`
	// Parties are the relevant interested parties (42005 6.7).
	Parties []Party `json:"parties"`
	// Impacts are the actual and reasonably foreseeable impacts, benefits
	// and harms, with the measures that address them (42005 6.8, 6.9).
	Impacts []Impact `json:"impacts"`
	// Thresholds are the organisation's thresholds for sensitive and
	// restricted uses (42005 5.7).
	Thresholds Thresholds `json:"thresholds"`
	// FRIA holds the elements of the EU AI Act Art. 27 fundamental rights
	// impact assessment; required before first use where the deployer
	// owes one (see [Assessment.ValidateBeforeUse]).
	FRIA *FRIA `json:"fria,omitempty"`
	// Approval records the approval of the assessment (42005 5.11). Nil
	// means not approved yet.
	Approval *document.Approval `json:"approval,omitempty"`
	// Review says when and on what the assessment is reviewed (42005 5.12;
	// ISO/IEC 42001 8.4).
	Review Review `json:"review"`
}

// Scope is what an impact assessment covers (ISO/IEC 42005 6.2).
type Scope struct {
	// Description says what is in and out of scope.
	Description string `json:"description"`
	// Stages are the life-cycle stages covered.
	Stages []inventory.Stage `json:"stages,omitempty"`
}

// SystemInfo describes the AI system (ISO/IEC 42005 6.3).
type SystemInfo struct {
	// Description says what the system is and does (6.3.1).
	Description string `json:"description"`
	// Functions are its functionalities and capabilities (6.3.2).
	Functions []string `json:"functions,omitempty"`
	// Purpose is the purpose of the system (6.3.3).
	Purpose string `json:"purpose"`
	// IntendedUses are the intended uses (6.3.4); at least one.
	IntendedUses []string `json:"intendedUses"`
	// UnintendedUses are unintended uses, including reasonably
	// foreseeable misuse (6.3.5; EU AI Act Art. 3(13)); at least one.
	UnintendedUses []string `json:"unintendedUses"`
}

// DataInfo describes the data of the system and its quality (ISO/IEC
// 42005 6.4).
type DataInfo struct {
	// Datasets are the data sets assessed, by the names the inventory
	// uses; at least one. [ReviewDue] reports inventory data sets missing
	// here as new data sources.
	Datasets []Dataset `json:"datasets"`
	// Quality summarises the assessment of data quality: relevance,
	// representativeness, completeness, errors and bias.
	Quality string `json:"quality"`
}

// Dataset is one data set an impact assessment considered.
type Dataset struct {
	// Name is the data set's name in the inventory.
	Name string `json:"name"`
	// Description says what the data is and where it comes from.
	Description string `json:"description,omitempty"`
	// PersonalData reports whether it holds personal data.
	PersonalData bool `json:"personalData,omitempty"`
	// Quality records what is known about its quality.
	Quality string `json:"quality,omitempty"`
	// KnownBiases lists known biases and gaps.
	KnownBiases []string `json:"knownBiases,omitempty"`
}

// Model is an algorithm or model an impact assessment considered (ISO/IEC
// 42005 6.5).
type Model struct {
	// Name and Version identify the model as the inventory does.
	Name    string `json:"name"`
	Version string `json:"version"`
	// Algorithm is the kind of algorithm, e.g. "gradient-boosted trees".
	Algorithm string `json:"algorithm,omitempty"`
	// Description covers what matters for impacts: inputs, outputs,
	// performance and explainability.
	Description string `json:"description,omitempty"`
	// Limitations are known limitations.
	Limitations []string `json:"limitations,omitempty"`
}

// Deployment is the deployment environment (ISO/IEC 42005 6.6).
type Deployment struct {
	// Countries are ISO 3166-1 alpha-2 codes; at least one. [ReviewDue]
	// reports inventory countries missing here.
	Countries []string `json:"countries"`
	// Languages are BCP 47 tags.
	Languages []string `json:"languages,omitempty"`
	// Setting describes where and how the system is used.
	Setting string `json:"setting,omitempty"`
	// Users are the groups who use the system. [ReviewDue] reports
	// inventory user groups missing here as new users.
	Users []string `json:"users,omitempty"`
}

// Party is a relevant interested party (ISO/IEC 42005 6.7): an individual
// or kind of individual, a group, society at large or an organisation.
type Party struct {
	// Name identifies the party within the assessment; impacts refer to it.
	Name string `json:"name"`
	// Kind is what kind of party it is.
	Kind PartyKind `json:"kind"`
	// Vulnerable reports whether the party includes vulnerable people.
	Vulnerable bool `json:"vulnerable,omitempty"`
	// Minors reports whether the party includes people under 18 (EU AI
	// Act Art. 9(9)).
	Minors bool `json:"minors,omitempty"`
	// Description says who they are and how the system affects them.
	Description string `json:"description,omitempty"`
}

// PartyKind is the kind of an interested [Party].
type PartyKind string

// Kinds of interested parties.
const (
	PartyUnspecified  PartyKind = ""
	PartyIndividual   PartyKind = "individual"
	PartyGroup        PartyKind = "group"
	PartySociety      PartyKind = "society"
	PartyOrganisation PartyKind = "organisation"
)

// Review says when an impact assessment is reviewed (ISO/IEC 42005 5.12;
// ISO/IEC 42001 8.4: at planned intervals and on significant change).
type Review struct {
	// Triggers are the events on which the organisation reviews the
	// assessment; at least one.
	Triggers []Trigger `json:"triggers"`
	// IntervalMonths is the planned interval for [TriggerPeriodic]; Next
	// must then be at most this many months after the assessment date.
	IntervalMonths int `json:"intervalMonths,omitempty"`
	// Next is the date of the next planned review.
	Next document.Date `json:"next"`
}

// Trigger is an event that calls for reviewing an impact assessment.
type Trigger string

// Review triggers.
const (
	TriggerUnspecified   Trigger = ""
	TriggerModelChange   Trigger = "model-change"    // a new model or model version
	TriggerNewDataSource Trigger = "new-data-source" // a data set not assessed before
	TriggerNewUse        Trigger = "new-use"         // a new use or new groups of users
	TriggerNewCountry    Trigger = "new-country"     // deployment in a country not assessed
	TriggerIncident      Trigger = "incident"        // an incident involving the system
	TriggerPeriodic      Trigger = "periodic"        // the planned interval has passed
)

// Triggers returns the review triggers, without the unspecified one.
func Triggers() []Trigger {
	return []Trigger{TriggerModelChange, TriggerNewDataSource, TriggerNewUse, TriggerNewCountry, TriggerIncident, TriggerPeriodic}
}

// FRIA holds the elements of a fundamental rights impact assessment (EU AI
// Act Art. 27(1) points (a) to (f)), which the deployer of certain
// high-risk systems carries out before first use. The harms themselves
// are [Impact] entries of the assessment, which Harms refers to.
type FRIA struct {
	// Processes describes the deployer's processes in which the system is
	// used in line with its intended purpose (a).
	Processes string `json:"processes"`
	// Period and Frequency describe the period of time within which, and
	// how often, the system is intended to be used (b).
	Period    string `json:"period"`
	Frequency string `json:"frequency"`
	// Persons are the categories of natural persons and groups likely to
	// be affected in this use (c); at least one.
	Persons []string `json:"persons"`
	// Harms are the ids of the impacts (harms) that are the specific
	// risks of harm to those persons (d); at least one.
	Harms []string `json:"harms"`
	// ProviderInformation names the provider's instructions for use
	// (EU AI Act Art. 13) taken into account for (d).
	ProviderInformation string `json:"providerInformation,omitempty"`
	// Oversight describes the human-oversight measures, according to the
	// instructions for use (e); at least one.
	Oversight []string `json:"oversight"`
	// Measures are the measures to be taken if the risks materialise
	// (f); at least one.
	Measures []string `json:"measures"`
	// Governance describes the internal governance arrangements for
	// those cases (f).
	Governance string `json:"governance"`
	// Complaints describes the complaint mechanisms (f).
	Complaints string `json:"complaints"`
	// Notified is the date the market surveillance authority was notified
	// of the results (Art. 27(3)), if it has been.
	Notified document.Date `json:"notified,omitzero"`
}

// Clone returns a deep copy of a.
func (a *Assessment) Clone() *Assessment {
	if a == nil {
		return nil
	}
	c := *a
	c.Scope.Stages = slices.Clone(a.Scope.Stages)
	c.SystemInfo.Functions = slices.Clone(a.SystemInfo.Functions)
	c.SystemInfo.IntendedUses = slices.Clone(a.SystemInfo.IntendedUses)
	c.SystemInfo.UnintendedUses = slices.Clone(a.SystemInfo.UnintendedUses)
	c.Data.Datasets = slices.Clone(a.Data.Datasets)
	for i := range c.Data.Datasets {
		c.Data.Datasets[i].KnownBiases = slices.Clone(c.Data.Datasets[i].KnownBiases)
	}
	c.Models = slices.Clone(a.Models)
	for i := range c.Models {
		c.Models[i].Limitations = slices.Clone(c.Models[i].Limitations)
	}
	c.Deployment.Countries = slices.Clone(a.Deployment.Countries)
	c.Deployment.Languages = slices.Clone(a.Deployment.Languages)
	c.Deployment.Users = slices.Clone(a.Deployment.Users)
	c.Parties = slices.Clone(a.Parties)
	c.Impacts = slices.Clone(a.Impacts)
	for i := range c.Impacts {
		im := &c.Impacts[i]
		im.Charter = slices.Clone(im.Charter)
		im.Affected = slices.Clone(im.Affected)
		im.Measures = slices.Clone(im.Measures)
		if im.Residual != nil {
			r := *im.Residual
			im.Residual = &r
		}
	}
	c.Thresholds.SensitiveUses = slices.Clone(a.Thresholds.SensitiveUses)
	c.Thresholds.RestrictedUses = slices.Clone(a.Thresholds.RestrictedUses)
	if a.FRIA != nil {
		f := *a.FRIA
		f.Persons = slices.Clone(f.Persons)
		f.Harms = slices.Clone(f.Harms)
		f.Oversight = slices.Clone(f.Oversight)
		f.Measures = slices.Clone(f.Measures)
		c.FRIA = &f
	}
	if a.Approval != nil {
		ap := *a.Approval
		c.Approval = &ap
	}
	c.Review.Triggers = slices.Clone(a.Review.Triggers)
	return &c
}
