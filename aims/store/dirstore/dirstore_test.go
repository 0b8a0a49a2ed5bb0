package dirstore_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/dirstore"
	"github.com/aimskit/aimskit/aims/store/storetest"
	"github.com/aimskit/aimskit/document"
)

// newClock returns a clock that starts at a fixed time and advances one
// second on every call. It is safe for concurrent use.
func newClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver {
		d, err := dirstore.OpenDriver(t.TempDir(), nil)
		if err != nil {
			t.Fatalf("OpenDriver() = %v, want nil", err)
		}
		return d
	})
}

func TestDriver(t *testing.T) {
	base := t.TempDir()
	err := storetest.TestDriver(func() (store.Driver, error) {
		dir, err := os.MkdirTemp(base, "store-")
		if err != nil {
			return nil, err
		}
		return dirstore.OpenDriver(dir, nil)
	})
	if err != nil {
		t.Errorf("storetest.TestDriver() = %v, want nil", err)
	}
}

func open(t testing.TB, dir string) *store.Store {
	t.Helper()
	s, err := dirstore.Open(dir, &dirstore.Options{Clock: newClock()})
	if err != nil {
		t.Fatalf("Open(%s) = %v, want nil", dir, err)
	}
	return s
}

func closeStore(t testing.TB, s *store.Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Errorf("Close() = %v, want nil", err)
	}
}

const creditScoring = `{
	"apiVersion": "aimskit.dev/v1alpha1",
	"kind": "AISystem",
	"id": "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10",
	"name": "Consumer credit scoring",
	"version": "3.2",
	"labels": {"tier": "critical"},
	"purpose": {"intended": "Estimate the probability of default <PD> & explain it.", "users": ["loan officers"]}
}`

func put(t testing.TB, s *store.Store, kind, id, data string, rev int64, w store.Write) *store.Document {
	t.Helper()
	got, err := s.Put(t.Context(), &store.Document{Kind: kind, ID: id, Revision: rev, Data: []byte(data)}, w)
	if err != nil {
		t.Fatalf("Put(%s/%s, revision %d) = %v, want nil", kind, id, rev, err)
	}
	return got
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	defer closeStore(t, s)
	put(t, s, "AISystem", "credit-scoring", creditScoring, 0, store.Write{Actor: "alice", Reason: "register"})
	v2 := put(t, s, "AISystem", "credit-scoring", strings.Replace(creditScoring, `"3.2"`, `"3.3"`, 1), 1, store.Write{Actor: "bob"})

	file, err := os.ReadFile(filepath.Join(dir, "aisystem", "credit-scoring.yaml"))
	if err != nil {
		t.Fatalf("reading the document file: %v", err)
	}
	wantFile := `# aimskit: revision 2, kind AISystem, id credit-scoring
apiVersion: aimskit.dev/v1alpha1
id: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
kind: AISystem
labels:
  tier: critical
name: Consumer credit scoring
purpose:
  intended: Estimate the probability of default <PD> & explain it.
  users:
  - loan officers
version: "3.3"
`
	if diff := cmp.Diff(wantFile, string(file)); diff != "" {
		t.Errorf("document file mismatch (-want +got):\n%s", diff)
	}
	// The strict YAML reader of the folder loader reads it as a plain
	// document.
	js, err := document.ToJSON(file)
	if err != nil {
		t.Fatalf("document.ToJSON(document file) = %v, want nil", err)
	}
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatalf("json.Unmarshal(document file as JSON) = %v, want nil", err)
	}
	if m["apiVersion"] != "aimskit.dev/v1alpha1" || m["kind"] != "AISystem" || m["version"] != "3.3" {
		t.Errorf("document file read as YAML = %v, want apiVersion, kind and version 3.3", m)
	}
	var want, got any
	if err := json.Unmarshal(v2.Data, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Put().Data differs from the file (-file +data):\n%s", diff)
	}

	hist, err := os.ReadFile(filepath.Join(dir, ".aimskit", "history", "aisystem", "credit-scoring.jsonl"))
	if err != nil {
		t.Fatalf("reading the history file: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(hist), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("history file has %d lines, want 2:\n%s", len(lines), hist)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatalf("history line 1 is not JSON: %v", err)
	}
	digest := first["digest"] // checked against the data below
	delete(first, "data")
	delete(first, "digest")
	wantFirst := map[string]any{
		"kind": "AISystem", "id": "credit-scoring", "revision": 1.0, "op": "put", "time": "2025-03-01T09:00:01Z",
		"actor": "alice", "reason": "register",
	}
	if diff := cmp.Diff(wantFirst, first); diff != "" {
		t.Errorf("history line 1 mismatch (-want +got):\n%s", diff)
	}
	changes, err := s.History(t.Context(), "AISystem", "credit-scoring")
	if err != nil {
		t.Fatalf("History() = %v, want nil", err)
	}
	if digest != store.Digest(changes[0].Data) {
		t.Errorf("history line 1 digest = %v, want %s", digest, store.Digest(changes[0].Data))
	}
	if !strings.Contains(lines[0], `"intended":"Estimate the probability of default <PD> & explain it."`) {
		t.Errorf("history line 1 = %s, want the data as readable JSON", lines[0])
	}

	// Only dot files besides the documents: a loader that skips them sees
	// the documents alone.
	var visible []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			visible = append(visible, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"aisystem/credit-scoring.yaml"}, visible); diff != "" {
		t.Errorf("files outside dot folders mismatch (-want +got):\n%s", diff)
	}
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	put(t, s, "AISystem", "chatbot", `{"kind":"AISystem","name":"v1"}`, 0, store.Write{Actor: "alice", Reason: "create"})
	put(t, s, "AISystem", "chatbot", `{"kind":"AISystem","name":"v2"}`, 1, store.Write{Actor: "bob"})
	put(t, s, "AISystem", "retired", `{"kind":"AISystem","name":"old"}`, 0, store.Write{Actor: "alice"})
	if err := s.Delete(t.Context(), "AISystem", "retired", 1, store.Write{Actor: "carol", Reason: "retire"}); err != nil {
		t.Fatalf("Delete() = %v, want nil", err)
	}
	put(t, s, "RiskAssessment", "chatbot", `{"kind":"RiskAssessment","labels":{"tier":"high"}}`, 0, store.Write{Actor: "dave"})

	type state struct {
		List    []*store.Document
		History map[string][]store.Change
	}
	read := func(s *store.Store) state {
		t.Helper()
		list, err := s.List(t.Context(), store.Filter{})
		if err != nil {
			t.Fatalf("List() = %v, want nil", err)
		}
		st := state{List: list, History: map[string][]store.Change{}}
		for _, k := range []string{"AISystem/chatbot", "AISystem/retired", "RiskAssessment/chatbot"} {
			kind, id, _ := strings.Cut(k, "/")
			h, err := s.History(t.Context(), kind, id)
			if err != nil {
				t.Fatalf("History(%s) = %v, want nil", k, err)
			}
			st.History[k] = h
		}
		return st
	}
	before := read(s)
	closeStore(t, s)

	s = open(t, dir)
	defer closeStore(t, s)
	if diff := cmp.Diff(before, read(s)); diff != "" {
		t.Errorf("after reopening (-before +after):\n%s", diff)
	}
	again := put(t, s, "AISystem", "retired", `{"kind":"AISystem","name":"back"}`, 0, store.Write{Actor: "alice"})
	if again.Revision != 3 {
		t.Errorf("Put() of a deleted document after reopening: Revision = %d, want 3", again.Revision)
	}
}

func TestLockSameProcess(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	_, err := dirstore.Open(dir, nil)
	if !errors.Is(err, dirstore.ErrLocked) {
		t.Fatalf("second Open() = %v, want an error matching dirstore.ErrLocked", err)
	}
	var le *dirstore.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("second Open() = %T, want a *dirstore.LockedError", err)
	}
	lock := filepath.Join(dir, ".aimskit", "lock")
	if le.Dir != dir || le.LockFile != lock {
		t.Errorf("LockedError = %+v, want Dir %s, LockFile %s", le, dir, lock)
	}
	want := fmt.Sprintf("dirstore: open %s: folder is in use by another writer (lock %s held", dir, lock)
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("second Open() = %q, want it to start with %q", err, want)
	}

	// The first store still works.
	put(t, s, "AISystem", "chatbot", `{}`, 0, store.Write{Actor: "alice"})
	closeStore(t, s)
	closeStore(t, s) // a second Close does nothing

	s2 := open(t, dir)
	closeStore(t, s2)
}

// helperEnv names the folder that TestHelperProcess opens.
const helperEnv = "AIMSKIT_DIRSTORE_HELPER_DIR"

// Exit codes of TestHelperProcess.
const (
	exitLocked = 3
	exitError  = 4
	exitOpened = 5
)

// TestHelperProcess is not a test: TestLockOtherProcess runs the test
// binary again to run it in another process.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		return
	}
	s, err := dirstore.Open(dir, nil)
	switch {
	case errors.Is(err, dirstore.ErrLocked):
		fmt.Fprintln(os.Stderr, err)
		os.Exit(exitLocked)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(exitError)
	}
	s.Close()
	os.Exit(exitOpened)
}

// runHelper opens dir in another process and returns its exit code and
// what it printed.
func runHelper(t testing.TB, dir string) (int, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("cannot find the test binary: %v", err)
	}
	cmd := exec.CommandContext(t.Context(), exe, "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("running the helper process: %v, want it to exit with a code", err)
	}
	return ee.ExitCode(), out.String()
}

func TestLockOtherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts another process")
	}
	dir := t.TempDir()
	s := open(t, dir)
	code, out := runHelper(t, dir)
	if code != exitLocked {
		t.Errorf("Open() in another process exited with %d (%s), want %d (refused)", code, out, exitLocked)
	}
	want := fmt.Sprintf("dirstore: open %s: folder is in use by another writer (lock %s held",
		dir, filepath.Join(dir, ".aimskit", "lock"))
	if !strings.Contains(out, want) {
		t.Errorf("Open() in another process printed %q, want %q", out, want)
	}
	closeStore(t, s)

	code, out = runHelper(t, dir)
	if code != exitOpened {
		t.Errorf("Open() in another process after Close exited with %d (%s), want %d (opened)", code, out, exitOpened)
	}
}

func TestCorruptFile(t *testing.T) {
	docFile := filepath.Join("aisystem", "chatbot.yaml")
	histFile := filepath.Join(".aimskit", "history", "aisystem", "chatbot.jsonl")
	tests := []struct {
		name    string
		file    string // relative to the folder
		content string // "" removes the file
		problem string
		// The calls that fail while the store is open, and after it is
		// opened again.
		open, reopen []string
	}{
		{name: "not YAML", file: docFile, content: "# aimskit: revision 2, kind AISystem\nname: [unclosed\n",
			problem: "not a valid YAML mapping", open: []string{"Get", "List"}, reopen: []string{"Get", "List", "History"}},
		{name: "not a mapping", file: docFile, content: "# aimskit: revision 2, kind AISystem\n- a\n",
			problem: "not a valid YAML mapping", open: []string{"Get", "List"}, reopen: []string{"Get", "List", "History"}},
		{name: "YAML alias", file: docFile, content: "# aimskit: revision 2, kind AISystem\nname: &n Support chatbot\nalso: *n\n",
			problem: "YAML aliases", open: []string{"Get", "List"}, reopen: []string{"Get", "List", "History"}},
		// Edited by hand while the store is open: the change is recorded
		// as a revision when the folder is opened again (TestOutsideChanges).
		{name: "edited", file: docFile, content: "# aimskit: revision 2, kind AISystem\nname: Edited by hand\n",
			problem: "content differs from revision 2 (changed outside the store while it was open",
			open:    []string{"Get", "List"}},
		{name: "broken header", file: docFile, content: "# aimskit: revision 0, kind AISystem\nname: Support chatbot\n",
			problem: `first line has revision "0", want a whole number from 1`, reopen: []string{"Get", "List", "History"}},
		// The revision of the header does not count: the content is that
		// of revision 2.
		{name: "other revision", file: docFile, content: "# aimskit: revision 7, kind AISystem\nname: Support chatbot\n"},
		{name: "other kind", file: docFile, content: "# aimskit: revision 2, kind Aisystem\nname: Support chatbot\n",
			problem: "file has kind Aisystem", open: []string{"Get", "List"}, reopen: []string{"Get", "List", "History"}},
		{name: "history line", file: histFile, content: "{not json}\n",
			problem: "line 1: not a JSON object of a change", open: []string{"History"}, reopen: []string{"Get", "List", "History"}},
		{name: "history of another document", file: histFile,
			content: `{"kind":"AISystem","id":"other","revision":1,"op":"delete","time":"2025-03-01T09:00:00Z","actor":"a"}` + "\n",
			problem: "line 1: change is for AISystem/other, not for this file", open: []string{"History"},
			reopen: []string{"Get", "List", "History"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir)
			put(t, s, "AISystem", "chatbot", `{"name":"Support chatbot"}`, 0, store.Write{Actor: "alice"})
			put(t, s, "AISystem", "chatbot", `{"name":"Support chatbot"}`, 1, store.Write{Actor: "bob"})
			other := put(t, s, "AISystem", "other", `{"name":"Other"}`, 0, store.Write{Actor: "alice"})
			path := filepath.Join(dir, tt.file)
			if tt.content == "" {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			checkCorrupt(t, s, path, tt.problem, tt.open)
			closeStore(t, s)

			s = open(t, dir)
			defer closeStore(t, s)
			checkCorrupt(t, s, path, tt.problem, tt.reopen)
			got, err := s.Get(t.Context(), "AISystem", "other")
			if err != nil {
				t.Fatalf("Get(other) = %v, want nil: other documents stay usable", err)
			}
			if diff := cmp.Diff(other, got); diff != "" {
				t.Errorf("Get(other) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// checkCorrupt checks that the calls named in failing (of Get, List and
// History of AISystem/chatbot) fail with a *CorruptError for path whose
// problem contains problem, and that the others succeed.
func checkCorrupt(t testing.TB, s *store.Store, path, problem string, failing []string) {
	t.Helper()
	_, getErr := s.Get(t.Context(), "AISystem", "chatbot")
	_, listErr := s.List(t.Context(), store.Filter{Kind: "AISystem"})
	_, histErr := s.History(t.Context(), "AISystem", "chatbot")
	calls := []struct {
		name string
		err  error
	}{{"Get", getErr}, {"List", listErr}, {"History", histErr}}
	for _, c := range calls {
		if !slices.Contains(failing, c.name) {
			if c.err != nil {
				t.Errorf("%s() = %v, want nil", c.name, c.err)
			}
			continue
		}
		var ce *dirstore.CorruptError
		if !errors.As(c.err, &ce) || !errors.Is(c.err, dirstore.ErrCorrupt) {
			t.Errorf("%s() = %v, want a *dirstore.CorruptError", c.name, c.err)
			continue
		}
		if ce.Path != path || !strings.Contains(ce.Problem, problem) {
			t.Errorf("%s() = %v, want an error for %s that says %q", c.name, c.err, path, problem)
		}
		if !strings.Contains(c.err.Error(), path) {
			t.Errorf("%s() = %q, want the message to name %s", c.name, c.err, path)
		}
	}
}

func TestCorruptHeaderBlocksWrites(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	put(t, s, "AISystem", "chatbot", `{"name":"Support chatbot"}`, 0, store.Write{Actor: "alice"})
	closeStore(t, s)
	path := filepath.Join(dir, "aisystem", "chatbot.yaml")
	const broken = "# aimskit: revision x, kind AISystem\nname: broken header\n"
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	defer closeStore(t, s)
	_, err := s.Put(t.Context(), &store.Document{Kind: "AISystem", ID: "chatbot", Revision: store.AnyRevision, Data: []byte(`{}`)},
		store.Write{Actor: "alice"})
	if !errors.Is(err, dirstore.ErrCorrupt) {
		t.Errorf("Put(AnyRevision) over a corrupt file = %v, want an error matching dirstore.ErrCorrupt", err)
	}
	if err := s.Delete(t.Context(), "AISystem", "chatbot", store.AnyRevision, store.Write{Actor: "alice"}); !errors.Is(err, dirstore.ErrCorrupt) {
		t.Errorf("Delete() of a corrupt file = %v, want an error matching dirstore.ErrCorrupt", err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != broken {
		t.Errorf("corrupt file after refused writes = %q, %v; want it unchanged", b, err)
	}
}

func TestMaxDocumentSize(t *testing.T) {
	dir := t.TempDir()
	s, err := dirstore.Open(dir, &dirstore.Options{MaxDocumentSize: 100})
	if err != nil {
		t.Fatalf("Open() = %v, want nil", err)
	}
	defer closeStore(t, s)
	w := store.Write{Actor: "alice"}
	small := put(t, s, "AISystem", "chatbot", `{"name":"small"}`, 0, w)
	tests := []struct {
		name string
		data string
	}{
		{name: "large JSON", data: `{"name":"` + strings.Repeat("x", 100) + `"}`},
		// Small JSON whose YAML is larger than the limit.
		{name: "large YAML", data: `{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{"k":{"l":1}}}}}}}}}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Put(t.Context(), &store.Document{Kind: "AISystem", ID: "chatbot", Revision: 1, Data: []byte(tt.data)}, w)
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Put(%d bytes) = %v, want an error matching store.ErrInvalid", len(tt.data), err)
			}
			got, err := s.Get(t.Context(), "AISystem", "chatbot")
			if err != nil {
				t.Fatalf("Get() = %v, want nil", err)
			}
			if diff := cmp.Diff(small, got); diff != "" {
				t.Errorf("Get() after a refused Put mismatch (-want +got):\n%s", diff)
			}
			hist, err := s.History(t.Context(), "AISystem", "chatbot")
			if err != nil || len(hist) != 1 {
				t.Errorf("History() = %d changes, %v; want 1, nil", len(hist), err)
			}
		})
	}
}

func TestDataNotYAML(t *testing.T) {
	s := open(t, t.TempDir())
	defer closeStore(t, s)
	// Valid JSON, but YAML reads the number as infinity, which JSON
	// cannot hold.
	_, err := s.Put(t.Context(), &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{"n":1e400}`)},
		store.Write{Actor: "alice"})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Put(1e400) = %v, want an error matching store.ErrInvalid", err)
	}
	if _, err := s.History(t.Context(), "AISystem", "chatbot"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("History() after a refused Put = %v, want an error matching store.ErrNotFound", err)
	}
}

func TestCaseClash(t *testing.T) {
	s := open(t, t.TempDir())
	defer closeStore(t, s)
	w := store.Write{Actor: "alice"}
	put(t, s, "AISystem", "Chatbot", `{}`, 0, w)
	tests := []struct {
		name, kind, id string
	}{
		{name: "id", kind: "AISystem", id: "chatbot"},
		{name: "kind", kind: "AiSystem", id: "Chatbot"},
		{name: "both", kind: "aisystem", id: "CHATBOT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Put(t.Context(), &store.Document{Kind: tt.kind, ID: tt.id, Data: []byte(`{}`)}, w)
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Put(%s/%s) = %v, want an error matching store.ErrInvalid", tt.kind, tt.id, err)
			}
			if _, err := s.Get(t.Context(), tt.kind, tt.id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get(%s/%s) = %v, want an error matching store.ErrNotFound", tt.kind, tt.id, err)
			}
		})
	}
}

func TestNoEscape(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "governance")
	s := open(t, dir)
	defer closeStore(t, s)
	w := store.Write{Actor: "alice"}
	ids := []string{"../escape", "../../escape", "a/../../escape", `..\escape`, "/tmp/escape", ".", "..", ".aimskit", ".hidden"}
	for _, id := range ids {
		_, err := s.Put(t.Context(), &store.Document{Kind: "AISystem", ID: id, Revision: store.AnyRevision, Data: []byte(`{}`)}, w)
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Put(id %q) = %v, want an error matching store.ErrInvalid", id, err)
		}
	}
	for _, kind := range []string{"..", "a/b", ".aimskit"} {
		_, err := s.Put(t.Context(), &store.Document{Kind: kind, ID: "x", Revision: store.AnyRevision, Data: []byte(`{}`)}, w)
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Put(kind %q) = %v, want an error matching store.ErrInvalid", kind, err)
		}
	}
	var files []string
	err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, path)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".", "governance", "governance/.aimskit", "governance/.aimskit/history", "governance/.aimskit/lock"}
	slices.Sort(files)
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("files after refused writes mismatch (-want +got):\n%s", diff)
	}
}

func TestLeftoverFilesIgnored(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	put(t, s, "AISystem", "chatbot", `{}`, 0, store.Write{Actor: "alice"})
	closeStore(t, s)
	for name, content := range map[string]string{
		"README.md":                   "# governance\n",
		"aisystem/notes.txt":          "not a document\n",
		"aisystem/.aimskit-123.tmp":   "# aimskit: revision 2, kind AISystem\n",
		"AISystem/upper.yaml":         "# not a kind folder: upper case\n",
		"ai-system/dash.yaml":         "# not a kind folder\n",
		".aimskit/history/x/.keep":    "",
		".aimskit/history/aisystem/b": "not a history file\n",
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s = open(t, dir)
	defer closeStore(t, s)
	list, err := s.List(t.Context(), store.Filter{})
	if err != nil || len(list) != 1 || list[0].ID != "chatbot" {
		t.Errorf("List() = %d documents, %v; want only AISystem/chatbot", len(list), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "aisystem", ".aimskit-123.tmp")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary file after Open: %v, want it removed", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "aisystem", "notes.txt")); err != nil {
		t.Errorf("other file after Open: %v, want it kept", err)
	}
}

func TestOpenNotAFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := dirstore.Open(path, nil)
	if err == nil {
		s.Close()
		t.Fatalf("Open(a file) = nil, want an error")
	}
	if !strings.HasPrefix(err.Error(), "dirstore: open "+path+": ") {
		t.Errorf("Open(a file) = %q, want it to start with %q", err, "dirstore: open "+path+": ")
	}
}

func TestPutRepairsFile(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	defer closeStore(t, s)
	v1 := put(t, s, "AISystem", "chatbot", `{"name":"Support chatbot"}`, 0, store.Write{Actor: "alice"})
	path := filepath.Join(dir, "aisystem", "chatbot.yaml")
	if err := os.WriteFile(path, []byte("name: edited by hand\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(t.Context(), "AISystem", "chatbot"); !errors.Is(err, dirstore.ErrCorrupt) {
		t.Fatalf("Get() of an edited file = %v, want an error matching dirstore.ErrCorrupt", err)
	}
	v2 := put(t, s, "AISystem", "chatbot", `{"name":"edited by hand"}`, v1.Revision, store.Write{Actor: "bob", Reason: "accept the edit"})
	got, err := s.Get(t.Context(), "AISystem", "chatbot")
	if err != nil {
		t.Fatalf("Get() after Put = %v, want nil", err)
	}
	if diff := cmp.Diff(v2, got); diff != "" {
		t.Errorf("Get() after Put mismatch (-want +got):\n%s", diff)
	}
}
