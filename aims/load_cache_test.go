package aims

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
)

// cacheFolder is the credit-scoring example with one document of each
// other kind: risk criteria, a gate policy with waivers and parameters,
// and an incident; and a system that still holds a TODO placeholder.
func cacheFolder(tb testing.TB) fstest.MapFS {
	tb.Helper()
	const dir = "../examples/credit-scoring/governance/"
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, e := range entries {
		data, err := os.ReadFile(dir + e.Name())
		if err != nil {
			tb.Fatal(err)
		}
		fsys["governance/"+e.Name()] = &fstest.MapFile{Data: data}
	}
	fsys["criteria.yaml"] = &fstest.MapFile{Data: []byte(`apiVersion: aimskit.dev/v1alpha1
kind: RiskCriteria
name: house
version: "2"
likelihood: [{name: low}, {name: mid}, {name: high}]
consequence: [{name: low}, {name: mid}, {name: high}]
levels: [{name: ok}, {name: not-ok}]
matrix:
  - [1, 1, 1]
  - [1, 1, 1]
  - [2, 2, 2]
appetite: ok
`)}
	fsys["policy.yaml"] = &fstest.MapFile{Data: []byte(`apiVersion: aimskit.dev/v1alpha1
kind: GatePolicy
id: basic
gates:
  - to: deployment
    checks:
      - check: owners-assigned
      - check: fact-threshold
        id: accuracy
        params: {fact: accuracy, min: 0.9, max: 1, extra: {suite: nightly}}
      - check: controls-implemented
        params: {controls: [iso42001:A.6.2.4]}
waivers:
  - {check: accuracy, system: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10, approver: CTO, reason: pilot, granted: 2026-11-01, expires: 2026-12-31}
`)}
	fsys["incident.json"] = &fstest.MapFile{Data: []byte(`{"apiVersion": "aimskit.dev/v1alpha1", "kind": "Incident", "id": "inc-2026-007",
"system": "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10", "title": "Systematic refusals", "description": "Refusals at four times the usual rate.",
"type": "fundamental-rights-infringement", "aware": "2026-11-10T08:30:00Z", "status": "initial-report-sent",
"reports": [{"date": "2026-11-12T16:00:00Z", "kind": "initial", "authority": "Market surveillance authority (DE)"}]}`)}
	return fsys
}

// documents returns every document of a snapshot.
func documents(f *Snapshot) []document.Validator {
	var out []document.Validator
	for d := range f.sources {
		out = append(out, d.(document.Validator))
	}
	return out
}

// mutable collects the addresses of what a value points to that can be
// changed: pointers, slices and maps, unexported fields included.
func mutable(v reflect.Value, seen map[uintptr]string, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if _, ok := seen[v.Pointer()]; ok {
			return
		}
		seen[v.Pointer()] = path
		mutable(v.Elem(), seen, path)
	case reflect.Slice:
		if v.Cap() > 0 {
			seen[v.Pointer()] = path
		}
		for i := range v.Len() {
			mutable(v.Index(i), seen, path+"[]")
		}
	case reflect.Array:
		for i := range v.Len() {
			mutable(v.Index(i), seen, path+"[]")
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		seen[v.Pointer()] = path
		for it := v.MapRange(); it.Next(); {
			mutable(it.Value(), seen, path+"{}")
		}
	case reflect.Struct:
		for i := range v.NumField() {
			mutable(v.Field(i), seen, path+"."+v.Type().Field(i).Name)
		}
	case reflect.Interface:
		if !v.IsNil() {
			mutable(v.Elem(), seen, path)
		}
	}
}

// TestCloneDocument checks that the copy the loader's cache hands out of
// a document of every kind is equal to it and shares nothing that can
// be changed.
func TestCloneDocument(t *testing.T) {
	l, err := NewLoader(&LoaderOptions{CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	f, err := l.Load(context.Background(), cacheFolder(t))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, d := range documents(f) {
		kind := reflect.TypeOf(d).Elem().String()
		kinds[kind] = true
		c, ok := cloneDocument(d)
		if !ok {
			t.Errorf("cloneDocument(%s) = false", kind)
			continue
		}
		if !reflect.DeepEqual(d, c) {
			t.Errorf("cloneDocument(%s) differs:\n%s", kind, cmp.Diff(d, c))
		}
		orig := map[uintptr]string{}
		mutable(reflect.ValueOf(d), orig, "")
		copied := map[uintptr]string{}
		mutable(reflect.ValueOf(c), copied, "")
		for p, path := range copied {
			if _, shared := orig[p]; shared {
				t.Errorf("cloneDocument(%s) shares %s with the original", kind, path)
			}
		}
	}
	if len(kinds) != len(DocumentTypes()) {
		t.Errorf("the folder holds %d kinds, want all %d: %v", len(kinds), len(DocumentTypes()), kinds)
	}
}

// TestLoaderCache checks that a reload through the cache gives what a
// loader without one gives, that the documents of two snapshots are
// distinct, and that changing one snapshot's documents changes neither
// a later load nor another snapshot.
func TestLoaderCache(t *testing.T) {
	ctx := context.Background()
	fsys := cacheFolder(t)
	// A problem and a placeholder, each to be reported the same way from
	// the cache.
	fsys["bad.yaml"] = &fstest.MapFile{Data: []byte("apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: [\n")}
	sys := string(fsys["governance/ai-system-support-chatbot.yaml"].Data)
	fsys["copy/chatbot.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(sys, "\nname:", "\n# TODO: name it.\nname:", 1))}
	delete(fsys, "governance/ai-system-support-chatbot.yaml")

	plain, err := NewLoader(&LoaderOptions{CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	want, wantErr := plain.Load(ctx, fsys)
	if wantErr == nil {
		t.Fatal("Load of a folder with a bad file: no error")
	}
	cached, err := NewLoader(nil)
	if err != nil {
		t.Fatal(err)
	}
	first, firstErr := cached.Load(ctx, fsys)
	// Change every document of the first snapshot.
	for _, s := range first.Systems {
		s.Name += " (changed)"
		s.Purpose.Users = append(s.Purpose.Users[:0], "someone else")
	}
	for _, a := range first.RiskAssessments {
		a.Risks = a.Risks[:1]
		a.Risks[0].ID = "R-changed"
	}
	first.Policy.Gates[0].Checks[1].Params.Extra["suite"] = "changed"
	*first.Policy.Gates[0].Checks[1].Params.Min = 0
	second, secondErr := cached.Load(ctx, fsys)
	for name, got := range map[string]struct {
		f   *Snapshot
		err error
	}{"first": {first, firstErr}, "second": {second, secondErr}} {
		if diff := cmp.Diff(wantErr.Error(), got.err.Error()); diff != "" {
			t.Errorf("%s load: error (-want +got):\n%s", name, diff)
		}
	}
	for _, check := range []struct {
		name      string
		want, got any
	}{
		{"Systems", want.Systems, second.Systems},
		{"RiskAssessments", want.RiskAssessments, second.RiskAssessments},
		{"ImpactAssessments", want.ImpactAssessments, second.ImpactAssessments},
		{"RiskCriteria", want.RiskCriteria, second.RiskCriteria},
		{"SoA", want.SoA, second.SoA},
		{"Policy", want.Policy, second.Policy},
		{"ManagementSystem", want.ManagementSystem, second.ManagementSystem},
		{"Audits", want.Audits, second.Audits},
		{"Reviews", want.Reviews, second.Reviews},
		{"Nonconformities", want.Nonconformities, second.Nonconformities},
		{"Incidents", want.Incidents, second.Incidents},
		{"Notes", want.Notes, second.Notes},
		{"SharedProblems", want.SharedProblems(), second.SharedProblems()},
	} {
		if !reflect.DeepEqual(check.want, check.got) {
			t.Errorf("reload through the cache: %s differ:\n%s", check.name, cmp.Diff(check.want, check.got))
		}
	}
	if diff := cmp.Diff(want.Placeholders(), second.Placeholders()); diff != "" {
		t.Errorf("Placeholders() through the cache (-want +got):\n%s", diff)
	}
	if len(want.Placeholders()) == 0 {
		t.Error("the folder holds no placeholder; change the test")
	}
	seen := map[any]bool{}
	for _, d := range documents(first) {
		seen[d] = true
	}
	for _, d := range documents(second) {
		if seen[d] {
			t.Errorf("two snapshots share the document %T %p", d, d)
		}
	}
}

// TestDocCacheBound checks that the cache keeps at most its size,
// dropping the least recently used document first.
func TestDocCacheBound(t *testing.T) {
	l, err := NewLoader(nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := l.Load(context.Background(), cacheFolder(t))
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Systems[0]
	c := newDocCache(100)
	key := func(b byte) cacheKey { return cacheKey{digest: [32]byte{b}} }
	c.put(key(1), 40, doc, nil)
	c.put(key(2), 40, doc, nil)
	if _, _, ok := c.get(key(1), "a.yaml"); !ok { // 1 is now the most recent
		t.Fatal("get(1) after put(1) = false")
	}
	c.put(key(3), 40, doc, nil)  // drops 2
	c.put(key(4), 101, doc, nil) // too large to keep
	for k, want := range map[byte]bool{1: true, 2: false, 3: true, 4: false} {
		if _, _, got := c.get(key(k), "a.yaml"); got != want {
			t.Errorf("get(%d) = %v, want %v", k, got, want)
		}
	}
	if c.size != 80 {
		t.Errorf("size = %d, want 80", c.size)
	}
}
