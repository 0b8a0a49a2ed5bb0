package evidencetest

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
)

// Run checks the [evidence.Sink] that newSink returns against the rules of
// [evidence.Sink], one subtest per rule, each with a new, empty sink.
// read returns every record the sink has stored, in the order stored.
// newSink and read may fail the test; Run calls them on the test's
// goroutine.
func Run(t *testing.T, newSink func(t *testing.T) evidence.Sink, read func(t *testing.T, s evidence.Sink) []*evidence.Record) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSink(t)
			if err := c.run(t.Context(), s, func() ([]*evidence.Record, error) { return read(t, s), nil }); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestSink checks s, which must be empty, against the rules of
// [evidence.Sink], running every check on it one after another, and
// returns the problems it found joined with [errors.Join], or nil. read
// returns every record s has stored, in the order stored. Use TestSink where
// a [testing.T] is not at hand; otherwise prefer [Run].
func TestSink(ctx context.Context, s evidence.Sink, read func() ([]*evidence.Record, error)) error {
	var errs []error
	for _, c := range cases {
		if err := c.run(ctx, s, read); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}

// Record returns a valid record, for tests: number seq of a deterministic
// series, with a UUID version 7 made from seq and a time of seq
// milliseconds after 2026-01-01 UTC. Different seq give different
// records.
func Record(seq int) *evidence.Record {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seq) * time.Millisecond)
	return &evidence.Record{
		SchemaVersion: evidence.SchemaVersion,
		ID:            uuidV7(t, uint64(seq)),
		Time:          t,
		Type:          evidence.TypeRuntimeDecision,
		System:        uuid.MustParse("0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b"),
		Controls:      []string{"iso42001:A.6.2.8"},
		Outcome:       "allow",
		Actor:         "evidencetest",
	}
}

// FullRecord returns a valid record with every field set, for round-trip
// tests, derived from [Record](seq).
func FullRecord(seq int) *evidence.Record {
	r := Record(seq)
	r.Type = evidence.TypeGateDecision
	r.Controls = []string{"iso42001:A.6.2.4", "iso42001:A.6.2.5", "euaiact:Art.12"}
	r.Subjects = []evidence.Subject{
		evidence.DigestContent([]byte(fmt.Sprintf("model %d", seq))).Subject("model"),
		{Name: "dataset", Digest: map[string]string{"sha256": strings.Repeat("ab", 32), "gitCommit": strings.Repeat("c", 40)}},
	}
	r.Outcome = "deny"
	r.Reasons = []string{"risk assessment not approved", "bias evaluation <missing> & \"late\""}
	r.PolicyRevision = "git:0123abcd"
	r.TraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	r.SpanID = "00f067aa0ba902b7"
	prompt := evidence.DigestContent([]byte("a prompt with personal data"))
	data, _ := json.Marshal(map[string]any{"prompt": prompt, "score": 0.25, "label": "ünïcödé"})
	r.Data = data
	r.Masked = []string{"/data/prompt"}
	return r
}

// uuidV7 returns a UUID version 7 with the time t and seq in its random
// bits; seq below 1<<62 gives different UUIDs.
func uuidV7(t time.Time, seq uint64) uuid.UUID {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	u[0], u[1], u[2], u[3], u[4], u[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	binary.BigEndian.PutUint64(u[8:], seq)
	u[6] = 0x70
	u[8] = 0x80 | u[8]&0x3f
	return u
}

type testCase struct {
	name string
	run  func(ctx context.Context, s evidence.Sink, read func() ([]*evidence.Record, error)) error
}

// Each case writes records that no other case writes (seq ranges apart),
// so that cases can share one sink in Test.
var cases = []testCase{
	{"Sequential", sequential},
	{"Concurrent", concurrent},
	{"RoundTrip", roundTrip},
	{"NotRetained", notRetained},
	{"NilRecord", nilRecord},
	{"InvalidRecord", invalidRecord},
	{"CancelledContext", cancelled},
}

func sequential(ctx context.Context, s evidence.Sink, read func() ([]*evidence.Record, error)) error {
	var want []*evidence.Record
	for i := range 50 {
		r := Record(1000 + i)
		if err := s.Write(ctx, r); err != nil {
			return fmt.Errorf("Write(record %d) = %w, want nil", i, err)
		}
		want = append(want, r)
	}
	got, err := readOwn(read, want)
	if err != nil {
		return err
	}
	for i := range want {
		if got[i].ID != want[i].ID {
			return fmt.Errorf("record %d read back is %s, want %s: records written one after another must be stored in order", i, got[i].ID, want[i].ID)
		}
	}
	return nil
}

func concurrent(ctx context.Context, s evidence.Sink, read func() ([]*evidence.Record, error)) error {
	const goroutines, each = 8, 25
	want := make([]*evidence.Record, 0, goroutines*each)
	for i := range goroutines * each {
		want = append(want, Record(2000+i))
	}
	errs := make([]error, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				r := want[g*each+i]
				if err := s.Write(ctx, r); err != nil {
					errs[g] = fmt.Errorf("Write(record %s) = %w, want nil", r.ID, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	got, err := readOwn(read, want)
	if err != nil {
		return err
	}
	// Each goroutine's records must be in that goroutine's order.
	pos := make(map[uuid.UUID]int, len(got))
	for i, r := range got {
		pos[r.ID] = i
	}
	for g := range goroutines {
		for i := 1; i < each; i++ {
			a, b := want[g*each+i-1], want[g*each+i]
			if pos[a.ID] > pos[b.ID] {
				return fmt.Errorf("record %s was written before %s by one goroutine but stored after it", a.ID, b.ID)
			}
		}
	}
	return nil
}

func roundTrip(ctx context.Context, s evidence.Sink, read func() ([]*evidence.Record, error)) error {
	want := []*evidence.Record{FullRecord(3000), Record(3001)}
	for _, r := range want {
		if err := s.Write(ctx, r); err != nil {
			return fmt.Errorf("Write(%s) = %w, want nil", r.ID, err)
		}
	}
	got, err := readOwn(read, want)
	if err != nil {
		return err
	}
	for i := range want {
		if err := sameRecord(got[i], want[i]); err != nil {
			return err
		}
	}
	return nil
}

func notRetained(ctx context.Context, s evidence.Sink, read func() ([]*evidence.Record, error)) error {
	r := FullRecord(4000)
	want := r.Clone()
	if err := s.Write(ctx, r); err != nil {
		return fmt.Errorf("Write(%s) = %w, want nil", r.ID, err)
	}
	r.Outcome = "changed after Write"
	r.Controls[0] = "org:changed"
	r.Subjects[0].Digest["sha256"] = strings.Repeat("0", 64)
	r.Reasons[0] = "changed"
	r.Data[2] = 'X'
	got, err := readOwn(read, []*evidence.Record{want})
	if err != nil {
		return err
	}
	return sameRecord(got[0], want)
}

func nilRecord(ctx context.Context, s evidence.Sink, read func() ([]*evidence.Record, error)) (err error) {
	before, err := read()
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("Write(nil) panicked: %v", p)
		}
	}()
	if err := s.Write(ctx, nil); err == nil {
		return errors.New("Write(nil) = nil, want an error")
	}
	after, err := read()
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if len(after) != len(before) {
		return fmt.Errorf("after Write(nil) the sink holds %d records, want %d", len(after), len(before))
	}
	return nil
}

func invalidRecord(ctx context.Context, s evidence.Sink, read func() ([]*evidence.Record, error)) error {
	before, err := read()
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	bad := map[string]func(r *evidence.Record){
		"no id":         func(r *evidence.Record) { r.ID = uuid.Nil },
		"no time":       func(r *evidence.Record) { r.Time = time.Time{} },
		"unknown type":  func(r *evidence.Record) { r.Type = "no-such-type" },
		"data no JSON":  func(r *evidence.Record) { r.Data = []byte("{") },
		"wrong version": func(r *evidence.Record) { r.SchemaVersion = "v0" },
	}
	for name, change := range bad {
		r := Record(5000)
		change(r)
		if err := s.Write(ctx, r); !errors.Is(err, evidence.ErrInvalid) {
			return fmt.Errorf("Write(record with %s) = %v, want an error matching evidence.ErrInvalid", name, err)
		}
	}
	after, err := read()
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if len(after) != len(before) {
		return fmt.Errorf("after writing invalid records the sink holds %d records, want %d", len(after), len(before))
	}
	return nil
}

func cancelled(ctx context.Context, s evidence.Sink, read func() ([]*evidence.Record, error)) error {
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	r := Record(6000)
	werr := s.Write(cctx, r)
	all, err := read()
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	n := 0
	for _, g := range all {
		if g.ID == r.ID {
			n++
		}
	}
	switch {
	case werr == nil && n != 1:
		return fmt.Errorf("Write(cancelled ctx) = nil, and the record is stored %d times, want once", n)
	case werr != nil && !errors.Is(werr, context.Canceled):
		return fmt.Errorf("Write(cancelled ctx) = %v, want nil or an error matching context.Canceled", werr)
	case werr != nil && n != 0:
		return fmt.Errorf("Write(cancelled ctx) = %v, but the record is stored %d times, want none", werr, n)
	}
	return nil
}

// readOwn reads the sink and returns, in stored order, the records with
// the IDs of want, checking that each is stored exactly once.
func readOwn(read func() ([]*evidence.Record, error), want []*evidence.Record) ([]*evidence.Record, error) {
	all, err := read()
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	ids := make(map[uuid.UUID]int, len(want))
	for _, r := range want {
		ids[r.ID] = 0
	}
	var got []*evidence.Record
	for _, r := range all {
		if r == nil {
			return nil, errors.New("read returned a nil record")
		}
		if _, ok := ids[r.ID]; ok {
			ids[r.ID]++
			got = append(got, r)
		}
	}
	for _, r := range want {
		if n := ids[r.ID]; n != 1 {
			return nil, fmt.Errorf("record %s is stored %d times, want once", r.ID, n)
		}
	}
	return got, nil
}

// sameRecord compares the JSON forms of got and want, without Prev, which
// logs set.
func sameRecord(got, want *evidence.Record) error {
	g, w := got.Clone(), want.Clone()
	g.Prev, w.Prev = "", ""
	gb, err := json.Marshal(g)
	if err != nil {
		return fmt.Errorf("marshal the record read back: %w", err)
	}
	wb, err := json.Marshal(w)
	if err != nil {
		return fmt.Errorf("marshal the record written: %w", err)
	}
	if !bytes.Equal(gb, wb) {
		return fmt.Errorf("record %s read back is\n%s\nwant\n%s", want.ID, gb, wb)
	}
	return nil
}
