// Package impact models the AI system impact assessment: what an AI system
// may do to individuals, groups and society, documented as a governance
// document with the contents of ISO/IEC 42005 clause 6 and, where the
// deployer owes one, the elements of the fundamental rights impact
// assessment (FRIA) of EU AI Act Art. 27.
//
// An [Assessment] (document kind "ImpactAssessment") covers one AI system.
// It records the scope; the system's description, functions, purpose,
// intended and unintended uses (including reasonably foreseeable misuse);
// the data and its quality; the models assessed with their versions; the
// deployment environment; the relevant interested parties, marking
// vulnerable groups and minors; and every [Impact], benefit or harm, with
// its [Area] (the individual and societal areas of ISO/IEC 42001 B.5.4
// and B.5.5, or a fundamental right of the EU Charter), severity,
// likelihood, scale, reversibility, duration, measures and residual
// impact. It also records the organisation's [Thresholds] for sensitive
// and restricted uses (42005 5.7), the [FRIA] elements, the approval, and
// when it is reviewed ([Review]).
//
// # Derived impact level
//
// The impact level of each harm ([Impact.Level]) and of the assessment
// ([Assessment.Level]) is derived by a documented rule, never typed in:
// start from the severity, raise it for irreversible or permanent harm
// and for widespread harm or harm to vulnerable people or minors, lower
// it for rare harm. [Assessment.Use] classifies the use as standard,
// sensitive or restricted against the thresholds.
//
// # Checks across documents
//
// [Assessment.Validate] checks one document on its own. Whether an FRIA is
// required depends on the system's EU AI Act classification and the
// organisation's operator roles, which the assessment cannot see, so a
// loader calls [Assessment.ValidateFor] with the system's inventory entry,
// which checks that the assessment is of that system. What is required
// only before the system's first use is reported by
// [Assessment.ValidateBeforeUse]: an assessment of an Annex III 5(b)
// credit-scoring system deployed by the organisation lacks its FRIA
// elements until they are added, which is normal work in progress while
// the system is designed and a reason to deny its deployment.
//
// [ReviewDue] tells whether the assessment is due for review and why: a
// model version in the inventory that differs from the one assessed, a new
// data set, country or user group, or the next review date reached
// (ISO/IEC 42001 8.4).
//
// Impact assessment results feed the risk assessment (6.1.4 to 6.1.2):
// [UncoveredHarms] lists the harms of high or critical severity that no
// risk of the system's [risk.Assessment] covers.
//
// The package embeds the JSON Schema of the kind ([Schema]) and describes
// it to a [document.Decoder] through [DocumentTypes]. It does no I/O and
// holds no mutable state.
//
// # ISO/IEC 42001, ISO/IEC 42005 and EU AI Act anchors
//
// ISO/IEC 42001 6.1.4 (AI system impact assessment), 8.4 (carrying it out
// at planned intervals and on significant change), A.5.2 (impact
// assessment process), A.5.3 (documentation), A.5.4 (impacts on
// individuals and groups) and A.5.5 (societal impacts), with the impact
// areas of B.5.4 and B.5.5. ISO/IEC 42005 5.7 (thresholds), 5.11
// (approval), 5.12 (monitoring and review) and clause 6 (contents). EU AI
// Act Art. 27 (fundamental rights impact assessment) and Art. 9(9)
// (vulnerable groups and minors).
//
// # Errors
//
// Validate methods return a [*document.Error] listing every problem with a
// JSON pointer relative to the document (e.g. /fria or
// /impacts/2/affected/0); it matches [document.ErrInvalid]. Nothing in the
// package panics on bad input.
//
// # Concurrency
//
// Functions are pure and safe for concurrent use. An [Assessment] is a
// plain value: share it read-only, or [Assessment.Clone] it.
//
// # Stability
//
// The JSON names of the ImpactAssessment kind are versioned by the
// apiVersion aimskit.dev/v1alpha1. The impact-level rule may be refined
// before v1; a change will be noted in the release notes. Go names may
// change before v1. The FRIA elements follow the project's reference
// notes on the EU AI Act and are not legal advice.
package impact
