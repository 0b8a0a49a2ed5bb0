package aims_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
)

const systemYAML = `apiVersion: aimskit.dev/v1alpha1
kind: AISystem
id: %ID%
name: %NAME%
accountability:
  businessOwner: {name: Owner}
  technicalLead: {name: Lead}
  operatorRoles: [deployer]
purpose:
  intended: Answer questions
lifecycle:
  stage: design-and-development
classification:
  category: minimal
  transparency: ["50(1)"]
`

func system(id, name string) string {
	return strings.NewReplacer("%ID%", id, "%NAME%", name).Replace(systemYAML)
}

func TestLoadReportsEveryProblem(t *testing.T) {
	fsys := fstest.MapFS{
		"ok.yaml":                {Data: []byte(system("11111111-1111-4111-8111-111111111111", "ok"))},
		"broken/syntax.yaml":     {Data: []byte("apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: [unclosed\n")},
		"broken/type.yaml":       {Data: []byte(strings.Replace(system("22222222-2222-4222-8222-222222222222", "type"), "name: type", "name: {a: 1}", 1))},
		"broken/unknown.json":    {Data: []byte(`{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","colour":"red"}`)},
		"zz/dup.yaml":            {Data: []byte(system("11111111-1111-4111-8111-111111111111", "dup"))},
		"broken/big.yaml":        {Data: []byte("# " + strings.Repeat("x", document.DefaultMaxSize) + "\n")},
		"broken/enum.yaml":       {Data: []byte(strings.Replace(system("33333333-3333-4333-8333-333333333333", "enum"), "stage: design-and-development", "stage: testing", 1))},
		".aimskit/history/x.yml": {Data: []byte("not: [a document")},
		"README.md":              {Data: []byte("# not a document")},
	}
	f, err := aims.Load(context.Background(), fsys)
	var de *document.Error
	if !errors.As(err, &de) {
		t.Fatalf("Load() error = %v, want a *document.Error", err)
	}
	if !errors.Is(err, document.ErrInvalid) {
		t.Errorf("errors.Is(err, document.ErrInvalid) = false")
	}
	type where struct{ File, Pointer string }
	var got []where
	for _, p := range de.Problems {
		got = append(got, where{p.File, p.Pointer})
	}
	want := []where{
		{"broken/big.yaml", ""},
		{"broken/enum.yaml", "/lifecycle/stage"},
		{"broken/syntax.yaml", "/name"},
		{"broken/type.yaml", "/name"},
		{"broken/unknown.json", "/id"},
		{"broken/unknown.json", "/name"},
		{"broken/unknown.json", "/accountability"},
		{"broken/unknown.json", "/purpose"},
		{"broken/unknown.json", "/lifecycle"},
		{"broken/unknown.json", "/classification"},
		{"broken/unknown.json", "/colour"},
		{"zz/dup.yaml", "/id"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load() problems mismatch (-want +got):\n%s\nerror:\n%v", diff, err)
	}
	for _, p := range de.Problems {
		if p.Message == "" {
			t.Errorf("problem %+v has no message", p)
		}
	}
	if f == nil || len(f.Systems) != 1 || f.Systems[0].Name != "ok" {
		t.Fatalf("Load() folder = %+v, want the one valid system", f)
	}
	if got := f.File(f.Systems[0]); got != "ok.yaml" {
		t.Errorf("File(system) = %q, want ok.yaml", got)
	}
}

// TestLoadFiveBrokenDocuments is the acceptance case: five documents, each
// broken in a different way, give five problems naming file and field.
func TestLoadFiveBrokenDocuments(t *testing.T) {
	ok := system("11111111-1111-4111-8111-111111111111", "ok")
	fsys := fstest.MapFS{
		"0-ok.yaml":        {Data: []byte(ok)},
		"1-malformed.yaml": {Data: []byte(strings.Replace(ok, "intended: Answer questions", "intended: [Answer", 1))},
		"2-type.yaml":      {Data: []byte(system("22222222-2222-4222-8222-222222222222", "two") + "version: 3\n")},
		"3-unknown.yaml":   {Data: []byte(system("33333333-3333-4333-8333-333333333333", "three") + "colour: red\n")},
		"4-enum.yaml":      {Data: []byte(strings.Replace(system("44444444-4444-4444-8444-444444444444", "four"), "category: minimal", "category: low", 1))},
		"5-duplicate.yaml": {Data: []byte(system("11111111-1111-4111-8111-111111111111", "five"))},
	}
	_, err := aims.Load(context.Background(), fsys)
	var de *document.Error
	if !errors.As(err, &de) {
		t.Fatalf("Load() error = %v, want a *document.Error", err)
	}
	var got []string
	for _, p := range de.Problems {
		got = append(got, p.File+":"+p.Pointer)
	}
	want := []string{
		"1-malformed.yaml:/purpose/intended",
		"2-type.yaml:/version",
		"3-unknown.yaml:/colour",
		"4-enum.yaml:/classification/category",
		"5-duplicate.yaml:/id",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load() problems mismatch (-want +got):\n%s\nerror:\n%v", diff, err)
	}
}

func TestLoadExample(t *testing.T) {
	f, err := aims.Load(context.Background(), os.DirFS("../examples/credit-scoring/governance"))
	if err != nil {
		t.Fatalf("Load(example) error: %v", err)
	}
	if len(f.Systems) < 2 {
		t.Errorf("Load(example) loaded %d systems, want at least 2", len(f.Systems))
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := aims.Load(ctx, fstest.MapFS{"a.yaml": {Data: []byte(system("11111111-1111-4111-8111-111111111111", "a"))}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Load(cancelled) error = %v, want context.Canceled", err)
	}
}
