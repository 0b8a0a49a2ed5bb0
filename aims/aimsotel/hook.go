package aimsotel

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/aimskit/aimskit/aims"
)

// SemConvVersion is the version of the OpenTelemetry semantic conventions
// whose gen_ai.* names the hook uses. Those conventions are marked
// Development.
const SemConvVersion = "1.41.0"

// ScopeName is the instrumentation scope of the hook's meter.
const ScopeName = "github.com/aimskit/aimskit/aims/aimsotel"

// Attribute keys under aims.*. They are stable; the README's table
// describes each.
const (
	KeySystemID       = attribute.Key("aims.system.id")
	KeyEventType      = attribute.Key("aims.event.type")
	KeyDecisionID     = attribute.Key("aims.decision.id")
	KeyVerdict        = attribute.Key("aims.decision.verdict")
	KeyOutcome        = attribute.Key("aims.decision.outcome")
	KeyConfidence     = attribute.Key("aims.decision.confidence")
	KeyControlIDs     = attribute.Key("aims.control.ids")
	KeyRecordID       = attribute.Key("aims.evidence.record.id")
	KeyRecordHash     = attribute.Key("aims.evidence.record.hash")
	KeyTransition     = attribute.Key("aims.gate.transition")
	KeyFailedChecks   = attribute.Key("aims.gate.failed_checks")
	KeyWaivedChecks   = attribute.Key("aims.gate.waived_checks")
	KeyCheck          = attribute.Key("aims.gate.check")
	KeyPolicyRevision = attribute.Key("aims.policy.revision")
	KeyModelVersion   = attribute.Key("aims.model.version")
	KeyOverridden     = attribute.Key("aims.review.overridden")
	KeyRefusal        = attribute.Key("aims.guard.refusal")
)

// Attribute keys of the GenAI semantic conventions, version
// [SemConvVersion].
const (
	KeyGenAIOperationName = semconv.GenAIOperationNameKey
	KeyGenAIProviderName  = semconv.GenAIProviderNameKey
	KeyGenAIRequestModel  = semconv.GenAIRequestModelKey
	KeyGenAIResponseModel = semconv.GenAIResponseModelKey
	KeyGenAIInputTokens   = semconv.GenAIUsageInputTokensKey
	KeyGenAIOutputTokens  = semconv.GenAIUsageOutputTokensKey
	KeyGenAIConversation  = semconv.GenAIConversationIDKey
	KeyGenAIInputMessages = semconv.GenAIInputMessagesKey
	KeyGenAIOutputMessage = semconv.GenAIOutputMessagesKey
)

// Outcomes, the values of [KeyOutcome] for gate decisions and of a runtime
// decision overridden by its reviewer.
const (
	OutcomeAllowed    = "allowed"
	OutcomeDenied     = "denied"
	OutcomeOverridden = "overridden"
)

// Span event names, one per [aims.EventType].
var eventNames = map[aims.EventType]string{
	aims.EventGateDecision:    "aims.gate.decision",
	aims.EventRuntimeDecision: "aims.runtime.decision",
	aims.EventStageChange:     "aims.stage.change",
	aims.EventSuspension:      "aims.suspension",
	aims.EventResumption:      "aims.resumption",
	aims.EventIncident:        "aims.incident",
}

// EventName returns the name of the span event the hook adds for events
// of type t: "aims.gate.decision", "aims.runtime.decision",
// "aims.stage.change", "aims.suspension", "aims.resumption",
// "aims.incident", and "aims.event" for any other type.
func EventName(t aims.EventType) string {
	if n, ok := eventNames[t]; ok {
		return n
	}
	return "aims.event"
}

// Options configures a [Hook]. A nil *Options is the same as the zero
// value.
type Options struct {
	// MeterProvider provides the hook's meter. Nil means no metrics; the
	// hook does not use the global provider on its own.
	MeterProvider metric.MeterProvider
	// Content, if true, exports the prompt and output that the
	// application attached to the ctx of [aims.Recorder.Record] with
	// [WithContent], as gen_ai.input.messages and gen_ai.output.messages.
	// False (the default) exports neither, whatever the ctx holds.
	Content bool
}

// Hook is an [aims.Hook] that turns governance events into span events
// and metrics; see the package documentation.
//
// The zero value is not usable; use [New]. A Hook is safe for concurrent
// use.
type Hook struct {
	content bool
	meter   metric.Meter

	decisions metric.Int64Counter
	denials   metric.Int64Counter
	events    metric.Int64Counter
	latency   metric.Float64Histogram
	refusals  metric.Int64ObservableCounter
	records   metric.Int64ObservableCounter
}

var _ aims.Hook = (*Hook)(nil)

// Metric names. They are stable.
const (
	// MetricDecisions counts gate and runtime decisions, by
	// aims.event.type, aims.system.id, aims.decision.verdict and
	// aims.decision.outcome.
	MetricDecisions = "aims.decisions"
	// MetricDenials counts the checks that failed with severity deny, and
	// so denied a gate decision, by aims.gate.check and aims.system.id.
	MetricDenials = "aims.gate.denials"
	// MetricEvents counts stage changes, suspensions, resumptions and
	// incidents, by aims.event.type and aims.system.id.
	MetricEvents = "aims.events"
	// MetricDuration is the histogram of the latency of runtime
	// decisions, in seconds, by aims.system.id and gen_ai.request.model.
	MetricDuration = "aims.decision.duration"
	// MetricRefusals counts the refusals of the guards registered with
	// [Hook.ObserveGuard], by aims.guard.refusal: "unknown-system",
	// "suspended", "retired" or "not-released".
	MetricRefusals = "aims.guard.refusals"
	// MetricRecords counts the runtime decision records of the recorders
	// registered with [Hook.ObserveRecorder], by aims.evidence.state:
	// "written", "dropped" (the buffer was full under
	// evidence.FullDrop) or "failed" (the sink did not accept them).
	MetricRecords = "aims.recorder.records"
)

// KeyRecordState is the attribute of [MetricRecords].
const KeyRecordState = attribute.Key("aims.evidence.state")

// New returns a hook. opts may be nil. It returns the error of creating
// an instrument.
func New(opts *Options) (*Hook, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	mp := o.MeterProvider
	if mp == nil {
		mp = noop.NewMeterProvider()
	}
	h := &Hook{content: o.Content, meter: mp.Meter(ScopeName)}
	var err error
	if h.decisions, err = h.meter.Int64Counter(MetricDecisions, metric.WithUnit("{decision}"),
		metric.WithDescription("Gate and runtime decisions of AI systems, by verdict and outcome.")); err != nil {
		return nil, fmt.Errorf("aimsotel: new: %w", err)
	}
	if h.denials, err = h.meter.Int64Counter(MetricDenials, metric.WithUnit("{check}"),
		metric.WithDescription("Gate checks that failed with severity deny, by check.")); err != nil {
		return nil, fmt.Errorf("aimsotel: new: %w", err)
	}
	if h.events, err = h.meter.Int64Counter(MetricEvents, metric.WithUnit("{event}"),
		metric.WithDescription("Stage changes, suspensions, resumptions and incidents of AI systems.")); err != nil {
		return nil, fmt.Errorf("aimsotel: new: %w", err)
	}
	if h.latency, err = h.meter.Float64Histogram(MetricDuration, metric.WithUnit("s"),
		metric.WithDescription("Latency of the runtime decisions of AI systems.")); err != nil {
		return nil, fmt.Errorf("aimsotel: new: %w", err)
	}
	if h.refusals, err = h.meter.Int64ObservableCounter(MetricRefusals, metric.WithUnit("{refusal}"),
		metric.WithDescription("Requests a guard refused, by reason.")); err != nil {
		return nil, fmt.Errorf("aimsotel: new: %w", err)
	}
	if h.records, err = h.meter.Int64ObservableCounter(MetricRecords, metric.WithUnit("{record}"),
		metric.WithDescription("Runtime decision records a recorder wrote, dropped or failed to write.")); err != nil {
		return nil, fmt.Errorf("aimsotel: new: %w", err)
	}
	return h, nil
}

// ObserveGuard reports the refusals of g ([aims.Guard.Refusals]) as
// [MetricRefusals] whenever metrics are collected, until the registration
// is unregistered. Register one guard per hook: the counts of several
// guards would be reported under the same attributes.
func (h *Hook) ObserveGuard(g *aims.Guard) (metric.Registration, error) {
	r, err := h.meter.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		c := g.Refusals()
		for _, x := range [...]struct {
			reason string
			n      uint64
		}{{"unknown-system", c.Unknown}, {"suspended", c.Suspended}, {"retired", c.Retired}, {"not-released", c.NotReleased}} {
			o.ObserveInt64(h.refusals, clampInt64(x.n), metric.WithAttributes(KeyRefusal.String(x.reason)))
		}
		return nil
	}, h.refusals)
	if err != nil {
		return nil, fmt.Errorf("aimsotel: observe guard: %w", err)
	}
	return r, nil
}

// ObserveRecorder reports the counts of r ([aims.Recorder.Stats]) as
// [MetricRecords] whenever metrics are collected, until the registration
// is unregistered. Register one recorder per hook.
func (h *Hook) ObserveRecorder(r *aims.Recorder) (metric.Registration, error) {
	reg, err := h.meter.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		s := r.Stats()
		for _, x := range [...]struct {
			state string
			n     uint64
		}{{"written", s.Written}, {"dropped", s.Dropped}, {"failed", s.Failed}} {
			o.ObserveInt64(h.records, clampInt64(x.n), metric.WithAttributes(KeyRecordState.String(x.state)))
		}
		return nil
	}, h.records)
	if err != nil {
		return nil, fmt.Errorf("aimsotel: observe recorder: %w", err)
	}
	return reg, nil
}

func clampInt64(n uint64) int64 {
	return int64(min(n, 1<<63-1))
}

// Observe adds a span event for e to the span in ctx and records its
// metrics. It never fails.
func (h *Hook) Observe(ctx context.Context, e *aims.Event) error {
	attrs := h.attributes(ctx, e)
	span := trace.SpanFromContext(ctx)
	if span.IsRecording() {
		span.AddEvent(EventName(e.Type), trace.WithTimestamp(e.Time), trace.WithAttributes(attrs...))
	}
	system := KeySystemID.String(e.System.String())
	eventType := KeyEventType.String(string(e.Type))
	switch e.Type {
	case aims.EventGateDecision:
		if d := e.Decision; d != nil {
			h.decisions.Add(ctx, 1, metric.WithAttributes(eventType, system,
				KeyVerdict.String(string(d.Verdict)), KeyOutcome.String(gateOutcome(d))))
			for _, c := range d.Checks {
				if c.Outcome == aims.OutcomeFail && c.Severity != aims.SeverityWarn {
					h.denials.Add(ctx, 1, metric.WithAttributes(system, KeyCheck.String(c.Check)))
				}
			}
		}
	case aims.EventRuntimeDecision:
		if m := e.Model; m != nil {
			h.decisions.Add(ctx, 1, metric.WithAttributes(eventType, system,
				KeyVerdict.String(m.Outcome), KeyOutcome.String(runtimeOutcome(m))))
			h.latency.Record(ctx, m.Latency.Seconds(), metric.WithAttributes(system, KeyGenAIRequestModel.String(m.Model)))
		}
	default:
		h.events.Add(ctx, 1, metric.WithAttributes(eventType, system))
	}
	return nil
}

// gateOutcome is the action a gate decision enforced.
func gateOutcome(d *aims.Decision) string {
	if d.Allowed() {
		return OutcomeAllowed
	}
	return OutcomeDenied
}

// runtimeOutcome is the outcome a runtime decision enforced: the model's,
// unless its reviewer overrode it.
func runtimeOutcome(m *aims.ModelDecision) string {
	if m.Review != nil && m.Review.Overridden {
		return OutcomeOverridden
	}
	return m.Outcome
}

// attributes returns the span event attributes of e.
func (h *Hook) attributes(ctx context.Context, e *aims.Event) []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		KeyEventType.String(string(e.Type)),
		KeySystemID.String(e.System.String()),
	}
	if r := e.Record; r != nil {
		attrs = append(attrs, KeyRecordID.String(r.ID.String()))
		if hash, err := r.Hash(); err == nil {
			attrs = append(attrs, KeyRecordHash.String(hash))
		}
		if len(r.Controls) > 0 {
			attrs = append(attrs, KeyControlIDs.StringSlice(r.Controls))
		}
		if e.Decision == nil && e.Model == nil && r.Outcome != "" {
			attrs = append(attrs, KeyOutcome.String(r.Outcome))
		}
	}
	if d := e.Decision; d != nil {
		attrs = append(attrs,
			KeyDecisionID.String(d.ID.String()),
			KeyTransition.String(string(d.From)+"->"+string(d.To)),
			KeyPolicyRevision.String(d.PolicyRevision),
		)
		if e.Type == aims.EventGateDecision {
			attrs = append(attrs, KeyVerdict.String(string(d.Verdict)), KeyOutcome.String(gateOutcome(d)))
			var failed, waived []string
			for _, c := range d.Checks {
				switch c.Outcome {
				case aims.OutcomeFail:
					failed = append(failed, c.Check)
				case aims.OutcomeWaived:
					waived = append(waived, c.Check)
				}
			}
			if failed != nil {
				attrs = append(attrs, KeyFailedChecks.StringSlice(failed))
			}
			if waived != nil {
				attrs = append(attrs, KeyWaivedChecks.StringSlice(waived))
			}
			if e.Record == nil {
				attrs = append(attrs, KeyControlIDs.StringSlice(controlIDs(d)))
			}
		}
	}
	if c := e.Change; c != nil && e.Decision == nil {
		attrs = append(attrs, KeyTransition.String(string(c.From)+"->"+string(c.To)))
	}
	if m := e.Model; m != nil {
		attrs = h.modelAttributes(ctx, attrs, e, m)
	}
	return attrs
}

// controlIDs returns the controls and clauses the checks of d serve, in
// order, each once.
func controlIDs(d *aims.Decision) []string {
	var ids []string
	for _, c := range d.Checks {
		for _, id := range slices.Concat(c.Controls, c.Clauses) {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// modelAttributes appends the attributes of the runtime decision m.
func (h *Hook) modelAttributes(ctx context.Context, attrs []attribute.KeyValue, e *aims.Event, m *aims.ModelDecision) []attribute.KeyValue {
	if e.Record != nil {
		attrs = append(attrs, KeyDecisionID.String(e.Record.ID.String()))
	}
	attrs = append(attrs, KeyVerdict.String(m.Outcome), KeyOutcome.String(runtimeOutcome(m)))
	if m.Confidence != nil {
		attrs = append(attrs, KeyConfidence.Float64(*m.Confidence))
	}
	if m.Review != nil {
		attrs = append(attrs, KeyOverridden.Bool(m.Review.Overridden))
	}
	for _, f := range [...]struct {
		k attribute.Key
		v string
	}{
		{KeyGenAIOperationName, m.Operation},
		{KeyGenAIProviderName, m.Provider},
		{KeyGenAIRequestModel, m.Model},
		{KeyGenAIResponseModel, m.ResponseModel},
		{KeyGenAIConversation, m.Conversation},
		{KeyModelVersion, m.ModelVersion},
	} {
		if f.v != "" {
			attrs = append(attrs, f.k.String(f.v))
		}
	}
	if m.InputTokens != 0 {
		attrs = append(attrs, KeyGenAIInputTokens.Int64(m.InputTokens))
	}
	if m.OutputTokens != 0 {
		attrs = append(attrs, KeyGenAIOutputTokens.Int64(m.OutputTokens))
	}
	if h.content {
		if c, ok := ctx.Value(contentKey{}).(content); ok {
			if c.input != "" {
				attrs = append(attrs, KeyGenAIInputMessages.String(messages("user", c.input)))
			}
			if c.output != "" {
				attrs = append(attrs, KeyGenAIOutputMessage.String(messages("assistant", c.output)))
			}
		}
	}
	return attrs
}

// messages returns text as the JSON of gen_ai.input.messages or
// gen_ai.output.messages: one message of role with one text part.
func messages(role, text string) string {
	type part struct {
		Type    string `json:"type"`
		Content string `json:"content"`
	}
	type message struct {
		Role  string `json:"role"`
		Parts []part `json:"parts"`
	}
	b, err := json.Marshal([]message{{Role: role, Parts: []part{{Type: "text", Content: text}}}})
	if err != nil {
		return ""
	}
	return string(b)
}

type contentKey struct{}

type content struct{ input, output string }

// WithContent returns a copy of ctx that carries the prompt and the
// output of a model call, for the hook to export as gen_ai.input.messages
// and gen_ai.output.messages when [Options.Content] is set; a hook
// without it ignores them. Pass the returned ctx to
// [aims.Recorder.Record]. The evidence record keeps only the digests the
// decision holds, whatever ctx carries.
func WithContent(ctx context.Context, input, output string) context.Context {
	return context.WithValue(ctx, contentKey{}, content{input, output})
}

// TraceIDs returns the W3C trace and span ids of the span in ctx, or two
// empty strings if it holds no valid span context. It fits
// [aims.RecorderOptions.Trace], so that each runtime decision record
// names the span of the request it was made in.
func TraceIDs(ctx context.Context) (traceID, spanID string) {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return "", ""
	}
	return sc.TraceID().String(), sc.SpanID().String()
}
