package dirstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aimskit/aimskit/aims/store"
)

// DefaultMaxDocumentSize is the default of [Options.MaxDocumentSize]:
// 1 MiB, the default limit of the aimskit folder loader.
const DefaultMaxDocumentSize = 1 << 20

// Options configures the store that [Open] returns and the driver that
// [OpenDriver] returns. A nil *Options is the same as the zero value,
// which gives the defaults.
type Options struct {
	// Clock returns the time recorded for each write. Nil means
	// [time.Now]. It must be safe for concurrent use. It is the
	// [store.Options.Clock] of the store that [Open] returns; [OpenDriver]
	// ignores it.
	Clock func() time.Time
	// MaxDocumentSize is the largest document accepted, in bytes; it
	// limits both the JSON given to [store.Store.Put] and the YAML file written.
	// Zero or less means [DefaultMaxDocumentSize]. A larger document is
	// refused with an error matching [store.ErrInvalid].
	MaxDocumentSize int
	// Logger receives diagnostics: repairs and corrupt files found by
	// [Open]. Nil means silent.
	Logger *slog.Logger
}

// OutsideActor is the actor of the revisions that [Open] records for
// changes made to the folder outside the store: a document file edited,
// added or removed by hand (for example in a pull request). Their reason
// says what was found, and their time is when Open found it.
const OutsideActor = "aimskit:outside-the-store"

// ErrLocked is matched by the error [Open] returns when another store
// has the folder open.
var ErrLocked = errors.New("dirstore: folder is locked by another writer")

// ErrCorrupt is matched by the errors for documents whose files cannot be
// read as the store wrote them.
var ErrCorrupt = errors.New("dirstore: corrupt file")

// LockedError is the error [Open] returns when another store, in this
// process or another, has the folder open. It matches [ErrLocked]. It is
// a plain value.
type LockedError struct {
	// Dir is the folder given to Open.
	Dir string
	// LockFile is the lock file that is held.
	LockFile string
}

// Error names the folder and the lock file.
func (e *LockedError) Error() string {
	return fmt.Sprintf("dirstore: open %s: folder is in use by another writer (lock %s held%s)", e.Dir, e.LockFile, lockHint)
}

// Unwrap returns [ErrLocked].
func (e *LockedError) Unwrap() error { return ErrLocked }

// CorruptError reports a file of the store that cannot be read as the
// store wrote it: it is not valid, or it was changed or removed outside
// the store. It matches [ErrCorrupt]. It is a plain value.
//
// Reading the document fails until the file is repaired. If [Open] found
// the problem, writing the document fails too, until the file is repaired
// and the folder opened again; otherwise a [store.Store.Put] with the current
// revision replaces the file, and the history records who did it.
type CorruptError struct {
	// Path is the file.
	Path string
	// Problem says what is wrong.
	Problem string
}

// Error returns the path and the problem.
func (e *CorruptError) Error() string { return e.Path + ": " + e.Problem }

// Unwrap returns [ErrCorrupt].
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// Driver is a [store.Driver] that keeps documents as YAML files in a
// folder; see the package documentation for the layout.
//
// The zero value is not usable: [OpenDriver] returns a Driver. A Driver is
// safe for concurrent use by multiple goroutines. Give it to [store.New],
// which calls its methods with valid arguments; the store's Close
// releases the folder.
type Driver struct {
	dir     string
	lock    string // the lock file
	maxSize int
	clock   func() time.Time // the time of changes found by Open
	log     *slog.Logger

	mu       sync.RWMutex
	closed   bool
	lockFile *os.File
	docs     map[string]*entry // by fileKey

	// testHookBeforeCommit, if set, is called just before a write takes
	// effect: before the temporary file at path is renamed (OpPut) or the
	// document file at path is removed (OpDelete). An error aborts the
	// write as a crash would.
	testHookBeforeCommit func(op store.Op, path string) error
}

var _ store.Driver = (*Driver)(nil)

// entry is what the store knows about one document file.
type entry struct {
	kind, id string
	// path is the document's file: where Open found it, or where the
	// store wrote it.
	path string
	// rev is the committed revision: the revision of the file if it
	// exists, otherwise that of the last delete.
	rev       int64
	exists    bool
	digest    string // of the committed data; "" if unknown
	updated   time.Time
	updatedBy string
	// err, if set, is a *CorruptError found by Open; it is returned for
	// every use of the document.
	err error
}

// Open opens the store in folder dir, creating the folder if needed, and
// locks it against other writers. If another store has the folder open it
// returns a [*LockedError]. opts may be nil. Close the store to release
// the lock.
//
// Open removes temporary files and incomplete history lines that a crash
// left behind. It reads the first line of every document file and every
// history file; a corrupt one does not stop Open, but using its document
// returns a [*CorruptError].
//
// Open is [OpenDriver] followed by [store.New]. To reach the driver's own
// methods, such as [Driver.Dir], call those two instead.
func Open(dir string, opts *Options) (*store.Store, error) {
	d, err := OpenDriver(dir, opts)
	if err != nil {
		return nil, err
	}
	var so store.Options
	if opts != nil {
		so.Clock = opts.Clock
	}
	return store.New(d, &so), nil
}

// OpenDriver opens the folder dir as [Open] does and returns its driver,
// for [store.New].
func OpenDriver(dir string, opts *Options) (*Driver, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.MaxDocumentSize <= 0 {
		o.MaxDocumentSize = DefaultMaxDocumentSize
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	dir = filepath.Clean(dir)
	s := &Driver{
		dir:     dir,
		lock:    filepath.Join(dir, metaDir, "lock"),
		maxSize: o.MaxDocumentSize,
		clock:   o.Clock,
		log:     o.Logger,
	}
	history := filepath.Join(dir, metaDir, historyDir)
	if err := os.MkdirAll(history, 0o755); err != nil {
		return nil, fmt.Errorf("dirstore: open %s: %w", dir, err)
	}
	if err := errors.Join(syncDir(dir), syncDir(filepath.Join(dir, metaDir))); err != nil {
		return nil, fmt.Errorf("dirstore: open %s: %w", dir, err)
	}
	f, err := lock(s.lock)
	if errors.Is(err, errLockHeld) {
		return nil, &LockedError{Dir: dir, LockFile: s.lock}
	}
	if err != nil {
		return nil, fmt.Errorf("dirstore: open %s: %w", dir, err)
	}
	s.lockFile = f
	if err := s.scan(); err != nil {
		return nil, errors.Join(fmt.Errorf("dirstore: open %s: %w", dir, err), unlock(f))
	}
	s.log.Debug("dirstore: opened", slog.String("dir", dir), slog.Int("documents", len(s.docs)))
	return s, nil
}

// Dir returns the folder of the driver, as given to [OpenDriver] but
// cleaned.
func (s *Driver) Dir() string { return s.dir }

// Close releases the folder's lock. Close may be called again and then
// returns nil.
func (s *Driver) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.docs = nil
	if err := unlock(s.lockFile); err != nil {
		return fmt.Errorf("dirstore: close %s: %w", s.dir, err)
	}
	return nil
}

// Get returns the current revision of a document, read from its file;
// see [store.Driver].
func (s *Driver) Get(ctx context.Context, kind, id string) (*store.Document, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, err := s.lookup(kind, id)
	if err != nil {
		return nil, fmt.Errorf("dirstore: get %s/%s: %w", kind, id, err)
	}
	if e == nil || !e.exists {
		return nil, fmt.Errorf("dirstore: get %s/%s: %w", kind, id, store.ErrNotFound)
	}
	doc, err := s.read(e)
	if err != nil {
		return nil, fmt.Errorf("dirstore: get %s/%s: %w", kind, id, err)
	}
	return doc, nil
}

// List returns the documents of f's kind and ids; see [store.Driver]. It
// fails if one of them is corrupt.
func (s *Driver) List(ctx context.Context, f store.Filter) ([]*store.Document, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var sel []*entry
	var corrupt []string
	for k, e := range s.docs {
		if e.err != nil {
			if (f.Kind == "" || strings.HasPrefix(k, strings.ToLower(f.Kind)+"/")) &&
				(len(f.IDs) == 0 || slices.Contains(f.IDs, e.id)) {
				corrupt = append(corrupt, k)
			}
			continue
		}
		if e.exists && (f.Kind == "" || e.kind == f.Kind) && (len(f.IDs) == 0 || slices.Contains(f.IDs, e.id)) {
			sel = append(sel, e)
		}
	}
	if len(corrupt) > 0 {
		slices.Sort(corrupt)
		errs := make([]error, len(corrupt))
		for i, k := range corrupt {
			errs[i] = s.docs[k].err
		}
		return nil, fmt.Errorf("dirstore: list: %w", errors.Join(errs...))
	}
	var docs []*store.Document
	for _, e := range sel {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("dirstore: list: %w", err)
		}
		doc, err := s.read(e)
		if err != nil {
			return nil, fmt.Errorf("dirstore: list: %w", err)
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// Put writes a document to its file and records the change in its
// history; see [store.Driver]. The data is stored as YAML; the returned
// document holds it as JSON read back from that YAML. A document larger
// than [Options.MaxDocumentSize], or whose data cannot be written as YAML,
// is refused with an error matching [store.ErrInvalid].
//
// If the document was written but the folder could not be synced, Put
// returns an error although the new revision is in place; a retry then
// gets a [*store.ConflictError].
func (s *Driver) Put(ctx context.Context, doc *store.Document, c store.Commit) (*store.Document, error) {
	kind, id := doc.Kind, doc.ID
	if len(doc.Data) > s.maxSize {
		return nil, invalidf("dirstore: put %s/%s: document is %d bytes, more than the limit of %d", kind, id, len(doc.Data), s.maxSize)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dirstore: put %s/%s: %w", kind, id, err)
	}
	e, err := s.lookupForWrite(kind, id)
	if err != nil {
		return nil, fmt.Errorf("dirstore: put %s/%s: %w", kind, id, err)
	}
	path := ""
	if e != nil {
		path = e.path
	}
	if path == "" {
		path = s.defaultPath(kind, id)
	}
	asJSON := isJSONFile(path)
	body, data, err := encode(doc.Data, asJSON)
	if err != nil {
		return nil, invalidf("dirstore: put %s/%s: %v", kind, id, err)
	}
	var have, last int64
	if e != nil {
		last = e.rev
		if e.exists {
			have = e.rev
		}
	}
	if err := c.Check.Check(have); err != nil {
		return nil, err
	}
	rev := last + 1
	file := body
	if !asJSON {
		file = append([]byte(formatHeader(rev, kind, id)), body...)
	}
	if len(file) > s.maxSize {
		return nil, invalidf("dirstore: put %s/%s: file is %d bytes, more than the limit of %d", kind, id, len(file), s.maxSize)
	}
	ch := store.Change{
		Kind: kind, ID: id, Revision: rev, Op: store.OpPut, Time: c.Time,
		Actor: c.Actor, Reason: c.Reason, Digest: store.Digest(data), Data: data,
	}
	if err := s.appendHistory(ch); err != nil {
		return nil, fmt.Errorf("dirstore: put %s/%s: %w", kind, id, err)
	}
	renamed, err := s.writeFile(path, file)
	if renamed {
		if e == nil {
			e = &entry{kind: kind, id: id}
			s.docs[fileKey(kind, id)] = e
		}
		e.path = path
		e.rev, e.exists, e.digest, e.updated, e.updatedBy = rev, true, ch.Digest, c.Time, c.Actor
	}
	if err != nil {
		return nil, fmt.Errorf("dirstore: put %s/%s: %w", kind, id, err)
	}
	return &store.Document{Kind: kind, ID: id, Revision: rev, Data: data, Updated: c.Time, UpdatedBy: c.Actor}, nil
}

// Delete removes a document's file and records the delete in its history;
// see [store.Driver]. Like [Driver.Put], it may return an error for a
// delete that took effect if the folder could not be synced.
func (s *Driver) Delete(ctx context.Context, kind, id string, c store.Commit) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("dirstore: delete %s/%s: %w", kind, id, err)
	}
	e, err := s.lookup(kind, id)
	if err != nil {
		return fmt.Errorf("dirstore: delete %s/%s: %w", kind, id, err)
	}
	if e == nil || !e.exists {
		return fmt.Errorf("dirstore: delete %s/%s: %w", kind, id, store.ErrNotFound)
	}
	if err := c.Check.Check(e.rev); err != nil {
		return err
	}
	ch := store.Change{Kind: kind, ID: id, Revision: e.rev + 1, Op: store.OpDelete, Time: c.Time, Actor: c.Actor, Reason: c.Reason}
	if err := s.appendHistory(ch); err != nil {
		return fmt.Errorf("dirstore: delete %s/%s: %w", kind, id, err)
	}
	removed, err := s.removeFile(e.path)
	if removed {
		e.rev, e.exists, e.digest, e.updated, e.updatedBy = ch.Revision, false, "", c.Time, c.Actor
	}
	if err != nil {
		return fmt.Errorf("dirstore: delete %s/%s: %w", kind, id, err)
	}
	return nil
}

// History returns the committed changes of a document, oldest first, read
// from its history file; see [store.Driver]. A document whose history file
// is missing (for example, because only the documents were copied) has an
// empty history.
func (s *Driver) History(ctx context.Context, kind, id string) ([]store.Change, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, err := s.lookup(kind, id)
	if err != nil {
		return nil, fmt.Errorf("dirstore: history %s/%s: %w", kind, id, err)
	}
	if e == nil {
		return nil, fmt.Errorf("dirstore: history %s/%s: %w", kind, id, store.ErrNotFound)
	}
	path := s.historyPath(kind, id)
	h, err := readHistory(path, strings.ToLower(kind), id)
	if err != nil {
		return nil, fmt.Errorf("dirstore: history %s/%s: %w", kind, id, err)
	}
	if len(h.changes) > 0 && h.kind != kind {
		return nil, fmt.Errorf("dirstore: history %s/%s: %w", kind, id,
			&CorruptError{Path: path, Problem: fmt.Sprintf("kind is %q, not %q", h.kind, kind)})
	}
	return committed(h.changes, e.rev), nil
}

// lookup returns the entry of an existing or deleted document, nil if
// there is none, or the error of a corrupt one.
func (s *Driver) lookup(kind, id string) (*entry, error) {
	e := s.docs[fileKey(kind, id)]
	switch {
	case e == nil:
		return nil, nil
	case e.err != nil:
		return nil, e.err
	case e.kind != kind || e.id != id:
		return nil, nil
	}
	return e, nil
}

// lookupForWrite is lookup for a write: it refuses a kind and id whose
// files would clash with those of another document on a file system that
// ignores case.
func (s *Driver) lookupForWrite(kind, id string) (*entry, error) {
	e, err := s.lookup(kind, id)
	if err != nil || e != nil {
		return e, err
	}
	if other := s.docs[fileKey(kind, id)]; other != nil {
		return nil, invalidf("its file name would differ only in case from that of %s/%s", other.kind, other.id)
	}
	return nil, nil
}

// fileKey returns the key of the files of a document: documents whose
// kind and id differ only in case have the same key.
func fileKey(kind, id string) string {
	return strings.ToLower(kind) + "/" + strings.ToLower(id)
}

// isKind reports whether kind, read from the folder, is one a
// [store.Store] could have written.
func isKind(kind string) bool {
	return kind != "" && store.Filter{Kind: kind}.Validate() == nil
}

// isID reports whether id, read from the folder, is one a [store.Store]
// could have written.
func isID(id string) bool {
	return store.Filter{IDs: []string{id}}.Validate() == nil
}

// invalidError is an error that matches [store.ErrInvalid] and has its
// own message.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }
func (e *invalidError) Unwrap() error { return store.ErrInvalid }

func invalidf(format string, args ...any) error {
	return &invalidError{msg: fmt.Sprintf(format, args...)}
}

// isNotExist reports whether err says that a file does not exist.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
