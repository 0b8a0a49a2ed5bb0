// Package witness is a witness of evidence logs: an independent party that
// cosigns a log's checkpoints after checking that each one is consistent
// with the last one it cosigned, so that a log rewritten or forked after
// a cosigned checkpoint is caught even when the log's own signing key was
// stolen.
//
// A [Witness] keeps, for each log origin it knows (with the log's note
// verifier keys), the size and root hash of the latest checkpoint it
// cosigned, in a state file that it replaces atomically before it
// answers, so that a restart forgets nothing. [Witness.AddCheckpoint]
// verifies the log's signature and the consistency proof from that
// checkpoint to the new one, and cosigns (C2SP tlog-cosignature, Ed25519
// cosignature/v1, with the time from an injected clock) or refuses with
// an [*Error] that carries the HTTP status of the C2SP tlog-witness
// protocol: 404 for an unknown origin, 403 for a checkpoint not signed by
// the log's key, 400 for a malformed request or an old size beyond the
// checkpoint, 409 (with the witness's size) for an old size that is not
// the one it cosigned last, and 422 for a consistency proof that does not
// verify or a checkpoint of the same size with another root hash. A
// Witness is an [http.Handler] serving add-checkpoint; the command
// "aimskit witness serve" runs one.
//
// Logs ask witnesses through [evidence.FileOptions.Witnesses];
// verifiers require the cosignatures with
// [evidence.VerifyOptions.Witnesses] or "aimskit evidence verify
// --witness".
//
// It serves ISO/IEC 42001 Annex A control A.6.2.8 (event logs of AI
// systems), clause 7.5.3 (control of documented information: protection
// against unintended alteration) and clause 9.2 (internal audit: evidence
// an auditor can check without trusting the organisation alone).
//
// # Errors
//
// Refusals are [*Error] values with an HTTP status; [ParseRequest]
// returns one with status 400 for a malformed request. Errors persisting
// the state are returned as they are, and answered with 500.
//
// # Concurrency
//
// A Witness is safe for concurrent use. It checks a request against its
// state and persists the new state under one lock, so that two requests
// cannot roll its state back.
//
// # Stability
//
// The protocol is C2SP tlog-witness; the state file's JSON form is
// stable.
package witness
