package spdxschema_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/export/spdx"
)

// schemaURL is where SPDX publishes the schema; it has no $id of its own.
const schemaURL = "https://spdx.org/schema/3.0.1/spdx-json-schema.json"

// folders are the example governance folders whose export is validated.
var folders = []struct{ name, dir string }{
	{"credit-scoring", "../../../../../examples/credit-scoring/governance"},
	{"llm-support-chat", "../../../../../examples/llm-support-chat/governance"},
}

// goldens is the folder of package spdx's golden files.
const goldens = "../../testdata"

// ecmaRegexp is a jsonschema/v6 regexp backed by regexp2 in ECMAScript
// mode, which supports the lookahead the SPDX schema uses.
type ecmaRegexp regexp2.Regexp

func (re *ecmaRegexp) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return err == nil && ok
}

func (re *ecmaRegexp) String() string { return (*regexp2.Regexp)(re).String() }

func compileECMA(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return (*ecmaRegexp)(re), nil
}

// noLoader refuses to load anything that was not added as a resource.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, errors.New("schema not preloaded: " + url)
}

// schema compiles the official SPDX 3.0.1 JSON Schema from testdata,
// offline, with format assertions on.
func schema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "spdx-3.0.1-json-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	c.UseRegexpEngine(compileECMA)
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatalf("AddResource = %v", err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatalf("Compile = %v", err)
	}
	return s
}

func instance(t testing.TB, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return v
}

func export(t testing.TB, dir string, system uuid.UUID) []byte {
	t.Helper()
	f, err := aims.Load(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatalf("aims.Load(%s) = %v", dir, err)
	}
	out, err := spdx.Export(f, &spdx.Options{
		System: system,
		Time:   func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatalf("Export = %v", err)
	}
	return out
}

// TestExportValidates exports both example folders, all systems and each
// system alone, and validates each document against the SPDX 3.0.1 JSON
// Schema.
func TestExportValidates(t *testing.T) {
	s := schema(t)
	for _, fo := range folders {
		f, err := aims.Load(context.Background(), os.DirFS(fo.dir))
		if err != nil {
			t.Fatalf("aims.Load(%s) = %v", fo.dir, err)
		}
		systems := []uuid.UUID{uuid.Nil}
		for _, sys := range f.Systems {
			systems = append(systems, sys.ID)
		}
		for _, id := range systems {
			name := fo.name + "/all"
			if id != uuid.Nil {
				name = fo.name + "/" + id.String()
			}
			t.Run(name, func(t *testing.T) {
				if err := s.Validate(instance(t, export(t, fo.dir, id))); err != nil {
					t.Errorf("output does not validate against the SPDX 3.0.1 JSON Schema: %v", err)
				}
			})
		}
	}
}

// TestGoldensValidate validates the golden files of package spdx, which
// the README shows.
func TestGoldensValidate(t *testing.T) {
	s := schema(t)
	files, err := filepath.Glob(filepath.Join(goldens, "*.spdx.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("golden files: %v, %v; want at least one per example folder", files, err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Validate(instance(t, b)); err != nil {
				t.Errorf("%s does not validate against the SPDX 3.0.1 JSON Schema: %v", path, err)
			}
		})
	}
}

// TestTermsInContext checks that every property name and type of the
// output (of both example folders, and the golden files) is a term of the
// SPDX 3.0.1 JSON-LD context, so that the document means what it says as
// linked data too.
func TestTermsInContext(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "spdx-3.0.1-context.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	var ctx struct {
		Context map[string]json.RawMessage `json:"@context"`
	}
	if err := json.Unmarshal(b, &ctx); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{}
	for _, fo := range folders {
		docs[fo.name] = export(t, fo.dir, uuid.Nil)
	}
	files, err := filepath.Glob(filepath.Join(goldens, "*.spdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		if docs[filepath.Base(path)], err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	for name, out := range docs {
		t.Run(name, func(t *testing.T) {
			var doc struct {
				Graph []map[string]any `json:"@graph"`
			}
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			var walk func(v any)
			walk = func(v any) {
				switch v := v.(type) {
				case map[string]any:
					for k, x := range v {
						if !strings.HasPrefix(k, "@") && ctx.Context[k] == nil {
							t.Errorf("property %q is not a term of the SPDX 3.0.1 context", k)
						}
						if k == "type" {
							if s, _ := x.(string); ctx.Context[s] == nil {
								t.Errorf("type %q is not a term of the SPDX 3.0.1 context", s)
							}
						}
						walk(x)
					}
				case []any:
					for _, x := range v {
						walk(x)
					}
				}
			}
			for _, e := range doc.Graph {
				walk(e)
			}
		})
	}
}

// TestSchemaRejects makes sure the compiled schema really checks, the
// lookahead patterns included.
func TestSchemaRejects(t *testing.T) {
	s := schema(t)
	valid := export(t, folders[1].dir, uuid.Nil)
	for _, tc := range []struct{ name, old, new string }{
		{"vocabulary value", `"ai_autonomyType": "no"`, `"ai_autonomyType": "maybe"`},
		{"unknown property", `"ai_autonomyType": "no"`, `"ai_autonomy": "no"`},
		{"blank node as spdxId", `"spdxId": "https://aimskit.dev/ns/spdx/tool/aimskit"`, `"spdxId": "_:tool"`},
		{"context", `"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"`, `"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld"`},
		{"created time", `"created": "2026-11-20T09:30:00Z"`, `"created": "2026-11-20 09:30"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(string(valid), tc.old, tc.new, 1)
			if bad == string(valid) {
				t.Fatalf("output lacks %s", tc.old)
			}
			if err := s.Validate(instance(t, []byte(bad))); err == nil {
				t.Errorf("Validate(output with %s) = nil, want an error", tc.new)
			}
		})
	}
}
