package document_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aimskit/aimskit/document"
)

const locateDoc = `apiVersion: aimskit.dev/v1alpha1
kind: AISystem
name: Scoring
accountability:
  businessOwner: {name: Head, team: lending}
purpose:
  users: [officers, analysts]
  autonomy: human-in-the-loop
`

func TestLocate(t *testing.T) {
	tests := []struct {
		name, doc, pointer string
		line, col          int
	}{
		{"top-level field", locateDoc, "/name", 3, 7},
		{"nested field", locateDoc, "/purpose/autonomy", 8, 13},
		{"flow mapping field", locateDoc, "/accountability/businessOwner/team", 5, 37},
		{"sequence element", locateDoc, "/purpose/users/1", 7, 21},
		{"block mapping: its first entry", locateDoc, "/purpose", 7, 3},
		{"missing field: its parent", locateDoc, "/purpose/context", 7, 3},
		{"missing top-level field: the document", locateDoc, "/version", 1, 1},
		{"whole document", locateDoc, "", 1, 1},
		{"escaped token", "a/b: 1\nc~d: 2\n", "/c~0d", 2, 6},
		{"not a pointer", locateDoc, "name", 0, 0},
		{"non-ASCII before the value", "name: \"Kredit für Ä\"\nx: 1\nü: 2\n", "/ü", 3, 4},
		{"JSON", "{\n  \"kind\": \"AISystem\",\n  \"name\": \"x\"\n}\n", "/name", 3, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := document.NewLocator([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			line, col := l.Locate(tt.pointer)
			if line != tt.line || col != tt.col {
				t.Errorf("Locate(%q) = %d, %d; want %d, %d", tt.pointer, line, col, tt.line, tt.col)
			}
		})
	}
}

func TestNewLocatorRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"syntax":    "name: \"open\n",
		"empty":     "",
		"alias":     "a: &x 1\nb: *x\n",
		"too large": "a: " + strings.Repeat("x", document.DefaultMaxSize) + "\n",
	} {
		if _, err := document.NewLocator([]byte(doc)); err == nil {
			t.Errorf("NewLocator(%s) = nil error, want one", name)
		}
	}
}

// FuzzLocate: NewLocator never panics, and every position Locate gives
// is inside the document: a line that exists and a column at most one
// past its last character.
func FuzzLocate(f *testing.F) {
	f.Add([]byte(locateDoc), "/purpose/users/1")
	f.Add([]byte("{\"a\": [1, {\"b\": 2}]}"), "/a/1/b")
	f.Add([]byte("a:\n  - b: ü\n    c: 2\n"), "/a/0/c")
	f.Add([]byte("a: 1\n"), "/a/0/1/x~1y")
	f.Fuzz(func(t *testing.T, data []byte, pointer string) {
		l, err := document.NewLocator(data)
		if err != nil {
			return
		}
		line, col := l.Locate(pointer)
		if line == 0 && col == 0 {
			return
		}
		lines := bytes.Split(data, []byte("\n"))
		if line < 1 || line > len(lines) {
			t.Fatalf("Locate(%q) line = %d, outside 1..%d", pointer, line, len(lines))
		}
		if n := utf8.RuneCount(lines[line-1]); col < 1 || col > n+1 {
			t.Fatalf("Locate(%q) = line %d column %d, outside 1..%d", pointer, line, col, n+1)
		}
	})
}
