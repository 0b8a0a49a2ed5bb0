package aims_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/inventory"
)

// eventLog is a hook that keeps a copy of each event, with its record
// hashed when it was observed.
type eventLog struct {
	mu     sync.Mutex
	events []aims.Event
	hashes []string
	ctxs   []any
}

type ctxKey struct{}

func (l *eventLog) Observe(ctx context.Context, e *aims.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := *e
	c.Record = e.Record.Clone()
	if e.Model != nil {
		m := *e.Model
		c.Model = &m
	}
	var h string
	if e.Record != nil {
		var err error
		if h, err = e.Record.Hash(); err != nil {
			return err
		}
	}
	l.events = append(l.events, c)
	l.hashes = append(l.hashes, h)
	l.ctxs = append(l.ctxs, ctx.Value(ctxKey{}))
	return nil
}

// TestRecorderHooks checks that the hooks of a recorder see each decision
// on the caller's goroutine, with the caller's ctx, and the record exactly
// as the log then holds it: its hash is the hash of the log line.
func TestRecorderHooks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evidence.jsonl")
	l, err := evidence.OpenFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(t.Context())
	key, err := evidence.NewContentKey(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	hook := &eventLog{}
	r := newRecorder(t, l, &aims.RecorderOptions{Hooks: []aims.Hook{hook}, Pseudonyms: key,
		Trace: func(context.Context) (string, string) {
			return "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
		}})
	d := decision("refer")
	d.Operation, d.Provider, d.ResponseModel, d.Conversation = "chat", "openai", "gpt-4o-2024-08-06", "conv-7"
	d.InputTokens, d.OutputTokens = 120, 30
	d.Review = &aims.HumanReview{Reviewer: "jane.doe", Overridden: true}
	ctx := context.WithValue(t.Context(), ctxKey{}, "request")
	if err := r.Record(ctx, d); err != nil {
		t.Fatalf("Record: %v", err)
	}
	closeRecorder(t, r)

	if len(hook.events) != 1 {
		t.Fatalf("hook saw %d events, want 1", len(hook.events))
	}
	e := hook.events[0]
	if e.Type != aims.EventRuntimeDecision || e.System != recorderSystem || e.Model == nil || e.Model.Outcome != "refer" ||
		e.Record == nil || !e.Time.Equal(e.Record.Time) || hook.ctxs[0] != "request" {
		t.Fatalf("event = %+v with ctx value %v, want a runtime decision of %s with its record, seen with the caller's ctx", e, hook.ctxs[0], recorderSystem)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() {
		t.Fatal("empty log")
	}
	written, err := evidence.ParseRecord(sc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	wantHash, err := written.Hash()
	if err != nil {
		t.Fatal(err)
	}
	if hook.hashes[0] != wantHash {
		t.Errorf("hash of the observed record = %s, want %s, the hash of the log line", hook.hashes[0], wantHash)
	}
	written.Prev = ""
	if diff := cmp.Diff(written, e.Record); diff != "" {
		t.Errorf("observed record differs from the written one (-written +observed):\n%s", diff)
	}
	var data map[string]any
	if err := json.Unmarshal(written.Data, &data); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{
		"gen_ai.request.model": "credit-scorer", "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
		"gen_ai.response.model": "gpt-4o-2024-08-06", "gen_ai.conversation.id": "conv-7",
		"gen_ai.usage.input_tokens": float64(120), "gen_ai.usage.output_tokens": float64(30),
	} {
		if data[k] != want {
			t.Errorf("data[%q] = %v, want %v", k, data[k], want)
		}
	}
	if rv := data["review"].(map[string]any)["reviewer"]; rv == "jane.doe" {
		t.Error("the reviewer is recorded by name despite Pseudonyms")
	}
}

func TestRecorderHookErrors(t *testing.T) {
	if _, err := aims.NewRecorder(&evidence.MemorySink{}, &aims.RecorderOptions{Hooks: []aims.Hook{nil}}); err == nil {
		t.Error("NewRecorder with a nil hook = nil error, want one")
	}
	boom := errors.New("boom")
	sink := &evidence.MemorySink{}
	r := newRecorder(t, sink, &aims.RecorderOptions{Hooks: []aims.Hook{aims.HookFunc(func(context.Context, *aims.Event) error { return boom })}})
	if err := r.Record(t.Context(), decision("approve")); !errors.Is(err, boom) {
		t.Errorf("Record with a failing hook = %v, want the hook's error", err)
	}
	d := decision("approve")
	d.OutputTokens = -1
	if err := r.Record(t.Context(), d); !errors.Is(err, aims.ErrInvalidDecision) {
		t.Errorf("Record with negative tokens = %v, want ErrInvalidDecision", err)
	}
	closeRecorder(t, r)
	if sink.Len() != 1 {
		t.Errorf("sink holds %d records, want the 1 decision a failing hook observed", sink.Len())
	}
}

// TestGateEventRecord checks that a gate decision's event carries the
// record written for it, and none without a sink.
func TestGateEventRecord(t *testing.T) {
	for _, tc := range []struct {
		name string
		sink evidence.Sink
	}{
		{"sink", &evidence.MemorySink{}},
		{"no sink", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hook := &eventLog{}
			o := fixedOptions(nil)
			o.Evidence, o.Hooks = tc.sink, []aims.Hook{hook}
			g, err := aims.NewGate(loadExample(t), o)
			if err != nil {
				t.Fatal(err)
			}
			d, err := g.Evaluate(t.Context(), creditScoring, inventory.StageDeployment, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := hook.events[0].Record
			switch {
			case tc.sink == nil && got != nil:
				t.Errorf("Record = %+v without a sink, want nil", got)
			case tc.sink != nil && (got == nil || got.ID != d.ID || got.Type != evidence.TypeGateDecision):
				t.Errorf("Record = %+v, want the gate decision record %s", got, d.ID)
			}
		})
	}
}

func TestGuardRefusals(t *testing.T) {
	f := loadExample(t)
	g := aims.NewGuard(f, nil)
	ctx := t.Context()
	g.Allow(ctx, uuid.Max)
	g.Allow(ctx, creditScoring) // not released
	f.System(creditScoring).Lifecycle.Status = inventory.StatusSuspended
	g.Update(f)
	g.Allow(ctx, creditScoring)
	g.Allow(ctx, creditScoring)
	f.System(creditScoring).Lifecycle.Status = inventory.StatusRetired
	g.Update(f)
	g.Allow(ctx, creditScoring)
	var zero aims.Guard
	zero.Allow(ctx, creditScoring)
	if diff := cmp.Diff(aims.GuardRefusals{Unknown: 1, Suspended: 2, Retired: 1, NotReleased: 1}, g.Refusals()); diff != "" {
		t.Errorf("Refusals() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(aims.GuardRefusals{Unknown: 1}, zero.Refusals()); diff != "" {
		t.Errorf("zero Guard Refusals() (-want +got):\n%s", diff)
	}
}

// gateSink blocks every write until open is closed.
type gateSink struct{ open chan struct{} }

func (s gateSink) Write(ctx context.Context, r *evidence.Record) error {
	<-s.open
	return nil
}

// TestRecorderHooksSkipDropped checks that a decision dropped because the
// buffer is full is not observed, so that no hook reports a record that
// will never exist.
func TestRecorderHooksSkipDropped(t *testing.T) {
	hook := &eventLog{}
	sink := gateSink{open: make(chan struct{})}
	r := newRecorder(t, sink, &aims.RecorderOptions{Hooks: []aims.Hook{hook},
		Buffer: evidence.BufferOptions{Size: 1, BatchSize: 1, Full: evidence.FullDrop}})
	for range 4 {
		if err := r.Record(t.Context(), decision("approve")); err != nil {
			t.Fatalf("Record: %v", err)
		}
	}
	close(sink.open)
	closeRecorder(t, r)
	s := r.Stats()
	if s.Dropped == 0 || uint64(len(hook.events)) != s.Written || s.Written+s.Dropped != 4 {
		t.Errorf("hook saw %d decisions; stats %+v; want the %d written, none of the dropped", len(hook.events), s, s.Written)
	}
}
