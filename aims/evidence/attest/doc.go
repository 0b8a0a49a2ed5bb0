// Package attest signs and verifies the attestations of gate decisions:
// in-toto Statements v1 in DSSE envelopes, and the ".intoto.jsonl"
// bundles that CI attaches to a release.
//
// A gate decision is an in-toto [Statement] with the predicate
// [GateDecision] (type [PredicateGateDecision], JSON Schema
// [GateDecisionSchema]), about the released artifacts by digest, signed in
// a DSSE [Envelope] ([Sign], [SignStatement]) with an
// [evidence.Signer], such as an Ed25519 key
// ([evidence.NewEd25519Signer]). [WriteBundle] writes envelopes as a
// bundle for a release and [ReadBundle] reads one; a [BundleVerifier]
// checks a bundle envelope by envelope (signature, statement, predicate
// schema, artifact digests) and reports each [Check] that failed. The
// predicate is also the data of the gate decision's record in the
// evidence log, so that an auditor reads one schema in both.
//
// The package touches neither records nor sinks: subjects are
// [evidence.Subject] values and keys are the [evidence.Signer] and
// [evidence.Verifier] of package evidence, whose method sets are those of
// go-securesystemslib's DSSE interfaces.
//
// # ISO/IEC 42001
//
// A signed gate decision is the verification and validation evidence of
// control A.6.2.4 and the deployment approval of A.6.2.5, kept as
// documented information protected from alteration (clause 7.5.3).
//
// # Errors
//
// Errors match the sentinels of package evidence with [errors.Is]:
// [evidence.ErrInvalid] for a statement, decision or argument that is not
// valid, [evidence.ErrMalformed] for an envelope or bundle that is not in
// its format, [evidence.ErrVerification] for a signature that does not
// verify; and [ErrPayloadType] for an envelope of another payload type.
// Messages are for people and may change.
//
// # Concurrency
//
// A [BundleVerifier] is immutable and safe for concurrent use.
// [Statement], [GateDecision], [Envelope] and the reports are plain values
// owned by whoever holds them. Nothing here starts a goroutine.
//
// # Stability
//
// The package is at v0, so names may change before v1. The gate-decision
// predicate is versioned by its type URI; the envelope and bundle formats
// are those of DSSE v1 and in-toto.
package attest
