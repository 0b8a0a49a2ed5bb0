package document

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// slowJSONTree is what parse did for JSON before the fast path: the
// reference parseJSONTree must agree with.
func slowJSONTree(b []byte) (any, bool) {
	if !json.Valid(b) || checkJSON(b, 0) != nil {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

var jsonTreeSeeds = []string{
	`{}`, `{"a":1}`, ` { "a" : [ 1 , -2.5e+3 , 0 , true , false , null , "x" ] } `,
	`{"a":{"b":{"c":[]}}}`, `{"s":"tab\there \"quoted\" \\ \/ \b\f\n\r \u00e9 \u20ac"}`,
	`{"s":"é ü 漢字"}`, `{"a":1,"a":2}`, `{"a":{"x":1,"x":1}}`, `{"a":"\ud83d\ude00"}`, `{"a":"\ud800"}`,
	`{"a":"` + "\xff" + `"}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":1e}`, `{"a":.5}`, `{"a":tru}`,
	`{"a":1,}`, `{"a" 1}`, `{"a":[1,]}`, `{"a":"x` + "\n" + `"}`, `{"a":1} x`, `{"a":"\x"}`, `{"a":"\u12"}`,
	`{"a":"` + "\\u0000" + `"}`, `{"":""}`, `{"a":1}{"b":2}`,
}

func TestParseJSONTree(t *testing.T) {
	for _, s := range jsonTreeSeeds {
		got, ok := parseJSONTree([]byte(s), 0)
		want, wantOK := slowJSONTree([]byte(s))
		if ok && (!wantOK || !reflect.DeepEqual(got, want)) {
			t.Errorf("parseJSONTree(%q) = %#v, true; the slow way gives %#v, %v", s, got, want, wantOK)
		}
		if !ok && wantOK && !bytes.Contains([]byte(s), []byte(`\ud`)) && !bytes.Contains([]byte(s), []byte("\xff")) {
			t.Errorf("parseJSONTree(%q) fell back on a plain document", s)
		}
	}
}

// FuzzParseJSONTree checks that the fast path never accepts what the slow
// way refuses, and gives the same tree when both accept.
func FuzzParseJSONTree(f *testing.F) {
	for _, s := range jsonTreeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := parseJSONTree(b, 0)
		if !ok {
			return
		}
		want, wantOK := slowJSONTree(b)
		if !wantOK || !reflect.DeepEqual(got, want) {
			t.Fatalf("parseJSONTree(%q) = %#v; the slow way gives %#v, %v", b, got, want, wantOK)
		}
	})
}
