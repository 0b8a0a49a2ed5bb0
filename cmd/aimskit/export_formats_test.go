package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// exampleFolders are the governance folders of the examples that the
// export formats are validated on.
var exampleFolders = []struct{ name, dir string }{
	{"credit-scoring", example},
	{"llm-support-chat", "../../examples/llm-support-chat/governance"},
}

// compileSchema compiles the schema registered as root from the files
// (URL to path), refusing to load anything over the network.
func compileSchema(t *testing.T, draft *jsonschema.Draft, root string, files map[string]string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = draft
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema not preloaded: %s", u)
	}
	for u, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(u, bytes.NewReader(b)); err != nil {
			t.Fatalf("AddResource(%s) = %v", u, err)
		}
	}
	s, err := c.Compile(root)
	if err != nil {
		t.Fatalf("Compile(%s) = %v", root, err)
	}
	return s
}

func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return v
}

func cyclonedxSchema(t *testing.T, version string) *jsonschema.Schema {
	dir := "../../aims/export/cyclonedx/testdata"
	files := make(map[string]string)
	for _, name := range []string{"bom-" + version + ".schema.json", "spdx.schema.json", "jsf-0.82.schema.json", "cryptography-defs.schema.json"} {
		files["http://cyclonedx.org/schema/"+name] = filepath.Join(dir, name)
	}
	return compileSchema(t, jsonschema.Draft7, "http://cyclonedx.org/schema/bom-"+version+".schema.json", files)
}

// TestExportCycloneDXSpec runs aimskit export cyclonedx with and without
// --spec on both example folders and validates each output against the
// official schema of the version it declares.
func TestExportCycloneDXSpec(t *testing.T) {
	schemas := map[string]*jsonschema.Schema{"1.6": cyclonedxSchema(t, "1.6"), "1.7": cyclonedxSchema(t, "1.7")}
	for _, fo := range exampleFolders {
		for _, tc := range []struct {
			name, version string
			args          []string
		}{
			{"default", "1.6", nil},
			{"1.6", "1.6", []string{"--spec", "1.6"}},
			{"1.7", "1.7", []string{"--spec", "1.7"}},
		} {
			t.Run(fo.name+"/"+tc.name, func(t *testing.T) {
				args := append(append([]string{"export", "cyclonedx"}, tc.args...), fo.dir)
				code, out, stderr := runCLI(t, args...)
				if code != exitOK {
					t.Fatalf("aimskit %s = %d; stderr:\n%s", strings.Join(args, " "), code, stderr)
				}
				if want := `"specVersion": "` + tc.version + `"`; !strings.Contains(out, want) {
					t.Errorf("output lacks %s", want)
				}
				if err := schemas[tc.version].Validate(decodeJSON(t, out)); err != nil {
					t.Errorf("output does not validate against bom-%s.schema.json: %#v", tc.version, err)
				}
				if has := strings.Contains(out, `"citations"`); has != (tc.version == "1.7") {
					t.Errorf("citations in the output: %v, want %v", has, tc.version == "1.7")
				}
			})
		}
	}
}

func TestExportCycloneDXUnknownSpec(t *testing.T) {
	code, out, stderr := runCLI(t, "export", "cyclonedx", "--spec", "1.5", example)
	if code != exitError || out != "" || !strings.Contains(stderr, `unsupported specification version "1.5"`) {
		t.Errorf("export cyclonedx --spec 1.5 = %d, stdout %q, stderr %q; want exit %d and the reason", code, out, stderr, exitError)
	}
}

func oscalSchema(t *testing.T) *jsonschema.Schema {
	const id = "http://csrc.nist.gov/ns/oscal/1.0/1.2.2/oscal-complete-schema.json"
	return compileSchema(t, jsonschema.Draft7, id, map[string]string{id: "../../aims/export/oscal/testdata/v1.2.2_oscal_complete_schema.json"})
}

// TestExportCrosswalk runs aimskit export crosswalk for both frameworks
// and each alone, and validates the mapping-collection against the OSCAL
// 1.2.2 complete schema.
func TestExportCrosswalk(t *testing.T) {
	schema := oscalSchema(t)
	for _, tc := range []struct {
		name  string
		args  []string
		has   []string
		hasNo []string
	}{
		{"both", nil, []string{`"href": "https://doi.org/10.6028/NIST.AI.100-1"`, `"id-ref": "Art. 12"`, `"value": "official"`, `"value": "derived"`}, nil},
		{"nist", []string{"--framework", "nist-ai-rmf"}, []string{`"id-ref": "MS2.4"`}, []string{`"id-ref": "Art. 12"`}},
		{"eu", []string{"--framework", "eu-ai-act"}, []string{`"id-ref": "Art. 12"`}, []string{`"id-ref": "MS2.4"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, append([]string{"export", "crosswalk"}, tc.args...)...)
			if code != exitOK {
				t.Fatalf("export crosswalk %v = %d; stderr:\n%s", tc.args, code, stderr)
			}
			if err := schema.Validate(decodeJSON(t, out)); err != nil {
				t.Errorf("output does not validate against the OSCAL 1.2.2 complete schema: %#v", err)
			}
			for _, s := range tc.has {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %s", s)
				}
			}
			for _, s := range tc.hasNo {
				if strings.Contains(out, s) {
					t.Errorf("output has %s", s)
				}
			}
		})
	}
}

func TestExportCrosswalkErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown framework", []string{"--framework", "nist-csf"}, `unknown framework "nist-csf"`},
		{"folder", []string{example}, "takes no folder"},
		{"bad flag", []string{"--nope"}, "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, append([]string{"export", "crosswalk"}, tc.args...)...)
			if code != exitError || out != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("export crosswalk %v = %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, out, stderr, exitError, tc.want)
			}
		})
	}
}
