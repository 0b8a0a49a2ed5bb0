package document_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeMessages checks that schema problems say in words what is
// expected and suggest the closest valid name.
func TestDecodeMessages(t *testing.T) {
	d := newDecoder(t)
	highRisk := strings.Replace(validYAML, "category: minimal", "category: high-risk\n  annexIII: 4a", 1)
	tests := []struct {
		name, file, data string
		want             []string
	}{
		{"unknown field", "f.yaml", validYAML + "versoin: '1.0'\n",
			[]string{"/versoin: unknown field versoin; did you mean version?"}},
		{"unknown field far from any", "f.yaml", validYAML + "colour: red\n", []string{"/colour: unknown field"}},
		{"nested unknown field", "f.yaml", strings.Replace(validYAML, "intended: Score loans", "intended: Score loans\n  intendd: x", 1),
			[]string{"/purpose/intendd: unknown field intendd; did you mean intended?"}},
		{"unknown kind", "f.yaml", strings.Replace(validYAML, "kind: AISystem", "kind: AISytem", 1),
			[]string{`/kind: unknown kind "AISytem"; did you mean AISystem?`}},
		{"unknown kind in lower case", "f.yaml", strings.Replace(validYAML, "kind: AISystem", "kind: aisystem", 1),
			[]string{`/kind: unknown kind "aisystem"; did you mean AISystem?`}},
		{"annex III point", "f.yaml", highRisk,
			[]string{`/classification/annexIII: "4a" is not an Annex III point such as 4(a): an area 1 to 8, then a point a to e in parentheses`}},
		{"date", "f.yaml", strings.Replace(validYAML, "2026-01-02", "2026-13-45", 1),
			[]string{`/classification/placedOnMarket: "2026-13-45" is not a date written YYYY-MM-DD, such as 2026-08-02`}},
		{"date in words", "f.yaml", strings.Replace(validYAML, "2026-01-02", "2 January 2026", 1),
			[]string{`/classification/placedOnMarket: "2 January 2026" is not a date written YYYY-MM-DD, such as 2026-08-02`}},
		{"uuid", "f.yaml", strings.Replace(validYAML, "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10", "not-a-uuid", 1),
			[]string{`/id: "not-a-uuid" is not a UUID such as 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10`}},
		{"version as a number", "f.yaml", validYAML + "version: 3.10\n",
			[]string{`/version: expected a string, but got the number 3.10; put it in quotes: version: "3.10"`}},
		{"version as a number in JSON", "f.json", strings.Replace(validJSON, `"name":"Scoring"`, `"name":"Scoring","version":3.2`, 1),
			[]string{`/version: expected a string, but got the number 3.2; put it in quotes: "version": "3.2"`}},
		{"name as a boolean", "f.yaml", strings.Replace(validYAML, "name: Scoring", "name: true", 1),
			[]string{`/name: expected a string, but got the boolean true; put it in quotes: name: "true"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Decode(tt.file, []byte(tt.data))
			var got []string
			for _, p := range problemsOf(t, err) {
				s := p.Pointer + ": " + p.Message
				if p.Column > 0 {
					s = problemText(p)
				}
				got = append(got, s)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
