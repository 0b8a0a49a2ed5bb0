package risk

import (
	"slices"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

// Risk is one identified AI risk of an [Assessment]: where it comes from,
// which objectives it threatens, what it would do to the organisation, to
// individuals and to society, how likely and how bad it is before and after
// treatment, how it is treated, and whether the residual risk was accepted
// (ISO/IEC 42001 6.1.2 and 6.1.3; ISO/IEC 23894 6.4 and 6.5).
//
// A Risk holds ratings, never levels: levels are derived from the
// assessment's [Criteria] by [Evaluate].
type Risk struct {
	// ID identifies the risk within its assessment, e.g. "R-01": letters,
	// digits, dots, underscores and hyphens, starting with a letter or
	// digit.
	ID string `json:"id"`
	// System is the AI system the risk concerns. Zero means the
	// assessment's system; when set it must equal it. It lets a risk copied
	// out of its assessment (into a register, a report or an export) keep
	// its system.
	System uuid.UUID `json:"system,omitzero"`
	// Title is a short statement of the risk.
	Title string `json:"title"`
	// Description describes the event, its causes and its outcomes.
	Description string `json:"description,omitempty"`
	// Owner is the person or role accountable for the risk.
	Owner string `json:"owner,omitempty"`
	// Source is where the risk comes from (ISO/IEC 42001 Annex C).
	Source Source `json:"source"`
	// SourceDetail describes the source; it is required for [SourceCustom].
	SourceDetail string `json:"sourceDetail,omitempty"`
	// Objectives are the organisational objectives the risk threatens
	// (ISO/IEC 42001 Annex C); at least one.
	Objectives []Objective `json:"objectives"`
	// Stage is the life-cycle stage in which the risk arises.
	Stage inventory.Stage `json:"stage"`
	// Consequences are the consequences for the organisation, for
	// individuals or groups, and for society, assessed separately (6.1.2).
	Consequences Consequences `json:"consequences"`
	// Inherent is the rating before treatment. Its consequence is the
	// overall consequence: at least the worst of the three
	// [Consequences] that carry a grade.
	Inherent Rating `json:"inherent"`
	// Treatment is how the risk is treated (6.1.3).
	Treatment Treatment `json:"treatment"`
	// Residual is the rating after treatment; zero means the treatment
	// does not change the inherent rating.
	Residual Rating `json:"residual,omitzero"`
	// Acceptance records the acceptance of the residual risk by
	// designated management (6.1.3 h). It is needed when the residual
	// level is above the criteria's appetite.
	Acceptance *Acceptance `json:"acceptance,omitempty"`
	// Impacts are the ids of impacts in the system's impact assessment
	// that this risk analyses: the results of the impact assessment feed
	// the risk assessment (6.1.4 to 6.1.2).
	Impacts []string `json:"impacts,omitempty"`
}

// Source is an AI risk source from ISO/IEC 42001 Annex C (the same list is
// Annex B of ISO/IEC 23894), or [SourceCustom].
type Source string

// Risk sources.
const (
	SourceUnspecified Source = ""
	// SourceEnvironment: complexity of the environment the system works in.
	SourceEnvironment Source = "complexity-of-environment"
	// SourceTransparency: lack of transparency and explainability.
	SourceTransparency Source = "lack-of-transparency-and-explainability"
	// SourceAutomation: the level of automation.
	SourceAutomation Source = "level-of-automation"
	// SourceMachineLearning: sources related to machine learning, such as
	// data quality, the collection process, the training approach and
	// continuous learning.
	SourceMachineLearning Source = "machine-learning"
	// SourceHardware: system hardware issues.
	SourceHardware Source = "system-hardware"
	// SourceLifeCycle: system life-cycle issues.
	SourceLifeCycle Source = "system-life-cycle"
	// SourceTechnologyReadiness: technology readiness.
	SourceTechnologyReadiness Source = "technology-readiness"
	// SourceCustom: a source of the organisation's own, described in
	// [Risk.SourceDetail].
	SourceCustom Source = "custom"
)

// Sources returns the risk sources, without the unspecified one: the seven
// of Annex C, then [SourceCustom].
func Sources() []Source {
	return []Source{SourceEnvironment, SourceTransparency, SourceAutomation, SourceMachineLearning,
		SourceHardware, SourceLifeCycle, SourceTechnologyReadiness, SourceCustom}
}

// Objective is an AI-related organisational objective from ISO/IEC 42001
// Annex C (Annex A of ISO/IEC 23894) that a risk can threaten.
type Objective string

// Objectives.
const (
	ObjectiveUnspecified     Objective = ""
	ObjectiveAccountability  Objective = "accountability"
	ObjectiveAIExpertise     Objective = "ai-expertise"
	ObjectiveData            Objective = "training-and-test-data" // availability and quality of training and test data
	ObjectiveEnvironment     Objective = "environmental-impact"
	ObjectiveFairness        Objective = "fairness"
	ObjectiveMaintainability Objective = "maintainability"
	ObjectivePrivacy         Objective = "privacy"
	ObjectiveRobustness      Objective = "robustness"
	ObjectiveSafety          Objective = "safety"
	ObjectiveSecurity        Objective = "security"
	ObjectiveTransparency    Objective = "transparency-and-explainability"
)

// Objectives returns the eleven objectives of Annex C, without the
// unspecified one.
func Objectives() []Objective {
	return []Objective{ObjectiveAccountability, ObjectiveAIExpertise, ObjectiveData, ObjectiveEnvironment,
		ObjectiveFairness, ObjectiveMaintainability, ObjectivePrivacy, ObjectiveRobustness, ObjectiveSafety,
		ObjectiveSecurity, ObjectiveTransparency}
}

// Consequences are the consequences of a risk, assessed separately for the
// organisation, for individuals or groups, and for society (ISO/IEC 42001
// 6.1.2). All three are required, even if only to say that there are
// none.
type Consequences struct {
	// Organisation is the consequence for the organisation.
	Organisation Dimension `json:"organisation"`
	// Individuals is the consequence for individuals or groups of
	// individuals.
	Individuals Dimension `json:"individuals"`
	// Society is the consequence for society.
	Society Dimension `json:"society"`
}

// Dimension is the consequence of a risk for one kind of interested party.
type Dimension struct {
	// Description says what would happen.
	Description string `json:"description"`
	// Consequence optionally grades it on the criteria's consequence
	// scale.
	Consequence Grade `json:"consequence,omitzero"`
}

// Treatment is how a risk is treated (ISO/IEC 42001 6.1.3; ISO 31000
// 6.5.2).
type Treatment struct {
	// Options are the treatment options chosen; they can be combined.
	Options []TreatmentOption `json:"options"`
	// Rationale explains the choice.
	Rationale string `json:"rationale,omitempty"`
	// Controls are the controls the treatment relies on: Annex A controls
	// ("iso42001:A.7.4") or the organisation's own ("org:SEC-01").
	Controls []string `json:"controls,omitempty"`
	// Plan is the treatment plan (6.1.3 g).
	Plan []PlanItem `json:"plan,omitempty"`
}

// TreatmentOption is an ISO 31000 risk treatment option. The four-word
// vocabulary of the NIST AI RMF (avoid, mitigate, transfer, accept) maps
// onto it: mitigation is [TreatmentRemoveSource],
// [TreatmentChangeLikelihood] or [TreatmentChangeConsequence]; transfer is
// [TreatmentShare]; accept is [TreatmentRetain].
type TreatmentOption string

// Treatment options.
const (
	TreatmentUnspecified TreatmentOption = ""
	// TreatmentAvoid: do not start or do not continue the activity that
	// gives rise to the risk.
	TreatmentAvoid TreatmentOption = "avoid"
	// TreatmentRemoveSource: mitigate by removing the risk source.
	TreatmentRemoveSource TreatmentOption = "remove-source"
	// TreatmentChangeLikelihood: mitigate by making the risk less likely.
	TreatmentChangeLikelihood TreatmentOption = "change-likelihood"
	// TreatmentChangeConsequence: mitigate by making the consequences
	// less severe.
	TreatmentChangeConsequence TreatmentOption = "change-consequence"
	// TreatmentShare: share or transfer the risk, e.g. by contract or
	// insurance.
	TreatmentShare TreatmentOption = "share"
	// TreatmentRetain: accept (retain) the risk by informed decision.
	TreatmentRetain TreatmentOption = "retain"
)

// TreatmentOptions returns the treatment options, without the unspecified
// one.
func TreatmentOptions() []TreatmentOption {
	return []TreatmentOption{TreatmentAvoid, TreatmentRemoveSource, TreatmentChangeLikelihood,
		TreatmentChangeConsequence, TreatmentShare, TreatmentRetain}
}

// Mitigates reports whether o is one of the three mitigation options.
func (o TreatmentOption) Mitigates() bool {
	return o == TreatmentRemoveSource || o == TreatmentChangeLikelihood || o == TreatmentChangeConsequence
}

// PlanItem is one action of a treatment plan.
type PlanItem struct {
	// Action says what is to be done.
	Action string `json:"action"`
	// Owner is the person or role responsible for it.
	Owner string `json:"owner"`
	// Due is the date by which it is to be done.
	Due document.Date `json:"due"`
	// Status is where it stands; empty means planned.
	Status PlanStatus `json:"status,omitempty"`
	// Completed is the date it was done; only for [PlanDone].
	Completed document.Date `json:"completed,omitzero"`
}

// Overdue reports whether the item is not done and its due date is before
// today.
func (p PlanItem) Overdue(today document.Date) bool {
	return p.Status != PlanDone && !p.Due.IsZero() && p.Due.Before(today)
}

// PlanStatus is the status of a [PlanItem].
type PlanStatus string

// Plan item statuses.
const (
	PlanUnspecified PlanStatus = "" // read as planned
	PlanPlanned     PlanStatus = "planned"
	PlanInProgress  PlanStatus = "in-progress"
	PlanDone        PlanStatus = "done"
)

// Acceptance records that designated management accepted a residual risk
// (ISO/IEC 42001 6.1.3 h). It is frozen when given: Rating records the
// residual rating that was accepted, and [Evaluate] reports the acceptance
// as stale as soon as the residual rating differs from it, and as expired
// from its Expires date on.
type Acceptance struct {
	// Approver is who accepted the risk (a person or a management role).
	Approver string `json:"approver"`
	// Date is when the risk was accepted.
	Date document.Date `json:"date"`
	// Rationale explains why the residual risk is acceptable.
	Rationale string `json:"rationale"`
	// Expires is the first day on which the acceptance no longer holds;
	// it must be after Date.
	Expires document.Date `json:"expires"`
	// Rating is the residual rating that was accepted.
	Rating Rating `json:"rating"`
}

func (a *Acceptance) clone() *Acceptance {
	if a == nil {
		return nil
	}
	c := *a
	return &c
}

func (r *Risk) clone() Risk {
	c := *r
	c.Objectives = slices.Clone(r.Objectives)
	c.Treatment.Options = slices.Clone(r.Treatment.Options)
	c.Treatment.Controls = slices.Clone(r.Treatment.Controls)
	c.Treatment.Plan = slices.Clone(r.Treatment.Plan)
	c.Acceptance = r.Acceptance.clone()
	c.Impacts = slices.Clone(r.Impacts)
	return c
}
