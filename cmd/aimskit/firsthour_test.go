package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// firstHour returns the command lines of the README's first-hour
// walk-through: the shell block after the first-hour marker, with
// continued lines joined and comments after the command dropped. A line
// that is only a comment is returned as it is.
func firstHour(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "<!-- first-hour -->\n```sh\n")
	if !ok {
		t.Fatal("README.md has no first-hour block")
	}
	block, _, _ := strings.Cut(rest, "```")
	var out []string
	cont := ""
	for _, line := range strings.Split(strings.TrimSuffix(block, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			out = append(out, line)
			continue
		}
		if i := strings.Index(line, "  #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if c, ok := strings.CutSuffix(line, "\\"); ok {
			cont += c + " "
			continue
		}
		out = append(out, cont+line)
		cont = ""
	}
	return out
}

// shellWords splits a command line into words, with double quotes.
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	in, any := false, false
	for _, r := range line {
		switch {
		case r == '"':
			in, any = !in, true
		case r == ' ' && !in:
			if any {
				words = append(words, w.String())
				w.Reset()
				any = false
			}
		default:
			w.WriteRune(r)
			any = true
		}
	}
	if any {
		words = append(words, w.String())
	}
	return words
}

// TestFirstHour runs the README's first-hour walk-through as written, in
// an empty folder, with the filling in done as the scaffold's comments
// say.
func TestFirstHour(t *testing.T) {
	lines := firstHour(t)
	if len(lines) < 7 {
		t.Fatalf("first-hour block has %d lines: %q", len(lines), lines)
	}
	t.Chdir(t.TempDir())
	validated := 0
	for _, line := range lines {
		if strings.HasPrefix(line, "#") {
			if !strings.Contains(line, "fill in") {
				t.Fatalf("unknown step %q", line)
			}
			fillDeploymentGate(t, "governance")
			deleteTODOs(t, "governance")
			continue
		}
		words := shellWords(line)
		if words[0] == "go" {
			continue // installing the CLI: the test runs it in process
		}
		if words[0] != "aimskit" {
			t.Fatalf("step %q does not run aimskit", line)
		}
		code, out, stderr := runCLI(t, words[1:]...)
		if code != exitOK {
			t.Fatalf("%s = %d, want 0:\n%s%s", line, code, out, stderr)
		}
		switch words[1] {
		case "validate":
			validated++
			left := strings.Contains(stderr, "placeholders left to fill in")
			if left != (validated == 1) {
				t.Errorf("%s (run %d): placeholders listed = %v:\n%s", line, validated, left, stderr)
			}
		case "gate":
			if !strings.Contains(out, "ALLOW") && !strings.Contains(out, "WARN") || !strings.Contains(out, "applied:") {
				t.Errorf("%s: want an allowed and applied decision:\n%s", line, out)
			}
		case "evidence":
			if !strings.Contains(out, "intact: 2 records,") {
				t.Errorf("%s: want the decision and the stage change, intact:\n%s", line, out)
			}
		}
	}
	b, err := os.ReadFile(filepath.Join("governance", "ai-system.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "stage: deployment") {
		t.Errorf("governance/ai-system.yaml was not moved to deployment")
	}
}
