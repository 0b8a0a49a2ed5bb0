package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

var testChange = inventory.StageChange{From: inventory.StageVerificationValidation, To: inventory.StageDeployment,
	Date: document.DateOf(time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)), By: "release-bot", Decision: "01a2424f-fe1b-7486-9af9-2b1bcd2bed1c",
	Models: []string{"credit-gbm@3.2.0"}}

const testEntry = `{from: verification-and-validation, to: deployment, date: "2026-12-04", by: release-bot, ` +
	`decision: "01a2424f-fe1b-7486-9af9-2b1bcd2bed1c", models: ["credit-gbm@3.2.0"]}`

var editStageTests = []struct {
	name, in, want string
}{
	{
		name: "flow entries",
		in:   "kind: AISystem\nlifecycle:\n  stage: verification-and-validation\n  history:\n    - {from: inception, to: verification-and-validation, date: \"2026-03-02\"}\nresources: {}\n",
		want: "kind: AISystem\nlifecycle:\n  stage: deployment\n  history:\n    - {from: inception, to: verification-and-validation, date: \"2026-03-02\"}\n    - " + testEntry + "\nresources: {}\n",
	},
	{
		name: "no history",
		in:   "lifecycle:\n    stage: \"verification-and-validation\" # now\n    status: active\n",
		want: "lifecycle:\n    stage: \"deployment\" # now\n    history:\n      - " + testEntry + "\n    status: active\n",
	},
	{
		name: "empty history",
		in:   "lifecycle:\n  history:   # none yet\n  stage: verification-and-validation\n",
		want: "lifecycle:\n  history:   # none yet\n    - " + testEntry + "\n  stage: deployment\n",
	},
	{
		name: "history []",
		in:   "lifecycle:\n  history: []\n  stage: verification-and-validation\n",
		want: "lifecycle:\n  history:\n    - " + testEntry + "\n  stage: deployment\n",
	},
	{
		name: "history [] with a comment",
		in:   "lifecycle:\n  history: [ ] # none\n  stage: verification-and-validation\n",
		want: "lifecycle:\n  history:  # none\n    - " + testEntry + "\n  stage: deployment\n",
	},
	{
		name: "block entries and trailing comment",
		in:   "lifecycle:\n  stage: verification-and-validation\n  history:\n  - from: inception\n    to: verification-and-validation\n    note: |\n      line one\n\n      line two\n\n  # the end\nx: 1\n",
		want: "lifecycle:\n  stage: deployment\n  history:\n  - from: inception\n    to: verification-and-validation\n    note: |\n      line one\n\n      line two\n  - " + testEntry + "\n\n  # the end\nx: 1\n",
	},
	{
		name: "crlf and no final newline",
		in:   "lifecycle:\r\n  stage: verification-and-validation\r\n  history:\r\n    - {from: inception, to: verification-and-validation}",
		want: "lifecycle:\r\n  stage: deployment\r\n  history:\r\n    - {from: inception, to: verification-and-validation}\r\n    - " + testEntry + "\r\n",
	},
}

func TestEditStage(t *testing.T) {
	for _, tt := range editStageTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := editStage([]byte(tt.in), testChange)
			if err != nil {
				t.Fatalf("editStage = %v", err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("editStage (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEditStageRefuses(t *testing.T) {
	for _, tt := range []struct{ name, in string }{
		{"flow lifecycle", "lifecycle: {stage: verification-and-validation}\n"},
		{"other stage", "lifecycle:\n  stage: design-and-development\n"},
		{"no lifecycle", "kind: AISystem\n"},
		{"two documents", "lifecycle:\n  stage: verification-and-validation\n---\nx: 1\n"},
		{"anchored stage", "lifecycle:\n  stage: &s verification-and-validation\n"},
		{"block scalar stage", "lifecycle:\n  stage: |-\n    verification-and-validation\n"},
		{"flow history", "lifecycle:\n  stage: verification-and-validation\n  history: [{from: inception, to: design-and-development}]\n"},
		{"not YAML", "lifecycle: [\n"},
		{"JSON", `{"lifecycle": {"stage": "verification-and-validation"}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := editStage([]byte(tt.in), testChange)
			if !errors.Is(err, errCannotEdit) {
				t.Errorf("editStage = %q, %v; want an error matching errCannotEdit", got, err)
			}
		})
	}
}

// FuzzEditStage: editStage never panics, and either refuses or gives a
// text that parses with the new stage and the entry last in the history.
func FuzzEditStage(f *testing.F) {
	for _, tt := range editStageTests {
		f.Add(tt.in, "release-bot")
	}
	f.Add("lifecycle:\n  stage: verification-and-validation\n", "a \"quoted\" #actor: x")
	f.Add("lifecycle:\n  stage: verification-and-validation\n  history:\n  -\n    from: a\n", "true")
	f.Add("lifecycle:\n  stage: 'verification-and-validation'\n  history:\n  - a\n  - b: |+\n      x\n\n", "ü")
	f.Fuzz(func(t *testing.T, in, actor string) {
		change := testChange
		change.By = actor
		out, err := editStage([]byte(in), change)
		if err != nil {
			if !errors.Is(err, errCannotEdit) {
				t.Fatalf("editStage = %v, want an error matching errCannotEdit", err)
			}
			return
		}
		var doc struct {
			Lifecycle struct {
				Stage   string           `yaml:"stage"`
				History []map[string]any `yaml:"history"`
			} `yaml:"lifecycle"`
		}
		if err := yaml.Unmarshal(out, &doc); err != nil {
			t.Fatalf("the edited text does not parse: %v\n%s", err, out)
		}
		if doc.Lifecycle.Stage != string(change.To) {
			t.Errorf("edited stage = %q, want %q\n%s", doc.Lifecycle.Stage, change.To, out)
		}
		h := doc.Lifecycle.History
		if len(h) == 0 || h[len(h)-1]["by"] != actor && actor != "" || h[len(h)-1]["decision"] != change.Decision {
			t.Errorf("edited history = %v, want the entry by %q last\n%s", h, actor, out)
		}
		if n, m := strings.Count(in, "\n"), strings.Count(string(out), "\n"); m < n+1 || m > n+3 {
			t.Errorf("the edited text has %d lines for %d: it is not a small edit\n%q\n%q", m, n, in, out)
		}
	})
}
