package document

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// IsFile reports whether a file name is that of a document file, one
// that a governance folder's loader reads: a base name ending in .yaml,
// .yml or .json that does not start with a dot. Names are slash-separated
// (as in [io/fs]); the extension is matched exactly.
func IsFile(name string) bool {
	base := path.Base(name)
	if strings.HasPrefix(base, ".") {
		return false
	}
	switch path.Ext(base) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// format is the syntax a document is read in.
type format int

const (
	formatSniff format = iota // JSON if it is an object that is valid JSON, YAML otherwise
	formatJSON
	formatYAML
)

// formatOf returns the syntax of a file by its name: .json is JSON, .yaml
// and .yml are YAML, and anything else is sniffed.
func formatOf(file string) format {
	switch strings.ToLower(path.Ext(file)) {
	case ".json":
		return formatJSON
	case ".yaml", ".yml":
		return formatYAML
	}
	return formatSniff
}

// parse turns YAML or JSON into the tree that schema validation sees,
// refusing a document with more than maxValues values (no limit when
// maxValues is 0). For JSON input it also returns the bytes, for YAML the
// node tree (for line numbers).
//
// A JSON file is read as JSON only. YAML is a superset of JSON, so a YAML
// file (or one with another name) that is a JSON object is read by the
// faster JSON parser, and by the YAML parser when it is not valid JSON.
func parse(data []byte, f format, maxValues int) (tree any, js []byte, root *yaml.Node, err error) {
	if f == formatJSON {
		tree, err = parseJSON(data, maxValues)
		return tree, data, nil, err
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		switch tree, ok, over := parseJSONTreeCount(trimmed, maxValues); {
		case ok:
			return tree, trimmed, nil, nil
		case over:
			return nil, nil, nil, tooManyValues(maxValues)
		}
		if json.Valid(trimmed) {
			tree, err = parseJSON(trimmed, maxValues)
			return tree, trimmed, nil, err
		}
	}
	if maxValues > 0 && yamlNodeBound(data) > maxValues {
		return nil, nil, nil, tooManyValues(maxValues)
	}
	tree, root, err = parseYAML(data, maxValues)
	return tree, nil, root, err
}

func tooManyValues(maxValues int) error {
	return fmt.Errorf("document holds more than %d values, the limit", maxValues)
}

// parseJSON parses a JSON document, with errors that give the line and
// column. It tries the fast parser first.
func parseJSON(data []byte, maxValues int) (any, error) {
	switch tree, ok, over := parseJSONTreeCount(data, maxValues); {
	case ok:
		return tree, nil
	case over:
		return nil, tooManyValues(maxValues)
	}
	// json.Unmarshal checks the syntax before it decodes anything.
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			at := se.Offset - 1 // the byte that is wrong
			if strings.HasPrefix(se.Error(), "unexpected end") {
				at = int64(len(data))
			}
			return nil, jsonError(data, at, "", "invalid JSON: %s", strings.TrimPrefix(se.Error(), "json: "))
		}
		return nil, fmt.Errorf("invalid JSON: %s", clipText(err.Error(), 200))
	}
	if err := checkJSON(data, maxValues); err != nil {
		return nil, err
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("invalid JSON: %s", clipText(err.Error(), 200))
	}
	return tree, nil
}

// jsonError is a syntax error at a byte offset of data, in the field at
// pointer.
func jsonError(data []byte, offset int64, pointer, format string, args ...any) error {
	line, col := position(data, int(max(0, min(offset, int64(len(data))))))
	return &syntaxError{pointer: pointer, line: line, col: col, msg: fmt.Sprintf(format, args...)}
}

// position returns the line and column (in characters), both from 1, of
// a byte offset.
func position(data []byte, offset int) (line, col int) {
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, col
}

// checkJSON walks a syntactically valid JSON text and refuses an object
// with a repeated key, which encoding/json would silently resolve to the
// last one, nesting deeper than maxDepth, and more than maxValues values
// (keys count as values; no limit when maxValues is 0).
func checkJSON(js []byte, maxValues int) error {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	type frame struct {
		object bool
		keys   map[string]bool
		expect bool   // next string token in an object is a key
		key    string // the current key of an object
		n      int    // the number of elements of an array so far
	}
	// pointer returns the pointer of the current value of each frame.
	var stack []*frame
	pointer := func() string {
		toks := make([]any, 0, len(stack))
		for _, f := range stack {
			if f.object {
				toks = append(toks, f.key)
			} else {
				toks = append(toks, f.n-1)
			}
		}
		return Pointer(toks...)
	}
	values := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return jsonError(js, dec.InputOffset(), "", "invalid JSON: %s", clipText(err.Error(), 200))
		}
		if d, ok := tok.(json.Delim); !ok || d == '{' || d == '[' {
			if values++; maxValues > 0 && values > maxValues {
				return tooManyValues(maxValues)
			}
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.expect {
			if key, ok := tok.(string); ok {
				top.key = key
				if top.keys[key] {
					return jsonError(js, keyStart(js, dec.InputOffset()), pointer(), "key %s is repeated", excerpt(key))
				}
				top.keys[key] = true
				top.expect = false
				continue
			}
		}
		if top != nil && !top.object && tok != json.Delim(']') {
			top.n++
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, expect: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		depth := len(stack) // of a value in the innermost container
		if tok == json.Delim('{') || tok == json.Delim('[') {
			depth-- // the container just entered
		}
		if depth > maxDepth {
			return jsonError(js, dec.InputOffset()-1, "", "invalid JSON: nesting is deeper than %d levels", maxDepth)
		}
		if tok != json.Delim('{') && tok != json.Delim('[') && len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].expect = true
		}
	}
}

// keyStart returns the offset of the opening quote of the string that
// ends just before end.
func keyStart(js []byte, end int64) int64 {
	i := int(end) - 2 // before the closing quote
	for ; i >= 0; i-- {
		if js[i] != '"' {
			continue
		}
		backslashes := 0
		for j := i - 1; j >= 0 && js[j] == '\\'; j-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return int64(i)
		}
	}
	return end
}

// yamlNodeBound returns a bound, found without parsing, of the number of
// nodes the YAML parser makes of data: every node starts at a line, or
// after an indicator ("- ", "? ", ": ", "[", "{", ","), or is the empty
// value an indicator or the end of a flow mapping implies. It lets the
// decoder refuse a document too dense to parse within its value limit
// before the parser spends memory on it. FuzzYAMLNodeBound checks it.
func yamlNodeBound(data []byte) int {
	n := 6 // the document, its root and a second document's
	lineStart := true
	var prev byte
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n' || c == '\r':
			lineStart = true
			prev = c
			continue
		case c == 0x85 && i > 0 && data[i-1] == 0xC2, // NEL
			(c == 0xA8 || c == 0xA9) && i > 1 && data[i-2] == 0xE2 && data[i-1] == 0x80: // LS, PS
			lineStart = true
			n++ // the lead bytes counted as the start of a line
			prev = c
			continue
		case c == ' ' || c == '\t':
			prev = c
			continue
		}
		if lineStart {
			lineStart = false
			if c != '#' {
				n++
			}
		}
		switch c {
		case '-', '?':
			if endsToken(data, i+1) {
				n += 2
			}
		case ':':
			if endsToken(data, i+1) || prev == '"' || prev == '\'' || prev == ']' || prev == '}' {
				n++
			}
		case '[', ',':
			n += 3
		case '{':
			n += 2
		case ']', '}':
			n++
		}
		prev = c
	}
	return n
}

// endsToken reports whether the byte at i, if any, ends a YAML indicator.
func endsToken(data []byte, i int) bool {
	if i >= len(data) {
		return true
	}
	switch data[i] {
	case ' ', '\t', '\n', '\r', ',', '[', ']', '{', '}':
		return true
	}
	return false
}
