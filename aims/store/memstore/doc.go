// Package memstore is a [store.Driver] that keeps governance documents and
// their history in memory; [New] returns the [store.Store] in front of it.
// It suits tests, examples and programs that load their governance
// documents at start-up and do not need to keep changes; everything is
// lost when the store is garbage collected. Package dirstore keeps
// documents in a folder instead.
//
// Like every [store.Store], it serves ISO/IEC 42001 clause 7.5.3 (control
// of documented information): it keeps revisions, refuses stale writes and
// records who changed what, when and why.
//
// # Errors
//
// Errors match the sentinels of package store ([store.ErrNotFound],
// [store.ErrConflict], [store.ErrInvalid], [store.ErrClosed]) with
// [errors.Is], or the context's error. A revision conflict is a
// [*store.ConflictError].
//
// # Concurrency
//
// A [Driver] is safe for concurrent use by multiple goroutines. One lock
// guards all documents, so writes happen one at a time.
//
// # Stability
//
// The package is at v0: names may still change before v1.
package memstore
