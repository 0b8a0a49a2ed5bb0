// Package oscal exports a governance folder ([aims.Snapshot]) as NIST OSCAL
// assessment results (JSON, oscal-version [Version]), for GRC tools that
// read OSCAL.
//
// [Export] writes one result for the ISO/IEC 42001:2023 Annex A controls:
// one finding per control, derived from the Statement of Applicability
// (6.1.3 f), with excluded controls as not-applicable and their
// justification as remarks; one EXAMINE observation per SoA entry whose
// relevant evidence points at back-matter resources carrying SHA-256
// hashes of the governance documents (from [aims.Snapshot.Digest]); and the
// risks of the risk register with a status derived from the residual
// level and the appetite of the criteria ([risk.Evaluate]).
//
// The output is documented information about the AI management system
// (ISO/IEC 42001 7.5) meant as input to, and record of, internal audit
// (9.2): the hashes tie each finding to the exact documents it rests on.
// Every UUID is derived with [uuid.NewSHA1] from [Namespace], the document
// digests and the time, so an export is reproducible.
//
// OSCAL requires assessment results to import an assessment plan
// (import-ap). aimskit does not write one; [Options.AssessmentPlan] names
// yours, and [DefaultAssessmentPlan] is a placeholder URN otherwise.
// Properties of aimskit's own carry the ns [Namespace].
//
// [Crosswalk] writes the crosswalks of package controls (ISO/IEC 42001
// clauses and Annex A controls to the NIST AI RMF and to the EU AI Act) as
// an OSCAL 1.2 mapping-collection ([MappingVersion]): one mapping per
// framework, one map per crosswalk row, each with its basis (official,
// secondary or derived) and its source as properties. It serves 6.1.3
// (comparing the controls determined with other sets of controls) and
// A.2.2 (alignment of the AI policy with other requirements).
//
// # Errors
//
// [Export] returns an error matching [aims.ErrUnknownSystem] when
// [Options.System] is not in the folder, [ErrNoFolder] for a nil folder, and wraps the
// error of [risk.Evaluate] when a risk assessment cannot be evaluated.
// [Crosswalk] returns an error matching [ErrUnknownFramework] for a
// framework without a crosswalk.
//
// # Concurrency
//
// [Export] only reads the folder and [Crosswalk] the catalogue; several exports of one folder may run
// at once, provided nothing modifies the folder meanwhile.
//
// # Stability
//
// The package is at v0. The JSON it writes follows the OSCAL schema; the
// property names in [Namespace] and the way UUIDs are derived may still
// change.
package oscal
