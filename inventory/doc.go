// Package inventory models the AI system inventory: one [System] per AI
// system (document kind "AISystem"), with its accountable people, intended
// purpose, ISO/IEC 22989 life-cycle stage, resources, third parties and
// EU AI Act classification; the pure function [Classify] that derives the
// classification from a system's facts, and [Derive] that works out which
// EU AI Act obligations follow from a classification and the
// organisation's operator roles.
//
// A System is usually loaded from a YAML document by package aims:
//
//	apiVersion: aimskit.dev/v1alpha1
//	kind: AISystem
//	id: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
//	name: Consumer credit scoring
//	accountability:
//	  businessOwner: {name: Head of Retail Lending}
//	  technicalLead: {name: Lead ML Engineer}
//	  operatorRoles: [deployer]
//	purpose:
//	  intended: Support the loan officer's decision
//	  oversight: {mechanism: a loan officer reviews every score, canOverride: true}
//	lifecycle: {stage: verification-and-validation}
//	classification: {category: high-risk, annexIII: 5(b)}
//
// and then asked what it owes:
//
//	ob := sys.Obligations()
//	ob.HighRisk      // true
//	ob.FRIARequired  // true: Art. 27 applies to deployers of 5(b) systems
//
// # Classification from facts
//
// A compliance officer answers questions about a system more reliably
// than they pick a legal category, so a System may carry [Facts] instead
// of, or beside, a stated classification: what it does ([Capability]),
// where ([Context]), under which exceptions ([Exception]), for which
// Annex III points, whether it is an Annex I product, the roles, public
// status, a documented Art. 6(3) derogation, and for a general-purpose AI
// model its training compute:
//
//	facts:
//	  capabilities: [profiling, decisions-about-persons]
//	  annexIII: ["5(b)"]
//
// [Classify] derives the category, the Art. 50 triggers and the
// obligations from the facts, and lists every rule it considered with its
// article, whether it applies and why ([Derivation], [Rule]).
// [System.Explain] does so for a system, and explains a classification
// stated without facts as "stated, not derived". A stated classification
// that the facts contradict is a validation problem that names both
// ([Derivation.Contradictions]). [System.Classified] is the
// classification that holds: derived when there are facts.
//
// Obligations are scoped as the Act scopes them: Art. 4 AI literacy for
// every provider and deployer, Art. 26(11) only for systems that decide
// about natural persons, registration under Art. 49(1) or, for Annex III
// point 2, Art. 49(5), and the log-retention floor of six months
// (Art. 19(1), Art. 26(6)), which [System.Validate] enforces against
// /recordKeeping/logRetentionMonths of a high-risk system.
//
// Life-cycle stages and the moves allowed between them are data:
// [Stages], [Transitions] and [CanTransition]. The operational [Status]
// (active, suspended, retired) is kept apart from the stage, so that a
// monitor can suspend a deployed system without changing its stage.
//
// The package does no I/O and holds no mutable state. [Schema] returns the
// JSON Schema of the AISystem kind for tooling authors.
//
// # ISO/IEC 42001 and EU AI Act anchors
//
// Clause 4.1 (the organisation's roles toward AI systems) and 4.3 (which
// systems are in scope); Annex A controls A.3.2 (roles and
// responsibilities), A.4.2–A.4.6 (resources: models, data, tooling,
// compute, people), A.6.2.2 (requirements and specification), A.9.4
// (intended use) and A.10.2–A.10.4 (suppliers and customers). EU AI Act
// Art. 3 (operator roles), Art. 4 (AI literacy), Art. 5 (prohibited
// practices), Art. 6 and Annexes I and III (high-risk), Art. 6(3)
// derogation, Art. 19(1) and 26(6) (log retention), Art. 26(11), Art. 27
// (FRIA), Art. 49 (registration), Art. 50 (transparency), Arts. 51–55
// (general-purpose AI models), with
// the dates of application of Art. 113 as amended by Regulation (EU)
// 2026/1744.
//
// # Errors
//
// Validate methods return a [*document.Error] listing every problem with
// a JSON pointer relative to the document; it matches
// [document.ErrInvalid].
//
// # Concurrency
//
// Functions are pure and safe for concurrent use. A [System] is a plain
// value: share it read-only, or [System.Clone] it.
//
// # Stability
//
// The JSON names of the AISystem kind are versioned by the apiVersion
// aimskit.dev/v1alpha1. Go names may change before v1. The obligation
// list reflects the law as summarised in the project's reference notes and
// is not legal advice.
package inventory
