//go:build unix

package dirstore_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aimskit/aimskit/aims/store"
)

// TestHostileFolder checks the rules of the folder loader for a folder
// from someone else: a FIFO is not opened (Open would hang), and a link
// is not followed, so none leads out of the folder.
func TestHostileFolder(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.yaml")
	writeFile(t, outside, "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nid: secret\nname: DB_PASSWORD=hunter2\n")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "system.yaml"), "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nid: chatbot\n")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dir, "linked-folder")); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir)
	defer closeStore(t, s)
	docs, err := s.List(t.Context(), store.Filter{})
	if err != nil {
		t.Fatalf("List() = %v, want nil", err)
	}
	if len(docs) != 1 || docs[0].ID != "chatbot" {
		t.Errorf("List() = %d documents, want only AISystem/chatbot", len(docs))
	}
	for _, d := range docs {
		if strings.Contains(string(d.Data), "hunter2") {
			t.Errorf("List() returned the content of a file outside the folder: %s", d.Data)
		}
	}
}
