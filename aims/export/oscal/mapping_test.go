package oscal_test

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/export/oscal"
	"github.com/aimskit/aimskit/controls"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func fixedCrosswalk(fw controls.Framework) *oscal.CrosswalkOptions {
	return &oscal.CrosswalkOptions{
		Framework: fw,
		Time:      func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) },
	}
}

type mappingView struct {
	MappingCollection struct {
		UUID     string `json:"uuid"`
		Metadata struct {
			OSCALVersion string `json:"oscal-version"`
		} `json:"metadata"`
		Mappings []struct {
			TargetResource struct {
				Href string `json:"href"`
			} `json:"target-resource"`
			Maps []struct {
				UUID    string `json:"uuid"`
				Sources []struct {
					IDRef string `json:"id-ref"`
				} `json:"sources"`
				Targets []struct {
					IDRef string `json:"id-ref"`
				} `json:"targets"`
				Props []struct {
					Name  string `json:"name"`
					Value string `json:"value"`
				} `json:"props"`
				Remarks string `json:"remarks"`
			} `json:"maps"`
		} `json:"mappings"`
	} `json:"mapping-collection"`
}

func TestCrosswalkValidatesAgainstSchema(t *testing.T) {
	schema := arSchema(t)
	for _, fw := range []controls.Framework{controls.FrameworkUnspecified, controls.FrameworkNISTAIRMF, controls.FrameworkEUAIAct} {
		t.Run(string(fw), func(t *testing.T) {
			out, err := oscal.Crosswalk(nil, fixedCrosswalk(fw))
			if err != nil {
				t.Fatalf("Crosswalk = %v", err)
			}
			if err := schema.Validate(decode(t, out)); err != nil {
				t.Errorf("output does not validate against the OSCAL 1.2.2 complete schema: %#v", err)
			}
		})
	}
}

// TestCrosswalkGolden pins the whole collection.
func TestCrosswalkGolden(t *testing.T) {
	out, err := oscal.Crosswalk(controls.ISO42001(), fixedCrosswalk(controls.FrameworkUnspecified))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "crosswalk.mapping-collection.json")
	if *update {
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(out)); diff != "" {
		t.Errorf("crosswalk differs (-want +got); run go test -update if the change is meant:\n%s", diff)
	}
}

// TestCrosswalkEveryRow checks that each row of the catalogue's crosswalks
// is one map, in order, with its basis, source and note, and that no UUID
// repeats.
func TestCrosswalkEveryRow(t *testing.T) {
	out, err := oscal.Crosswalk(nil, fixedCrosswalk(controls.FrameworkUnspecified))
	if err != nil {
		t.Fatal(err)
	}
	var v mappingView
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	mc := v.MappingCollection
	if mc.Metadata.OSCALVersion != oscal.MappingVersion {
		t.Errorf("oscal-version = %q, want %q", mc.Metadata.OSCALVersion, oscal.MappingVersion)
	}
	type row struct{ From, To, Basis, Source, Note string }
	var got []row
	seen := map[string]bool{mc.UUID: true}
	hrefs := make([]string, 0, 2)
	for _, m := range mc.Mappings {
		hrefs = append(hrefs, m.TargetResource.Href)
		for _, mp := range m.Maps {
			if seen[mp.UUID] {
				t.Errorf("UUID %s repeats", mp.UUID)
			}
			seen[mp.UUID] = true
			r := row{From: mp.Sources[0].IDRef, To: mp.Targets[0].IDRef, Note: mp.Remarks}
			for _, p := range mp.Props {
				switch p.Name {
				case "basis":
					r.Basis = p.Value
				case "source":
					r.Source = p.Value
				}
			}
			got = append(got, r)
		}
	}
	var want []row
	for _, m := range controls.ISO42001().Mappings() {
		want = append(want, row{From: m.From.Ref(), To: m.To, Basis: string(m.Basis), Source: m.Source, Note: m.Note})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("maps differ from the catalogue's mappings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{oscal.NISTAIRMFHref, oscal.EUAIActHref}, hrefs); diff != "" {
		t.Errorf("target resources (-want +got):\n%s", diff)
	}
	bases := make(map[string]int)
	for _, r := range got {
		bases[r.Basis]++
	}
	if bases["official"] == 0 || bases["derived"] == 0 {
		t.Errorf("bases = %v, want official and derived rows", bases)
	}
}

func TestCrosswalkUnknownFramework(t *testing.T) {
	for _, fw := range []controls.Framework{"nist-csf", "EU-AI-ACT", " "} {
		if _, err := oscal.Crosswalk(nil, fixedCrosswalk(fw)); !errors.Is(err, oscal.ErrUnknownFramework) {
			t.Errorf("Crosswalk(%q) = %v, want %v", fw, err, oscal.ErrUnknownFramework)
		}
	}
}

// TestMappingSchemaRejects makes sure the schema really checks a
// mapping-collection: one without its provenance must fail.
func TestMappingSchemaRejects(t *testing.T) {
	out, err := oscal.Crosswalk(nil, fixedCrosswalk(controls.FrameworkEUAIAct))
	if err != nil {
		t.Fatal(err)
	}
	v := decode(t, out).(map[string]any)
	delete(v["mapping-collection"].(map[string]any), "provenance")
	if err := arSchema(t).Validate(v); err == nil {
		t.Error("Validate(mapping-collection without provenance) = nil, want an error")
	}
}
