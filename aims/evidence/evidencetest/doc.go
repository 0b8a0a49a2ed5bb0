// Package evidencetest checks that an [evidence.Sink] behaves as the
// evidence package describes, so that a gate that writes evidence to it
// can rely on it.
//
// [Run] runs the checks as subtests of a Go test, each with a new sink:
//
//	func TestSink(t *testing.T) {
//		evidencetest.Run(t,
//			func(t *testing.T) evidence.Sink { return mysink.New(t.TempDir()) },
//			func(t *testing.T, s evidence.Sink) []*evidence.Record { return s.(*mysink.Sink).All() },
//		)
//	}
//
// [TestSink] runs the same checks on one sink and returns an error, for use
// outside a Go test. [Record] and [FullRecord] make valid records with
// fixed contents, for tests of code that writes evidence.
//
// The checks: records written one after another are each stored once, in
// order; records written by concurrent goroutines are each stored once,
// in each goroutine's order; every field survives the round trip; the
// sink does not keep the caller's record; a nil or invalid record is an
// error (matching [evidence.ErrInvalid] when invalid), not a panic, and
// stores nothing; and a write with a cancelled context either stores the
// record once and succeeds, or stores nothing and returns an error
// matching [context.Canceled].
//
// # Errors
//
// [Run] reports problems with [testing.T.Error]; [TestSink] returns them
// joined with [errors.Join]. Messages are for people and may change.
//
// # Concurrency
//
// The checks write from several goroutines at once; the sink must be safe
// for concurrent use. newSink and read are called from the test's
// goroutine only.
//
// # Stability
//
// The package is at v0. Checks may be added as the rules of
// [evidence.Sink] are made more precise.
package evidencetest
