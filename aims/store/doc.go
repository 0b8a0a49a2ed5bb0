// Package store defines how aimskit keeps governance documents: the
// [Store] interface, the [Document] it stores, the [Change] history it
// records, and the checks every implementation shares ([ValidKind],
// [ValidID], [Document.Validate], [Write.Validate], [Filter.Match]).
//
// A store holds documents such as kind "AISystem" or "RiskAssessment",
// keyed by kind and id. It does not know the kinds: it keeps each document
// as a JSON object and leaves decoding to a higher layer. Every write gives
// the document a new revision and appends a [Change] that says who wrote
// it, when, why, and what the document was at that revision; a write names
// the revision the caller last read, so that two people editing the same
// document cannot silently overwrite each other (optimistic concurrency).
//
// This serves ISO/IEC 42001 clause 7.5.3 (control of documented
// information): documents are identified, retrievable and protected from
// unintended change, and every change is recorded and kept. Clause 7.5.2
// (creating and updating) asks for identification and review; the kind
// and id, the actor and the reason of each [Write] provide them.
//
// Two implementations ship with aimskit: package memstore keeps documents
// in memory, for tests and short-lived programs, and package dirstore keeps
// them as YAML files in a folder, one file per document, with the history
// beside them. Package storetest checks that an implementation behaves as
// this package describes.
//
// # Errors
//
// Errors match one of the sentinels with [errors.Is]:
//
//   - [ErrNotFound]: the document does not exist (or, for
//     [Store.History], was never written).
//   - [ErrConflict]: the revision given does not match the stored one; the
//     error is a [*ConflictError], which [errors.As] reads.
//   - [ErrInvalid]: a kind, id, document, write or filter is not valid; the
//     message says what is wrong.
//   - [ErrClosed]: the store has been closed.
//
// A cancelled context makes a method return an error that matches the
// context's error. Implementations may return other errors, for example
// for I/O; messages are for people and may change.
//
// # Concurrency
//
// Implementations of [Store] must be safe for concurrent use by multiple
// goroutines. [Document], [Change], [Write] and [Filter] are plain values:
// every document and change a store returns is a copy that the caller
// owns, and a store copies what it is given.
//
// # Stability
//
// The package is at v0: names may still change before v1. After v1, no
// method will be added to [Store]; new abilities will come as optional
// interfaces.
package store
