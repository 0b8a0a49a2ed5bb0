package aims

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/inventory"
)

// Errors of [Guard.Allow]. Each refusal is one of these values, so that
// refusing costs no allocation; match them with [errors.Is].
var (
	// ErrSuspended: the system is suspended (operational status).
	ErrSuspended = errors.New("aims: AI system suspended")
	// ErrRetired: the system is retired.
	ErrRetired = errors.New("aims: AI system retired")
	// ErrNotReleased: the system's current models were not released by a
	// passed deployment gate, or the system is not in a stage that serves.
	ErrNotReleased = errors.New("aims: AI system not released")
	// ErrReleaseNotRecorded: the decision that the system's history names
	// as its release is not an allowing deployment decision of the system
	// in the evidence ([GuardOptions.Releases]). It matches
	// [ErrNotReleased].
	ErrReleaseNotRecorded = fmt.Errorf("%w: its release decision is not in the evidence log", ErrNotReleased)
)

// GuardOptions configures a [Guard]. A nil *GuardOptions is the same as
// the zero value.
type GuardOptions struct {
	// Releases, if set, are the recorded release decisions (see
	// [ReadReleases]): a system is admitted only if the decision of its
	// last move into deployment is one of them, for that system. Nil
	// means that the decision id in the system's history is taken on
	// trust.
	Releases *Releases
}

// Guard answers, in the request path, whether an AI system may serve now
// (ISO/IEC 42001 A.6.2.5, A.6.2.6; EU AI Act Art. 14 and 26(5): a system
// that is suspended must stop). It answers from an immutable snapshot that
// [Guard.Update] swaps atomically: [Guard.Allow] takes no lock, does no
// I/O and allocates nothing.
//
// A system may serve when it is active (not suspended or retired), is in
// a stage that serves (deployment, operation and monitoring, continuous
// validation or re-evaluation), and the last move into deployment in its
// life-cycle history was applied by a gate decision ([Gate.Apply]) for
// exactly the models the inventory lists now: a model changed since its
// release has not passed the gate.
//
// A guard counts its refusals by reason ([Guard.Refusals]), for metrics.
//
// The zero value is a guard with an empty snapshot, which refuses every
// system with [ErrUnknownSystem]. A Guard is safe for concurrent use.
type Guard struct {
	snap     atomic.Pointer[guardSnapshot]
	releases *Releases
	refused  [refusalReasons]atomic.Uint64
}

type guardSnapshot struct {
	systems map[uuid.UUID]*refusal // nil: may serve
}

// refusal is a refusal of [Guard.Allow]: its error and the count it goes
// to. The snapshot points into refusalKinds, so that refusing costs
// neither an allocation nor a match of the error.
type refusal struct {
	err    error
	reason refusalReason
}

// refusalKinds are the refusals servable returns, the more specific
// first.
var refusalKinds = [...]refusal{
	{ErrSuspended, refusedSuspended},
	{ErrRetired, refusedRetired},
	{ErrReleaseNotRecorded, refusedNotReleased},
	{ErrNotReleased, refusedNotReleased},
}

// refusalFor returns the refusal of err, which servable returned.
func refusalFor(err error) *refusal {
	if err == nil {
		return nil
	}
	for i := range refusalKinds {
		if errors.Is(err, refusalKinds[i].err) {
			return &refusalKinds[i]
		}
	}
	return &refusal{err: err, reason: refusedNotReleased}
}

// refusalReason indexes [Guard.refused].
type refusalReason uint8

const (
	refusedUnknown refusalReason = iota
	refusedSuspended
	refusedRetired
	refusedNotReleased
	refusalReasons
)

// GuardRefusals counts the calls to [Guard.Allow] (and so [Guard.Do] and
// [Guard.Middleware]) that refused a system, by the error returned.
// NotReleased includes [ErrReleaseNotRecorded].
type GuardRefusals struct {
	Unknown     uint64 // ErrUnknownSystem
	Suspended   uint64 // ErrSuspended
	Retired     uint64 // ErrRetired
	NotReleased uint64 // ErrNotReleased
}

// Refusals returns the counts of refusals since the guard was made. The
// counts are read one by one, not as one snapshot.
func (g *Guard) Refusals() GuardRefusals {
	return GuardRefusals{
		Unknown:     g.refused[refusedUnknown].Load(),
		Suspended:   g.refused[refusedSuspended].Load(),
		Retired:     g.refused[refusedRetired].Load(),
		NotReleased: g.refused[refusedNotReleased].Load(),
	}
}

// NewGuard returns a guard with a snapshot of f. opts may be nil.
func NewGuard(f *Snapshot, opts *GuardOptions) *Guard {
	g := &Guard{}
	if opts != nil {
		g.releases = opts.Releases
	}
	g.Update(f)
	return g
}

// Update replaces the snapshot with one built from f. Calls to Allow that
// run at the same time see either the old snapshot or the new one.
func (g *Guard) Update(f *Snapshot) {
	s := &guardSnapshot{systems: make(map[uuid.UUID]*refusal, len(f.Systems))}
	for _, sys := range f.Systems {
		s.systems[sys.ID] = refusalFor(servable(sys, g.releases))
	}
	g.snap.Store(s)
}

// Allow returns nil when the system may serve now, and otherwise one of
// [ErrUnknownSystem], [ErrSuspended], [ErrRetired] and [ErrNotReleased].
// It does not look at ctx; it is there for symmetry with the other
// request-path calls and for future use. A refusal is counted in
// [Guard.Refusals].
func (g *Guard) Allow(ctx context.Context, system uuid.UUID) error {
	s := g.snap.Load()
	if s == nil {
		g.refused[refusedUnknown].Add(1)
		return ErrUnknownSystem
	}
	r, ok := s.systems[system]
	if !ok {
		g.refused[refusedUnknown].Add(1)
		return ErrUnknownSystem
	}
	if r != nil {
		g.refused[r.reason].Add(1)
		return r.err
	}
	return nil
}

// servable works out once, when a snapshot is built, what Allow answers
// for a system. releases may be nil.
func servable(sys *inventory.System, releases *Releases) error {
	switch sys.Lifecycle.EffectiveStatus() {
	case inventory.StatusSuspended:
		return ErrSuspended
	case inventory.StatusRetired:
		return ErrRetired
	}
	switch sys.Lifecycle.Stage {
	case inventory.StageDeployment, inventory.StageOperationMonitoring, inventory.StageContinuousValidation, inventory.StageReEvaluation:
	default:
		return ErrNotReleased
	}
	h := sys.Lifecycle.History
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].To != inventory.StageDeployment {
			continue
		}
		if h[i].Decision == "" || !slices.Equal(h[i].Models, sys.ModelVersions()) {
			return ErrNotReleased
		}
		if releases != nil {
			id, err := uuid.Parse(h[i].Decision)
			if err != nil || !releases.Released(sys.ID, id) {
				return ErrReleaseNotRecorded
			}
		}
		return nil
	}
	return ErrNotReleased
}

// Do runs fn when the system may serve, and returns Allow's error without
// running it otherwise. It guards any transport other than HTTP.
func (g *Guard) Do(ctx context.Context, system uuid.UUID, fn func(ctx context.Context) error) error {
	if err := g.Allow(ctx, system); err != nil {
		return err
	}
	return fn(ctx)
}

// Middleware returns a handler that serves a request with next only when
// the system may serve, and otherwise answers 503 Service Unavailable with
// an RFC 9457 problem body (application/problem+json) naming the reason.
func (g *Guard) Middleware(system uuid.UUID, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := g.Allow(r.Context(), system)
		if err == nil {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(problem{
			Type:   "https://aimskit.dev/problems/ai-system-unavailable",
			Title:  "AI system unavailable",
			Status: http.StatusServiceUnavailable,
			Detail: err.Error(),
			System: system.String(),
		})
	})
}

// problem is an RFC 9457 problem details object.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	System string `json:"system"`
}
