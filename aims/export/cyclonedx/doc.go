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
// # Errors
//
// [Export] returns an error matching [aims.ErrUnknownSystem] when
// [Options.System] is not in the folder, [ErrNoFolder] for a nil folder, and wraps the
// error of [Options.SerialNumber].
//
// # Concurrency
//
// [Export] only reads the folder; several exports of one folder may run
// at once, provided nothing modifies the folder meanwhile.
//
// # Stability
//
// The package is at v0. The JSON it writes follows the CycloneDX 1.6
// schema; the bom-ref scheme and the "aimskit:" property names may still
// change.
package cyclonedx
