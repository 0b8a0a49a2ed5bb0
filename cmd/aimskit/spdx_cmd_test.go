package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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

// TestExportSPDXEnergy: a model whose energy a user declares in the YAML
// (as the README says) gets its ai_energyConsumption in kilowatt-hours;
// a negative energy is a validation problem at its line, and nothing is
// exported.
func TestExportSPDXEnergy(t *testing.T) {
	dir := copyExample(t, nil)
	path := filepath.Join(dir, "ai-system-credit-scoring.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	declare := func(energy string) {
		t.Helper()
		const at = "      origin: in-house\n"
		if !bytes.Contains(b, []byte(at)) {
			t.Fatalf("%s has no %q to add the energy after", path, at)
		}
		edited := bytes.Replace(b, []byte(at), []byte(at+"      energy: "+energy+"\n"), 1)
		if err := os.WriteFile(path, edited, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	declare("{trainingKWh: 182.5, inferenceKWh: 0.75}")
	_, out := spdxOutput(t, "--date", "2026-11-20", dir)
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var energy []any
	for _, e := range doc.Graph {
		if e["name"] == "credit-gbm" && e["software_primaryPurpose"] == "model" {
			ec, _ := e["ai_energyConsumption"].(map[string]any)
			energy = append(energy, ec["ai_trainingEnergyConsumption"], ec["ai_inferenceEnergyConsumption"])
		}
	}
	want := `[[{"ai_energyQuantity":182.5,"ai_energyUnit":"kilowattHour","type":"ai_EnergyConsumptionDescription"}],[{"ai_energyQuantity":0.75,"ai_energyUnit":"kilowattHour","type":"ai_EnergyConsumptionDescription"}]]`
	if got, _ := json.Marshal(energy); string(got) != want {
		t.Errorf("the model's energy in the SPDX output = %s, want %s", got, want)
	}

	declare("{trainingKWh: -5}")
	code, out, stderr := runCLI(t, "export", "spdx", dir)
	if code == exitOK || out != "" || !strings.Contains(stderr, "/resources/models/0/energy/trainingKWh") {
		t.Errorf("export spdx with a negative energy = %d, %d bytes out; stderr:\n%s", code, len(out), stderr)
	}
}
