package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
)

// TestTenThousandRequests drives 10,000 requests through the service. From
// request 5,000 on, customers ask for investment advice, which the model
// was not validated on: the drift monitor suspends the system, the guard
// answers 503 from then on, and the evidence log holds every answer and
// the suspension and verifies end to end.
func TestTenThousandRequests(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chat.evidence.jsonl")
	logFile, err := evidence.OpenFile(path, &evidence.FileOptions{Sync: evidence.SyncNone})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	state := filepath.Join(t.TempDir(), "state")
	s, err := newService(ctx, logFile, state, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	answered, refused, firstRefused := 0, 0, -1
	for i := range 10_000 {
		q := "How do I order a new card?"
		if i >= 5_000 {
			q = "Which stock should I invest in?"
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/chat", strings.NewReader(q)))
		switch rec.Code {
		case http.StatusOK:
			answered++
			if refused > 0 {
				t.Fatalf("request %d answered after the system was suspended", i)
			}
			var a answer
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil || a.Disclosure != Disclosure {
				t.Fatalf("request %d: answer %q lacks the Art. 50(1) disclosure", i, rec.Body.String())
			}
		case http.StatusServiceUnavailable:
			if refused == 0 {
				firstRefused = i
			}
			refused++
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("request %d: 503 with %s, want a problem body", i, ct)
			}
		default:
			t.Fatalf("request %d: status %d", i, rec.Code)
		}
	}
	// With 20 observations in the window, the average drift exceeds 0.5
	// once 10 of them are 1 (10 + 10×0.05 = 10.5 > 20×0.5): the tenth
	// question out of distribution (request 5,009) is answered and
	// suspends the system, so request 5,010 is the first refused.
	if firstRefused != 5_010 {
		t.Errorf("first refusal at request %d, want 5010", firstRefused)
	}
	if err := s.guard.Allow(ctx, system); err == nil {
		t.Error("guard allows after the drift threshold was crossed")
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.recorder.Stats(); st.Written != uint64(answered) || st.Dropped != 0 || st.Failed != 0 {
		t.Errorf("recorder stats %+v, want %d written", st, answered)
	}
	if err := logFile.Close(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := evidence.VerifyFile(ctx, path, nil)
	if err != nil {
		t.Fatalf("VerifyFile: %v", err)
	}
	// Every answer plus the suspension.
	if rep.Records != int64(answered)+1 {
		t.Errorf("log holds %d records, want %d answers and 1 suspension", rep.Records, answered)
	}
	t.Logf("%d answered, %d refused, %d evidence records verified", answered, refused, rep.Records)

	// The suspension is in the store: after a restart the service still
	// refuses.
	again, err := newService(ctx, &evidence.MemorySink{}, state, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close(ctx)
	if err := again.guard.Allow(ctx, system); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("after a restart Allow() = %v, want ErrSuspended", err)
	}
	rec := httptest.NewRecorder()
	again.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/chat", strings.NewReader("How do I order a new card?")))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("after a restart a question got %d, want 503", rec.Code)
	}
}
