package evidence

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
)

// stdRecordJSON is the JSON of r as encoding/json writes it with HTML
// escaping off: what the hand-written encoder must match byte for byte.
func stdRecordJSON(r *Record) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func encoderCases() []*Record {
	base := func() *Record {
		return &Record{
			SchemaVersion: SchemaVersion,
			ID:            uuid.MustParse("01890a5d-ac96-774b-bcce-b302099a8057"),
			Time:          time.Date(2026, 11, 28, 9, 30, 0, 120_000_000, time.UTC),
			Type:          TypeRuntimeDecision,
			System:        uuid.MustParse("5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f"),
			Outcome:       "approve",
		}
	}
	var rs []*Record
	add := func(f func(r *Record)) {
		r := base()
		f(r)
		rs = append(rs, r)
	}
	add(func(r *Record) {})
	add(func(r *Record) {
		r.Controls = []string{"iso42001:A.6.2.8", "euaiact:Art.12"}
		r.Subjects = []Subject{{Name: "model <v3> & co", Digest: map[string]string{
			"sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "x-custom": "v<1>"}}}
		r.Reasons = []string{"line\nbreak", `quote " and \ backslash`, "tab\there", "bell\x07", "é ü 漢字", "a\u2028b\u2029", "<html>&", "\xff bad utf-8"}
		r.Actor = "alice@example.com"
		r.PolicyRevision = "rev-7"
		r.TraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
		r.SpanID = "00f067aa0ba902b7"
		r.Data = json.RawMessage(`{"a":1,"b":[true,null,"x y"],"c":{"d":"<&>"}}`)
		r.Masked = []string{"/data/prompt"}
		r.Prev = Genesis
	})
	add(func(r *Record) { r.Data = json.RawMessage("{ \"a\" : [ 1 , 2 ] ,\n\t\"b\" : \"x  y\" }") })
	add(func(r *Record) { r.Data = json.RawMessage(`{"s":"\u2028 <>&"}`) })
	add(func(r *Record) { r.Time = time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600)) })
	add(func(r *Record) { r.Time = time.Date(2026, 1, 2, 3, 4, 5, 1, time.UTC) })
	add(func(r *Record) { r.Time = time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC) })
	add(func(r *Record) { r.Outcome = "" })
	add(func(r *Record) { r.Controls, r.Reasons, r.Masked = []string{}, []string{}, []string{} })
	return rs
}

func TestRecordEncoderMatchesJSON(t *testing.T) {
	var e recordEncoder
	for i, r := range encoderCases() {
		want, err := stdRecordJSON(r)
		if err != nil {
			t.Fatalf("case %d: encoding/json: %v", i, err)
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		got, err := e.appendRecord([]byte("prefix"), r)
		if err != nil {
			t.Fatalf("case %d: appendRecord() = %v", i, err)
		}
		if !bytes.Equal(got[len("prefix"):], want) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got[len("prefix"):], want)
		}
	}
	// Times encoding/json refuses are refused too.
	r := encoderCases()[0]
	r.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := e.appendRecord(nil, r); err == nil {
		t.Error("appendRecord(year 10000) = nil error, want the error encoding/json gives")
	}
}

// FuzzRecordEncoder checks that the hand-written encoder writes what
// encoding/json writes, for any text and time, and any valid JSON as Data.
func FuzzRecordEncoder(f *testing.F) {
	for _, r := range encoderCases() {
		f.Add(r.Outcome, r.Actor, string(r.Data), r.Time.UnixNano(), r.ID[:])
	}
	f.Add("a\x00b", "\u2028", `{"x":"\u0000"}`, int64(-1), []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, outcome, actor, data string, nanos int64, id []byte) {
		r := encoderCases()[1]
		r.Outcome, r.Actor, r.Data = outcome, actor, json.RawMessage(data)
		r.Reasons = append(r.Reasons, outcome+actor)
		r.Time = time.Unix(0, nanos).UTC()
		copy(r.ID[:], id)
		if data != "" && !json.Valid(r.Data) {
			return // Record.Validate refuses it before it is encoded
		}
		want, werr := stdRecordJSON(r)
		var e recordEncoder
		got, gerr := e.appendRecord(nil, r)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("encoding/json error %v, appendRecord error %v", werr, gerr)
		}
		if werr == nil && !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// FuzzAppendJSONString checks that AppendJSONString writes a string byte
// for byte as encoding/json does with HTML escaping off.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `a "quoted" \ name`, "tab\tnewline\n\x00\b\f\r\x1f\x7f",
		"modèle-信用 <&>", "bad\xff\xfe", "\u2028\u2029", "\xe2\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
		if got := AppendJSONString([]byte("x"), s); !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Errorf("AppendJSONString(%q) = %s, want %s", s, got[1:], want)
		}
	})
}
