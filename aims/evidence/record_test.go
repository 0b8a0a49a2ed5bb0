package evidence_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

func TestRecordValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *evidence.Record)
		ok     bool
	}{
		{"minimal", func(*evidence.Record) {}, true},
		{"full", func(r *evidence.Record) { *r = *evidencetest.FullRecord(1) }, true},
		{"prev genesis", func(r *evidence.Record) { r.Prev = evidence.Genesis }, true},
		{"data with spaces", func(r *evidence.Record) { r.Data = []byte(` {"a": 1} `) }, true},
		{"unknown digest algorithm", func(r *evidence.Record) {
			r.Subjects = []evidence.Subject{{Name: "x", Digest: map[string]string{"blake3": "anything"}}}
		}, true},
		{"wrong schema version", func(r *evidence.Record) { r.SchemaVersion = "aimskit.dev/evidence/v2" }, false},
		{"no schema version", func(r *evidence.Record) { r.SchemaVersion = "" }, false},
		{"nil id", func(r *evidence.Record) { r.ID = uuid.Nil }, false},
		{"uuid v4", func(r *evidence.Record) { r.ID = uuid.MustParse("6ba7b810-9dad-41d1-80b4-00c04fd430c8") }, false},
		{"no time", func(r *evidence.Record) { r.Time = time.Time{} }, false},
		{"unspecified type", func(r *evidence.Record) { r.Type = evidence.TypeUnspecified }, false},
		{"unknown type", func(r *evidence.Record) { r.Type = "coffee-break" }, false},
		{"no system", func(r *evidence.Record) { r.System = uuid.Nil }, false},
		{"control without namespace", func(r *evidence.Record) { r.Controls = []string{"A.6.2.8"} }, false},
		{"control with upper-case namespace", func(r *evidence.Record) { r.Controls = []string{"ISO:A.6"} }, false},
		{"control with space", func(r *evidence.Record) { r.Controls = []string{"iso42001:A 6"} }, false},
		{"subject without digest", func(r *evidence.Record) { r.Subjects = []evidence.Subject{{Name: "m"}} }, false},
		{"sha256 too short", func(r *evidence.Record) {
			r.Subjects = []evidence.Subject{{Name: "m", Digest: map[string]string{"sha256": "abc"}}}
		}, false},
		{"sha256 upper case", func(r *evidence.Record) {
			r.Subjects = []evidence.Subject{{Name: "m", Digest: map[string]string{"sha256": strings.Repeat("AB", 32)}}}
		}, false},
		{"empty digest", func(r *evidence.Record) {
			r.Subjects = []evidence.Subject{{Name: "m", Digest: map[string]string{"other": ""}}}
		}, false},
		{"empty reason", func(r *evidence.Record) { r.Reasons = []string{" "} }, false},
		{"short trace id", func(r *evidence.Record) { r.TraceID = "abc" }, false},
		{"zero trace id", func(r *evidence.Record) { r.TraceID = strings.Repeat("0", 32) }, false},
		{"upper-case span id", func(r *evidence.Record) { r.SpanID = "00F067AA0BA902B7" }, false},
		{"data not JSON", func(r *evidence.Record) { r.Data = []byte(`{"a":`) }, false},
		{"data an array", func(r *evidence.Record) { r.Data = []byte(`[1]`) }, false},
		{"masked not a pointer", func(r *evidence.Record) { r.Masked = []string{"data.prompt"} }, false},
		{"prev without prefix", func(r *evidence.Record) { r.Prev = strings.Repeat("0", 64) }, false},
		{"prev short", func(r *evidence.Record) { r.Prev = "sha256:00" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := evidencetest.Record(1)
			tt.change(r)
			err := r.Validate()
			if got := err == nil; got != tt.ok {
				t.Fatalf("Validate() = %v, want ok = %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, evidence.ErrInvalid) {
				t.Errorf("Validate() = %v, want an error matching ErrInvalid", err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "evidence: ") {
				t.Errorf("Validate() = %q, want a message starting with %q", err, "evidence: ")
			}
		})
	}
}

func TestRecordValidateNil(t *testing.T) {
	var r *evidence.Record
	if err := r.Validate(); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("(*Record)(nil).Validate() = %v, want an error matching ErrInvalid", err)
	}
}

func TestTypes(t *testing.T) {
	for _, typ := range evidence.Types() {
		if !typ.Valid() {
			t.Errorf("%q.Valid() = false, want true", typ)
		}
	}
	if evidence.TypeUnspecified.Valid() {
		t.Error("TypeUnspecified.Valid() = true, want false")
	}
}

func TestRecordStamp(t *testing.T) {
	clock := newFakeClock()
	id := uuid.MustParse("0194e7c2-1111-7222-8333-444455556666")
	newID := func() (uuid.UUID, error) { return id, nil }

	t.Run("fills unset fields", func(t *testing.T) {
		r := &evidence.Record{Type: evidence.TypeIncident}
		if err := r.Stamp(clock.Now, newID); err != nil {
			t.Fatal(err)
		}
		want := &evidence.Record{SchemaVersion: evidence.SchemaVersion, ID: id, Time: clock.Now(), Type: evidence.TypeIncident}
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("Stamp() mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("keeps set fields", func(t *testing.T) {
		r := evidencetest.Record(3)
		want := r.Clone()
		if err := r.Stamp(clock.Now, newID); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("Stamp() mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("id source fails", func(t *testing.T) {
		boom := errors.New("no entropy")
		r := &evidence.Record{}
		err := r.Stamp(clock.Now, func() (uuid.UUID, error) { return uuid.Nil, boom })
		if !errors.Is(err, boom) {
			t.Errorf("Stamp() = %v, want an error matching %v", err, boom)
		}
		if diff := cmp.Diff(&evidence.Record{}, r); diff != "" {
			t.Errorf("Stamp() changed the record on error (-want +got):\n%s", diff)
		}
	})
	t.Run("defaults give a valid v7 id", func(t *testing.T) {
		r := evidencetest.Record(1)
		r.ID, r.Time = uuid.Nil, time.Time{}
		if err := r.Stamp(nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := r.Validate(); err != nil {
			t.Errorf("Validate() after Stamp(nil, nil) = %v", err)
		}
		if r.Time.Location() != time.UTC {
			t.Errorf("Stamp(nil, nil) time zone = %v, want UTC", r.Time.Location())
		}
	})
}

func TestRecordClone(t *testing.T) {
	r := evidencetest.FullRecord(1)
	c := r.Clone()
	if diff := cmp.Diff(r, c); diff != "" {
		t.Fatalf("Clone() mismatch (-want +got):\n%s", diff)
	}
	c.Controls[0] = "x:y"
	c.Subjects[0].Digest["sha256"] = "changed"
	c.Reasons[0] = "changed"
	c.Data[0] = ' '
	c.Masked[0] = "/changed"
	if diff := cmp.Diff(evidencetest.FullRecord(1), r); diff != "" {
		t.Errorf("changing the clone changed the original (-want +got):\n%s", diff)
	}
	var nilRec *evidence.Record
	if nilRec.Clone() != nil {
		t.Error("(*Record)(nil).Clone() != nil")
	}
}

func TestDigestContent(t *testing.T) {
	got := evidence.DigestContent([]byte("hello world"))
	want := evidence.Content{SHA256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", Length: 11}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DigestContent() mismatch (-want +got):\n%s", diff)
	}
	s := got.Subject("greeting")
	if err := s.Validate(); err != nil {
		t.Errorf("Content.Subject().Validate() = %v", err)
	}
	if s.Digest["sha256"] != want.SHA256 {
		t.Errorf("Content.Subject() digest = %q, want %q", s.Digest["sha256"], want.SHA256)
	}
}

// TestRecordJSON pins the JSON form of a record: the names are part of
// the schema version's promise.
func TestRecordJSON(t *testing.T) {
	r := evidencetest.Record(1)
	r.Prev = evidence.Genesis
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"schemaVersion":"aimskit.dev/evidence/v1","id":"019b76da-a801-7000-8000-000000000001",` +
		`"time":"2026-01-01T00:00:00.001Z","type":"runtime-decision","system":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b",` +
		`"controls":["iso42001:A.6.2.8"],"outcome":"allow","actor":"evidencetest",` +
		`"prev":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}`
	if string(got) != want {
		t.Errorf("json.Marshal(record) =\n%s\nwant\n%s", got, want)
	}
}

func TestParseRecord(t *testing.T) {
	full := evidencetest.FullRecord(1)
	b, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	got, err := evidence.ParseRecord(b)
	if err != nil {
		t.Fatalf("ParseRecord(marshalled record) = %v", err)
	}
	if diff := cmp.Diff(full, got); diff != "" {
		t.Errorf("ParseRecord() mismatch (-want +got):\n%s", diff)
	}

	bad := []struct{ name, in string }{
		{"empty", ``},
		{"not JSON", `{`},
		{"array", `[]`},
		{"unknown field", strings.Replace(string(b), `"outcome"`, `"verdict"`, 1)},
		{"field name in another case", strings.Replace(string(b), `"outcome"`, `"Outcome"`, 1)},
		{"trailing data", string(b) + ` {}`},
		{"invalid record", `{"schemaVersion":"aimskit.dev/evidence/v1"}`},
		{"bad uuid", strings.Replace(string(b), full.ID.String(), "not-a-uuid", 1)},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := evidence.ParseRecord([]byte(tt.in)); !errors.Is(err, evidence.ErrInvalid) {
				t.Errorf("ParseRecord(%.30q) = %v, want an error matching ErrInvalid", tt.in, err)
			}
		})
	}
}

func TestRecordLogValue(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	r := evidencetest.FullRecord(1)
	logger.Info("decided", "record", r)
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("log output %q: %v", buf.Bytes(), err)
	}
	rec, ok := got["record"].(map[string]any)
	if !ok {
		t.Fatalf("log output %s has no record group", buf.Bytes())
	}
	if rec["id"] != r.ID.String() || rec["outcome"] != "deny" || rec["data_bytes"] != float64(len(r.Data)) {
		t.Errorf("logged record = %v, want id %s, outcome deny, data_bytes %d", rec, r.ID, len(r.Data))
	}
	if _, ok := rec["data"]; ok {
		t.Errorf("logged record has data: %v", rec)
	}
}

// TestRecordHash checks that a record's hash does not depend on Prev,
// changes with its content, and refuses an invalid record.
func TestRecordHash(t *testing.T) {
	r := &evidence.Record{SchemaVersion: evidence.SchemaVersion, ID: uuid.Must(uuid.NewV7()), Time: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Type: evidence.TypeIncident, System: uuid.Max, Outcome: "opened"}
	h1, err := r.Hash()
	if err != nil {
		t.Fatal(err)
	}
	linked := r.Clone()
	linked.Prev = evidence.Genesis
	h2, err := linked.Hash()
	if err != nil || h2 != h1 {
		t.Errorf("Hash() with Prev = %s, %v; want %s, as without", h2, err, h1)
	}
	changed := r.Clone()
	changed.Outcome = "closed"
	if h3, _ := changed.Hash(); h3 == h1 || len(h3) != len("sha256:")+64 {
		t.Errorf("Hash() of a changed record = %s, want another sha256: hash than %s", h3, h1)
	}
	if _, err := (&evidence.Record{}).Hash(); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Hash() of an empty record = %v, want ErrInvalid", err)
	}
}
