package document_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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

// flowList returns a flow list of ones, [1,1,...,1], of about size bytes.
func flowList(size int) []byte {
	return []byte("[" + strings.Repeat("1,", size/2-2) + "1]")
}

// BenchmarkDecodeFlowList decodes a 1 MB flow list, the densest a YAML or
// JSON document can be: B/op is the memory one such file costs.
//
//	go test -run '^$' -bench DecodeFlowList -benchmem ./document/
func BenchmarkDecodeFlowList(b *testing.B) {
	data := flowList(1 << 20)
	d, err := document.NewDecoder(inventoryTypes(), &document.DecoderOptions{MaxSize: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	for _, file := range []string{"flow.yaml", "flow.json"} {
		b.Run(file, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := d.Decode(file, data); err == nil {
					b.Fatal("Decode() = nil error")
				}
			}
		})
	}
}

// TestDecodeLimits checks that a document too dense for the value limit
// is refused with a problem, whatever its syntax, and that documents of
// the limit's size in a usual style are not.
func TestDecodeLimits(t *testing.T) {
	d, err := document.NewDecoder(inventoryTypes(), &document.DecoderOptions{MaxSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	tooMany := "document holds more than 262144 values, the limit"
	tests := []struct {
		name, file string
		data       []byte
		want       string // first problem's message
	}{
		{"yaml flow list", "flow.yaml", flowList(1 << 20), tooMany},
		{"json flow list", "flow.json", flowList(1 << 20), tooMany},
		{"json object", "flow.json", []byte(`{"a":[` + strings.Repeat("1,", 300_000) + `1]}`), tooMany},
		{"yaml object", "flow.yaml", []byte(`{"a":[` + strings.Repeat("1,", 300_000) + `1]}`), tooMany},
		{"yaml block list", "list.yaml", []byte("a:\n" + strings.Repeat("- 1\n", 200_000)), tooMany},
		{"yaml flow mapping", "map.yaml", []byte("{" + strings.Repeat("a,", 200_000) + "}"), tooMany},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Decode(tt.file, tt.data)
			var de *document.Error
			if !errors.As(err, &de) {
				t.Fatalf("Decode() error = %v, want a *document.Error", err)
			}
			if got := de.Problems[0].Message; !strings.HasSuffix(got, tt.want) {
				t.Errorf("Decode() problem = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDecodeJSONOnly checks that a .json file is read as JSON only, with
// the line and column of a syntax error.
func TestDecodeJSONOnly(t *testing.T) {
	d := newDecoder(t)
	tests := []struct {
		name, data string
		want       []string
	}{
		{"valid", validJSON, nil},
		{"NaN", `{"apiVersion": NaN}`, []string{": invalid JSON: invalid character 'N' looking for beginning of value (line 1, column 16)"}},
		{"second line", "{\"apiVersion\": \"x\",\n  \"kind\": }", []string{": invalid JSON: invalid character '}' looking for beginning of value (line 2, column 11)"}},
		{"truncated", "{\"apiVersion\": \"x\",\n", []string{": invalid JSON: unexpected end of JSON input (line 2, column 1)"}},
		{"yaml", "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\n", []string{": invalid JSON: invalid character 'a' looking for beginning of value (line 1, column 1)"}},
		{"yaml flow mapping", "{apiVersion: x}", []string{": invalid JSON: invalid character 'a' looking for beginning of object key string (line 1, column 2)"}},
		{"repeated key", "{\"kind\": \"AISystem\",\n \"kind\": \"AISystem\"}", []string{`/kind: key "kind" is repeated (line 2, column 2)`}},
		{"deep", strings.Repeat(`{"a":`, 70) + "1" + strings.Repeat("}", 70), []string{": invalid JSON: nesting is deeper than 64 levels (line 1, column 326)"}},
		{"not an object", "[1]", []string{": document must be an object with apiVersion and kind"}},
		{"empty", "", []string{": invalid JSON: unexpected end of JSON input (line 1, column 1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Decode("f.json", []byte(tt.data))
			if diff := cmp.Diff(tt.want, problems(t, err)); diff != "" {
				t.Errorf("Decode(f.json) problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// problems returns each problem of err as problemText has it.
func problems(t testing.TB, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var de *document.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v is a %T, want *document.Error", err, err)
	}
	var got []string
	for _, p := range de.Problems {
		got = append(got, problemText(p))
	}
	return got
}

// TestDecodeExcerpts checks that problems quote at most a short, escaped
// excerpt of what a document holds.
func TestDecodeExcerpts(t *testing.T) {
	d := newDecoder(t)
	secret := "DB_PASSWORD=" + strings.Repeat("s3cr3t", 20)
	tests := []struct {
		name, file, data string
		want             []string
	}{
		{"long kind", "f.yaml", "apiVersion: aimskit.dev/v1alpha1\nkind: " + secret + "\n",
			[]string{`/kind: unknown kind "DB_PASSWORD=s3cr3ts3cr3ts3cr3ts3cr3ts3cr"... (want one of AISystem)`}},
		{"escape in kind", "f.json", `{"apiVersion":"aimskit.dev/v1alpha1","kind":"\u001b[2J\nok"}`,
			[]string{`/kind: unknown kind "\x1b[2J\nok" (want one of AISystem)`}},
		{"long apiVersion list", "f.yaml", "apiVersion: [" + strings.Repeat("1, ", 100) + "1]\nkind: AISystem\n",
			[]string{`/apiVersion: unsupported apiVersion [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1..., want "aimskit.dev/v1alpha1"`}},
		{"repeated key", "f.yaml", "apiVersion: x\n" + secret + ": 1\n" + secret + ": 2\n",
			[]string{"/" + secret + `: key "DB_PASSWORD=s3cr3ts3cr3ts3cr3ts3cr3ts3cr"... is repeated (line 3, column 1)`}},
		{"bad boolean", "f.yaml", "apiVersion: !!bool " + secret + "\n",
			[]string{`/apiVersion: cannot read "DB_PASSWORD=s3cr3ts3cr3ts3cr3ts3cr3ts3cr"... as a boolean (line 1, column 13)`}},
		{"bad date", "f.yaml", strings.Replace(validYAML, "2026-01-02", secret, 1),
			[]string{`/classification/placedOnMarket: "DB_PASSWORD=s3cr3ts3cr3ts3cr3ts3cr3ts3cr"... is not a date written YYYY-MM-DD, such as 2026-08-02`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Decode(tt.file, []byte(tt.data))
			got := problems(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProblemStringEscapes checks that a problem prints as one line of
// printable text, whatever its file name, pointer and message hold.
func TestProblemStringEscapes(t *testing.T) {
	tests := []struct {
		name string
		p    document.Problem
		want string
	}{
		{"plain", document.Problem{File: "dir/a b.yaml", Pointer: "/id", Message: `"x" is bad`}, `dir/a b.yaml:/id: "x" is bad`},
		{"newline in name", document.Problem{File: "a.yaml: ok\nb.yaml", Message: "bad"}, `"a.yaml: ok\nb.yaml": bad`},
		{"ansi in name", document.Problem{File: "\x1b[32mok\x1b[0m.yaml", Message: "bad"}, `"\x1b[32mok\x1b[0m.yaml": bad`},
		{"bidi override in name", document.Problem{File: "a\u202eyaml.json", Message: "bad"}, `"a\u202eyaml.json": bad`},
		{"invalid utf-8 in name", document.Problem{File: "a\xff.yaml", Message: "bad"}, `"a\xff.yaml": bad`},
		{"quote in name", document.Problem{File: `a".yaml`, Message: "bad"}, `"a\".yaml": bad`},
		{"newline in pointer", document.Problem{File: "a.yaml", Pointer: "/x\ny", Message: "unknown field"}, `a.yaml:/x\ny: unknown field`},
		{"long pointer", document.Problem{Pointer: "/" + strings.Repeat("k", 100) + "/b", Message: "unknown field"}, "/" + strings.Repeat("k", 40) + ".../b: unknown field"},
		{"newline in message", document.Problem{Message: "a\nb\r\x1b"}, `a\nb\r\x1b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Errorf("String() = %s, want %s", got, tt.want)
			}
		})
	}
}

// problemsOf returns the problems of err.
func problemsOf(t testing.TB, err error) []document.Problem {
	t.Helper()
	if err == nil {
		return nil
	}
	var de *document.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v is a %T, want *document.Error", err, err)
	}
	return de.Problems
}
