package aims_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/memstore"
	"github.com/aimskit/aimskit/inventory"
)

var importer = store.Write{Actor: "release-bot", Reason: "seed from the governance folder"}

// seededStore returns a memory store holding the example folder.
func seededStore(t *testing.T) (*store.Store, *aims.Snapshot) {
	t.Helper()
	return seedDriver(t, memstore.NewDriver())
}

// seedDriver returns a store in front of d holding the example folder.
func seedDriver(t *testing.T, d store.Driver) (*store.Store, *aims.Snapshot) {
	t.Helper()
	src := loadExample(t)
	st := store.New(d, nil)
	t.Cleanup(func() { st.Close() })
	n, err := aims.Import(t.Context(), st, src, importer)
	if err != nil {
		t.Fatalf("Import() = %v", err)
	}
	if n != src.Len() {
		t.Fatalf("Import() wrote %d documents, want %d", n, src.Len())
	}
	return st, src
}

func newManager(t *testing.T, st *store.Store, opts *aims.ManagerOptions) *aims.Manager {
	t.Helper()
	m, err := aims.NewManager(t.Context(), st, opts)
	if err != nil {
		t.Fatalf("NewManager() = %v", err)
	}
	return m
}

func TestImportLoadStoreRoundTrip(t *testing.T) {
	st, src := seededStore(t)
	f, err := mustLoader(t).LoadStore(t.Context(), st)
	if err != nil {
		t.Fatalf("LoadStore() = %v", err)
	}
	if f.Len() != src.Len() || len(f.Systems) != len(src.Systems) || f.SoA == nil || len(f.RiskAssessments) != len(src.RiskAssessments) {
		t.Fatalf("LoadStore() has %d documents (%d systems), want %d (%d)", f.Len(), len(f.Systems), src.Len(), len(src.Systems))
	}
	for _, sys := range src.Systems {
		got := f.System(sys.ID)
		if diff := cmp.Diff(sys, got); diff != "" {
			t.Errorf("system %s after a round trip through the store (-want +got):\n%s", sys.Name, diff)
		}
		if want := "store:" + inventory.KindSystem + "/" + sys.ID.String(); f.File(got) != want {
			t.Errorf("File() = %q, want %q", f.File(got), want)
		}
	}
}

func TestLoadStoreReportsProblems(t *testing.T) {
	st, _ := seededStore(t)
	ctx := t.Context()
	bad := []byte(`{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","colour":"red"}`)
	if _, err := st.Put(ctx, &store.Document{Kind: inventory.KindSystem, ID: "broken", Data: bad}, importer); err != nil {
		t.Fatal(err)
	}
	other := []byte(`{"kind":"Unrelated","x":1}`)
	if _, err := st.Put(ctx, &store.Document{Kind: "Unrelated", ID: "x", Data: other}, importer); err != nil {
		t.Fatal(err)
	}
	f, err := mustLoader(t).LoadStore(ctx, st)
	var de interface{ Error() string }
	if err == nil || f == nil || !errors.As(err, &de) {
		t.Fatalf("LoadStore() = %v, %v; want the folder and its problems", f, err)
	}
	if got := err.Error(); !strings.Contains(got, "store:AISystem/broken") || strings.Contains(got, "Unrelated") {
		t.Errorf("LoadStore() error %q: want the broken document named, other kinds ignored", got)
	}
}

func mustLoader(t *testing.T) *aims.Loader {
	t.Helper()
	l, err := aims.NewLoader(nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestManagerSuspendResume(t *testing.T) {
	st, src := seededStore(t)
	var sink evidence.MemorySink
	m := newManager(t, st, &aims.ManagerOptions{Evidence: &sink, Clock: func() time.Time { return testNow }})
	ctx := t.Context()
	before := aims.NewGuard(src, nil).Allow(ctx, creditScoring)
	if got := m.Guard().Allow(ctx, creditScoring); got != before {
		t.Fatalf("Allow() = %v, want %v as from the folder", got, before)
	}
	halt := store.Write{Actor: "oncall@example.com", Reason: "INC-7: drift"}
	if err := m.Suspend(ctx, creditScoring, halt); err != nil {
		t.Fatalf("Suspend() = %v", err)
	}
	if err := m.Guard().Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Fatalf("Allow() after Suspend = %v, want ErrSuspended", err)
	}
	if err := m.Suspend(ctx, creditScoring, halt); err != nil {
		t.Fatalf("second Suspend() = %v, want nil", err)
	}
	hist, err := st.History(ctx, inventory.KindSystem, creditScoring.String())
	if err != nil {
		t.Fatal(err)
	}
	if last := hist[len(hist)-1]; len(hist) != 2 || last.Actor != halt.Actor || last.Reason != halt.Reason {
		t.Errorf("history = %d changes, last %+v; want the import and one suspension by %s", len(hist), last, halt.Actor)
	}
	if err := m.Resume(ctx, creditScoring, store.Write{Actor: "owner@example.com", Reason: "retrained"}); err != nil {
		t.Fatalf("Resume() = %v", err)
	}
	if got := m.Guard().Allow(ctx, creditScoring); got != before {
		t.Errorf("Allow() after Resume = %v, want %v", got, before)
	}
	if err := m.Resume(ctx, creditScoring, halt); !errors.Is(err, aims.ErrNotSuspended) {
		t.Errorf("Resume(active) = %v, want ErrNotSuspended", err)
	}
	var types []evidence.Type
	for _, r := range sink.Records() {
		types = append(types, r.Type)
		if err := r.Validate(); err != nil {
			t.Errorf("record %v", err)
		}
	}
	if diff := cmp.Diff([]evidence.Type{evidence.TypeSuspension, evidence.TypeResumption}, types); diff != "" {
		t.Errorf("evidence types (-want +got):\n%s", diff)
	}
	if err := m.Suspend(ctx, uuid.New(), halt); !errors.Is(err, aims.ErrUnknownSystem) {
		t.Errorf("Suspend(unknown) = %v, want ErrUnknownSystem", err)
	}
	if err := m.Suspend(ctx, creditScoring, store.Write{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Suspend(no actor) = %v, want store.ErrInvalid", err)
	}
}

// TestManagerResumeFailsClosed checks that a resumption whose evidence
// cannot be written does not happen.
func TestManagerResumeFailsClosed(t *testing.T) {
	st, _ := seededStore(t)
	fail := false
	var sink evidence.MemorySink
	m := newManager(t, st, &aims.ManagerOptions{Evidence: evidence.SinkFunc(func(ctx context.Context, r *evidence.Record) error {
		if fail {
			return errUnreachable
		}
		return sink.Write(ctx, r)
	})})
	ctx := t.Context()
	w := store.Write{Actor: "oncall@example.com"}
	if err := m.Suspend(ctx, creditScoring, w); err != nil {
		t.Fatal(err)
	}
	fail = true
	if err := m.Resume(ctx, creditScoring, w); !errors.Is(err, aims.ErrNotRecorded) {
		t.Fatalf("Resume() with failing evidence = %v, want ErrNotRecorded", err)
	}
	if err := m.Guard().Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("Allow() = %v, want ErrSuspended: a resumption without evidence must not happen", err)
	}
}

// flakyDriver fails List while down.
type flakyDriver struct {
	store.Driver
	mu   sync.Mutex
	down bool
}

func (s *flakyDriver) List(ctx context.Context, f store.Filter) ([]*store.Document, error) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		return nil, errUnreachable
	}
	return s.Driver.List(ctx, f)
}

func TestManagerKeepsViewWhileStoreDown(t *testing.T) {
	fs := &flakyDriver{Driver: memstore.NewDriver()}
	st, _ := seedDriver(t, fs)
	m := newManager(t, st, nil)
	ctx := t.Context()
	if err := m.Suspend(ctx, creditScoring, store.Write{Actor: "oncall"}); err != nil {
		t.Fatal(err)
	}
	fs.mu.Lock()
	fs.down = true
	fs.mu.Unlock()
	if err := m.Reload(ctx); !errors.Is(err, errUnreachable) {
		t.Fatalf("Reload() with the store down = %v, want its error", err)
	}
	if err := m.Guard().Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("Allow() = %v, want ErrSuspended from the last snapshot", err)
	}
	if _, err := aims.NewManager(ctx, st, nil); !errors.Is(err, errUnreachable) {
		t.Errorf("NewManager() with the store down = %v, want its error", err)
	}
	if err := m.Watch(ctx); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Watch() on a store without Watch = %v, want ErrUnsupported", err)
	}
}

// watchedDriver is a memory driver that reports its changes to one
// watcher, as a database that notifies would.
type watchedDriver struct {
	store.Driver
	ch chan store.Notification
}

func (s *watchedDriver) Put(ctx context.Context, d *store.Document, c store.Commit) (*store.Document, error) {
	got, err := s.Driver.Put(ctx, d, c)
	if err == nil && s.ch != nil {
		s.ch <- store.Notification{Kind: got.Kind, ID: got.ID, Revision: got.Revision, Op: store.OpPut}
	}
	return got, err
}

func (s *watchedDriver) Watch(ctx context.Context, fn func(store.Notification)) error {
	fn(store.Notification{}) // changes before the watch began may have been missed
	for {
		select {
		case n := <-s.ch:
			fn(n)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// TestManagerWatch shows two instances sharing one store: a suspension
// written by one reaches the other's guard through Watch.
func TestManagerWatch(t *testing.T) {
	wd := &watchedDriver{Driver: memstore.NewDriver()}
	ws, _ := seedDriver(t, wd)
	wd.ch = make(chan store.Notification, 16) // after seeding: the seed is read by NewManager
	reloads := make(chan *aims.Snapshot, 16)
	a := newManager(t, ws, nil)
	b := newManager(t, ws, &aims.ManagerOptions{OnReload: func(f *aims.Snapshot, err error) { reloads <- f }})
	<-reloads // NewManager's load
	ctx, cancel := context.WithCancel(t.Context())
	watchErr := make(chan error, 1)
	go func() { watchErr <- b.Watch(ctx) }()
	<-reloads // the reload for the watch's start
	if err := a.Suspend(ctx, creditScoring, store.Write{Actor: "oncall"}); err != nil {
		t.Fatal(err)
	}
	select {
	case f := <-reloads:
		if f == nil || f.System(creditScoring).Lifecycle.Status != inventory.StatusSuspended {
			t.Fatal("the reload after the change does not show the suspension")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second instance did not reload after the change")
	}
	if err := b.Guard().Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("second instance: Allow() = %v, want ErrSuspended", err)
	}
	cancel()
	if err := <-watchErr; !errors.Is(err, context.Canceled) {
		t.Errorf("Watch() = %v, want context.Canceled", err)
	}
}
