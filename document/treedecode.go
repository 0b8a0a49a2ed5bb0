package document

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// A treeDecoder stores a validated tree (map[string]any, []any, string,
// json.Number, bool and nil, as [parse] gives it) into a Go value the
// way encoding/json stores the same document's JSON text, with
// DisallowUnknownFields, without writing the text out and reading it
// again. It takes on only what it can store exactly as encoding/json
// would: a tree it does not take on, because a value does not fit its
// field (an unknown field, a key that matches a field only when case is
// ignored, a number out of range, a type it has no plan for), makes
// store report false, and the caller then goes through encoding/json,
// which gives the result or the error. TestTreeDecodeMatchesJSON and
// FuzzTreeDecode hold it to encoding/json's results.
//
// A treeDecoder is built once, by [NewDecoder], for the Go types of the
// decoder's kinds, and is read-only afterwards: safe for concurrent use.
type treeDecoder struct {
	plans map[reflect.Type]*plan
	// names are the strings the schemas list as values (enum and const):
	// a stored string equal to one is stored as it, so that the many
	// documents that hold it share one copy.
	names map[string]string
}

// planKind is how a Go type is stored.
type planKind uint8

const (
	planNone      planKind = iota // not taken on: encoding/json decides
	planString                    // a string kind
	planBool                      // a bool kind
	planInt                       // a signed integer kind
	planUint                      // an unsigned integer kind
	planFloat                     // float32 or float64
	planStruct                    // a struct without an unmarshaler
	planPointer                   // a pointer
	planSlice                     // a slice other than []byte
	planMap                       // a map with string-kind keys
	planUUID                      // uuid.UUID (a text unmarshaler)
	planDate                      // Date (a text unmarshaler)
	planText                      // another encoding.TextUnmarshaler
	planUnmarshal                 // a json.Unmarshaler
)

// plan is how one Go type is stored.
type plan struct {
	kind   planKind
	typ    reflect.Type
	elem   *plan             // of a pointer, slice or map
	fields map[string]field  // of a struct, by JSON name
	names  map[string]string // see treeDecoder.names
}

// field is a struct field by its JSON name: where it is and its plan.
type field struct {
	index []int
	plan  *plan
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	uuidType        = reflect.TypeFor[uuid.UUID]()
	dateType        = reflect.TypeFor[Date]()
	numberType      = reflect.TypeFor[json.Number]()
)

// newTreeDecoder plans the given types, each a pointer to a struct, and
// everything they hold.
func newTreeDecoder(types []reflect.Type, names map[string]string) *treeDecoder {
	d := &treeDecoder{plans: make(map[reflect.Type]*plan), names: names}
	for _, t := range types {
		d.plan(t)
	}
	return d
}

// plan returns the plan of t, making it and the plans of the types t
// holds the first time.
func (d *treeDecoder) plan(t reflect.Type) *plan {
	if p, ok := d.plans[t]; ok {
		return p
	}
	p := &plan{typ: t, names: d.names}
	d.plans[t] = p // before the parts: a type may hold itself
	pt := reflect.PointerTo(t)
	switch {
	case t.Kind() == reflect.Pointer:
		p.kind = planPointer
		p.elem = d.plan(t.Elem())
		return p
	case t == uuidType:
		p.kind = planUUID
		return p
	case t == dateType:
		p.kind = planDate
		return p
	case pt.Implements(jsonUnmarshaler):
		p.kind = planUnmarshal
		return p
	case pt.Implements(textUnmarshaler):
		p.kind = planText
		return p
	case t == numberType:
		return p // a string kind that holds a number
	}
	switch t.Kind() {
	case reflect.String:
		p.kind = planString
	case reflect.Bool:
		p.kind = planBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = planInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind = planUint
	case reflect.Float32, reflect.Float64:
		p.kind = planFloat
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return p // base64 text
		}
		p.kind = planSlice
		p.elem = d.plan(t.Elem())
	case reflect.Map:
		if t.Key().Kind() != reflect.String || reflect.PointerTo(t.Key()).Implements(textUnmarshaler) {
			return p
		}
		p.kind = planMap
		p.elem = d.plan(t.Elem())
	case reflect.Struct:
		if fields, ok := d.structFields(t); ok {
			p.kind = planStruct
			p.fields = fields
		}
	}
	return p
}

// structFields returns the fields of a struct by JSON name, as
// encoding/json finds them, and false for a struct whose fields it does
// not take on: a name given twice (which encoding/json resolves by
// depth and tags), an embedded pointer, an unexported field with a
// name, a name encoding/json would not use, or the ",string" option.
func (d *treeDecoder) structFields(t reflect.Type) (map[string]field, bool) {
	fields := make(map[string]field)
	var add func(t reflect.Type, index []int) bool
	add = func(t reflect.Type, index []int) bool {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			for o := range strings.SplitSeq(opts, ",") {
				if o == "string" {
					return false
				}
			}
			idx := append(index[:len(index):len(index)], i)
			switch {
			case sf.Anonymous && sf.Type.Kind() == reflect.Pointer:
				return false
			case sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct:
				if !add(sf.Type, idx) {
					return false
				}
				continue
			case sf.Anonymous && !sf.IsExported():
				continue // encoding/json ignores it
			case !sf.IsExported() && name != "":
				return false
			case !sf.IsExported():
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if !validTag(name) {
				return false
			}
			if _, dup := fields[name]; dup {
				return false
			}
			fields[name] = field{index: idx, plan: d.plan(sf.Type)}
		}
		return true
	}
	if !add(t, nil) {
		return nil, false
	}
	return fields, true
}

// validTag reports whether a JSON name is one encoding/json uses as it
// is (it uses the field's name instead of others).
func validTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// store stores tree into the value v points to and reports whether it
// did; v's type must be one the decoder planned. When it reports false,
// v may be partly written.
func (d *treeDecoder) store(v any, tree any) bool {
	rv := reflect.ValueOf(v)
	p, ok := d.plans[rv.Type()]
	if !ok || p.kind != planPointer || rv.IsNil() {
		return false
	}
	return p.elem.store(rv.Elem(), tree)
}

// store stores x into v, a settable value of p's type.
func (p *plan) store(v reflect.Value, x any) bool {
	if p.kind == planUnmarshal {
		js, ok := jsonText(x)
		return ok && v.CanAddr() && v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(js) == nil
	}
	if x == nil {
		switch p.kind {
		case planPointer, planSlice, planMap:
			v.SetZero()
			return true
		case planString, planBool, planInt, planUint, planFloat, planStruct:
			return true // encoding/json ignores null for these
		}
		return false
	}
	switch p.kind {
	case planString:
		s, ok := x.(string)
		if !ok || !utf8.ValidString(s) {
			return false
		}
		if n, ok := p.names[s]; ok {
			s = n
		}
		v.SetString(s)
		return true
	case planBool:
		b, ok := x.(bool)
		if ok {
			v.SetBool(b)
		}
		return ok
	case planInt:
		n, ok := x.(json.Number)
		if !ok {
			return false
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || v.OverflowInt(i) {
			return false
		}
		v.SetInt(i)
		return true
	case planUint:
		n, ok := x.(json.Number)
		if !ok {
			return false
		}
		u, err := strconv.ParseUint(string(n), 10, 64)
		if err != nil || v.OverflowUint(u) {
			return false
		}
		v.SetUint(u)
		return true
	case planFloat:
		n, ok := x.(json.Number)
		if !ok {
			return false
		}
		f, err := strconv.ParseFloat(string(n), p.typ.Bits())
		if err != nil || v.OverflowFloat(f) || math.IsInf(f, 0) {
			return false
		}
		v.SetFloat(f)
		return true
	case planUUID:
		s, ok := x.(string)
		if !ok {
			return false
		}
		id, err := uuid.Parse(s)
		if err != nil {
			return false
		}
		v.Set(reflect.ValueOf(id))
		return true
	case planDate:
		s, ok := x.(string)
		if !ok {
			return false
		}
		var dt Date
		if s != "" {
			var err error
			if dt, err = ParseDate(s); err != nil {
				return false
			}
		}
		v.Set(reflect.ValueOf(dt))
		return true
	case planText:
		s, ok := x.(string)
		if !ok || !v.CanAddr() || !utf8.ValidString(s) {
			return false
		}
		return v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)) == nil
	case planPointer:
		if v.IsNil() {
			v.Set(reflect.New(p.typ.Elem()))
		}
		return p.elem.store(v.Elem(), x)
	case planSlice:
		a, ok := x.([]any)
		if !ok || v.Len() > 0 { // encoding/json would decode into the elements there
			return false
		}
		s := reflect.MakeSlice(p.typ, len(a), len(a))
		for i, e := range a {
			if !p.elem.store(s.Index(i), e) {
				return false
			}
		}
		v.Set(s)
		return true
	case planMap:
		m, ok := x.(map[string]any)
		if !ok {
			return false
		}
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(p.typ, len(m)))
		}
		kt := p.typ.Key()
		for k, e := range m {
			ev := reflect.New(p.typ.Elem()).Elem()
			if !p.elem.store(ev, e) {
				return false
			}
			if !utf8.ValidString(k) {
				return false
			}
			kv := reflect.ValueOf(k)
			if kt != kv.Type() {
				kv = kv.Convert(kt)
			}
			v.SetMapIndex(kv, ev)
		}
		return true
	case planStruct:
		m, ok := x.(map[string]any)
		if !ok {
			return false
		}
		for k, e := range m {
			f, ok := p.fields[k]
			if !ok {
				return false
			}
			fv := v
			if len(f.index) == 1 {
				fv = v.Field(f.index[0])
			} else {
				fv = v.FieldByIndex(f.index)
			}
			if !f.plan.store(fv, e) {
				return false
			}
		}
		return true
	}
	return false
}

// schemaNames returns the strings that JSON Schemas list as values, in
// "enum" and "const", each as its own copy.
func schemaNames(schemas ...[]byte) map[string]string {
	names := make(map[string]string)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				switch k {
				case "enum":
					if a, ok := e.([]any); ok {
						for _, x := range a {
							if s, ok := x.(string); ok {
								names[s] = s
							}
						}
					}
				case "const":
					if s, ok := e.(string); ok {
						names[s] = s
					}
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	for _, raw := range schemas {
		var v any
		if json.Unmarshal(raw, &v) == nil {
			walk(v)
		}
	}
	return names
}

// jsonText returns the JSON text of a tree value, as encoding/json
// writes it, for an unmarshaler; strings and numbers without allocation
// beyond the text.
func jsonText(x any) ([]byte, bool) {
	switch x := x.(type) {
	case nil:
		return []byte("null"), true
	case json.Number:
		return []byte(x), true
	case string:
		if plainString(x) {
			b := make([]byte, 0, len(x)+2)
			b = append(b, '"')
			b = append(b, x...)
			return append(b, '"'), true
		}
	}
	b, err := json.Marshal(x)
	return b, err == nil
}

// plainString reports whether s is written in JSON as it is, between
// quotes.
func plainString(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&', c >= utf8.RuneSelf:
			return false
		}
	}
	return true
}
