package creditscoring_test

// The README's Go examples run here against this folder, as written
// there: TestReadme in the module root checks that each README block is
// a run of lines in one of these files (a README function named TestX is
// written here as testX, which a test below runs with its inputs
// pinned).

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
	"github.com/aimskit/aimskit/inventory"
)

var (
	// systemID is "Consumer credit scoring", the system the README gates.
	systemID = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	// supportAssistant is "Customer support assistant", the system the
	// folder shows as released.
	supportAssistant = uuid.MustParse("2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60")
)

// folderDay is the day the example folder's dates were written for.
var folderDay = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

// governanceToday writes a copy of the governance folder into dir/governance
// with every date moved by the days between folderDay and today, so that
// what is current, due or overdue is the same on any day as on folderDay.
func governanceToday(t *testing.T, dir string) {
	t.Helper()
	today := time.Now().UTC().Truncate(24 * time.Hour)
	shift := today.Sub(folderDay)
	date := regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	entries, err := os.ReadDir("governance")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "governance"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("governance", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b = date.ReplaceAllFunc(b, func(d []byte) []byte {
			day, err := time.Parse(time.DateOnly, string(d))
			if err != nil {
				return d
			}
			return []byte(day.Add(shift).Format(time.DateOnly))
		})
		if err := os.WriteFile(filepath.Join(dir, "governance", e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadmeEmbed(t *testing.T) {
	if err := checkGovernance(context.Background()); err != nil {
		t.Fatalf("checkGovernance() = %v", err)
	}
}

func TestReadmeReleaseGate(t *testing.T) {
	dir := t.TempDir()
	governanceToday(t, dir)
	t.Chdir(dir)
	testReleaseGate(t)
}

// testReleaseGate is the README's TestReleaseGate.
func testReleaseGate(t *testing.T) {
	folder, err := aims.Load(context.Background(), os.DirFS("governance"))
	if err != nil {
		t.Fatal(err)
	}
	gate, err := aims.NewGate(folder, nil) // default policy, or the folder's GatePolicy
	if err != nil {
		t.Fatal(err)
	}
	d, err := gate.Evaluate(context.Background(), systemID, inventory.StageDeployment,
		aims.Facts{"accuracy": 0.94, "fairness.gap": 0.02}) // from your own evaluation suite
	if err != nil {
		t.Fatal(err) // could not decide
	}
	if err := d.Err(); err != nil {
		t.Fatal(err) // aims: gate verification-and-validation -> deployment denied for ...
	}
}

func TestReadmeReleaseEvidence(t *testing.T) {
	dir := t.TempDir()
	governanceToday(t, dir)
	t.Chdir(dir)
	ctx := context.Background()
	folder, err := aims.Load(ctx, os.DirFS("governance"))
	if err != nil {
		t.Fatal(err)
	}
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	pubKey := priv.Public().(ed25519.PublicKey)
	noteSigner, err := evidence.NewNoteSigner("aimskit", priv)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := evidence.NewEd25519Signer(priv)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("credit-scoring model 3.2"))
	artifactSubject := evidence.Subject{Name: "credit-scoring.onnx", Digest: map[string]string{"sha256": hex.EncodeToString(sum[:])}}
	facts := aims.Facts{"accuracy": 0.94, "fairness.gap": 0.02}

	func() {
		log, err := evidence.OpenFile("release.evidence.jsonl", &evidence.FileOptions{Signer: noteSigner})
		if err != nil {
			t.Fatal(err)
		}
		defer log.Close(ctx)
		gate, err := aims.NewGate(folder, &aims.GateOptions{Evidence: log}) // fails closed if the log fails
		if err != nil {
			t.Fatal(err)
		}
		d, err := gate.Evaluate(ctx, systemID, inventory.StageDeployment, facts) // recorded in the log
		if err != nil {
			t.Fatal(err)
		}
		env, err := aims.Attest(ctx, signer, d, folder.System(systemID), artifactSubject)
		if err != nil {
			t.Fatal(err)
		}
		bundle, err := os.Create("release.intoto.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		defer bundle.Close()
		if err := attest.WriteBundle(bundle, env); err != nil {
			t.Fatal(err)
		}
	}()

	// What the README promises of it: the decision is in a log that
	// verifies with the key, and the bundle names the artifact.
	vkey, err := evidence.NoteVerifierKey("aimskit", pubKey)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := evidence.VerifyFile(ctx, "release.evidence.jsonl", &evidence.VerifyOptions{Key: vkey})
	if err != nil {
		t.Fatalf("VerifyFile() = %v", err)
	}
	if rep.Records == 0 {
		t.Errorf("VerifyFile() verified %d records, want the gate decision", rep.Records)
	}
	b, err := os.ReadFile("release.intoto.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	v, err := evidence.NewEd25519Verifier(pubKey)
	if err != nil {
		t.Fatal(err)
	}
	bv, err := attest.NewBundleVerifier(v)
	if err != nil {
		t.Fatal(err)
	}
	brep, err := bv.Verify(ctx, bytes.NewReader(b), &attest.BundleOptions{Artifacts: []evidence.Subject{artifactSubject}})
	if err != nil {
		t.Fatalf("BundleVerifier.Verify() = %v", err)
	}
	if !brep.Verified() || len(brep.Envelopes) != 1 {
		t.Errorf("bundle report = %+v, want one verified envelope about the artifact", brep)
	}
}

func TestReadmeRuntime(t *testing.T) {
	ctx := context.Background()
	b, err := os.ReadFile("release.pub")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := evidence.ParsePublicKey(b)
	if err != nil {
		t.Fatal(err)
	}
	folder, err := aims.Load(ctx, os.DirFS("governance"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"release.evidence.jsonl", "release.evidence.jsonl.checkpoints"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	evidenceLog, err := evidence.OpenFile("decisions.evidence.jsonl", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer evidenceLog.Close(ctx)
	mux := http.NewServeMux()
	chat := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello")) })
	thresholds := []aims.Threshold{{System: supportAssistant, Metric: "drift", Max: 0.3}}
	systemID := supportAssistant

	vkey, _ := evidence.NoteVerifierKey("aimskit", pub)
	releases, _ := aims.ReadReleases(ctx, "release.evidence.jsonl", &evidence.VerifyOptions{Key: vkey})
	guard := aims.NewGuard(folder, &aims.GuardOptions{Releases: releases}) // refuses suspended, retired, unreleased systems
	mux.Handle("POST /chat", guard.Middleware(systemID, chat))             // 503 + problem+json when refused
	rec, _ := aims.NewRecorder(evidenceLog, nil)                           // digests and lengths, never the conversation
	mon, _ := aims.NewMonitor(guard, folder, &aims.MonitorOptions{Thresholds: thresholds, Evidence: evidenceLog, Recorder: rec})
	defer rec.Close(ctx)

	if releases == nil || mon == nil || rec == nil {
		t.Fatalf("ReadReleases, NewRecorder or NewMonitor failed: releases %v, recorder %v, monitor %v", releases, rec, mon)
	}
	if err := guard.Allow(ctx, systemID); err != nil {
		t.Errorf("Allow(Customer support assistant) = %v, want nil: the folder shows it released", err)
	}
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("POST", "/chat", strings.NewReader("hi")))
	if w.Code != http.StatusOK {
		t.Errorf("POST /chat = %d %s, want 200", w.Code, w.Body)
	}
	if err := guard.Allow(ctx, uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")); err == nil {
		t.Error("Allow(Consumer credit scoring) = nil, want a refusal: it is not released")
	}
}
