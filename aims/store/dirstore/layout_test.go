package dirstore_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/dirstore"
)

// history returns the history of a document as "revision op actor"
// strings.
func history(t testing.TB, s *store.Store, kind, id string) []string {
	t.Helper()
	hist, err := s.History(t.Context(), kind, id)
	if err != nil {
		t.Fatalf("History(%s/%s) = %v, want nil", kind, id, err)
	}
	var got []string
	for _, c := range hist {
		got = append(got, strings.Join([]string{string(rune('0' + c.Revision)), string(c.Op), c.Actor}, " "))
	}
	return got
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOutsideEdit checks that a file edited by hand while the folder is
// closed is a new revision by dirstore.OutsideActor, recorded once.
func TestOutsideEdit(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	put(t, s, "AISystem", "chatbot", `{"name":"Support chatbot"}`, 0, store.Write{Actor: "alice"})
	closeStore(t, s)
	path := filepath.Join(dir, "aisystem", "chatbot.yaml")
	writeFile(t, path, "# aimskit: revision 1, kind AISystem, id chatbot\nname: Edited by hand\n")

	for range 2 { // the second Open finds nothing new
		s = open(t, dir)
		got, err := s.Get(t.Context(), "AISystem", "chatbot")
		if err != nil {
			t.Fatalf("Get() after an edit by hand = %v, want nil", err)
		}
		if got.Revision != 2 || got.UpdatedBy != dirstore.OutsideActor || string(got.Data) != `{"name":"Edited by hand"}` {
			t.Errorf("Get() after an edit by hand = revision %d by %q, %s; want revision 2 by %q with the edit",
				got.Revision, got.UpdatedBy, got.Data, dirstore.OutsideActor)
		}
		if h, want := history(t, s, "AISystem", "chatbot"), []string{"1 put alice", "2 put " + dirstore.OutsideActor}; !slices.Equal(h, want) {
			t.Errorf("History() = %q, want %q", h, want)
		}
		closeStore(t, s)
	}
	s = open(t, dir)
	defer closeStore(t, s)
	if v3 := put(t, s, "AISystem", "chatbot", `{"name":"Support chatbot"}`, 2, store.Write{Actor: "bob"}); v3.Revision != 3 {
		t.Errorf("Put(revision 2) after the edit = revision %d, want 3", v3.Revision)
	}
}

// TestOutsideRemove checks that a file removed by hand is a delete by
// dirstore.OutsideActor once the folder is opened again.
func TestOutsideRemove(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	put(t, s, "AISystem", "chatbot", `{"name":"Support chatbot"}`, 0, store.Write{Actor: "alice"})
	put(t, s, "AISystem", "chatbot", `{"name":"Support chatbot"}`, 1, store.Write{Actor: "bob"})
	path := filepath.Join(dir, "aisystem", "chatbot.yaml")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	checkCorrupt(t, s, path, "file is missing (removed outside the store while it was open)", []string{"Get", "List"})
	closeStore(t, s)

	s = open(t, dir)
	defer closeStore(t, s)
	if _, err := s.Get(t.Context(), "AISystem", "chatbot"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get() of a file removed by hand = %v, want an error matching store.ErrNotFound", err)
	}
	if h, want := history(t, s, "AISystem", "chatbot"), []string{"1 put alice", "2 put bob", "3 delete " + dirstore.OutsideActor}; !slices.Equal(h, want) {
		t.Errorf("History() = %q, want %q", h, want)
	}
}

// TestGovernanceLayout checks that the store reads a folder laid out by
// hand, as aimskit init scaffolds it: any file names, sub-folders, YAML
// and JSON; files that are not aimskit documents are left alone.
func TestGovernanceLayout(t *testing.T) {
	dir := t.TempDir()
	credit := filepath.Join(dir, "systems", "credit scoring.yaml")
	writeFile(t, credit, "# The credit scoring system.\napiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nid: credit-scoring\nname: Credit scoring\n")
	chat := filepath.Join(dir, "chat.json")
	writeFile(t, chat, `{"apiVersion": "aimskit.dev/v1alpha1", "kind": "AISystem", "id": "chatbot", "name": "Chatbot"}`)
	criteria := filepath.Join(dir, "risk", "criteria.yml")
	writeFile(t, criteria, "apiVersion: aimskit.dev/v1alpha1\nkind: RiskCriteria\nname: Default criteria\n")
	other := map[string]string{
		filepath.Join(dir, "deploy", "app.yaml"):   "apiVersion: apps/v1\nkind: Deployment\n",
		filepath.Join(dir, "notes.yaml"):           "just: notes\n",
		filepath.Join(dir, ".github", "ci.yaml"):   "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nid: hidden\n",
		filepath.Join(dir, "broken.yaml"):          "apiVersion: aimskit.dev/v1alpha1\nkind: [\n",
		filepath.Join(dir, "README.md"):            "# Governance\n",
		filepath.Join(dir, "aisystem", "old.yaml"): "name: not a document\n",
	}
	for path, content := range other {
		writeFile(t, path, content)
	}

	s := open(t, dir)
	docs, err := s.List(t.Context(), store.Filter{})
	if err != nil {
		t.Fatalf("List() = %v, want nil", err)
	}
	var names []string
	for _, d := range docs {
		names = append(names, d.Kind+"/"+d.ID+" "+string(rune('0'+d.Revision))+" "+d.UpdatedBy)
	}
	want := []string{
		"AISystem/chatbot 1 " + dirstore.OutsideActor,
		"AISystem/credit-scoring 1 " + dirstore.OutsideActor,
		"RiskCriteria/criteria 1 " + dirstore.OutsideActor, // the name is not an id: the file name is
	}
	if !slices.Equal(names, want) {
		t.Errorf("List() = %q, want %q", names, want)
	}

	// A write keeps the file where it is, in its format.
	put(t, s, "AISystem", "credit-scoring", `{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","id":"credit-scoring","name":"Consumer credit scoring"}`, 1, store.Write{Actor: "alice"})
	put(t, s, "AISystem", "chatbot", `{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","id":"chatbot","name":"Support chatbot"}`, 1, store.Write{Actor: "alice"})
	b, err := os.ReadFile(credit)
	if err != nil || !strings.HasPrefix(string(b), "# aimskit: revision 2, kind AISystem, id credit-scoring\n") || !strings.Contains(string(b), "name: Consumer credit scoring\n") {
		t.Errorf("%s after Put = %q, %v; want the new revision in place", credit, b, err)
	}
	b, err = os.ReadFile(chat)
	if err != nil || !strings.Contains(string(b), `"name": "Support chatbot"`) || strings.HasPrefix(string(b), "#") {
		t.Errorf("%s after Put = %q, %v; want the new revision in place, as JSON", chat, b, err)
	}
	// A new document gets a file of its own.
	put(t, s, "AISystem", "fraud", `{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","id":"fraud","name":"Fraud"}`, 0, store.Write{Actor: "alice"})
	if _, err := os.Stat(filepath.Join(dir, "aisystem", "fraud.yaml")); err != nil {
		t.Errorf("file of a new document: %v, want aisystem/fraud.yaml", err)
	}
	closeStore(t, s)
	for path, content := range other {
		if b, err := os.ReadFile(path); err != nil || string(b) != content {
			t.Errorf("%s = %q, %v; want it left alone", path, b, err)
		}
	}

	s = open(t, dir)
	defer closeStore(t, s)
	for _, id := range []string{"credit-scoring", "chatbot"} {
		if h, want := history(t, s, "AISystem", id), []string{"1 put " + dirstore.OutsideActor, "2 put alice"}; !slices.Equal(h, want) {
			t.Errorf("History(%s) after reopening = %q, want %q", id, h, want)
		}
	}
}

// TestDuplicateDocument checks that Open refuses a folder where two files
// hold the same document, naming both.
func TestDuplicateDocument(t *testing.T) {
	dir := t.TempDir()
	const doc = "apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nid: chatbot\n"
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "sub", "b.yaml")
	writeFile(t, a, doc)
	writeFile(t, b, doc)
	_, err := dirstore.Open(dir, nil)
	var de *dirstore.DuplicateError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), a) || !strings.Contains(err.Error(), b) {
		t.Fatalf("Open(folder with a duplicate) = %v, want a *dirstore.DuplicateError naming %s and %s", err, a, b)
	}
	if de.Kind != "AISystem" || de.ID != "chatbot" {
		t.Errorf("DuplicateError = %+v, want AISystem/chatbot", de)
	}
	// The refused Open released the folder.
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir)
	closeStore(t, s)
}
