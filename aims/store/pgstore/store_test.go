package pgstore_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/pgstore"
	"github.com/aimskit/aimskit/aims/store/pgstore/pgtest"
	"github.com/aimskit/aimskit/aims/store/storetest"
)

// mustOpenDriver opens a store on schema, with its driver, and closes it
// when the test ends.
func mustOpenDriver(t testing.TB, dsn string, opts *pgstore.Options) (*store.Store, *pgstore.Driver) {
	t.Helper()
	d, err := pgstore.OpenDriver(t.Context(), dsn, opts)
	if err != nil {
		t.Fatalf("OpenDriver(schema %q) = %v, want nil", opts.Schema, err)
	}
	s := store.New(d, nil)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close() = %v, want nil", err)
		}
	})
	return s, d
}

// mustOpen opens a store on schema and closes it when the test ends.
func mustOpen(t testing.TB, dsn string, opts *pgstore.Options) *store.Store {
	t.Helper()
	s, err := pgstore.Open(t.Context(), dsn, opts)
	if err != nil {
		t.Fatalf("Open(schema %q) = %v, want nil", opts.Schema, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close() = %v, want nil", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.Run(t, func(t *testing.T) store.Driver {
		d, err := pgstore.OpenDriver(t.Context(), dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn)})
		if err != nil {
			t.Fatalf("OpenDriver() = %v, want nil", err)
		}
		return d
	})
}

func TestDriver(t *testing.T) {
	dsn := pgtest.DSN(t)
	err := storetest.TestDriver(func() (store.Driver, error) {
		return pgstore.OpenDriver(t.Context(), dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn)})
	})
	if err != nil {
		t.Errorf("storetest.TestDriver() = %v, want nil", err)
	}
}

func TestDataKeptExactly(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := mustOpen(t, dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn)})
	ctx := t.Context()
	// Member order, spacing, escapes and duplicate-looking numbers that
	// jsonb would normalise.
	data := []byte("{ \"name\":\"Crédit \\u00e9\",\n\t\"kind\" : \"AISystem\", \"b\":1.0, \"a\":[ ] }")
	got, err := s.Put(ctx, &store.Document{Kind: "AISystem", ID: "credit-scoring", Data: data}, store.Write{Actor: "alice"})
	if err != nil {
		t.Fatalf("Put() = %v, want nil", err)
	}
	if !bytes.Equal(got.Data, data) {
		t.Errorf("Put().Data = %q, want %q", got.Data, data)
	}
	doc, err := s.Get(ctx, "AISystem", "credit-scoring")
	if err != nil {
		t.Fatalf("Get() = %v, want nil", err)
	}
	if !bytes.Equal(doc.Data, data) {
		t.Errorf("Get().Data = %q, want %q", doc.Data, data)
	}
	hist, err := s.History(ctx, "AISystem", "credit-scoring")
	if err != nil || len(hist) != 1 {
		t.Fatalf("History() = %d changes, %v; want 1, nil", len(hist), err)
	}
	if !bytes.Equal(hist[0].Data, data) || hist[0].Digest != store.Digest(data) {
		t.Errorf("History()[0] = data %q, digest %s; want %q, %s", hist[0].Data, hist[0].Digest, data, store.Digest(data))
	}
}

func TestTimes(t *testing.T) {
	dsn := pgtest.DSN(t)
	when := time.Date(2025, 3, 1, 10, 0, 0, 123456789, time.FixedZone("CET", 3600))
	s := mustOpen(t, dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn), Clock: func() time.Time { return when }})
	ctx := t.Context()
	want := time.Date(2025, 3, 1, 9, 0, 0, 123456000, time.UTC)
	put, err := s.Put(ctx, &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{}`)}, store.Write{Actor: "alice"})
	if err != nil {
		t.Fatalf("Put() = %v, want nil", err)
	}
	if put.Updated != want {
		t.Errorf("Put().Updated = %v, want %v (UTC, to the microsecond)", put.Updated, want)
	}
	got, err := s.Get(ctx, "AISystem", "chatbot")
	if err != nil {
		t.Fatalf("Get() = %v, want nil", err)
	}
	if got.Updated != want {
		t.Errorf("Get().Updated = %v, want %v", got.Updated, want)
	}
	list, err := s.List(ctx, store.Filter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("List() = %d documents, %v; want 1, nil", len(list), err)
	}
	if list[0].Updated != want {
		t.Errorf("List()[0].Updated = %v, want %v", list[0].Updated, want)
	}
	hist, err := s.History(ctx, "AISystem", "chatbot")
	if err != nil || len(hist) != 1 {
		t.Fatalf("History() = %d changes, %v; want 1, nil", len(hist), err)
	}
	if hist[0].Time != want {
		t.Errorf("History()[0].Time = %v, want %v", hist[0].Time, want)
	}
}

// TestSharedSchema checks that two Stores on one schema, as two
// processes would have, see each other's writes and keep one revision
// numbering.
func TestSharedSchema(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	a := mustOpen(t, dsn, &pgstore.Options{Schema: schema})
	b := mustOpen(t, dsn, &pgstore.Options{Schema: schema})
	other := mustOpen(t, dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn)})
	ctx := t.Context()
	alice := store.Write{Actor: "alice"}
	doc := &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{"kind":"AISystem"}`)}
	if _, err := a.Put(ctx, doc, alice); err != nil {
		t.Fatalf("a.Put() = %v, want nil", err)
	}
	if _, err := b.Put(ctx, doc, alice); !errors.Is(err, store.ErrConflict) {
		t.Errorf("b.Put(revision 0) = %v, want a conflict", err)
	}
	if err := b.Delete(ctx, "AISystem", "chatbot", 1, alice); err != nil {
		t.Fatalf("b.Delete() = %v, want nil", err)
	}
	got, err := a.Put(ctx, doc, alice)
	if err != nil || got.Revision != 3 {
		t.Fatalf("a.Put() after b.Delete() = %v, %v; want revision 3", got, err)
	}
	if _, err := other.Get(ctx, "AISystem", "chatbot"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get() in another schema = %v, want an error matching store.ErrNotFound", err)
	}
}

// TestConcurrentCreate checks that concurrent creates of one document by
// several Stores give one winner and conflicts, and that AnyRevision
// writes all succeed with distinct revisions.
func TestConcurrentCreate(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	stores := []*store.Store{
		mustOpen(t, dsn, &pgstore.Options{Schema: schema}),
		mustOpen(t, dsn, &pgstore.Options{Schema: schema}),
	}
	ctx := t.Context()
	const n = 16
	for _, rev := range []int64{0, store.AnyRevision} {
		id := "create-" + strconv.FormatInt(rev+1, 10)
		errs := make([]error, n)
		revs := make([]int64, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				d, err := stores[i%2].Put(ctx, &store.Document{Kind: "AISystem", ID: id, Revision: rev, Data: []byte(`{}`)},
					store.Write{Actor: "writer-" + strconv.Itoa(i)})
				errs[i] = err
				if err == nil {
					revs[i] = d.Revision
				}
			})
		}
		wg.Wait()
		won := 0
		seen := make(map[int64]bool)
		for i, err := range errs {
			switch {
			case err == nil:
				won++
				if seen[revs[i]] {
					t.Errorf("revision %d: two writers got revision %d", rev, revs[i])
				}
				seen[revs[i]] = true
			case rev == 0:
				var ce *store.ConflictError
				if !errors.As(err, &ce) || ce.Want != 0 || ce.Have != 1 {
					t.Errorf("create %d = %v, want a conflict with revision 1", i, err)
				}
			default:
				t.Errorf("Put(AnyRevision) %d = %v, want nil", i, err)
			}
		}
		want := 1
		if rev == store.AnyRevision {
			want = n
		}
		if won != want {
			t.Errorf("revision %d: %d writers succeeded, want %d", rev, won, want)
		}
		hist, err := stores[0].History(ctx, "AISystem", id)
		if err != nil || len(hist) != want {
			t.Errorf("History(%s) = %d changes, %v; want %d, nil", id, len(hist), err, want)
		}
	}
}

// TestWriteText checks that an actor or reason that a text column cannot
// hold is refused as invalid, before the database sees it.
func TestWriteText(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := mustOpen(t, dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn)})
	ctx := t.Context()
	doc := &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{}`)}
	if _, err := s.Put(ctx, doc, store.Write{Actor: "Zoë", Reason: "ticket «GOV-12»"}); err != nil {
		t.Fatalf("Put() with a UTF-8 actor = %v, want nil", err)
	}
	for _, w := range []store.Write{{Actor: "a\x00b"}, {Actor: "a\xffb"}, {Actor: "alice", Reason: "\x00"}} {
		doc := &store.Document{Kind: "AISystem", ID: "chatbot", Revision: store.AnyRevision, Data: []byte(`{}`)}
		if _, err := s.Put(ctx, doc, w); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Put(%+q) = %v, want an error matching store.ErrInvalid", w, err)
		}
		if err := s.Delete(ctx, "AISystem", "chatbot", store.AnyRevision, w); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Delete(%+q) = %v, want an error matching store.ErrInvalid", w, err)
		}
	}
}

func TestOpenInvalidSchema(t *testing.T) {
	// The schema is checked before connecting, so no server is needed.
	for _, schema := range []string{"Aimskit", "1st", "a-b", "a b", `a"b`, "a.b", "pg_store", "é", strings.Repeat("a", 64)} {
		t.Run(schema, func(t *testing.T) {
			_, err := pgstore.Open(t.Context(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable", &pgstore.Options{Schema: schema})
			if err == nil || !strings.Contains(err.Error(), "invalid schema") {
				t.Errorf("Open(schema %q) = %v, want an invalid schema error", schema, err)
			}
			err = pgstore.Migrate(t.Context(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable", &pgstore.Options{Schema: schema})
			if err == nil || !strings.Contains(err.Error(), "invalid schema") {
				t.Errorf("Migrate(schema %q) = %v, want an invalid schema error", schema, err)
			}
		})
	}
}

func TestOpenMalformedDSN(t *testing.T) {
	const secret = "s3cret-Pw"
	dsns := []string{
		"postgres://alice:" + secret + "@127.0.0.1:notaport/db",
		"postgres://alice:" + secret + "@127.0.0.1:5432/db?sslmode=bogus",
		"postgres://alice:" + secret + "@[::1/db",
		"postgres://alice:" + secret + "%zz@127.0.0.1/db",
		"postgres://alice@127.0.0.1/db?password=" + secret + "&connect_timeout=soon",
		"host=127.0.0.1 user=alice password=" + secret + " port=notaport",
		"host=127.0.0.1 user=alice password='" + secret + " x' sslmode=bogus",
		"host=127.0.0.1 password=" + secret + " user",
	}
	for _, dsn := range dsns {
		_, err := pgstore.Open(t.Context(), dsn, nil)
		if err == nil {
			t.Errorf("Open(%q) = nil, want an error", dsn)
			continue
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open(%q) = %q, which shows the password", dsn, err)
		}
		if !strings.Contains(err.Error(), "invalid DSN") {
			t.Errorf("Open(%q) = %q, want it to say the DSN is invalid", dsn, err)
		}
		if err := pgstore.Migrate(t.Context(), dsn, nil); err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Migrate(%q) = %v, want an error that does not show the password", dsn, err)
		}
	}
}

// closedPort returns a loopback address on which nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestOpenUnreachable(t *testing.T) {
	addr := closedPort(t)
	start := time.Now()
	_, err := pgstore.Open(t.Context(), "postgres://alice:s3cret@"+addr+"/db?sslmode=disable",
		&pgstore.Options{ConnectTimeout: 2 * time.Second})
	if err == nil {
		t.Fatal("Open() on a closed port = nil, want an error")
	}
	if !strings.Contains(err.Error(), addr) || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Open() on a closed port = %q, want it to name %s and not show the password", err, addr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Open() on a closed port took %v, want less than 10s", d)
	}
}

// silentServer returns the address of a server that accepts connections
// and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func TestOpenConnectTimeout(t *testing.T) {
	addr := silentServer(t)
	start := time.Now()
	_, err := pgstore.Open(t.Context(), "postgres://alice@"+addr+"/db?sslmode=disable",
		&pgstore.Options{ConnectTimeout: 300 * time.Millisecond})
	if err == nil {
		t.Fatal("Open() on a silent server = nil, want an error")
	}
	if !strings.Contains(err.Error(), addr) {
		t.Errorf("Open() on a silent server = %q, want it to name %s", err, addr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Open() on a silent server took %v, want about the connect timeout", d)
	}
}

func TestOpenCancelled(t *testing.T) {
	addr := silentServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := pgstore.Open(ctx, "postgres://alice@"+addr+"/db?sslmode=disable", nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Open() with a cancelled context = %v, want an error matching context.Canceled", err)
	}
}

func TestChannelName(t *testing.T) {
	for _, schema := range []string{"aimskit", strings.Repeat("s", 55), strings.Repeat("s", 56), strings.Repeat("s", 63)} {
		c := pgstore.ChannelName(schema)
		if len(c) > 63 || !strings.HasPrefix(c, "aimskit:") {
			t.Errorf("ChannelName(%d characters) = %q, want at most 63 bytes starting with aimskit:", len(schema), c)
		}
	}
	if a, b := pgstore.ChannelName(strings.Repeat("s", 63)), pgstore.ChannelName(strings.Repeat("s", 62)+"t"); a == b {
		t.Errorf("ChannelName() of two long schemas = %q for both, want different names", a)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ dsn, msg string }{
		{"postgres://u:p%40ss@h/db", "cannot parse p%40ss and p@ss"},
		{"postgres://u:a:b@c@h/db", "a:b@c"},
		{`user=u password='it\'s x' host=h`, `it\'s x, it's x`},
		{"postgresql://u@h/db?sslpassword=keyphrase", "keyphrase"},
	}
	for _, tt := range tests {
		got := pgstore.Redact(tt.dsn, tt.msg)
		for _, secret := range []string{"p%40ss", "p@ss", "a:b@c", `it\'s x`, "it's x", "keyphrase"} {
			if strings.Contains(got, secret) {
				t.Errorf("Redact(%q, %q) = %q, which shows %q", tt.dsn, tt.msg, got, secret)
			}
		}
	}
}
