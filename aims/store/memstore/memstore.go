package memstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aimskit/aimskit/aims/store"
)

// Options configures the [store.Store] that [New] returns. A nil
// *Options is the same as the zero value, which gives the defaults.
type Options struct {
	// Clock returns the time recorded for each write. Nil means
	// [time.Now]. It must be safe for concurrent use. It is the
	// [store.Options.Clock] of the store.
	Clock func() time.Time
}

// New returns an empty [store.Store] that keeps its documents in memory.
// opts may be nil.
func New(opts *Options) *store.Store {
	var o store.Options
	if opts != nil {
		o.Clock = opts.Clock
	}
	return store.New(NewDriver(), &o)
}

// NewDriver returns an empty [Driver], for [store.New].
func NewDriver() *Driver { return new(Driver) }

// Driver is a [store.Driver] that keeps documents in memory.
//
// The zero value is an empty driver. A Driver is safe for concurrent use
// by multiple goroutines and must not be copied after first use.
type Driver struct {
	mu   sync.RWMutex
	docs map[key]*record
}

var _ store.Driver = (*Driver)(nil)

type key struct{ kind, id string }

// record is everything the driver knows about one kind and id. The
// documents and changes it holds are never modified: the [store.Store]
// copies what it returns.
type record struct {
	cur     *store.Document // nil after a delete
	rev     int64           // last revision, including a delete
	history []store.Change
}

// Get returns the current revision of a document; see [store.Driver].
func (d *Driver) Get(ctx context.Context, kind, id string) (*store.Document, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	r := d.docs[key{kind, id}]
	if r == nil || r.cur == nil {
		return nil, fmt.Errorf("memstore: get %s/%s: %w", kind, id, store.ErrNotFound)
	}
	return r.cur, nil
}

// List returns the documents of f's kind and ids; see [store.Driver].
func (d *Driver) List(ctx context.Context, f store.Filter) ([]*store.Document, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var docs []*store.Document
	for k, r := range d.docs {
		if r.cur != nil && (f.Kind == "" || k.kind == f.Kind) {
			docs = append(docs, r.cur)
		}
	}
	return docs, nil
}

// Put writes doc as a new revision; see [store.Driver]. The data is kept
// as given.
func (d *Driver) Put(ctx context.Context, doc *store.Document, c store.Commit) (*store.Document, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := key{doc.Kind, doc.ID}
	r := d.docs[k]
	if r == nil {
		r = &record{}
	}
	var have int64
	if r.cur != nil {
		have = r.cur.Revision
	}
	if err := c.Check.Check(have); err != nil {
		return nil, err
	}
	stored := &store.Document{
		Kind:      doc.Kind,
		ID:        doc.ID,
		Revision:  r.rev + 1,
		Data:      doc.Data, // the Store's copy
		Updated:   c.Time,
		UpdatedBy: c.Actor,
	}
	r.history = append(r.history, store.Change{
		Kind:     stored.Kind,
		ID:       stored.ID,
		Revision: stored.Revision,
		Op:       store.OpPut,
		Time:     c.Time,
		Actor:    c.Actor,
		Reason:   c.Reason,
		Digest:   store.Digest(stored.Data),
		Data:     stored.Data,
	})
	r.cur = stored
	r.rev = stored.Revision
	if d.docs == nil {
		d.docs = make(map[key]*record)
	}
	d.docs[k] = r
	return stored, nil
}

// Delete removes a document and records the delete in its history; see
// [store.Driver].
func (d *Driver) Delete(ctx context.Context, kind, id string, c store.Commit) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	r := d.docs[key{kind, id}]
	if r == nil || r.cur == nil {
		return fmt.Errorf("memstore: delete %s/%s: %w", kind, id, store.ErrNotFound)
	}
	if err := c.Check.Check(r.cur.Revision); err != nil {
		return err
	}
	r.rev++
	r.cur = nil
	r.history = append(r.history, store.Change{
		Kind:     kind,
		ID:       id,
		Revision: r.rev,
		Op:       store.OpDelete,
		Time:     c.Time,
		Actor:    c.Actor,
		Reason:   c.Reason,
	})
	return nil
}

// History returns the changes of a document, oldest first; see
// [store.Driver].
func (d *Driver) History(ctx context.Context, kind, id string) ([]store.Change, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	r := d.docs[key{kind, id}]
	if r == nil {
		return nil, fmt.Errorf("memstore: history %s/%s: %w", kind, id, store.ErrNotFound)
	}
	return r.history[:len(r.history):len(r.history)], nil
}

// Close discards the documents.
func (d *Driver) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.docs = nil
	return nil
}
