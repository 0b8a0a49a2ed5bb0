// Package pgtest helps tests use a PostgreSQL server, for the tests of
// package pgstore and of programs built on it (such as the aimskit-pg
// command): [DSN] gives the server named by the AIMSKIT_TEST_POSTGRES
// environment variable or skips the test, [Schema] gives each test a
// schema of its own that is dropped when the test ends, and [Exec] runs
// SQL; [NewProxy] puts a proxy in front of the server that a test can
// cut, to see how code behaves when the database goes away. The stores it
// helps test serve ISO/IEC 42001 clause 7.5.3 (control of documented
// information); the package itself is test plumbing.
//
// # Errors
//
// The helpers fail or skip the test they are given; they return no
// errors.
//
// # Concurrency
//
// The helpers may be called from parallel tests; each call uses a
// connection of its own.
//
// # Stability
//
// The package is at v0 and serves the project's own tests; names may
// change in any release.
package pgtest
