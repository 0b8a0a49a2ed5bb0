package store

import (
	"context"
	"time"
)

// Driver is the I/O a [Store] stands in front of: it reads and writes
// documents and their history in one kind of storage. Package memstore,
// package dirstore and package pgstore hold the drivers that ship with
// aimskit; package storetest checks a driver.
//
// A Driver does no checks of its own beyond those of its storage: the
// [Store] calls it only with a valid kind, id, document and filter, only
// while it is open, and copies every document and change on the way in
// and out, so a driver may keep the values it is given and return values
// it keeps. Errors a driver returns reach the caller of the Store as they
// are; a driver returns errors that match the sentinels of this package
// ([ErrNotFound], [ErrConflict] through [RevisionCheck.Check], and
// [ErrInvalid] for what its storage cannot hold), and the context's error
// when the context is done.
//
// A Driver must be safe for concurrent use by multiple goroutines.
type Driver interface {
	// Get returns the current revision of a document, or an error
	// matching [ErrNotFound] if it does not exist.
	Get(ctx context.Context, kind, id string) (*Document, error)
	// List returns at least the documents of f.Kind (all kinds if it is
	// "") whose id is one of f.IDs (all ids if there are none), in any
	// order. It may ignore f.Labels and may return more documents: the
	// Store matches f and sorts.
	List(ctx context.Context, f Filter) ([]*Document, error)
	// Put writes doc as a new revision: one more than the last revision
	// of the document, including a delete, or 1 for a document never
	// written. In the same atomic step it calls c.Check with the stored
	// revision (0 if the document does not exist) and, if that returns an
	// error, returns the error and writes nothing. It records the change
	// in the document's history with c's time, actor and reason, and
	// returns the document as stored, with Updated and UpdatedBy set from
	// c. doc.Revision is the revision the caller read, also in c.Check.
	Put(ctx context.Context, doc *Document, c Commit) (*Document, error)
	// Delete removes a document, applying c.Check like Put, and records
	// the delete in its history as one more revision. It returns an error
	// matching [ErrNotFound] if the document does not exist.
	Delete(ctx context.Context, kind, id string, c Commit) error
	// History returns the changes of a document, oldest first, or an
	// error matching [ErrNotFound] if the document was never written.
	History(ctx context.Context, kind, id string) ([]Change, error)
	// Close releases the driver's resources. The Store calls it once, after
	// the calls in progress have returned.
	Close() error
}

// Commit is a write as a [Store] hands it to a [Driver]: checked and
// stamped with its time and actor. It is a plain value.
type Commit struct {
	// Check is the revision the document must have; the driver applies
	// it atomically with the write.
	Check RevisionCheck
	// Time is the time of the write, in UTC, from [Options.Clock].
	Time time.Time
	// Actor and Reason are those of the [Write]; Actor is not blank.
	Actor, Reason string
}

// RevisionCheck is the revision a write expects a document to have: the
// revision the caller last read, 0 for a document that must not exist
// yet, or [AnyRevision]. It is a plain value.
type RevisionCheck struct {
	// Op is the operation of the write.
	Op Op
	// Kind and ID identify the document.
	Kind, ID string
	// Want is the revision expected.
	Want int64
}

// Check reports whether the write may replace a document whose stored
// revision is have (0 if the document does not exist): Want is have, or
// Want is [AnyRevision]. Otherwise it returns a [*ConflictError].
func (c RevisionCheck) Check(have int64) error {
	return checkRevision(c.Op, c.Kind, c.ID, c.Want, have)
}

// Watcher is a [Driver] that reports changes as they are made, including
// those made through other handles on the same storage, such as other
// processes sharing one database. [Store.Watch] uses it; it lets every
// instance of an application see a suspension within moments of its being
// written.
type Watcher interface {
	// Watch calls fn once for each change written after Watch started,
	// as [Store.Watch] describes, until ctx is done or it can no longer
	// watch. Once the driver is closed, it returns an error matching
	// [ErrClosed]; Close makes a running Watch return.
	Watch(ctx context.Context, fn func(Notification)) error
}
