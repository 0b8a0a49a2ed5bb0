package document_test

import (
	"strings"
	"testing"

	"github.com/aimskit/aimskit/document"
)

func TestToJSON(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{name: "mapping", yaml: "b: 1\na: x <y> & z\n", want: `{"a":"x <y> & z","b":1}`},
		{name: "date stays text", yaml: "reviewed: 2025-01-31\n", want: `{"reviewed":"2025-01-31"}`},
		{name: "quoted version", yaml: "version: \"3.2\"\n", want: `{"version":"3.2"}`},
		{name: "numbers and null", yaml: "a: 0.25\nb: null\nc: [1, true]\n", want: `{"a":0.25,"b":null,"c":[1,true]}`},
		{name: "JSON", yaml: `{"kind": "AISystem"}`, want: `{"kind":"AISystem"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := document.ToJSON([]byte(tt.yaml))
			if err != nil || string(got) != tt.want {
				t.Errorf("ToJSON(%q) = %s, %v; want %s, nil", tt.yaml, got, err, tt.want)
			}
		})
	}
}

func TestToJSONStrict(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{name: "alias", yaml: "a: &x 1\nb: *x\n", want: "YAML aliases"},
		{name: "merge key", yaml: "a: &x {k: 1}\nb:\n  <<: {k: 2}\n", want: "merge keys"},
		{name: "repeated key", yaml: "a: 1\na: 2\n", want: "repeated"},
		{name: "two documents", yaml: "a: 1\n---\nb: 2\n", want: "more than one YAML document"},
		{name: "infinity", yaml: "a: .inf\n", want: "infinity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := document.ToJSON([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ToJSON(%q) = %s, %v; want an error about %s", tt.yaml, got, err, tt.want)
			}
		})
	}
}

func TestToYAMLRoundTrip(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{name: "sorted, compact sequences", json: `{"b":["p","q"],"a":{"c":1}}`, want: "a:\n  c: 1\nb:\n- p\n- q\n"},
		{name: "strings that look like other types", json: `{"a":"3.2","b":"2025-01-31","c":"yes","d":"null","e":"true","f":"<<","g":"1:30","y":"x"}`,
			want: "a: \"3.2\"\nb: \"2025-01-31\"\nc: \"yes\"\nd: \"null\"\ne: \"true\"\nf: \"<<\"\ng: \"1:30\"\n\"y\": x\n"},
		{name: "numbers", json: `{"f":0.25,"i":-3,"e":1e21,"u":18446744073709551615}`, want: "e: 1e+21\nf: 0.25\ni: -3\nu: 18446744073709551615\n"},
		{name: "text", json: `{"s":"a <b> & c\nsecond line"}`, want: "s: |-\n  a <b> & c\n  second line\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, err := document.ToYAML([]byte(tt.json))
			if err != nil || string(y) != tt.want {
				t.Errorf("ToYAML(%s) = %q, %v; want %q, nil", tt.json, y, err, tt.want)
			}
			back, err := document.ToJSON(y)
			if err != nil {
				t.Fatalf("ToJSON(ToYAML(%s)) = %v", tt.json, err)
			}
			again, err := document.ToYAML(back)
			if err != nil || string(again) != string(y) {
				t.Errorf("ToYAML(ToJSON(ToYAML(%s))) = %q, %v; want %q", tt.json, again, err, y)
			}
		})
	}
	for _, bad := range []string{``, `{`, `{"a":1} {}`, `1e400`} {
		if _, err := document.ToYAML([]byte(bad)); err == nil {
			t.Errorf("ToYAML(%q) = nil error, want an error", bad)
		}
	}
}

func FuzzToYAML(f *testing.F) {
	for _, s := range []string{`{"a":"3.2"}`, `{"a":[1,2.5,null,true]}`, `{"s":"x\ny"}`, `"text"`, `{"a":{"b":"2025-01-31"}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, js string) {
		y, err := document.ToYAML([]byte(js))
		if err != nil {
			return
		}
		back, err := document.ToJSON(y)
		if err != nil {
			t.Fatalf("ToJSON(ToYAML(%q)) = %v, want nil: ToYAML wrote %q", js, err, y)
		}
		again, err := document.ToYAML(back)
		if err != nil || string(again) != string(y) {
			t.Fatalf("ToYAML is not stable for %q: %q then %q (%v)", js, y, again, err)
		}
	})
}
