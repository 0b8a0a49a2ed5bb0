package evidence_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
)

// exampleKey returns a fixed key, so that the examples print the same
// signatures every time. Real keys come from [evidence.GenerateKey].
func exampleKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{42}, ed25519.SeedSize))
}

// exampleIDs returns an ID source that counts, for reproducible output;
// the default, uuid.NewV7, gives unique ids.
func exampleIDs() func() (uuid.UUID, error) {
	n := 0
	return func() (uuid.UUID, error) {
		n++
		return uuid.Parse(fmt.Sprintf("019b76da-a800-7000-8000-%012d", n))
	}
}

// exampleRecord returns a runtime decision in which the prompt is kept
// only as a digest.
func exampleRecord(now func() time.Time, ids func() (uuid.UUID, error)) *evidence.Record {
	prompt := []byte("Should customer 4711 get a loan?")
	data, _ := json.Marshal(map[string]any{"prompt": evidence.DigestContent(prompt), "score": 0.82})
	r := &evidence.Record{
		Type:     evidence.TypeRuntimeDecision,
		System:   uuid.MustParse("0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b"),
		Controls: []string{"iso42001:A.6.2.8"},
		Outcome:  "allow",
		Actor:    "credit-scoring/v3",
		Data:     data,
		Masked:   []string{"/data/prompt"},
	}
	if err := r.Stamp(now, ids); err != nil {
		log.Fatal(err)
	}
	return r
}

func fixedClock() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

// Append records to a log, checkpoint it, and verify it with the log's
// verifier key alone.
func ExampleOpenFile() {
	dir, err := os.MkdirTemp("", "evidence")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "evidence.jsonl")

	priv := exampleKey()
	signer, err := evidence.NewNoteSigner("example.com/credit-scoring", priv)
	if err != nil {
		log.Fatal(err)
	}
	vkey, err := evidence.NoteVerifierKey("example.com/credit-scoring", priv.Public().(ed25519.PublicKey))
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 2})
	if err != nil {
		log.Fatal(err)
	}
	ids := exampleIDs()
	for range 3 {
		if err := l.Write(ctx, exampleRecord(fixedClock, ids)); err != nil {
			log.Fatal(err)
		}
	}
	if err := l.Close(ctx); err != nil { // writes a checkpoint of all 3 records
		log.Fatal(err)
	}

	rep, err := evidence.VerifyFile(ctx, path, &evidence.VerifyOptions{Key: vkey})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("records %d, checkpoints %d, anchored %d\n", rep.Records, rep.Checkpoints, rep.Anchored)

	// Change one byte of the first record: Verify finds it.
	b, _ := os.ReadFile(path)
	b[bytes.Index(b, []byte(`"allow"`))+1] = 'A'
	_, err = evidence.Verify(ctx, bytes.NewReader(b), nil, "")
	fmt.Println(err)
	// Output:
	// records 3, checkpoints 3, anchored 3
	// evidence: log does not verify: record 1: broken-link: prev is not the hash of record 0
}

// Prove to an auditor that a record is in the log, and that a later
// checkpoint extends an earlier one.
func ExampleCheckInclusion() {
	dir, err := os.MkdirTemp("", "evidence")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "evidence.jsonl")
	priv := exampleKey()
	signer, _ := evidence.NewNoteSigner("example.com/credit-scoring", priv)
	vkey, _ := evidence.NoteVerifierKey("example.com/credit-scoring", priv.Public().(ed25519.PublicKey))

	ctx := context.Background()
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: signer})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close(ctx)
	ids := exampleIDs()
	for range 5 {
		if err := l.Write(ctx, exampleRecord(fixedClock, ids)); err != nil {
			log.Fatal(err)
		}
	}
	older, _ := l.Checkpoint(ctx)
	index, err := l.Append(ctx, exampleRecord(fixedClock, ids))
	if err != nil {
		log.Fatal(err)
	}
	newer, _ := l.Checkpoint(ctx)

	// The auditor gets the record's line, the proofs, the checkpoints and
	// the verifier key.
	b, _ := os.ReadFile(path)
	line := bytes.Split(b, []byte("\n"))[index]
	inclusion, err := l.ProveInclusion(index, 6)
	if err != nil {
		log.Fatal(err)
	}
	consistency, err := l.ProveConsistency(5, 6)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("record 5 included:", evidence.CheckInclusion(newer, vkey, line, inclusion) == nil)
	fmt.Println("log only grew:", evidence.CheckConsistency(older, newer, vkey, consistency) == nil)
	// Output:
	// record 5 included: true
	// log only grew: true
}

// Write evidence to a durable sink and mirror it to the operators' log.
func ExampleNewMultiSink() {
	ctx := context.Background()
	var mem evidence.MemorySink
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // for reproducible output
			}
			return a
		},
	}))
	sink := evidence.NewMultiSink(&mem, evidence.NewSlogSink(logger, nil))

	r := exampleRecord(fixedClock, exampleIDs())
	r.Data, r.Masked = nil, nil
	if err := sink.Write(ctx, r); err != nil {
		// A gate fails closed here.
		log.Fatal(err)
	}
	fmt.Println("stored:", mem.Len())
	// Output:
	// level=INFO msg="aimskit evidence" aimskit.evidence.id=019b76da-a800-7000-8000-000000000001 aimskit.evidence.type=runtime-decision aimskit.evidence.time=2026-03-01T12:00:00.000Z aimskit.evidence.system=0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b aimskit.evidence.controls=[iso42001:A.6.2.8] aimskit.evidence.outcome=allow aimskit.evidence.actor=credit-scoring/v3
	// stored: 1
}

// Keep a prompt out of the evidence: record its digest and length.
func ExampleDigestContent() {
	c := evidence.DigestContent([]byte("hello world"))
	fmt.Println(c.SHA256, c.Length)
	// Output:
	// b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9 11
}
