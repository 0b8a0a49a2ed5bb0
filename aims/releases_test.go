package aims_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/inventory"
)

// TestGuardReleasesFromEvidence checks that a guard given the releases of
// an evidence log admits a system released by a recorded gate decision,
// and refuses one whose history names a decision the log does not hold.
func TestGuardReleasesFromEvidence(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "release.evidence.jsonl")
	l, err := evidence.OpenFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := loadExample(t)
	opts := fixedOptions(nil)
	opts.Evidence = l
	g, err := aims.NewGate(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil || !d.Allowed() {
		t.Fatalf("Evaluate() = %s, %v", d.Verdict, err)
	}
	sys, err := g.Apply(ctx, storeWithExample(t), d, store.Write{Actor: "release-bot"})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	*f.System(creditScoring) = *sys

	rel, err := aims.ReadReleases(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Len() != 1 || !rel.Released(creditScoring, d.ID) {
		t.Fatalf("ReadReleases() = %d releases, want the decision %s", rel.Len(), d.ID)
	}
	if err := aims.NewGuard(f, &aims.GuardOptions{Releases: rel}).Allow(ctx, creditScoring); err != nil {
		t.Errorf("Allow() of a recorded release = %v, want nil", err)
	}

	// A decision id written by hand into the history releases nothing.
	h := f.System(creditScoring).Lifecycle.History
	for i := range h {
		if h[i].To == inventory.StageDeployment {
			h[i].Decision = uuid.MustParse("01a1f3c2-7b00-7c3e-9d41-5e2a8b6c0f11").String()
		}
	}
	err = aims.NewGuard(f, &aims.GuardOptions{Releases: rel}).Allow(ctx, creditScoring)
	if !errors.Is(err, aims.ErrReleaseNotRecorded) || !errors.Is(err, aims.ErrNotReleased) {
		t.Errorf("Allow() of a made-up release = %v, want ErrReleaseNotRecorded", err)
	}
	if !strings.Contains(err.Error(), "not in the evidence log") {
		t.Errorf("Allow() = %q, want a reason that names the evidence log", err)
	}
	// Without releases, the history is taken on trust.
	if err := aims.NewGuard(f, nil).Allow(ctx, creditScoring); err != nil {
		t.Errorf("Allow() without releases = %v, want nil", err)
	}

	// A log that does not verify gives no releases.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), `"outcome":"allow"`, `"outcome":"allow" `, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := aims.ReadReleases(ctx, path, nil); !errors.Is(err, evidence.ErrTampered) {
		t.Errorf("ReadReleases(tampered) = %v, want ErrTampered", err)
	}
}
