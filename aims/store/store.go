package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Errors returned by a [Store] match one of them with
// [errors.Is]; see the package documentation.
var (
	// ErrNotFound means that the document does not exist.
	ErrNotFound = errors.New("store: document not found")
	// ErrConflict means that the revision given to a write does not match
	// the stored one. Errors that match it are [*ConflictError].
	ErrConflict = errors.New("store: revision conflict")
	// ErrInvalid means that a kind, id, document, write or filter is not
	// valid.
	ErrInvalid = errors.New("store: invalid input")
	// ErrClosed means that the store has been closed.
	ErrClosed = errors.New("store: closed")
)

// AnyRevision, as [Document.Revision] given to [Store.Put] or as the
// revision given to [Store.Delete], makes the write unconditional: it
// succeeds whatever the stored revision is.
const AnyRevision int64 = -1

// Document is one stored governance document.
//
// The zero value is an empty document that [Document.Validate] rejects. A
// Document is a plain value: it is not safe for concurrent mutation, and
// [Document.Clone] gives an independent copy.
type Document struct {
	// Kind is the document kind, such as "AISystem": 1 to [MaxKindLen]
	// ASCII letters and digits, starting with a letter.
	Kind string
	// ID identifies the document among the documents of its kind: 1 to
	// [MaxIDLen] ASCII letters, digits, '.', '_' and '-', starting with a
	// letter or a digit. Such an id is never "." or "..", never contains a
	// path separator and never names a hidden file.
	ID string
	// Revision is the revision the document has in the store: 1 after the
	// first write, one more after each later write. Given to [Store.Put],
	// it is the revision the caller last read: 0 to create a document that
	// must not exist yet, or [AnyRevision] to write whatever is stored.
	Revision int64
	// Data is the document itself, a JSON object that usually includes
	// the "apiVersion" and "kind" members. If it has a "kind" member, that
	// member must equal Kind.
	Data []byte
	// Updated is the time of the last write, set by the store.
	Updated time.Time
	// UpdatedBy is the actor of the last write ([Write.Actor]), set by
	// the store.
	UpdatedBy string
}

// Clone returns a deep copy of d. Clone of nil is nil.
func (d *Document) Clone() *Document {
	if d == nil {
		return nil
	}
	c := *d
	c.Data = bytes.Clone(d.Data)
	return &c
}

// Validate reports whether d can be given to [Store.Put]: its kind and id
// are valid, its revision is 0 or more or [AnyRevision], and its data is a
// JSON object whose "kind" member, if any, equals d.Kind. Updated and
// UpdatedBy are ignored. The error matches [ErrInvalid].
func (d *Document) Validate() error {
	if d == nil {
		return invalidf("store: invalid document: nil")
	}
	if err := validKey(d.Kind, d.ID); err != nil {
		return err
	}
	if d.Revision < AnyRevision {
		return invalidf("store: invalid document %s/%s: revision %d is negative (use 0 to create or AnyRevision)", d.Kind, d.ID, d.Revision)
	}
	if msg := checkData(d.Kind, d.Data); msg != "" {
		return invalidf("store: invalid document %s/%s: %s", d.Kind, d.ID, msg)
	}
	return nil
}

// Write says who makes a change and why; [Store.Put] and [Store.Delete]
// record it in the [Change] history. The zero value is not valid: Actor
// is required.
type Write struct {
	// Actor identifies who makes the change: a person, a service account
	// or a pipeline. It is required.
	Actor string
	// Reason says why, for example a ticket or review reference. It is
	// optional.
	Reason string
}

// Validate reports whether w names an actor. The error matches
// [ErrInvalid].
func (w Write) Validate() error {
	if isBlank(w.Actor) {
		return invalidf("store: invalid write: actor is required")
	}
	return nil
}

// Op is the operation a [Change] records: [OpPut] or [OpDelete]. The
// zero value "" is no operation; a store never records it.
type Op string

// The operations of a [Change].
const (
	// OpPut records a document written by [Store.Put].
	OpPut Op = "put"
	// OpDelete records a document removed by [Store.Delete].
	OpDelete Op = "delete"
)

// Change is one entry of a document's history: one revision, the
// operation that made it, who made it, when and why, and the document as
// it was at that revision.
//
// The zero value is an empty entry. A Change is a plain value; the
// changes a store returns are copies the caller owns.
type Change struct {
	// Kind and ID identify the document.
	Kind, ID string
	// Revision is the revision the change made.
	Revision int64
	// Op is the operation.
	Op Op
	// Time is when the store made the change.
	Time time.Time
	// Actor and Reason are those of the [Write].
	Actor, Reason string
	// Digest is "sha256:" followed by the lower-case hex SHA-256 of Data
	// (see [Digest]); empty for a delete.
	Digest string
	// Data is the document at this revision; nil for a delete.
	Data []byte
}

// Digest returns "sha256:" followed by the lower-case hex SHA-256 of
// data, the form of [Change.Digest].
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ConflictError reports a write whose revision does not match the stored
// one. It matches [ErrConflict] with [errors.Is]. It is a plain value;
// [RevisionCheck.Check] makes one.
type ConflictError struct {
	// Op is the operation that was refused.
	Op Op
	// Kind and ID identify the document.
	Kind, ID string
	// Want is the revision the caller gave: the one it last read, or 0
	// to create the document.
	Want int64
	// Have is the stored revision, or 0 if the document does not exist.
	Have int64
}

// Error describes the conflict.
func (e *ConflictError) Error() string {
	var what string
	switch {
	case e.Have == 0:
		what = fmt.Sprintf("document does not exist, the caller read revision %d", e.Want)
	case e.Want == 0:
		what = fmt.Sprintf("document already exists at revision %d", e.Have)
	default:
		what = fmt.Sprintf("the caller read revision %d, the store has revision %d", e.Want, e.Have)
	}
	op := string(e.Op)
	if op != "" {
		op += " "
	}
	return fmt.Sprintf("store: %s%s/%s: revision conflict: %s", op, e.Kind, e.ID, what)
}

// Unwrap returns [ErrConflict].
func (e *ConflictError) Unwrap() error { return ErrConflict }

// checkRevision reports whether a write that gives revision want may
// replace a document whose stored revision is have (0 if it does not
// exist): want is have, or want is [AnyRevision]. Otherwise it returns a
// [*ConflictError] for op. It does not check that want is otherwise valid.
func checkRevision(op Op, kind, id string, want, have int64) error {
	if want == AnyRevision || want == have {
		return nil
	}
	return &ConflictError{Op: op, Kind: kind, ID: id, Want: want, Have: have}
}

// invalidError is an error that matches [ErrInvalid] and has its own
// message.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }
func (e *invalidError) Unwrap() error { return ErrInvalid }

func invalidf(format string, args ...any) error {
	return &invalidError{msg: fmt.Sprintf(format, args...)}
}

func isBlank(s string) bool {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\v', '\f':
		default:
			return false
		}
	}
	return true
}
