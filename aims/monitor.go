package aims

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/inventory"
)

// Event types of a [Monitor].
const (
	// EventSuspension: a monitor suspended an AI system because a metric
	// crossed its threshold.
	EventSuspension EventType = "suspension"
	// EventResumption: a suspended AI system was resumed by a person.
	EventResumption EventType = "resumption"
)

// ActorMonitor is the actor of the suspension records a monitor writes.
const ActorMonitor = "aimskit/monitor"

// Errors of a [Monitor].
var (
	// ErrMetricValue: a reported value is NaN or infinite.
	ErrMetricValue = errors.New("aims: metric value not finite")
	// ErrNotSuspended: Resume was called for a system that the monitor
	// has not suspended.
	ErrNotSuspended = errors.New("aims: AI system not suspended by the monitor")
)

var idsMonitor = []string{"iso42001:A.6.2.6"}

// Threshold is a criterion for suspending an AI system (ISO/IEC 42001
// A.6.2.6): when the average of the last Window observations of Metric
// for System exceeds Max, the system is suspended.
//
// A Threshold is a plain value, safe to copy.
type Threshold struct {
	// System is the AI system the threshold applies to.
	System uuid.UUID
	// Metric names the measure, e.g. "error-rate", "drift",
	// "override-rate" or "complaints". Names are the caller's; the
	// monitor only matches them.
	Metric string
	// Max is the highest average that does not suspend. It must be a
	// finite number.
	Max float64
	// Window is the number of latest observations averaged. Zero means 1.
	// Until Window observations are reported, the metric does not
	// suspend.
	Window int
}

// MonitorOptions configures a [Monitor]. The zero value gives the
// defaults; a nil *MonitorOptions is the same as the zero value.
type MonitorOptions struct {
	// Thresholds are suspension criteria in addition to those of the AI
	// system documents (their monitoring.thresholds); one given here
	// replaces a document's threshold for the same system and metric. At
	// most one per system and metric. Reports of a metric without a
	// threshold are ignored.
	Thresholds []Threshold
	// Evidence receives a suspension record for every suspension and a
	// resumption record for every resumption. Nil means no evidence is
	// recorded. A panic in the sink is recovered and counts as a failed
	// write.
	Evidence evidence.Sink
	// Recorder is the recorder of the decisions whose metrics the
	// monitor is told. Before it writes a suspension record, the monitor
	// flushes it, so that the decisions that led to a suspension come
	// before it in the evidence, as they happened. Nil means that the
	// order of decision and suspension records is not kept.
	Recorder *Recorder
	// Hooks observe every suspension ([EventSuspension]) and resumption
	// ([EventResumption]), in order, after its evidence is recorded.
	Hooks []Hook
	// Clock returns the time of events. Nil means time.Now.
	Clock func() time.Time
	// NewID returns evidence record ids. Nil means uuid.NewV7.
	NewID func() (uuid.UUID, error)
}

// Monitor watches operational metrics of AI systems and suspends a system
// whose metric crosses its threshold (ISO/IEC 42001 A.6.2.6; EU AI Act
// Art. 14(4)(e), stop in a safe state, and Art. 26(5)). A suspension takes
// effect in the [Guard] at once: the monitor updates the guard with a view
// of the snapshot in which the system is suspended, so that [Guard.Allow]
// returns [ErrSuspended] from the next snapshot on. Only an explicit
// [Monitor.Resume], by a named person with a reason, lifts it.
//
// The monitor never modifies the snapshot it was given: it keeps clones of
// the systems it changes. The snapshot must not be modified while the
// monitor is in use. Suspensions live in the monitor and its guard only;
// to make one lasting, record the suspended status in the system's
// document. A later [Guard.Update] by someone else, such as after
// reloading the snapshot, replaces the monitor's view: build the next
// monitor from the new folder, or keep the suspension in the documents.
//
// A Monitor is safe for concurrent use.
type Monitor struct {
	guard    *Guard
	folder   *Snapshot
	systems  map[uuid.UUID]*inventory.System // the folder's, read only
	clock    func() time.Time
	newID    func() (uuid.UUID, error)
	evidence evidence.Sink
	recorder *Recorder
	hooks    Hooks

	resumeMu sync.Mutex // serialises Resume

	mu        sync.Mutex
	series    map[seriesKey]*series
	suspended map[uuid.UUID]*inventory.System // the monitor's suspended clones
}

type seriesKey struct {
	system uuid.UUID
	metric string
}

// series is the ring of the latest observations of one metric.
type series struct {
	max  float64
	buf  []float64 // len == window
	next int       // where the next observation goes
	n    int       // observations held, up to len(buf)
	sum  float64
}

// add records v and reports whether the window is full and its average
// exceeds the threshold. It compares the sum with max times the count,
// which does not divide and so keeps an average equal to max, such as
// three observations of 0.1 against 0.1, from counting as above it.
func (s *series) add(v float64) bool {
	if len(s.buf) == 1 {
		s.buf[0], s.n, s.sum = v, 1, v
		return v > s.max
	}
	if s.n == len(s.buf) {
		s.sum -= s.buf[s.next]
	} else {
		s.n++
	}
	s.buf[s.next] = v
	s.sum += v
	s.next++
	if s.next == len(s.buf) {
		s.next = 0
		// Recompute once per cycle so that rounding errors do not add up.
		s.sum = 0
		for _, x := range s.buf[:s.n] {
			s.sum += x
		}
	}
	return s.n == len(s.buf) && s.sum > s.max*float64(s.n)
}

func (s *series) reset() {
	clear(s.buf)
	s.next, s.n, s.sum = 0, 0, 0
}

// NewMonitor returns a monitor of the AI systems of f that updates g. It
// returns an error when a threshold names a system that f does not hold
// (matching [ErrUnknownSystem]), has no metric, a Max that is not finite
// or a negative Window, or repeats a system and metric, and when a hook is
// nil. It panics if g or f is nil.
func NewMonitor(g *Guard, f *Snapshot, opts *MonitorOptions) (*Monitor, error) {
	if g == nil || f == nil {
		panic("aims: NewMonitor with a nil guard or folder")
	}
	var o MonitorOptions
	if opts != nil {
		o = *opts
	}
	m := &Monitor{guard: g, folder: f, systems: make(map[uuid.UUID]*inventory.System, len(f.Systems)),
		clock: o.Clock, newID: o.NewID, evidence: o.Evidence, recorder: o.Recorder, hooks: slices.Clone(o.Hooks),
		series: make(map[seriesKey]*series), suspended: make(map[uuid.UUID]*inventory.System)}
	if m.clock == nil {
		m.clock = time.Now
	}
	if m.newID == nil {
		m.newID = uuid.NewV7
	}
	for i, h := range m.hooks {
		if h == nil {
			return nil, fmt.Errorf("aims: new monitor: hook %d is nil", i)
		}
	}
	for _, s := range f.Systems {
		m.systems[s.ID] = s
	}
	thresholds := slices.Clone(o.Thresholds)
	for _, sys := range f.Systems {
		for _, t := range sys.Monitoring.Thresholds {
			if !slices.ContainsFunc(o.Thresholds, func(x Threshold) bool { return x.System == sys.ID && x.Metric == t.Metric }) {
				thresholds = append(thresholds, Threshold{System: sys.ID, Metric: t.Metric, Max: t.Max, Window: t.Window})
			}
		}
	}
	for i, t := range thresholds {
		switch {
		case m.systems[t.System] == nil:
			return nil, fmt.Errorf("aims: new monitor: threshold %d: %w %s", i, ErrUnknownSystem, t.System)
		case strings.TrimSpace(t.Metric) == "":
			return nil, fmt.Errorf("aims: new monitor: threshold %d: no metric", i)
		case math.IsNaN(t.Max) || math.IsInf(t.Max, 0):
			return nil, fmt.Errorf("aims: new monitor: threshold %d: max %v is not finite", i, t.Max)
		case t.Window < 0:
			return nil, fmt.Errorf("aims: new monitor: threshold %d: window %d is negative", i, t.Window)
		}
		k := seriesKey{t.System, t.Metric}
		if _, dup := m.series[k]; dup {
			return nil, fmt.Errorf("aims: new monitor: threshold %d: a threshold for %s of %s is already given", i, t.Metric, t.System)
		}
		m.series[k] = &series{max: t.Max, buf: make([]float64, max(t.Window, 1))}
	}
	return m, nil
}

// Suspended reports whether the monitor holds system suspended.
func (m *Monitor) Suspended(system uuid.UUID) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.suspended[system] != nil
}

// Report records one observation of a metric of an AI system. It returns
// an error matching [ErrMetricValue] for a NaN or infinite value and one
// matching [ErrUnknownSystem] for a system the snapshot does not hold. A
// metric without a threshold, and any metric of a system that is
// suspended or retired already, is ignored.
//
// When the average of the metric's window exceeds its threshold, Report
// suspends the system: it updates the guard, so that [Guard.Allow]
// returns [ErrSuspended] once Report returns, then writes a suspension
// record to the evidence sink and calls the hooks with an
// [EventSuspension]. The suspension stands even when the evidence cannot
// be recorded (suspension is the safe state); Report then returns an
// error matching [ErrNotRecorded], joined with any hook errors. The
// evidence is written under [context.WithoutCancel](ctx).
//
// Below the threshold Report takes a lock, does no I/O and allocates
// nothing.
func (m *Monitor) Report(ctx context.Context, system uuid.UUID, metric string, value float64) error {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return fmt.Errorf("%w: %s of %s: %v", ErrMetricValue, metric, system, value)
	}
	orig := m.systems[system]
	if orig == nil {
		return fmt.Errorf("%w %s", ErrUnknownSystem, system)
	}
	m.mu.Lock()
	s := m.series[seriesKey{system, metric}]
	if s == nil || m.suspended[system] != nil {
		m.mu.Unlock()
		return nil
	}
	if !s.add(value) || orig.Lifecycle.EffectiveStatus() != inventory.StatusActive {
		m.mu.Unlock()
		return nil
	}
	window := len(s.buf)
	avg := s.sum / float64(s.n)
	m.suspendLocked(orig)
	m.mu.Unlock()

	now := m.clock()
	data, err := json.Marshal(suspensionData{Metric: metric, Value: value, Average: avg, Max: s.max, Window: window})
	if err != nil {
		return fmt.Errorf("aims: monitor: %w", err)
	}
	r := &evidence.Record{
		Time:     now,
		Type:     evidence.TypeSuspension,
		System:   system,
		Controls: slices.Clone(idsMonitor),
		Outcome:  "suspended",
		Reasons: []string{fmt.Sprintf("%s: average %g over the last %d observations exceeds the threshold %g (last value %g)",
			metric, avg, window, s.max, value)},
		Actor: ActorMonitor,
		Data:  data,
	}
	var flushErr error
	if m.recorder != nil {
		// The decisions that led here come first in the evidence.
		if err := m.recorder.Flush(context.WithoutCancel(ctx)); err != nil {
			flushErr = fmt.Errorf("%w: decisions before the suspension of %s: %w", ErrNotRecorded, system, err)
		}
	}
	return errors.Join(flushErr, m.emitter().emit(ctx, emission{
		record:            func() (*evidence.Record, error) { return r, nil },
		what:              fmt.Sprintf("%s of %s", r.Type, r.System),
		event:             &Event{Type: EventSuspension, Time: now, System: system},
		observeUnrecorded: true, // the suspension stands
	}))
}

// suspensionData is the data of a suspension record.
type suspensionData struct {
	Metric  string  `json:"metric"`
	Value   float64 `json:"value"`
	Average float64 `json:"average"`
	Max     float64 `json:"threshold"`
	Window  int     `json:"window"`
}

// Resume lifts a suspension the monitor made, on the explicit decision of
// actor for reason; both are required. It returns an error matching
// [ErrUnknownSystem] for a system the snapshot does not hold and
// [ErrNotSuspended] when the monitor has not suspended the system (a
// suspension recorded in the system's document is lifted by changing the
// document).
//
// Resume first writes a resumption record to the evidence sink, under
// [context.WithoutCancel](ctx). When it cannot be recorded the system
// stays suspended and Resume returns an error matching [ErrNotRecorded].
// Otherwise Resume updates the guard, clears the windows of the system's
// metrics and calls the hooks with an [EventResumption], returning their
// errors.
func (m *Monitor) Resume(ctx context.Context, system uuid.UUID, actor, reason string) error {
	if strings.TrimSpace(actor) == "" {
		return errors.New("aims: monitor: resume: actor is required")
	}
	if strings.TrimSpace(reason) == "" {
		return errors.New("aims: monitor: resume: reason is required")
	}
	if m.systems[system] == nil {
		return fmt.Errorf("aims: monitor: resume: %w %s", ErrUnknownSystem, system)
	}
	m.resumeMu.Lock()
	defer m.resumeMu.Unlock()
	// While resumeMu is held only Resume could lift the suspension, so it
	// stands until this call lifts it.
	if !m.Suspended(system) {
		return fmt.Errorf("aims: monitor: resume: %w: %s", ErrNotSuspended, system)
	}
	now := m.clock()
	r := &evidence.Record{
		Time:     now,
		Type:     evidence.TypeResumption,
		System:   system,
		Controls: slices.Clone(idsMonitor),
		Outcome:  "resumed",
		Reasons:  []string{reason},
		Actor:    actor,
	}
	return m.emitter().emit(ctx, emission{
		record: func() (*evidence.Record, error) { return r, nil },
		what:   fmt.Sprintf("%s of %s", r.Type, r.System),
		recorded: func() {
			m.mu.Lock()
			delete(m.suspended, system)
			for k, s := range m.series {
				if k.system == system {
					s.reset()
				}
			}
			m.updateGuard()
			m.mu.Unlock()
		},
		event: &Event{Type: EventResumption, Time: now, System: system},
	})
}

// suspendLocked holds a suspended clone of sys and passes the change to
// the guard. m.mu must be held.
func (m *Monitor) suspendLocked(sys *inventory.System) {
	c := sys.Clone()
	c.Lifecycle.Status = inventory.StatusSuspended
	m.suspended[sys.ID] = c
	m.updateGuard()
}

// updateGuard gives the guard a view of the snapshot in which the systems
// the monitor suspended are replaced by its suspended clones. m.mu must be
// held, so that views reach the guard in the order of the changes.
func (m *Monitor) updateGuard() {
	view := *m.folder
	view.Systems = slices.Clone(m.folder.Systems)
	for i, s := range view.Systems {
		if c := m.suspended[s.ID]; c != nil {
			view.Systems[i] = c
		}
	}
	m.guard.Update(&view)
}

// emitter returns the monitor's way of emitting evidence.
func (m *Monitor) emitter() emitter {
	return emitter{sink: m.evidence, clock: m.clock, newID: m.newID, hooks: m.hooks}
}

// idsIncident are the ids an incident record is evidence for.
var idsIncident = []string{"iso42001:A.8.4", "iso42001:10.2"}

// incidentData is the data of an incident record.
type incidentData struct {
	ID       string                  `json:"id"`
	Type     governance.IncidentType `json:"type"`
	Aware    time.Time               `json:"aware"`
	Deadline *time.Time              `json:"deadline,omitempty"`
	Suspend  bool                    `json:"suspend,omitempty"`
}

// OpenIncident records that an incident was opened (ISO/IEC 42001 A.8.4;
// EU AI Act Art. 73), with its reporting deadline, as an incident record
// in the evidence sink; once it is written, the hooks see an
// [EventIncident]. When the incident says so (Incident.Suspend), the
// system is suspended at once, as a crossed threshold would suspend it:
// the guard refuses it from the next snapshot, a suspension record names
// the incident, and the hooks see an [EventSuspension]. [Monitor.Resume]
// lifts it.
//
// OpenIncident returns the incident's validation problems, an error
// matching [ErrUnknownSystem] for a system the snapshot does not hold, and
// one matching [ErrNotRecorded] when evidence could not be written (a
// suspension then still stands).
func (m *Monitor) OpenIncident(ctx context.Context, inc *governance.Incident) error {
	if inc == nil {
		return errors.New("aims: monitor: open incident: nil incident")
	}
	if err := inc.Validate(); err != nil {
		return fmt.Errorf("aims: monitor: open incident: %w", err)
	}
	orig := m.systems[inc.System]
	if orig == nil {
		return fmt.Errorf("aims: monitor: open incident: %w %s", ErrUnknownSystem, inc.System)
	}
	d := incidentData{ID: inc.ID, Type: inc.Type, Aware: inc.Aware, Suspend: inc.Suspend}
	if dl, ok := inc.Deadline(); ok {
		d.Deadline = &dl
	}
	data, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("aims: monitor: open incident: %w", err)
	}
	now := m.clock()
	rec := &evidence.Record{
		Time:     now,
		Type:     evidence.TypeIncident,
		System:   inc.System,
		Controls: slices.Clone(idsIncident),
		Outcome:  string(inc.Type),
		Reasons:  []string{inc.Title},
		Actor:    ActorMonitor,
		Data:     data,
	}
	errRecord := m.emitter().emit(ctx, emission{
		record: func() (*evidence.Record, error) { return rec, nil },
		what:   fmt.Sprintf("%s of %s", rec.Type, rec.System),
		event:  &Event{Type: EventIncident, Time: now, System: inc.System},
	})
	if !inc.Suspend {
		return errRecord
	}
	m.mu.Lock()
	if m.suspended[inc.System] != nil || orig.Lifecycle.EffectiveStatus() != inventory.StatusActive {
		m.mu.Unlock()
		return errRecord
	}
	m.suspendLocked(orig)
	m.mu.Unlock()
	susp := &evidence.Record{
		Time:     now,
		Type:     evidence.TypeSuspension,
		System:   inc.System,
		Controls: slices.Clone(idsMonitor),
		Outcome:  "suspended",
		Reasons:  []string{fmt.Sprintf("incident %s: %s", inc.ID, inc.Title)},
		Actor:    ActorMonitor,
	}
	return errors.Join(errRecord, m.emitter().emit(ctx, emission{
		record:            func() (*evidence.Record, error) { return susp, nil },
		what:              fmt.Sprintf("%s of %s", susp.Type, susp.System),
		event:             &Event{Type: EventSuspension, Time: now, System: inc.System},
		observeUnrecorded: true, // the suspension stands
	}))
}
