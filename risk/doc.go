// Package risk models AI risk management as governance documents and pure
// functions: the risk criteria an organisation sets, the risk assessment
// of an AI system with its treatment plan and residual-risk acceptances,
// and the evaluation that derives every risk level from the criteria and
// reports what needs attention.
//
// # Criteria
//
// [Criteria] (document kind "RiskCriteria") are the AI risk criteria of
// ISO/IEC 42001 6.1.1: a likelihood scale and a consequence scale, each
// with 3 to 6 named values, level bands such as low, medium, high and
// critical, a risk matrix held as data (one cell per likelihood and
// consequence, each naming a level), and the risk appetite: the highest
// level acceptable without a formal acceptance. [Criteria.Validate]
// checks that the matrix is complete and that levels never decrease as
// likelihood or consequence grow. Three sets ship with the package,
// aimskit-3x3, aimskit-4x4 and aimskit-5x5 at version "1", which an
// assessment pins by name or a user copies ([Builtin],
// [BuiltinCriteria]).
//
// # Assessment
//
// An [Assessment] (document kind "RiskAssessment") is the risk assessment
// of one AI system (6.1.2, carried out under 8.2; EU AI Act Art. 9). Each
// [Risk] records its Annex C risk [Source] and the [Objective] values it
// threatens, its life-cycle stage, its consequences for the organisation,
// for individuals or groups and for society, an inherent [Rating], the
// ISO 31000 [TreatmentOption] values chosen, the controls and treatment
// plan (6.1.3, carried out under 8.3), a residual rating, and the
// [Acceptance] of the residual risk by designated management (6.1.3 h).
// The assessment pins its criteria by name and version, or carries them
// inline, and records its approval and next review date:
//
//	apiVersion: aimskit.dev/v1alpha1
//	kind: RiskAssessment
//	id: 2b7e4c91-5d3a-4f8e-b1c6-7a9d0e3f5b21
//	system: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
//	scope: Scoring consumer-loan applications
//	criteria: {name: aimskit-5x5, version: "1"}
//	assessor: Model Risk Analyst
//	date: 2026-09-28
//	method: ISO/IEC 23894 clause 6 workshop
//	risks:
//	  - id: R-01
//	    title: Scores disadvantage young applicants
//	    source: machine-learning
//	    objectives: [fairness]
//	    stage: design-and-development
//	    consequences: {organisation: ..., individuals: ..., society: ...}
//	    inherent: {likelihood: likely, consequence: major}
//	    treatment:
//	      options: [change-likelihood]
//	      controls: [iso42001:A.7.4, iso42001:A.6.2.4]
//	    residual: {likelihood: unlikely, consequence: major}
//	nextReview: 2027-03-31
//
// A rating holds a likelihood and a consequence, each a [Grade]: a
// 1-based rank or the name of a scale value. A level is never written
// down; it is always derived from the matrix ([Criteria.Score]), so a
// rating and its level cannot disagree.
//
// An acceptance is frozen when given: it records the residual rating it
// accepted. If the residual rating changes later, [Evaluate] reports the
// acceptance as stale; from its expiry date on, as expired.
//
// # Evaluation
//
// [Evaluate] rates an assessment against its criteria on a given day and
// returns a [Summary]: the inherent and residual level of every risk,
// counts per level, and what needs attention: residual risks above the
// appetite without a valid acceptance, overdue treatment plan items,
// stale or expired acceptances, risks whose treatment names no control,
// a missing approval and a review that is due. It is deterministic: time
// comes from its now parameter.
//
// # Cross-document checks
//
// [Assessment.Validate] checks one document on its own. A loader that
// sees several documents also calls [Assessment.ResolveCriteria] to find
// the pinned criteria among the RiskCriteria documents and the built-in
// sets, and [Assessment.ValidateWith] to check every grade against them.
// [Assessment.Controls] lists the controls the treatments rely on, to be
// compared with the Statement of Applicability (6.1.3 b and f). Impact
// assessments feed risk assessments (6.1.4 to 6.1.2) through
// [Risk.Impacts]; package impact finds the harms no risk covers.
//
// The package embeds the JSON Schemas of both kinds ([AssessmentSchema],
// [CriteriaSchema]) and describes them to a [document.Decoder] through
// [DocumentTypes]. It does no I/O and holds no mutable state.
//
// # ISO/IEC 42001, ISO/IEC 23894, ISO 31000 and EU AI Act anchors
//
// ISO/IEC 42001 6.1.1 (risk criteria), 6.1.2 (risk assessment), 6.1.3
// (risk treatment, controls compared with Annex A, treatment plan,
// approval and residual-risk acceptance), 8.2 and 8.3 (carrying them out
// at planned intervals and on change), Annex C (objectives and risk
// sources). ISO/IEC 23894 clause 6 (the AI risk management process) and
// 6.3.4 (risk criteria). ISO 31000 6.5.2 (treatment options). EU AI Act
// Art. 9 (risk management system of high-risk AI systems).
//
// # Errors
//
// Validate methods return a [*document.Error] listing every problem with a
// JSON pointer relative to the document (e.g. /risks/3/inherent/likelihood);
// it matches [document.ErrInvalid]. [Evaluate] returns an error only when
// it cannot rate: invalid criteria (matching [ErrCriteria]) or a grade that
// is not on the criteria's scales (a [*document.Error]). Nothing in the
// package panics on bad input.
//
// # Concurrency
//
// Functions are pure and safe for concurrent use. [Assessment] and
// [Criteria] are plain values: share them read-only, or clone them
// ([Assessment.Clone], [Criteria.Clone]).
//
// # Stability
//
// The JSON names of the RiskAssessment and RiskCriteria kinds are
// versioned by the apiVersion aimskit.dev/v1alpha1. The built-in criteria
// never change within a version: a change gets a new version. Go names may
// change before v1.
package risk
