package document

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/aimskit/aimskit/internal/schema"
	"github.com/aimskit/aimskit/internal/suggest"
)

// APIVersion is the apiVersion of every document kind defined by aimskit.
const APIVersion = "aimskit.dev/v1alpha1"

// DefaultMaxSize is the largest document, in bytes, that a [Decoder]
// accepts when [DecoderOptions.MaxSize] is zero.
const DefaultMaxSize = 1 << 20

// Header is the part every document shares: which API version and which
// kind it is. Document types embed it, so that it is inlined in JSON:
//
//	type System struct {
//		document.Header
//		ID uuid.UUID `json:"id"`
//		...
//	}
type Header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

// Validator is implemented by every document type: a pointer to a struct
// whose Validate method reports every problem as an [*Error], with JSON
// pointers relative to the document.
type Validator interface {
	Validate() error
}

// Type describes one document kind to a [Decoder].
type Type struct {
	// Kind is the value of the document's "kind" field, e.g. "AISystem".
	Kind string
	// Schema is the kind's JSON Schema (draft 2020-12), with an absolute
	// "$id". It may refer to the schemas of the other types given to the
	// same decoder.
	Schema []byte
	// New returns a new zero value of the kind's Go type, as a pointer.
	New func() Validator
}

// DecoderOptions configures a [Decoder]. The zero value gives the defaults.
type DecoderOptions struct {
	// MaxSize is the largest document accepted, in bytes. Zero means
	// [DefaultMaxSize].
	MaxSize int
	// MaxValues is the largest number of values a document may hold,
	// counting every scalar, array, object and object key. It bounds the
	// memory decoding a document takes, which grows with its values, not
	// its bytes. Zero means MaxSize/4 (262,144 for 1 MiB), which admits
	// any document of at most MaxSize bytes in a usual style, such as a
	// field per line. A document that holds more is refused with a
	// problem; YAML is refused before it is parsed when a count of its
	// lines and indicators shows that it may hold more.
	MaxValues int
}

// Decoder decodes documents of a fixed set of kinds: YAML or JSON bytes
// in, a validated Go value out. It is immutable after [NewDecoder] and safe
// for concurrent use.
type Decoder struct {
	types     map[string]decType
	kinds     []string
	schemas   *schema.Set
	trees     *treeDecoder
	maxSize   int
	maxValues int
}

type decType struct {
	schemaID string
	new      func() Validator
}

// NewDecoder compiles the schemas of the given types and returns a decoder
// for them. It returns an error if a kind is given twice or a schema does
// not compile.
func NewDecoder(types []Type, opts *DecoderOptions) (*Decoder, error) {
	d := &Decoder{types: make(map[string]decType, len(types)), maxSize: DefaultMaxSize}
	if opts != nil && opts.MaxSize > 0 {
		d.maxSize = opts.MaxSize
	}
	d.maxValues = max(1, d.maxSize/4)
	if opts != nil && opts.MaxValues > 0 {
		d.maxValues = opts.MaxValues
	}
	raw := make([][]byte, 0, len(types))
	goTypes := make([]reflect.Type, 0, len(types))
	for _, t := range types {
		if t.Kind == "" || t.New == nil {
			return nil, fmt.Errorf("document: new decoder: type %q has no kind or no New function", t.Kind)
		}
		if _, dup := d.types[t.Kind]; dup {
			return nil, fmt.Errorf("document: new decoder: kind %s given twice", t.Kind)
		}
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(t.Schema, &head); err != nil {
			return nil, fmt.Errorf("document: new decoder: schema of %s: %w", t.Kind, err)
		}
		d.types[t.Kind] = decType{schemaID: head.ID, new: t.New}
		d.kinds = append(d.kinds, t.Kind)
		raw = append(raw, t.Schema)
		goTypes = append(goTypes, reflect.TypeOf(t.New()))
	}
	slices.Sort(d.kinds)
	set, err := schema.Compile(raw...)
	if err != nil {
		return nil, fmt.Errorf("document: new decoder: %w", err)
	}
	d.schemas = set
	d.trees = newTreeDecoder(goTypes, schemaNames(raw...))
	return d, nil
}

// Kinds returns the kinds the decoder knows, sorted.
func (d *Decoder) Kinds() []string { return slices.Clone(d.kinds) }

// Decode decodes one document, one document per file. file names the
// document's source in problems and may be empty; its extension also
// chooses the syntax: a file whose name ends in .json is read as JSON
// only. A syntax error, in JSON or YAML, is reported with its line and
// column (see [Problem.Column]). A YAML file, or one with another name, is read as YAML (a JSON object is
// YAML too, and is then read by the faster JSON parser).
//
// Decoding is strict, in this order, and stops after the first step that
// finds problems: size and value limits (see [DecoderOptions]); syntax
// (duplicate keys included); the
// apiVersion and kind fields; the kind's JSON Schema (unknown fields, types,
// enums, required fields); decoding into the Go type; and finally the
// type's own Validate method (semantic checks). Every problem found by a
// step is reported.
//
// The returned error is always an [*Error] with File set to file. Decode
// never panics on bad input. A message quotes at most a short, escaped
// excerpt of the document's content.
func (d *Decoder) Decode(file string, data []byte) (Validator, error) {
	v, _, err := d.decode(file, data, false)
	return v, err
}

// decode is Decode, which also returns the placeholders of the document
// if withPlaceholders is set.
func (d *Decoder) decode(file string, data []byte, withPlaceholders bool) (Validator, []Problem, error) {
	v, root, err := d.decodeTree(file, data)
	if err != nil || !withPlaceholders {
		return v, nil, err
	}
	return v, placeholders(file, root), nil
}

// decodeTree decodes as Decode does and also returns the YAML node tree,
// nil for JSON.
func (d *Decoder) decodeTree(file string, data []byte) (Validator, *yaml.Node, error) {
	if len(data) > d.maxSize {
		return nil, nil, fail(file, "", "document is %d bytes, larger than the limit of %d bytes", len(data), d.maxSize)
	}
	tree, js, root, err := parse(data, formatOf(file), d.maxValues)
	if err != nil {
		return nil, nil, parseFail(file, err)
	}
	obj, ok := tree.(map[string]any)
	if !ok {
		return nil, nil, fail(file, "", "document must be an object with apiVersion and kind")
	}
	t, err := d.typeOf(file, obj)
	if err != nil {
		return nil, nil, err
	}
	vs, err := d.schemas.Validate(t.schemaID, tree)
	if err != nil {
		return nil, nil, fail(file, "", "%v", err)
	}
	if len(vs) > 0 {
		e := &Error{}
		var x *lineIndex
		if root != nil {
			x = &lineIndex{root: root}
		}
		for _, v := range vs {
			addViolation(e, file, v, tree, x)
		}
		setLines(e, root)
		return nil, nil, e
	}
	v, err := d.decodeValue(file, t, tree, js, root)
	if err != nil {
		return nil, nil, err
	}
	if err := v.Validate(); err != nil {
		e := &Error{}
		e.Merge("", err)
		for i := range e.Problems {
			e.Problems[i].File = file
		}
		setLines(e, root)
		return nil, nil, e
	}
	return v, root, nil
}

// decodeValue stores a validated tree into a new value of type t: from
// the tree itself where it can (see [treeDecoder]), else with
// encoding/json from js, the document's JSON text, or, for YAML (js nil),
// the tree written out as JSON. Both ways give the same value; the
// second also gives encoding/json's error, which it returns as a
// problem of file.
func (d *Decoder) decodeValue(file string, t decType, tree any, js []byte, root *yaml.Node) (Validator, error) {
	if v := t.new(); d.trees.store(v, tree) {
		return v, nil
	}
	if js == nil {
		var err error
		if js, err = json.Marshal(tree); err != nil {
			return nil, fail(file, "", "%v", err)
		}
	}
	v := t.new()
	sdec := json.NewDecoder(bytes.NewReader(js))
	sdec.DisallowUnknownFields()
	if err := sdec.Decode(v); err != nil {
		e := fail(file, jsonErrorPointer(err), "%v", cleanJSONError(err))
		setLines(e, root)
		return nil, e
	}
	return v, nil
}

// setLines gives each problem the line of its field and orders the
// problems by line, as a reader goes through the file.
func setLines(e *Error, root *yaml.Node) {
	if root == nil {
		return
	}
	x := lineIndex{root: root}
	for i := range e.Problems {
		e.Problems[i].Line = x.line(e.Problems[i].Pointer)
	}
	slices.SortStableFunc(e.Problems, func(a, b Problem) int { return a.Line - b.Line })
}

// KindOf returns the apiVersion and kind of a document without decoding the
// rest. It is meant for tools that dispatch on kind.
// The data may be YAML or JSON, and may hold at most DefaultMaxSize/4
// values.
func KindOf(data []byte) (Header, error) {
	tree, _, _, err := parse(data, formatSniff, DefaultMaxSize/4)
	if err != nil {
		return Header{}, fmt.Errorf("document: %w", err)
	}
	obj, _ := tree.(map[string]any)
	av, _ := obj["apiVersion"].(string)
	k, _ := obj["kind"].(string)
	if k == "" {
		return Header{}, errors.New("document: no kind")
	}
	return Header{APIVersion: av, Kind: k}, nil
}

func (d *Decoder) typeOf(file string, obj map[string]any) (decType, error) {
	e := &Error{}
	switch av, ok := obj["apiVersion"]; {
	case !ok:
		e.Add("/apiVersion", "is required (want %q)", APIVersion)
	case av != APIVersion:
		e.Add("/apiVersion", "unsupported apiVersion %v, want %q", quoteAny(av), APIVersion)
	}
	var t decType
	switch k, ok := obj["kind"]; {
	case !ok:
		e.Add("/kind", "is required (one of %s)", strings.Join(d.kinds, ", "))
	default:
		ks, _ := k.(string)
		var found bool
		t, found = d.types[ks]
		switch s, close := suggest.Closest(ks, d.kinds); {
		case found:
		case close && ks != "":
			e.Add("/kind", "unknown kind %v; did you mean %s?", quoteAny(k), s)
		default:
			e.Add("/kind", "unknown kind %v (want one of %s)", quoteAny(k), strings.Join(d.kinds, ", "))
		}
	}
	for i := range e.Problems {
		e.Problems[i].File = file
	}
	return t, e.Err()
}

// quoteAny returns a short, escaped excerpt of a value of a document.
func quoteAny(v any) string {
	if s, ok := v.(string); ok {
		return excerpt(s)
	}
	b, _ := json.Marshal(v)
	return clipText(string(b), excerptLen)
}

// parseFail is the error for a document that did not parse: a syntax
// error gives its pointer, line and column.
func parseFail(file string, err error) *Error {
	var se *syntaxError
	if errors.As(err, &se) {
		return &Error{Problems: []Problem{{File: file, Pointer: se.pointer, Message: se.msg, Line: se.line, Column: se.col}}}
	}
	return fail(file, "", "%v", err)
}

func fail(file, pointer, format string, args ...any) *Error {
	return &Error{Problems: []Problem{{File: file, Pointer: pointer, Message: fmt.Sprintf(format, args...)}}}
}

// quotedNames extracts the 'single-quoted' names from a schema message.
func quotedNames(msg string) []string {
	var names []string
	for {
		i := strings.IndexByte(msg, '\'')
		if i < 0 {
			return names
		}
		msg = msg[i+1:]
		var b strings.Builder
		closed := false
		for j := 0; j < len(msg); j++ {
			c := msg[j]
			if c == '\\' && j+1 < len(msg) {
				b.WriteByte(msg[j+1])
				j++
				continue
			}
			if c == '\'' {
				msg = msg[j+1:]
				closed = true
				break
			}
			b.WriteByte(c)
		}
		if !closed {
			return names
		}
		names = append(names, b.String())
	}
}

// jsonErrorPointer derives a pointer from an encoding/json error where it
// names a field.
func jsonErrorPointer(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return "/" + strings.ReplaceAll(te.Field, ".", "/")
	}
	return ""
}

func cleanJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("cannot use %s value as %s", clipText(te.Value, excerptLen), te.Type)
	}
	return errors.New(clipText(strings.TrimPrefix(err.Error(), "json: "), 200))
}
