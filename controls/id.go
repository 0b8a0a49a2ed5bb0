package controls

import (
	"errors"
	"fmt"
	"strings"
)

// NamespaceISO42001 is the namespace of the identifiers of ISO/IEC
// 42001:2023: Annex A controls and objectives ("iso42001:A.6.2.8") and the
// requirement clauses 4 to 10 ("iso42001:6.1.3"). Organisation-defined
// controls must use another namespace.
const NamespaceISO42001 = "iso42001"

// ErrInvalidID is returned (wrapped) by [ParseID] for a string that is not
// a well-formed [ID].
var ErrInvalidID = errors.New("controls: invalid id")

// ID identifies a control, a control objective or a clause. It is written
// "namespace:ref": the namespace says whose catalogue the reference belongs
// to and the reference is that catalogue's own number, e.g.
// "iso42001:A.6.2.8" for an Annex A control, "iso42001:6.1.3" for a clause
// of ISO/IEC 42001, or "org:SEC-01" for a control the organisation defines.
//
// A namespace is a lower-case letter followed by up to 31 lower-case
// letters, digits or hyphens. A reference starts with a letter or digit and
// continues with up to 63 letters, digits, dots, underscores or hyphens.
//
// The zero value is the empty, invalid ID.
type ID string

const (
	maxNamespaceLen = 32
	maxRefLen       = 64
)

// ParseID parses s as an [ID]. It returns an error wrapping
// [ErrInvalidID] when s is not of the form "namespace:ref".
func ParseID(s string) (ID, error) {
	if !validID(s) {
		return "", fmt.Errorf("%w %q: want namespace:ref, e.g. iso42001:A.6.2.8", ErrInvalidID, s)
	}
	return ID(s), nil
}

// Split returns the namespace and the reference of id, cutting at the first
// colon. For an id without a colon the namespace is empty and ref is the
// whole id.
func (id ID) Split() (namespace, ref string) {
	ns, r, ok := strings.Cut(string(id), ":")
	if !ok {
		return "", string(id)
	}
	return ns, r
}

// Namespace returns the part of id before the first colon, e.g.
// "iso42001", or "" when id has no colon.
func (id ID) Namespace() string {
	ns, _ := id.Split()
	return ns
}

// Ref returns the part of id after the first colon, e.g. "A.6.2.8", or the
// whole id when it has no colon.
func (id ID) Ref() string {
	_, r := id.Split()
	return r
}

// String returns id as written.
func (id ID) String() string { return string(id) }

func validID(s string) bool {
	ns, ref, ok := strings.Cut(s, ":")
	if !ok || len(ns) == 0 || len(ns) > maxNamespaceLen || len(ref) == 0 || len(ref) > maxRefLen {
		return false
	}
	for i := 0; i < len(ns); i++ {
		c := ns[i]
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}
