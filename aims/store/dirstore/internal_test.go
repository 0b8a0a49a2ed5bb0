package dirstore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/store"
)

var errCrash = errors.New("simulated crash")

func doc(name string) *store.Document {
	return &store.Document{Kind: "AISystem", ID: "chatbot",
		Data: []byte(`{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","id":"chatbot","name":"` + name + `"}`)}
}

// testStore is a store with its driver, whose test hook the tests set.
type testStore struct {
	*store.Store
	d *Driver
}

func openStore(t testing.TB, dir string) testStore {
	t.Helper()
	d, err := OpenDriver(dir, nil)
	if err != nil {
		t.Fatalf("OpenDriver(%s) = %v, want nil", dir, err)
	}
	return testStore{Store: store.New(d, nil), d: d}
}

func mustPut(t testing.TB, s testStore, d *store.Document, rev int64) *store.Document {
	t.Helper()
	in := d.Clone()
	in.Revision = rev
	got, err := s.Put(t.Context(), in, store.Write{Actor: "alice"})
	if err != nil {
		t.Fatalf("Put(revision %d) = %v, want nil", rev, err)
	}
	return got
}

// checkState checks the current revision of AISystem/chatbot and the
// revisions and operations of its history.
func checkState(t testing.TB, s testStore, want *store.Document, wantOps []string) {
	t.Helper()
	got, err := s.Get(t.Context(), "AISystem", "chatbot")
	if err != nil {
		t.Fatalf("Get() = %v, want revision %d", err, want.Revision)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get() mismatch (-want +got):\n%s", diff)
	}
	hist, err := s.History(t.Context(), "AISystem", "chatbot")
	if err != nil {
		t.Fatalf("History() = %v, want nil", err)
	}
	var ops []string
	for _, c := range hist {
		ops = append(ops, string(c.Op)+" "+string(c.Data))
	}
	if diff := cmp.Diff(wantOps, ops); diff != "" {
		t.Errorf("History() mismatch (-want +got):\n%s", diff)
	}
}

func TestCrashBeforeRename(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	v1 := mustPut(t, s, doc("v1"), 0)
	var tmp string
	s.d.testHookBeforeCommit = func(op store.Op, path string) error {
		tmp = path
		if _, err := os.Stat(path); err != nil {
			t.Errorf("temporary file at the crash: %v, want it written", err)
		}
		return errCrash
	}
	in := doc("v2")
	in.Revision = 1
	if _, err := s.Put(t.Context(), in, store.Write{Actor: "bob"}); !errors.Is(err, errCrash) {
		t.Fatalf("Put() with a crash before the rename = %v, want %v", err, errCrash)
	}
	s.d.testHookBeforeCommit = nil
	wantOps := []string{"put " + string(v1.Data)}
	checkState(t, s, v1, wantOps)

	// The history has the uncommitted line for revision 2.
	hist, err := os.ReadFile(filepath.Join(dir, ".aimskit", "history", "aisystem", "chatbot.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(hist, []byte("\n")); n != 2 {
		t.Errorf("history file has %d lines, want 2 (one uncommitted)", n)
	}
	// A real crash leaves the temporary file behind.
	if err := os.WriteFile(tmp, []byte("# aimskit: revision 2, kind AISystem\nname: v2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}

	s = openStore(t, dir)
	defer s.Close()
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("temporary file after Open: %v, want it removed", err)
	}
	checkState(t, s, v1, wantOps)

	v2 := mustPut(t, s, doc("v2 again"), 1)
	if v2.Revision != 2 {
		t.Errorf("Put() after the crash: Revision = %d, want 2", v2.Revision)
	}
	wantOps = append(wantOps, "put "+string(v2.Data))
	checkState(t, s, v2, wantOps)
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}
	s = openStore(t, dir)
	checkState(t, s, v2, wantOps)
}

func TestCrashBeforeRemove(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	v1 := mustPut(t, s, doc("v1"), 0)
	s.d.testHookBeforeCommit = func(store.Op, string) error { return errCrash }
	if err := s.Delete(t.Context(), "AISystem", "chatbot", 1, store.Write{Actor: "bob"}); !errors.Is(err, errCrash) {
		t.Fatalf("Delete() with a crash before the remove = %v, want %v", err, errCrash)
	}
	s.d.testHookBeforeCommit = nil
	wantOps := []string{"put " + string(v1.Data)}
	checkState(t, s, v1, wantOps)
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}

	s = openStore(t, dir)
	defer s.Close()
	checkState(t, s, v1, wantOps)
	if err := s.Delete(t.Context(), "AISystem", "chatbot", 1, store.Write{Actor: "bob"}); err != nil {
		t.Fatalf("Delete() after the crash = %v, want nil", err)
	}
	v3 := mustPut(t, s, doc("v3"), 0)
	if v3.Revision != 3 {
		t.Errorf("Put() after Delete: Revision = %d, want 3", v3.Revision)
	}
	checkState(t, s, v3, []string{"put " + string(v1.Data), "delete ", "put " + string(v3.Data)})
}

func TestCrashOnFirstWrite(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	s.d.testHookBeforeCommit = func(store.Op, string) error { return errCrash }
	if _, err := s.Put(t.Context(), doc("v1"), store.Write{Actor: "alice"}); !errors.Is(err, errCrash) {
		t.Fatalf("Put() with a crash before the rename = %v, want %v", err, errCrash)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}
	s = openStore(t, dir)
	defer s.Close()
	if _, err := s.Get(t.Context(), "AISystem", "chatbot"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get() = %v, want an error matching store.ErrNotFound", err)
	}
	if _, err := s.History(t.Context(), "AISystem", "chatbot"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("History() = %v, want an error matching store.ErrNotFound (never committed)", err)
	}
	v1 := mustPut(t, s, doc("v1"), 0)
	checkState(t, s, v1, []string{"put " + string(v1.Data)})
}

func TestTornHistoryLine(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	v1 := mustPut(t, s, doc("v1"), 0)
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}
	path := filepath.Join(dir, ".aimskit", "history", "aisystem", "chatbot.jsonl")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(bytes.Clone(before), `{"kind":"AISystem","id":"chat`...), 0o644); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, dir)
	defer s.Close()
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after, before) {
		t.Errorf("history after Open = %q, want the incomplete line removed: %q", after, before)
	}
	v2 := mustPut(t, s, doc("v2"), 1)
	checkState(t, s, v2, []string{"put " + string(v1.Data), "put " + string(v2.Data)})
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name string
		line string
		rev  int64
		kind string
		id   string
		err  string
	}{
		{name: "header", line: "# aimskit: revision 3, kind AISystem", rev: 3, kind: "AISystem"},
		{name: "carriage return", line: "# aimskit: revision 12, kind Risk\r", rev: 12, kind: "Risk"},
		{name: "largest", line: "# aimskit: revision 9223372036854775807, kind K", rev: 9223372036854775807, kind: "K"},
		{name: "with id", line: "# aimskit: revision 2, kind AISystem, id credit-scoring", rev: 2, kind: "AISystem", id: "credit-scoring"},
		{name: "bad id", line: "# aimskit: revision 2, kind AISystem, id ../x", err: `first line has id "../x", which is not valid`},
		{name: "empty", line: "", err: `first line is not "# aimskit: revision" followed by the revision and kind`},
		{name: "plain comment", line: "# AI system", err: `first line is not "# aimskit: revision" followed by the revision and kind`},
		{name: "yaml", line: "apiVersion: v1", err: `first line is not "# aimskit: revision" followed by the revision and kind`},
		{name: "no kind", line: "# aimskit: revision 3", err: "first line does not name the kind"},
		{name: "zero", line: "# aimskit: revision 0, kind K", err: `first line has revision "0", want a whole number from 1`},
		{name: "negative", line: "# aimskit: revision -1, kind K", err: `first line has revision "-1", want a whole number from 1`},
		{name: "plus", line: "# aimskit: revision +1, kind K", err: `first line has revision "+1", want a whole number from 1`},
		{name: "leading zero", line: "# aimskit: revision 01, kind K", err: `first line has revision "01", want a whole number from 1`},
		{name: "overflow", line: "# aimskit: revision 9223372036854775808, kind K", err: `first line has revision "9223372036854775808", want a whole number from 1`},
		{name: "bad kind", line: "# aimskit: revision 1, kind ai-system", err: `first line has kind "ai-system", which is not valid`},
		{name: "trailing space", line: "# aimskit: revision 1, kind K ", err: `first line has kind "K ", which is not valid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rev, kind, id, err := parseHeader(tt.line)
			var gotErr string
			if err != nil {
				gotErr = err.Error()
			}
			if rev != tt.rev || kind != tt.kind || id != tt.id || gotErr != tt.err {
				t.Errorf("parseHeader(%q) = %d, %q, %q, %q; want %d, %q, %q, %q", tt.line, rev, kind, id, gotErr, tt.rev, tt.kind, tt.id, tt.err)
			}
		})
	}
}

func FuzzParseHeader(f *testing.F) {
	for _, s := range []string{
		"# aimskit: revision 3, kind AISystem", "# aimskit: revision 12, kind Risk\r", "",
		"# aimskit: revision 3", "# aimskit: revision 01, kind K", "# aimskit: revision 1, kind ai-system",
		"# aimskit: revision 2, kind AISystem, id credit-scoring",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		rev, kind, id, err := parseHeader(line)
		if err != nil {
			return
		}
		h := formatHeader(rev, kind, id)
		if h != strings.TrimSuffix(line, "\r")+"\n" && !strings.HasSuffix(line, ", id ") {
			t.Errorf("formatHeader(parseHeader(%q)) = %q, want the line back", line, h)
		}
		rev2, kind2, id2, err := parseHeader(strings.TrimSuffix(h, "\n"))
		if err != nil || rev2 != rev || kind2 != kind || id2 != id {
			t.Errorf("parseHeader(%q) = %d, %q, %q, %v; want %d, %q, %q, nil", h, rev2, kind2, id2, err, rev, kind, id)
		}
	})
}

var lineTests = []struct {
	name string
	line string
	err  string
}{
	{name: "put", line: `{"kind":"AISystem","id":"a","revision":1,"op":"put","time":"2025-03-01T09:00:00Z","actor":"alice","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","data":{}}`},
	{name: "delete", line: `{"kind":"AISystem","id":"a","revision":2,"op":"delete","time":"2025-03-01T09:00:00Z","actor":"alice","reason":"retired"}`},
	{name: "unknown member", line: `{"kind":"AISystem","id":"a","revision":2,"op":"delete","time":"2025-03-01T09:00:00Z","actor":"alice","signature":"x"}`},
	{name: "not JSON", line: `kind: AISystem`, err: "not a JSON object of a change: invalid character 'k' looking for beginning of value"},
	{name: "array", line: `[]`, err: "not a JSON object of a change: json: cannot unmarshal array into Go value of type dirstore.line"},
	{name: "bad kind", line: `{"kind":"a-b","id":"a","revision":1,"op":"delete","actor":"alice"}`, err: `kind "a-b" is not valid`},
	{name: "bad id", line: `{"kind":"K","id":"../a","revision":1,"op":"delete","actor":"alice"}`, err: `id "../a" is not valid`},
	{name: "revision 0", line: `{"kind":"K","id":"a","revision":0,"op":"delete","actor":"alice"}`, err: "revision 0 is less than 1"},
	{name: "no actor", line: `{"kind":"K","id":"a","revision":1,"op":"delete"}`, err: "actor is missing"},
	{name: "unknown op", line: `{"kind":"K","id":"a","revision":1,"op":"patch","actor":"alice"}`, err: `op "patch" is not "put" or "delete"`},
	{name: "put without data", line: `{"kind":"K","id":"a","revision":1,"op":"put","actor":"alice"}`, err: "data is not a compact JSON object"},
	{name: "put with array", line: `{"kind":"K","id":"a","revision":1,"op":"put","actor":"alice","data":[]}`, err: "data is not a compact JSON object"},
	{name: "put not compact", line: `{"kind":"K","id":"a","revision":1,"op":"put","actor":"alice","data":{ }}`, err: "data is not a compact JSON object"},
	{name: "wrong digest", line: `{"kind":"K","id":"a","revision":1,"op":"put","actor":"alice","digest":"sha256:00","data":{}}`, err: "digest does not match the data"},
	{name: "delete with data", line: `{"kind":"K","id":"a","revision":1,"op":"delete","actor":"alice","data":{}}`, err: "delete has data"},
}

func TestDecodeLine(t *testing.T) {
	for _, tt := range lineTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeLine([]byte(tt.line))
			var got string
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Errorf("decodeLine(%s) = %q, want %q", tt.line, got, tt.err)
			}
		})
	}
}

func TestLineRoundTrip(t *testing.T) {
	data := []byte(`{"a":"<b> & c","n":1}`)
	want := store.Change{
		Kind: "AISystem", ID: "a", Revision: 7, Op: store.OpPut, Time: time.Date(2025, 3, 1, 9, 0, 0, 1, time.UTC),
		Actor: "alice", Reason: "line\nbreak", Digest: store.Digest(data), Data: data,
	}
	b, err := encodeLine(want)
	if err != nil {
		t.Fatalf("encodeLine() = %v, want nil", err)
	}
	if bytes.Count(b, []byte("\n")) != 1 || !bytes.HasSuffix(b, []byte("\n")) {
		t.Errorf("encodeLine() = %q, want one line", b)
	}
	got, err := decodeLine(bytes.TrimSuffix(b, []byte("\n")))
	if err != nil {
		t.Fatalf("decodeLine(%s) = %v, want nil", b, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decodeLine(encodeLine()) mismatch (-want +got):\n%s", diff)
	}
}

func FuzzDecodeLine(f *testing.F) {
	for _, tt := range lineTests {
		f.Add([]byte(tt.line))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeLine(b)
		if err != nil {
			return
		}
		if !isKind(c.Kind) || !isID(c.ID) || c.Revision < 1 {
			t.Errorf("decodeLine(%q) accepted %+v", b, c)
		}
		enc, err := encodeLine(c)
		if err != nil {
			t.Fatalf("encodeLine(decodeLine(%q)) = %v, want nil", b, err)
		}
		got, err := decodeLine(bytes.TrimSuffix(enc, []byte("\n")))
		if err != nil {
			t.Fatalf("decodeLine(%q) = %v, want nil (it was encoded from an accepted line)", enc, err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("decodeLine(encodeLine(c)) mismatch (-want +got):\n%s", diff)
		}
	})
}

func FuzzEncode(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"kind":"AISystem","name":"a\/b\tc","on":"yes","n":1e3,"v":"3.2","d":"2025-01-31"}`,
		`{"big":12345678901234567890,"f":0.1,"neg":-0,"e":1E-7}`, `{"s":"\u0000\u2028<>&"}`,
		`{"nested":{"list":[null,true,false,[],{}]}}`, `{"k":"line\nbreak","multi":"a\n\nb\n"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &store.Document{Kind: "K", ID: "a", Data: data}
		if d.Validate() != nil {
			return
		}
		body, stored, err := encode(data, false)
		if err != nil {
			return // refused with store.ErrInvalid by Put
		}
		// What Get reads back is what Put recorded.
		file := append([]byte(formatHeader(1, "K", "a")), body...)
		rev, kind, id, ok, err := fileHeader(file)
		if err != nil || !ok || rev != 1 || kind != "K" || id != "a" {
			t.Fatalf("fileHeader(%q) = %d, %q, %q, %v, %v; want 1, K, a, true, nil", file, rev, kind, id, ok, err)
		}
		got, err := decodeFile(file)
		if err != nil {
			t.Fatalf("decodeFile(%q) = %v, want nil", file, err)
		}
		if !bytes.Equal(got, stored) {
			t.Errorf("decodeFile() data = %s, want %s", got, stored)
		}
		// Writing the stored data again stores the same data (the YAML may
		// differ: 1e7 becomes 10000000).
		_, stored2, err := encode(stored, false)
		if err != nil || !bytes.Equal(stored2, stored) {
			t.Errorf("encode(%s) = %s, %v; want %s, nil", stored, stored2, err, stored)
		}
		// The stored data is a valid history line's data.
		c := store.Change{Kind: "K", ID: "a", Revision: 1, Op: store.OpPut, Actor: "a", Digest: store.Digest(stored), Data: stored}
		line, err := encodeLine(c)
		if err != nil {
			t.Fatalf("encodeLine() = %v, want nil", err)
		}
		if _, err := decodeLine(bytes.TrimSuffix(line, []byte("\n"))); err != nil {
			t.Errorf("decodeLine(%s) = %v, want nil", line, err)
		}
	})
}
