// Package document defines what every aimskit governance document shares:
// the [Header] (apiVersion and kind), the [Problem] and [Error] types that
// name the file, the JSON pointer and what is wrong, the calendar [Date],
// and the strict [Decoder] that turns YAML or JSON into validated Go
// values. [ToJSON] and [ToYAML] convert one document between YAML and
// JSON with the same strict YAML reader, for code that keeps documents in
// other forms (such as the directory store), so that aimskit reads YAML
// one way only. A [Locator] gives the line and column of a field by its
// JSON pointer, for tools that point at it (code-scanning annotations).
//
// Governance is kept as code: a folder of YAML or JSON documents in the
// application's repository, reviewed in pull requests. Each document names
// its kind, so one folder can mix kinds and non-Go tools can dispatch on
// them:
//
//	apiVersion: aimskit.dev/v1alpha1
//	kind: AISystem
//	id: 0b0e5d64-8f7a-4c49-9c55-3d1b8f1f2a10
//	name: Loan approval assistant
//
// The document kinds themselves live in the domain packages (inventory,
// risk, impact, controls, governance) and in package aims, each with its
// embedded JSON Schema. Package aims loads whole folders; this package
// decodes one document at a time. What several kinds record alike is
// declared here once: an [Approval] of a document or of a part of it.
// Package [github.com/aimskit/aimskit/document/documenttest] holds the
// helpers their tests share.
//
// This package serves ISO/IEC 42001 clause 7.5 (documented information):
// 7.5.2 asks that documented information has proper identification and
// format and is reviewed; 7.5.3 that it is controlled.
//
// # Errors
//
// Every decoding and validation failure is an [*Error] holding one
// [Problem] per thing wrong; it matches [ErrInvalid] with [errors.Is].
// Messages are for people and may change; the Pointer and File fields are
// stable. A syntax error, YAML or JSON, is one problem with the line and
// column of what is wrong and, as far as the text before it shows, the
// pointer of the field it is in; the usual YAML mistakes (a tab that
// indents a line, a quote or a bracket left open, a key indented more
// than the one before it) are said in words. Schema problems say in words
// what a pattern or a format expects (an Annex III point such as 4(a), a
// date written YYYY-MM-DD), suggest the closest valid name for an
// unknown field or kind, and show in quotes a number or a boolean that
// has to be a string (version: "3.10"). A message quotes at most a short, escaped excerpt of a
// document's content (see [Excerpt]), and [Problem.String] prints one line
// of printable text whatever the file name, pointer and message hold.
//
// # Limits
//
// A [Decoder] refuses, with a problem, a document larger than
// [DecoderOptions.MaxSize] or holding more values than
// [DecoderOptions.MaxValues]; the memory decoding takes grows with the
// number of values, so the two together bound it. A file whose name ends
// in .json is JSON only. Problem lines are found in time linear in the
// size of the document.
//
// # Concurrency
//
// A [Decoder] is immutable and safe for concurrent use. [Error] values are
// built by one goroutine.
//
// # Stability
//
// The package is at v0: names may still change before v1. The JSON names
// of documents and the apiVersion [APIVersion] are what tooling should rely
// on.
package document
