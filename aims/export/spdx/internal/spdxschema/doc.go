// Package spdxschema holds tests that validate the SPDX 3.0.1 documents
// of package spdx against the official SPDX 3.0.1 JSON Schema.
//
// The schema's patterns use ECMA-262 lookahead ("^(?!_:).+:.+" for an
// IRI), which Go's regexp package, and so the jsonschema/v5 validator of
// the core module, cannot compile. This module validates with
// github.com/santhosh-tekuri/jsonschema/v6 and the regexp engine of
// github.com/dlclark/regexp2 in ECMAScript mode. It is a module of its own
// so that the core module depends on neither. Run its tests from this
// directory:
//
//	go test ./...
package spdxschema
