package document_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unsafe"

	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// allTypes are the document kinds of the domain packages.
func allTypes() []document.Type {
	var ts []document.Type
	ts = append(ts, inventory.DocumentTypes()...)
	ts = append(ts, risk.DocumentTypes()...)
	ts = append(ts, impact.DocumentTypes()...)
	ts = append(ts, controls.DocumentTypes()...)
	ts = append(ts, governance.DocumentTypes()...)
	return ts
}

// treeDocuments are the example documents.
func treeDocuments(tb testing.TB) map[string][]byte {
	tb.Helper()
	docs := map[string][]byte{}
	for _, pattern := range []string{"../examples/*/governance/*.yaml"} {
		names, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				tb.Fatal(err)
			}
			docs[name] = data
		}
	}
	if len(docs) < 10 {
		tb.Fatalf("found %d documents, want at least 10", len(docs))
	}
	return docs
}

// checkTreeDecode stores tree into a new value of every kind both ways,
// from the tree and with encoding/json from the tree written as JSON,
// and reports a difference: where the tree way takes a tree on, it must
// give what encoding/json gives. It returns the kinds the tree way took
// on.
func checkTreeDecode(t *testing.T, dec *document.Decoder, types []document.Type, tree any) []string {
	t.Helper()
	js, err := json.Marshal(tree)
	if err != nil {
		return nil
	}
	var took []string
	for _, ty := range types {
		got := ty.New()
		if !document.StoreTree(dec, got, tree) {
			continue
		}
		took = append(took, ty.Kind)
		want := ty.New()
		jd := json.NewDecoder(bytes.NewReader(js))
		jd.DisallowUnknownFields()
		if err := jd.Decode(want); err != nil {
			t.Errorf("%s: stored from the tree, but encoding/json says %v", ty.Kind, err)
			continue
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s: stored from the tree = %+v, encoding/json gives %+v", ty.Kind, got, want)
		}
	}
	return took
}

// TestTreeDecodeMatchesJSON holds decoding from the validated tree to
// encoding/json on every example document, and checks that
// the tree way takes each example on as its own kind (so that the load
// path does not fall back to encoding/json).
func TestTreeDecodeMatchesJSON(t *testing.T) {
	types := allTypes()
	dec, err := document.NewDecoder(types, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range treeDocuments(t) {
		t.Run(filepath.Base(filepath.Dir(filepath.Dir(name)))+"/"+filepath.Base(name), func(t *testing.T) {
			tree, err := document.ParseTree(data)
			if err != nil {
				t.Fatal(err)
			}
			took := checkTreeDecode(t, dec, types, tree)
			h, err := document.KindOf(data)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := dec.Decode(name, data); err == nil && !contains(took, h.Kind) {
				t.Errorf("a valid %s is not stored from the tree (took it as %v)", h.Kind, took)
			}
		})
	}
}

func contains(s []string, x string) bool {
	for _, e := range s {
		if e == x {
			return true
		}
	}
	return false
}

// FuzzTreeDecode holds decoding from the tree to encoding/json on any
// document, valid or not, into every kind.
func FuzzTreeDecode(f *testing.F) {
	for _, data := range treeDocuments(f) {
		f.Add(data)
	}
	f.Add([]byte(`{"apiVersion": "x", "kind": null, "labels": {"a": 1}}`))
	f.Add([]byte("id: null\nlikelihood: 3\nconsequence: high\nname: \"\\uD800\"\n"))
	types := allTypes()
	dec, err := document.NewDecoder(types, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		tree, err := document.ParseTree(data)
		if err != nil {
			return
		}
		checkTreeDecode(t, dec, types, tree)
		// Each value of the tree, as a document of its own.
		if m, ok := tree.(map[string]any); ok {
			for _, v := range m {
				checkTreeDecode(t, dec, types, v)
			}
		}
	})
}

// TestTreeDecodeSharesSchemaNames checks that a value the schema lists
// (an enum), stored from two documents, is one copy.
func TestTreeDecodeSharesSchemaNames(t *testing.T) {
	dec, err := document.NewDecoder(allTypes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	const want = "verification-and-validation"
	if !document.SchemaName(dec, want) {
		t.Fatalf("%q is not a schema name; change the test", want)
	}
	data, err := os.ReadFile("../examples/credit-scoring/governance/ai-system-credit-scoring.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []*inventory.System
	for range 2 {
		v, err := dec.Decode("system.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v.(*inventory.System))
	}
	a, b := string(got[0].Lifecycle.Stage), string(got[1].Lifecycle.Stage)
	if a != want || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Errorf("Lifecycle.Stage = %q and %q, at %p and %p; want one copy of %q", a, b, unsafe.StringData(a), unsafe.StringData(b), want)
	}
}
