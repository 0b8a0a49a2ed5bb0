package document

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// A placeholder is a value that a person still has to fill in: in a YAML
// document, a key (or a list item) with a comment line that starts with
// TODO, such as
//
//	# TODO: the person or role who answers for the system.
//	businessOwner: {name: to assign}
//
// The value may well be valid, so a placeholder is not a problem of the
// document; a gate that depends on it denies until it is filled in and its
// TODO comment removed. JSON has no comments, and so no placeholders.

// placeholders returns the placeholders of the YAML node tree root, in
// the order of the document, each as a Problem with the pointer and line
// of the key and the text of its TODO comment.
func placeholders(file string, root *yaml.Node) []Problem {
	if root == nil {
		return nil
	}
	var out []Problem
	var walk func(n *yaml.Node, path []any, depth int)
	walk = func(n *yaml.Node, path []any, depth int) {
		if depth > maxDepth {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path, depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := append(path[:len(path):len(path)], k.Value)
				if todo := todoOf(k.HeadComment, k.LineComment, v.LineComment); todo != "" {
					ptr := Pointer(p...)
					if len(path) == 0 && i == 0 && k.HeadComment != "" && todoOf(k.HeadComment) != "" {
						// The head comment of the first key is the
						// document's: its TODO is about the whole.
						ptr = ""
					}
					out = append(out, Problem{File: file, Pointer: ptr, Line: k.Line, Message: "placeholder: " + todo})
				}
				walk(v, p, depth+1)
			}
		case yaml.SequenceNode:
			for i, e := range n.Content {
				p := append(path[:len(path):len(path)], i)
				if todo := todoOf(e.HeadComment, e.LineComment); todo != "" {
					out = append(out, Problem{File: file, Pointer: Pointer(p...), Line: e.Line, Message: "placeholder: " + todo})
				}
				walk(e, p, depth+1)
			}
		}
	}
	walk(root, nil, 0)
	return out
}

// todoOf returns the text of the first comment line that starts with
// TODO, without the "#", or "".
func todoOf(comments ...string) string {
	for _, c := range comments {
		for _, line := range strings.Split(c, "\n") {
			t := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "#"))
			if strings.HasPrefix(t, "TODO") {
				return t
			}
		}
	}
	return ""
}

// DecodePlaceholders is [Decoder.Decode] that also returns the
// placeholders of a YAML document (see the package documentation on
// placeholders): keys marked by a comment line that starts with TODO,
// with their pointers and lines. It returns them only when the document
// decodes.
func (d *Decoder) DecodePlaceholders(file string, data []byte) (Validator, []Problem, error) {
	return d.decode(file, data, true)
}
