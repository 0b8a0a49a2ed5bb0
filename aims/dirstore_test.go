package aims_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

// TestDirstoreRefusesYAMLAlias shows that the directory store reads YAML
// as strictly as the folder loader: a document file that uses an alias,
// written by hand, is refused by both.
func TestDirstoreRefusesYAMLAlias(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := dirstore.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	sys := loadExample(t).System(creditScoring)
	data, err := json.Marshal(sys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(ctx, &store.Document{Kind: inventory.KindSystem, ID: sys.ID.String(), Data: data}, store.Write{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var file string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != dir {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, ".yaml") {
			file = path
		}
		return nil
	})
	if err != nil || file == "" {
		t.Fatalf("document file of the store: %q, %v", file, err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	name := "name: " + sys.Name + "\n"
	if !strings.Contains(string(b), name) {
		t.Fatalf("document file %s has no line %q:\n%s", file, name, b)
	}
	aliased := strings.Replace(string(b), name, "name: &n "+sys.Name+"\nowner_note: *n\n", 1)
	if err := os.WriteFile(file, []byte(aliased), 0o644); err != nil {
		t.Fatal(err)
	}

	_, err = aims.Load(ctx, os.DirFS(dir))
	if err == nil || !strings.Contains(err.Error(), "YAML aliases") {
		t.Errorf("Load(folder with an alias) = %v, want a problem about YAML aliases", err)
	}
	st, err = dirstore.Open(dir, nil)
	if err != nil {
		if !strings.Contains(err.Error(), "YAML aliases") {
			t.Errorf("dirstore.Open(folder with an alias) = %v, want nil or an error about YAML aliases", err)
		}
		return
	}
	defer st.Close()
	_, err = st.Get(ctx, inventory.KindSystem, sys.ID.String())
	if err == nil || !strings.Contains(err.Error(), "YAML aliases") {
		t.Errorf("Get(document with an alias) = %v, want an error about YAML aliases", err)
	}
	if _, err := mustLoader(t).LoadStore(ctx, st); err == nil || !strings.Contains(err.Error(), "YAML aliases") {
		t.Errorf("LoadStore(store with an alias) = %v, want an error about YAML aliases", err)
	}
}

// copyFolder copies the files of folder src, recursively, into a new
// temporary folder and returns it.
func copyFolder(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestDirstoreOpensGovernanceFolder shows that the folder the CLI gates
// is the folder a running application reads: the directory store opened
// on the example governance folder holds what the folder loader reads
// from it, and a write through the store leaves a folder that loads.
func TestDirstoreOpensGovernanceFolder(t *testing.T) {
	ctx := context.Background()
	dir := copyFolder(t, "../examples/credit-scoring/governance")
	want, err := aims.Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load(example) = %v", err)
	}
	st, err := dirstore.Open(dir, nil)
	if err != nil {
		t.Fatalf("dirstore.Open(example) = %v, want nil", err)
	}
	got, err := mustLoader(t).LoadStore(ctx, st)
	if err != nil {
		t.Fatalf("LoadStore(dirstore of the example) = %v, want nil", err)
	}
	if got.Len() != want.Len() || len(got.Systems) != len(want.Systems) {
		t.Fatalf("LoadStore() = %d documents (%d systems), want %d (%d) as Load", got.Len(), len(got.Systems), want.Len(), len(want.Systems))
	}
	for i, sys := range want.Systems {
		a, _ := json.Marshal(sys)
		b, _ := json.Marshal(got.System(sys.ID))
		if string(a) != string(b) {
			t.Errorf("system %d from the store = %s, want %s as Load", i, b, a)
		}
	}

	// A stage change through the store is a reviewable change of the
	// folder, which still loads.
	g, err := aims.NewGate(want, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if err != nil || !d.Allowed() {
		t.Fatalf("Evaluate(deployment) = %s, %v; want allowed", d.Verdict, err)
	}
	if _, err := g.Apply(ctx, st, d, store.Write{Actor: "release-bot"}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := aims.Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load after a write through the store = %v, want nil", err)
	}
	if after.Len() != want.Len() {
		t.Errorf("Load after a write = %d documents, want %d", after.Len(), want.Len())
	}
	if stage := after.System(creditScoring).Lifecycle.Stage; stage != inventory.StageDeployment {
		t.Errorf("stage in the folder after Apply = %s, want deployment", stage)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != ".aimskit" {
			t.Errorf("the store added folder %s: documents stay where they are", e.Name())
		}
	}
}
