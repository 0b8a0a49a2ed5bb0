package memstore

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aimskit/aimskit/aims/store"
)

// Options configures a [Store]. A nil *Options is the same as the zero
// value, which gives the defaults.
type Options struct {
	// Clock returns the time recorded for each write. Nil means
	// [time.Now]. It must be safe for concurrent use.
	Clock func() time.Time
}

// Store is a [store.Store] that keeps documents in memory.
//
// The zero value is an empty store that uses [time.Now]; [New] configures
// one. A Store is safe for concurrent use by multiple goroutines and must
// not be copied after first use.
type Store struct {
	clock func() time.Time

	mu     sync.RWMutex
	closed bool
	docs   map[key]*record
}

var _ store.Store = (*Store)(nil)

type key struct{ kind, id string }

// record is everything the store knows about one kind and id.
type record struct {
	cur     *store.Document // nil after a delete
	rev     int64           // last revision, including a delete
	history []store.Change
}

// New returns an empty store. opts may be nil.
func New(opts *Options) *Store {
	var o Options
	if opts != nil {
		o = *opts
	}
	return &Store{clock: o.Clock}
}

func (s *Store) now() time.Time {
	if s.clock == nil {
		return time.Now().UTC().Round(0)
	}
	return s.clock().UTC().Round(0)
}

// Get returns a copy of the current revision of a document; see
// [store.Store].
func (s *Store) Get(ctx context.Context, kind, id string) (*store.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: get: %w", err)
	}
	if err := validKey(kind, id); err != nil {
		return nil, fmt.Errorf("memstore: get: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, fmt.Errorf("memstore: get %s/%s: %w", kind, id, store.ErrClosed)
	}
	r := s.docs[key{kind, id}]
	if r == nil || r.cur == nil {
		return nil, fmt.Errorf("memstore: get %s/%s: %w", kind, id, store.ErrNotFound)
	}
	return r.cur.Clone(), nil
}

// List returns copies of the documents that match f, sorted by kind and
// then by id; see [store.Store].
func (s *Store) List(ctx context.Context, f store.Filter) ([]*store.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: list: %w", err)
	}
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("memstore: list: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, fmt.Errorf("memstore: list: %w", store.ErrClosed)
	}
	var docs []*store.Document
	for _, r := range s.docs {
		if r.cur != nil && f.Match(r.cur) {
			docs = append(docs, r.cur.Clone())
		}
	}
	slices.SortFunc(docs, func(a, b *store.Document) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return docs, nil
}

// Put writes a copy of doc and returns a copy of the stored document; see
// [store.Store]. The data is kept as given.
func (s *Store) Put(ctx context.Context, doc *store.Document, w store.Write) (*store.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: put: %w", err)
	}
	if err := doc.Validate(); err != nil {
		return nil, fmt.Errorf("memstore: put: %w", err)
	}
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("memstore: put %s/%s: %w", doc.Kind, doc.ID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("memstore: put %s/%s: %w", doc.Kind, doc.ID, store.ErrClosed)
	}
	k := key{doc.Kind, doc.ID}
	r := s.docs[k]
	if r == nil {
		r = &record{}
	}
	var have int64
	if r.cur != nil {
		have = r.cur.Revision
	}
	if err := store.CheckRevision(store.OpPut, doc.Kind, doc.ID, doc.Revision, have); err != nil {
		return nil, err
	}
	now := s.now()
	stored := &store.Document{
		Kind:      doc.Kind,
		ID:        doc.ID,
		Revision:  r.rev + 1,
		Data:      bytes.Clone(doc.Data),
		Updated:   now,
		UpdatedBy: w.Actor,
	}
	r.history = append(r.history, store.Change{
		Kind:     stored.Kind,
		ID:       stored.ID,
		Revision: stored.Revision,
		Op:       store.OpPut,
		Time:     now,
		Actor:    w.Actor,
		Reason:   w.Reason,
		Digest:   store.Digest(stored.Data),
		Data:     stored.Data, // never modified: every reader gets a copy
	})
	r.cur = stored
	r.rev = stored.Revision
	if s.docs == nil {
		s.docs = make(map[key]*record)
	}
	s.docs[k] = r
	return stored.Clone(), nil
}

// Delete removes a document and records the delete in its history; see
// [store.Store].
func (s *Store) Delete(ctx context.Context, kind, id string, revision int64, w store.Write) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: delete: %w", err)
	}
	if err := validKey(kind, id); err != nil {
		return fmt.Errorf("memstore: delete: %w", err)
	}
	if revision == 0 || revision < store.AnyRevision {
		return fmt.Errorf("memstore: delete %s/%s: revision %d is not valid, give the revision read or AnyRevision: %w", kind, id, revision, store.ErrInvalid)
	}
	if err := w.Validate(); err != nil {
		return fmt.Errorf("memstore: delete %s/%s: %w", kind, id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("memstore: delete %s/%s: %w", kind, id, store.ErrClosed)
	}
	r := s.docs[key{kind, id}]
	if r == nil || r.cur == nil {
		return fmt.Errorf("memstore: delete %s/%s: %w", kind, id, store.ErrNotFound)
	}
	if err := store.CheckRevision(store.OpDelete, kind, id, revision, r.cur.Revision); err != nil {
		return err
	}
	r.rev++
	r.cur = nil
	r.history = append(r.history, store.Change{
		Kind:     kind,
		ID:       id,
		Revision: r.rev,
		Op:       store.OpDelete,
		Time:     s.now(),
		Actor:    w.Actor,
		Reason:   w.Reason,
	})
	return nil
}

// History returns copies of the changes of a document, oldest first; see
// [store.Store].
func (s *Store) History(ctx context.Context, kind, id string) ([]store.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memstore: history: %w", err)
	}
	if err := validKey(kind, id); err != nil {
		return nil, fmt.Errorf("memstore: history: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, fmt.Errorf("memstore: history %s/%s: %w", kind, id, store.ErrClosed)
	}
	r := s.docs[key{kind, id}]
	if r == nil {
		return nil, fmt.Errorf("memstore: history %s/%s: %w", kind, id, store.ErrNotFound)
	}
	changes := make([]store.Change, len(r.history))
	for i, c := range r.history {
		c.Data = bytes.Clone(c.Data)
		changes[i] = c
	}
	return changes, nil
}

// Close discards the documents. Afterwards the other methods return an
// error matching [store.ErrClosed]; Close itself may be called again and
// then returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.docs = nil
	return nil
}

func validKey(kind, id string) error {
	if err := store.ValidKind(kind); err != nil {
		return err
	}
	return store.ValidID(id)
}
