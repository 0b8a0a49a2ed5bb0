package aims_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/inventory"
)

// releasedFolder applies a passing deployment decision through a store and
// returns the folder with the released system.
func releasedFolder(t *testing.T) *aims.Snapshot {
	t.Helper()
	ctx := context.Background()
	st := storeWithExample(t)
	f := loadExample(t)
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := g.Apply(ctx, st, d, store.Write{Actor: "release-bot"})
	if err != nil {
		t.Fatal(err)
	}
	*f.System(creditScoring) = *sys
	return f
}

func TestGuard(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		mutate func(s *inventory.System)
		want   error
	}{
		{"released", func(*inventory.System) {}, nil},
		{"suspended", func(s *inventory.System) { s.Lifecycle.Status = inventory.StatusSuspended }, aims.ErrSuspended},
		{"model changed since release", func(s *inventory.System) { s.Resources.Models[0].Version = "3.3.0" }, aims.ErrNotReleased},
		{"moved into deployment without a decision", func(s *inventory.System) {
			s.Lifecycle.History[len(s.Lifecycle.History)-1].Decision = ""
		}, aims.ErrNotReleased},
		{"not yet deployed", func(s *inventory.System) {
			s.Lifecycle.Stage = inventory.StageVerificationValidation
			s.Lifecycle.History = s.Lifecycle.History[:len(s.Lifecycle.History)-1]
		}, aims.ErrNotReleased},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := releasedFolder(t)
			tt.mutate(f.System(creditScoring))
			g := aims.NewGuard(f, nil)
			if err := g.Allow(ctx, creditScoring); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Allow() = %v, want %v", err, tt.want)
			}
		})
	}
	var zero aims.Guard
	if err := zero.Allow(ctx, creditScoring); !errors.Is(err, aims.ErrUnknownSystem) {
		t.Errorf("zero Guard Allow() = %v, want ErrUnknownSystem", err)
	}
	g := aims.NewGuard(releasedFolder(t), nil)
	if err := g.Allow(ctx, uuid.New()); !errors.Is(err, aims.ErrUnknownSystem) {
		t.Errorf("Allow(unknown) = %v, want ErrUnknownSystem", err)
	}
	// A suspension reaches Allow with the next snapshot.
	f := releasedFolder(t)
	f.System(creditScoring).Lifecycle.Status = inventory.StatusSuspended
	g.Update(f)
	if err := g.Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("Allow() after Update = %v, want ErrSuspended", err)
	}
}

func TestGuardConcurrentUpdate(t *testing.T) {
	ctx := context.Background()
	released, suspended := releasedFolder(t), releasedFolder(t)
	suspended.System(creditScoring).Lifecycle.Status = inventory.StatusSuspended
	g := aims.NewGuard(released, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 1000 {
			if i%2 == 0 {
				g.Update(suspended)
			} else {
				g.Update(released)
			}
		}
	}()
	for range 10000 {
		if err := g.Allow(ctx, creditScoring); err != nil && !errors.Is(err, aims.ErrSuspended) {
			t.Fatalf("Allow() = %v during updates", err)
		}
	}
	<-done
}

func BenchmarkGuardAllow(b *testing.B) {
	f := loadExample(b)
	sys := f.System(creditScoring)
	sys.Lifecycle.Stage = inventory.StageDeployment
	sys.Lifecycle.History = append(sys.Lifecycle.History, inventory.StageChange{
		From: inventory.StageVerificationValidation, To: inventory.StageDeployment,
		Date: sys.Lifecycle.History[len(sys.Lifecycle.History)-1].Date, Decision: testID.String(), Models: sys.ModelVersions()})
	g := aims.NewGuard(f, nil)
	ctx := context.Background()
	if err := g.Allow(ctx, creditScoring); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if g.Allow(ctx, creditScoring) != nil {
			b.Fatal("refused")
		}
	}
}

func TestGuardMiddleware(t *testing.T) {
	f := releasedFolder(t)
	g := aims.NewGuard(f, nil)
	h := g.Middleware(creditScoring, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "score: 0.12") }))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/score", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "score: 0.12" {
		t.Errorf("released: %d %q, want 200 and the handler's body", rec.Code, rec.Body.String())
	}

	f.System(creditScoring).Lifecycle.Status = inventory.StatusSuspended
	g.Update(f)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/score", nil))
	var p map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Content-Type") != "application/problem+json" ||
		p["status"] != float64(503) || p["detail"] != aims.ErrSuspended.Error() {
		t.Errorf("suspended: %d %s %v, want 503 with a problem body naming the suspension", rec.Code, rec.Header().Get("Content-Type"), p)
	}

	ran := false
	err := g.Do(context.Background(), creditScoring, func(context.Context) error { ran = true; return nil })
	if !errors.Is(err, aims.ErrSuspended) || ran {
		t.Errorf("Do() = %v, ran %v; want ErrSuspended without running", err, ran)
	}
}

// BenchmarkGuardRefuse measures Allow for a system it refuses.
func BenchmarkGuardRefuse(b *testing.B) {
	f := loadExample(b)
	f.System(creditScoring).Lifecycle.Status = inventory.StatusSuspended
	g := aims.NewGuard(f, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if !errors.Is(g.Allow(ctx, creditScoring), aims.ErrSuspended) {
			b.Fatal("not refused as suspended")
		}
	}
}
