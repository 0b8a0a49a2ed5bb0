package document

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalid is the sentinel every [*Error] matches with [errors.Is].
var ErrInvalid = errors.New("document: invalid")

// Problem is one thing wrong with a document.
type Problem struct {
	// File is the name of the file that holds the document, as given to
	// the decoder. It is empty for values that were not read from a file.
	File string `json:"file,omitempty"`
	// Pointer is the RFC 6901 JSON pointer to the offending field. The
	// empty pointer means the document as a whole.
	Pointer string `json:"pointer"`
	// Message says what is wrong, in lower case and without a final period.
	Message string `json:"message"`
	// Line is the line of the field in a YAML file, or of its closest
	// enclosing field when the field is missing; 0 when unknown.
	Line int `json:"line,omitempty"`
	// Column is the column, in characters from 1, of a syntax error, a
	// repeated key or another problem found while parsing; 0 when unknown
	// or not given.
	Column int `json:"column,omitempty"`
}

// String formats p as "file:pointer: message (line N, column M)",
// leaving out the parts that are empty or zero. It is one line of printable text: a file name
// with characters that are not printable (a line break, a terminal
// escape), a quote or a backslash is quoted as a Go string literal, and
// such characters in the pointer and the message are escaped likewise;
// each reference token of the pointer is cut to 40 characters.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(quoteName(p.File))
		b.WriteByte(':')
	}
	if p.Pointer != "" {
		b.WriteString(displayPointer(p.Pointer))
		b.WriteByte(':')
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(escape(p.Message))
	switch {
	case p.Line > 0 && p.Column > 0:
		fmt.Fprintf(&b, " (line %d, column %d)", p.Line, p.Column)
	case p.Line > 0:
		fmt.Fprintf(&b, " (line %d)", p.Line)
	}
	return b.String()
}

// Error is the error for one or more problems with one or more documents.
// It matches [ErrInvalid] with [errors.Is]; use [errors.As] to read the
// problems.
//
// The zero value is an empty list ready to use: validation code calls
// [Error.Add] for each problem and returns [Error.Err]. An Error is not
// safe for concurrent use while it is being built.
type Error struct {
	Problems []Problem
}

// Add appends a problem at the given pointer, with a message formatted as
// by [fmt.Sprintf].
func (e *Error) Add(pointer, format string, args ...any) {
	e.Problems = append(e.Problems, Problem{Pointer: pointer, Message: fmt.Sprintf(format, args...)})
}

// Merge appends the problems of err, with prefix prepended to their
// pointers. It is meant for nested validation: a parent validates a child
// and merges its problems under the child's pointer. An err that is not an
// [*Error] becomes one problem at prefix. A nil err adds nothing.
func (e *Error) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	var de *Error
	if !errors.As(err, &de) {
		e.Add(prefix, "%v", err)
		return
	}
	for _, p := range de.Problems {
		p.Pointer = prefix + p.Pointer
		e.Problems = append(e.Problems, p)
	}
}

// Err returns e when it holds problems, and nil otherwise.
func (e *Error) Err() error {
	if e == nil || len(e.Problems) == 0 {
		return nil
	}
	return e
}

// Error lists the problems, one per line.
func (e *Error) Error() string {
	switch len(e.Problems) {
	case 0:
		return "document: invalid"
	case 1:
		return e.Problems[0].String()
	}
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns [ErrInvalid].
func (e *Error) Unwrap() error { return ErrInvalid }

// Pointer builds an RFC 6901 JSON pointer from reference tokens. Strings
// are escapes ("~" becomes "~0", "/" becomes "~1"); integers are array
// indexes. Pointer() is "", the whole document.
func Pointer(tokens ...any) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		switch t := t.(type) {
		case string:
			b.WriteString(escapeToken(t))
		case int:
			b.WriteString(strconv.Itoa(t))
		default:
			b.WriteString(escapeToken(fmt.Sprint(t)))
		}
	}
	return b.String()
}

var tokenEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return tokenEscaper.Replace(s)
}
