package document_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/document"
)

// manyUnknownKeys returns an AISystem document with n distinct unknown
// keys after the valid fields, one per line, and the line of the first
// unknown key.
func manyUnknownKeys(n int) (string, int) {
	var b strings.Builder
	b.WriteString(validYAML)
	first := strings.Count(validYAML, "\n") + 1
	for i := range n {
		fmt.Fprintf(&b, "k%05d: 1\n", i)
	}
	return b.String(), first
}

// TestDecodeManyUnknownKeys decodes a 95,000-key document: every unknown
// key is a problem at its own line. Finding the lines used to take time
// quadratic in the number of keys.
//
//	go test -run ManyUnknownKeys -v ./document/
func TestDecodeManyUnknownKeys(t *testing.T) {
	const n = 95_000
	data, first := manyUnknownKeys(n)
	d, err := document.NewDecoder(inventoryTypes(), &document.DecoderOptions{MaxSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Decode("many.yaml", []byte(data))
	var de *document.Error
	if !errors.As(err, &de) {
		t.Fatalf("Decode() error = %v, want a *document.Error", err)
	}
	if len(de.Problems) != n {
		t.Fatalf("Decode() gave %d problems, want %d", len(de.Problems), n)
	}
	for _, i := range []int{0, 1, 4711, n / 2, n - 1} {
		p := de.Problems[i]
		want := document.Problem{File: "many.yaml", Pointer: fmt.Sprintf("/k%05d", i), Message: "unknown field", Line: first + i}
		if p != want {
			t.Errorf("Problems[%d] = %+v, want %+v", i, p, want)
		}
	}
}

func BenchmarkDecodeManyUnknownKeys(b *testing.B) {
	data, _ := manyUnknownKeys(95_000)
	d, err := document.NewDecoder(inventoryTypes(), &document.DecoderOptions{MaxSize: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := d.Decode("many.yaml", []byte(data)); err == nil {
			b.Fatal("Decode() = nil error")
		}
	}
}
