package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits on kinds and ids.
const (
	// MaxKindLen is the longest valid kind, in characters.
	MaxKindLen = 64
	// MaxIDLen is the longest valid id, in characters.
	MaxIDLen = 128
)

// validKind reports whether kind is a valid document kind: 1 to
// [MaxKindLen] ASCII letters and digits, starting with a letter, such as
// "AISystem". The error matches [ErrInvalid] and says what is wrong.
func validKind(kind string) error {
	switch {
	case kind == "":
		return invalidf("store: invalid kind: must not be empty")
	case len(kind) > MaxKindLen:
		return invalidf("store: invalid kind %s: longer than %d characters", quote(kind), MaxKindLen)
	case !isLetter(kind[0]):
		return invalidf("store: invalid kind %s: must start with a letter", quote(kind))
	}
	for i := 1; i < len(kind); i++ {
		if !isLetter(kind[i]) && !isDigit(kind[i]) {
			return invalidf("store: invalid kind %s: must contain only letters and digits, not %s", quote(kind), quote(firstRune(kind[i:])))
		}
	}
	return nil
}

// validID reports whether id is a valid document id: 1 to [MaxIDLen]
// ASCII letters, digits, '.', '_' and '-', starting with a letter or a
// digit. Such an id is never "." or "..", never contains a path separator
// and never names a hidden file, so an implementation can use it as a file
// name that stays inside its folder. The error matches [ErrInvalid] and
// says what is wrong.
func validID(id string) error {
	switch {
	case id == "":
		return invalidf("store: invalid id: must not be empty")
	case len(id) > MaxIDLen:
		return invalidf("store: invalid id %s: longer than %d characters", quote(id), MaxIDLen)
	case strings.ContainsAny(id, `/\`):
		i := strings.IndexAny(id, `/\`)
		return invalidf("store: invalid id %s: must not contain %q", quote(id), id[i:i+1])
	case id == "." || id == "..":
		return invalidf("store: invalid id %q: must not be \".\" or \"..\"", id)
	case !isLetter(id[0]) && !isDigit(id[0]):
		return invalidf("store: invalid id %s: must start with a letter or a digit", quote(id))
	}
	for i := 1; i < len(id); i++ {
		c := id[i]
		if !isLetter(c) && !isDigit(c) && c != '.' && c != '_' && c != '-' {
			return invalidf("store: invalid id %s: must contain only letters, digits, '.', '_' and '-', not %s", quote(id), quote(firstRune(id[i:])))
		}
	}
	return nil
}

// validKey reports whether kind and id are valid.
func validKey(kind, id string) error {
	if err := validKind(kind); err != nil {
		return err
	}
	return validID(id)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// firstRune returns the first UTF-8 sequence of s, or its first byte if s
// does not start with valid UTF-8.
func firstRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

// quote quotes s for an error message, shortening it if it is long.
func quote(s string) string {
	const max = 40
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q...", s[:max])
}

// checkData returns what is wrong with the data of a document of the
// given kind, or "".
func checkData(kind string, data []byte) string {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return "data is empty"
	case !json.Valid(data):
		return "data is not valid JSON"
	case trimmed[0] != '{':
		return "data is not a JSON object"
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return "data is not a JSON object"
	}
	raw, ok := top["kind"]
	if !ok {
		return ""
	}
	var k string
	if err := json.Unmarshal(raw, &k); err != nil {
		return "data member \"kind\" is not a string"
	}
	if k != kind {
		return fmt.Sprintf("data member \"kind\" is %q, not %q", k, kind)
	}
	return ""
}

// Filter selects documents for [Store.List]. The zero value selects every
// document. A Filter is a plain value; a store does not keep it.
type Filter struct {
	// Kind selects the documents of one kind; "" selects all kinds.
	Kind string
	// IDs selects the documents with one of these ids; empty selects all
	// ids.
	IDs []string
	// Labels selects the documents whose top-level "labels" object has
	// every one of these members with the same string value; empty selects
	// all documents.
	Labels map[string]string
}

// Validate reports whether f's kind and ids are valid. The error matches
// [ErrInvalid].
func (f Filter) Validate() error {
	if f.Kind != "" {
		if err := validKind(f.Kind); err != nil {
			return err
		}
	}
	for _, id := range f.IDs {
		if err := validID(id); err != nil {
			return err
		}
	}
	return nil
}

// Match reports whether f selects d. It decodes d.Data only if f has
// labels; data that is not a JSON object, or a "labels" member that is not
// an object, matches no labels.
func (f Filter) Match(d *Document) bool {
	if d == nil {
		return false
	}
	if f.Kind != "" && d.Kind != f.Kind {
		return false
	}
	if len(f.IDs) > 0 && !slices.Contains(f.IDs, d.ID) {
		return false
	}
	if len(f.Labels) == 0 {
		return true
	}
	// Maps, not structs, so that member names match exactly: encoding/json
	// matches struct field names without regard to case.
	var top, labels map[string]json.RawMessage
	if err := json.Unmarshal(d.Data, &top); err != nil {
		return false
	}
	if err := json.Unmarshal(top["labels"], &labels); err != nil {
		return false
	}
	for k, want := range f.Labels {
		raw, ok := labels[k]
		if !ok {
			return false
		}
		var got string
		if err := json.Unmarshal(raw, &got); err != nil || got != want {
			return false
		}
	}
	return true
}
