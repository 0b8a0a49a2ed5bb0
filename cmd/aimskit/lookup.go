package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/internal/suggest"
	"github.com/aimskit/aimskit/inventory"
)

// maxListed is how many AI systems the error for an unknown one lists.
const maxListed = 10

// findSystem returns the id of the AI system of f that s names: its id
// or its exact name. When f holds no such system, the error names what
// was typed and lists the AI systems of f, those closest to s first
// (names and ids that start with s, then by edit distance), each with
// its id.
func findSystem(f *aims.Snapshot, s string) (uuid.UUID, error) {
	if sys := f.Lookup(s); sys != nil {
		return sys.ID, nil
	}
	return uuid.Nil, unknownSystem(f, s)
}

// unknownSystem returns the error of [findSystem] for s, which names no
// AI system of f.
func unknownSystem(f *aims.Snapshot, s string) error {
	if len(f.Systems) == 0 {
		return fmt.Errorf("no AI system %s: the folder holds no AI system", document.Excerpt(s))
	}
	systems := slices.Clone(f.Systems)
	suggest.Sort(s, systems, func(sys *inventory.System) []string { return []string{sys.Name, sys.ID.String()} })
	var b strings.Builder
	fmt.Fprintf(&b, "no AI system %s (give an id or an exact name); the AI systems, closest first:", document.Excerpt(s))
	for _, sys := range systems[:min(len(systems), maxListed)] {
		fmt.Fprintf(&b, "\n  %s  %s", sys.ID, document.Excerpt(sys.Name))
	}
	if n := len(systems) - maxListed; n > 0 {
		fmt.Fprintf(&b, "\n  and %d more", n)
	}
	return errors.New(b.String())
}
