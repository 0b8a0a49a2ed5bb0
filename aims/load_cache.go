package aims

import (
	"container/list"
	"crypto/sha256"
	"maps"
	"slices"
	"sync"

	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// defaultCacheSize is the [LoaderOptions.CacheSize] used when it is
// zero: 32 MiB of document files.
const defaultCacheSize = 32 << 20

// docCache keeps the documents a [Loader] decoded, by the digest of their
// bytes, so that loading a file the loader has decoded before costs a
// copy instead of a decode. It keeps its own copy of each document, which
// it never hands out: a caller gets a clone (see [cloneDocument]), which
// it owns, so that nothing a caller does to its snapshot reaches the
// cache or another snapshot. It holds at most max bytes of files and
// drops the least recently used first. It is safe for concurrent use.
type docCache struct {
	mu      sync.Mutex
	max     int
	size    int
	entries map[cacheKey]*list.Element // of *cached
	lru     list.List                  // most recently used first
}

// cacheKey names a file's content and how it was read: a .json file is
// read as JSON only.
type cacheKey struct {
	digest [sha256.Size]byte
	json   bool
}

// cached is a document as decoded, with the placeholders it holds (with
// no file name).
type cached struct {
	key          cacheKey
	size         int
	doc          document.Validator
	placeholders []document.Problem
}

func newDocCache(max int) *docCache {
	return &docCache{max: max, entries: make(map[cacheKey]*list.Element)}
}

// get returns a copy of the document with key k, and its placeholders,
// named after file; ok is false if the cache does not hold it.
func (c *docCache) get(k cacheKey, file string) (doc document.Validator, placeholders []document.Problem, ok bool) {
	c.mu.Lock()
	e, ok := c.entries[k]
	if ok {
		c.lru.MoveToFront(e)
	}
	c.mu.Unlock()
	if !ok {
		return nil, nil, false
	}
	d := e.Value.(*cached) // read-only once cached
	doc, ok = cloneDocument(d.doc)
	if !ok {
		return nil, nil, false
	}
	return doc, named(d.placeholders, file), true
}

// put keeps a copy of doc, decoded from size bytes with key k; doc
// stays the caller's. It keeps nothing larger than the cache.
func (c *docCache) put(k cacheKey, size int, doc document.Validator, placeholders []document.Problem) {
	if size > c.max {
		return
	}
	own, ok := cloneDocument(doc)
	if !ok {
		return
	}
	d := &cached{key: k, size: size, doc: own, placeholders: named(placeholders, "")}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, dup := c.entries[k]; dup { // decoded twice at once
		c.lru.MoveToFront(e)
		return
	}
	c.entries[k] = c.lru.PushFront(d)
	c.size += size
	for c.size > c.max {
		last := c.lru.Back()
		old := c.lru.Remove(last).(*cached)
		delete(c.entries, old.key)
		c.size -= old.size
	}
}

// named returns a copy of problems, each naming file.
func named(problems []document.Problem, file string) []document.Problem {
	if len(problems) == 0 {
		return nil
	}
	out := slices.Clone(problems)
	for i := range out {
		out[i].File = file
	}
	return out
}

// cloneDocument returns a deep copy of a decoded document, which shares
// nothing that can be changed with it, and false for a kind it does not
// know. TestCloneDocument checks that the copy is equal and shares no
// memory.
func cloneDocument(v document.Validator) (document.Validator, bool) {
	switch v := v.(type) {
	case *inventory.System:
		return v.Clone(), true
	case *risk.Criteria:
		c := v.Clone()
		return &c, true
	case *risk.Assessment:
		return v.Clone(), true
	case *impact.Assessment:
		return v.Clone(), true
	case *controls.StatementOfApplicability:
		return v.Clone(), true
	case *GatePolicy:
		return v.clone(), true
	case *governance.ManagementSystem:
		return v.Clone(), true
	case *governance.AuditRecord:
		return v.Clone(), true
	case *governance.ManagementReview:
		return v.Clone(), true
	case *governance.Nonconformity:
		return v.Clone(), true
	case *governance.Incident:
		return v.Clone(), true
	}
	return nil, false
}

// clone returns a deep copy of p.
func (p *GatePolicy) clone() *GatePolicy {
	c := *p
	if p.Gates != nil {
		c.Gates = make([]GateRule, len(p.Gates))
		for i, g := range p.Gates {
			if g.Checks != nil {
				g.Checks = make([]CheckSpec, len(p.Gates[i].Checks))
				for j, s := range p.Gates[i].Checks {
					g.Checks[j] = s.clone()
				}
			}
			c.Gates[i] = g
		}
	}
	c.Waivers = slices.Clone(p.Waivers)
	return &c
}

// clone returns a deep copy of s.
func (s CheckSpec) clone() CheckSpec {
	s.Params.Controls = slices.Clone(s.Params.Controls)
	if s.Params.Min != nil {
		m := *s.Params.Min
		s.Params.Min = &m
	}
	if s.Params.Max != nil {
		m := *s.Params.Max
		s.Params.Max = &m
	}
	s.Params.Extra = maps.Clone(s.Params.Extra)
	return s
}
