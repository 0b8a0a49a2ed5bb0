package aims

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

// storeFile returns the name that problems give to the document kind/id
// read from a store: "store:" followed by kind and id, such as
// "store:AISystem/0190a5f1-…".
func storeFile(kind, id string) string { return "store:" + kind + "/" + id }

// LoadStore reads every document in st whose kind aimskit defines (see
// [DocumentTypes]; other kinds are left alone) and checks them as
// [Loader.Load] checks a folder. Problems name the document with
// "store:" followed by kind and id, such as "store:AISystem/0190a5f1-…".
// Like Load, it returns the snapshot even when it also returns
// a [*document.Error]; an error of the store itself is returned wrapped,
// with a nil snapshot. Documents are in kind and id order.
func (l *Loader) LoadStore(ctx context.Context, st *store.Store) (*Snapshot, error) {
	docs, err := st.List(ctx, store.Filter{})
	if err != nil {
		return nil, fmt.Errorf("aims: load store: %w", err)
	}
	known := l.dec.Kinds()
	f := newSnapshot()
	var problems document.Error
	for _, d := range docs {
		if _, ok := slices.BinarySearch(known, d.Kind); !ok {
			continue
		}
		name := storeFile(d.Kind, d.ID)
		v, err := l.dec.Decode(name, d.Data) // refuses data over the size limit too
		var de *document.Error
		switch {
		case err == nil:
			f.add(name, contentDigest(d.Data), v)
		case errors.As(err, &de):
			problems.Problems = append(problems.Problems, de.Problems...)
		default:
			return nil, fmt.Errorf("aims: load %s: %w", name, err)
		}
	}
	f.check(&problems)
	return f, problems.Err()
}

// Import writes every document of f into st, as JSON, under its kind and
// id (the document's "id", or its "name" for kinds without one), with
// [store.AnyRevision]: a document already stored is replaced, and the
// store records the change with w. It returns the number of documents
// written. Use it to seed a shared store, such as PostgreSQL, from a
// governance folder kept in a repository.
func Import(ctx context.Context, st *store.Store, f *Snapshot, w store.Write) (int, error) {
	n := 0
	for _, v := range f.documents() {
		data, err := json.Marshal(v)
		if err != nil {
			return n, fmt.Errorf("aims: import %s: %w", f.File(v), err)
		}
		h, err := document.KindOf(data)
		if err != nil || h.Kind == "" {
			return n, fmt.Errorf("aims: import %s: the document has no kind", f.File(v))
		}
		id := documentID(v) // Put refuses an id that is not valid
		if _, err := st.Put(ctx, &store.Document{Kind: h.Kind, ID: id, Revision: store.AnyRevision, Data: data}, w); err != nil {
			return n, fmt.Errorf("aims: import %s: %w", f.File(v), err)
		}
		n++
	}
	return n, nil
}

// documents returns every document of f.
func (f *Snapshot) documents() []document.Validator {
	out := make([]document.Validator, 0, len(f.sources))
	for v := range f.sources {
		out = append(out, v.(document.Validator))
	}
	slices.SortFunc(out, func(a, b document.Validator) int { return strings.Compare(f.File(a), f.File(b)) })
	return out
}

// documentID returns the "id" of a document, or its "name" for a kind
// without an id (risk criteria).
func documentID(v document.Validator) string {
	rv := reflect.Indirect(reflect.ValueOf(v))
	for _, name := range []string{"ID", "Name"} {
		if fv := rv.FieldByName(name); fv.IsValid() {
			return fmt.Sprint(fv.Interface())
		}
	}
	return ""
}

// ManagerOptions configures a [Manager]. The zero value gives the
// defaults; a nil *ManagerOptions is the same as the zero value.
type ManagerOptions struct {
	// Loader decodes and checks the documents. Nil means a loader with
	// default options.
	Loader *Loader
	// Evidence receives a suspension record for every [Manager.Suspend]
	// and a resumption record for every [Manager.Resume]. Nil means no
	// evidence is recorded. A panic in the sink is recovered and counts as
	// a failed write.
	Evidence evidence.Sink
	// Clock returns the time of records. Nil means time.Now.
	Clock func() time.Time
	// NewID returns evidence record ids. Nil means uuid.NewV7.
	NewID func() (uuid.UUID, error)
	// Logger receives diagnostics, such as a reload that failed while
	// watching. Nil means silent.
	Logger *slog.Logger
	// OnReload, if set, is called after every reload with the snapshot the
	// guard now answers from, or with nil and the error if the store
	// could not be read; err is a [*document.Error] when documents have
	// problems. It runs on the goroutine that reloaded, after the guard
	// was updated, and must not call Reload.
	OnReload func(f *Snapshot, err error)
}

// Manager keeps an application instance's view of the AI management
// system in step with a shared [store.Store], such as a PostgreSQL store
// used by every replica of a service. It loads the governance documents
// from the store into a [Snapshot], keeps a [Guard] built from them, and
// suspends and resumes AI systems by writing their operational status to
// the store (ISO/IEC 42001 A.6.2.6; EU AI Act Art. 14(4)(e), 26(5)), so
// that every instance refuses a suspended system.
//
// With a store whose driver reports changes (a [store.Watcher]),
// [Manager.Watch] reloads on every change any instance writes; PostgreSQL
// delivers the change within milliseconds. Without one, call
// [Manager.Reload] on a timer.
//
// When the store cannot be read, the Manager keeps its last view: the
// guard goes on answering from the last snapshot, so a suspension already
// seen stays in force. When documents in the store have problems, the
// view holds the documents that decoded; a system whose document does not
// decode is unknown to the guard and refused.
//
// A Manager is safe for concurrent use. The zero value is not usable; use
// [NewManager].
type Manager struct {
	st       *store.Store
	loader   *Loader
	guard    *Guard
	evidence evidence.Sink
	clock    func() time.Time
	newID    func() (uuid.UUID, error)
	logger   *slog.Logger
	onReload func(*Snapshot, error)

	reloadMu sync.Mutex // orders reloads, so that the newest read is the last swapped in
	folder   atomic.Pointer[Snapshot]
}

// NewManager returns a manager for the documents in st, loaded once. It
// returns an error if st cannot be read; if the documents have problems it
// returns the manager, with the documents that decoded, and a
// [*document.Error]. The caller keeps ownership of st and closes it after
// the manager is no longer used.
func NewManager(ctx context.Context, st *store.Store, opts *ManagerOptions) (*Manager, error) {
	if st == nil {
		return nil, errors.New("aims: new manager: nil store")
	}
	var o ManagerOptions
	if opts != nil {
		o = *opts
	}
	if o.Loader == nil {
		l, err := NewLoader(nil)
		if err != nil {
			return nil, err
		}
		o.Loader = l
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.NewID == nil {
		o.NewID = uuid.NewV7
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	m := &Manager{st: st, loader: o.Loader, guard: &Guard{}, evidence: o.Evidence,
		clock: o.Clock, newID: o.NewID, logger: o.Logger, onReload: o.OnReload}
	if err := m.Reload(ctx); err != nil {
		if m.folder.Load() == nil {
			return nil, err
		}
		return m, err
	}
	return m, nil
}

// Guard returns the manager's guard, which every reload updates.
func (m *Manager) Guard() *Guard { return m.guard }

// Snapshot returns the documents as last loaded. The snapshot is shared: the
// caller must not modify it.
func (m *Manager) Snapshot() *Snapshot { return m.folder.Load() }

// Reload reads the documents from the store again and updates the guard.
// If the store cannot be read, it returns the error and keeps the last
// view; if documents have problems, it uses those that decoded and returns
// a [*document.Error].
func (m *Manager) Reload(ctx context.Context) error {
	m.reloadMu.Lock()
	defer m.reloadMu.Unlock()
	f, err := m.loader.LoadStore(ctx, m.st)
	if f == nil {
		err = fmt.Errorf("aims: manager: reload: %w", err)
	} else {
		m.folder.Store(f)
		m.guard.Update(f)
	}
	if m.onReload != nil {
		m.onReload(f, err)
	}
	return err
}

// Watch reloads the documents whenever the store reports a change to a
// kind aimskit defines, or that changes may have been missed, until ctx is
// done or the store stops reporting. Changes that arrive while a reload
// runs are folded into one more reload. It returns an error matching
// [errors.ErrUnsupported] if the store's driver does not report changes
// (see [store.Store.Watch]), and otherwise the error that
// ended the store's Watch, such as ctx's error. A reload that fails is
// logged and the last view kept; the next change tries again.
func (m *Manager) Watch(ctx context.Context) error {
	known := m.loader.dec.Kinds()
	kick := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range kick {
			if err := m.Reload(ctx); err != nil && ctx.Err() == nil {
				m.logger.LogAttrs(ctx, slog.LevelError, "aims: manager: reload failed; keeping the last view", slog.Any("error", err))
			}
		}
	}()
	err := m.st.Watch(ctx, func(n store.Notification) {
		if n.Kind != "" {
			if _, ok := slices.BinarySearch(known, n.Kind); !ok {
				return
			}
		}
		select {
		case kick <- struct{}{}:
		default: // a reload is already due
		}
	})
	close(kick)
	<-done
	if errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("aims: the store does not report changes: %w", err)
	}
	return err
}

// Suspend sets the operational status of an AI system to suspended in the
// store, records w's actor and reason in the store's history, and reloads,
// so that this instance's guard refuses the system when Suspend returns
// and other instances' once they see the change. The suspension is then
// recorded as evidence (a suspension record); if that fails Suspend
// returns an error matching [ErrNotRecorded], and the system stays
// suspended. Suspending a suspended system changes nothing and records
// nothing. It returns an error matching [ErrUnknownSystem] if the store
// has no such system, and [store.ErrConflict] if another writer changed
// the system's document at the same moment (try again).
func (m *Manager) Suspend(ctx context.Context, system uuid.UUID, w store.Write) error {
	changed, err := m.setStatus(ctx, system, inventory.StatusSuspended, w)
	if err != nil || !changed {
		return err
	}
	return m.record(ctx, evidence.TypeSuspension, system, w)
}

// Resume lifts a suspension: it records a resumption as evidence and then
// sets the system's status to active in the store and reloads. If the
// evidence cannot be recorded, Resume returns an error matching
// [ErrNotRecorded] and the system stays suspended: a resumption without
// its record does not happen. It returns [ErrNotSuspended] for a system
// that is not suspended, and otherwise errors as [Manager.Suspend] does.
func (m *Manager) Resume(ctx context.Context, system uuid.UUID, w store.Write) error {
	if err := w.Validate(); err != nil {
		return fmt.Errorf("aims: resume: %w", err)
	}
	_, sys, err := m.readSystem(ctx, system)
	if err != nil {
		return err
	}
	if sys.Lifecycle.Status != inventory.StatusSuspended {
		return fmt.Errorf("aims: resume %s: %w", system, ErrNotSuspended)
	}
	if err := m.record(ctx, evidence.TypeResumption, system, w); err != nil {
		return err
	}
	_, err = m.setStatus(ctx, system, inventory.StatusActive, w)
	return err
}

// readSystem reads and decodes an AI system document from the store.
func (m *Manager) readSystem(ctx context.Context, system uuid.UUID) (*store.Document, *inventory.System, error) {
	doc, err := m.st.Get(ctx, inventory.KindSystem, system.String())
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("aims: %s: %w", system, ErrUnknownSystem)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("aims: read %s: %w", system, err)
	}
	v, err := m.loader.Decode(storeFile(doc.Kind, doc.ID), doc.Data)
	if err != nil {
		return nil, nil, fmt.Errorf("aims: read %s: %w", system, err)
	}
	sys, ok := v.(*inventory.System)
	if !ok {
		return nil, nil, fmt.Errorf("aims: read %s: the stored document is a %T, not an AI system", system, v)
	}
	return doc, sys, nil
}

// setStatus writes the operational status of a system and reloads. It
// reports whether the stored document changed.
func (m *Manager) setStatus(ctx context.Context, system uuid.UUID, status inventory.Status, w store.Write) (bool, error) {
	if err := w.Validate(); err != nil {
		return false, fmt.Errorf("aims: set status: %w", err)
	}
	doc, sys, err := m.readSystem(ctx, system)
	if err != nil {
		return false, err
	}
	if sys.Lifecycle.EffectiveStatus() == status {
		return false, nil
	}
	if sys.Lifecycle.EffectiveStatus() == inventory.StatusRetired {
		return false, fmt.Errorf("aims: set status of %s to %s: %w", system, status, ErrRetired)
	}
	sys.Lifecycle.Status = status
	if err := sys.Validate(); err != nil {
		return false, fmt.Errorf("aims: set status of %s: %w", system, err)
	}
	data, err := json.Marshal(&sys)
	if err != nil {
		return false, fmt.Errorf("aims: set status of %s: %w", system, err)
	}
	if _, err := m.st.Put(ctx, &store.Document{Kind: inventory.KindSystem, ID: doc.ID, Revision: doc.Revision, Data: data}, w); err != nil {
		return false, fmt.Errorf("aims: set status of %s: %w", system, err)
	}
	// The change is made: this instance's guard must see it even if ctx
	// ends now.
	if err := m.Reload(context.WithoutCancel(ctx)); err != nil {
		var de *document.Error
		if !errors.As(err, &de) {
			return true, err
		}
	}
	return true, nil
}

// record writes a suspension or resumption record.
func (m *Manager) record(ctx context.Context, typ evidence.Type, system uuid.UUID, w store.Write) error {
	if m.evidence == nil {
		return nil
	}
	outcome := "suspended"
	if typ == evidence.TypeResumption {
		outcome = "resumed"
	}
	r := &evidence.Record{
		Type:     typ,
		System:   system,
		Controls: slices.Clone(idsMonitor),
		Outcome:  outcome,
		Actor:    w.Actor,
	}
	if strings.TrimSpace(w.Reason) != "" {
		r.Reasons = []string{w.Reason} // as Monitor records its own suspensions and resumptions
	}
	em := emitter{sink: m.evidence, clock: m.clock, newID: m.newID}
	return em.emit(ctx, emission{
		record: func() (*evidence.Record, error) { return r, nil },
		what:   fmt.Sprintf("%s of %s", typ, system),
	})
}
