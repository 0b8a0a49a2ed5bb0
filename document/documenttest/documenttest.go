// Package documenttest holds the helpers that the tests of the document
// kinds share: taking a [*document.Error] apart into its problems, their
// JSON pointers and their messages, and reading the documents of the
// example governance folder.
//
// The helpers report through a [testing.TB]: a failed expectation is a
// test failure, never a panic. They are for tests only.
//
// # ISO/IEC 42001 anchors
//
// Clause 7.5.2 (documented information is identified and in a known
// format): the tests of every document kind check that a bad document is
// reported as problems with a pointer and a message.
//
// # Concurrency
//
// The functions hold no state and are safe for concurrent use, as far as
// the [testing.TB] they are given is.
//
// # Stability
//
// The package is at v0 and may change with the tests that use it.
package documenttest

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/aimskit/aimskit/document"
)

// Problems returns the problems of err: nil for a nil err. It fails the
// test at once if err is not a [*document.Error], and marks it failed if
// err does not match [document.ErrInvalid].
func Problems(tb testing.TB, err error) []document.Problem {
	tb.Helper()
	if err == nil {
		return nil
	}
	var de *document.Error
	if !errors.As(err, &de) {
		tb.Fatalf("error %v is a %T, want *document.Error", err, err)
	}
	if !errors.Is(err, document.ErrInvalid) {
		tb.Errorf("errors.Is(%v, document.ErrInvalid) = false, want true", err)
	}
	return de.Problems
}

// ProblemStrings returns the problems of err (see [Problems]) as
// "pointer: message", in their order.
func ProblemStrings(tb testing.TB, err error) []string {
	tb.Helper()
	var out []string
	for _, p := range Problems(tb, err) {
		out = append(out, p.Pointer+": "+p.Message)
	}
	return out
}

// Pointers returns the JSON pointers of ps, in their order.
func Pointers(ps []document.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Pointer)
	}
	return out
}

// ReadExample returns the content of the file name in the example
// governance folder of the module, examples/credit-scoring/governance. It
// fails the test at once if the file cannot be read.
func ReadExample(tb testing.TB, name string) []byte {
	tb.Helper()
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("documenttest: cannot locate the example folder")
	}
	path := filepath.Join(filepath.Dir(self), "..", "..", "examples", "credit-scoring", "governance", name)
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// SortedPointers returns the JSON pointers of the problems of err (see
// [Problems]), sorted, with duplicates kept: nil for a nil err. It marks
// the test failed for a problem without a message.
func SortedPointers(tb testing.TB, err error) []string {
	tb.Helper()
	ps := Problems(tb, err)
	if ps == nil {
		return nil
	}
	ptrs := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.Message == "" {
			tb.Errorf("problem at %q has no message", p.Pointer)
		}
		ptrs = append(ptrs, p.Pointer)
	}
	slices.Sort(ptrs)
	return ptrs
}
