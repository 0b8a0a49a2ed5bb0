package document

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseYAML parses one YAML document into the value encoding/json would
// produce with UseNumber: map[string]any, []any, string, json.Number, bool
// and nil. It returns the node tree too, to find line numbers for
// problems.
//
// It refuses what a governance document has no use for and what would let
// a small file expand into a huge value: aliases and merge keys. Keys must
// be unique. Timestamps stay strings, so dates reach the schema as
// written. A document with more than maxValues nodes is refused (no
// limit when maxValues is 0).
func parseYAML(data []byte, maxValues int) (any, *yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("document is empty")
		}
		return nil, nil, yamlError(data, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return nil, nil, errors.New("file holds more than one YAML document; put one document in each file")
	}
	c := converter{max: maxValues}
	v, err := c.fromNode(&root, 0)
	if err != nil {
		return nil, nil, err
	}
	return v, &root, nil
}

// maxDepth bounds nesting, so that a hostile document cannot exhaust the
// stack.
const maxDepth = 64

// converter turns a YAML node tree into values, counting them (keys
// included) against max, no limit when max is 0. path holds the
// reference tokens of the node being converted, for the pointers of
// problems.
type converter struct {
	max, n int
	path   []any
}

// count counts the node n and reports whether it is allowed.
func (c *converter) count(n *yaml.Node) error {
	c.n++
	if c.max > 0 && c.n > c.max {
		return c.errAt(n, "%v", tooManyValues(c.max))
	}
	return nil
}

func (c *converter) fromNode(n *yaml.Node, depth int) (any, error) {
	if depth > maxDepth {
		return nil, c.errAt(n, "nesting is deeper than %d levels", maxDepth)
	}
	if n.Kind == yaml.AliasNode {
		return nil, c.errAt(n, "YAML aliases (*%s) are not supported: write the value out", clipText(n.Value, excerptLen))
	}
	if n.Kind != yaml.DocumentNode {
		if err := c.count(n); err != nil {
			return nil, err
		}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, errors.New("document is empty")
		}
		return c.fromNode(n.Content[0], depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, c.errAt(k, "a mapping key must be a plain value")
			}
			if k.ShortTag() == "!!merge" {
				return nil, c.errAt(k, "YAML merge keys (<<) are not supported: write the fields out")
			}
			c.path = append(c.path, k.Value)
			if _, dup := m[k.Value]; dup {
				return nil, c.errAt(k, "key %s is repeated", excerpt(k.Value))
			}
			if err := c.count(k); err != nil {
				return nil, err
			}
			val, err := c.fromNode(v, depth+1)
			if err != nil {
				return nil, err
			}
			c.path = c.path[:len(c.path)-1]
			m[k.Value] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, e := range n.Content {
			c.path = append(c.path, i)
			val, err := c.fromNode(e, depth+1)
			if err != nil {
				return nil, err
			}
			c.path = c.path[:len(c.path)-1]
			s = append(s, val)
		}
		return s, nil
	case yaml.ScalarNode:
		return c.scalar(n)
	}
	return nil, c.errAt(n, "unsupported YAML node")
}

func (c *converter) scalar(n *yaml.Node) (any, error) {
	switch tag := n.ShortTag(); tag {
	case "!!str", "!!timestamp", "!!binary":
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		b, err := strconv.ParseBool(n.Value)
		if err != nil {
			return nil, c.errAt(n, "cannot read %s as a boolean", excerpt(n.Value))
		}
		return b, nil
	case "!!int":
		plain := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10)), nil
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return json.Number(strconv.FormatUint(u, 10)), nil
		}
		return nil, c.errAt(n, "cannot read %s as an integer", excerpt(n.Value))
	case "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, c.errAt(n, "cannot read %s as a number (JSON has no infinity or NaN)", excerpt(n.Value))
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	default:
		return nil, c.errAt(n, "unsupported YAML tag %s", clipText(n.Tag, excerptLen))
	}
}

// errAt returns a syntax error at node n, which is at c.path.
func (c *converter) errAt(n *yaml.Node, format string, args ...any) error {
	return &syntaxError{pointer: Pointer(c.path...), line: n.Line, col: n.Column, msg: fmt.Sprintf(format, args...)}
}

// lineIndex finds the lines of JSON pointers in a YAML node tree. Each
// mapping's keys are indexed the first time a pointer goes through it, so
// that looking up the pointers of all problems of a document takes time
// linear in the size of the document and the pointers, however many keys
// a mapping has. The zero value with a root is ready to use; it is used by
// one goroutine.
type lineIndex struct {
	root *yaml.Node
	keys map[*yaml.Node]map[string]*yaml.Node
}

// line returns the line of the value at a JSON pointer, or of its deepest
// existing ancestor; 0 when unknown.
func (x *lineIndex) line(pointer string) int {
	n, _ := x.walk(pointer)
	if n == nil {
		return 0
	}
	return n.Line
}

// node returns the node of the value at a JSON pointer, or nil. x may be
// nil.
func (x *lineIndex) node(pointer string) *yaml.Node {
	if x == nil {
		return nil
	}
	if n, exact := x.walk(pointer); exact {
		return n
	}
	return nil
}

// walk returns the node of the value at a JSON pointer, or of its deepest
// existing ancestor, and whether it is the value's own.
func (x *lineIndex) walk(pointer string) (*yaml.Node, bool) {
	n := x.root
	if n == nil {
		return nil, false
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if pointer == "" {
		return n, true
	}
	for tok := range strings.SplitSeq(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			next = x.value(n, tok)
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return n, false
		}
		n = next
	}
	return n, true
}

// value returns the value of key in mapping m, or nil.
func (x *lineIndex) value(m *yaml.Node, key string) *yaml.Node {
	if len(m.Content) <= 16 { // a scan is cheaper than a map
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
		return nil
	}
	idx, ok := x.keys[m]
	if !ok {
		idx = make(map[string]*yaml.Node, len(m.Content)/2)
		for i := 0; i+1 < len(m.Content); i += 2 {
			if _, dup := idx[m.Content[i].Value]; !dup {
				idx[m.Content[i].Value] = m.Content[i+1]
			}
		}
		if x.keys == nil {
			x.keys = make(map[*yaml.Node]map[string]*yaml.Node)
		}
		x.keys[m] = idx
	}
	return idx[key]
}
