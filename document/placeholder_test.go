package document

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

func TestPlaceholders(t *testing.T) {
	const doc = `# TODO: decide the whole document.
apiVersion: v1
# A comment that only mentions TODO in passing.
kind: K
# TODO: name it.
name: example
owner:
  # TODO(deployment gate): who answers for it.
  name: to assign
  role: lead # TODO: check the role
list:
  # TODO: replace the example item.
  - a
  - b
`
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	got := placeholders("f.yaml", &root)
	want := []Problem{
		{File: "f.yaml", Pointer: "", Line: 2, Message: "placeholder: TODO: decide the whole document."},
		{File: "f.yaml", Pointer: "/name", Line: 6, Message: "placeholder: TODO: name it."},
		{File: "f.yaml", Pointer: "/owner/name", Line: 9, Message: "placeholder: TODO(deployment gate): who answers for it."},
		{File: "f.yaml", Pointer: "/owner/role", Line: 10, Message: "placeholder: TODO: check the role"},
		{File: "f.yaml", Pointer: "/list/0", Line: 13, Message: "placeholder: TODO: replace the example item."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("placeholders (-want +got):\n%s", diff)
	}
	if got := placeholders("f.json", nil); got != nil {
		t.Errorf("placeholders of JSON = %v, want none", got)
	}
}

// FuzzPlaceholders checks that finding the placeholders of any YAML never
// panics and gives pointers that start with "/" or are empty.
func FuzzPlaceholders(f *testing.F) {
	f.Add("# TODO: x\na: 1\n")
	f.Add("a:\n  # TODO\n  - b\n")
	f.Add("- # TODO\n  a: b\n")
	f.Fuzz(func(t *testing.T, doc string) {
		var root yaml.Node
		if yaml.Unmarshal([]byte(doc), &root) != nil {
			return
		}
		for _, p := range placeholders("f.yaml", &root) {
			if p.Pointer != "" && p.Pointer[0] != '/' {
				t.Fatalf("pointer %q", p.Pointer)
			}
		}
	})
}
