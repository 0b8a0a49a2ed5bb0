//go:build linux

package aims_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims"
)

// TestLoadFIFO checks that a FIFO named like a document is skipped, not
// opened: opening it would wait for a writer forever.
func TestLoadFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.yaml"), okSystem, 0o644); err != nil {
		t.Fatal(err)
	}
	pipe := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("pipe.yaml", filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	type result struct {
		f   *aims.Snapshot
		err error
	}
	done := make(chan result, 1)
	go func() {
		f, err := aims.Load(context.Background(), os.DirFS(dir))
		done <- result{f, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(time.Minute):
		// Unblock the loader before failing, so that it does not outlive
		// the test.
		if w, err := os.OpenFile(pipe, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
		t.Fatal("Load() did not return: it opened the FIFO")
	}
	if r.err != nil {
		t.Fatalf("Load() error = %v", r.err)
	}
	if len(r.f.Systems) != 1 || len(r.f.Notes) != 2 {
		t.Errorf("Load() = %d systems and notes %v, want 1 system and notes for link.yaml and pipe.yaml", len(r.f.Systems), r.f.Notes)
	}
}
