package aims_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
)

var supportAssistant = uuid.MustParse("2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60")

// TestExampleRelease checks that the example folder's live system was
// released by the CLI (gate --apply) with its evidence in the example's
// signed log, so that a Guard built as the README shows admits it.
func TestExampleRelease(t *testing.T) {
	ctx := context.Background()
	b, err := os.ReadFile("../examples/credit-scoring/release.pub")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := evidence.ParsePublicKey(b)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := evidence.NoteVerifierKey("aimskit", pub)
	if err != nil {
		t.Fatal(err)
	}
	releases, err := aims.ReadReleases(ctx, "../examples/credit-scoring/release.evidence.jsonl", &evidence.VerifyOptions{Key: vkey})
	if err != nil {
		t.Fatalf("ReadReleases() = %v", err)
	}
	guard := aims.NewGuard(loadExample(t), &aims.GuardOptions{Releases: releases})
	if err := guard.Allow(ctx, supportAssistant); err != nil {
		t.Errorf("Allow(Customer support assistant) = %v, want nil", err)
	}
}
