package store

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Options configures a [Store]. A nil *Options is the same as the zero
// value, which gives the defaults.
type Options struct {
	// Clock returns the time recorded for each write. Nil means
	// [time.Now]. It must be safe for concurrent use. The Store records
	// its time in UTC; a driver may keep it to a coarser precision.
	Clock func() time.Time
}

// Store keeps governance documents by kind and id, with revisions and a
// change history, in the storage of its [Driver]. It does the work every
// storage shares: it checks kinds, ids, documents, writes and filters,
// refuses calls after [Store.Close], hands the driver the revision the
// caller read, stamps each write with its time and actor, and copies
// documents on the way in and out. See the package documentation for the
// errors.
//
// The zero value is not usable: [New] returns a Store, and so do
// memstore.New, dirstore.Open and pgstore.Open. A Store is safe for
// concurrent use by multiple goroutines. Every document and change it
// returns is a copy that the caller owns, and it copies what it is given.
type Store struct {
	d     Driver
	clock func() time.Time

	// mu is held for reading by every call to the driver except Watch,
	// and for writing by Close, which so waits for them.
	mu     sync.RWMutex
	closed bool
}

// New returns a Store in front of d. opts may be nil. New panics if d is
// nil. The Store owns d: [Store.Close] closes it.
func New(d Driver, opts *Options) *Store {
	if d == nil {
		panic("store: New: nil driver")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return &Store{d: d, clock: o.Clock}
}

// open takes the read lock for a call to the driver and reports
// whether the store is still open. If it returns nil, the caller must
// call s.mu.RUnlock.
func (s *Store) open(op, kind, id string) error {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		if kind == "" {
			return fmt.Errorf("store: %s: %w", op, ErrClosed)
		}
		return fmt.Errorf("store: %s %s/%s: %w", op, kind, id, ErrClosed)
	}
	return nil
}

// Get returns the current revision of a document. It returns an error
// matching [ErrNotFound] if the document does not exist.
func (s *Store) Get(ctx context.Context, kind, id string) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: get: %w", err)
	}
	if err := validKey(kind, id); err != nil {
		return nil, err
	}
	if err := s.open("get", kind, id); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	d, err := s.d.Get(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	return d.Clone(), nil
}

// List returns the documents that match f, sorted by kind and then by id
// (byte-wise).
func (s *Store) List(ctx context.Context, f Filter) ([]*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: list: %w", err)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if err := s.open("list", "", ""); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	got, err := s.d.List(ctx, f)
	if err != nil {
		return nil, err
	}
	var docs []*Document
	for _, d := range got {
		if f.Match(d) {
			docs = append(docs, d.Clone())
		}
	}
	slices.SortFunc(docs, func(a, b *Document) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return docs, nil
}

// Put writes doc (see [Document.Validate]) and returns it as stored, with
// its new revision. doc.Revision must be the stored revision, 0 for a
// document that does not exist, or [AnyRevision]; otherwise Put returns a
// [*ConflictError]. Put records the change with w. The driver may store
// the data in another form (dirstore writes it as YAML); the document
// returned holds the data as stored.
func (s *Store) Put(ctx context.Context, doc *Document, w Write) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: put: %w", err)
	}
	if err := doc.Validate(); err != nil {
		return nil, err
	}
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("store: put %s/%s: %w", doc.Kind, doc.ID, err)
	}
	in := doc.Clone()
	in.Updated, in.UpdatedBy = time.Time{}, ""
	if err := s.open("put", doc.Kind, doc.ID); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	c := s.commit(OpPut, in.Kind, in.ID, in.Revision, w)
	got, err := s.d.Put(ctx, in, c)
	if err != nil {
		return nil, err
	}
	return got.Clone(), nil
}

// Delete removes a document. revision must be the stored revision or
// [AnyRevision], like for Put; a revision of 0 is invalid. Delete returns
// an error matching [ErrNotFound] if the document does not exist. The
// history keeps the document's changes and gains a delete entry; a
// document created again with the same kind and id continues the revision
// numbering.
func (s *Store) Delete(ctx context.Context, kind, id string, revision int64, w Write) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: delete: %w", err)
	}
	if err := validKey(kind, id); err != nil {
		return err
	}
	if revision == 0 || revision < AnyRevision {
		return invalidf("store: delete %s/%s: revision %d is not valid, give the revision read or AnyRevision", kind, id, revision)
	}
	if err := w.Validate(); err != nil {
		return fmt.Errorf("store: delete %s/%s: %w", kind, id, err)
	}
	if err := s.open("delete", kind, id); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	return s.d.Delete(ctx, kind, id, s.commit(OpDelete, kind, id, revision, w))
}

// History returns the changes of a document, oldest first. It returns an
// error matching [ErrNotFound] if the document was never written.
func (s *Store) History(ctx context.Context, kind, id string) ([]Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	if err := validKey(kind, id); err != nil {
		return nil, err
	}
	if err := s.open("history", kind, id); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	got, err := s.d.History(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	changes := make([]Change, len(got))
	for i, c := range got {
		c.Data = bytes.Clone(c.Data)
		changes[i] = c
	}
	return changes, nil
}

// Watch calls fn once for each change written to the store after Watch
// started, in the order the store made them, and returns when ctx is done
// (with the context's error), when the store is closed (with an error
// matching [ErrClosed]) or when it can no longer watch. fn runs on
// Watch's goroutine; while it runs, later changes wait. It returns an
// error matching [errors.ErrUnsupported] if the driver is not a
// [Watcher], such as the memory and directory drivers.
//
// When changes may have been missed, Watch calls fn with the zero
// Notification: the caller should then read again whatever it keeps. It
// does so once it has started watching (changes made between the caller's
// last read and that moment are not reported) and, with a driver that
// reconnects, after a lost connection was restored.
func (s *Store) Watch(ctx context.Context, fn func(Notification)) error {
	if fn == nil {
		return invalidf("store: watch: nil function")
	}
	if err := s.open("watch", "", ""); err != nil {
		return err
	}
	// Not under the lock: Watch runs until ctx is done, and Close ends it
	// by closing the driver.
	s.mu.RUnlock()
	w, ok := s.d.(Watcher)
	if !ok {
		return fmt.Errorf("store: watch: the driver does not report changes: %w", errors.ErrUnsupported)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return w.Watch(ctx, fn)
}

// Close waits for the calls in progress, then closes the driver, which
// ends running [Store.Watch] calls. Afterwards the other methods return an
// error matching [ErrClosed]; Close itself may be called again and then
// returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.d.Close()
}

// commit returns the commit of a write.
func (s *Store) commit(op Op, kind, id string, want int64, w Write) Commit {
	return Commit{
		Check:  RevisionCheck{Op: op, Kind: kind, ID: id, Want: want},
		Time:   s.clock().UTC().Round(0),
		Actor:  w.Actor,
		Reason: w.Reason,
	}
}
