// Package schema compiles the embedded JSON Schemas of aimskit's document
// kinds and validates decoded documents against them.
//
// It is the only package that imports the JSON Schema library, so that no
// type of that library appears in aimskit's exported API. Schemas are
// registered under their absolute "$id", compiled once for draft 2020-12, and
// nothing is ever loaded from outside: a "$ref" to a schema that was not
// registered is a compile error. [CompileExternal] compiles the official
// schemas of the formats aimskit writes (SARIF, CycloneDX, OSCAL, SPDX) in
// the same way, for their own draft, so that tests hold outputs to them.
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Violation is one way in which a value does not match a schema.
type Violation struct {
	// Pointer is the RFC 6901 JSON pointer to the offending value ("" for
	// the root).
	Pointer string
	// Keyword is the schema keyword that failed, e.g. "required".
	Keyword string
	// Message says what is wrong, in lower case. It quotes at most a short
	// excerpt of the value (see [excerptLen]).
	Message string
	// Expected is what the keyword asks for, where the schema says it:
	// for "additionalProperties" the names of the properties allowed
	// there, sorted; for "pattern" the pattern; for "format" the format;
	// for "type" the types. It is nil otherwise.
	Expected []string
}

// Set is a set of compiled schemas keyed by their "$id". It is immutable
// after [Compile] and safe for concurrent use.
type Set struct {
	schemas map[string]*jsonschema.Schema
	raw     map[string]any // each schema decoded, to read keywords' values
}

// Compile compiles the given schemas. Each must be a JSON object with an
// absolute "$id"; schemas may refer to each other by that id.
func Compile(schemas ...[]byte) (*Set, error) {
	rs := make([]Resource, 0, len(schemas))
	for i, raw := range schemas {
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return nil, fmt.Errorf("schema: compile: schema %d: %w", i, err)
		}
		if !strings.Contains(head.ID, "://") {
			return nil, fmt.Errorf("schema: compile: schema %d: $id %q is not an absolute URL", i, head.ID)
		}
		rs = append(rs, Resource{URL: head.ID, Schema: raw})
	}
	return compile(jsonschema.Draft2020, rs)
}

// Draft is a version of JSON Schema, for [CompileExternal].
type Draft int

// Drafts.
const (
	DraftUnspecified Draft = iota
	Draft4                 // draft-04, used by SARIF 2.1.0
	Draft7                 // draft-07, used by CycloneDX and OSCAL
	Draft2020              // draft 2020-12, used by aimskit and SPDX 3
)

// Resource is one schema and the absolute URL it is registered and
// compiled under, which should be its own "$id" ("id" in draft-04).
type Resource struct {
	URL    string
	Schema []byte
}

// CompileExternal compiles the official schemas of another format, such
// as SARIF or CycloneDX, for draft: each resource under its URL, which is
// also the id [Set.Validate] takes. As with [Compile], nothing is loaded
// from outside: a "$ref" to a schema not among resources is a compile
// error.
func CompileExternal(draft Draft, resources ...Resource) (*Set, error) {
	d, ok := map[Draft]*jsonschema.Draft{Draft4: jsonschema.Draft4, Draft7: jsonschema.Draft7, Draft2020: jsonschema.Draft2020}[draft]
	if !ok {
		return nil, fmt.Errorf("schema: compile: unknown draft %d", draft)
	}
	for _, r := range resources {
		if !strings.Contains(r.URL, "://") {
			return nil, fmt.Errorf("schema: compile: %q is not an absolute URL", r.URL)
		}
	}
	return compile(d, resources)
}

func compile(draft *jsonschema.Draft, resources []Resource) (*Set, error) {
	c := jsonschema.NewCompiler()
	c.Draft = draft
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema: %s is not an embedded schema", u)
	}
	s := &Set{schemas: make(map[string]*jsonschema.Schema, len(resources)), raw: make(map[string]any, len(resources))}
	for i, r := range resources {
		if err := c.AddResource(r.URL, bytes.NewReader(r.Schema)); err != nil {
			return nil, fmt.Errorf("schema: compile %s: %w", r.URL, err)
		}
		var doc any
		if err := json.Unmarshal(r.Schema, &doc); err != nil {
			return nil, fmt.Errorf("schema: compile: schema %d: %w", i, err)
		}
		s.raw[r.URL] = doc
	}
	for _, r := range resources {
		sch, err := c.Compile(r.URL)
		if err != nil {
			return nil, fmt.Errorf("schema: compile %s: %w", r.URL, err)
		}
		s.schemas[r.URL] = sch
	}
	return s, nil
}

// Validate validates v, a value decoded by encoding/json with UseNumber,
// against the schema with the given id. It returns nil when v is valid and
// otherwise every leaf violation, sorted by pointer. An unknown id is an
// error.
func (s *Set) Validate(id string, v any) ([]Violation, error) {
	sch, ok := s.schemas[id]
	if !ok {
		return nil, fmt.Errorf("schema: validate: no schema %s", id)
	}
	err := sch.Validate(v)
	if err == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, fmt.Errorf("schema: validate: %w", err)
	}
	var out []Violation
	s.collect(ve, &out)
	// Missing properties come first at their pointer, also when an
	// if/then asks for them, which is evaluated after the other keywords.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pointer != out[j].Pointer {
			return out[i].Pointer < out[j].Pointer
		}
		return out[i].Keyword == "required" && out[j].Keyword != "required"
	})
	return dedupe(out), nil
}

// collect gathers the leaves of the error tree: those are the specific
// failures, while inner nodes only say "doesn't validate with ...".
func (s *Set) collect(ve *jsonschema.ValidationError, out *[]Violation) {
	if len(ve.Causes) == 0 {
		kw := lastSegment(ve.KeywordLocation)
		*out = append(*out, Violation{
			Pointer:  ve.InstanceLocation,
			Keyword:  kw,
			Message:  shorten(kw, ve.Message),
			Expected: s.expected(kw, ve.AbsoluteKeywordLocation),
		})
		return
	}
	for _, c := range ve.Causes {
		s.collect(c, out)
	}
}

// expected returns what the keyword at loc, an absolute keyword location
// ("https://…/x.json#/properties/a/pattern"), asks for; see
// [Violation.Expected].
func (s *Set) expected(keyword, loc string) []string {
	id, frag, _ := strings.Cut(loc, "#")
	v, ok := s.raw[id]
	if !ok {
		return nil
	}
	toks := strings.Split(frag, "/")[1:]
	if len(toks) == 0 {
		return nil
	}
	for _, t := range toks[:len(toks)-1] {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if v, ok = m[strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")]; !ok {
			return nil
		}
	}
	parent, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	switch keyword {
	case "additionalProperties":
		props, _ := parent["properties"].(map[string]any)
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		sort.Strings(names)
		return names
	case "pattern", "format":
		if p, ok := parent[keyword].(string); ok {
			return []string{p}
		}
	case "type":
		switch t := parent["type"].(type) {
		case string:
			return []string{t}
		case []any:
			var ts []string
			for _, x := range t {
				if x, ok := x.(string); ok {
					ts = append(ts, x)
				}
			}
			return ts
		}
	}
	return nil
}

// excerptLen is the most characters of a value a message quotes.
const excerptLen = 40

// shorten cuts the value a message of the validator quotes to an excerpt:
// the messages of "format" start with the value, those of the numeric
// keywords end with it. The validator escapes what it quotes.
func shorten(keyword, msg string) string {
	switch keyword {
	case "format":
		if i := strings.LastIndex(msg, " is not valid "); i > 0 {
			if v, cut := cutAt(msg[:i], excerptLen+1); cut {
				return v + "'..." + msg[i:]
			}
		}
	case "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf":
		if v, cut := cutAt(msg, 2*excerptLen); cut {
			return v + "..."
		}
	}
	return msg
}

// cutAt returns the first n characters of s, and whether that is shorter
// than s.
func cutAt(s string, n int) (string, bool) {
	i := 0
	for range n {
		if i >= len(s) {
			return s, false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], i < len(s)
}

func lastSegment(loc string) string {
	if i := strings.LastIndexByte(loc, '/'); i >= 0 {
		return loc[i+1:]
	}
	return loc
}

func dedupe(vs []Violation) []Violation {
	out := vs[:0]
	for i, v := range vs {
		if i > 0 && v.Pointer == vs[i-1].Pointer && v.Keyword == vs[i-1].Keyword && v.Message == vs[i-1].Message {
			continue
		}
		out = append(out, v)
	}
	return out
}
