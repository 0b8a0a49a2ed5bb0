package schema_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/internal/schema"
)

const testSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.com/t.json",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "color": {"type": "string"},
    "when": {"type": "string", "format": "date"},
    "point": {"$ref": "#/$defs/point"}
  },
  "$defs": {"point": {"type": "string", "pattern": "^[1-8]\\([a-e]\\)$"}}
}`

func TestValidateExpected(t *testing.T) {
	set, err := schema.Compile([]byte(testSchema))
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"colour": "red", "color": 1.5, "when": "2026-13-01", "point": "4a"}
	got, err := set.Validate("https://example.com/t.json", doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []schema.Violation{
		{Pointer: "", Keyword: "additionalProperties", Message: "additionalProperties 'colour' not allowed", Expected: []string{"color", "point", "when"}},
		{Pointer: "/color", Keyword: "type", Message: "expected string, but got number", Expected: []string{"string"}},
		{Pointer: "/point", Keyword: "pattern", Message: `does not match pattern '^[1-8]\\([a-e]\\)$'`, Expected: []string{`^[1-8]\([a-e]\)$`}},
		{Pointer: "/when", Keyword: "format", Message: "'2026-13-01' is not valid 'date'", Expected: []string{"date"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Validate() mismatch (-want +got):\n%s", diff)
	}
}

// A draft-04 schema, which names itself with "id", compiles under its
// URL, and CompileExternal refuses what it cannot compile offline.
func TestCompileExternal(t *testing.T) {
	const url = "https://example.com/d4.json"
	d4 := []byte(`{"$schema": "http://json-schema.org/draft-04/schema#", "id": "` + url + `",
  "type": "object", "required": ["version"],
  "properties": {"version": {"enum": ["2.1.0"]}, "uri": {"type": "string", "format": "uri"}}}`)
	s, err := schema.CompileExternal(schema.Draft4, schema.Resource{URL: url, Schema: d4})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		v    any
		want []string
	}{
		{"valid", map[string]any{"version": "2.1.0"}, nil},
		{"missing", map[string]any{}, []string{":required"}},
		{"enum", map[string]any{"version": "2.0"}, []string{"/version:enum"}},
		{"format", map[string]any{"version": "2.1.0", "uri": "not a uri"}, []string{"/uri:format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := s.Validate(url, tt.v)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.Pointer+":"+v.Keyword)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate(%v) mismatch (-want +got):\n%s", tt.v, diff)
			}
		})
	}
	refused := []struct {
		name  string
		draft schema.Draft
		r     schema.Resource
	}{
		{"no draft", schema.DraftUnspecified, schema.Resource{URL: url, Schema: d4}},
		{"relative URL", schema.Draft4, schema.Resource{URL: "d4.json", Schema: d4}},
		{"ref not given", schema.Draft7, schema.Resource{URL: "https://example.com/r.json", Schema: []byte(`{"$ref": "https://example.com/other.json"}`)}},
		{"not JSON", schema.Draft7, schema.Resource{URL: url, Schema: []byte(`{`)}},
	}
	for _, tt := range refused {
		if _, err := schema.CompileExternal(tt.draft, tt.r); err == nil {
			t.Errorf("CompileExternal(%s) = nil error, want one", tt.name)
		}
	}
}
