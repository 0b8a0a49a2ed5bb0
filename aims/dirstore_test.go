package aims_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/dirstore"
	"github.com/aimskit/aimskit/inventory"
)

// TestDirstoreFolderLoads shows that a directory store writes documents in
// the format the loader reads: a folder managed at run time is a
// governance folder too, and a stage change applied through the store is
// seen by the next load.
func TestDirstoreFolderLoads(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := dirstore.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := loadExample(t)
	for _, sys := range src.Systems {
		data, err := json.Marshal(sys)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Put(ctx, &store.Document{Kind: inventory.KindSystem, ID: sys.ID.String(), Data: data}, store.Write{Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	f, err := aims.Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load(dirstore folder): %v", err)
	}
	if len(f.Systems) != len(src.Systems) {
		t.Fatalf("loaded %d systems, want %d", len(f.Systems), len(src.Systems))
	}

	g, err := aims.NewGate(src, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Apply(ctx, st, d, store.Write{Actor: "release-bot"}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	f, err = aims.Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load after Apply: %v", err)
	}
	if got := f.System(creditScoring).Lifecycle.Stage; got != inventory.StageDeployment {
		t.Errorf("stage after Apply and reload = %s, want deployment", got)
	}
}
