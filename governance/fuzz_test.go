package governance

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
)

// The FuzzRecords targets decode arbitrary bytes through a decoder of the
// four record kinds, one target per kind so that each starts from seeds of
// its own kind: the example file, the minimal document and every problem
// test of that kind. They check that decoding never panics and fails only
// with a *document.Error naming the file; and that a document that decodes
// validates again, clones to an equal value, survives a JSON round trip
// through the decoder unchanged, and (for a Nonconformity) has a status
// consistent with Overdue.

func FuzzRecordsManagementSystem(f *testing.F) { fuzzRecords(f, KindManagementSystem) }

func FuzzRecordsAuditRecord(f *testing.F) { fuzzRecords(f, KindAuditRecord) }

func FuzzRecordsManagementReview(f *testing.F) { fuzzRecords(f, KindManagementReview) }

func FuzzRecordsNonconformity(f *testing.F) { fuzzRecords(f, KindNonconformity) }

func fuzzRecords(f *testing.F, kind string) {
	d := newRecordDecoder(f)
	for _, seed := range recFuzzSeeds(f, kind) {
		f.Add(seed)
	}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := d.Decode("fuzz.yaml", data)
		if err != nil {
			var de *document.Error
			if !errors.As(err, &de) || len(de.Problems) == 0 {
				t.Fatalf("Decode() error %v is not a *document.Error with problems", err)
			}
			for _, p := range de.Problems {
				if p.File != "fuzz.yaml" || p.Message == "" {
					t.Fatalf("problem %+v lacks file or message", p)
				}
			}
			return
		}
		if err := v.Validate(); err != nil {
			t.Fatalf("decoded document does not validate again: %v", err)
		}
		if diff := cmp.Diff(v, recClone(v)); diff != "" {
			t.Fatalf("Clone() mismatch (-want +got):\n%s", diff)
		}
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal(decoded document): %v", err)
		}
		back, err := d.Decode("roundtrip.json", js)
		if err != nil {
			t.Fatalf("decoding the marshalled document: %v\n%s", err, js)
		}
		if diff := cmp.Diff(v, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("JSON round trip mismatch (-want +got):\n%s", diff)
		}
		if n, ok := v.(*Nonconformity); ok {
			st := n.Status()
			if st == NonconformityStatusUnspecified {
				t.Fatal("Status() is unspecified")
			}
			if n.Overdue(now) && st != NonconformityCorrectiveActionPlanned {
				t.Fatalf("Overdue() = true with status %s", st)
			}
		}
	})
}

// recFuzzSeeds returns the seeds of one kind: its example file, its
// minimal document and the documents of its problem tests.
func recFuzzSeeds(tb testing.TB, kind string) [][]byte {
	tb.Helper()
	var seeds [][]byte
	for _, ex := range recExamples {
		if ex.kind == kind {
			seeds = append(seeds, documenttest.ReadExample(tb, ex.file))
		}
	}
	docs := []string{recMSYAML, recAuditYAML, recReviewYAML, recNCYAML}
	for _, tt := range recProblemTests {
		docs = append(docs, strings.Replace(tt.doc, tt.old, tt.new, 1))
	}
	for _, doc := range docs {
		if h, err := document.KindOf([]byte(doc)); err == nil && h.Kind == kind {
			seeds = append(seeds, []byte(doc))
		}
	}
	return seeds
}
