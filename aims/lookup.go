package aims

import (
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/inventory"
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
