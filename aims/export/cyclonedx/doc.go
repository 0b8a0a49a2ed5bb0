// Package cyclonedx exports a governance folder ([aims.Snapshot]) as a
// CycloneDX 1.6 JSON BOM with the machine-learning (ML-BOM) and
// attestation (CDXA) parts of the format.
//
// [Export] maps the AI system inventory to components: an AI system is an
// application (metadata.component when one system is exported), each of
// its models a machine-learning-model component with a model card (intended
// use, users and foreseeable misuse as considerations; version, supplier
// and SHA-256 hash), and each dataset a data component (personal data as
// classification and sensitive data; owners and stewards from the system's
// accountability). ISO/IEC 42001:2023 Annex A is written to
// definitions.standards as identifiers, short titles and aimskit's own
// one-line summaries (the text of the standard is not reproduced), and the
// Statement of Applicability to declarations: one claim per control, with
// its applicability, implementation status, justification and evidence
// references, mapped to the requirement in one attestation by the SoA's
// approver.
//
// The BOM is documented information about the AI management system in the
// sense of ISO/IEC 42001 7.5: metadata.properties record the file name and
// SHA-256 digest of each governance document it is built from, so that an
// internal audit (9.2) can tie the BOM to the exact documents. The
// declarations are a snapshot of the Statement of Applicability required
// by 6.1.3 f.
//
// Properties that CycloneDX has no field for are named with the
// [PropertyPrefix] "aimskit:".
//
// [Export] writes CycloneDX 1.6 ([SpecVersion]) by default. With
// [Options.SpecVersion] set to [SpecVersion17] it writes the same BOM as
// CycloneDX 1.7 and adds citations: for each governance document field
// the BOM took a value from, one citation whose pointers name the BOM
// fields filled from it, attributed to the aimskit tool ([ToolRef]), with
// a note naming the document's file, the field's JSON pointer and the
// document's SHA-256 digest, e.g. "governance document
// ai-system.yaml#/resources/models/0/digest (sha256:…)". A reader can so
// trace every value back to the reviewed document it came from (7.5.3).
//
// # Errors
//
// [Export] returns an error matching [aims.ErrUnknownSystem] when
// [Options.System] is not in the folder, [ErrNoFolder] for a nil folder,
// an error matching [ErrUnsupportedSpec] for an [Options.SpecVersion] other
// than 1.6 or 1.7, and wraps the error of [Options.SerialNumber].
//
// # Concurrency
//
// [Export] only reads the folder; several exports of one folder may run
// at once, provided nothing modifies the folder meanwhile.
//
// # Stability
//
// The package is at v0. The JSON it writes follows the CycloneDX 1.6 or
// 1.7 schema; the bom-ref scheme, the "aimskit:" property names and the
// text of citation notes may still change. The 1.6 output does not change
// when 1.7 is asked for elsewhere.
package cyclonedx
