package aims

import (
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// Lookup returns the AI system of f that ref names, by its id or by its
// exact name (an id wins over a name that looks like one), or nil if
// there is none. Names are matched exactly, without folding case or
// space: a governance decision must not pick a system by a near match.
func (f *Snapshot) Lookup(ref string) *inventory.System {
	if id, err := uuid.Parse(ref); err == nil {
		if s := f.System(id); s != nil {
			return s
		}
	}
	for _, s := range f.Systems {
		if s.Name == ref {
			return s
		}
	}
	return nil
}

// index finds the documents of a snapshot by AI system in constant time.
// It is built in one pass over the snapshot and reflects the snapshot as
// it was then: a gate builds one in NewGate, since the snapshot must not
// change while the gate is in use, and a load or a readiness report
// builds one for its own use. Where the snapshot holds several documents
// for one key, the index holds the first, as the linear lookups of
// [Snapshot] return it.
type index struct {
	systems  map[uuid.UUID]*inventory.System
	risk     map[uuid.UUID]*risk.Assessment
	impact   map[uuid.UUID]*impact.Assessment
	problems map[uuid.UUID][]document.Problem // of each system's own documents
	scope    map[uuid.UUID]bool               // of the ManagementSystem; nil without one
}

func (f *Snapshot) newIndex() *index {
	x := &index{
		systems:  make(map[uuid.UUID]*inventory.System, len(f.Systems)),
		risk:     make(map[uuid.UUID]*risk.Assessment, len(f.RiskAssessments)),
		impact:   make(map[uuid.UUID]*impact.Assessment, len(f.ImpactAssessments)),
		problems: make(map[uuid.UUID][]document.Problem),
	}
	for _, s := range f.Systems {
		if _, dup := x.systems[s.ID]; !dup {
			x.systems[s.ID] = s
		}
	}
	for _, a := range f.RiskAssessments {
		if _, dup := x.risk[a.System]; !dup {
			x.risk[a.System] = a
		}
	}
	for _, a := range f.ImpactAssessments {
		if _, dup := x.impact[a.System]; !dup {
			x.impact[a.System] = a
		}
	}
	for _, p := range f.problems {
		if !p.wide {
			x.problems[p.system] = append(x.problems[p.system], p.Problem)
		}
	}
	if ms := f.ManagementSystem; ms != nil {
		x.scope = make(map[uuid.UUID]bool, len(ms.Scope.Systems))
		for _, id := range ms.Scope.Systems {
			x.scope[id] = true
		}
	}
	return x
}

// inScopeOf reports whether the AI system is in the scope of the
// management system (see [Snapshot.inScope]).
func (x *index) inScopeOf(id uuid.UUID) bool {
	if x.scope != nil {
		return x.scope[id]
	}
	return x.systems[id] != nil
}
