package document

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var yamlBoundSeeds = []string{
	"", "a", "a: b\n", "- a\n- b\n", "[1,1,1]", "{a, b}", "{a}", "{a,}", "[a: b, c: d]", "[: a]", "{: a}",
	"? a\n: b\n", "- - - a: b\n", "a:\n- b\n- c\n", "a: |\n  x\n  y\n", "--- a\n", "---\n---\n", "a: !!str\n",
	"{\"a\":1}", "{[a]: b}", "[[[[]]]]", "a: &x 1\nb: *x\n", "a:\r\nb:\r", "a:\u2028b:\u0085c:", "- ? a\n  : b\n",
	"[a, [b, {c: d}], {e}]", "key:\n  - {a: [1, 2], b: {c, d}}\n", "a: b # c\n# d\n",
}

// countNodes counts the nodes of a YAML node tree.
func countNodes(n *yaml.Node) int {
	c := 1
	for _, e := range n.Content {
		c += countNodes(e)
	}
	return c
}

// FuzzYAMLNodeBound checks that yamlNodeBound is at least the number of
// nodes the YAML parser makes of the first document.
func FuzzYAMLNodeBound(f *testing.F) {
	for _, s := range yamlBoundSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var root yaml.Node
		if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&root); err != nil {
			return
		}
		if n, bound := countNodes(&root), yamlNodeBound(data); n > bound {
			t.Fatalf("yamlNodeBound(%q) = %d, but the parser makes %d nodes", data, bound, n)
		}
	})
}

func TestYAMLNodeBound(t *testing.T) {
	for _, s := range yamlBoundSeeds {
		var root yaml.Node
		if err := yaml.NewDecoder(strings.NewReader(s)).Decode(&root); err != nil {
			continue
		}
		if n, bound := countNodes(&root), yamlNodeBound([]byte(s)); n > bound {
			t.Errorf("yamlNodeBound(%q) = %d, but the parser makes %d nodes", s, bound, n)
		}
	}
}

// FuzzParseJSON checks that parseJSON accepts what encoding/json accepts
// (less repeated keys and deep nesting), gives the same tree, and
// otherwise an error with a line and column.
func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonTreeSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a": NaN}`))
	f.Add([]byte("{\n\"a\": [1,\n2,,]}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := parseJSON(b, 0)
		want, ok := slowJSONTree(b)
		switch {
		case err == nil && (!ok || !reflect.DeepEqual(got, want)):
			t.Fatalf("parseJSON(%q) = %#v; encoding/json gives %#v, %v", b, got, want, ok)
		case err != nil && ok:
			t.Fatalf("parseJSON(%q) error %v; encoding/json gives %#v", b, err, want)
		case err != nil && !hasPosition(err):
			t.Fatalf("parseJSON(%q) error %q has no line and column", b, err)
		}
	})
}

// hasPosition reports whether err is a syntax error with a line and a
// column.
func hasPosition(err error) bool {
	var se *syntaxError
	return errors.As(err, &se) && se.line > 0 && se.col > 0
}

// FuzzYAMLError checks that every YAML syntax error is placed on a line
// of the text, in a column of that line.
func FuzzYAMLError(f *testing.F) {
	for _, s := range []string{
		"a: \"x\n", "a: b\n  c: d\n", "a:\n\tb: c\n", "a: [x, y\nb: c\n", "a: {b: [1}\n", "a: b: c\n",
		"a: |\n  x\n\ty\n", "- a\n - b\n", "a: 'it''s\n", "? [a\n", "a: \"\\q\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		var n yaml.Node
		err := yaml.Unmarshal(data, &n)
		if err == nil {
			return
		}
		se := yamlError(data, err)
		lines := splitLines(data)
		if se.line < 0 || se.line > len(lines) || se.line == 0 && len(lines) > 0 {
			t.Fatalf("yamlError(%q) at line %d of %d", data, se.line, len(lines))
		}
		if se.col < 0 || se.col > 0 && se.col > 1+len([]rune(string(lines[se.line-1]))) {
			t.Fatalf("yamlError(%q) at line %d, column %d", data, se.line, se.col)
		}
		if se.msg == "" {
			t.Fatalf("yamlError(%q) has no message", data)
		}
	})
}
