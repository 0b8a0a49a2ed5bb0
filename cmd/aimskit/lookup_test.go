package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
)

func TestFindSystem(t *testing.T) {
	f, err := aims.Load(context.Background(), os.DirFS(example))
	if err != nil {
		t.Fatal(err)
	}
	credit := uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	tests := []struct {
		name, s string
		want    uuid.UUID
		wantErr string
	}{
		{"id", credit.String(), credit, ""},
		{"name", "Consumer credit scoring", credit, ""},
		{"prefix of a name", "Consumer credit", uuid.Nil,
			`no AI system "Consumer credit" (give an id or an exact name); the AI systems, closest first:` +
				"\n  6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10  \"Consumer credit scoring\"" +
				"\n  2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60  \"Customer support assistant\""},
		{"typo", "Customer suport assistant", uuid.Nil,
			`no AI system "Customer suport assistant" (give an id or an exact name); the AI systems, closest first:` +
				"\n  2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60  \"Customer support assistant\"" +
				"\n  6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10  \"Consumer credit scoring\""},
		{"prefix of an id", "2b8e", uuid.Nil,
			`no AI system "2b8e" (give an id or an exact name); the AI systems, closest first:` +
				"\n  2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60  \"Customer support assistant\"" +
				"\n  6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10  \"Consumer credit scoring\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := findSystem(f, tt.s)
			var gotErr string
			if err != nil {
				gotErr = err.Error()
			}
			if got != tt.want || gotErr != tt.wantErr {
				t.Errorf("findSystem(%q) = %v, %q\nwant %v, %q", tt.s, got, gotErr, tt.want, tt.wantErr)
			}
		})
	}
}

func TestSuggestions(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"command", []string{"valdate"}, `aimskit: unknown command "valdate"; did you mean validate?`},
		{"command far from any", []string{"frobnicate"}, `aimskit: unknown command "frobnicate"` + "\n"},
		{"schema kind", []string{"schema", "aisystem"}, `aimskit schema: unknown kind "aisystem"; did you mean AISystem?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitError || !strings.Contains(stderr, tt.want) {
				t.Errorf("aimskit %v = %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
			}
		})
	}
}
