package aims_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

const exampleDir = "../examples/credit-scoring/governance"

// exampleWith returns the example folder with some files replaced; a
// replacement transforms the file's text.
func exampleWith(t testing.TB, change map[string]func(string) string) fstest.MapFS {
	t.Helper()
	entries, err := os.ReadDir(exampleDir)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, e := range entries {
		b, err := os.ReadFile(exampleDir + "/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if c, ok := change[e.Name()]; ok {
			if s2 := c(s); s2 != s {
				s = s2
			} else {
				t.Fatalf("%s: the change changed nothing; change the test", e.Name())
			}
		}
		fsys[e.Name()] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

// addField adds an unknown field to a document, which makes it invalid.
func addField(s string) string { return strings.Replace(s, "\nid: ", "\ncolour: red\nid: ", 1) }

func problemLines(ps []document.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.File+":"+p.Pointer+": "+p.Message)
	}
	return out
}

// loadWithProblems loads fsys, which must have problems, and returns the
// folder with them.
func loadWithProblems(t testing.TB, fsys fstest.MapFS) (*aims.Snapshot, *document.Error) {
	t.Helper()
	f, err := aims.Load(context.Background(), fsys)
	var de *document.Error
	if !errors.As(err, &de) || f == nil {
		t.Fatalf("Load() = %v, %v; want the folder and a *document.Error", f, err)
	}
	return f, de
}

// An invalid AI system document is one problem, of that system: the
// documents that refer to it add none, and the gates of the other system
// decide as usual.
func TestBrokenSystemIsOneProblem(t *testing.T) {
	f, de := loadWithProblems(t, exampleWith(t, map[string]func(string) string{"ai-system-credit-scoring.yaml": addField}))
	want := []string{"ai-system-credit-scoring.yaml:/colour: unknown field"}
	if diff := cmp.Diff(want, problemLines(de.Problems)); diff != "" {
		t.Errorf("Load() problems mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, problemLines(f.SystemProblems(creditScoring))); diff != "" {
		t.Errorf("SystemProblems(credit scoring) mismatch (-want +got):\n%s", diff)
	}
	if ps := f.SharedProblems(); ps != nil {
		t.Errorf("SharedProblems() = %v, want none", ps)
	}
	if ps := f.SystemProblems(supportChatbot); ps != nil {
		t.Errorf("SystemProblems(chatbot) = %v, want none", ps)
	}
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatalf("NewGate() = %v", err)
	}
	ctx := context.Background()
	if _, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil); !errors.Is(err, document.ErrInvalid) || errors.Is(err, aims.ErrUnknownSystem) {
		t.Errorf("Evaluate(credit scoring) = %v, want its problems (document.ErrInvalid)", err)
	}
	d, err := g.Evaluate(ctx, supportChatbot, inventory.StageReEvaluation, nil)
	if err != nil || !d.Allowed() || d.Checks[1].Check == aims.CheckDocumentsValid {
		t.Errorf("Evaluate(chatbot) = %s %+v, %v; want it decided as usual", d.Verdict, d.Checks, err)
	}
}

// An invalid assessment stops only the gates of its system, which deny
// with documents-valid and cannot be waived.
func TestBrokenAssessmentDeniesItsSystem(t *testing.T) {
	f, de := loadWithProblems(t, exampleWith(t, map[string]func(string) string{"risk-assessment-support-chatbot.yaml": addField}))
	if len(de.Problems) != 1 || f.SharedProblems() != nil || len(f.SystemProblems(supportChatbot)) != 1 || f.SystemProblems(creditScoring) != nil {
		t.Fatalf("problems = %v, folder-wide %v; want one, of the chatbot", de.Problems, f.SharedProblems())
	}
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	d := mustEvaluate(t, g, supportChatbot, inventory.StageReEvaluation)
	c := d.Checks[1]
	if d.Verdict != aims.VerdictDeny || c.Check != aims.CheckDocumentsValid || c.Outcome != aims.OutcomeFail ||
		!strings.Contains(c.Message, "risk-assessment-support-chatbot.yaml:/colour: unknown field") {
		t.Errorf("Evaluate(chatbot) = %s, %+v; want deny by %s naming the problem", d.Verdict, c, aims.CheckDocumentsValid)
	}
	if d := mustEvaluate(t, g, creditScoring, inventory.StageDeployment); !d.Allowed() {
		t.Errorf("Evaluate(credit scoring) = %s: %v, want allowed", d.Verdict, d.Failed())
	}

	// The check cannot be waived, nor its name taken.
	p := &aims.GatePolicy{ID: "p", Waivers: []aims.Waiver{{Check: aims.CheckDocumentsValid, System: supportChatbot, Approver: "a", Reason: "r", Expires: document.MustDate("2099-01-01")}}}
	if _, err := aims.NewGate(f, fixedOptions(p)); err == nil || !strings.Contains(err.Error(), "/waivers/0/check") {
		t.Errorf("NewGate(policy waiving documents-valid) = %v, want the waiver refused", err)
	}
	p = &aims.GatePolicy{ID: "p", Gates: []aims.GateRule{{To: inventory.StageReEvaluation, Checks: []aims.CheckSpec{{Check: aims.CheckOwnersAssigned, ID: aims.CheckDocumentsValid}}}}}
	if _, err := aims.NewGate(f, fixedOptions(p)); err == nil || !strings.Contains(err.Error(), "/gates/0/checks/0/id") {
		t.Errorf("NewGate(policy naming a check documents-valid) = %v, want it refused", err)
	}
}

func mustEvaluate(t testing.TB, g *aims.Gate, id uuid.UUID, to inventory.Stage) aims.Decision {
	t.Helper()
	d, err := g.Evaluate(context.Background(), id, to, nil)
	if err != nil {
		t.Fatalf("Evaluate(%s) = %v", id, err)
	}
	return d
}

// The problems of a document every gate reads stop every gate.
func TestFolderProblemsStopEveryGate(t *testing.T) {
	f, de := loadWithProblems(t, exampleWith(t, map[string]func(string) string{"statement-of-applicability.yaml": addField}))
	if diff := cmp.Diff(problemLines(de.Problems), problemLines(f.SharedProblems())); diff != "" {
		t.Errorf("SharedProblems() mismatch (-want +got):\n%s", diff)
	}
	_, err := aims.NewGate(f, fixedOptions(nil))
	if !errors.Is(err, document.ErrInvalid) || !strings.Contains(err.Error(), "statement-of-applicability.yaml") {
		t.Errorf("NewGate() = %v, want the SoA's problem", err)
	}
}

// An invalid waiver is a problem of that waiver and of its system: the
// rest of the policy stays in force, and the gate ignores the waiver.
func TestInvalidWaiverIsScoped(t *testing.T) {
	fsys := withFiles(fstest.MapFS{"sys.yaml": {Data: []byte(system(chatbotID, "bot"))}}, scopedToOther())
	fsys["policy.yaml"] = &fstest.MapFile{Data: []byte(basicPolicy(`waivers:
  - {check: accuracy, system: ` + otherID + `, approver: CTO, reason: pilot, granted: 2026-02-01, expires: 2026-01-01}
  - {check: accuracy, system: ` + chatbotID + `, approver: CTO, reason: pilot, expires: 2099-01-01}
`))}
	f, de := loadWithProblems(t, fsys)
	want := []string{"policy.yaml:/waivers/0/expires: 2026-01-01 is not after granted (2026-02-01)"}
	if diff := cmp.Diff(want, problemLines(de.Problems)); diff != "" {
		t.Errorf("Load() problems mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, problemLines(f.SystemProblems(uuid.MustParse(otherID)))); diff != "" {
		t.Errorf("SystemProblems(other) mismatch (-want +got):\n%s", diff)
	}
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	if d := mustEvaluate(t, g, uuid.MustParse(chatbotID), inventory.StageVerificationValidation); !d.Allowed() || len(d.Waivers()) != 1 {
		t.Errorf("Evaluate(bot) = %s with waivers %v, want allowed by its valid waiver", d.Verdict, d.Waivers())
	}
	d := mustEvaluate(t, g, uuid.MustParse(otherID), inventory.StageVerificationValidation)
	if d.Verdict != aims.VerdictDeny || d.Checks[1].Check != aims.CheckDocumentsValid || len(d.Waivers()) != 0 {
		t.Errorf("Evaluate(other) = %s %+v, want deny by %s and no waiver", d.Verdict, d.Checks, aims.CheckDocumentsValid)
	}
}

// The FRIA is owed before first use: an impact assessment without it
// loads while the system is not deployed, with a note, and is a problem
// of the system once it is.
func TestMissingFRIA(t *testing.T) {
	cut := func(s string) string {
		i := strings.Index(s, "\nfria:\n")
		j := strings.Index(s, "\napproval:\n")
		if i < 0 || j < i {
			return s
		}
		return s[:i] + s[j:]
	}
	f, err := aims.Load(context.Background(), exampleWith(t, map[string]func(string) string{"impact-assessment.yaml": cut}))
	if err != nil {
		t.Fatalf("Load() = %v, want no problem", err)
	}
	var notes []string
	for _, n := range f.Notes {
		notes = append(notes, n.File+":"+n.Pointer)
	}
	if diff := cmp.Diff([]string{"impact-assessment.yaml:/fria"}, notes); diff != "" {
		t.Errorf("Notes mismatch (-want +got):\n%s", diff)
	}
	d := evaluate(t, f, creditScoring, inventory.StageDeployment)
	failed := d.Failed()
	if d.Verdict != aims.VerdictDeny || len(failed) != 1 || failed[0].Check != aims.CheckFRIA || !strings.Contains(failed[0].Message, "Art. 27") {
		t.Errorf("Evaluate(deployment) = %s, failed %+v; want deny by %s naming Art. 27", d.Verdict, failed, aims.CheckFRIA)
	}

	deployed := func(s string) string {
		s = strings.Replace(s, "stage: verification-and-validation", "stage: deployment", 1)
		return strings.Replace(s, "Lead ML Engineer}\n", "Lead ML Engineer}\n    - {from: verification-and-validation, to: deployment, date: \"2026-10-01\", by: CRO}\n", 1)
	}
	f, de := loadWithProblems(t, exampleWith(t, map[string]func(string) string{"impact-assessment.yaml": cut, "ai-system-credit-scoring.yaml": deployed}))
	if len(de.Problems) != 1 || de.Problems[0].Pointer != "/fria" || len(f.SystemProblems(creditScoring)) != 1 || f.SharedProblems() != nil {
		t.Errorf("Load(deployed without FRIA) problems = %v, want one at /fria, of the system", de.Problems)
	}
}

// Human oversight of a high-risk system is owed before first use too.
func TestMissingOversight(t *testing.T) {
	cut := func(s string) string {
		i := strings.Index(s, "\n  oversight:\n")
		j := strings.Index(s, "\nlifecycle:\n")
		if i < 0 || j < i {
			return s
		}
		return s[:i] + s[j:]
	}
	f, err := aims.Load(context.Background(), exampleWith(t, map[string]func(string) string{"ai-system-credit-scoring.yaml": cut}))
	if err != nil {
		t.Fatalf("Load() = %v, want no problem", err)
	}
	if len(f.Notes) != 1 || f.Notes[0].Pointer != "/purpose/oversight" || !strings.Contains(f.Notes[0].Message, aims.CheckHumanOversight) {
		t.Errorf("Notes = %v, want one at /purpose/oversight", f.Notes)
	}
	d := evaluate(t, f, creditScoring, inventory.StageDeployment)
	failed := d.Failed()
	if d.Verdict != aims.VerdictDeny || len(failed) != 1 || failed[0].Check != aims.CheckHumanOversight {
		t.Errorf("Evaluate(deployment) = %s, failed %+v; want deny by %s", d.Verdict, failed, aims.CheckHumanOversight)
	}
}

// Any one broken document of the example is one problem, of that
// document: nothing that refers to it adds another.
func TestOneBrokenDocumentIsOneProblem(t *testing.T) {
	entries, err := os.ReadDir(exampleDir)
	if err != nil {
		t.Fatal(err)
	}
	scope := map[string]uuid.UUID{
		"ai-system-credit-scoring.yaml":          creditScoring,
		"risk-assessment.yaml":                   creditScoring,
		"impact-assessment.yaml":                 creditScoring,
		"ai-system-support-chatbot.yaml":         supportChatbot,
		"risk-assessment-support-chatbot.yaml":   supportChatbot,
		"impact-assessment-support-chatbot.yaml": supportChatbot,
	}
	for _, e := range entries {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			f, de := loadWithProblems(t, exampleWith(t, map[string]func(string) string{name: addField}))
			want := []string{name + ":/colour: unknown field"}
			if diff := cmp.Diff(want, problemLines(de.Problems)); diff != "" {
				t.Fatalf("Load() problems mismatch (-want +got):\n%s", diff)
			}
			got := f.SharedProblems()
			if id, ok := scope[name]; ok {
				got = f.SystemProblems(id)
			}
			if diff := cmp.Diff(want, problemLines(got)); diff != "" {
				t.Errorf("scoped problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// Broken risk criteria are one problem, of the folder: the assessment
// that pins them adds none.
func TestBrokenCriteriaIsOneProblem(t *testing.T) {
	fsys := exampleWith(t, map[string]func(string) string{"risk-assessment-support-chatbot.yaml": func(s string) string {
		return strings.Replace(s, "criteria:\n  name: aimskit-5x5\n  version: \"1\"", "criteria:\n  name: house\n  version: \"2\"", 1)
	}})
	fsys["house.yaml"] = &fstest.MapFile{Data: []byte(`apiVersion: aimskit.dev/v1alpha1
kind: RiskCriteria
name: house
version: "2"
likelihood: [{name: low}, {name: mid}, {name: high}]
consequence: [{name: low}, {name: mid}, {name: high}]
levels: [{name: ok}, {name: not-ok}]
colour: red
matrix:
  - [1, 1, 1]
  - [1, 1, 1]
  - [2, 2, 2]
appetite: ok
`)}
	f, de := loadWithProblems(t, fsys)
	want := []string{"house.yaml:/colour: unknown field"}
	if diff := cmp.Diff(want, problemLines(de.Problems)); diff != "" {
		t.Fatalf("Load() problems mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, problemLines(f.SharedProblems())); diff != "" {
		t.Errorf("SharedProblems() mismatch (-want +got):\n%s", diff)
	}
}
