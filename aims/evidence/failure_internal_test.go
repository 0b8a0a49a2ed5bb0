package evidence

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func failureRecord(tb testing.TB, i int) *Record {
	tb.Helper()
	r := &Record{
		Type: TypeRuntimeDecision, System: uuid.MustParse("0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b"),
		Outcome: "allow", Actor: "test",
	}
	ids := func() (uuid.UUID, error) {
		var u uuid.UUID
		u[6], u[8], u[15] = 0x70, 0x80, byte(i)
		u[14] = byte(i >> 8)
		return u, nil
	}
	if err := r.Stamp(func() time.Time { return time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC) }, ids); err != nil {
		tb.Fatal(err)
	}
	return r
}

// readOnly returns the file at path opened for reading only: writes to it
// fail, as they do on a full or broken disk.
func readOnly(tb testing.TB, path string) *os.File {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// TestFileLogRecoversFromFailedWrites checks that a failed write neither
// wedges the log nor leaves the decision and its evidence disagreeing: a
// failed append records nothing and the next one works; a checkpoint that
// cannot be written after the records does not undo them, is tried again,
// and Close reports it while it persists.
func TestFileLogRecoversFromFailedWrites(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	signer, err := NewNoteSigner("example.com/failures", priv)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := NoteVerifierKey("example.com/failures", priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "log.jsonl")
	var logs bytes.Buffer
	l, err := OpenFile(path, &FileOptions{Signer: signer, CheckpointEvery: 2, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := l.Append(ctx, failureRecord(t, 0)); err != nil {
		t.Fatal(err)
	}

	// The log's file fails: nothing is recorded, and the log is not
	// wedged once the disk works again.
	good := l.f
	l.f = readOnly(t, path)
	if _, err := l.Append(ctx, failureRecord(t, 1)); err == nil {
		t.Fatal("Append() to a failing file = nil, want an error")
	}
	if l.Len() != 1 {
		t.Errorf("Len() after a failed append = %d, want 1", l.Len())
	}
	l.f = good
	if i, err := l.Append(ctx, failureRecord(t, 1)); err != nil || i != 1 {
		t.Fatalf("Append() after the disk works again = %d, %v; want 1, nil", i, err)
	}

	// The checkpoints file fails: the records are recorded all the same,
	// the failure is logged, and the checkpoint is written later.
	goodCP := l.cpf
	l.cpf = readOnly(t, path+CheckpointsSuffix)
	if _, err := l.Append(ctx, failureRecord(t, 2), failureRecord(t, 3)); err != nil {
		t.Fatalf("Append() with a failing checkpoints file = %v, want nil: the records are written", err)
	}
	if !strings.Contains(logs.String(), "checkpoint not written") || !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("the checkpoint failure was not logged at error level: %s", logs.String())
	}
	if n := l.Len(); n != 4 {
		t.Errorf("Len() = %d, want 4", n)
	}
	if err := l.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// A verifier sees records 2 and 3 as unanchored, not as tampering.
	rep, err := VerifyFile(ctx, path, &VerifyOptions{Key: vkey, MaxUnanchored: 2})
	if err != nil || rep.Records != 4 || rep.Unanchored != 2 {
		t.Errorf("VerifyFile() while the checkpoint is owed = %+v, %v", rep, err)
	}
	l.cpf = goodCP
	if _, err := l.Append(ctx, failureRecord(t, 4)); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	rep, err = VerifyFile(ctx, path, &VerifyOptions{Key: vkey})
	if err != nil || rep.Records != 5 || rep.Unanchored != 0 {
		t.Errorf("VerifyFile() after recovery = %+v, %v; want 5 records, all anchored", rep, err)
	}
}

// TestFileLogCloseReportsCheckpointFailure checks that Close returns the
// error of the final checkpoint, and still closes the log.
func TestFileLogCloseReportsCheckpointFailure(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, 32))
	signer, err := NewNoteSigner("example.com/failures", priv)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "log.jsonl")
	l, err := OpenFile(path, &FileOptions{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := l.Append(ctx, failureRecord(t, 0)); err != nil {
		t.Fatal(err)
	}
	good := l.cpf
	l.cpf = readOnly(t, path+CheckpointsSuffix)
	defer good.Close()
	if err := l.Close(ctx); err == nil || !strings.Contains(err.Error(), "checkpoint") {
		t.Errorf("Close() with a failing checkpoints file = %v, want the checkpoint's error", err)
	}
	if err := l.Close(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close() = %v, want ErrClosed", err)
	}
	// The record is in the log, owed its checkpoint; the next writer
	// adopts it and signs.
	l, err = OpenFile(path, &FileOptions{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	if l.Adopted() != 1 {
		t.Errorf("Adopted() = %d, want 1", l.Adopted())
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
}
