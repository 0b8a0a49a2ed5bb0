// Package dssecompat holds tests that check aimskit's DSSE envelopes
// against an independent implementation,
// github.com/secure-systems-lab/go-securesystemslib/dsse: envelopes signed
// by aimskit verify there, and envelopes signed there verify in aimskit.
//
// It is a module of its own so that the core module does not depend on
// go-securesystemslib. Run its tests from this directory:
//
//	go test ./...
package dssecompat
