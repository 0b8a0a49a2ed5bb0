package document

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/aimskit/aimskit/internal/schema"
	"github.com/aimskit/aimskit/internal/suggest"
)

// patternWords says in words what the patterns of aimskit's schemas
// accept.
var patternWords = map[string]string{
	`^[1-8]\([a-e]\)$`: "an Annex III point such as 4(a): an area 1 to 8, then a point a to e in parentheses",
	`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`: "a UUID such as 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10",
	`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`:                "a UUID in lower case such as 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10",
	`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`:                                                  "a date written YYYY-MM-DD, such as 2026-08-02",
	`^iso42001:([4-9]|10)(\.[1-9][0-9]?){0,2}$`:                                     "an ISO/IEC 42001 clause such as iso42001:6.1.2",
	`^iso42001:A\.([2-9]|10)(\.[1-9][0-9]?){1,2}$`:                                  "an ISO/IEC 42001 Annex A control such as iso42001:A.6.2.4",
	`^sha256:[0-9a-f]{64}$`:                                                         "a digest written sha256: and 64 lower-case hexadecimal digits",
	`^[a-z][a-z0-9-]*:[A-Za-z0-9._-]+$`:                                             "a control written namespace:ref, such as iso42001:A.6.2.4 or org:SEC-01",
	`^[a-z][a-z0-9-]{0,31}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`:                        "a control written namespace:ref, such as iso42001:A.6.2.4 or org:SEC-01",
	`^\S(.*\S)?$`:                  "text that neither starts nor ends with a space",
	`^[^\n]+$`:                     "one line of text",
	`^[A-Z]{2}$`:                   "a two-letter country code in capitals, such as DE",
	`^.+@.+$`:                      "an email address",
	`^[a-z0-9][a-z0-9._-]*$`:       "a name of lower-case letters, digits, dots, dashes and underscores",
	`^[a-z0-9][a-z0-9._-]{0,127}$`: "a name of at most 128 lower-case letters, digits, dots, dashes and underscores",
}

// formatWords says in words what the formats of JSON Schema accept.
var formatWords = map[string]string{
	"date":          "a date written YYYY-MM-DD, such as 2026-08-02",
	"date-time":     "a date and time as RFC 3339 writes them, such as 2026-08-02T09:30:00Z",
	"email":         "an email address",
	"idn-email":     "an email address",
	"uri":           "an absolute URI, such as https://example.com/policy",
	"uri-reference": "a URI or a reference relative to one",
	"iri-reference": "a URI or a reference relative to one",
}

// addViolation turns a schema violation into problems that point at the
// field itself, saying in words what is expected where it can: a missing
// or unknown property gets its own pointer, an unknown one the closest
// name the schema allows there. tree is the document; x finds the YAML
// nodes of values, and is nil for JSON.
func addViolation(e *Error, file string, v schema.Violation, tree any, x *lineIndex) {
	add := func(ptr, msg string) {
		e.Problems = append(e.Problems, Problem{File: file, Pointer: ptr, Message: msg})
	}
	switch v.Keyword {
	case "required":
		if names := quotedNames(v.Message); len(names) > 0 {
			for _, n := range names {
				add(v.Pointer+"/"+escapeToken(n), "is required")
			}
			return
		}
	case "additionalProperties", "unevaluatedProperties":
		if names := quotedNames(v.Message); len(names) > 0 {
			for _, n := range names {
				msg := "unknown field"
				if s, ok := suggest.Closest(n, v.Expected); ok {
					msg = fmt.Sprintf("unknown field %s; did you mean %s?", nameText(n), nameText(s))
				}
				add(v.Pointer+"/"+escapeToken(n), msg)
			}
			return
		}
	case "pattern", "format":
		words := ""
		if len(v.Expected) == 1 {
			if v.Keyword == "pattern" {
				words = patternWords[v.Expected[0]]
			} else {
				words = formatWords[v.Expected[0]]
			}
		}
		if val, ok := valueAt(tree, v.Pointer); ok && words != "" {
			add(v.Pointer, quoteAny(val)+" is not "+words)
			return
		}
	case "type":
		if msg, ok := quoteHint(v, tree, x); ok {
			add(v.Pointer, msg)
			return
		}
	}
	add(v.Pointer, v.Message)
}

// quoteHint returns the message for a number or a boolean where a string
// is expected, which YAML gives for an unquoted version (version: 3.10)
// and an unquoted yes: it shows the value in quotes, as written.
func quoteHint(v schema.Violation, tree any, x *lineIndex) (string, bool) {
	if len(v.Expected) != 1 || v.Expected[0] != "string" {
		return "", false
	}
	val, _ := valueAt(tree, v.Pointer)
	var what, text string
	switch val := val.(type) {
	case json.Number:
		what, text = "number", val.String()
	case bool:
		what, text = "boolean", strconv.FormatBool(val)
	default:
		return "", false
	}
	if n := x.node(v.Pointer); n != nil {
		text = n.Value
	}
	if len(text) > excerptLen {
		return "", false
	}
	quoted := strconv.Quote(text)
	if key := lastToken(v.Pointer); key != "" {
		if _, err := strconv.Atoi(key); err != nil {
			if x == nil {
				quoted = strconv.Quote(key) + ": " + quoted
			} else {
				quoted = nameText(key) + ": " + quoted
			}
		}
	}
	return fmt.Sprintf("expected a string, but got the %s %s; put it in quotes: %s", what, text, quoted), true
}

// nameText returns a field or kind name as a message shows it: as it is
// when it is plain and short, as an excerpt otherwise.
func nameText(s string) string {
	if plain(s) && len(s) <= excerptLen && !strings.ContainsAny(s, " :") {
		return s
	}
	return excerpt(s)
}

// lastToken returns the last reference token of a pointer, unescaped.
func lastToken(pointer string) string {
	i := strings.LastIndexByte(pointer, '/')
	if i < 0 {
		return ""
	}
	return strings.ReplaceAll(strings.ReplaceAll(pointer[i+1:], "~1", "/"), "~0", "~")
}

// valueAt returns the value at a JSON pointer in a tree of decoded JSON.
func valueAt(tree any, pointer string) (any, bool) {
	if pointer == "" {
		return tree, true
	}
	v := tree
	for tok := range strings.SplitSeq(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}
