// Package storetest checks that an implementation of [store.Store]
// behaves as package store describes: revisions, optimistic concurrency,
// filters, the change history, validation, copying, concurrency,
// cancellation and closing. Those are the properties ISO/IEC 42001 clause
// 7.5.3 (control of documented information) relies on, so every store that
// holds governance documents should pass it.
//
// Call [Run] from a test of the implementation:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			return memstore.New(nil)
//		})
//	}
//
// [RunE] runs the same checks outside package testing and returns what
// failed as an error.
//
// The checks use only kinds and ids that differ by more than letter case,
// and documents of a few hundred bytes, so that stores with such limits
// (for example file names on case-insensitive file systems) pass.
//
// # Errors
//
// [Run] reports failures with [testing.T.Error]; [RunE] joins them with
// [errors.Join], each prefixed with the name of its check. A check that
// cannot go on stops at its first failure.
//
// # Concurrency
//
// [Run] and [RunE] run the checks one after the other; some checks call
// the store from many goroutines at once. The factory is called from one
// goroutine at a time.
//
// # Stability
//
// The package is at v0. Checks may be added in any release, which can make
// a store that passed fail; names of checks may change.
package storetest
