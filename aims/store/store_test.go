package store_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/store"
)

var idTests = []struct {
	name string
	id   string
	want string // error message; "" if valid
}{
	{name: "word", id: "chatbot"},
	{name: "uuid", id: "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"},
	{name: "control number", id: "a.6.2.2"},
	{name: "underscore", id: "risk_2025"},
	{name: "digit first", id: "2025-review"},
	{name: "one character", id: "x"},
	{name: "dots inside", id: "a..b"},
	{name: "trailing dot", id: "a."},
	{name: "longest", id: strings.Repeat("a", store.MaxIDLen)},
	{name: "empty", id: "", want: `store: invalid id: must not be empty`},
	{name: "too long", id: strings.Repeat("a", store.MaxIDLen+1),
		want: `store: invalid id "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"...: longer than 128 characters`},
	{name: "parent", id: "../x", want: `store: invalid id "../x": must not contain "/"`},
	{name: "slash", id: "a/b", want: `store: invalid id "a/b": must not contain "/"`},
	{name: "absolute", id: "/etc", want: `store: invalid id "/etc": must not contain "/"`},
	{name: "backslash", id: `..\x`, want: `store: invalid id "..\\x": must not contain "\\"`},
	{name: "dot", id: ".", want: `store: invalid id ".": must not be "." or ".."`},
	{name: "dot dot", id: "..", want: `store: invalid id "..": must not be "." or ".."`},
	{name: "hidden", id: ".git", want: `store: invalid id ".git": must start with a letter or a digit`},
	{name: "dash first", id: "-rf", want: `store: invalid id "-rf": must start with a letter or a digit`},
	{name: "space", id: "a b", want: `store: invalid id "a b": must contain only letters, digits, '.', '_' and '-', not " "`},
	{name: "colon", id: "c:x", want: `store: invalid id "c:x": must contain only letters, digits, '.', '_' and '-', not ":"`},
	{name: "non-ASCII", id: "système", want: `store: invalid id "système": must contain only letters, digits, '.', '_' and '-', not "è"`},
	{name: "NUL", id: "a\x00", want: `store: invalid id "a\x00": must contain only letters, digits, '.', '_' and '-', not "\x00"`},
	{name: "invalid UTF-8", id: "a\xff", want: `store: invalid id "a\xff": must contain only letters, digits, '.', '_' and '-', not "\xff"`},
}

func TestValidID(t *testing.T) {
	for _, tt := range idTests {
		t.Run(tt.name, func(t *testing.T) {
			checkValid(t, "ValidID", tt.id, store.ValidID(tt.id), tt.want)
		})
	}
}

// checkValid checks the result of a validator: nil if want is "",
// otherwise an error with message want that matches store.ErrInvalid.
func checkValid(t testing.TB, fn, arg string, err error, want string) {
	t.Helper()
	var got string
	if err != nil {
		got = err.Error()
	}
	if got != want {
		t.Errorf("%s(%q) = %q, want %q", fn, arg, got, want)
	}
	if err != nil && !errors.Is(err, store.ErrInvalid) {
		t.Errorf("errors.Is(%s(%q), store.ErrInvalid) = false, want true", fn, arg)
	}
}

var kindTests = []struct {
	name string
	kind string
	want string
}{
	{name: "AISystem", kind: "AISystem"},
	{name: "with digit", kind: "Control2"},
	{name: "lower case", kind: "aisystem"},
	{name: "longest", kind: strings.Repeat("K", store.MaxKindLen)},
	{name: "empty", kind: "", want: "store: invalid kind: must not be empty"},
	{name: "too long", kind: strings.Repeat("K", store.MaxKindLen+1),
		want: `store: invalid kind "KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK"...: longer than 64 characters`},
	{name: "digit first", kind: "2Risk", want: `store: invalid kind "2Risk": must start with a letter`},
	{name: "dash", kind: "AI-System", want: `store: invalid kind "AI-System": must contain only letters and digits, not "-"`},
	{name: "dot", kind: "AI.System", want: `store: invalid kind "AI.System": must contain only letters and digits, not "."`},
	{name: "slash", kind: "a/b", want: `store: invalid kind "a/b": must contain only letters and digits, not "/"`},
	{name: "non-ASCII", kind: "Système", want: `store: invalid kind "Système": must contain only letters and digits, not "è"`},
}

func TestValidKind(t *testing.T) {
	for _, tt := range kindTests {
		t.Run(tt.name, func(t *testing.T) {
			checkValid(t, "ValidKind", tt.kind, store.ValidKind(tt.kind), tt.want)
		})
	}
}

func TestDocumentValidate(t *testing.T) {
	tests := []struct {
		name string
		doc  *store.Document
		want string
	}{
		{name: "valid", doc: &store.Document{Kind: "AISystem", ID: "a", Data: []byte(`{"kind":"AISystem"}`)}},
		{name: "no kind member", doc: &store.Document{Kind: "AISystem", ID: "a", Data: []byte(` {}`)}},
		{name: "any revision", doc: &store.Document{Kind: "AISystem", ID: "a", Revision: store.AnyRevision, Data: []byte(`{}`)}},
		{name: "nil", want: "store: invalid document: nil"},
		{name: "bad kind", doc: &store.Document{Kind: "a b", ID: "a", Data: []byte(`{}`)},
			want: `store: invalid kind "a b": must contain only letters and digits, not " "`},
		{name: "bad id", doc: &store.Document{Kind: "AISystem", ID: "..", Data: []byte(`{}`)},
			want: `store: invalid id "..": must not be "." or ".."`},
		{name: "revision", doc: &store.Document{Kind: "AISystem", ID: "a", Revision: -2, Data: []byte(`{}`)},
			want: "store: invalid document AISystem/a: revision -2 is negative (use 0 to create or AnyRevision)"},
		{name: "no data", doc: &store.Document{Kind: "AISystem", ID: "a"},
			want: "store: invalid document AISystem/a: data is empty"},
		{name: "not JSON", doc: &store.Document{Kind: "AISystem", ID: "a", Data: []byte(`kind: AISystem`)},
			want: "store: invalid document AISystem/a: data is not valid JSON"},
		{name: "array", doc: &store.Document{Kind: "AISystem", ID: "a", Data: []byte(`[{}]`)},
			want: "store: invalid document AISystem/a: data is not a JSON object"},
		{name: "kind differs", doc: &store.Document{Kind: "AISystem", ID: "a", Data: []byte(`{"kind":"Risk"}`)},
			want: `store: invalid document AISystem/a: data member "kind" is "Risk", not "AISystem"`},
		{name: "kind not a string", doc: &store.Document{Kind: "AISystem", ID: "a", Data: []byte(`{"kind":["AISystem"]}`)},
			want: `store: invalid document AISystem/a: data member "kind" is not a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.doc.Validate()
			var got string
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Validate() = %q, want %q", got, tt.want)
			}
			if err != nil && !errors.Is(err, store.ErrInvalid) {
				t.Errorf("errors.Is(Validate(), store.ErrInvalid) = false, want true")
			}
		})
	}
}

func TestWriteValidate(t *testing.T) {
	tests := []struct {
		name  string
		write store.Write
		want  string
	}{
		{name: "actor", write: store.Write{Actor: "alice"}},
		{name: "actor and reason", write: store.Write{Actor: "ci", Reason: "PR 42"}},
		{name: "no actor", write: store.Write{Reason: "PR 42"}, want: "store: invalid write: actor is required"},
		{name: "blank actor", write: store.Write{Actor: " \n"}, want: "store: invalid write: actor is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.write.Validate()
			var got string
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Validate() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFilterMatch(t *testing.T) {
	doc := &store.Document{Kind: "AISystem", ID: "chatbot",
		Data: []byte(`{"kind":"AISystem","labels":{"tier":"critical","unit":"retail","count":2},"Labels":{"x":"y"}}`)}
	tests := []struct {
		name   string
		filter store.Filter
		want   bool
	}{
		{name: "zero", want: true},
		{name: "kind", filter: store.Filter{Kind: "AISystem"}, want: true},
		{name: "other kind", filter: store.Filter{Kind: "Risk"}},
		{name: "ids", filter: store.Filter{IDs: []string{"a", "chatbot"}}, want: true},
		{name: "other ids", filter: store.Filter{IDs: []string{"a"}}},
		{name: "label", filter: store.Filter{Labels: map[string]string{"tier": "critical"}}, want: true},
		{name: "labels", filter: store.Filter{Labels: map[string]string{"tier": "critical", "unit": "retail"}}, want: true},
		{name: "one label differs", filter: store.Filter{Labels: map[string]string{"tier": "critical", "unit": "cards"}}},
		{name: "missing label", filter: store.Filter{Labels: map[string]string{"owner": "x"}}},
		{name: "label not a string", filter: store.Filter{Labels: map[string]string{"count": "2"}}},
		{name: "member name is case sensitive", filter: store.Filter{Labels: map[string]string{"x": "y"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.filter.Match(doc); got != tt.want {
				t.Errorf("%+v.Match() = %v, want %v", tt.filter, got, tt.want)
			}
		})
	}
}

func TestFilterMatchData(t *testing.T) {
	f := store.Filter{Labels: map[string]string{"tier": "critical"}}
	tests := []struct {
		name string
		data string
	}{
		{name: "no labels", data: `{"kind":"AISystem"}`},
		{name: "labels null", data: `{"labels":null}`},
		{name: "labels array", data: `{"labels":["tier"]}`},
		{name: "not JSON", data: `tier: critical`},
		{name: "nested labels only", data: `{"spec":{"labels":{"tier":"critical"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f.Match(&store.Document{Kind: "AISystem", ID: "a", Data: []byte(tt.data)}) {
				t.Errorf("Match(%s) = true, want false", tt.data)
			}
		})
	}
	if f.Match(nil) {
		t.Errorf("Match(nil) = true, want false")
	}
}

func TestConflictError(t *testing.T) {
	tests := []struct {
		name string
		err  *store.ConflictError
		want string
	}{
		{name: "stale", err: &store.ConflictError{Op: store.OpPut, Kind: "AISystem", ID: "a", Want: 2, Have: 3},
			want: "store: put AISystem/a: revision conflict: the caller read revision 2, the store has revision 3"},
		{name: "exists", err: &store.ConflictError{Op: store.OpPut, Kind: "AISystem", ID: "a", Want: 0, Have: 3},
			want: "store: put AISystem/a: revision conflict: document already exists at revision 3"},
		{name: "missing", err: &store.ConflictError{Op: store.OpDelete, Kind: "AISystem", ID: "a", Want: 2},
			want: "store: delete AISystem/a: revision conflict: document does not exist, the caller read revision 2"},
		{name: "no op", err: &store.ConflictError{Kind: "AISystem", ID: "a", Want: 1, Have: 2},
			want: "store: AISystem/a: revision conflict: the caller read revision 1, the store has revision 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if !errors.Is(tt.err, store.ErrConflict) {
				t.Errorf("errors.Is(%v, store.ErrConflict) = false, want true", tt.err)
			}
		})
	}
}

func TestCheckRevision(t *testing.T) {
	tests := []struct {
		name       string
		want, have int64
		ok         bool
	}{
		{name: "same", want: 3, have: 3, ok: true},
		{name: "create", want: 0, have: 0, ok: true},
		{name: "any over existing", want: store.AnyRevision, have: 3, ok: true},
		{name: "any over missing", want: store.AnyRevision, have: 0, ok: true},
		{name: "stale", want: 2, have: 3},
		{name: "ahead", want: 4, have: 3},
		{name: "create existing", want: 0, have: 3},
		{name: "update missing", want: 3, have: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := store.CheckRevision(store.OpPut, "AISystem", "a", tt.want, tt.have)
			if (err == nil) != tt.ok {
				t.Errorf("CheckRevision(want %d, have %d) = %v, want ok = %v", tt.want, tt.have, err, tt.ok)
			}
			var ce *store.ConflictError
			if err != nil && !errors.As(err, &ce) {
				t.Errorf("CheckRevision() = %T, want *store.ConflictError", err)
			}
		})
	}
}

func TestClone(t *testing.T) {
	var nilDoc *store.Document
	if got := nilDoc.Clone(); got != nil {
		t.Errorf("nil.Clone() = %v, want nil", got)
	}
	d := &store.Document{Kind: "AISystem", ID: "a", Revision: 2, Data: []byte(`{"a":1}`), UpdatedBy: "alice"}
	c := d.Clone()
	if diff := cmp.Diff(d, c); diff != "" {
		t.Errorf("Clone() mismatch (-want +got):\n%s", diff)
	}
	c.Data[2] = 'b'
	if string(d.Data) != `{"a":1}` {
		t.Errorf("after changing the clone, Data = %s, want {\"a\":1}", d.Data)
	}
}

func TestDigest(t *testing.T) {
	got := store.Digest([]byte("{}"))
	want := "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
	if got != want {
		t.Errorf("Digest({}) = %s, want %s", got, want)
	}
}

func FuzzValidID(f *testing.F) {
	for _, tt := range idTests {
		f.Add(tt.id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		err := store.ValidID(id)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("ValidID(%q) = %v, want an error matching store.ErrInvalid", id, err)
			}
			return
		}
		if id == "." || id == ".." || strings.ContainsAny(id, `/\`) || strings.HasPrefix(id, ".") ||
			len(id) > store.MaxIDLen || !filepath.IsLocal(id) || filepath.Base(id) != id {
			t.Errorf("ValidID(%q) = nil, want an error: the id could leave its folder or hide", id)
		}
	})
}

func FuzzValidKind(f *testing.F) {
	for _, tt := range kindTests {
		f.Add(tt.kind)
	}
	f.Fuzz(func(t *testing.T, kind string) {
		err := store.ValidKind(kind)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("ValidKind(%q) = %v, want an error matching store.ErrInvalid", kind, err)
			}
			return
		}
		if kind == "" || len(kind) > store.MaxKindLen || strings.ContainsAny(kind, `/\.`) || !filepath.IsLocal(kind) {
			t.Errorf("ValidKind(%q) = nil, want an error", kind)
		}
	})
}

func FuzzDocumentValidate(f *testing.F) {
	for _, s := range []string{`{}`, `{"kind":"AISystem"}`, `{"kind":"Risk"}`, `[]`, `null`, ``, `{"labels":{"a":"b"}}`, `{"kind":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		d := &store.Document{Kind: "AISystem", ID: "a", Data: []byte(data)}
		if err := d.Validate(); err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Validate(%q) = %v, want an error matching store.ErrInvalid", data, err)
			}
			return
		}
		if !strings.HasPrefix(strings.TrimLeft(data, " \t\r\n"), "{") {
			t.Errorf("Validate(%q) = nil, want an error: not a JSON object", data)
		}
		store.Filter{Labels: map[string]string{"a": "b"}}.Match(d)
	})
}
