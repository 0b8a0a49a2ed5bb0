package memstore_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/memstore"
	"github.com/aimskit/aimskit/aims/store/storetest"
)

// newClock returns a clock that starts at a fixed time and advances one
// second on every call. It is safe for concurrent use.
func newClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return memstore.New(&memstore.Options{Clock: newClock()})
	})
}

func TestConformanceE(t *testing.T) {
	err := storetest.RunE(t.Context(), func() (store.Store, error) {
		return memstore.New(nil), nil
	})
	if err != nil {
		t.Errorf("storetest.RunE() = %v, want nil", err)
	}
}

func TestZeroValue(t *testing.T) {
	var s memstore.Store
	ctx := t.Context()
	doc := &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{"kind":"AISystem"}`)}
	got, err := s.Put(ctx, doc, store.Write{Actor: "alice"})
	if err != nil {
		t.Fatalf("Put() on the zero Store = %v, want nil", err)
	}
	if got.Revision != 1 || got.Updated.IsZero() {
		t.Errorf("Put() on the zero Store = revision %d, updated %v; want revision 1 and a time", got.Revision, got.Updated)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close() = %v, want nil", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close() = %v, want nil", err)
	}
}

func TestClock(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(&memstore.Options{Clock: func() time.Time {
		return time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	}})
	defer s.Close()
	doc := &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{}`)}
	got, err := s.Put(ctx, doc, store.Write{Actor: "alice"})
	if err != nil {
		t.Fatalf("Put() = %v, want nil", err)
	}
	want := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	if got.Updated != want {
		t.Errorf("Put().Updated = %v, want %v (the clock's time in UTC)", got.Updated, want)
	}
}

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
		{"invalid id", errPut, `memstore: put: store: invalid id "../x": must not contain "/"`},
		{"conflict", errStale, "store: put AISystem/chatbot: revision conflict: the caller read revision 3, the store has revision 1"},
		{"delete revision 0", errDelete, "memstore: delete AISystem/chatbot: revision 0 is not valid, give the revision read or AnyRevision: store: invalid input"},
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
}
