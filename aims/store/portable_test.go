package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/memstore"
)

func TestErrorMessages(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(nil)
	defer s.Close()
	w := store.Write{Actor: "alice"}
	if _, err := s.Put(ctx, &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{}`)}, w); err != nil {
		t.Fatalf("Put() = %v, want nil", err)
	}
	_, errGet := s.Get(ctx, "AISystem", "missing")
	_, errPut := s.Put(ctx, &store.Document{Kind: "AISystem", ID: "../x", Data: []byte(`{}`)}, w)
	_, errStale := s.Put(ctx, &store.Document{Kind: "AISystem", ID: "chatbot", Revision: 3, Data: []byte(`{}`)}, w)
	errDelete := s.Delete(ctx, "AISystem", "chatbot", 0, w)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"not found", errGet, "memstore: get AISystem/missing: store: document not found"},
		{"invalid id", errPut, `store: invalid id "../x": must not contain "/"`},
		{"conflict", errStale, "store: put AISystem/chatbot: revision conflict: the caller read revision 3, the store has revision 1"},
		{"delete revision 0", errDelete, "store: delete AISystem/chatbot: revision 0 is not valid, give the revision read or AnyRevision"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || tt.err.Error() != tt.want {
				t.Errorf("error = %v, want %s", tt.err, tt.want)
			}
		})
	}
	if !errors.Is(errStale, store.ErrConflict) {
		t.Errorf("errors.Is(%v, store.ErrConflict) = false, want true", errStale)
	}
	if !errors.Is(errDelete, store.ErrInvalid) {
		t.Errorf("errors.Is(%v, store.ErrInvalid) = false, want true", errDelete)
	}
}

func TestNewNilDriver(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("New(nil, nil) did not panic, want a panic for the missing driver")
		}
	}()
	store.New(nil, nil)
}

func TestWatchUnsupported(t *testing.T) {
	s := memstore.New(nil)
	defer s.Close()
	called := false
	err := s.Watch(t.Context(), func(store.Notification) { called = true })
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Watch() on a driver without Watch = %v, want an error matching errors.ErrUnsupported", err)
	}
	if called {
		t.Errorf("Watch() on a driver without Watch called its function")
	}
}

// watchDriver is a memory driver whose Watch reports one change and then
// waits for its context.
type watchDriver struct {
	*memstore.Driver
	closed chan struct{}
}

func (d *watchDriver) Watch(ctx context.Context, fn func(store.Notification)) error {
	fn(store.Notification{Kind: "AISystem", ID: "a", Revision: 1, Op: store.OpPut})
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-d.closed:
		return store.ErrClosed
	}
}

func (d *watchDriver) Close() error {
	close(d.closed)
	return d.Driver.Close()
}

func TestWatchEndsOnClose(t *testing.T) {
	d := &watchDriver{Driver: memstore.NewDriver(), closed: make(chan struct{})}
	s := store.New(d, nil)
	got := make(chan store.Notification, 1)
	done := make(chan error, 1)
	go func() { done <- s.Watch(t.Context(), func(n store.Notification) { got <- n }) }()
	if n := <-got; n.Kind != "AISystem" || n.Revision != 1 {
		t.Errorf("Watch() reported %+v, want AISystem/a revision 1", n)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}
	if err := <-done; !errors.Is(err, store.ErrClosed) {
		t.Errorf("Watch() after Close = %v, want an error matching store.ErrClosed", err)
	}
	if err := s.Watch(t.Context(), func(store.Notification) {}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Watch() on a closed store = %v, want an error matching store.ErrClosed", err)
	}
}
