package aimskit_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadme checks that every Go block of README.md is compiled: each
// one must be a run of lines of a _test.go file of this repository
// (nested modules included), compared line by line with indentation and
// runs of spaces folded and blank lines left out. A README function named
// TestX may be written testX there, so that a test can run it with its
// inputs pinned.
func TestReadme(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlocks(string(readme))
	if len(blocks) == 0 {
		t.Fatal("README.md has no Go blocks")
	}
	var sources [][]string
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && strings.HasSuffix(path, "_test.go") && path != "readme_test.go" {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			sources = append(sources, codeLines(string(b)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		want := codeLines(b.text)
		if !slicesContainRun(sources, want) {
			t.Errorf("README.md:%d: this Go block is not a run of lines in any _test.go file, so it is not compiled; copy it into a test or an Example as written:\n%s", b.line, b.text)
		}
	}
}

type goBlock struct {
	line int // of the opening fence
	text string
}

func goBlocks(readme string) []goBlock {
	var out []goBlock
	lines := strings.Split(readme, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```go" {
			continue
		}
		start := i
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		out = append(out, goBlock{line: start + 1, text: strings.Join(body, "\n")})
	}
	return out
}

var spaces = regexp.MustCompile(`[ \t]+`)

// codeLines returns the non-blank lines of s with indentation and runs of
// spaces folded (as gofmt aligns comments), and "func Test" written
// "func test".
func codeLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
		if l == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(l, "func Test"); ok {
			l = "func test" + rest
		}
		out = append(out, l)
	}
	return out
}

func slicesContainRun(sources [][]string, want []string) bool {
	for _, src := range sources {
		for i := 0; i+len(want) <= len(src); i++ {
			match := true
			for j := range want {
				if src[i+j] != want[j] {
					match = false
					break
				}
			}
			if match {
				return true
			}
		}
	}
	return false
}
