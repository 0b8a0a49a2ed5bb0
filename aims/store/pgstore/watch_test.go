package pgstore_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/pgstore"
	"github.com/aimskit/aimskit/aims/store/pgstore/pgtest"
)

// patience is how long a test waits for something that should happen
// within moments.
const patience = 10 * time.Second

// watching is a Watch call running on its own goroutine.
type watching struct {
	notes  chan store.Notification // what fn received
	listen chan uint32             // the backend pid, each time Watch listens
	done   chan error              // what Watch returned
	pid    uint32                  // the backend pid of the last listen
}

// startWatch runs s.Watch(ctx) and waits until it listens and reports
// that changes may have been missed before.
func startWatch(t *testing.T, ctx context.Context, s *store.Store, d *pgstore.Driver) *watching {
	t.Helper()
	w := &watching{
		notes:  make(chan store.Notification, 64),
		listen: make(chan uint32, 8),
		done:   make(chan error, 1),
	}
	pgstore.SetListenHook(d, func(pid uint32) { w.listen <- pid })
	go func() {
		w.done <- s.Watch(ctx, func(n store.Notification) { w.notes <- n })
	}()
	w.listening(t)
	w.next(t, store.Notification{})
	return w
}

// listening waits until Watch listens and returns the pid of its backend.
func (w *watching) listening(t *testing.T) uint32 {
	t.Helper()
	select {
	case w.pid = <-w.listen:
		return w.pid
	case err := <-w.done:
		t.Fatalf("Watch() = %v before listening", err)
	case <-time.After(patience):
		t.Fatalf("Watch() is not listening after %v", patience)
	}
	return 0
}

// next waits for the next notification and checks it.
func (w *watching) next(t *testing.T, want store.Notification) {
	t.Helper()
	select {
	case got := <-w.notes:
		if got != want {
			t.Fatalf("Watch() notification = %+v, want %+v", got, want)
		}
	case err := <-w.done:
		t.Fatalf("Watch() = %v while waiting for %+v", err, want)
	case <-time.After(patience):
		t.Fatalf("Watch() gave no notification within %v, want %+v", patience, want)
	}
}

// end waits for Watch to return and returns its error.
func (w *watching) end(t *testing.T) error {
	t.Helper()
	select {
	case err := <-w.done:
		return err
	case <-time.After(patience):
		t.Fatalf("Watch() has not returned after %v", patience)
	}
	return nil
}

// syncBuffer is a bytes.Buffer safe for concurrent use, for a log.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestWatch(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	writer := mustOpen(t, dsn, &pgstore.Options{Schema: schema})
	var log syncBuffer
	watcher, wd := mustOpenDriver(t, dsn, &pgstore.Options{Schema: schema, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	other := mustOpen(t, dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn)})
	ctx := t.Context()
	w := startWatch(t, ctx, watcher, wd)
	alice := store.Write{Actor: "alice"}

	// A write in another schema is not seen.
	if _, err := other.Put(ctx, &store.Document{Kind: "AISystem", ID: "elsewhere", Data: []byte(`{}`)}, alice); err != nil {
		t.Fatalf("Put() in another schema = %v", err)
	}
	// Notifications that are not changes are skipped.
	for _, payload := range []string{"not json", `{"kind":"AISystem","id":"../x","revision":1,"op":"put"}`, `{"kind":"AISystem","id":"x","revision":0,"op":"put"}`} {
		pgtest.Exec(t, dsn, "SELECT pg_notify($1, $2)", pgstore.ChannelName(schema), payload)
	}
	doc, err := writer.Put(ctx, &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{}`)}, alice)
	if err != nil {
		t.Fatalf("Put() = %v", err)
	}
	w.next(t, store.Notification{Kind: "AISystem", ID: "chatbot", Revision: 1, Op: store.OpPut})
	if _, err := writer.Put(ctx, doc, alice); err != nil {
		t.Fatalf("Put() = %v", err)
	}
	w.next(t, store.Notification{Kind: "AISystem", ID: "chatbot", Revision: 2, Op: store.OpPut})
	if err := writer.Delete(ctx, "AISystem", "chatbot", 2, alice); err != nil {
		t.Fatalf("Delete() = %v", err)
	}
	w.next(t, store.Notification{Kind: "AISystem", ID: "chatbot", Revision: 3, Op: store.OpDelete})
	// A refused write sends nothing: the next notification is the
	// write after it.
	if _, err := writer.Put(ctx, &store.Document{Kind: "AISystem", ID: "chatbot", Revision: 7, Data: []byte(`{}`)}, alice); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Put(revision 7) = %v, want a conflict", err)
	}
	if _, err := watcher.Put(ctx, &store.Document{Kind: "RiskAssessment", ID: "chatbot", Data: []byte(`{}`)}, alice); err != nil {
		t.Fatalf("Put() = %v", err)
	}
	w.next(t, store.Notification{Kind: "RiskAssessment", ID: "chatbot", Revision: 1, Op: store.OpPut})

	if err := watcher.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if err := w.end(t); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Watch() after Close = %v, want an error matching store.ErrClosed", err)
	}
	if n := len(w.notes); n != 0 {
		t.Errorf("Watch() gave %d more notifications, want none", n)
	}
	if got := strings.Count(log.String(), "not a change"); got != 3 {
		t.Errorf("log has %d warnings about notifications that are not changes, want 3:\n%s", got, log.String())
	}
	if err := watcher.Watch(ctx, func(store.Notification) {}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Watch() on a closed Store = %v, want an error matching store.ErrClosed", err)
	}
}

func TestWatchCancel(t *testing.T) {
	dsn := pgtest.DSN(t)
	s, d := mustOpenDriver(t, dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn)})
	ctx, cancel := context.WithCancel(t.Context())
	w := startWatch(t, ctx, s, d)
	cancel()
	if err := w.end(t); !errors.Is(err, context.Canceled) {
		t.Errorf("Watch() after cancel = %v, want an error matching context.Canceled", err)
	}
	if err := s.Watch(ctx, func(store.Notification) {}); !errors.Is(err, context.Canceled) {
		t.Errorf("Watch() with a cancelled context = %v, want an error matching context.Canceled", err)
	}
	// The Store is still usable.
	if _, err := s.List(t.Context(), store.Filter{}); err != nil {
		t.Errorf("List() after Watch ended = %v, want nil", err)
	}
}

func TestWatchNilFunction(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := mustOpen(t, dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn)})
	if err := s.Watch(t.Context(), nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Watch(nil) = %v, want an error matching store.ErrInvalid", err)
	}
}

// TestWatchReconnect kills Watch's connection on the server: Watch
// connects again, reports that it may have missed changes and goes on.
func TestWatchReconnect(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	writer := mustOpen(t, dsn, &pgstore.Options{Schema: schema})
	watcher, wd := mustOpenDriver(t, dsn, &pgstore.Options{Schema: schema})
	ctx := t.Context()
	alice := store.Write{Actor: "alice"}
	w := startWatch(t, ctx, watcher, wd)
	if _, err := writer.Put(ctx, &store.Document{Kind: "AISystem", ID: "before", Data: []byte(`{}`)}, alice); err != nil {
		t.Fatalf("Put() = %v", err)
	}
	w.next(t, store.Notification{Kind: "AISystem", ID: "before", Revision: 1, Op: store.OpPut})

	for round := range 2 {
		pid := w.pid
		pgtest.Exec(t, dsn, "SELECT pg_terminate_backend($1)", int64(pid))
		if got := w.listening(t); got == pid {
			t.Fatalf("Watch() listens again on backend %d, want a new one", got)
		}
		w.next(t, store.Notification{})
		id := "after-" + string(rune('a'+round))
		if _, err := writer.Put(ctx, &store.Document{Kind: "AISystem", ID: id, Data: []byte(`{}`)}, alice); err != nil {
			t.Fatalf("Put() = %v", err)
		}
		w.next(t, store.Notification{Kind: "AISystem", ID: id, Revision: 1, Op: store.OpPut})
	}
	if err := watcher.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if err := w.end(t); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Watch() after Close = %v, want an error matching store.ErrClosed", err)
	}
}
