package aims_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
)

// FuzzDecode decodes arbitrary bytes as a document of any kind, seeded
// with every document of the example folder and the gate policy of the
// tests: no input panics, every failure is a *document.Error with
// problems, and every success validates again.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob("../examples/*/governance/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(basicPolicy("")))
	l, err := aims.NewLoader(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := l.Decode("fuzz.yaml", data)
		if err != nil {
			var de *document.Error
			if !errors.As(err, &de) || len(de.Problems) == 0 {
				t.Fatalf("Decode() error %v is not a *document.Error with problems", err)
			}
			return
		}
		if err := v.Validate(); err != nil {
			t.Fatalf("decoded document does not validate: %v", err)
		}
	})
}
