// Package store keeps aimskit's governance documents: the portable
// [Store], the [Document] it stores, the [Change] history it records, and
// the [Driver] interface that each kind of storage implements.
//
// As gocloud.dev's blob.Bucket stands in front of driver.Bucket, a [Store]
// stands in front of a [Driver] and does the work every storage shares,
// once: it checks kinds, ids, documents ([Document.Validate]), writes
// ([Write.Validate]) and filters, refuses calls after [Store.Close],
// hands the driver the revision the caller read as a [RevisionCheck] that
// the driver applies atomically with its write, stamps each write with its
// time and actor, matches and sorts [Store.List], and copies documents on
// the way in and out. A driver only does I/O.
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
// Three drivers ship with aimskit, each with a constructor that returns
// the [Store] in front of it: package memstore (memstore.New) keeps
// documents in memory, for tests and short-lived programs; package
// dirstore (dirstore.Open) keeps them as YAML files in a folder, with the
// history beside them; and package pgstore (pgstore.Open, in a nested
// module) keeps them in PostgreSQL and reports changes as a [Watcher].
// Each package also has a constructor of its driver alone (NewDriver,
// OpenDriver): give it to [New] to reach the driver's own methods, such as
// the folder of a dirstore driver. Errors of a driver, such as dirstore's
// CorruptError, reach the caller unchanged and are matched with
// [errors.Is] and [errors.As]. Package storetest checks that a driver
// behaves as this package describes.
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
// context's error. [Store.Watch] returns an error matching
// [errors.ErrUnsupported] when the driver is not a [Watcher]. Drivers may
// return other errors, for example for I/O; messages are for people and
// may change.
//
// # Concurrency
//
// A [Store] is safe for concurrent use by multiple goroutines, and so must
// a [Driver] be. [Document], [Change], [Write] and [Filter] are plain
// values: every document and change a store returns is a copy that the
// caller owns, and a store copies what it is given.
//
// # Stability
//
// The package is at v0: names may still change before v1. After v1, no
// method will be added to [Driver]; new abilities will come as optional
// interfaces, as [Watcher] does.
package store
