package document_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
)

// TestDecodeSyntaxErrors checks that a YAML syntax error is one problem
// in the layout of every other: file, pointer, message, line and column
// of what is wrong.
func TestDecodeSyntaxErrors(t *testing.T) {
	d := newDecoder(t)
	tests := []struct {
		name, data string
		want       []string
	}{
		{"unclosed quote", strings.Replace(validYAML, "name: Scoring", `name: "Scoring`, 1),
			[]string{`f.yaml:/name: invalid YAML: the quoted value that starts here has no closing " (line 4, column 7)`}},
		{"unclosed single quote at the end", validYAML + "version: '1.0\n",
			[]string{`f.yaml:/version: invalid YAML: the quoted value that starts here has no closing ' (line 16, column 10)`}},
		{"over-indented key", strings.Replace(validYAML, "name: Scoring", "  name: Scoring", 1),
			[]string{`f.yaml:/name: invalid YAML: key "name" is indented more than "id" on the line before; keys of one mapping line up (line 4, column 3)`}},
		{"over-indented nested key", strings.Replace(validYAML, "  intended: Score loans", "  intended: Score loans\n    extra: x", 1),
			[]string{`f.yaml:/purpose/extra: invalid YAML: key "extra" is indented more than "intended" on the line before; keys of one mapping line up (line 10, column 5)`}},
		{"tab", strings.Replace(validYAML, "  intended: Score loans", "\tintended: Score loans", 1),
			[]string{`f.yaml: invalid YAML: a tab indents this line; YAML indents with spaces only (line 9, column 1)`}},
		{"unclosed bracket", strings.Replace(validYAML, "  history: []", "  history: [a, b", 1),
			[]string{`f.yaml:/lifecycle/history: invalid YAML: the list opened here with [ is not closed with ] (line 12, column 12)`}},
		{"unclosed brace", strings.Replace(validYAML, "  businessOwner: {name: Owner}", "  businessOwner: {name: Owner", 1),
			[]string{`f.yaml:/accountability/businessOwner: invalid YAML: the mapping opened here with { is not closed with } (line 6, column 18)`}},
		{"unclosed bracket on the first line", "apiVersion: [x\n",
			[]string{`f.yaml:/apiVersion: invalid YAML: the list opened here with [ is not closed with ] (line 1, column 13)`}},
		{"unclosed bracket in a mapping", validYAML + "tags: {a: [1, 2}\n",
			[]string{`f.yaml:/tags: invalid YAML: the list opened here with [ is not closed with ] (line 16, column 11)`}},
		{"colon in a value", strings.Replace(validYAML, "  intended: Score loans", "  intended: Score loans: fast", 1),
			[]string{`f.yaml:/purpose/intended: invalid YAML: the value of "intended" holds ": "; put the value in quotes (line 9, column 24)`}},
		{"duplicate key", validYAML + "name: again\n",
			[]string{`f.yaml:/name: key "name" is repeated (line 16, column 1)`}},
		{"duplicate nested key", strings.Replace(validYAML, "  stage: inception", "  stage: inception\n  stage: design", 1),
			[]string{`f.yaml:/lifecycle/stage: key "stage" is repeated (line 12, column 3)`}},
		{"alias", "a: &x [1, 2]\nb: *x\n",
			[]string{`f.yaml:/b: YAML aliases (*x) are not supported: write the value out (line 2, column 4)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Decode("f.yaml", []byte(tt.data))
			var de *document.Error
			if !errors.As(err, &de) {
				t.Fatalf("Decode() error = %v, want a *document.Error", err)
			}
			var got []string
			for _, p := range de.Problems {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeJSONSyntaxLayout checks that JSON syntax errors and repeated
// keys use the same layout as YAML ones.
func TestDecodeJSONSyntaxLayout(t *testing.T) {
	d := newDecoder(t)
	tests := []struct {
		name, file, data, want string
	}{
		{"repeated key", "f.json", "{\"kind\": \"AISystem\",\n \"kind\": \"AISystem\"}",
			`f.json:/kind: key "kind" is repeated (line 2, column 2)`},
		{"repeated nested key", "f.json", "{\"a\": {\"b\": 1,\n \"b\": 2}}",
			`f.json:/a/b: key "b" is repeated (line 2, column 2)`},
		{"syntax", "f.json", "{\"apiVersion\": \"x\",\n  \"kind\": }",
			`f.json: invalid JSON: invalid character '}' looking for beginning of value (line 2, column 11)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Decode(tt.file, []byte(tt.data))
			var de *document.Error
			if !errors.As(err, &de) || len(de.Problems) != 1 {
				t.Fatalf("Decode() error = %v, want one problem", err)
			}
			if got := de.Problems[0].String(); got != tt.want {
				t.Errorf("Decode() = %s, want %s", got, tt.want)
			}
		})
	}
}
