// Package controls holds the control catalogue of ISO/IEC 42001:2023, the
// crosswalks from it to the NIST AI RMF and the EU AI Act, and the
// Statement of Applicability (SoA) document.
//
// # Catalogue
//
// [ISO42001] returns the [Catalog] of the standard: the 38 controls of
// Annex A under their 9 control objectives (A.2 to A.10; A.6 has the two
// sub-objectives A.6.1 and A.6.2), and the requirement clauses 4 to 10
// with their sub-clauses (6.1.1 to 6.1.4, 7.5.1 to 7.5.3, 9.2.1, 9.2.2,
// 9.3.1 to 9.3.3 and so on). Every item has an [ID] in the "iso42001"
// namespace, such as "iso42001:A.6.2.8" or "iso42001:6.1.3", the short
// title the standard uses, and a one-line summary in aimskit's own words.
// The text of the standard is not included. [NewCatalog] adds the
// organisation's own controls (clause 6.1.3 d), in a namespace of their
// own such as "org:SEC-01".
//
// # Crosswalks
//
// The catalogue carries three crosswalks as data, each row a [Mapping]
// with its source and its [Basis]:
//
//   - Annex A to NIST AI RMF 1.0 subcategories and clauses to NIST AI RMF
//     subcategories: the official NIST AI RMF to ISO/IEC 42001 crosswalk,
//     read from the ISO side ([BasisOfficial]);
//   - Annex A to EU AI Act articles: derived by aimskit ([BasisDerived]),
//     or [BasisSecondary] where a published secondary crosswalk agrees. Check
//     article references before relying on them for legal purposes.
//
// [Catalog.MappingsFrom] answers "which NIST AI RMF subcategories does
// A.6.2.8 support?" and [Catalog.MappingsTo] "which controls serve EU AI
// Act Art. 12?".
//
// # Statement of Applicability
//
// [StatementOfApplicability] is the document kind "StatementOfApplicability"
// that clause 6.1.3 (f) asks for: one [Entry] per Annex A control and per
// organisation control, applicable or excluded, justified both ways, with
// implementation [Status], owner, [Evidence] and the AI systems it covers.
// [StatementOfApplicability.Validate] enforces the rules (every Annex A
// control exactly once, no unexplained exclusion),
// [StatementOfApplicability.Warnings] lists what an auditor will ask
// about, and [StatementOfApplicability.CheckTreatments] cross-checks the
// statement with the risk treatments (clause 6.1.3 b: a control that a
// treatment needs must not be excluded). Package
// [github.com/aimskit/aimskit/aims/report] renders it for auditors as
// Markdown and CSV.
// [NewStatementOfApplicability] returns a draft with every row to fill in.
//
// The package embeds the kind's JSON Schema ([Schema]) and describes it to
// a [document.Decoder] through [DocumentTypes]:
//
//	dec, err := document.NewDecoder(controls.DocumentTypes(), nil)
//	...
//	v, err := dec.Decode("soa.yaml", data)
//	soa := v.(*controls.StatementOfApplicability)
//
// The package does no I/O of its own: rendering writes to the
// [io.Writer] it is given.
//
// # Errors
//
// Validation reports every problem at once in a [*document.Error] whose
// problems carry JSON pointers relative to the document; it matches
// [document.ErrInvalid] with [errors.Is]. Messages about an entry name its
// control. [ParseID] returns an error that matches [ErrInvalidID].
// Messages are for people and may change; pointers and sentinels are
// stable.
//
// # Concurrency
//
// A [Catalog] is immutable and safe for concurrent use. The document types
// are plain values: safe for concurrent reads, not for concurrent
// mutation. The package holds no mutable state; every function that
// returns catalogue data returns a copy.
//
// # Stability
//
// The package is at v0: names may still change before v1. Control ids and
// the JSON names of the document are what tooling should rely on. The
// crosswalk rows may be corrected in any release.
package controls
