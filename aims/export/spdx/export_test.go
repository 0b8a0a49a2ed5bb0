package spdx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/export/spdx"
	"github.com/aimskit/aimskit/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// folders are the example governance folders the export is tested on.
var folders = []struct{ name, dir string }{
	{"credit-scoring", "../../../examples/credit-scoring/governance"},
	{"llm-support-chat", "../../../examples/llm-support-chat/governance"},
}

var (
	creditScoring  = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	supportChatbot = uuid.MustParse("2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60")
)

func loadDir(t testing.TB, dir string) *aims.Snapshot {
	t.Helper()
	f, err := aims.Load(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatalf("aims.Load(%s) = %v", dir, err)
	}
	return f
}

// fixed returns options with a fixed clock.
func fixed(system uuid.UUID) *spdx.Options {
	return &spdx.Options{
		System: system,
		Time:   func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) },
	}
}

func export(t testing.TB, f *aims.Snapshot, opts *spdx.Options) []byte {
	t.Helper()
	out, err := spdx.Export(f, opts)
	if err != nil {
		t.Fatalf("Export = %v", err)
	}
	return out
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

// TestGolden pins the output for both example folders. The nested module
// internal/spdxschema validates these files against the official SPDX
// 3.0.1 JSON Schema.
func TestGolden(t *testing.T) {
	for _, fo := range folders {
		t.Run(fo.name, func(t *testing.T) {
			golden(t, fo.name+".spdx.json", export(t, loadDir(t, fo.dir), fixed(uuid.Nil)))
		})
	}
	t.Run("credit-scoring/one system", func(t *testing.T) {
		golden(t, "credit-scoring.system.spdx.json", export(t, loadDir(t, folders[0].dir), fixed(creditScoring)))
	})
}

// graph is what the tests read back from the output.
type graph struct {
	Context string           `json:"@context"`
	Graph   []map[string]any `json:"@graph"`
}

func decode(t testing.TB, b []byte) graph {
	t.Helper()
	var g graph
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&g); err != nil {
		t.Fatalf("decode output: %v", err)
	}
	return g
}

// byID returns the elements of g by spdxId (and the CreationInfo by @id).
func (g graph) byID() map[string]map[string]any {
	m := make(map[string]map[string]any)
	for _, e := range g.Graph {
		if id, ok := e["spdxId"].(string); ok {
			m[id] = e
		} else if id, ok := e["@id"].(string); ok {
			m[id] = e
		}
	}
	return m
}

func (g graph) ofType(typ string) []map[string]any {
	var out []map[string]any
	for _, e := range g.Graph {
		if e["type"] == typ {
			out = append(out, e)
		}
	}
	return out
}

func strs(v any) []string {
	var out []string
	vs, _ := v.([]any)
	for _, x := range vs {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// TestStructure checks the document's frame: the context, one
// CreationInfo that every element names, one SpdxDocument whose elements
// are exactly the other elements, the tool and creator, and unique ids.
func TestStructure(t *testing.T) {
	for _, fo := range folders {
		t.Run(fo.name, func(t *testing.T) {
			g := decode(t, export(t, loadDir(t, fo.dir), fixed(uuid.Nil)))
			if g.Context != spdx.Context {
				t.Errorf("@context = %q, want %q", g.Context, spdx.Context)
			}
			cis := g.ofType("CreationInfo")
			if len(cis) != 1 {
				t.Fatalf("%d CreationInfo, want 1", len(cis))
			}
			ci := cis[0]
			if ci["specVersion"] != "3.0.1" || ci["created"] != "2026-11-20T09:30:00Z" {
				t.Errorf("CreationInfo = %v, want specVersion 3.0.1 created 2026-11-20T09:30:00Z", ci)
			}
			byID := g.byID()
			for _, ref := range append(strs(ci["createdBy"]), strs(ci["createdUsing"])...) {
				if byID[ref] == nil {
					t.Errorf("CreationInfo names %s, which is not in the graph", ref)
				}
			}
			if tools := strs(ci["createdUsing"]); len(tools) != 1 || byID[tools[0]]["type"] != "Tool" || byID[tools[0]]["name"] != "aimskit" {
				t.Errorf("createdUsing = %v, want the aimskit Tool", tools)
			}
			docs := g.ofType("SpdxDocument")
			if len(docs) != 1 {
				t.Fatalf("%d SpdxDocument, want 1", len(docs))
			}
			doc := docs[0]
			seen := make(map[string]bool)
			var others []string
			for _, e := range g.Graph {
				if e["type"] == "CreationInfo" {
					continue
				}
				id, _ := e["spdxId"].(string)
				if id == "" {
					t.Errorf("element without spdxId: %v", e)
				}
				if seen[id] {
					t.Errorf("spdxId %s twice", id)
				}
				seen[id] = true
				if e["creationInfo"] != "_:creationinfo" {
					t.Errorf("%s: creationInfo = %v, want _:creationinfo", id, e["creationInfo"])
				}
				if e["type"] != "SpdxDocument" {
					others = append(others, id)
				}
			}
			if diff := cmp.Diff(others, strs(doc["element"])); diff != "" {
				t.Errorf("SpdxDocument.element is not the other elements (-graph +element):\n%s", diff)
			}
			var systems []string
			for _, s := range loadDir(t, fo.dir).Systems {
				systems = append(systems, spdx.DefaultNamespace+"system/"+s.ID.String())
			}
			if diff := cmp.Diff(systems, strs(doc["rootElement"])); diff != "" {
				t.Errorf("rootElement (-want +got):\n%s", diff)
			}
			for _, id := range systems {
				if byID[id]["type"] != "ai_AIPackage" {
					t.Errorf("%s is %v, want ai_AIPackage", id, byID[id]["type"])
				}
			}
		})
	}
}

// TestRelationshipsResolve checks that every relationship's from and to
// name elements of the graph, and that the relationships the inventory
// implies are there.
func TestRelationshipsResolve(t *testing.T) {
	for _, fo := range folders {
		t.Run(fo.name, func(t *testing.T) {
			g := decode(t, export(t, loadDir(t, fo.dir), fixed(uuid.Nil)))
			byID := g.byID()
			for _, r := range g.ofType("Relationship") {
				refs := append([]string{r["from"].(string)}, strs(r["to"])...)
				for _, ref := range refs {
					if e := byID[ref]; e == nil || e["type"] == "CreationInfo" {
						t.Errorf("relationship %s names %s, which is not an element of the graph", r["spdxId"], ref)
					}
				}
				if len(strs(r["to"])) == 0 {
					t.Errorf("relationship %s has no to", r["spdxId"])
				}
			}
		})
	}
	g := decode(t, export(t, loadDir(t, folders[0].dir), fixed(creditScoring)))
	sys := spdx.DefaultNamespace + "system/" + creditScoring.String()
	model := sys + "/model/credit-gbm@3.2.0"
	want := map[string][]string{
		sys + "/relationship/contains":         {model},
		model + "/relationship/trainedOn":      {sys + "/dataset/loan-book-2019-2025"},
		model + "/relationship/testedOn":       {sys + "/dataset/holdout-2025"},
		sys + "/relationship/hasDocumentation": nil,
	}
	got := make(map[string][]string)
	for _, r := range g.ofType("Relationship") {
		id := r["spdxId"].(string)
		got[id] = strs(r["to"])
		if _, ok := want[id]; !ok {
			t.Errorf("unexpected relationship %s", id)
		}
	}
	if n := len(got[sys+"/relationship/hasDocumentation"]); n != 4 {
		t.Errorf("credit scoring hasDocumentation %d documents, want 4 (system, risk, impact, SoA)", n)
	}
	want[sys+"/relationship/hasDocumentation"] = got[sys+"/relationship/hasDocumentation"]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("relationships (-want +got):\n%s", diff)
	}
}

// TestAIProfile checks the AI and Dataset profile fields of the credit
// scoring system, its model and data sets.
func TestAIProfile(t *testing.T) {
	f := loadDir(t, folders[0].dir)
	byID := decode(t, export(t, f, fixed(uuid.Nil))).byID()
	sys := byID[spdx.DefaultNamespace+"system/"+creditScoring.String()]
	for key, want := range map[string]any{
		"name":                               "Consumer credit scoring",
		"software_packageVersion":            "3.2",
		"software_primaryPurpose":            "application",
		"ai_autonomyType":                    "no",
		"ai_safetyRiskAssessment":            "high",
		"ai_useSensitivePersonalInformation": "yes",
		"suppliedBy":                         spdx.DefaultNamespace + "agent/Example%20Consumer%20Bank%20AG",
	} {
		if sys[key] != want {
			t.Errorf("system %s = %v, want %v", key, sys[key], want)
		}
	}
	for key, want := range map[string][]string{
		"ai_domain":             {"access to essential private services and essential public services and benefits"},
		"ai_standardCompliance": {spdx.Standard},
		"ai_typeOfModel":        {"gradient-boosted trees"},
	} {
		if got := strs(sys[key]); !slices.Equal(got, want) {
			t.Errorf("system %s = %q, want %q", key, got, want)
		}
	}
	for key, want := range map[string]string{
		"ai_informationAboutApplication": "Intended purpose: Estimate the probability of default",
		"ai_informationAboutTraining":    "Trained on loan-book-2019-2025 (internal loan book; core banking export",
		"ai_limitation":                  "Known bias in data set loan-book-2019-2025: under-representation of applicants under 25.",
		"comment":                        "EU AI Act classification: high-risk, Annex III 5(b).",
	} {
		if s, _ := sys[key].(string); !strings.Contains(s, want) {
			t.Errorf("system %s = %q, want it to contain %q", key, s, want)
		}
	}
	model := byID[spdx.DefaultNamespace+"system/"+creditScoring.String()+"/model/credit-gbm@3.2.0"]
	if model["type"] != "ai_AIPackage" || model["software_primaryPurpose"] != "model" {
		t.Errorf("model = %v, want an ai_AIPackage with purpose model", model)
	}
	if h := model["verifiedUsing"].([]any)[0].(map[string]any); h["algorithm"] != "sha256" || h["hashValue"] != "9f2d6c1b8a7e4f3d2c1b0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c" {
		t.Errorf("model verifiedUsing = %v", h)
	}
	data := byID[spdx.DefaultNamespace+"system/"+creditScoring.String()+"/dataset/loan-book-2019-2025"]
	for key, want := range map[string]any{
		"type":                    "dataset_DatasetPackage",
		"software_primaryPurpose": "data",
		"dataset_hasSensitivePersonalInformation": "yes",
		"dataset_intendedUse":                     "Training the models of Consumer credit scoring.",
		"dataset_dataCollectionProcess":           "Source: internal loan book. Provenance: core banking export, pseudonymised by the data office.",
	} {
		if data[key] != want {
			t.Errorf("data set %s = %v, want %v", key, data[key], want)
		}
	}
	if got := strs(data["dataset_datasetType"]); !slices.Equal(got, []string{"noAssertion"}) {
		t.Errorf("dataset_datasetType = %q, want [noAssertion]", got)
	}

	chat := byID[spdx.DefaultNamespace+"system/"+supportChatbot.String()]
	if chat["ai_safetyRiskAssessment"] != "low" || chat["ai_autonomyType"] != "no" {
		t.Errorf("support chatbot safety %v autonomy %v, want low, no", chat["ai_safetyRiskAssessment"], chat["ai_autonomyType"])
	}
}

// TestMetrics checks that monitoring thresholds become metrics and
// decision thresholds, and that a folder without a management system is
// created by the aimskit software agent.
func TestMetrics(t *testing.T) {
	g := decode(t, export(t, loadDir(t, folders[1].dir), fixed(uuid.Nil)))
	byID := g.byID()
	sys := byID[spdx.DefaultNamespace+"system/"+supportChatbot.String()]
	metric, _ := json.Marshal(sys["ai_metric"])
	threshold, _ := json.Marshal(sys["ai_metricDecisionThreshold"])
	if string(metric) != `[{"key":"drift","type":"DictionaryEntry"}]` || string(threshold) != `[{"key":"drift","type":"DictionaryEntry","value":"0.5"}]` {
		t.Errorf("ai_metric = %s, ai_metricDecisionThreshold = %s", metric, threshold)
	}
	if _, ok := sys["ai_standardCompliance"]; ok {
		t.Errorf("ai_standardCompliance = %v for a folder without a Statement of Applicability", sys["ai_standardCompliance"])
	}
	ci := g.ofType("CreationInfo")[0]
	if by := strs(ci["createdBy"]); len(by) != 1 || byID[by[0]]["type"] != "SoftwareAgent" {
		t.Errorf("createdBy = %v, want the aimskit SoftwareAgent", by)
	}
}

func TestMappings(t *testing.T) {
	for _, tc := range []struct {
		autonomy inventory.Autonomy
		want     string
	}{
		{inventory.AutonomyUnspecified, "noAssertion"},
		{inventory.AutonomyDecisionSupport, "no"},
		{inventory.AutonomyHumanInTheLoop, "no"},
		{inventory.AutonomyHumanOnTheLoop, "no"},
		{inventory.AutonomyAutonomous, "yes"},
		{"bogus", "noAssertion"},
	} {
		if got := spdx.AutonomyType(tc.autonomy); got != tc.want {
			t.Errorf("AutonomyType(%q) = %q, want %q", tc.autonomy, got, tc.want)
		}
	}
	for _, tc := range []struct {
		category inventory.Category
		want     string
	}{
		{inventory.CategoryUnspecified, ""},
		{inventory.CategoryProhibited, "serious"},
		{inventory.CategoryHighRisk, "high"},
		{inventory.CategoryGPAISystemic, "high"},
		{inventory.CategoryDerogated, "medium"},
		{inventory.CategoryMinimal, "low"},
		{inventory.CategoryGPAI, ""},
		{"bogus", ""},
	} {
		if got := spdx.SafetyRisk(tc.category); got != tc.want {
			t.Errorf("SafetyRisk(%q) = %q, want %q", tc.category, got, tc.want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := export(t, loadDir(t, folders[0].dir), fixed(uuid.Nil))
	b := export(t, loadDir(t, folders[0].dir), fixed(uuid.Nil))
	if !bytes.Equal(a, b) {
		t.Error("two exports of the same folder with the same clock differ")
	}
	later := fixed(uuid.Nil)
	later.Time = func() time.Time { return time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC) }
	c := decode(t, export(t, loadDir(t, folders[0].dir), later))
	if docID(decode(t, a)) == docID(c) {
		t.Error("the document id does not change with the creation time")
	}
}

func docID(g graph) string { return g.ofType("SpdxDocument")[0]["spdxId"].(string) }

func TestNamespace(t *testing.T) {
	f := loadDir(t, folders[1].dir)
	for _, tc := range []struct{ ns, prefix string }{
		{"https://example.com/spdx", "https://example.com/spdx/system/"},
		{"https://example.com/spdx/", "https://example.com/spdx/system/"},
		{"urn:example:", "urn:example:system/"},
	} {
		t.Run(tc.ns, func(t *testing.T) {
			opts := fixed(uuid.Nil)
			opts.Namespace = tc.ns
			g := decode(t, export(t, f, opts))
			root := strs(g.ofType("SpdxDocument")[0]["rootElement"])
			if want := tc.prefix + supportChatbot.String(); !slices.Equal(root, []string{want}) {
				t.Errorf("rootElement = %q, want [%s]", root, want)
			}
		})
	}
}

func TestExportErrors(t *testing.T) {
	f := loadDir(t, folders[0].dir)
	tests := []struct {
		name string
		f    *aims.Snapshot
		opts *spdx.Options
		want error
	}{
		{"nil folder", nil, nil, spdx.ErrNoFolder},
		{"unknown system", f, &spdx.Options{System: uuid.MustParse("00000000-0000-4000-8000-000000000001")}, aims.ErrUnknownSystem},
		{"relative namespace", f, &spdx.Options{Namespace: "spdx/"}, spdx.ErrNamespace},
		{"namespace with a space", f, &spdx.Options{Namespace: "https://example.com/a b/"}, spdx.ErrNamespace},
		{"blank node namespace", f, &spdx.Options{Namespace: "_:x"}, spdx.ErrNamespace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := spdx.Export(tt.f, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Errorf("Export = %v, want an error matching %v", err, tt.want)
			}
		})
	}
}

// TestHostileSnapshot exports folders built by hand, not loaded: empty,
// with nil and sparse systems, and with odd names and digests. None may
// panic, and each output must be JSON.
func TestHostileSnapshot(t *testing.T) {
	id := uuid.MustParse("00000000-0000-4000-8000-0000000000aa")
	for _, tc := range []struct {
		name string
		f    *aims.Snapshot
	}{
		{"empty", &aims.Snapshot{}},
		{"nil system", &aims.Snapshot{Systems: []*inventory.System{nil}}},
		{"sparse system", &aims.Snapshot{Systems: []*inventory.System{{ID: id}}}},
		{"odd values", &aims.Snapshot{Systems: []*inventory.System{{
			ID:   id,
			Name: "a/b #c",
			Resources: inventory.Resources{
				Models:   []inventory.Model{{Name: "m/../x", Version: "?v=1", Digest: "sha256:zz"}, {Name: "m/../x", Version: "?v=1"}},
				Datasets: []inventory.Dataset{{Name: "d d", Purpose: "nonsense", Digest: "sha256:"}, {Name: "d d"}},
			},
			Monitoring: inventory.Monitoring{Thresholds: []inventory.MetricThreshold{{Metric: ""}}},
			Facts:      &inventory.Facts{AnnexIII: []string{"9(z)", ""}},
		}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := spdx.Export(tc.f, fixed(uuid.Nil))
			if err != nil {
				t.Fatalf("Export = %v", err)
			}
			if !json.Valid(out) {
				t.Errorf("output is not JSON:\n%s", out)
			}
		})
	}
}

// TestEnergy: a model's declared energy becomes its ai_energyConsumption
// in kilowatt-hours; a model without one has none. The golden file is
// validated against the SPDX 3.0.1 JSON Schema with the others.
func TestEnergy(t *testing.T) {
	f := loadDir(t, folders[0].dir)
	sys := f.System(creditScoring)
	if sys == nil || len(sys.Resources.Models) == 0 {
		t.Fatal("the credit-scoring system has no model")
	}
	sys.Resources.Models[0].Energy = inventory.Energy{TrainingKWh: 182.5, InferenceKWh: 0.75}
	out := export(t, f, fixed(creditScoring))
	golden(t, "credit-scoring.energy.spdx.json", out)
	var model map[string]any
	for _, e := range decode(t, out).Graph {
		if e["software_primaryPurpose"] == "model" {
			model = e
		}
	}
	want := map[string]any{
		"type": "ai_EnergyConsumption",
		"ai_trainingEnergyConsumption": []any{map[string]any{
			"type": "ai_EnergyConsumptionDescription", "ai_energyQuantity": 182.5, "ai_energyUnit": "kilowattHour"}},
		"ai_inferenceEnergyConsumption": []any{map[string]any{
			"type": "ai_EnergyConsumptionDescription", "ai_energyQuantity": 0.75, "ai_energyUnit": "kilowattHour"}},
	}
	if diff := cmp.Diff(want, model["ai_energyConsumption"]); diff != "" {
		t.Errorf("ai_energyConsumption of the model (-want +got):\n%s", diff)
	}
	for _, e := range decode(t, export(t, loadDir(t, folders[0].dir), fixed(creditScoring))).Graph {
		if _, ok := e["ai_energyConsumption"]; ok {
			t.Errorf("%v has ai_energyConsumption, but no energy is declared", e["spdxId"])
		}
	}
}
