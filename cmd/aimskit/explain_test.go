package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/inventory"
)

// inventory --explain prints the chain from facts to classification to
// obligations, one line per rule with its article, including the rules
// that did not apply and why.
func TestInventoryExplain(t *testing.T) {
	code, out, stderr := runCLI(t, "inventory", "--explain", "Consumer credit scoring", example)
	if code != exitOK {
		t.Fatalf("inventory --explain = %d, want 0; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"Consumer credit scoring (6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10)",
		"classification  high-risk, Annex III 5(b)",
		"basis           derived from the facts",
		"because         creditworthiness and credit scoring is high-risk under Annex III 5(b) (Art. 6(2))",
		"Rules considered:",
		"applies      Annex III 5(b)",
		"not applied  Art. 5(1)(f)",
		"the system does not recognise emotions",
		"applies      Art. 27",
		"FRIA before first use: the deployer of an Annex III 5(b) system",
		"applies      Art. 26(11)",
		"Obligations:",
		"deployer  Art. 27",
		"provider  Art. 49(1)",
		"provider  Art. 4 ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inventory --explain output lacks %q:\n%s", want, out)
		}
	}
}

func TestInventoryExplainJSON(t *testing.T) {
	code, out, stderr := runCLI(t, "inventory", "--explain", "2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60", "--format", "json", example)
	if code != exitOK {
		t.Fatalf("inventory --explain --format json = %d; stderr:\n%s", code, stderr)
	}
	var got struct {
		Name string `json:"name"`
		inventory.Derivation
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Name != "Customer support assistant" || got.Basis != inventory.BasisDerived || got.Classification.Category != inventory.CategoryMinimal {
		t.Errorf("explanation = %s, %s, %s; want Customer support assistant, derived, minimal", got.Name, got.Basis, got.Classification.Category)
	}
	if r, ok := got.Rule("Art. 50(1)"); !ok || !r.Applies {
		t.Errorf("rule Art. 50(1) = %+v, %v; want it to apply", r, ok)
	}
	if r, ok := got.Rule("Art. 6(2)"); !ok || r.Applies {
		t.Errorf("rule Art. 6(2) = %+v, %v; want it reported as not applying", r, ok)
	}
}

// A folder that states its classification without facts still works, and
// inventory --explain and readiness say so.
func TestInventoryExplainStated(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"system.yaml": `apiVersion: aimskit.dev/v1alpha1
kind: AISystem
id: 11111111-1111-4111-8111-111111111111
name: Grid load shedding
accountability:
  businessOwner: {name: Head of Grid Operations}
  technicalLead: {name: Control Systems Lead}
  operatorRoles: [provider, deployer]
purpose: {intended: Shed load to keep the grid stable}
lifecycle: {stage: design-and-development}
classification: {category: high-risk, annexIII: 2(a)}
`})
	code, out, stderr := runCLI(t, "inventory", "--explain", "Grid load shedding", dir)
	if code != exitOK {
		t.Fatalf("inventory --explain = %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"basis           stated, not derived",
		"applies      Art. 49(5)",
		"not applied  Art. 26(11)",
		"no FRIA: Annex III point 2 (critical infrastructure) is excluded from Art. 27(1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inventory --explain output lacks %q:\n%s", want, out)
		}
	}
	code, out, stderr = runCLI(t, "readiness", "--date", "2026-11-02", dir)
	if code != exitOK {
		t.Fatalf("readiness = %d; stderr:\n%s", code, stderr)
	}
	if want := "Grid load shedding: high-risk, stated, not derived"; !strings.Contains(out, want) {
		t.Errorf("readiness output lacks %q:\n%s", want, out)
	}
	code, out, _ = runCLI(t, "readiness", "--format", "json", dir)
	if code != exitOK || !strings.Contains(out, `"stated": [`) {
		t.Errorf("readiness --format json = %d, want the stated classifications:\n%s", code, out)
	}
}

func TestInventoryExplainErrors(t *testing.T) {
	code, _, stderr := runCLI(t, "inventory", "--explain", "Credit scoring", example)
	if code != exitError || !strings.Contains(stderr, "Consumer credit scoring") {
		t.Errorf("inventory --explain of an unknown system = %d, %q; want %d and the known systems listed", code, stderr, exitError)
	}
}

// A stated classification that the facts contradict is a problem that
// names both.
func TestValidateContradiction(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"system.yaml": `apiVersion: aimskit.dev/v1alpha1
kind: AISystem
id: 11111111-1111-4111-8111-111111111111
name: Call-centre mood monitor
accountability:
  businessOwner: {name: Head of Customer Service}
  technicalLead: {name: Analytics Lead}
  operatorRoles: [deployer]
purpose: {intended: Detect the mood of agents on calls}
lifecycle: {stage: design-and-development}
facts:
  capabilities: [emotion-recognition]
  contexts: [workplace]
classification: {category: minimal}
recordKeeping: {logRetentionMonths: 3}
`})
	code, _, stderr := runCLI(t, "validate", dir)
	if code != exitInvalid {
		t.Fatalf("validate = %d, want %d; stderr:\n%s", code, exitInvalid, stderr)
	}
	for _, want := range []string{
		"system.yaml:/classification/category: stated minimal, but emotion recognition in the workplace is prohibited by Art. 5(1)(f) unless for medical or safety reasons",
		"system.yaml:/classification/transparency: states no Art. 50(3) duty",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("validate stderr lacks %q:\n%s", want, stderr)
		}
	}
}
