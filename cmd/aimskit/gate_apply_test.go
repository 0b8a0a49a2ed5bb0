package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

const creditFile = "ai-system-credit-scoring.yaml"

var creditID = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")

// lineChanges compares the lines of orig and edited, where edited must be
// orig with some lines replaced and one line inserted, and returns the
// replaced lines (old -> new) and the inserted line.
func lineChanges(t testing.TB, orig, edited []byte) (replaced map[string]string, inserted string) {
	t.Helper()
	o := strings.SplitAfter(string(orig), "\n")
	e := strings.SplitAfter(string(edited), "\n")
	if len(e) != len(o)+1 {
		t.Fatalf("edited file has %d lines, want %d + 1:\n%s", len(e), len(o), edited)
	}
	// The inserted line is the one whose removal leaves the fewest
	// differing lines.
	best, bestDiff := -1, len(e)
	for i := range e {
		rest := append(append([]string(nil), e[:i]...), e[i+1:]...)
		n := 0
		for j := range o {
			if o[j] != rest[j] {
				n++
			}
		}
		if n < bestDiff {
			best, bestDiff = i, n
		}
	}
	rest := append(append([]string(nil), e[:best]...), e[best+1:]...)
	replaced = make(map[string]string)
	for j := range o {
		if o[j] != rest[j] {
			replaced[o[j]] = rest[j]
		}
	}
	return replaced, e[best]
}

// gate --apply on an allowing decision moves the system in its file with
// a diff of two lines, records the move, and the guard built from the
// folder and the log admits the system.
func TestGateApply(t *testing.T) {
	dir := copyExample(t, nil)
	logPath := filepath.Join(t.TempDir(), "evidence.jsonl")
	orig, err := os.ReadFile(filepath.Join(dir, creditFile))
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--apply",
		"--actor", "release-bot", "--log", logPath, dir)
	if code != exitOK {
		t.Fatalf("gate --apply = %d, want 0; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(out, "applied: Consumer credit scoring is now at deployment in "+creditFile) {
		t.Errorf("gate --apply output lacks the applied line:\n%s", out)
	}
	edited, err := os.ReadFile(filepath.Join(dir, creditFile))
	if err != nil {
		t.Fatal(err)
	}
	replaced, inserted := lineChanges(t, orig, edited)
	wantReplaced := map[string]string{"  stage: verification-and-validation\n": "  stage: deployment\n"}
	if len(replaced) != 1 || replaced["  stage: verification-and-validation\n"] != wantReplaced["  stage: verification-and-validation\n"] {
		t.Errorf("replaced lines = %q, want %q", replaced, wantReplaced)
	}
	wantPrefix := `    - {from: verification-and-validation, to: deployment, date: "`
	wantSuffix := `", by: release-bot, decision: "` // then the id
	if !strings.HasPrefix(inserted, wantPrefix) || !strings.Contains(inserted, wantSuffix) ||
		!strings.HasSuffix(inserted, `", models: ["credit-gbm@3.2.0"]}`+"\n") {
		t.Errorf("inserted line = %q, want %s…%s…, models: [\"credit-gbm@3.2.0\"]}", inserted, wantPrefix, wantSuffix)
	}
	if i := strings.Index(string(edited), inserted); !strings.HasSuffix(string(edited[:i]), "Lead ML Engineer}\n") {
		t.Errorf("the entry is not after the last history entry:\n%s", edited)
	}

	ctx := context.Background()
	f, err := aims.Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load after --apply: %v", err)
	}
	rel, err := aims.ReadReleases(ctx, logPath, nil)
	if err != nil {
		t.Fatalf("ReadReleases: %v", err)
	}
	g := aims.NewGuard(f, &aims.GuardOptions{Releases: rel})
	if err := g.Allow(ctx, creditID); err != nil {
		t.Errorf("Guard.Allow after gate --apply = %v, want nil", err)
	}
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), `"type":"stage-change"`); n != 1 {
		t.Errorf("the log holds %d stage-change records, want 1:\n%s", n, log)
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, ".aimskit-apply-*")); len(entries) > 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// gate --apply on a denying decision changes nothing.
func TestGateApplyDenied(t *testing.T) {
	dir := copyExample(t, nil)
	path := filepath.Join(dir, creditFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	orig = bytes.Replace(orig, []byte("canStop: true"), []byte("canStop: false"), 1)
	if err := os.WriteFile(path, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "evidence.jsonl")
	code, out, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--apply",
		"--actor", "release-bot", "--log", logPath, dir)
	if code != exitInvalid {
		t.Fatalf("gate --apply on a denial = %d, want 1; stdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, orig) {
		t.Errorf("gate --apply on a denial changed %s:\n%s", creditFile, got)
	}
	if log, _ := os.ReadFile(logPath); bytes.Contains(log, []byte(`"type":"stage-change"`)) {
		t.Errorf("the log holds a stage change after a denial:\n%s", log)
	}
}

// gate --apply keeps comments, quoting and layout of the file.
func TestGateApplyKeepsComments(t *testing.T) {
	dir := copyExample(t, nil)
	path := filepath.Join(dir, creditFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	odd := bytes.Replace(orig, []byte(`lifecycle:
  stage: verification-and-validation
  status: active
  history:
    - {from: inception, to: design-and-development, date: "2026-03-02", by: Head of Retail Lending}
    - {from: design-and-development, to: verification-and-validation, date: "2026-09-14", by: Lead ML Engineer}
`), []byte(`lifecycle:   # where the system is
  # the stage, quoted
  stage: 'verification-and-validation'   # set by the gate
  history:
  - from: "inception"
    to: 'design-and-development'
    date: 2026-03-02
    by: >-
      Head of
      Retail Lending
  # validated by the second line
  - from: design-and-development
    to: verification-and-validation   # after review
    date: "2026-09-14"
    by: Lead ML Engineer

    # end of history
  status: "active"
`), 1)
	if bytes.Equal(odd, orig) {
		t.Fatal("the example's lifecycle is not as the test expects")
	}
	if err := os.WriteFile(path, odd, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--apply",
		"--actor", "Release Manager", dir)
	if code != exitOK {
		t.Fatalf("gate --apply = %d, want 0; stderr:\n%s", code, stderr)
	}
	edited, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	replaced, inserted := lineChanges(t, odd, edited)
	if len(replaced) != 1 || replaced["  stage: 'verification-and-validation'   # set by the gate\n"] != "  stage: 'deployment'   # set by the gate\n" {
		t.Errorf("replaced lines = %q, want the stage line only, quotes and comment kept", replaced)
	}
	if !strings.HasPrefix(inserted, "  - {from: verification-and-validation, to: deployment, ") ||
		!strings.Contains(inserted, "by: Release Manager,") {
		t.Errorf("inserted line = %q", inserted)
	}
	if !bytes.Contains(edited, []byte("    by: Lead ML Engineer\n"+inserted+"\n    # end of history\n")) {
		t.Errorf("the entry is not right after the last history entry:\n%s", edited)
	}
	if _, err := aims.Load(context.Background(), os.DirFS(dir)); err != nil {
		t.Errorf("Load after --apply: %v", err)
	}
}

// gate --apply refuses, before deciding, a system kept in a JSON file.
func TestGateApplyJSONRefused(t *testing.T) {
	dir := copyExample(t, nil)
	y, err := os.ReadFile(filepath.Join(dir, creditFile))
	if err != nil {
		t.Fatal(err)
	}
	j, err := document.ToJSON(y)
	if err != nil {
		t.Fatal(err)
	}
	jsonPath := filepath.Join(dir, "ai-system-credit-scoring.json")
	if err := os.WriteFile(jsonPath, j, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, creditFile)); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "evidence.jsonl")
	code, _, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--apply",
		"--actor", "release-bot", "--log", logPath, dir)
	if code != exitError || !strings.Contains(stderr, "JSON document") {
		t.Errorf("gate --apply on a JSON file = %d, want 2 and a word on JSON; stderr:\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(jsonPath); !bytes.Equal(got, j) {
		t.Errorf("gate --apply changed the JSON file")
	}
	if _, err := os.Stat(logPath); !os.IsNotExist(err) {
		t.Errorf("gate --apply refused but opened the log: %v", err)
	}
}

func TestGateApplyFlags(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no actor", []string{"--apply"}, "--apply needs --actor"},
		{"actor alone", []string{"--actor", "x"}, "--actor is for --apply"},
		{"date", []string{"--apply", "--actor", "x", "--date", "2026-11-30"}, "--apply cannot be used with --date"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"gate", "--system", "Consumer credit scoring", "--to", "deployment"}, tt.args...)
			code, _, stderr := runCLI(t, append(args, example)...)
			if code != exitError || !strings.Contains(stderr, tt.want) {
				t.Errorf("gate %v = %d, %q; want 2 and %q", tt.args, code, stderr, tt.want)
			}
		})
	}
}

// When the move cannot be recorded, the file is put back as it was.
func TestGateApplyRestoresWithoutEvidence(t *testing.T) {
	ctx := context.Background()
	dir := copyExample(t, nil)
	path := filepath.Join(dir, creditFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := aims.Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	sink := evidence.SinkFunc(func(_ context.Context, r *evidence.Record) error {
		if r.Type == evidence.TypeStageChange {
			return errors.New("disk full")
		}
		return nil
	})
	g, err := aims.NewGate(f, &aims.GateOptions{Evidence: sink})
	if err != nil {
		t.Fatal(err)
	}
	target, err := newApplyTarget(dir, f, nil, creditID, inventory.StageDeployment, "release-bot")
	if err != nil {
		t.Fatalf("newApplyTarget = %v", err)
	}
	d, err := g.Evaluate(ctx, creditID, inventory.StageDeployment, nil)
	if err != nil || !d.Allowed() {
		t.Fatalf("Evaluate = %s, %v", d.Verdict, err)
	}
	if _, err := target.apply(ctx, g, d); !errors.Is(err, aims.ErrNotRecorded) || !strings.Contains(err.Error(), "is restored") {
		t.Errorf("apply = %v, want ErrNotRecorded and the file restored", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, orig) {
		t.Errorf("%s after a failed record:\n%s", creditFile, got)
	}
}

// A file changed between the decision and the move is not edited.
func TestGateApplyRefusesChangedFile(t *testing.T) {
	ctx := context.Background()
	dir := copyExample(t, nil)
	path := filepath.Join(dir, creditFile)
	f, err := aims.Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	g, err := aims.NewGate(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	target, err := newApplyTarget(dir, f, nil, creditID, inventory.StageDeployment, "release-bot")
	if err != nil {
		t.Fatalf("newApplyTarget = %v", err)
	}
	d, err := g.Evaluate(ctx, creditID, inventory.StageDeployment, nil)
	if err != nil || !d.Allowed() {
		t.Fatalf("Evaluate = %s, %v", d.Verdict, err)
	}
	changed := append(bytes.Clone(target.data), "# edited meanwhile\n"...)
	if err := os.WriteFile(path, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := target.apply(ctx, g, d); err == nil || !strings.Contains(err.Error(), "changed since the decision") {
		t.Errorf("apply = %v, want a refusal of the changed file", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, changed) {
		t.Errorf("%s was edited after it changed:\n%s", creditFile, got)
	}
}

// A move that gives the folder a new problem is undone: here a policy
// that does not check human oversight lets a high-risk system without it
// move to deployment, where its absence is a problem.
func TestGateApplyRestoresOnNewProblem(t *testing.T) {
	sys, err := os.ReadFile(filepath.Join(example, creditFile))
	if err != nil {
		t.Fatal(err)
	}
	s := string(sys)
	i, j := strings.Index(s, "  oversight:\n"), strings.Index(s, "    canStop: true\n")
	if i < 0 || j < i {
		t.Fatal("the example's oversight is not as the test expects")
	}
	orig := s[:i] + s[j+len("    canStop: true\n"):]
	dir := copyExample(t, map[string]string{creditFile: orig, "gate-policy.yaml": `apiVersion: aimskit.dev/v1alpha1
kind: GatePolicy
id: release
revision: release/1
gates:
  - to: deployment
    checks:
      - {check: fact-threshold, id: accuracy, params: {fact: accuracy, min: 0.9}}
`})
	logPath := filepath.Join(t.TempDir(), "evidence.jsonl")
	code, _, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--fact", "accuracy=0.95",
		"--apply", "--actor", "release-bot", "--log", logPath, dir)
	if code != exitError || !strings.Contains(stderr, "new problems") || !strings.Contains(stderr, "is restored") {
		t.Errorf("gate --apply = %d, want 2 with the new problem and the file restored; stderr:\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, creditFile)); string(got) != orig {
		t.Errorf("%s after the undone move:\n%s", creditFile, got)
	}
	if log, _ := os.ReadFile(logPath); bytes.Contains(log, []byte(`"type":"stage-change"`)) {
		t.Errorf("the log holds a stage change that was undone:\n%s", log)
	}
}
