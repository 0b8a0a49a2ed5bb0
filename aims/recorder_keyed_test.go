package aims_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
)

func contentKey(t testing.TB, fill byte) *evidence.ContentKey {
	t.Helper()
	k, err := evidence.NewContentKey(bytes.Repeat([]byte{fill}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestRecorderKeyedContentAndPseudonyms records a decision whose output
// is a keyed digest and whose reviewer is replaced by a pseudonym, and
// checks what the record holds: the Content exactly as encoding/json
// writes it, matching only with the key, and the pseudonym, never the
// reviewer.
func TestRecorderKeyedContentAndPseudonyms(t *testing.T) {
	digests, people := contentKey(t, 1), contentKey(t, 2)
	var sink evidence.MemorySink
	r := newRecorder(t, &sink, &aims.RecorderOptions{Pseudonyms: people})
	d := decision("decline")
	d.Output = digests.Digest([]byte("decline"))
	d.Review = &aims.HumanReview{Reviewer: "jane.doe@example.com"}
	if err := r.Record(t.Context(), d); err != nil {
		t.Fatalf("Record() = %v", err)
	}
	if d.Review.Reviewer != "jane.doe@example.com" {
		t.Errorf("Record changed the caller's review to %q", d.Review.Reviewer)
	}
	d.Review = &aims.HumanReview{Reviewer: "jane.doe@example.com", Overridden: true}
	if err := r.Record(t.Context(), d); err != nil {
		t.Fatalf("Record() = %v", err)
	}
	closeRecorder(t, r)

	recs := sink.Records()
	if len(recs) != 2 {
		t.Fatalf("sink has %d records, want 2", len(recs))
	}
	var data [2]struct {
		Input  json.RawMessage  `json:"input"`
		Output json.RawMessage  `json:"output"`
		Review aims.HumanReview `json:"review"`
	}
	for i, rec := range recs {
		if err := json.Unmarshal(rec.Data, &data[i]); err != nil {
			t.Fatalf("data %s: %v", rec.Data, err)
		}
	}
	for _, c := range []struct {
		name string
		got  json.RawMessage
		c    evidence.Content
	}{{"input", data[0].Input, d.Input}, {"output", data[0].Output, d.Output}} {
		want, _ := json.Marshal(c.c)
		if !bytes.Equal(c.got, want) {
			t.Errorf("%s in the record = %s, want %s as encoding/json writes it", c.name, c.got, want)
		}
	}
	var out evidence.Content
	if err := json.Unmarshal(data[0].Output, &out); err != nil {
		t.Fatal(err)
	}
	if !digests.Matches([]byte("decline"), out) || digests.Matches([]byte("approve"), out) {
		t.Errorf("recorded output %+v does not match decline with the key, or matches approve", out)
	}
	for _, w := range []string{"decline", "approve", "refer"} {
		if evidence.DigestContent([]byte(w)).SHA256 == out.HMACSHA256 {
			t.Errorf("recorded output is the plain SHA-256 of %q", w)
		}
	}
	want := people.Pseudonym("jane.doe@example.com")
	if data[0].Review.Reviewer != want || data[1].Review.Reviewer != want {
		t.Errorf("reviewers recorded = %q, %q, want the pseudonym %q twice", data[0].Review.Reviewer, data[1].Review.Reviewer, want)
	}
	if !data[1].Review.Overridden {
		t.Error("second record lost Overridden")
	}
	for _, rec := range recs {
		if bytes.Contains(rec.Data, []byte("jane")) {
			t.Errorf("record data %s names the reviewer", rec.Data)
		}
	}
}

func TestModelDecisionKeyedContent(t *testing.T) {
	k := contentKey(t, 1)
	keyed := k.Digest([]byte("decline"))
	tests := []struct {
		name    string
		output  evidence.Content
		wantErr error
	}{
		{"keyed", keyed, nil},
		{"keyed without key id", evidence.Content{HMACSHA256: keyed.HMACSHA256, Length: 7}, aims.ErrInvalidDecision},
		{"plain and keyed", evidence.Content{SHA256: evidence.DigestContent(nil).SHA256, HMACSHA256: keyed.HMACSHA256, KeyID: keyed.KeyID}, aims.ErrInvalidDecision},
		{"length without digest", evidence.Content{Length: 7}, aims.ErrInvalidDecision},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decision("decline")
			d.Output = tt.output
			if err := d.Validate(); !errors.Is(err, tt.wantErr) {
				t.Errorf("Validate() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
