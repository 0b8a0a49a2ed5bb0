package witness_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
	"github.com/aimskit/aimskit/aims/evidence/witness"
)

const origin = "example.com/aimskit/witness-test"

func key(b byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize))
}

func logKeys(t testing.TB, b byte) (note.Signer, string) {
	t.Helper()
	s, err := evidence.NewNoteSigner(origin, key(b))
	if err != nil {
		t.Fatal(err)
	}
	v, err := evidence.NoteVerifierKey(origin, key(b).Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

var witnessTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newWitness starts a witness on loopback for the log key vkey.
func newWitness(t testing.TB, state string, vkeys ...string) (*witness.Witness, *httptest.Server) {
	t.Helper()
	w, err := witness.New(&witness.Options{Name: "witness.example/w1", Key: key(9), Logs: vkeys,
		StatePath: state, Clock: func() time.Time { return witnessTime }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	return w, srv
}

func openLog(t testing.TB, path string, s note.Signer, ws ...evidence.Witness) *evidence.FileLog {
	t.Helper()
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: s, Witnesses: ws, CheckpointEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close(context.Background()) })
	return l
}

func appendN(t testing.TB, l *evidence.FileLog, from, n int) {
	t.Helper()
	for i := range n {
		if _, err := l.Append(context.Background(), evidencetest.Record(from+i)); err != nil {
			t.Fatal(err)
		}
	}
}

func checkpoint(t testing.TB, l *evidence.FileLog) []byte {
	t.Helper()
	cp, err := l.Checkpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func TestWitnessCosignsConsistentAndRefusesInconsistent(t *testing.T) {
	dir := t.TempDir()
	s, vkey := logKeys(t, 1)
	w, srv := newWitness(t, filepath.Join(dir, "witness.state"), vkey)
	wk := w.Key()
	l := openLog(t, filepath.Join(dir, "log.jsonl"), s, evidence.Witness{URL: srv.URL, Key: wk})

	appendN(t, l, 0, 10)
	cp := checkpoint(t, l)
	cos := evidence.Cosignatures(cp, []evidence.WitnessKey{wk})
	if len(cos) != 1 || !cos[0].Time.Equal(witnessTime) {
		t.Fatalf("Cosignatures(checkpoint of 10) = %v, want one at %v", cos, witnessTime)
	}
	if _, err := evidence.OpenCheckpoint(cp, vkey); err != nil {
		t.Fatalf("the cosigned checkpoint no longer opens with the log key: %v", err)
	}
	appendN(t, l, 10, 7)
	cp = checkpoint(t, l)
	if len(evidence.Cosignatures(cp, []evidence.WitnessKey{wk})) != 1 {
		t.Fatalf("checkpoint of 17 not cosigned:\n%s", cp)
	}
	if got := w.State().Logs[origin].Size; got != 17 {
		t.Fatalf("witness state size = %d, want 17", got)
	}

	// A fork: the same key signs another history of 20 records.
	fork := openLog(t, filepath.Join(dir, "fork.jsonl"), s, evidence.Witness{URL: srv.URL, Key: wk})
	appendN(t, fork, 100, 20)
	fcp := checkpoint(t, fork)
	if got := evidence.Cosignatures(fcp, []evidence.WitnessKey{wk}); len(got) != 0 {
		t.Fatalf("the witness cosigned a fork: %v", got)
	}
	if got := w.State().Logs[origin].Size; got != 17 {
		t.Fatalf("witness state size after the fork = %d, want 17", got)
	}

	// The same refusal, asked directly: the fork's proof from 17 does not
	// lead from the root the witness cosigned.
	p, err := fork.ProveConsistency(17, 20)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.AddCheckpoint(17, p.Hashes, fcp)
	var we *witness.Error
	if !errors.As(err, &we) || we.Status != http.StatusUnprocessableEntity {
		t.Fatalf("AddCheckpoint(fork) = %v, want 422", err)
	}

	// The log itself goes on being cosigned.
	appendN(t, l, 17, 3)
	cp = checkpoint(t, l)
	if len(evidence.Cosignatures(cp, []evidence.WitnessKey{wk})) != 1 {
		t.Fatalf("checkpoint of 20 not cosigned")
	}
	rep, err := evidence.VerifyFile(context.Background(), filepath.Join(dir, "log.jsonl"),
		&evidence.VerifyOptions{Key: vkey, Witnesses: []evidence.WitnessKey{wk}})
	if err != nil || rep.Witnessed != 20 {
		t.Fatalf("VerifyFile(--witness) = %+v, %v; want witnessed 20", rep, err)
	}
	if _, err := evidence.VerifyFile(context.Background(), filepath.Join(dir, "fork.jsonl"),
		&evidence.VerifyOptions{Key: vkey, Witnesses: []evidence.WitnessKey{wk}}); !isReason(err, evidence.ReasonUnwitnessed) {
		t.Fatalf("VerifyFile(fork, --witness) = %v, want %s", err, evidence.ReasonUnwitnessed)
	}
}

func isReason(err error, r evidence.Reason) bool {
	var ve *evidence.VerifyError
	return errors.As(err, &ve) && ve.Reason == r
}

func TestWitnessStatuses(t *testing.T) {
	dir := t.TempDir()
	s, vkey := logKeys(t, 1)
	other, _ := logKeys(t, 2)
	w, srv := newWitness(t, filepath.Join(dir, "witness.state"), vkey)
	l := openLog(t, filepath.Join(dir, "log.jsonl"), s)
	appendN(t, l, 0, 5)
	cp5 := checkpoint(t, l)
	appendN(t, l, 5, 5)
	cp10 := checkpoint(t, l)
	c10, _ := evidence.ParseCheckpoint(cp10)
	p, err := l.ProveConsistency(5, 10)
	if err != nil {
		t.Fatal(err)
	}
	byOther, err := note.Sign(&note.Note{Text: c10.Text()}, other)
	if err != nil {
		t.Fatal(err)
	}
	otherOrigin, err := evidence.NewNoteSigner("example.com/other", key(1))
	if err != nil {
		t.Fatal(err)
	}
	unknown, _ := note.Sign(&note.Note{Text: evidence.Checkpoint{Origin: "example.com/other", Size: 10, Root: c10.Root}.Text()}, otherOrigin)
	emptyOK, _ := note.Sign(&note.Note{Text: evidence.Checkpoint{Origin: origin, Size: 0, Root: tlog.Hash(sha256.Sum256(nil))}.Text()}, s)
	empty0, _ := note.Sign(&note.Note{Text: evidence.Checkpoint{Origin: origin, Size: 0}.Text()}, s)
	forged := bytes.Clone(cp10)
	forged[len(forged)-5] ^= 1

	post := func(body []byte) (int, string) {
		t.Helper()
		resp, err := http.Post(srv.URL+"/add-checkpoint", "text/plain", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	for _, tc := range []struct {
		name string
		body []byte
		want int
	}{
		{"unknown origin", evidence.AddCheckpointRequest(0, nil, unknown), http.StatusNotFound},
		{"another key", evidence.AddCheckpointRequest(0, nil, byOther), http.StatusForbidden},
		{"bad signature", evidence.AddCheckpointRequest(0, nil, forged), http.StatusForbidden},
		{"old beyond size", evidence.AddCheckpointRequest(11, nil, cp10), http.StatusBadRequest},
		{"malformed", []byte("old 01\n\n" + string(cp10)), http.StatusBadRequest},
		{"empty tree with a zero root", evidence.AddCheckpointRequest(0, nil, empty0), http.StatusUnprocessableEntity},
		{"proof from zero", evidence.AddCheckpointRequest(0, p.Hashes, cp10), http.StatusUnprocessableEntity},
		{"empty tree", evidence.AddCheckpointRequest(0, nil, emptyOK), http.StatusOK},
		{"first", evidence.AddCheckpointRequest(0, nil, cp5), http.StatusOK},
		{"stale old size", evidence.AddCheckpointRequest(0, nil, cp10), http.StatusConflict},
		{"bad proof", evidence.AddCheckpointRequest(5, []tlog.Hash{{1}}, cp10), http.StatusUnprocessableEntity},
		{"consistent", evidence.AddCheckpointRequest(5, p.Hashes, cp10), http.StatusOK},
		{"older size", evidence.AddCheckpointRequest(10, nil, cp5), http.StatusBadRequest},
		{"same again", evidence.AddCheckpointRequest(10, nil, cp10), http.StatusOK},
	} {
		got, body := post(tc.body)
		if got != tc.want {
			t.Errorf("%s: status %d (%s), want %d", tc.name, got, body, tc.want)
		}
		if tc.name == "stale old size" && body != "5\n" {
			t.Errorf("409 body = %q, want %q", body, "5\n")
		}
	}
	resp, err := http.Get(srv.URL + "/add-checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}

	// A restart remembers the size.
	w2, err := witness.New(&witness.Options{Name: "witness.example/w1", Key: key(9), Logs: []string{vkey},
		StatePath: filepath.Join(dir, "witness.state")})
	if err != nil {
		t.Fatal(err)
	}
	if got := w2.State().Logs[origin]; got.Size != 10 || got.Root != c10.Root {
		t.Fatalf("state after a restart = %+v, want size 10", got)
	}
	if _, err := w2.AddCheckpoint(0, nil, cp5); !errors.As(err, new(*witness.Error)) {
		t.Fatalf("restarted witness cosigned size 5 from 0: %v", err)
	}
	_ = w
}

// A witness that cannot be reached loses no record: the checkpoint is
// written without the cosignature and the witness is asked again.
func TestWitnessDownKeepsRecords(t *testing.T) {
	dir := t.TempDir()
	s, vkey := logKeys(t, 1)
	w, _ := newWitness(t, filepath.Join(dir, "witness.state"), vkey)
	wk := w.Key()
	var up atomic.Bool
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			http.Error(rw, "down", http.StatusServiceUnavailable)
			return
		}
		w.ServeHTTP(rw, r)
	}))
	defer proxy.Close()
	path := filepath.Join(dir, "log.jsonl")
	l := openLog(t, path, s, evidence.Witness{URL: proxy.URL, Key: wk})
	appendN(t, l, 0, 8)
	cp := checkpoint(t, l)
	if len(evidence.Cosignatures(cp, []evidence.WitnessKey{wk})) != 0 {
		t.Fatal("cosigned by a witness that is down")
	}
	opts := &evidence.VerifyOptions{Key: vkey, Witnesses: []evidence.WitnessKey{wk}}
	if _, err := evidence.VerifyFile(context.Background(), path, opts); !isReason(err, evidence.ReasonUnwitnessed) {
		t.Fatalf("VerifyFile while the witness is down = %v, want %s", err, evidence.ReasonUnwitnessed)
	}
	if rep, err := evidence.VerifyFile(context.Background(), path, &evidence.VerifyOptions{Key: vkey}); err != nil || rep.Records != 8 {
		t.Fatalf("VerifyFile without witnesses = %+v, %v", rep, err)
	}
	up.Store(true)
	cp = checkpoint(t, l) // asks again
	if len(evidence.Cosignatures(cp, []evidence.WitnessKey{wk})) != 1 {
		t.Fatal("not cosigned once the witness is back")
	}
	if rep, err := evidence.VerifyFile(context.Background(), path, opts); err != nil || rep.Witnessed != 8 || rep.Records != 8 {
		t.Fatalf("VerifyFile once the witness is back = %+v, %v", rep, err)
	}
}

func FuzzParseRequest(f *testing.F) {
	f.Add([]byte("old 0\n\nexample.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n\u2014 example.com/log AAAA\n"))
	f.Add([]byte("old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n\nx\n"))
	f.Add([]byte("old 01\n\n"))
	f.Add([]byte("old -1\n\nx"))
	f.Add([]byte(""))
	s, _ := evidence.NewNoteSigner(origin, key(1))
	v, _ := evidence.NoteVerifierKey(origin, key(1).Public().(ed25519.PublicKey))
	w, err := witness.New(&witness.Options{Name: "w", Key: key(9), Logs: []string{v}, StatePath: filepath.Join(f.TempDir(), "state")})
	if err != nil {
		f.Fatal(err)
	}
	signed, _ := note.Sign(&note.Note{Text: evidence.Checkpoint{Origin: origin, Size: 3, Root: tlog.Hash{1}}.Text()}, s)
	f.Add(evidence.AddCheckpointRequest(2, []tlog.Hash{{2}, {3}}, signed))
	f.Fuzz(func(t *testing.T, body []byte) {
		old, proof, cp, err := witness.ParseRequest(body)
		if err != nil {
			var we *witness.Error
			if !errors.As(err, &we) || we.Status != http.StatusBadRequest {
				t.Fatalf("ParseRequest error %v is not a 400", err)
			}
			return
		}
		if got := evidence.AddCheckpointRequest(old, proof, cp); !bytes.Equal(got, body) {
			t.Fatalf("round trip: %q != %q", got, body)
		}
		rr := httptest.NewRecorder()
		w.ServeHTTP(rr, httptest.NewRequest(http.MethodPost, "/add-checkpoint", bytes.NewReader(body)))
		if rr.Code == http.StatusOK {
			t.Fatalf("cosigned a fuzzed request: %q", body)
		}
	})
}

// Close asks a witness that was down again; a reopened log, which does
// not know the size the witness saw, learns it from the 409 answer.
func TestWitnessRetriedOnCloseAndAfterReopen(t *testing.T) {
	dir := t.TempDir()
	s, vkey := logKeys(t, 1)
	w, _ := newWitness(t, filepath.Join(dir, "witness.state"), vkey)
	wk := w.Key()
	var up atomic.Bool
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			http.Error(rw, "down", http.StatusServiceUnavailable)
			return
		}
		w.ServeHTTP(rw, r)
	}))
	defer proxy.Close()
	path := filepath.Join(dir, "log.jsonl")
	ws := evidence.Witness{URL: proxy.URL, Key: wk}
	l, err := evidence.OpenFile(path, &evidence.FileOptions{Signer: s, Witnesses: []evidence.Witness{ws}, CheckpointEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, l, 0, 4)
	checkpoint(t, l)
	up.Store(true)
	if err := l.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	opts := &evidence.VerifyOptions{Key: vkey, Witnesses: []evidence.WitnessKey{wk}}
	if rep, err := evidence.VerifyFile(context.Background(), path, opts); err != nil || rep.Witnessed != 4 {
		t.Fatalf("VerifyFile after Close = %+v, %v; want witnessed 4", rep, err)
	}
	l, err = evidence.OpenFile(path, &evidence.FileOptions{Signer: s, Witnesses: []evidence.Witness{ws}, CheckpointEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, l, 4, 3)
	if err := l.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rep, err := evidence.VerifyFile(context.Background(), path, opts); err != nil || rep.Witnessed != 7 {
		t.Fatalf("VerifyFile after a reopen = %+v, %v; want witnessed 7", rep, err)
	}
	if got := w.State().Logs[origin].Size; got != 7 {
		t.Fatalf("witness state = %d, want 7", got)
	}
}
