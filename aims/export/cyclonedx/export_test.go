package cyclonedx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/export/cyclonedx"
	"github.com/aimskit/aimskit/controls"
)

const governance = "../../../examples/credit-scoring/governance"

var creditScoring = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")

func loadFolder(t testing.TB) *aims.Snapshot {
	t.Helper()
	f, err := aims.Load(context.Background(), os.DirFS(governance))
	if err != nil {
		t.Fatalf("aims.Load(%s) = %v", governance, err)
	}
	return f
}

// fixed returns options with a fixed clock and serial number.
func fixed(system uuid.UUID) *cyclonedx.Options {
	return &cyclonedx.Options{
		System:       system,
		Time:         func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) },
		SerialNumber: func() (uuid.UUID, error) { return uuid.MustParse("3e671687-395b-41f5-a30f-a58921a69b79"), nil },
	}
}

// bomSchema compiles the official CycloneDX 1.6 schema from testdata,
// refusing to load anything over the network.
func bomSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema not preloaded: %s", u)
	}
	for _, name := range []string{"bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("http://cyclonedx.org/schema/"+name, bytes.NewReader(b)); err != nil {
			t.Fatalf("AddResource(%s) = %v", name, err)
		}
	}
	s, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatalf("Compile = %v", err)
	}
	return s
}

func decode(t testing.TB, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode output: %v", err)
	}
	return v
}

// bomView is what the tests read back from the output.
type bomView struct {
	BOMFormat    string `json:"bomFormat"`
	SpecVersion  string `json:"specVersion"`
	SerialNumber string `json:"serialNumber"`
	Metadata     struct {
		Timestamp string        `json:"timestamp"`
		Component componentView `json:"component"`
	} `json:"metadata"`
	Components  []componentView `json:"components"`
	Definitions struct {
		Standards []struct {
			BOMRef       string `json:"bom-ref"`
			Requirements []struct {
				BOMRef     string `json:"bom-ref"`
				Identifier string `json:"identifier"`
			} `json:"requirements"`
		} `json:"standards"`
	} `json:"definitions"`
	Declarations struct {
		Attestations []struct {
			Map []struct {
				Requirement string `json:"requirement"`
			} `json:"map"`
		} `json:"attestations"`
		Claims []struct {
			BOMRef    string `json:"bom-ref"`
			Predicate string `json:"predicate"`
			Reasoning string `json:"reasoning"`
		} `json:"claims"`
	} `json:"declarations"`
}

type componentView struct {
	Type      string `json:"type"`
	BOMRef    string `json:"bom-ref"`
	Name      string `json:"name"`
	ModelCard *struct {
		Considerations struct {
			UseCases []string `json:"useCases"`
		} `json:"considerations"`
	} `json:"modelCard"`
	Hashes []struct {
		Alg string `json:"alg"`
	} `json:"hashes"`
}

func view(t testing.TB, b []byte) bomView {
	t.Helper()
	var v bomView
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestExportValidatesAgainstSchema(t *testing.T) {
	f := loadFolder(t)
	schema := bomSchema(t)
	tests := []struct {
		name   string
		system uuid.UUID
	}{
		{"all systems", uuid.Nil},
		{"credit scoring", creditScoring},
		{"support chatbot", f.Systems[len(f.Systems)-1].ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := cyclonedx.Export(f, fixed(tt.system))
			if err != nil {
				t.Fatalf("Export = %v", err)
			}
			if err := schema.Validate(decode(t, out)); err != nil {
				t.Errorf("output does not validate against bom-1.6.schema.json: %#v", err)
			}
			v := view(t, out)
			if v.BOMFormat != "CycloneDX" || v.SpecVersion != "1.6" || v.SerialNumber != "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" {
				t.Errorf("header = %q %q %q", v.BOMFormat, v.SpecVersion, v.SerialNumber)
			}
			if want := "2026-11-20T09:30:00Z"; v.Metadata.Timestamp != want {
				t.Errorf("metadata.timestamp = %q, want %q", v.Metadata.Timestamp, want)
			}
		})
	}
}

func TestExportIsDeterministic(t *testing.T) {
	f := loadFolder(t)
	a, err := cyclonedx.Export(f, fixed(uuid.Nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := cyclonedx.Export(loadFolder(t), fixed(uuid.Nil))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two exports of the same folder with the same clock and serial number differ")
	}
}

func TestExportOneSystem(t *testing.T) {
	f := loadFolder(t)
	out, err := cyclonedx.Export(f, fixed(creditScoring))
	if err != nil {
		t.Fatal(err)
	}
	v := view(t, out)
	mc := v.Metadata.Component
	if mc.Type != "application" || mc.Name != "Consumer credit scoring" {
		t.Errorf("metadata.component = %s %q, want application %q", mc.Type, mc.Name, "Consumer credit scoring")
	}
	var models, data []string
	for _, c := range v.Components {
		switch c.Type {
		case "machine-learning-model":
			models = append(models, c.Name)
			if c.ModelCard == nil || len(c.ModelCard.Considerations.UseCases) == 0 {
				t.Errorf("model %s has no model card with the intended use", c.Name)
			}
			if len(c.Hashes) != 1 || c.Hashes[0].Alg != "SHA-256" {
				t.Errorf("model %s hashes = %v, want one SHA-256", c.Name, c.Hashes)
			}
		case "data":
			data = append(data, c.Name)
		}
	}
	if want := []string{"credit-gbm"}; !slices.Equal(models, want) {
		t.Errorf("models = %q, want %q", models, want)
	}
	if want := []string{"loan-book-2019-2025", "holdout-2025"}; !slices.Equal(data, want) {
		t.Errorf("datasets = %q, want %q", data, want)
	}
}

func TestExportEveryAnnexAControl(t *testing.T) {
	f := loadFolder(t)
	out, err := cyclonedx.Export(f, fixed(uuid.Nil))
	if err != nil {
		t.Fatal(err)
	}
	v := view(t, out)
	reqs := make(map[string]bool)
	for _, s := range v.Definitions.Standards {
		if s.BOMRef != cyclonedx.StandardRef {
			continue
		}
		for _, r := range s.Requirements {
			reqs[r.BOMRef] = true
		}
	}
	attested := make(map[string]bool)
	for _, a := range v.Declarations.Attestations {
		for _, m := range a.Map {
			attested[m.Requirement] = true
		}
	}
	annex := controls.ISO42001().AnnexA()
	if len(annex) != 38 {
		t.Fatalf("len(AnnexA()) = %d, want 38", len(annex))
	}
	for _, c := range annex {
		if !reqs[string(c.ID)] {
			t.Errorf("%s is not a requirement of %s", c.ID, cyclonedx.StandardRef)
		}
		if !attested[string(c.ID)] {
			t.Errorf("%s is not in the attestation map", c.ID)
		}
	}
	for _, c := range v.Declarations.Claims {
		if c.BOMRef == "aimskit:claim:iso42001:A.10.4" {
			if c.Predicate != "iso42001:A.10.4 is excluded" || c.Reasoning == "" {
				t.Errorf("claim for excluded A.10.4 = %q, reasoning %q; want excluded with a justification", c.Predicate, c.Reasoning)
			}
		}
	}
}

func TestExportErrors(t *testing.T) {
	f := loadFolder(t)
	errSerial := errors.New("no entropy")
	tests := []struct {
		name string
		f    *aims.Snapshot
		opts *cyclonedx.Options
		want error
	}{
		{"nil folder", nil, nil, cyclonedx.ErrNoFolder},
		{"unknown system", f, &cyclonedx.Options{System: uuid.MustParse("00000000-0000-4000-8000-000000000001")}, aims.ErrUnknownSystem},
		{"serial number", f, &cyclonedx.Options{SerialNumber: func() (uuid.UUID, error) { return uuid.Nil, errSerial }}, errSerial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cyclonedx.Export(tt.f, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Errorf("Export = %v, want an error matching %v", err, tt.want)
			}
		})
	}
}

// TestSchemaRejects makes sure the schema set really checks: a component
// type outside the enum must fail.
func TestSchemaRejects(t *testing.T) {
	bad := []byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"not-a-type","name":"x"}]}`)
	if err := bomSchema(t).Validate(decode(t, bad)); err == nil {
		t.Error("Validate(bad BOM) = nil, want an error")
	}
}
