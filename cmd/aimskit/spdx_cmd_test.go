package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// spdxView is what the tests read back from aimskit export spdx.
type spdxView struct {
	Context string `json:"@context"`
	Graph   []struct {
		Type        string   `json:"type"`
		SpdxID      string   `json:"spdxId"`
		Name        string   `json:"name"`
		Created     string   `json:"created"`
		RootElement []string `json:"rootElement"`
	} `json:"@graph"`
}

func spdxOutput(t *testing.T, args ...string) (spdxView, string) {
	t.Helper()
	args = append([]string{"export", "spdx"}, args...)
	code, out, stderr := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("aimskit %s = %d; stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	var v spdxView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return v, out
}

func (v spdxView) roots() []string {
	for _, e := range v.Graph {
		if e.Type == "SpdxDocument" {
			return e.RootElement
		}
	}
	return nil
}

// TestExportSPDX runs aimskit export spdx on both example folders. The
// output's validity against the SPDX 3.0.1 JSON Schema is tested in the
// nested module aims/export/spdx/internal/spdxschema, since the schema's
// patterns need a regexp engine with lookahead.
func TestExportSPDX(t *testing.T) {
	for _, fo := range exampleFolders {
		t.Run(fo.name, func(t *testing.T) {
			v, _ := spdxOutput(t, "--date", "2026-11-20", fo.dir)
			if v.Context != "https://spdx.org/rdf/3.0.1/spdx-context.jsonld" {
				t.Errorf("@context = %q", v.Context)
			}
			if v.Graph[0].Type != "CreationInfo" || v.Graph[0].Created != "2026-11-20T12:00:00Z" {
				t.Errorf("first element = %s created %q, want CreationInfo created 2026-11-20T12:00:00Z", v.Graph[0].Type, v.Graph[0].Created)
			}
			n := 0
			for _, e := range v.Graph {
				if e.Type == "ai_AIPackage" {
					n++
				}
			}
			if n == 0 || len(v.roots()) == 0 {
				t.Errorf("%d ai_AIPackage, %d root elements; want some of each", n, len(v.roots()))
			}
		})
	}
}

func TestExportSPDXOneSystem(t *testing.T) {
	v, _ := spdxOutput(t, "--system", "Consumer credit scoring", "--namespace", "https://bank.example/spdx", example)
	want := "https://bank.example/spdx/system/6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"
	if r := v.roots(); len(r) != 1 || r[0] != want {
		t.Errorf("rootElement = %q, want [%s]", r, want)
	}
}

// TestExportSPDXDeterministic checks that --date makes the output
// reproducible.
func TestExportSPDXDeterministic(t *testing.T) {
	_, a := spdxOutput(t, "--date", "2026-11-20", example)
	_, b := spdxOutput(t, "--date", "2026-11-20", example)
	if a != b {
		t.Error("two runs of export spdx --date 2026-11-20 differ")
	}
}

func TestExportSPDXErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad date", []string{"--date", "20-11-2026", example}, "is not of the form YYYY-MM-DD"},
		{"relative namespace", []string{"--namespace", "spdx/", example}, "namespace is not an absolute URI"},
		{"unknown system", []string{"--system", "No such system", example}, "No such system"},
		{"not a folder", []string{"no-such-folder"}, "is not a folder"},
		{"bad flag", []string{"--spec", "1.7", example}, "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, append([]string{"export", "spdx"}, tc.args...)...)
			if code != exitError || out != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("export spdx %v = %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, out, stderr, exitError, tc.want)
			}
		})
	}
}
