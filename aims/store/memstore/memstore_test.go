package memstore_test

import (
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/memstore"
	"github.com/aimskit/aimskit/aims/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver {
		return memstore.NewDriver()
	})
}

func TestDriver(t *testing.T) {
	err := storetest.TestDriver(func() (store.Driver, error) {
		return memstore.NewDriver(), nil
	})
	if err != nil {
		t.Errorf("storetest.TestDriver() = %v, want nil", err)
	}
}

func TestZeroValue(t *testing.T) {
	var d memstore.Driver
	s := store.New(&d, nil)
	ctx := t.Context()
	doc := &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{"kind":"AISystem"}`)}
	got, err := s.Put(ctx, doc, store.Write{Actor: "alice"})
	if err != nil {
		t.Fatalf("Put() on the zero Driver = %v, want nil", err)
	}
	if got.Revision != 1 || got.Updated.IsZero() {
		t.Errorf("Put() on the zero Driver = revision %d, updated %v; want revision 1 and a time", got.Revision, got.Updated)
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
