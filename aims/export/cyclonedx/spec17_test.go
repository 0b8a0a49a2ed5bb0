package cyclonedx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"go.yaml.in/yaml/v3"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/export/cyclonedx"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// folders are the example governance folders every version is tested on.
var folders = []struct{ name, dir string }{
	{"credit-scoring", governance},
	{"llm-support-chat", "../../../examples/llm-support-chat/governance"},
}

func loadDir(t testing.TB, dir string) *aims.Snapshot {
	t.Helper()
	f, err := aims.Load(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatalf("aims.Load(%s) = %v", dir, err)
	}
	return f
}

func fixedSpec(system uuid.UUID, spec string) *cyclonedx.Options {
	o := fixed(system)
	o.SpecVersion = spec
	return o
}

// bomSchemaVersion compiles the official CycloneDX schema of version v
// ("1.6" or "1.7") from testdata, refusing to load anything over the
// network.
func bomSchemaVersion(t testing.TB, v string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema not preloaded: %s", u)
	}
	for _, name := range []string{"bom-" + v + ".schema.json", "spdx.schema.json", "jsf-0.82.schema.json", "cryptography-defs.schema.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("http://cyclonedx.org/schema/"+name, bytes.NewReader(b)); err != nil {
			t.Fatalf("AddResource(%s) = %v", name, err)
		}
	}
	s, err := c.Compile("http://cyclonedx.org/schema/bom-" + v + ".schema.json")
	if err != nil {
		t.Fatalf("Compile = %v", err)
	}
	return s
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update if the change is meant:\n%s", name, diff)
	}
}

// TestGolden pins the output of both versions for both example folders.
// The 1.6 files were written before 1.7 was added: 1.6 output must not
// change.
func TestGolden(t *testing.T) {
	for _, fo := range folders {
		f := loadDir(t, fo.dir)
		for _, spec := range []string{"", cyclonedx.SpecVersion, cyclonedx.SpecVersion17} {
			v := spec
			if v == "" {
				v = cyclonedx.SpecVersion
			}
			t.Run(fo.name+"/"+strconv.Quote(spec), func(t *testing.T) {
				out, err := cyclonedx.Export(f, fixedSpec(uuid.Nil, spec))
				if err != nil {
					t.Fatalf("Export = %v", err)
				}
				golden(t, fo.name+".cdx-"+v+".json", out)
			})
		}
	}
}

func TestExport17ValidatesAgainstSchema(t *testing.T) {
	s17 := bomSchemaVersion(t, "1.7")
	s16 := bomSchemaVersion(t, "1.6")
	for _, fo := range folders {
		f := loadDir(t, fo.dir)
		systems := []uuid.UUID{uuid.Nil}
		for _, s := range f.Systems {
			systems = append(systems, s.ID)
		}
		for _, id := range systems {
			t.Run(fo.name+"/"+id.String(), func(t *testing.T) {
				out, err := cyclonedx.Export(f, fixedSpec(id, cyclonedx.SpecVersion17))
				if err != nil {
					t.Fatalf("Export = %v", err)
				}
				if err := s17.Validate(decode(t, out)); err != nil {
					t.Errorf("output does not validate against bom-1.7.schema.json: %#v", err)
				}
				if v := view(t, out); v.SpecVersion != "1.7" {
					t.Errorf("specVersion = %q, want 1.7", v.SpecVersion)
				}
				out16, err := cyclonedx.Export(f, fixedSpec(id, ""))
				if err != nil {
					t.Fatalf("Export = %v", err)
				}
				if err := s16.Validate(decode(t, out16)); err != nil {
					t.Errorf("1.6 output does not validate against bom-1.6.schema.json: %#v", err)
				}
			})
		}
	}
}

// pointer resolves the JSON pointer p in v, a value decoded from JSON or
// YAML.
func pointer(v any, p string) (any, bool) {
	if p == "" {
		return v, true
	}
	if !strings.HasPrefix(p, "/") {
		return nil, false
	}
	for _, tok := range strings.Split(p[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

type citationView struct {
	Pointers     []string `json:"pointers"`
	Timestamp    string   `json:"timestamp"`
	AttributedTo string   `json:"attributedTo"`
	Note         string   `json:"note"`
}

// TestCitationsResolve checks each 1.7 citation both ways: every BOM
// pointer names a field of the BOM, and the governance document field it
// is attributed to exists in the file named, whose digest is given.
func TestCitationsResolve(t *testing.T) {
	for _, fo := range folders {
		t.Run(fo.name, func(t *testing.T) {
			f := loadDir(t, fo.dir)
			out, err := cyclonedx.Export(f, fixedSpec(uuid.Nil, cyclonedx.SpecVersion17))
			if err != nil {
				t.Fatal(err)
			}
			doc := decode(t, out)
			raw, _ := pointer(doc, "/citations")
			list, _ := raw.([]any)
			if len(list) == 0 {
				t.Fatal("no citations")
			}
			var cites []citationView
			b, _ := json.Marshal(raw)
			if err := json.Unmarshal(b, &cites); err != nil {
				t.Fatal(err)
			}
			cited := make(map[string]string)
			for _, c := range cites {
				if c.AttributedTo != cyclonedx.ToolRef || c.Timestamp != "2026-11-20T09:30:00Z" {
					t.Errorf("citation %q: attributedTo %q, timestamp %q", c.Note, c.AttributedTo, c.Timestamp)
				}
				for _, p := range c.Pointers {
					if _, ok := pointer(doc, p); !ok {
						t.Errorf("citation %q: pointer %s is not in the BOM", c.Note, p)
					}
					cited[p] = c.Note
				}
				src, ok := strings.CutPrefix(c.Note, "governance document ")
				file, rest, ok2 := strings.Cut(src, "#")
				ptr, digest, ok3 := strings.Cut(rest, " (sha256:")
				if !ok || !ok2 || !ok3 || !strings.HasSuffix(digest, ")") {
					t.Errorf("citation note %q is not of the form %q", c.Note, "governance document FILE#POINTER (sha256:HEX)")
					continue
				}
				y, err := os.ReadFile(filepath.Join(fo.dir, file))
				if err != nil {
					t.Errorf("citation %q: %v", c.Note, err)
					continue
				}
				var v any
				if err := yaml.Unmarshal(y, &v); err != nil {
					t.Fatal(err)
				}
				if _, ok := pointer(v, ptr); !ok {
					t.Errorf("citation %q: %s is not a field of %s", c.Note, ptr, file)
				}
			}
			// A few fields every reader looks for.
			want := map[string]string{}
			if fo.name == "credit-scoring" {
				want = map[string]string{
					"/components/0/name":                          "ai-system-credit-scoring.yaml#/name",
					"/components/1/hashes/0/content":              "ai-system-credit-scoring.yaml#/resources/models/0/digest",
					"/declarations/assessors/0/organization/name": "statement-of-applicability.yaml#/approval/approver",
				}
			} else {
				want = map[string]string{
					"/components/0/name":    "ai-system.yaml#/name",
					"/components/1/version": "ai-system.yaml#/resources/models/0/version",
				}
			}
			for p, src := range want {
				if !strings.Contains(cited[p], " "+src+" ") {
					t.Errorf("citation of %s = %q, want it to name %s", p, cited[p], src)
				}
			}
		})
	}
}

func TestUnsupportedSpec(t *testing.T) {
	f := loadFolder(t)
	for _, spec := range []string{"1.5", "1.8", "2", " 1.7"} {
		if _, err := cyclonedx.Export(f, fixedSpec(uuid.Nil, spec)); !errors.Is(err, cyclonedx.ErrUnsupportedSpec) {
			t.Errorf("Export(SpecVersion %q) = %v, want %v", spec, err, cyclonedx.ErrUnsupportedSpec)
		}
	}
}
