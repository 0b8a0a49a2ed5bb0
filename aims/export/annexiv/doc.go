// Package annexiv builds the technical documentation of a high-risk AI
// system in the nine sections of Annex IV of the EU AI Act (Regulation
// (EU) 2024/1689, Art. 11), from a governance folder ([aims.Snapshot])
// and, where given, the evidence log of its gates and monitors.
//
// [Build] returns a [Document]: the sections in Annex IV order, each with
// its points ([Item]). A point is filled with what the folder and the log
// hold, each statement citing where it comes from ([Source]: the file of
// the governance document and the JSON pointer of the field, or the id of
// an evidence record), and says what a person still has to write where
// the project holds no facts for it. A point the project holds nothing
// for is a placeholder that names what is needed. [Document.WriteMarkdown]
// writes it for people and [Document.WriteJSON] for tools.
//
// The export serves ISO/IEC 42001 7.5 (documented information) and Annex
// A control A.6.2.7 (AI system technical documentation), and the EU AI
// Act Art. 11 with Annex IV. Section and point titles are aimskit's own
// short paraphrases of Annex IV; the text of the regulation is not
// reproduced.
//
// What is filled from where:
//
//   - 1 general description: intended purpose, version, accountability,
//     classification, users and context, interactions, versions of models
//     and tooling, hardware, from the inventory entry ([inventory.System]);
//   - 2 elements and development: development resources, design, data and
//     data governance, human oversight, validation and testing (test data,
//     model metrics of the impact assessment, the fact checks of the gate
//     policy and the gate decisions of the evidence log), cybersecurity
//     from the risks and impacts on security;
//   - 3 monitoring, functioning and control: limitations, foreseeable
//     misuse and harms, oversight;
//   - 5 risk management system: the risk assessment, each risk with its
//     levels evaluated by [risk.Evaluate];
//   - 6 changes through the life cycle: the stage changes of the
//     inventory history and of the evidence log;
//   - 7 standards applied: ISO/IEC 42001 with the Statement of
//     Applicability;
//   - 9 post-market monitoring: the monitoring thresholds, log retention,
//     review triggers of the impact assessment, incidents, and the
//     suspensions, resumptions and incidents in the evidence log.
//
// Sections 4 (appropriateness of the metrics) and 8 (EU declaration of
// conformity), and several points of the others, are placeholders.
//
// # Errors
//
// [Build] returns an error matching [aims.ErrUnknownSystem] when the
// system is not in the folder, [ErrNoFolder] for a nil folder, a
// [*NotHighRiskError] (matching [ErrNotHighRisk]) for a system that is not
// high-risk unless [Options.Force] is set, and wraps the error of
// [risk.Evaluate] when the risk assessment cannot be evaluated.
//
// # Concurrency
//
// [Build] only reads the folder and the records; several builds may run
// at once, provided nothing modifies them meanwhile. A [Document] is a
// plain value.
//
// # Stability
//
// The package is at v0. The JSON field names of [Document] and the ids of
// the points follow Annex IV and should stay; the wording of statements
// and placeholders may change.
package annexiv
