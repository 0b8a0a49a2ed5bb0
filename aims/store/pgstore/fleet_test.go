package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/pgstore"
	"github.com/aimskit/aimskit/aims/store/pgstore/pgtest"
	"github.com/aimskit/aimskit/inventory"
)

// creditScoring is the AI system of the example governance folder.
var creditScoring = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")

// openStore opens a store in schema and closes it when the test ends.
func openStore(t testing.TB, dsn, schema string) *store.Store {
	t.Helper()
	st, err := pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// seed writes the example governance folder into st.
func seed(t testing.TB, st *store.Store) {
	t.Helper()
	f, err := aims.Load(t.Context(), os.DirFS("../../../examples/credit-scoring/governance"))
	if err != nil {
		t.Fatalf("Load(example) = %v", err)
	}
	if _, err := aims.Import(t.Context(), st, f, store.Write{Actor: "release-bot", Reason: "seed"}); err != nil {
		t.Fatalf("Import() = %v", err)
	}
}

// TestFleetSuspensionReachesOtherInstance runs two instances, each with
// its own store connection and Manager: a suspension written by one is
// seen by the other's guard within one second.
func TestFleetSuspensionReachesOtherInstance(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	stA, stB := openStore(t, dsn, schema), openStore(t, dsn, schema)
	seed(t, stA)
	ctx := t.Context()
	a, err := aims.NewManager(ctx, stA, nil)
	if err != nil {
		t.Fatal(err)
	}
	reloads := make(chan *aims.Snapshot, 64)
	b, err := aims.NewManager(ctx, stB, &aims.ManagerOptions{OnReload: func(f *aims.Snapshot, err error) {
		if err != nil {
			t.Errorf("instance B: reload: %v", err)
		}
		reloads <- f
	}})
	if err != nil {
		t.Fatal(err)
	}
	<-reloads // NewManager's load
	wctx, cancel := context.WithCancel(ctx)
	watched := make(chan error, 1)
	go func() { watched <- b.Watch(wctx) }()
	<-reloads // Watch is listening
	before := b.Guard().Allow(ctx, creditScoring)
	if errors.Is(before, aims.ErrSuspended) {
		t.Fatal("the example system is suspended already")
	}

	for round, step := range []struct {
		name string
		do   func() error
		want func(error) bool
	}{
		{"suspend", func() error {
			return a.Suspend(ctx, creditScoring, store.Write{Actor: "oncall@example.com", Reason: "drift above threshold"})
		}, func(err error) bool { return errors.Is(err, aims.ErrSuspended) }},
		{"resume", func() error {
			return a.Resume(ctx, creditScoring, store.Write{Actor: "owner@example.com", Reason: "model retrained"})
		}, func(err error) bool { return err == before }},
	} {
		start := time.Now()
		if err := step.do(); err != nil {
			t.Fatalf("%s on instance A: %v", step.name, err)
		}
		deadline := time.After(time.Second)
		for !step.want(b.Guard().Allow(ctx, creditScoring)) {
			select {
			case <-reloads:
			case <-deadline:
				t.Fatalf("round %d: instance B's guard did not see the %s within one second", round, step.name)
			}
		}
		t.Logf("%s seen by instance B after %v", step.name, time.Since(start).Round(time.Microsecond))
	}
	cancel()
	if err := <-watched; !errors.Is(err, context.Canceled) {
		t.Errorf("Watch() = %v, want context.Canceled", err)
	}
}

// TestFleetDatabaseDown takes the database away from an instance and
// brings it back: the recorder buffers up to its bound and then refuses
// (FullFail), the guard keeps its last snapshot, a gate fails closed; once
// the database is back the buffer drains in order and the log verifies.
func TestFleetDatabaseDown(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	proxy, viaProxy := pgtest.NewProxy(t, dsn)
	_, vkey := noteKeys(t)
	ctx := t.Context()
	st := openStore(t, viaProxy, schema)
	seed(t, st)
	m, err := aims.NewManager(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Suspend(ctx, creditScoring, store.Write{Actor: "oncall@example.com"}); err != nil {
		t.Fatal(err)
	}
	log := openLog(t, viaProxy, schema, nil)
	const buffer, batch = 64, 16
	var errs []error
	rec, err := aims.NewRecorder(log, &aims.RecorderOptions{Buffer: evidence.BufferOptions{
		Size: buffer, BatchSize: batch, Full: evidence.FullFail,
		Retry:   evidence.RetryBackoff(5*time.Millisecond, 50*time.Millisecond),
		OnError: func(err error) { errs = append(errs, err) },
	}})
	if err != nil {
		t.Fatal(err)
	}
	decide := func(i int) error {
		return rec.Record(ctx, aims.ModelDecision{System: creditScoring, Model: "credit-scorer", ModelVersion: "3.2.0",
			Input: evidence.DigestContent([]byte(strconv.Itoa(i))), Outcome: fmt.Sprintf("decision-%05d", i)})
	}
	n := 0
	for ; n < 100; n++ {
		if err := decide(n); err != nil {
			t.Fatal(err)
		}
		if n%batch == batch-1 {
			if err := rec.Flush(ctx); err != nil {
				t.Fatalf("Flush() = %v", err)
			}
		}
	}
	if err := rec.Flush(ctx); err != nil {
		t.Fatalf("Flush() = %v", err)
	}

	proxy.Down()
	if err := m.Reload(ctx); err == nil {
		t.Fatal("Reload() with the database down = nil, want an error")
	}
	if err := m.Guard().Allow(ctx, creditScoring); !errors.Is(err, aims.ErrSuspended) {
		t.Errorf("Allow() with the database down = %v, want ErrSuspended from the last snapshot", err)
	}
	gate, err := aims.NewGate(m.Snapshot(), &aims.GateOptions{Evidence: log})
	if err != nil {
		t.Fatal(err)
	}
	d, err := gate.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
	if !errors.Is(err, aims.ErrNotRecorded) || d.Allowed() {
		t.Errorf("Evaluate() with the database down = %v, %v; want a denial and ErrNotRecorded", d.Verdict, err)
	}
	accepted := 0
	for {
		err := decide(n)
		if errors.Is(err, evidence.ErrBufferFull) {
			break
		}
		if err != nil {
			t.Fatalf("Record() while the database is down = %v", err)
		}
		n++
		accepted++
		if accepted > buffer+batch {
			t.Fatalf("the recorder took %d decisions while the database was down, want at most %d", accepted, buffer+batch)
		}
	}
	if accepted < buffer {
		t.Errorf("the recorder took %d decisions while the database was down, want at least its buffer of %d", accepted, buffer)
	}
	t.Logf("database down: the recorder buffered %d decisions, then refused", accepted)

	proxy.Up()
	if err := rec.Flush(ctx); err != nil {
		t.Fatalf("Flush() after the database is back = %v", err)
	}
	if err := rec.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if st := rec.Stats(); st.Written != uint64(n) || st.Failed != 0 {
		t.Errorf("Stats() = %+v, want %d written, none failed", st, n)
	}
	if len(errs) > 0 {
		t.Errorf("the recorder gave up on batches: %v", errs)
	}
	var i int
	for _, r := range readAll(t, log) {
		if r.Type != evidence.TypeRuntimeDecision {
			continue
		}
		if want := fmt.Sprintf("decision-%05d", i); r.Outcome != want {
			t.Fatalf("runtime record %d is %s, want %s: the buffer must drain in order", i, r.Outcome, want)
		}
		i++
	}
	if i != n {
		t.Errorf("the log holds %d runtime records, want %d", i, n)
	}
	verify(t, log, vkey)
	if err := m.Reload(ctx); err != nil {
		t.Errorf("Reload() after the database is back = %v", err)
	}
}

// TestFleetConnectionKilledMidBatch kills the log's connection while an
// append is inside its transaction, waiting for the log's lock. No
// acknowledged record is lost, none is stored twice, and the chain
// verifies after the recorder reconnects.
func TestFleetConnectionKilledMidBatch(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	_, vkey := noteKeys(t)
	ctx := t.Context()
	log := openLog(t, pgtest.WithApplicationName(dsn, "aimskit_victim"), schema, &pgstore.LogOptions{MaxConns: 1})
	rec, err := aims.NewRecorder(log, &aims.RecorderOptions{Buffer: evidence.BufferOptions{
		BatchSize: 50,
		Retry:     evidence.RetryBackoff(5*time.Millisecond, 50*time.Millisecond),
	}})
	if err != nil {
		t.Fatal(err)
	}
	decide := func(i int) {
		t.Helper()
		if err := rec.Record(ctx, aims.ModelDecision{System: creditScoring, Outcome: fmt.Sprintf("decision-%05d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 500 {
		decide(i)
	}
	if err := rec.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	// Hold the log's lock, so that the next append waits inside its
	// transaction, then kill that connection.
	admin := connect(t, dsn)
	tx, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", pgstore.LogLockKey(log)); err != nil {
		t.Fatal(err)
	}
	for i := 500; i < 1000; i++ {
		decide(i)
	}
	var pid int
	for deadline := time.Now().Add(10 * time.Second); ; {
		err := admin.QueryRow(ctx, `SELECT pid FROM pg_stat_activity
			WHERE application_name = 'aimskit_victim' AND wait_event_type = 'Lock' AND state = 'active'`).Scan(&pid)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the append did not reach the lock: %v", err)
		}
		time.Sleep(5 * time.Millisecond) // polling the server's state, not timing the test
	}
	var killed bool
	if err := admin.QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&killed); err != nil || !killed {
		t.Fatalf("pg_terminate_backend(%d) = %v, %v", pid, killed, err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 1000; i < 1500; i++ {
		decide(i)
	}
	if err := rec.Flush(ctx); err != nil {
		t.Fatalf("Flush() after the connection was killed = %v", err)
	}
	if err := rec.Close(ctx); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, log)
	if len(got) != 1500 {
		t.Fatalf("the log holds %d records, want 1500", len(got))
	}
	for i, r := range got {
		if want := fmt.Sprintf("decision-%05d", i); r.Outcome != want {
			t.Fatalf("record %d is %s, want %s", i, r.Outcome, want)
		}
	}
	if st := rec.Stats(); st.Written != 1500 || st.Failed != 0 {
		t.Errorf("Stats() = %+v, want 1500 written, none failed", st)
	}
	verify(t, log, vkey)
}
