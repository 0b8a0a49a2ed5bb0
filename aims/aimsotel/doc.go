// Package aimsotel turns the governance events of package
// [github.com/aimskit/aimskit/aims] into OpenTelemetry signals, so that a
// request's trace shows "guard allowed, model answered, decision recorded"
// next to the application's own spans, and dashboards count decisions,
// denials, refusals and dropped evidence (ISO/IEC 42001 A.6.2.6 and
// A.6.2.8, operation and monitoring, event logs; 9.1, monitoring and
// measurement; EU AI Act Art. 12 and 26(5)).
//
// It is a module of its own, github.com/aimskit/aimskit/aims/aimsotel, so
// that the core module does not depend on OpenTelemetry.
//
// A [Hook] is an [aims.Hook]: pass it in the Hooks of a gate, a recorder,
// a monitor or a manager. For each event it adds a span event to the span
// in the hook's ctx (the caller's current span; with no recording span
// there, no span event) and records metrics with the meter of
// [Options.MeterProvider]. [Hook.ObserveGuard] and
// [Hook.ObserveRecorder] add counters of a guard's refusals and of a
// recorder's written, dropped and failed records, which no event reports:
//
//	h, err := aimsotel.New(&aimsotel.Options{MeterProvider: mp})
//	rec, err := aims.NewRecorder(sink, &aims.RecorderOptions{
//		Trace: aimsotel.TraceIDs, // the record names the request's span
//		Hooks: []aims.Hook{h},
//	})
//	_, err = h.ObserveRecorder(rec)
//	_, err = h.ObserveGuard(guard)
//
// # Attributes
//
// Model-call fields use the names of the OpenTelemetry semantic
// conventions for generative AI, version 1.41.0 ([SemConvVersion]), which
// are marked Development: gen_ai.operation.name, gen_ai.provider.name,
// gen_ai.request.model, gen_ai.response.model,
// gen_ai.usage.input_tokens, gen_ai.usage.output_tokens and
// gen_ai.conversation.id. Everything else is under aims.*: the system and
// decision ids, the verdict of the checks or the model apart from the
// outcome enforced, the control ids, and the id and hash
// ([github.com/aimskit/aimskit/aims/evidence.Record.Hash]) of the evidence record, which link a trace to
// the tamper-evident log. The README of the repository lists every
// attribute in one table; the Key* constants name them.
//
// # Personal data
//
// Prompts and outputs never reach telemetry unless the application opts
// in with [Options.Content] and attaches them to the request's ctx with
// [WithContent]; evidence holds only their digests. Reviewers, actors and
// the free-text reasons of records are never exported.
//
// # Errors
//
// [Hook.Observe] never fails: telemetry does not stop a decision. [New]
// returns the errors of creating the instruments.
//
// # Concurrency
//
// A [Hook] is safe for concurrent use.
//
// # Stability
//
// The attribute names under aims.* and the metric names are stable. The
// gen_ai.* names follow the semantic conventions named above and change
// with them, in a new version of this module.
package aimsotel
