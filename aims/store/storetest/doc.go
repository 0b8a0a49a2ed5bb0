// Package storetest checks that a [store.Driver] behaves as package store
// describes, seen through the [store.Store] in front of it: revisions,
// optimistic concurrency, filters, the change history, validation,
// copying, concurrency, cancellation, closing and watching. Those are the
// properties ISO/IEC 42001 clause 7.5.3 (control of documented
// information) relies on, so every driver that holds governance documents
// should pass it.
//
// Call [Run] from a test of the driver:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Driver {
//			return memstore.NewDriver()
//		})
//	}
//
// [TestDriver] runs the same checks outside package testing and returns
// what failed as an error, as testing/slogtest's TestHandler does.
//
// The checks use only kinds and ids that differ by more than letter case,
// and documents of a few hundred bytes, so that drivers with such limits
// (for example file names on case-insensitive file systems) pass. Most
// checks give the store a clock that steps by a little more than a second,
// with nanoseconds and outside UTC, so that a driver that keeps times to a
// coarser precision is checked; two use the default clock.
//
// # Errors
//
// [Run] reports failures with [testing.T.Error]; [TestDriver] joins them
// with [errors.Join], each prefixed with the name of its check. A check
// that cannot go on stops at its first failure.
//
// # Concurrency
//
// [Run] and [TestDriver] run the checks one after the other; some checks
// call the store from many goroutines at once. The factory is called from
// one goroutine at a time.
//
// # Stability
//
// The package is at v0. Checks may be added in any release, which can make
// a driver that passed fail; names of checks may change.
package storetest
