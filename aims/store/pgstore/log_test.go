package pgstore_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/note"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
	"github.com/aimskit/aimskit/aims/store/pgstore"
	"github.com/aimskit/aimskit/aims/store/pgstore/pgtest"
)

const testOrigin = "example.com/aimskit/pgstore-test"

// noteKeys returns a fixed checkpoint signer and its verifier key.
func noteKeys(t testing.TB) (note.Signer, string) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	s, err := evidence.NewNoteSigner(testOrigin, priv)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := evidence.NoteVerifierKey(testOrigin, priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return s, vkey
}

// openLog opens a log in schema with the test signer and closes it when
// the test ends.
func openLog(t testing.TB, dsn, schema string, opts *pgstore.LogOptions) *pgstore.Log {
	t.Helper()
	var o pgstore.LogOptions
	if opts != nil {
		o = *opts
	}
	o.Schema = schema
	if o.Signer == nil {
		o.Signer, _ = noteKeys(t)
	}
	l, err := pgstore.OpenLog(t.Context(), dsn, &o)
	if err != nil {
		t.Fatalf("OpenLog() = %v", err)
	}
	t.Cleanup(func() { l.Close(context.Background()) })
	return l
}

// readAll returns every record of l, in order.
func readAll(t testing.TB, l *pgstore.Log) []*evidence.Record {
	t.Helper()
	var b bytes.Buffer
	if err := l.Export(context.Background(), &b, 0, -1); err != nil {
		t.Fatalf("Export() = %v", err)
	}
	var out []*evidence.Record
	for r, err := range evidence.Records(&b) {
		if err != nil {
			t.Fatalf("Records(export) = %v", err)
		}
		out = append(out, r)
	}
	return out
}

// verify checks l with Verify and, exported to files, with
// evidence.VerifyFile, the verifier the command line uses, and returns
// the report.
func verify(t testing.TB, l *pgstore.Log, vkey string) evidence.VerifyReport {
	t.Helper()
	ctx := context.Background()
	rep, err := l.Verify(ctx, vkey)
	if err != nil {
		t.Fatalf("Verify() = %v", err)
	}
	path := filepath.Join(t.TempDir(), "evidence.jsonl")
	var log, cps bytes.Buffer
	if err := l.Export(ctx, &log, 0, rep.Records); err != nil {
		t.Fatal(err)
	}
	if err := l.ExportCheckpoints(ctx, &cps, rep.Records); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, log.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+evidence.CheckpointsSuffix, cps.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	frep, err := evidence.VerifyFile(ctx, path, &evidence.VerifyOptions{Key: vkey, MaxUnanchored: -1})
	if err != nil {
		t.Fatalf("VerifyFile(export) = %v", err)
	}
	if !reflect.DeepEqual(frep, rep) {
		t.Fatalf("VerifyFile(export) = %+v, Verify() = %+v: want the same", frep, rep)
	}
	return rep
}

func TestLogConformance(t *testing.T) {
	dsn := pgtest.DSN(t)
	evidencetest.Run(t, func(t *testing.T) evidence.Sink {
		return openLog(t, dsn, pgtest.Schema(t, dsn), nil)
	}, func(t *testing.T, s evidence.Sink) []*evidence.Record {
		return readAll(t, s.(*pgstore.Log))
	})
}

func TestLogExportVerifies(t *testing.T) {
	dsn := pgtest.DSN(t)
	_, vkey := noteKeys(t)
	l := openLog(t, dsn, pgtest.Schema(t, dsn), &pgstore.LogOptions{CheckpointEvery: 100})
	ctx := t.Context()
	for i := 0; i < 1050; i += 50 {
		recs := make([]*evidence.Record, 50)
		for j := range recs {
			recs[j] = evidencetest.FullRecord(i + j)
		}
		first, err := l.Append(ctx, recs...)
		if err != nil || first != int64(i) {
			t.Fatalf("Append(batch at %d) = %d, %v", i, first, err)
		}
	}
	rep := verify(t, l, vkey)
	if rep.Records != 1050 || rep.Checkpoints != 10 || rep.Anchored != 1000 {
		t.Errorf("Verify() = %+v, want 1050 records, 10 checkpoints, 1000 anchored", rep)
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatalf("Checkpoint() = %v", err)
	}
	if rep := verify(t, l, vkey); rep.Anchored != 1050 {
		t.Errorf("after Checkpoint, Verify() = %+v, want all 1050 anchored", rep)
	}

	// A range from a later index links to the record before it, and
	// verifies with the chain state before it.
	var part bytes.Buffer
	if err := l.Export(ctx, &part, 500, 600); err != nil {
		t.Fatal(err)
	}
	start, err := l.StateBefore(ctx, 500)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := bytes.Cut(part.Bytes(), []byte("\n"))
	r, err := evidence.ParseRecord(first)
	if err != nil {
		t.Fatal(err)
	}
	if r.Prev != start.Prev() || start.Size() != 500 || r.ID != evidencetest.FullRecord(500).ID || bytes.Count(part.Bytes(), []byte("\n")) != 100 {
		t.Errorf("Export(500, 600) starts with %s linked to %s, want record 500 linked to %s, 100 lines", r.ID, r.Prev, start.Prev())
	}
	if _, err := l.StateBefore(ctx, 1051); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("StateBefore(past the end) = %v, want ErrInvalid", err)
	}

	// Any range exported to a file verifies as a file log, the way the
	// command line checks it.
	dir := t.TempDir()
	for _, rg := range [][2]int64{{0, -1}, {0, 700}, {500, 600}, {999, 1050}, {1, 2}, {1050, -1}} {
		path := filepath.Join(dir, "export.jsonl")
		n, err := l.ExportFile(ctx, path, rg[0], rg[1])
		end := rg[1]
		if end < 0 {
			end = 1050
		}
		if err != nil || n != end-rg[0] {
			t.Fatalf("ExportFile(%d, %d) = %d, %v; want %d records", rg[0], rg[1], n, err, end-rg[0])
		}
		var start *evidence.Chain
		if rg[0] > 0 {
			if start, err = evidence.ReadStartFile(path + evidence.StartSuffix); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := evidence.VerifyFile(ctx, path, &evidence.VerifyOptions{Key: vkey, Start: start, MaxUnanchored: -1})
		if err != nil || rep.Start != rg[0] || rep.Records != n {
			t.Errorf("VerifyFile(export %d to %d) = %+v, %v", rg[0], end, rep, err)
		}
		// The last checkpoint at or before the end anchors the range:
		// there is one every 100 records and one at 1050.
		want := end / 100 * 100
		if end == 1050 {
			want = 1050
		}
		if want < rg[0] {
			want = 0 // no checkpoint covers the range
		}
		if rep.Anchored != want {
			t.Errorf("VerifyFile(export %d to %d): anchored %d, want %d", rg[0], end, rep.Anchored, want)
		}
	}
	if _, err := l.ExportFile(ctx, filepath.Join(dir, "bad.jsonl"), 600, 500); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("ExportFile(600, 500) = %v, want ErrInvalid", err)
	}
	if _, err := l.ExportFile(ctx, filepath.Join(dir, "missing", "x.jsonl"), 0, -1); err == nil {
		t.Error("ExportFile(into a missing folder) = nil, want an error")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 3 {
		t.Errorf("after failed exports the folder holds %d files, want the 3 of the last good export", len(ents))
	}
}

// TestLogIdempotent shows that appending records the log already holds,
// as a retry after a lost acknowledgement does, stores them once.
func TestLogIdempotent(t *testing.T) {
	dsn := pgtest.DSN(t)
	_, vkey := noteKeys(t)
	l := openLog(t, dsn, pgtest.Schema(t, dsn), nil)
	ctx := t.Context()
	batch := []*evidence.Record{evidencetest.Record(1), evidencetest.Record(2), evidencetest.Record(3)}
	if _, err := l.Append(ctx, batch...); err != nil {
		t.Fatal(err)
	}
	first, err := l.Append(ctx, append(batch, evidencetest.Record(4), evidencetest.Record(4))...)
	if err != nil || first != 0 {
		t.Fatalf("Append(again, with one new record twice) = %d, %v; want 0, nil", first, err)
	}
	got := readAll(t, l)
	if len(got) != 4 || got[3].ID != evidencetest.Record(4).ID {
		t.Fatalf("log holds %d records, want 4", len(got))
	}
	verify(t, l, vkey)
}

func TestLogAppendOnly(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	l := openLog(t, dsn, schema, &pgstore.LogOptions{CheckpointEvery: 2})
	if _, err := l.Append(t.Context(), evidencetest.Record(1), evidencetest.Record(2)); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, dsn)
	for _, stmt := range []string{
		"UPDATE %s.evidence SET line = 'x'",
		"DELETE FROM %s.evidence",
		"TRUNCATE %s.evidence",
		"UPDATE %s.evidence_checkpoints SET note = 'x'",
		"DELETE FROM %s.evidence_checkpoints",
		"TRUNCATE %s.evidence_checkpoints",
	} {
		q := fmt.Sprintf(stmt, schema)
		_, err := conn.Exec(t.Context(), q)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte("append-only")) {
			t.Errorf("%s = %v, want refused as append-only", q, err)
		}
	}
	if n := len(readAll(t, l)); n != 2 {
		t.Errorf("log holds %d records after the refused statements, want 2", n)
	}
}

func connect(t testing.TB, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// tamper runs stmt with the triggers off, as a database owner editing the
// table by hand could.
func tamper(t testing.TB, dsn, stmt string) {
	t.Helper()
	conn := connect(t, dsn)
	if _, err := conn.Exec(t.Context(), "SET session_replication_role = replica"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// TestLogVerifyFindsEdits edits the table by hand and checks that Verify
// names the first bad record.
func TestLogVerifyFindsEdits(t *testing.T) {
	dsn := pgtest.DSN(t)
	_, vkey := noteKeys(t)
	cases := []struct {
		name   string
		stmt   string // %[1]s is the schema
		index  int64
		reason evidence.Reason
	}{
		{"changed line", `UPDATE %[1]s.evidence SET line = convert_to(replace(convert_from(line, 'UTF8'), '"allow"', '"deny"'), 'UTF8') WHERE idx = 5`, 6, evidence.ReasonBrokenLink},
		{"removed line", `DELETE FROM %[1]s.evidence WHERE idx = 7`, 7, evidence.ReasonBrokenLink},
		{"changed last line", `UPDATE %[1]s.evidence SET line = convert_to(replace(convert_from(line, 'UTF8'), '"allow"', '"deny"'), 'UTF8') WHERE idx = 9`, 9, evidence.ReasonBrokenLink},
		{"removed last line", `DELETE FROM %[1]s.evidence WHERE idx = 9`, 9, evidence.ReasonMissingRecords},
		{"line not JSON", `UPDATE %[1]s.evidence SET line = 'not json' WHERE idx = 2`, 2, evidence.ReasonBadJSON},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			schema := pgtest.Schema(t, dsn)
			l := openLog(t, dsn, schema, &pgstore.LogOptions{CheckpointEvery: -1})
			for i := range 10 {
				if _, err := l.Append(t.Context(), evidencetest.Record(i)); err != nil {
					t.Fatal(err)
				}
			}
			verify(t, l, vkey)
			tamper(t, dsn, fmt.Sprintf(c.stmt, schema))
			_, err := l.Verify(t.Context(), vkey)
			var ve *evidence.VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, evidence.ErrTampered) {
				t.Fatalf("Verify() = %v, want a *evidence.VerifyError", err)
			}
			if ve.Index != c.index || ve.Reason != c.reason {
				t.Errorf("Verify() = %v, want record %d, %s", err, c.index, c.reason)
			}
		})
	}
}

// TestLogConcurrentInstances is the bounded load test: 8 instances, each
// with its own connections, append 10,000 records each at once. Nothing is
// lost or duplicated, and the chain and the tree verify.
func TestLogConcurrentInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	_, vkey := noteKeys(t)
	const instances, each, batch = 8, 10000, 100
	logs := make([]*pgstore.Log, instances)
	for i := range logs {
		logs[i] = openLog(t, dsn, schema, &pgstore.LogOptions{MaxConns: 1})
	}
	ctx := t.Context()
	errs := make([]error, instances)
	var wg sync.WaitGroup
	start := time.Now()
	for i, l := range logs {
		wg.Go(func() {
			recs := make([]*evidence.Record, 0, batch)
			for j := range each {
				recs = append(recs, evidencetest.Record(i*each+j))
				if len(recs) == batch {
					if _, err := l.Append(ctx, recs...); err != nil {
						errs[i] = err
						return
					}
					recs = recs[:0]
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d instances x %d records in batches of %d: %v, %.0f records/s",
		instances, each, batch, elapsed.Round(time.Millisecond), float64(instances*each)/elapsed.Seconds())

	got := readAll(t, logs[0])
	if len(got) != instances*each {
		t.Fatalf("log holds %d records, want %d", len(got), instances*each)
	}
	seen := make(map[[16]byte]bool, len(got))
	last := make([]int, instances) // per instance, the last seq seen
	for i := range last {
		last[i] = -1
	}
	for _, r := range got {
		if seen[r.ID] {
			t.Fatalf("record %s is stored twice", r.ID)
		}
		seen[r.ID] = true
		seq := int(r.Time.Sub(evidencetest.Record(0).Time) / time.Millisecond)
		inst := seq / each
		if seq <= last[inst] {
			t.Fatalf("instance %d's record %d is stored after its record %d", inst, seq, last[inst])
		}
		last[inst] = seq
	}
	rep := verify(t, logs[0], vkey)
	if rep.Records != instances*each || rep.Anchored != instances*each {
		t.Errorf("Verify() = %+v, want %d records, all anchored", rep, instances*each)
	}
}

func TestOpenLogBadInput(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := t.Context()
	if _, err := pgstore.OpenLog(ctx, dsn, &pgstore.LogOptions{Schema: "Bad Schema"}); err == nil {
		t.Error("OpenLog(bad schema) = nil error")
	}
	if _, err := pgstore.OpenLog(ctx, "postgres://u:s3cret@127.0.0.1:1/db?sslmode=disable", &pgstore.LogOptions{ConnectTimeout: 2 * time.Second}); err == nil || bytes.Contains([]byte(err.Error()), []byte("s3cret")) {
		t.Errorf("OpenLog(unreachable) = %v, want an error without the password", err)
	}
	l := openLog(t, dsn, pgtest.Schema(t, dsn), nil)
	if _, err := l.Append(ctx, nil); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("Append(nil) = %v, want ErrInvalid", err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := l.Write(ctx, evidencetest.Record(1)); !errors.Is(err, evidence.ErrClosed) {
		t.Errorf("Write() after Close = %v, want ErrClosed", err)
	}
}
