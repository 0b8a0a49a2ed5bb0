package aims

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
)

// FuzzDecisionData checks that the hand-written Data of a runtime
// decision record is valid JSON that decodes to the decision, and that
// its input and output are byte for byte what encoding/json writes for
// the Content, plain or keyed.
func FuzzDecisionData(f *testing.F) {
	k, err := evidence.NewContentKey(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		f.Fatal(err)
	}
	plain, keyed := evidence.DigestContent([]byte("prompt")), k.Digest([]byte("decline"))
	f.Add(plain.SHA256, "", "", plain.Length, "credit-scorer", "jane.doe", 0.87)
	f.Add("", keyed.HMACSHA256, keyed.KeyID, keyed.Length, "modèle <&>", "", -1e-9)
	f.Add(plain.SHA256, keyed.HMACSHA256, keyed.KeyID, 0, "", "\x00\"\\", 1e21)
	f.Fuzz(func(t *testing.T, sha, mac, keyID string, length int, model, reviewer string, confidence float64) {
		c := evidence.Content{SHA256: sha, HMACSHA256: mac, KeyID: keyID, Length: length}
		d := ModelDecision{System: uuid.Max, Model: model, Input: c, Output: c, Confidence: &confidence, Latency: time.Second}
		if d.Validate() != nil {
			return
		}
		p := &pending{d: d, rev: HumanReview{Reviewer: reviewer}, hasRev: true, conf: confidence, hasConf: true}
		p.d.Confidence = nil
		b := appendDecisionData(nil, p)
		var got struct {
			Model      string          `json:"gen_ai.request.model"`
			Input      json.RawMessage `json:"input"`
			Output     json.RawMessage `json:"output"`
			Confidence float64         `json:"confidence"`
			Review     HumanReview     `json:"review"`
			Latency    int64           `json:"latencyNs"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("data %s: %v", b, err)
		}
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Input, want) || !bytes.Equal(got.Output, want) {
			t.Fatalf("content in the data = %s, %s, want %s", got.Input, got.Output, want)
		}
		var wantModel, wantReviewer string
		m, _ := json.Marshal(model)
		json.Unmarshal(m, &wantModel) // invalid UTF-8 is replaced, as encoding/json does
		r, _ := json.Marshal(reviewer)
		json.Unmarshal(r, &wantReviewer)
		if diff := cmp.Diff([]any{wantModel, confidence, wantReviewer, int64(time.Second)},
			[]any{got.Model, got.Confidence, got.Review.Reviewer, got.Latency}); diff != "" {
			t.Fatalf("data %s (-want +got):\n%s", b, diff)
		}
	})
}
