package document

import "fmt"

// Locator finds where the values of one YAML or JSON document are, by
// JSON pointer: the line that [Problem.Line] gives, and the column too.
// Tools use it to point at a field, as code-scanning annotations and
// editors do. A Locator is immutable after [NewLocator] returns it; it is
// used by one goroutine.
type Locator struct {
	x lineIndex
}

// NewLocator parses a document, YAML or JSON, for [Locator.Locate]. JSON
// is read as the YAML it also is, so that its values have lines too. It
// refuses a document larger than [DefaultMaxSize] or with more than
// DefaultMaxSize/4 values, and one that does not parse; it never panics.
func NewLocator(data []byte) (*Locator, error) {
	if len(data) > DefaultMaxSize {
		return nil, fmt.Errorf("document: locate: document is %d bytes, larger than the limit of %d bytes", len(data), DefaultMaxSize)
	}
	_, root, err := parseYAML(data, DefaultMaxSize/4)
	if err != nil {
		return nil, fmt.Errorf("document: locate: %w", err)
	}
	return &Locator{x: lineIndex{root: root}}, nil
}

// Locate returns the line and the column, both counted from 1 (the column
// in characters), of the value at pointer, or of its deepest existing
// ancestor when there is no such value, as [Problem.Line] is found: for a
// block mapping or sequence that is its first entry. It returns 0, 0 for
// a pointer that is not a JSON pointer.
func (l *Locator) Locate(pointer string) (line, column int) {
	if pointer != "" && pointer[0] != '/' {
		return 0, 0
	}
	n, _ := l.x.walk(pointer)
	if n == nil {
		return 0, 0
	}
	return n.Line, n.Column
}
