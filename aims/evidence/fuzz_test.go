package evidence_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
)

// FuzzVerify checks that Verify never panics, that every problem it
// reports is a *VerifyError, and that a log it accepts has as many lines
// as it reports records.
func FuzzVerify(f *testing.F) {
	log, cps := buildLog(f, 6, 2)
	f.Add(log, cps)
	f.Add(log[:len(log)-5], cps)
	f.Add(log, []byte{})
	f.Add(readFile(f, filepath.Join("testdata", "golden.jsonl")), readFile(f, filepath.Join("testdata", "golden.jsonl.checkpoints")))
	f.Add([]byte(`{"prev":"`+evidence.Genesis+`"}`+"\n"), []byte(nil))
	f.Add([]byte("{}\n\n"), []byte(`{"note":"x"}`+"\n"))
	_, vkey := testNoteKeys(f)
	f.Fuzz(func(t *testing.T, log, cps []byte) {
		rep, err := verifyBytes(t, log, cps, vkey)
		if err != nil {
			var ve *evidence.VerifyError
			var ke *evidence.KeyError
			switch {
			case errors.As(err, &ve) && errors.Is(err, evidence.ErrTampered):
				if ve.Detail == "" {
					t.Errorf("Verify() = %v: no detail", err)
				}
			case errors.As(err, &ke) && errors.Is(err, evidence.ErrWrongKey) && !errors.Is(err, evidence.ErrTampered):
			default:
				t.Fatalf("Verify() = %v, want a *VerifyError or a *KeyError", err)
			}
			return
		}
		if n := int64(bytes.Count(log, []byte("\n"))); rep.Records != n {
			t.Errorf("Verify() = %d records, the log has %d lines", rep.Records, n)
		}
		if rep.Anchored > rep.Records {
			t.Errorf("Verify() anchored %d of %d records", rep.Anchored, rep.Records)
		}
	})
}

// FuzzParseRecord checks that ParseRecord never panics and that a record
// it accepts survives a round trip through JSON.
func FuzzParseRecord(f *testing.F) {
	for _, r := range []*evidence.Record{evidencetest.Record(1), evidencetest.FullRecord(2)} {
		b, err := json.Marshal(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, line := range lines(readFile(f, filepath.Join("testdata", "golden.jsonl"))) {
		f.Add(line)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"schemaVersion":"aimskit.dev/evidence/v1","data":[1]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := evidence.ParseRecord(b)
		if err != nil {
			if !errors.Is(err, evidence.ErrInvalid) {
				t.Fatalf("ParseRecord() = %v, want an error matching ErrInvalid", err)
			}
			return
		}
		again, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("json.Marshal(parsed record) = %v", err)
		}
		r2, err := evidence.ParseRecord(again)
		if err != nil {
			t.Fatalf("ParseRecord(%s) = %v after a round trip", again, err)
		}
		// Empty lists are left out of the JSON form, so they come back nil;
		// Data is compacted.
		if diff := cmp.Diff(r, r2, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(evidence.Record{}, "Data")); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
		if !jsonEqual(r.Data, r2.Data) {
			t.Errorf("round trip changed data from %s to %s", r.Data, r2.Data)
		}
	})
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	return cmp.Equal(x, y)
}

// FuzzOpenCheckpoint checks that OpenCheckpoint never panics and that a
// checkpoint it accepts is what the note says.
func FuzzOpenCheckpoint(f *testing.F) {
	_, vkey := testNoteKeys(f)
	for _, line := range lines(readFile(f, filepath.Join("testdata", "golden.jsonl.checkpoints"))) {
		var cl struct{ Note string }
		if err := json.Unmarshal(line, &cl); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(cl.Note))
	}
	f.Add([]byte("x\n\n— x AAAA\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := evidence.OpenCheckpoint(b, vkey)
		if err != nil {
			if !errors.Is(err, evidence.ErrMalformed) && !errors.Is(err, evidence.ErrVerification) {
				t.Fatalf("OpenCheckpoint() = %v, want an error matching ErrMalformed or ErrVerification", err)
			}
			return
		}
		if !bytes.HasPrefix(b, []byte(c.Text())) {
			t.Errorf("note %q does not start with the checkpoint text %q", b, c.Text())
		}
	})
}

// FuzzOpenFile checks that opening any file as a log never panics, and
// either refuses the log, leaving it as it was, or at most moves an
// incomplete last line aside and records that it did.
func FuzzOpenFile(f *testing.F) {
	log, _ := buildLog(f, 3, 10)
	f.Add(log)
	f.Add(log[:len(log)-7])
	f.Add(append(bytes.Clone(log), "{\"a\":\n"...))
	f.Add([]byte("\x00\x00\x00"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "log.jsonl")
		writeFile(t, path, b)
		l, err := evidence.OpenFile(path, &evidence.FileOptions{Sync: evidence.SyncNone})
		if err != nil {
			if !errors.Is(err, evidence.ErrTampered) {
				t.Fatalf("OpenFile() = %v, want nil or an error matching ErrTampered", err)
			}
			if after := readFile(t, path); !bytes.Equal(after, b) {
				t.Fatalf("OpenFile() refused the log but changed it from %q to %q", b, after)
			}
			return
		}
		complete := b[:bytes.LastIndexByte(b, '\n')+1]
		after := readFile(t, path)
		if !bytes.HasPrefix(after, complete) {
			t.Fatalf("OpenFile() changed the log from %q to %q", b, after)
		}
		cut := int64(len(b) - len(complete))
		if got := l.Recovered(); got != cut {
			t.Errorf("Recovered() = %d, want %d", got, cut)
		}
		want := int64(bytes.Count(complete, []byte("\n")))
		if cut > 0 {
			want++ // the record of the recovery
			kept := readFile(t, fmt.Sprintf("%s%s%d", path, evidence.TornSuffix, len(complete)))
			if !bytes.Equal(kept, b[len(complete):]) {
				t.Errorf("kept %q, want %q", kept, b[len(complete):])
			}
		}
		if got := l.Len(); got != want {
			t.Errorf("Len() = %d, want %d", got, want)
		}
		if err := l.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
}
