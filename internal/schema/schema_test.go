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
