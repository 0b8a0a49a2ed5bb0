package governance

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

// The document kinds of the management-system records.
const (
	// KindManagementSystem is the document kind of a [ManagementSystem].
	KindManagementSystem = "ManagementSystem"
	// KindAuditRecord is the document kind of an [AuditRecord].
	KindAuditRecord = "AuditRecord"
	// KindManagementReview is the document kind of a [ManagementReview].
	KindManagementReview = "ManagementReview"
	// KindNonconformity is the document kind of a [Nonconformity].
	KindNonconformity = "Nonconformity"
)

// Identifier syntax shared by the records. The regular expressions are
// compiled once and only read.
var (
	// recIDRE is the syntax of a record id, e.g. "ms-2026" or "nc-2026-004".
	recIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,127}$`)
	// recClauseRE is an ISO/IEC 42001 requirement clause, 4 to 10.
	recClauseRE = regexp.MustCompile(`^iso42001:(?:[4-9]|10)(?:\.[1-9][0-9]?){0,2}$`)
	// recControlRE is any control id, "namespace:ref" (as in package controls).
	recControlRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	// recAnnexARE is a control in the iso42001 namespace: an Annex A id.
	recAnnexARE = regexp.MustCompile(`^iso42001:A\.(?:[2-9]|10)(?:\.[1-9][0-9]?){1,2}$`)
)

// ManagementSystem describes an organisation's AI management system:
// document kind "ManagementSystem", one per organisation. It records the
// organisation's context and its roles toward AI (ISO/IEC 42001 4.1), its
// interested parties (4.2), the scope of the AIMS (4.3), the AI policy
// (5.2), roles and responsibilities (5.3), the AI risk criteria in force
// (6.1.1), the AI objectives (6.2) and planned changes (6.3), with the
// approval of the whole.
//
// The zero value is an empty record; [ManagementSystem.Validate] reports
// what is missing. A ManagementSystem is a plain value: it is not safe for
// concurrent mutation, and [ManagementSystem.Clone] gives an independent
// copy.
type ManagementSystem struct {
	document.Header

	// ID identifies the record, e.g. "ms-2026".
	ID string `json:"id"`
	// Organization is the name of the organisation that runs the AIMS.
	Organization string `json:"organization"`
	// Version identifies this version of the record.
	Version string `json:"version"`
	// Context is the context of the organisation (4.1).
	Context OrganizationContext `json:"context"`
	// InterestedParties are the interested parties and their relevant
	// requirements (4.2).
	InterestedParties []InterestedParty `json:"interestedParties"`
	// Scope is the scope of the AIMS (4.3).
	Scope Scope `json:"scope"`
	// Policy is the AI policy (5.2, A.2.2).
	Policy AIPolicy `json:"policy"`
	// Roles assigns the roles of the AIMS (5.3, A.3.2).
	Roles []RoleAssignment `json:"roles"`
	// RiskCriteria names the AI risk criteria in force (6.1.1).
	RiskCriteria CriteriaRef `json:"riskCriteria"`
	// Objectives are the AI objectives (6.2).
	Objectives []Objective `json:"objectives"`
	// Changes are changes to the AIMS planned ahead (6.3).
	Changes []PlannedChange `json:"changes,omitempty"`
	// Approval records who approved this version of the record.
	Approval document.Approval `json:"approval"`
}

// OrganizationContext is the context of the organisation (ISO/IEC 42001
// 4.1): the external and internal issues that bear on its AIMS, the roles
// it takes toward AI systems, and whether climate change is a relevant
// issue.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type OrganizationContext struct {
	// ExternalIssues are issues from outside the organisation, such as
	// legislation, markets or technology.
	ExternalIssues []ContextIssue `json:"externalIssues"`
	// InternalIssues are issues from inside, such as strategy, skills or
	// the state of data.
	InternalIssues []ContextIssue `json:"internalIssues"`
	// AIRoles are the organisation's ISO/IEC 22989 roles toward AI systems.
	AIRoles []inventory.Role `json:"aiRoles"`
	// ClimateChange records whether climate change is a relevant issue.
	ClimateChange ClimateChange `json:"climateChange"`
}

// ContextIssue is one external or internal issue.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type ContextIssue struct {
	// Description says what the issue is and how it bears on the AIMS.
	Description string `json:"description"`
	// References point to documents or sources, free text.
	References []string `json:"references,omitempty"`
}

// ClimateChange records the organisation's determination whether climate
// change is a relevant issue for its AIMS.
//
// The zero value records no determination. It is a plain value, not safe
// for concurrent mutation.
type ClimateChange struct {
	// Relevant reports whether climate change is relevant; nil means that
	// it has not been determined, which [ManagementSystem.Validate]
	// reports.
	Relevant *bool `json:"relevant"`
	// Rationale explains the determination.
	Rationale string `json:"rationale,omitempty"`
}

// InterestedParty is a party with an interest in the AIMS and its relevant
// requirements (ISO/IEC 42001 4.2).
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type InterestedParty struct {
	// Name names the party or group, e.g. "Loan applicants".
	Name string `json:"name"`
	// Requirements are the party's requirements relevant to the AIMS.
	Requirements []PartyRequirement `json:"requirements"`
}

// PartyRequirement is one requirement of an interested party.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type PartyRequirement struct {
	// Type says where the requirement comes from.
	Type RequirementType `json:"type"`
	// Description states the requirement.
	Description string `json:"description"`
}

// RequirementType says where an interested party's requirement comes from.
// The zero value is [RequirementUnspecified].
type RequirementType string

// Requirement types.
const (
	RequirementUnspecified RequirementType = ""
	RequirementLegal       RequirementType = "legal"       // law or regulation
	RequirementContractual RequirementType = "contractual" // a contract or agreement
	RequirementEthical     RequirementType = "ethical"     // an ethical expectation or commitment
)

// Scope is the scope of the AIMS (ISO/IEC 42001 4.3): the AI systems it
// covers, its boundaries and what it excludes.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type Scope struct {
	// Systems are the ids of the AI systems in scope, each of which must
	// be an AISystem document of the same folder.
	Systems []uuid.UUID `json:"systems"`
	// Boundaries describes the organisational, physical and technical
	// boundaries of the AIMS.
	Boundaries string `json:"boundaries"`
	// Exclusions lists what is left out of scope, each with a
	// justification.
	Exclusions []Exclusion `json:"exclusions,omitempty"`
}

// Exclusion is something left out of the scope of the AIMS.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type Exclusion struct {
	// Item names what is excluded.
	Item string `json:"item"`
	// Justification says why.
	Justification string `json:"justification"`
}

// AIPolicy is the organisation's AI policy (ISO/IEC 42001 5.2, A.2.2). The
// policy text lives in its own document; this records which document it is,
// its approval, its next review (A.2.4) and its commitments.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type AIPolicy struct {
	// Title is the title of the policy.
	Title string `json:"title"`
	// Document references the policy document, e.g. "POL-AI-001 v2".
	Document string `json:"document"`
	// Approval records who approved the policy and when.
	Approval document.Approval `json:"approval"`
	// NextReview is when the policy is next reviewed; it must be after the
	// approval.
	NextReview document.Date `json:"nextReview,omitzero"`
	// Commitments are the commitments the policy makes, such as meeting
	// applicable requirements and improving the AIMS continually.
	Commitments []string `json:"commitments"`
}

// RoleAssignment assigns one role of the AIMS (ISO/IEC 42001 5.3, A.3.2).
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type RoleAssignment struct {
	// Role names the role, unique within the record.
	Role string `json:"role"`
	// Holder is the person or function that holds the role.
	Holder string `json:"holder"`
	// Responsibilities are what the holder is responsible for.
	Responsibilities []string `json:"responsibilities"`
	// Authorities are what the holder may decide or do.
	Authorities []string `json:"authorities,omitempty"`
}

// CriteriaRef names a versioned set of AI risk criteria (ISO/IEC 42001
// 6.1.1), e.g. {Name: "aimskit-5x5", Version: "1"}. The criteria themselves
// are defined by the risk package or by the organisation.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type CriteriaRef struct {
	// Name names the criteria set, e.g. "aimskit-5x5".
	Name string `json:"name"`
	// Version is the version of the set in force, e.g. "1".
	Version string `json:"version"`
}

// String returns "name@version".
func (c CriteriaRef) String() string { return c.Name + "@" + c.Version }

// Objective is an AI objective and the plan to achieve it (ISO/IEC 42001
// 6.2): what, how it is measured, the target, who, by when and how it is
// evaluated.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type Objective struct {
	// ID identifies the objective within the record, e.g. "obj-fairness".
	ID string `json:"id"`
	// Description states the objective.
	Description string `json:"description"`
	// Metric says what is measured.
	Metric string `json:"metric"`
	// Target is the level to reach.
	Target Target `json:"target"`
	// Owner is who answers for reaching the objective.
	Owner string `json:"owner"`
	// Due is when the objective is to be reached.
	Due document.Date `json:"due,omitzero"`
	// Evaluation says how and how often results are evaluated.
	Evaluation ObjectiveEvaluation `json:"evaluation"`
	// Systems are the AI systems the objective concerns; each must be in
	// the scope of the AIMS.
	Systems []uuid.UUID `json:"systems,omitempty"`
}

// Target is the target of an [Objective]: either a Value with a Unit and a
// Direction, or a Text for a target that is not a number.
//
// The zero value is no target; see [Target.IsZero]. It is a plain value,
// not safe for concurrent mutation.
type Target struct {
	// Value is the number to reach; nil when the target is a text.
	Value *float64 `json:"value,omitempty"`
	// Unit says what Value counts, e.g. "percentage points".
	Unit string `json:"unit,omitempty"`
	// Direction says whether Value is a minimum or a maximum.
	Direction TargetDirection `json:"direction,omitempty"`
	// Text states a target that is not a number.
	Text string `json:"text,omitempty"`
}

// IsZero reports whether no target is set.
func (t Target) IsZero() bool {
	return t.Value == nil && t.Unit == "" && t.Direction == TargetUnspecified && t.Text == ""
}

// TargetDirection says whether a target value is a minimum or a maximum.
// The zero value is [TargetUnspecified].
type TargetDirection string

// Target directions.
const (
	TargetUnspecified TargetDirection = ""
	TargetAtLeast     TargetDirection = "at-least" // the measure must reach the value or more
	TargetAtMost      TargetDirection = "at-most"  // the measure must stay at the value or below
)

// ObjectiveEvaluation says how the results of an objective are evaluated.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type ObjectiveEvaluation struct {
	// Method says how, e.g. "monthly fairness report reviewed by the
	// model risk committee".
	Method string `json:"method"`
	// Frequency says how often, e.g. "monthly".
	Frequency string `json:"frequency"`
}

// PlannedChange is a change to the AIMS planned ahead (ISO/IEC 42001 6.3).
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type PlannedChange struct {
	// Description says what changes.
	Description string `json:"description"`
	// Purpose says why, and what the change may affect.
	Purpose string `json:"purpose,omitempty"`
	// Owner is who carries out the change.
	Owner string `json:"owner,omitempty"`
	// Due is when the change is planned for.
	Due document.Date `json:"due,omitzero"`
}

// InScope reports whether the AI system with the given id is in the scope
// of the AIMS.
func (m *ManagementSystem) InScope(id uuid.UUID) bool {
	return slices.Contains(m.Scope.Systems, id)
}

// Objective returns the objective with the given id, and whether there is
// one.
func (m *ManagementSystem) Objective(id string) (Objective, bool) {
	for _, o := range m.Objectives {
		if o.ID == id {
			return o, true
		}
	}
	return Objective{}, false
}

// Validate reports every problem with m as a [*document.Error], with JSON
// pointers relative to the document. Beyond required fields and enum
// values it checks that ids are well formed and unique, that the AI policy
// is reviewed after its approval, that every objective has a target (a
// value with a unit and a direction, or a text) and concerns only AI
// systems in scope. Whether the systems in scope exist is checked by
// [Loader.Load], which sees the other documents.
func (m *ManagementSystem) Validate() error {
	var e document.Error
	if m.Kind != "" && m.Kind != KindManagementSystem {
		e.Add("/kind", "is %q, want %q", m.Kind, KindManagementSystem)
	}
	recCheckID(&e, "/id", m.ID)
	recRequire(&e, "/organization", m.Organization, "")
	recRequire(&e, "/version", m.Version, "")
	m.validateContext(&e)
	m.validateParties(&e)
	m.validateScope(&e)
	m.validatePolicy(&e)
	m.validateRoles(&e)
	recRequire(&e, "/riskCriteria/name", m.RiskCriteria.Name, "name the AI risk criteria in force (6.1.1)")
	recRequire(&e, "/riskCriteria/version", m.RiskCriteria.Version, "")
	m.validateObjectives(&e)
	for i, c := range m.Changes {
		recRequire(&e, document.Pointer("changes", i, "description"), c.Description, "")
	}
	recCheckApproval(&e, "/approval", m.Approval)
	return e.Err()
}

func (m *ManagementSystem) validateContext(e *document.Error) {
	c := m.Context
	recCheckIssues(e, "/context/externalIssues", c.ExternalIssues)
	recCheckIssues(e, "/context/internalIssues", c.InternalIssues)
	if len(c.AIRoles) == 0 {
		e.Add("/context/aiRoles", "is required: determine the organisation's roles toward AI systems (4.1)")
	}
	seen := make(map[inventory.Role]int)
	for i, r := range c.AIRoles {
		ptr := document.Pointer("context", "aiRoles", i)
		if !recValidAIRole(r) {
			e.Add(ptr, "unknown role %q (want provider, producer, customer, partner, subject or relevant-authority)", r)
			continue
		}
		if j, dup := seen[r]; dup {
			e.Add(ptr, "role %s is listed twice (also at /context/aiRoles/%d)", r, j)
		}
		seen[r] = i
	}
	if c.ClimateChange.Relevant == nil {
		e.Add("/context/climateChange/relevant", "is required: determine whether climate change is a relevant issue (4.1)")
	}
}

func (m *ManagementSystem) validateParties(e *document.Error) {
	if len(m.InterestedParties) == 0 {
		e.Add("/interestedParties", "is required: list the interested parties relevant to the AIMS (4.2)")
	}
	seen := make(map[string]int)
	for i, p := range m.InterestedParties {
		ptr := document.Pointer("interestedParties", i)
		recRequire(e, ptr+"/name", p.Name, "")
		if j, dup := seen[p.Name]; dup && p.Name != "" {
			e.Add(ptr+"/name", "party %q is listed twice (also at /interestedParties/%d)", p.Name, j)
		}
		seen[p.Name] = i
		if len(p.Requirements) == 0 {
			e.Add(ptr+"/requirements", "is required: list the party's requirements relevant to the AIMS")
		}
		for k, r := range p.Requirements {
			rp := fmt.Sprintf("%s/requirements/%d", ptr, k)
			switch r.Type {
			case RequirementLegal, RequirementContractual, RequirementEthical:
			case RequirementUnspecified:
				e.Add(rp+"/type", "is required (legal, contractual or ethical)")
			default:
				e.Add(rp+"/type", "unknown requirement type %q (want legal, contractual or ethical)", r.Type)
			}
			recRequire(e, rp+"/description", r.Description, "")
		}
	}
}

func (m *ManagementSystem) validateScope(e *document.Error) {
	s := m.Scope
	if len(s.Systems) == 0 {
		e.Add("/scope/systems", "is required: list the AI systems in the scope of the AIMS (4.3)")
	}
	recCheckSystems(e, "/scope/systems", s.Systems)
	recRequire(e, "/scope/boundaries", s.Boundaries, "describe the boundaries of the AIMS (4.3)")
	for i, x := range s.Exclusions {
		ptr := document.Pointer("scope", "exclusions", i)
		recRequire(e, ptr+"/item", x.Item, "")
		recRequire(e, ptr+"/justification", x.Justification, "justify every exclusion")
	}
}

func (m *ManagementSystem) validatePolicy(e *document.Error) {
	p := m.Policy
	recRequire(e, "/policy/title", p.Title, "")
	recRequire(e, "/policy/document", p.Document, "reference the policy document (5.2)")
	recCheckApproval(e, "/policy/approval", p.Approval)
	switch {
	case p.NextReview.IsZero():
		e.Add("/policy/nextReview", "is required: plan the next review of the AI policy (A.2.4)")
	case !p.Approval.Date.IsZero() && !p.NextReview.After(p.Approval.Date):
		e.Add("/policy/nextReview", "is %s, not after the approval date %s", p.NextReview, p.Approval.Date)
	}
	recCheckTexts(e, "/policy/commitments", p.Commitments, "list the commitments of the policy (5.2)")
}

func (m *ManagementSystem) validateRoles(e *document.Error) {
	if len(m.Roles) == 0 {
		e.Add("/roles", "is required: assign the roles of the AIMS (5.3)")
	}
	seen := make(map[string]int)
	for i, r := range m.Roles {
		ptr := document.Pointer("roles", i)
		recRequire(e, ptr+"/role", r.Role, "")
		if j, dup := seen[r.Role]; dup && r.Role != "" {
			e.Add(ptr+"/role", "role %q is assigned twice (also at /roles/%d)", r.Role, j)
		}
		seen[r.Role] = i
		recRequire(e, ptr+"/holder", r.Holder, "")
		recCheckTexts(e, ptr+"/responsibilities", r.Responsibilities, "")
		for k, a := range r.Authorities {
			recRequire(e, fmt.Sprintf("%s/authorities/%d", ptr, k), a, "")
		}
	}
}

func (m *ManagementSystem) validateObjectives(e *document.Error) {
	if len(m.Objectives) == 0 {
		e.Add("/objectives", "is required: set AI objectives (6.2)")
	}
	seen := make(map[string]int)
	for i, o := range m.Objectives {
		ptr := document.Pointer("objectives", i)
		recCheckID(e, ptr+"/id", o.ID)
		if j, dup := seen[o.ID]; dup && o.ID != "" {
			e.Add(ptr+"/id", "objective %q is defined twice (also at /objectives/%d)", o.ID, j)
		}
		seen[o.ID] = i
		recRequire(e, ptr+"/description", o.Description, "")
		recRequire(e, ptr+"/metric", o.Metric, "say how the objective is measured (6.2)")
		recCheckTarget(e, ptr+"/target", o.Target)
		recRequire(e, ptr+"/owner", o.Owner, "")
		if o.Due.IsZero() {
			e.Add(ptr+"/due", "is required: say when the objective is to be reached (6.2)")
		}
		recRequire(e, ptr+"/evaluation/method", o.Evaluation.Method, "")
		recRequire(e, ptr+"/evaluation/frequency", o.Evaluation.Frequency, "")
		recCheckSystems(e, ptr+"/systems", o.Systems)
		for k, id := range o.Systems {
			if id != uuid.Nil && len(m.Scope.Systems) > 0 && !m.InScope(id) {
				e.Add(fmt.Sprintf("%s/systems/%d", ptr, k), "AI system %s is not in the scope of the AIMS (/scope/systems)", id)
			}
		}
	}
}

// recCheckTarget checks that a target is a value with a unit and a
// direction, or a text.
func recCheckTarget(e *document.Error, ptr string, t Target) {
	if t.IsZero() {
		e.Add(ptr, "is required: give a value with a unit and a direction, or a text (6.2)")
		return
	}
	switch t.Direction {
	case TargetUnspecified, TargetAtLeast, TargetAtMost:
	default:
		e.Add(ptr+"/direction", "unknown direction %q (want at-least or at-most)", t.Direction)
	}
	if t.Value == nil {
		if t.Unit != "" || t.Direction != TargetUnspecified {
			e.Add(ptr+"/value", "is required with a unit or a direction")
			return
		}
		recRequire(e, ptr+"/text", t.Text, "give a text, or a value with a unit and a direction")
		return
	}
	if t.Text != "" {
		e.Add(ptr+"/text", "is set with a value: give a value or a text, not both")
	}
	recRequire(e, ptr+"/unit", t.Unit, "say what the value counts")
	if t.Direction == TargetUnspecified {
		e.Add(ptr+"/direction", "is required with a value (at-least or at-most)")
	}
}

// Clone returns a deep copy of m.
func (m *ManagementSystem) Clone() *ManagementSystem {
	if m == nil {
		return nil
	}
	c := *m
	cx := &c.Context
	cx.ExternalIssues = recCloneIssues(cx.ExternalIssues)
	cx.InternalIssues = recCloneIssues(cx.InternalIssues)
	cx.AIRoles = slices.Clone(cx.AIRoles)
	if cx.ClimateChange.Relevant != nil {
		v := *cx.ClimateChange.Relevant
		cx.ClimateChange.Relevant = &v
	}
	c.InterestedParties = slices.Clone(m.InterestedParties)
	for i := range c.InterestedParties {
		c.InterestedParties[i].Requirements = slices.Clone(c.InterestedParties[i].Requirements)
	}
	c.Scope.Systems = slices.Clone(m.Scope.Systems)
	c.Scope.Exclusions = slices.Clone(m.Scope.Exclusions)
	c.Policy.Commitments = slices.Clone(m.Policy.Commitments)
	c.Roles = slices.Clone(m.Roles)
	for i := range c.Roles {
		r := &c.Roles[i]
		r.Responsibilities = slices.Clone(r.Responsibilities)
		r.Authorities = slices.Clone(r.Authorities)
	}
	c.Objectives = slices.Clone(m.Objectives)
	for i := range c.Objectives {
		o := &c.Objectives[i]
		if o.Target.Value != nil {
			v := *o.Target.Value
			o.Target.Value = &v
		}
		o.Systems = slices.Clone(o.Systems)
	}
	c.Changes = slices.Clone(m.Changes)
	return &c
}

// AuditRecord is the record of one internal audit of the AIMS: document
// kind "AuditRecord" (ISO/IEC 42001 9.2). It records what was audited
// against which criteria, by whom and how independently, when, the graded
// findings and the conclusion.
//
// A finding graded as a major or minor nonconformity names the
// [Nonconformity] that handles it; [Loader.Load] checks that it exists.
//
// The zero value is an empty record; [AuditRecord.Validate] reports what is
// missing. An AuditRecord is a plain value: it is not safe for concurrent
// mutation, and [AuditRecord.Clone] gives an independent copy.
type AuditRecord struct {
	document.Header

	// ID identifies the audit, e.g. "audit-2026-q4".
	ID string `json:"id"`
	// Scope is what was audited.
	Scope AuditScope `json:"scope"`
	// Criteria are what the audit checked against.
	Criteria AuditCriteria `json:"criteria"`
	// Auditor is who audited.
	Auditor Auditor `json:"auditor"`
	// Period is when the audit took place.
	Period AuditPeriod `json:"period"`
	// Findings are the audit's findings; an audit may have none.
	Findings []AuditFinding `json:"findings,omitempty"`
	// Conclusion is the audit's overall conclusion.
	Conclusion string `json:"conclusion"`
}

// AuditScope is what an audit covered: clauses, controls and AI systems.
//
// The zero value names nothing, which [AuditRecord.Validate] reports. It
// is a plain value, not safe for concurrent mutation.
type AuditScope struct {
	// Clauses are ISO/IEC 42001 clause ids, e.g. "iso42001:9.1".
	Clauses []string `json:"clauses,omitempty"`
	// Controls are control ids, e.g. "iso42001:A.6.2.6" or "org:SEC-01".
	Controls []string `json:"controls,omitempty"`
	// Systems are the AI systems audited.
	Systems []uuid.UUID `json:"systems,omitempty"`
}

// IsZero reports whether the scope names nothing.
func (s AuditScope) IsZero() bool {
	return len(s.Clauses) == 0 && len(s.Controls) == 0 && len(s.Systems) == 0
}

// AuditCriteria are the criteria an audit checked against (9.2.2).
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type AuditCriteria struct {
	// Description states the criteria.
	Description string `json:"description"`
	// References point to the documents the criteria come from.
	References []string `json:"references,omitempty"`
}

// Auditor is who carried out an audit, with a statement of how the
// objectivity and impartiality of the audit were ensured (9.2.2).
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type Auditor struct {
	// Name names the auditor or audit team.
	Name string `json:"name"`
	// Independence states why the auditor is objective and impartial
	// toward what was audited.
	Independence string `json:"independence"`
}

// AuditPeriod is the first and last day of an audit.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type AuditPeriod struct {
	// Start is the first day of the audit.
	Start document.Date `json:"start,omitzero"`
	// End is the last day; it may equal Start.
	End document.Date `json:"end,omitzero"`
}

// AuditFinding is one finding of an audit.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type AuditFinding struct {
	// ID identifies the finding within the audit, e.g. "f-01".
	ID string `json:"id"`
	// Grade says what kind of finding it is.
	Grade FindingGrade `json:"grade"`
	// Clauses are the ISO/IEC 42001 clauses the finding concerns.
	Clauses []string `json:"clauses,omitempty"`
	// Controls are the controls the finding concerns.
	Controls []string `json:"controls,omitempty"`
	// Description says what was found.
	Description string `json:"description"`
	// Nonconformity is the id of the [Nonconformity] that handles the
	// finding. It is required for, and only allowed with, a nonconformity
	// grade.
	Nonconformity string `json:"nonconformity,omitempty"`
}

// FindingGrade grades an audit finding.
// The zero value is [GradeUnspecified].
type FindingGrade string

// Finding grades, from most to least severe.
const (
	GradeUnspecified               FindingGrade = ""
	GradeMajorNonconformity        FindingGrade = "major-nonconformity"         // a requirement is not fulfilled, with a systemic or serious effect
	GradeMinorNonconformity        FindingGrade = "minor-nonconformity"         // a requirement is not fulfilled, in a limited way
	GradeObservation               FindingGrade = "observation"                 // no requirement is breached, but one may be
	GradeOpportunityForImprovement FindingGrade = "opportunity-for-improvement" // a suggestion to do better
)

// IsNonconformity reports whether g grades a nonconformity (major or
// minor).
func (g FindingGrade) IsNonconformity() bool {
	return g == GradeMajorNonconformity || g == GradeMinorNonconformity
}

func (g FindingGrade) valid() bool {
	return g.IsNonconformity() || g == GradeObservation || g == GradeOpportunityForImprovement
}

// Finding returns the finding with the given id, and whether there is one.
func (a *AuditRecord) Finding(id string) (AuditFinding, bool) {
	for _, f := range a.Findings {
		if f.ID == id {
			return f, true
		}
	}
	return AuditFinding{}, false
}

// Validate reports every problem with a as a [*document.Error], with JSON
// pointers relative to the document. Beyond required fields and enum
// values it checks the syntax of clause and control ids, that the audit
// ends no earlier than it starts, that finding ids are unique, and that a
// finding graded as a nonconformity names the requirements not fulfilled
// and the [Nonconformity] that handles it (and that no other finding names
// one). Whether that nonconformity exists is checked by [Loader.Load].
func (a *AuditRecord) Validate() error {
	var e document.Error
	if a.Kind != "" && a.Kind != KindAuditRecord {
		e.Add("/kind", "is %q, want %q", a.Kind, KindAuditRecord)
	}
	recCheckID(&e, "/id", a.ID)
	if a.Scope.IsZero() {
		e.Add("/scope", "is required: name the clauses, controls or AI systems audited (9.2.2)")
	}
	recCheckClauses(&e, "/scope/clauses", a.Scope.Clauses)
	recCheckControls(&e, "/scope/controls", a.Scope.Controls)
	recCheckSystems(&e, "/scope/systems", a.Scope.Systems)
	recRequire(&e, "/criteria/description", a.Criteria.Description, "state the audit criteria (9.2.2)")
	recCheckTexts(&e, "/criteria/references", a.Criteria.References, "")
	recRequire(&e, "/auditor/name", a.Auditor.Name, "")
	recRequire(&e, "/auditor/independence", a.Auditor.Independence, "state how the objectivity and impartiality of the audit are ensured (9.2.2)")
	if a.Period.Start.IsZero() {
		e.Add("/period/start", "is required")
	}
	switch {
	case a.Period.End.IsZero():
		e.Add("/period/end", "is required")
	case a.Period.End.Before(a.Period.Start):
		e.Add("/period/end", "is %s, before the start %s", a.Period.End, a.Period.Start)
	}
	seen := make(map[string]int)
	for i, f := range a.Findings {
		ptr := document.Pointer("findings", i)
		recCheckID(&e, ptr+"/id", f.ID)
		if j, dup := seen[f.ID]; dup && f.ID != "" {
			e.Add(ptr+"/id", "finding %q is listed twice (also at /findings/%d)", f.ID, j)
		}
		seen[f.ID] = i
		switch {
		case f.Grade == GradeUnspecified:
			e.Add(ptr+"/grade", "is required")
		case !f.Grade.valid():
			e.Add(ptr+"/grade", "unknown grade %q (want major-nonconformity, minor-nonconformity, observation or opportunity-for-improvement)", f.Grade)
		}
		recCheckClauses(&e, ptr+"/clauses", f.Clauses)
		recCheckControls(&e, ptr+"/controls", f.Controls)
		recRequire(&e, ptr+"/description", f.Description, "")
		switch {
		case f.Grade.IsNonconformity() && f.Nonconformity == "":
			e.Add(ptr+"/nonconformity", "is required for a %s: give the id of the Nonconformity that handles it (10.2)", f.Grade)
		case f.Grade.IsNonconformity():
			recCheckID(&e, ptr+"/nonconformity", f.Nonconformity)
		case f.Nonconformity != "" && f.Grade.valid():
			e.Add(ptr+"/nonconformity", "is set, but only a finding graded as a nonconformity links a Nonconformity")
		}
		if f.Grade.IsNonconformity() && len(f.Clauses) == 0 && len(f.Controls) == 0 {
			e.Add(ptr+"/clauses", "is required for a %s: name the clauses or controls not fulfilled", f.Grade)
		}
	}
	recRequire(&e, "/conclusion", a.Conclusion, "")
	return e.Err()
}

// Clone returns a deep copy of a.
func (a *AuditRecord) Clone() *AuditRecord {
	if a == nil {
		return nil
	}
	c := *a
	c.Scope.Clauses = slices.Clone(a.Scope.Clauses)
	c.Scope.Controls = slices.Clone(a.Scope.Controls)
	c.Scope.Systems = slices.Clone(a.Scope.Systems)
	c.Criteria.References = slices.Clone(a.Criteria.References)
	c.Findings = slices.Clone(a.Findings)
	for i := range c.Findings {
		f := &c.Findings[i]
		f.Clauses = slices.Clone(f.Clauses)
		f.Controls = slices.Clone(f.Controls)
	}
	return &c
}

// ManagementReview is the record of one management review of the AIMS:
// document kind "ManagementReview" (ISO/IEC 42001 9.3). It records when
// the review took place and who took part, the inputs considered (9.3.2),
// and the results (9.3.3): decisions on improvement, changes to the AIMS,
// resource needs and the actions agreed.
//
// The zero value is an empty record; [ManagementReview.Validate] reports
// what is missing. A ManagementReview is a plain value: it is not safe for
// concurrent mutation, and [ManagementReview.Clone] gives an independent
// copy.
type ManagementReview struct {
	document.Header

	// ID identifies the review, e.g. "mr-2026".
	ID string `json:"id"`
	// Date is the day of the review.
	Date document.Date `json:"date,omitzero"`
	// Chair is who chaired the review.
	Chair string `json:"chair"`
	// Attendees are who took part.
	Attendees []string `json:"attendees"`
	// Inputs are what the review considered. Every [ReviewTopic] must be
	// covered by at least one input.
	Inputs []ReviewInput `json:"inputs"`
	// Results are what the review decided.
	Results ReviewResults `json:"results"`
}

// ReviewInput is one input to a management review: a topic of 9.3.2, a
// summary of what was presented and references to the records behind it.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type ReviewInput struct {
	// Topic is the 9.3.2 topic the input covers.
	Topic ReviewTopic `json:"topic"`
	// Summary says what was presented.
	Summary string `json:"summary"`
	// References point to the records behind the input, e.g.
	// "audit-2026-q4" or "nc-2026-004".
	References []string `json:"references,omitempty"`
}

// ReviewTopic is a topic that a management review considers (ISO/IEC 42001
// 9.3.2).
// The zero value is [ReviewTopicUnspecified].
type ReviewTopic string

// Review topics. A review covers each of them (see [ReviewTopics]).
const (
	ReviewTopicUnspecified              ReviewTopic = ""
	ReviewTopicPreviousActions          ReviewTopic = "previous-actions"          // status of actions from earlier reviews
	ReviewTopicIssueChanges             ReviewTopic = "issue-changes"             // changes in external and internal issues
	ReviewTopicInterestedPartyChanges   ReviewTopic = "interested-party-changes"  // changes in needs and expectations of interested parties
	ReviewTopicNonconformities          ReviewTopic = "nonconformities"           // nonconformities and corrective actions
	ReviewTopicMonitoringResults        ReviewTopic = "monitoring-results"        // monitoring and measurement results
	ReviewTopicAuditResults             ReviewTopic = "audit-results"             // audit results
	ReviewTopicImprovementOpportunities ReviewTopic = "improvement-opportunities" // opportunities for continual improvement
)

// ReviewTopics returns every [ReviewTopic] a management review must cover,
// in the order of the standard. The caller owns the returned slice.
func ReviewTopics() []ReviewTopic {
	return []ReviewTopic{
		ReviewTopicPreviousActions,
		ReviewTopicIssueChanges,
		ReviewTopicInterestedPartyChanges,
		ReviewTopicNonconformities,
		ReviewTopicMonitoringResults,
		ReviewTopicAuditResults,
		ReviewTopicImprovementOpportunities,
	}
}

// ReviewResults are the results of a management review (ISO/IEC 42001
// 9.3.3).
//
// The zero value records no result, which [ManagementReview.Validate]
// reports. It is a plain value, not safe for concurrent mutation.
type ReviewResults struct {
	// Improvements are decisions on opportunities for continual
	// improvement.
	Improvements []ReviewItem `json:"improvements,omitempty"`
	// Changes are changes needed to the AIMS.
	Changes []ReviewItem `json:"changes,omitempty"`
	// ResourceNeeds are resources the AIMS needs.
	ResourceNeeds []ReviewItem `json:"resourceNeeds,omitempty"`
	// Actions are the actions agreed, each with an owner and a due date.
	Actions []ReviewAction `json:"actions,omitempty"`
}

// IsZero reports whether the review decided nothing.
func (r ReviewResults) IsZero() bool {
	return len(r.Improvements) == 0 && len(r.Changes) == 0 && len(r.ResourceNeeds) == 0 && len(r.Actions) == 0
}

// ReviewItem is one decision of a management review.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type ReviewItem struct {
	// Description states the decision.
	Description string `json:"description"`
	// References point to the records behind it.
	References []string `json:"references,omitempty"`
}

// ReviewAction is an action agreed by a management review.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type ReviewAction struct {
	// ID identifies the action within the review, e.g. "act-01", so that
	// the next review can report its status.
	ID string `json:"id"`
	// Description says what is to be done.
	Description string `json:"description"`
	// Owner is who does it.
	Owner string `json:"owner"`
	// Due is when it is due; Completed when it was done, zero while open.
	Due       document.Date `json:"due,omitzero"`
	Completed document.Date `json:"completed,omitzero"`
}

// Validate reports every problem with r as a [*document.Error], with JSON
// pointers relative to the document. Beyond required fields and enum
// values it checks that every [ReviewTopic] is covered by an input, that
// the review decided or agreed at least one thing, and that action ids are
// unique and actions fall due and complete no earlier than the review.
func (r *ManagementReview) Validate() error {
	var e document.Error
	if r.Kind != "" && r.Kind != KindManagementReview {
		e.Add("/kind", "is %q, want %q", r.Kind, KindManagementReview)
	}
	recCheckID(&e, "/id", r.ID)
	if r.Date.IsZero() {
		e.Add("/date", "is required")
	}
	recRequire(&e, "/chair", r.Chair, "")
	recCheckTexts(&e, "/attendees", r.Attendees, "list who took part")
	topics := ReviewTopics()
	covered := make(map[ReviewTopic]bool)
	for i, in := range r.Inputs {
		ptr := document.Pointer("inputs", i)
		switch {
		case in.Topic == ReviewTopicUnspecified:
			e.Add(ptr+"/topic", "is required")
		case !slices.Contains(topics, in.Topic):
			e.Add(ptr+"/topic", "unknown topic %q", in.Topic)
		}
		covered[in.Topic] = true
		recRequire(&e, ptr+"/summary", in.Summary, "")
		recCheckTexts(&e, ptr+"/references", in.References, "")
	}
	for _, t := range topics {
		if !covered[t] {
			e.Add("/inputs", "has no input on %s: a management review considers every topic of 9.3.2", t)
		}
	}
	res := r.Results
	if res.IsZero() {
		e.Add("/results", "is required: record the decisions and actions of the review (9.3.3)")
	}
	recCheckItems(&e, "/results/improvements", res.Improvements)
	recCheckItems(&e, "/results/changes", res.Changes)
	recCheckItems(&e, "/results/resourceNeeds", res.ResourceNeeds)
	seen := make(map[string]int)
	for i, a := range res.Actions {
		ptr := document.Pointer("results", "actions", i)
		recCheckID(&e, ptr+"/id", a.ID)
		if j, dup := seen[a.ID]; dup && a.ID != "" {
			e.Add(ptr+"/id", "action %q is listed twice (also at /results/actions/%d)", a.ID, j)
		}
		seen[a.ID] = i
		recRequire(&e, ptr+"/description", a.Description, "")
		recRequire(&e, ptr+"/owner", a.Owner, "")
		switch {
		case a.Due.IsZero():
			e.Add(ptr+"/due", "is required")
		case !r.Date.IsZero() && a.Due.Before(r.Date):
			e.Add(ptr+"/due", "is %s, before the review on %s", a.Due, r.Date)
		}
		if !a.Completed.IsZero() && !r.Date.IsZero() && a.Completed.Before(r.Date) {
			e.Add(ptr+"/completed", "is %s, before the review on %s", a.Completed, r.Date)
		}
	}
	return e.Err()
}

// Clone returns a deep copy of r.
func (r *ManagementReview) Clone() *ManagementReview {
	if r == nil {
		return nil
	}
	c := *r
	c.Attendees = slices.Clone(r.Attendees)
	c.Inputs = slices.Clone(r.Inputs)
	for i := range c.Inputs {
		c.Inputs[i].References = slices.Clone(c.Inputs[i].References)
	}
	c.Results.Improvements = recCloneItems(r.Results.Improvements)
	c.Results.Changes = recCloneItems(r.Results.Changes)
	c.Results.ResourceNeeds = recCloneItems(r.Results.ResourceNeeds)
	c.Results.Actions = slices.Clone(r.Results.Actions)
	return &c
}

// Nonconformity is a nonconformity and what was done about it: document
// kind "Nonconformity" (ISO/IEC 42001 10.2). It records where the
// nonconformity came from, when it was detected, what it is and which
// requirements and AI systems it concerns; the correction that contained
// it; its root cause; the corrective action that removes the cause; the
// review of that action's effectiveness; and the closure.
//
// Its status is derived from these fields, see [Nonconformity.Status].
// Once the status is past [NonconformityOpen] (that is, once a corrective
// action, an effectiveness review or a closure is recorded), the
// corrective action needs a description, an owner and a due date, and the
// root cause must be recorded. A correction alone never closes a
// nonconformity.
//
// The zero value is an empty record; [Nonconformity.Validate] reports what
// is missing. A Nonconformity is a plain value: it is not safe for
// concurrent mutation, and [Nonconformity.Clone] gives an independent
// copy.
type Nonconformity struct {
	document.Header

	// ID identifies the nonconformity, e.g. "nc-2026-004".
	ID string `json:"id"`
	// Source says how the nonconformity came to light.
	Source NonconformitySource `json:"source"`
	// Detected is the day it was detected.
	Detected document.Date `json:"detected,omitzero"`
	// Description says what is not fulfilled.
	Description string `json:"description"`
	// Clauses are the ISO/IEC 42001 clauses not fulfilled.
	Clauses []string `json:"clauses,omitempty"`
	// Controls are the controls not fulfilled.
	Controls []string `json:"controls,omitempty"`
	// Systems are the AI systems affected.
	Systems []uuid.UUID `json:"systems,omitempty"`
	// Correction is the immediate action taken to contain the
	// nonconformity and deal with its consequences; zero if none.
	Correction Correction `json:"correction,omitzero"`
	// RootCause is the cause found.
	RootCause string `json:"rootCause,omitempty"`
	// CorrectiveAction is the action that removes the cause, so that the
	// nonconformity does not recur; zero while none is planned.
	CorrectiveAction CorrectiveAction `json:"correctiveAction,omitzero"`
	// EffectivenessReview is the review of whether the corrective action
	// worked; zero while not reviewed.
	EffectivenessReview EffectivenessReview `json:"effectivenessReview,omitzero"`
	// Closure records the closing of the nonconformity; zero while open.
	Closure Closure `json:"closure,omitzero"`
}

// NonconformitySource says how a nonconformity came to light.
//
// Like the record it is part of, it is a plain value whose zero value is
// empty; it is not safe for concurrent mutation.
type NonconformitySource struct {
	// Type is the kind of source.
	Type NonconformitySourceType `json:"type"`
	// Audit and Finding are the ids of the [AuditRecord] and of its
	// finding; required for, and only allowed with, [SourceAuditFinding].
	Audit   string `json:"audit,omitempty"`
	Finding string `json:"finding,omitempty"`
	// Incident references the incident; required for, and only allowed
	// with, [SourceIncident].
	Incident string `json:"incident,omitempty"`
	// Description describes the source; required for [SourceOther].
	Description string `json:"description,omitempty"`
}

// NonconformitySourceType is the kind of source of a nonconformity.
// The zero value is [SourceUnspecified].
type NonconformitySourceType string

// Kinds of source.
const (
	SourceUnspecified  NonconformitySourceType = ""
	SourceAuditFinding NonconformitySourceType = "audit-finding" // a finding of an internal or external audit
	SourceIncident     NonconformitySourceType = "incident"      // an incident
	SourceMonitoring   NonconformitySourceType = "monitoring"    // monitoring or measurement (9.1)
	SourceComplaint    NonconformitySourceType = "complaint"     // a complaint or report of a concern (A.3.3, A.8.3)
	SourceOther        NonconformitySourceType = "other"         // anything else, described
)

// Correction is the immediate action taken on a nonconformity.
//
// The zero value means that no correction is recorded. It is a plain
// value, safe to copy.
type Correction struct {
	// Action says what was done.
	Action string `json:"action"`
	// Date is when it was done.
	Date document.Date `json:"date,omitzero"`
}

// IsZero reports whether no correction is recorded.
func (c Correction) IsZero() bool { return c.Action == "" && c.Date.IsZero() }

// CorrectiveAction is the action that removes the cause of a
// nonconformity.
//
// The zero value means that none is planned. It is a plain value, safe to
// copy.
type CorrectiveAction struct {
	// Description says what is to be done.
	Description string `json:"description"`
	// Owner is who does it.
	Owner string `json:"owner"`
	// Due is when it is due; Completed when it was done, zero while not
	// done.
	Due       document.Date `json:"due,omitzero"`
	Completed document.Date `json:"completed,omitzero"`
}

// IsZero reports whether no corrective action is recorded.
func (a CorrectiveAction) IsZero() bool {
	return a.Description == "" && a.Owner == "" && a.Due.IsZero() && a.Completed.IsZero()
}

// EffectivenessReview is the review of whether a corrective action worked.
//
// The zero value means not reviewed. It is a plain value, safe to copy.
type EffectivenessReview struct {
	// Date is the day of the review.
	Date document.Date `json:"date,omitzero"`
	// Reviewer is who reviewed.
	Reviewer string `json:"reviewer"`
	// Effective reports whether the corrective action was found effective.
	Effective bool `json:"effective"`
	// Notes say what the review looked at.
	Notes string `json:"notes,omitempty"`
}

// IsZero reports whether no review is recorded.
func (r EffectivenessReview) IsZero() bool {
	return r.Date.IsZero() && r.Reviewer == "" && !r.Effective && r.Notes == ""
}

// Closure records the closing of a nonconformity.
//
// The zero value means not closed. It is a plain value, safe to copy.
type Closure struct {
	// Date is the day it was closed.
	Date document.Date `json:"date,omitzero"`
	// ClosedBy is who closed it.
	ClosedBy string `json:"closedBy"`
}

// IsZero reports whether no closure is recorded.
func (c Closure) IsZero() bool { return c.Date.IsZero() && c.ClosedBy == "" }

// NonconformityStatus is where a nonconformity stands, derived by
// [Nonconformity.Status].
// The zero value is [NonconformityStatusUnspecified].
type NonconformityStatus string

// Statuses of a nonconformity, in the order they are normally reached.
const (
	NonconformityStatusUnspecified NonconformityStatus = ""
	// NonconformityOpen: no corrective action is planned yet.
	NonconformityOpen NonconformityStatus = "open"
	// NonconformityCorrectiveActionPlanned: a corrective action is planned
	// and not complete, or its effectiveness review found it not effective
	// and a further action is needed.
	NonconformityCorrectiveActionPlanned NonconformityStatus = "corrective-action-planned"
	// NonconformityAwaitingEffectivenessReview: the corrective action is
	// complete and awaits a review that finds it effective, and closure.
	NonconformityAwaitingEffectivenessReview NonconformityStatus = "awaiting-effectiveness-review"
	// NonconformityClosed: the nonconformity is closed.
	NonconformityClosed NonconformityStatus = "closed"
)

// Status derives the status of n from its fields. The first rule that
// applies wins:
//
//   - [NonconformityClosed] when a closure is recorded;
//   - [NonconformityCorrectiveActionPlanned] when an effectiveness review
//     found the corrective action not effective: a further action is
//     needed, which is recorded in place of the old one, removing the old
//     review (version control keeps the history);
//   - [NonconformityAwaitingEffectivenessReview] when the corrective action
//     is complete;
//   - [NonconformityCorrectiveActionPlanned] when a corrective action is
//     recorded;
//   - [NonconformityOpen] otherwise.
//
// Status never returns [NonconformityStatusUnspecified], not even for a
// record that does not validate.
func (n *Nonconformity) Status() NonconformityStatus {
	switch {
	case !n.Closure.IsZero():
		return NonconformityClosed
	case !n.EffectivenessReview.IsZero() && !n.EffectivenessReview.Effective:
		return NonconformityCorrectiveActionPlanned
	case !n.CorrectiveAction.Completed.IsZero():
		return NonconformityAwaitingEffectivenessReview
	case !n.CorrectiveAction.IsZero():
		return NonconformityCorrectiveActionPlanned
	}
	return NonconformityOpen
}

// Overdue reports whether the corrective action of n is overdue on the day
// of now (in now's location): the status is
// [NonconformityCorrectiveActionPlanned] and the due date has passed. The
// due day itself is not overdue. A nonconformity without a due date is
// never overdue.
func (n *Nonconformity) Overdue(now time.Time) bool {
	due := n.CorrectiveAction.Due
	return n.Status() == NonconformityCorrectiveActionPlanned && !due.IsZero() && document.DateOf(now).After(due)
}

// Validate reports every problem with n as a [*document.Error], with JSON
// pointers relative to the document. Beyond required fields and enum
// values it checks:
//
//   - the source has the fields its type needs and no others;
//   - at least one clause or control is named, with well-formed ids;
//   - once the status is past open, the corrective action has a
//     description, an owner and a due date, and the root cause is
//     recorded;
//   - an effectiveness review needs a completed corrective action, and a
//     closure needs an effectiveness review that found the action
//     effective;
//   - dates are in order: detected ≤ correction ≤ corrective action
//     completed ≤ effectiveness review ≤ closure, and the corrective action
//     is not due before detection.
//
// Whether the audit, finding or incident of the source exists is checked
// by [Loader.Load].
func (n *Nonconformity) Validate() error {
	var e document.Error
	if n.Kind != "" && n.Kind != KindNonconformity {
		e.Add("/kind", "is %q, want %q", n.Kind, KindNonconformity)
	}
	recCheckID(&e, "/id", n.ID)
	n.validateSource(&e)
	if n.Detected.IsZero() {
		e.Add("/detected", "is required")
	}
	recRequire(&e, "/description", n.Description, "")
	if len(n.Clauses) == 0 && len(n.Controls) == 0 {
		e.Add("/clauses", "is required: name the clauses or controls not fulfilled")
	}
	recCheckClauses(&e, "/clauses", n.Clauses)
	recCheckControls(&e, "/controls", n.Controls)
	recCheckSystems(&e, "/systems", n.Systems)
	if c := n.Correction; !c.IsZero() {
		recRequire(&e, "/correction/action", c.Action, "")
		if c.Date.IsZero() {
			e.Add("/correction/date", "is required")
		}
	}
	ca, rv, cl := n.CorrectiveAction, n.EffectivenessReview, n.Closure
	if !ca.IsZero() || !rv.IsZero() || !cl.IsZero() {
		recRequire(&e, "/correctiveAction/description", ca.Description, "record the corrective action once the nonconformity is past open (10.2)")
		recRequire(&e, "/correctiveAction/owner", ca.Owner, "")
		if ca.Due.IsZero() {
			e.Add("/correctiveAction/due", "is required")
		}
		recRequire(&e, "/rootCause", n.RootCause, "determine the cause before acting on it (10.2)")
	}
	if !rv.IsZero() {
		if rv.Date.IsZero() {
			e.Add("/effectivenessReview/date", "is required")
		}
		recRequire(&e, "/effectivenessReview/reviewer", rv.Reviewer, "")
		if ca.Completed.IsZero() {
			e.Add("/correctiveAction/completed", "is required: effectiveness is reviewed once the corrective action is complete")
		}
	}
	if !cl.IsZero() {
		if cl.Date.IsZero() {
			e.Add("/closure/date", "is required")
		}
		recRequire(&e, "/closure/closedBy", cl.ClosedBy, "")
		switch {
		case rv.IsZero():
			e.Add("/effectivenessReview", "is required before closure: review whether the corrective action was effective (10.2)")
		case !rv.Effective:
			e.Add("/effectivenessReview/effective", "is false: a nonconformity is closed only once its corrective action proved effective")
		}
	}
	n.validateDates(&e)
	return e.Err()
}

func (n *Nonconformity) validateSource(e *document.Error) {
	s := n.Source
	switch s.Type {
	case SourceAuditFinding:
		recCheckID(e, "/source/audit", s.Audit)
		recCheckID(e, "/source/finding", s.Finding)
	case SourceIncident:
		recRequire(e, "/source/incident", s.Incident, "reference the incident")
	case SourceOther:
		recRequire(e, "/source/description", s.Description, "describe the source")
	case SourceMonitoring, SourceComplaint:
	case SourceUnspecified:
		e.Add("/source/type", "is required")
		return
	default:
		e.Add("/source/type", "unknown source type %q (want audit-finding, incident, monitoring, complaint or other)", s.Type)
		return
	}
	if s.Type != SourceAuditFinding {
		for _, f := range []struct{ name, value string }{{"audit", s.Audit}, {"finding", s.Finding}} {
			if f.value != "" {
				e.Add("/source/"+f.name, "is set, but only a source of type audit-finding names an audit and a finding")
			}
		}
	}
	if s.Type != SourceIncident && s.Incident != "" {
		e.Add("/source/incident", "is set, but only a source of type incident names an incident")
	}
}

// validateDates checks that the dates of the steps are in order. Each date
// is compared with the latest earlier step that has one.
func (n *Nonconformity) validateDates(e *document.Error) {
	steps := []struct {
		ptr, name string
		date      document.Date
	}{
		{"/detected", "detection", n.Detected},
		{"/correction/date", "correction", n.Correction.Date},
		{"/correctiveAction/completed", "completion of the corrective action", n.CorrectiveAction.Completed},
		{"/effectivenessReview/date", "effectiveness review", n.EffectivenessReview.Date},
		{"/closure/date", "closure", n.Closure.Date},
	}
	last := -1
	for i, s := range steps {
		if s.date.IsZero() {
			continue
		}
		if last >= 0 && s.date.Before(steps[last].date) {
			e.Add(s.ptr, "is %s, before the %s on %s", s.date, steps[last].name, steps[last].date)
		}
		last = i
	}
	if due := n.CorrectiveAction.Due; !due.IsZero() && !n.Detected.IsZero() && due.Before(n.Detected) {
		e.Add("/correctiveAction/due", "is %s, before the detection on %s", due, n.Detected)
	}
}

// Clone returns a deep copy of n.
func (n *Nonconformity) Clone() *Nonconformity {
	if n == nil {
		return nil
	}
	c := *n
	c.Clauses = slices.Clone(n.Clauses)
	c.Controls = slices.Clone(n.Controls)
	c.Systems = slices.Clone(n.Systems)
	return &c
}

// recRequire reports ptr as required when s is blank; hint, if any, is
// appended to the message.
func recRequire(e *document.Error, ptr, s, hint string) {
	if strings.TrimSpace(s) != "" {
		return
	}
	if hint == "" {
		e.Add(ptr, "is required")
		return
	}
	e.Add(ptr, "is required: %s", hint)
}

// recCheckID checks the syntax of a record, finding, objective or action
// id.
func recCheckID(e *document.Error, ptr, id string) {
	switch {
	case id == "":
		e.Add(ptr, "is required")
	case !recIDRE.MatchString(id):
		e.Add(ptr, "%q is not a valid id (lower-case letters, digits, '.', '_' and '-', starting with a letter or digit)", id)
	}
}

// recCheckTexts requires a non-empty list of non-blank texts when hint is
// not empty, and otherwise only checks that no text is blank.
func recCheckTexts(e *document.Error, ptr string, ss []string, hint string) {
	if len(ss) == 0 && hint != "" {
		e.Add(ptr, "is required: %s", hint)
	}
	for i, s := range ss {
		recRequire(e, fmt.Sprintf("%s/%d", ptr, i), s, "")
	}
}

func recCheckIssues(e *document.Error, ptr string, issues []ContextIssue) {
	if len(issues) == 0 {
		e.Add(ptr, "is required: list the issues that bear on the AIMS (4.1)")
	}
	for i, is := range issues {
		p := fmt.Sprintf("%s/%d", ptr, i)
		recRequire(e, p+"/description", is.Description, "")
		recCheckTexts(e, p+"/references", is.References, "")
	}
}

func recCheckItems(e *document.Error, ptr string, items []ReviewItem) {
	for i, it := range items {
		p := fmt.Sprintf("%s/%d", ptr, i)
		recRequire(e, p+"/description", it.Description, "")
		recCheckTexts(e, p+"/references", it.References, "")
	}
}

func recCheckApproval(e *document.Error, ptr string, a document.Approval) {
	recRequire(e, ptr+"/approver", a.Approver, "")
	if a.Date.IsZero() {
		e.Add(ptr+"/date", "is required")
	}
}

// recCheckClauses checks that every id is an ISO/IEC 42001 requirement
// clause (4 to 10) and that none is listed twice.
func recCheckClauses(e *document.Error, ptr string, ids []string) {
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		p := fmt.Sprintf("%s/%d", ptr, i)
		switch {
		case recAnnexARE.MatchString(id):
			e.Add(p, "%q is an Annex A control, not a clause: list it under controls", id)
		case !recClauseRE.MatchString(id):
			e.Add(p, "%q is not an ISO/IEC 42001 clause id (want e.g. iso42001:9.2, clauses 4 to 10)", id)
		}
		if j, dup := seen[id]; dup {
			e.Add(p, "%q is listed twice (also at %s/%d)", id, ptr, j)
		}
		seen[id] = i
	}
}

// recCheckControls checks that every id is a control id, "namespace:ref",
// and an Annex A control in the iso42001 namespace, and that none is
// listed twice.
func recCheckControls(e *document.Error, ptr string, ids []string) {
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		p := fmt.Sprintf("%s/%d", ptr, i)
		switch {
		case recClauseRE.MatchString(id):
			e.Add(p, "%q is a clause, not a control: list it under clauses", id)
		case !recControlRE.MatchString(id):
			e.Add(p, "%q is not a control id (want namespace:ref, e.g. iso42001:A.6.2.4 or org:SEC-01)", id)
		case strings.HasPrefix(id, "iso42001:") && !recAnnexARE.MatchString(id):
			e.Add(p, "%q is not an ISO/IEC 42001 Annex A control id (want e.g. iso42001:A.6.2.4)", id)
		}
		if j, dup := seen[id]; dup {
			e.Add(p, "%q is listed twice (also at %s/%d)", id, ptr, j)
		}
		seen[id] = i
	}
}

// recCheckSystems checks a list of AI system ids: none nil, none twice.
func recCheckSystems(e *document.Error, ptr string, ids []uuid.UUID) {
	seen := make(map[uuid.UUID]int, len(ids))
	for i, id := range ids {
		p := fmt.Sprintf("%s/%d", ptr, i)
		if id == uuid.Nil {
			e.Add(p, "is the nil UUID")
			continue
		}
		if j, dup := seen[id]; dup {
			e.Add(p, "AI system %s is listed twice (also at %s/%d)", id, ptr, j)
		}
		seen[id] = i
	}
}

func recValidAIRole(r inventory.Role) bool {
	switch r {
	case inventory.RoleProvider, inventory.RoleProducer, inventory.RoleCustomer,
		inventory.RolePartner, inventory.RoleSubject, inventory.RoleRelevantAuthority:
		return true
	}
	return false
}

func recCloneIssues(s []ContextIssue) []ContextIssue {
	c := slices.Clone(s)
	for i := range c {
		c[i].References = slices.Clone(c[i].References)
	}
	return c
}

func recCloneItems(s []ReviewItem) []ReviewItem {
	c := slices.Clone(s)
	for i := range c {
		c[i].References = slices.Clone(c[i].References)
	}
	return c
}
