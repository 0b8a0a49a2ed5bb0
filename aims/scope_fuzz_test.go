package aims_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
)

// FuzzScopedProblems loads the example folder with one more document of
// arbitrary bytes, seeded with the example's documents, some made
// invalid: no input panics, every problem of the folder is scoped, and a
// gate over it either refuses the folder or decides, or refuses to
// decide for a system whose documents have problems.
func FuzzScopedProblems(f *testing.F) {
	files, err := filepath.Glob(exampleDir + "/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add([]byte(addField(string(data))))
	}
	f.Add([]byte(basicPolicy("waivers:\n  - {check: not-prohibited, system: " + creditScoring.String() + ", approver: a, reason: r, expires: 2099-01-01}\n")))
	example := exampleWith(f, nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"zz-fuzz.yaml": {Data: data}}
		for name, file := range example {
			fsys[name] = file
		}
		folder, err := aims.Load(context.Background(), fsys)
		var de *document.Error
		switch {
		case err == nil:
		case errors.As(err, &de):
			n := len(folder.SharedProblems()) + len(folder.SystemProblems(creditScoring)) + len(folder.SystemProblems(supportChatbot))
			if n > len(de.Problems) {
				t.Fatalf("%d problems scoped, but Load reported %d", n, len(de.Problems))
			}
		default:
			t.Fatalf("Load() = %v", err)
		}
		g, err := aims.NewGate(folder, fixedOptions(nil))
		if err != nil {
			if len(folder.SharedProblems()) == 0 {
				t.Fatalf("NewGate() = %v without folder-wide problems", err)
			}
			return
		}
		for _, sys := range folder.Systems {
			for _, to := range sys.Lifecycle.Stage.Next() {
				d, err := g.Evaluate(context.Background(), sys.ID, to, nil)
				if err != nil {
					t.Fatalf("Evaluate(%s, %s) = %v", sys.Name, to, err)
				}
				if len(folder.SystemProblems(sys.ID)) > 0 && d.Allowed() {
					t.Fatalf("Evaluate(%s, %s) allows a system with problems", sys.Name, to)
				}
			}
		}
	})
}
