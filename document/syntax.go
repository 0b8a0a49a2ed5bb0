package document

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// syntaxError is a problem found while parsing a document, with its
// place: the pointer of the field it is in, as far as the text shows it,
// and its line and column (0 when unknown). [Decoder.Decode] turns it
// into a [Problem].
type syntaxError struct {
	pointer   string
	line, col int
	msg       string
}

func (e *syntaxError) Error() string {
	return Problem{Pointer: e.pointer, Message: e.msg, Line: e.line, Column: e.col}.String()
}

// yamlError turns an error of the YAML parser into a syntax error at the
// place of what is wrong. The parser says only a line, which for some
// errors is the line before, and no column; its messages speak of
// tokens. So the text is looked at again for the usual mistakes (a tab
// that indents a line, a quote or a bracket that is not closed, a key
// indented more than the one before it), which are reported where they
// are, in words. Any other error keeps the parser's message.
func yamlError(data []byte, err error) *syntaxError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line, msg = n, rest[i+2:]
			}
		}
	}
	lines := splitLines(data)
	if len(lines) == 0 {
		return &syntaxError{msg: "invalid YAML: " + clipText(msg, 200)}
	}
	if s, ok := scanYAML(lines); ok {
		s.pointer = pointerAt(lines, s.line, s.col, s.indent)
		return s.syntaxError(lines)
	}
	// The parser counts the lines of its own errors from 0 and those of
	// the scanner from 1.
	if parserMessage(msg) {
		line++
	}
	line = max(1, min(line, len(lines)))
	if s, ok := overIndented(lines, line, msg); ok {
		return s.syntaxError(lines)
	}
	if s, ok := colonInValue(lines, line, msg); ok {
		return s.syntaxError(lines)
	}
	ln := lines[line-1]
	ind := indentOf(ln)
	return &syntaxError{
		pointer: pointerAt(lines, line, ind, ind),
		line:    line,
		msg:     "invalid YAML: " + clipText(msg, 200),
	}
}

// parserMessage reports whether msg is one of the YAML parser's, as
// opposed to its scanner's.
func parserMessage(msg string) bool {
	for _, p := range []string{
		"did not find expected node content", "did not find expected key",
		"did not find expected '-' indicator", "did not find expected ',' or",
		"did not find expected <",
	} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// spot is a place in a YAML text: a line from 1 and a byte offset in it
// from 0, the offset of the line's content (its indentation), and what is
// wrong there.
type spot struct {
	line, col, indent int
	pointer           string
	msg               string
}

func (s spot) syntaxError(lines [][]byte) *syntaxError {
	ln := lines[s.line-1]
	col := 1 + utf8.RuneCount(ln[:min(s.col, len(ln))])
	return &syntaxError{pointer: s.pointer, line: s.line, col: col, msg: "invalid YAML: " + s.msg}
}

// splitLines splits data into lines, without their line breaks.
func splitLines(data []byte) [][]byte {
	lines := bytes.Split(data, []byte{'\n'})
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = bytes.TrimSuffix(l, []byte{'\r'})
	}
	return lines
}

// indentOf returns the number of spaces that start ln.
func indentOf(ln []byte) int {
	i := 0
	for i < len(ln) && ln[i] == ' ' {
		i++
	}
	return i
}

// contentOf returns the offset of the first byte of ln that is not a
// space or a tab, and whether ln holds anything but blanks and a comment.
func contentOf(ln []byte) (int, bool) {
	i := 0
	for i < len(ln) && (ln[i] == ' ' || ln[i] == '\t') {
		i++
	}
	return i, i < len(ln) && ln[i] != '#'
}

// scanYAML looks for the first of these mistakes in a YAML text: a tab in
// the indentation of a line, a quoted value that is not closed, a flow
// list or mapping ("[", "{") that is not closed. It follows YAML's lexical
// structure far enough to tell them apart from the same characters in
// comments, quoted values and block scalars.
func scanYAML(lines [][]byte) (spot, bool) {
	type opening struct {
		line, col, indent int
		c                 byte
	}
	var (
		flows []opening
		quote *opening // a quoted value that goes on to the next line
		block = -1     // the indentation of the line that starts a block scalar
	)
	unclosedFlow := func() spot {
		f := flows[0]
		what, end := "list", "]"
		if f.c == '{' {
			what, end = "mapping", "}"
		}
		return spot{line: f.line, col: f.col, indent: f.indent,
			msg: "the " + what + " opened here with " + string(f.c) + " is not closed with " + end}
	}
	unclosedQuote := func() spot {
		return spot{line: quote.line, col: quote.col, indent: quote.indent,
			msg: "the quoted value that starts here has no closing " + string(quote.c)}
	}
	for i, ln := range lines {
		indent := indentOf(ln)
		content, nonBlank := contentOf(ln)
		if block >= 0 {
			if !nonBlank && content == len(ln) || indent > block {
				continue
			}
			block = -1
		}
		j := 0
		if quote != nil {
			if content < len(ln) && indent <= quote.indent && len(flows) == 0 {
				return unclosedQuote(), true
			}
			end, closed := closeQuote(ln, 0, quote.c)
			if !closed {
				continue
			}
			quote, j = nil, end
		} else {
			if len(flows) > 0 && nonBlank && indent <= flows[0].indent && ln[content] != ']' && ln[content] != '}' {
				return unclosedFlow(), true
			}
			if t := bytes.IndexByte(ln[:content], '\t'); t >= 0 && nonBlank && len(flows) == 0 {
				return spot{line: i + 1, col: t, indent: t,
					msg: "a tab indents this line; YAML indents with spaces only"}, true
			}
		}
		start := j == 0 // at the start of a token
	tokens:
		for j < len(ln) {
			c := ln[j]
			switch {
			case c == ' ' || c == '\t':
				j++
				continue
			case c == '#' && (j == 0 || ln[j-1] == ' ' || ln[j-1] == '\t'):
				break tokens
			case start && (c == '"' || c == '\''):
				end, closed := closeQuote(ln, j+1, c)
				if !closed {
					quote = &opening{line: i + 1, col: j, indent: indent, c: c}
					break tokens
				}
				j, start = end, false
				continue
			case start && (c == '|' || c == '>') && len(flows) == 0 && blockHeader(ln[j+1:]):
				block = indent
				break tokens
			case start && (c == '[' || c == '{'):
				flows = append(flows, opening{line: i + 1, col: j, indent: indent, c: c})
				j++
				continue
			case len(flows) > 0 && (c == ']' || c == '}'):
				if want := flows[len(flows)-1].c + 2; c != want { // '['+2 == ']', '{'+2 == '}'
					// The innermost one is left open.
					flows = flows[len(flows)-1:]
					return unclosedFlow(), true
				}
				flows = flows[:len(flows)-1]
				j, start = j+1, false
				continue
			case len(flows) > 0 && c == ',':
				j, start = j+1, true
				continue
			case c == ':' && (j+1 == len(ln) || ln[j+1] == ' ' || ln[j+1] == '\t' ||
				len(flows) > 0 && strings.IndexByte(",[]{}", ln[j+1]) >= 0):
				j, start = j+1, true
				continue
			case start && (c == '-' || c == '?') && (j+1 == len(ln) || ln[j+1] == ' '):
				j++
				continue
			case start && (c == '&' || c == '!'):
				for j < len(ln) && ln[j] != ' ' {
					j++
				}
				continue
			}
			j, start = j+1, false
		}
	}
	switch {
	case quote != nil:
		return unclosedQuote(), true
	case len(flows) > 0:
		return unclosedFlow(), true
	}
	return spot{}, false
}

// closeQuote returns the offset after the quote c that closes a quoted
// value of ln starting at from, and whether there is one.
func closeQuote(ln []byte, from int, c byte) (int, bool) {
	for j := from; j < len(ln); j++ {
		switch {
		case c == '"' && ln[j] == '\\':
			j++
		case ln[j] == c && c == '\'' && j+1 < len(ln) && ln[j+1] == '\'':
			j++
		case ln[j] == c:
			return j + 1, true
		}
	}
	return 0, false
}

// blockHeader reports whether rest, what follows "|" or ">", completes
// the header of a block scalar.
func blockHeader(rest []byte) bool {
	i := 0
	for i < len(rest) && (rest[i] == '-' || rest[i] == '+' || rest[i] >= '1' && rest[i] <= '9') {
		i++
	}
	return i == len(rest) || rest[i] == ' ' || rest[i] == '\t'
}

// overIndented reports a line, at which the parser found a key or a list
// item where none may be, that is indented more than the line before it
// although that line has a value: the usual cause of the parser's
// "mapping values are not allowed in this context".
func overIndented(lines [][]byte, line int, msg string) (spot, bool) {
	if !strings.HasPrefix(msg, "mapping values are not allowed") &&
		!strings.HasPrefix(msg, "block sequence entries are not allowed") {
		return spot{}, false
	}
	ln := lines[line-1]
	ind := indentOf(ln)
	prev := line - 1
	for prev > 0 {
		if _, ok := contentOf(lines[prev-1]); ok {
			break
		}
		prev--
	}
	if prev == 0 || indentOf(lines[prev-1]) >= ind {
		return spot{}, false
	}
	pind := indentOf(lines[prev-1])
	key, pkey := keyOf(ln[ind:]), keyOf(lines[prev-1][pind:])
	if pkey != "" {
		v := bytes.TrimSpace(lines[prev-1][pind+len(pkey)+1:])
		if len(v) == 0 || v[0] == '#' || v[0] == '|' || v[0] == '>' || v[0] == '&' || v[0] == '!' {
			return spot{}, false // the line before opens what follows
		}
	}
	s := spot{line: line, col: ind, indent: ind}
	switch {
	case key != "" && pkey != "":
		s.msg = "key " + excerpt(key) + " is indented more than " + excerpt(pkey) +
			" on the line before; keys of one mapping line up"
		s.pointer = pointerAt(lines, prev, pind, pind) + "/" + escapeToken(key)
	default:
		s.msg = "this line is indented more than the line before it, which has a value"
		s.pointer = pointerAt(lines, line, ind, ind)
	}
	return s, true
}

// colonInValue reports a plain value that holds ": " (name: a: b), the
// other usual cause of the parser's "mapping values are not allowed in
// this context".
func colonInValue(lines [][]byte, line int, msg string) (spot, bool) {
	if !strings.HasPrefix(msg, "mapping values are not allowed") {
		return spot{}, false
	}
	ln := lines[line-1]
	ind := indentOf(ln)
	key := keyOf(ln[ind:])
	if key == "" {
		return spot{}, false
	}
	at := ind + len(key) + 1 // after the key's colon
	rest := ln[at:]
	i := bytes.Index(rest, []byte(": "))
	if i < 0 && bytes.HasSuffix(rest, []byte(":")) {
		i = len(rest) - 1
	}
	if i < 0 || bytes.ContainsAny(rest[:i], "\"'#[{") {
		return spot{}, false
	}
	return spot{line: line, col: at + i, indent: ind,
		pointer: pointerAt(lines, line, ind, ind) + "/" + escapeToken(key),
		msg:     "the value of " + excerpt(key) + ` holds ": "; put the value in quotes`}, true
}

// keyOf returns the plain key that starts s ("name: x", "name:"), or "".
func keyOf(s []byte) string {
	i := bytes.IndexByte(s, ':')
	if i <= 0 || i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\t' {
		return ""
	}
	k := string(s[:i])
	if strings.ContainsAny(k, "\"'[]{}#,&*!|>%@`") || strings.HasPrefix(k, "- ") || strings.HasPrefix(k, "? ") {
		return ""
	}
	return k
}

// pointerAt returns the JSON pointer of the field that the place at byte
// col of line (from 1) is in, as far as the text before it shows: the
// last key before it whose column is left of indent (the place's
// indentation), or a key on the same line, and so on inward. It is "" when
// the text before the place does not parse.
func pointerAt(lines [][]byte, line, col, indent int) string {
	var b bytes.Buffer
	for _, l := range lines[:line-1] {
		b.Write(l)
		b.WriteByte('\n')
	}
	b.Write(lines[line-1][:min(col, len(lines[line-1]))])
	var root yaml.Node
	if err := yaml.Unmarshal(b.Bytes(), &root); err != nil {
		// The line itself does not parse as far as the place: take the
		// field of the line's key.
		b.Truncate(b.Len() - min(col, len(lines[line-1])))
		root = yaml.Node{}
		if yaml.Unmarshal(b.Bytes(), &root) != nil {
			return ""
		}
		ln := lines[line-1]
		ind := indentOf(ln)
		if k := keyOf(ln[ind:]); k != "" && col > ind {
			return pointerIn(&root, line, ind) + "/" + escapeToken(k)
		}
		return pointerIn(&root, line, indent)
	}
	return pointerIn(&root, line, indent)
}

// pointerIn returns the pointer of the last field in root whose key is
// on line, or left of indent; see pointerAt.
func pointerIn(root *yaml.Node, line, indent int) string {
	var toks []any
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for len(toks) < maxDepth {
		switch {
		case n.Kind == yaml.MappingNode && len(n.Content) >= 2:
			k := n.Content[len(n.Content)-2]
			if k.Line != line && k.Column-1 >= indent {
				return Pointer(toks...)
			}
			toks = append(toks, k.Value)
			n = n.Content[len(n.Content)-1]
		case n.Kind == yaml.SequenceNode && len(n.Content) > 0:
			e := n.Content[len(n.Content)-1]
			if e.Line != line && e.Column-1 > indent {
				return Pointer(toks...)
			}
			toks = append(toks, len(n.Content)-1)
			n = e
		default:
			return Pointer(toks...)
		}
	}
	return Pointer(toks...)
}
