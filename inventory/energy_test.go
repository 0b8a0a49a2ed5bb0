package inventory_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
	"github.com/aimskit/aimskit/inventory"
)

// A model's energy is decoded in kilowatt-hours; zero, negative, unknown
// or empty declarations are problems at their field.
func TestModelEnergy(t *testing.T) {
	d, err := document.NewDecoder(inventory.DocumentTypes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	doc := func(energy string) []byte {
		return []byte(`apiVersion: aimskit.dev/v1alpha1
kind: AISystem
id: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
name: Consumer credit scoring
accountability:
  businessOwner: {name: Head of Retail Lending}
  technicalLead: {name: Lead ML Engineer}
purpose:
  intended: Support loan officers
lifecycle:
  stage: design-and-development
classification:
  category: minimal
resources:
  models:
    - name: credit-gbm
      version: "3.2.0"
      energy: ` + energy + "\n")
	}
	v, err := d.Decode("system.yaml", doc("{trainingKWh: 182.5, inferenceKWh: 0.75}"))
	if err != nil {
		t.Fatalf("Decode() = %v", err)
	}
	got := v.(*inventory.System).Resources.Models[0].Energy
	if want := (inventory.Energy{TrainingKWh: 182.5, InferenceKWh: 0.75}); got != want || got.IsZero() {
		t.Errorf("Energy = %+v, want %+v", got, want)
	}
	for _, tt := range []struct{ energy, pointer string }{
		{"{trainingKWh: 0}", "/resources/models/0/energy/trainingKWh"},
		{"{inferenceKWh: -1}", "/resources/models/0/energy/inferenceKWh"},
		{"{trainingKWh: lots}", "/resources/models/0/energy/trainingKWh"},
		{"{trainingWh: 5}", "/resources/models/0/energy/trainingWh"},
		{"{}", "/resources/models/0/energy"},
	} {
		_, err := d.Decode("system.yaml", doc(tt.energy))
		if err == nil {
			t.Errorf("Decode(energy: %s) = nil, want a problem at %s", tt.energy, tt.pointer)
			continue
		}
		ps := documenttest.ProblemStrings(t, err)
		if len(ps) != 1 {
			t.Errorf("Decode(energy: %s) = %d problems, want 1: %v", tt.energy, len(ps), ps)
		}
		if !strings.Contains(strings.Join(ps, "\n"), tt.pointer) {
			t.Errorf("Decode(energy: %s) = %v, want a problem at %s", tt.energy, ps, tt.pointer)
		}
	}
}

// Validate refuses an energy that the schema would, for documents built
// in Go rather than decoded.
func TestModelEnergyValidate(t *testing.T) {
	s := validSystem()
	s.Resources.Models[0].Energy = inventory.Energy{TrainingKWh: -1, InferenceKWh: math.NaN()}
	got := documenttest.Pointers(documenttest.Problems(t, s.Validate()))
	want := []string{"/resources/models/0/energy/trainingKWh", "/resources/models/0/energy/inferenceKWh"}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("Validate() problems at %v, want one at %s", got, w)
		}
	}
	s.Resources.Models[0].Energy = inventory.Energy{TrainingKWh: 182.5}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate(declared energy) = %v", err)
	}
}
