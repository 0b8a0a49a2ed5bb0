package document

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// parseJSONTree parses a JSON document into the tree that encoding/json
// gives with UseNumber: map[string]any, []any, string, json.Number, bool
// and nil. It is the fast path of [parse] for JSON documents, one pass
// that also refuses repeated keys. It reports false for anything it does
// not take on, valid or not (a repeated key, an escape that is not plain,
// invalid UTF-8, nesting deeper than maxDepth, a syntax error), and the
// caller then goes the slow way, which gives the error or the tree.
// It also reports false for a document with more than maxValues values
// and keys (no limit when maxValues is 0).
// FuzzParseJSONTree holds it to encoding/json's results.
func parseJSONTree(b []byte, maxValues int) (any, bool) {
	v, ok, _ := parseJSONTreeCount(b, maxValues)
	return v, ok
}

// parseJSONTreeCount is parseJSONTree that also reports whether it
// stopped at the value limit (over).
func parseJSONTreeCount(b []byte, maxValues int) (v any, ok, over bool) {
	p := jsonParser{b: b, left: maxValues}
	if maxValues <= 0 {
		p.left = -1
	}
	v, ok = p.value(0)
	if !ok {
		return nil, false, maxValues > 0 && p.left < 0
	}
	p.space()
	return v, p.i == len(p.b), false
}

type jsonParser struct {
	b    []byte
	i    int
	left int // values still allowed; negative for no limit
}

// count counts one value or key, and reports whether it is allowed.
func (p *jsonParser) count() bool {
	if p.left < 0 {
		return true
	}
	p.left--
	return p.left >= 0
}

func (p *jsonParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, bool) {
	if depth > maxDepth || !p.count() {
		return nil, false
	}
	p.space()
	if p.i >= len(p.b) {
		return nil, false
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		if s, ok := p.string(); ok {
			return s, true
		}
		return nil, false
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case p.literal("true"):
		return true, true
	case p.literal("false"):
		return false, true
	case p.literal("null"):
		return nil, true
	}
	return nil, false
}

func (p *jsonParser) literal(s string) bool {
	if len(p.b)-p.i >= len(s) && string(p.b[p.i:p.i+len(s)]) == s {
		p.i += len(s)
		return true
	}
	return false
}

func (p *jsonParser) object(depth int) (any, bool) {
	p.i++ // {
	m := make(map[string]any)
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, false
		}
		key, ok := p.string()
		if !ok || !p.count() {
			return nil, false
		}
		if _, dup := m[key]; dup {
			return nil, false
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, false
		}
		p.i++
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		m[key] = v
		if done, ok := p.next('}'); !ok || done {
			return m, ok
		}
	}
}

// next reads what follows an element of an object or array: a comma, or
// end, which ends it (done).
func (p *jsonParser) next(end byte) (done, ok bool) {
	p.space()
	if p.i >= len(p.b) {
		return false, false
	}
	switch p.b[p.i] {
	case ',':
		p.i++
		return false, true
	case end:
		p.i++
		return true, true
	}
	return false, false
}

func (p *jsonParser) array(depth int) (any, bool) {
	p.i++ // [
	a := []any{}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return a, true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		if done, ok := p.next(']'); !ok || done {
			return a, ok
		}
	}
}

// string reads a string. Escapes other than \uXXXX for a surrogate are
// decoded; a surrogate escape or invalid UTF-8, which encoding/json
// replaces with U+FFFD, sends the caller the slow way.
func (p *jsonParser) string() (string, bool) {
	p.i++ // "
	start := p.i
	plain := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			if plain {
				return string(s), utf8.Valid(s)
			}
			return unescape(s)
		case c == '\\':
			plain = false
			p.i += 2
		case c < 0x20:
			return "", false
		default:
			p.i++
		}
	}
	return "", false
}

// unescape decodes the body of a string with escapes.
func unescape(s []byte) (string, bool) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return "", false
		}
		switch s[i+1] {
		case '"', '\\', '/':
			out = append(out, s[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+6 > len(s) {
				return "", false
			}
			r, err := strconv.ParseUint(string(s[i+2:i+6]), 16, 32)
			if err != nil || r >= 0xD800 && r < 0xE000 {
				return "", false
			}
			out = utf8.AppendRune(out, rune(r))
			i += 6
			continue
		default:
			return "", false
		}
		i += 2
	}
	if !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}

// number reads a number as JSON's grammar has it.
func (p *jsonParser) number() (any, bool) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.b[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.b) && p.b[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return nil, false
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, false
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	return json.Number(p.b[start:p.i]), true
}
