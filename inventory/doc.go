// Package inventory models the AI system inventory: one [System] per AI
// system (document kind "AISystem"), with its accountable people, intended
// purpose, ISO/IEC 22989 life-cycle stage, resources, third parties and
// EU AI Act classification, and the pure function [Derive] that works out
// which EU AI Act obligations follow from a classification and the
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
// Art. 3 (operator roles), Art. 5 (prohibited practices), Art. 6 and
// Annexes I and III (high-risk), Art. 6(3) derogation, Art. 27 (FRIA),
// Art. 50 (transparency), Arts. 51–55 (general-purpose AI models), with
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
