package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/dirstore"
	"github.com/aimskit/aimskit/inventory"
)

// TestValidateAfterStoreWrite shows that one folder serves both the CLI
// and a running application: a governance folder written through the
// directory store still validates, with the document in its own file.
func TestValidateAfterStoreWrite(t *testing.T) {
	dir := copyExample(t, nil)
	st, err := dirstore.Open(dir, nil)
	if err != nil {
		t.Fatalf("dirstore.Open(example) = %v, want nil", err)
	}
	ctx := t.Context()
	doc, err := st.Get(ctx, inventory.KindSystem, creditScoringID)
	if err != nil {
		t.Fatalf("Get(credit scoring) = %v, want nil", err)
	}
	doc.Data = []byte(strings.Replace(string(doc.Data), `"name":"Consumer credit scoring"`, `"name":"Consumer credit scoring (retail)"`, 1))
	if _, err := st.Put(ctx, doc, store.Write{Actor: "release-bot", Reason: "rename"}); err != nil {
		t.Fatalf("Put(credit scoring) = %v, want nil", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "validate", dir)
	if code != 0 {
		t.Fatalf("validate after a write through the store = %d: %s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "inventory", dir)
	if code != 0 || !strings.Contains(out, "Consumer credit scoring (retail)") {
		t.Errorf("inventory after the write = %d: %s; want the new name", code, out)
	}
	if b := readFile(t, filepath.Join(dir, creditFile)); !strings.Contains(string(b), "name: Consumer credit scoring (retail)") {
		t.Errorf("%s after the write = %q; want the document rewritten in place", creditFile, b)
	}
}
