package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/pgstore"
	"github.com/aimskit/aimskit/aims/store/pgstore/pgtest"
)

// appliedVersions returns the versions listed in the schema_migrations
// table of schema.
func appliedVersions(t *testing.T, dsn, schema string) []int {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), patience)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT version FROM "+pgx.Identifier{schema, "schema_migrations"}.Sanitize()+" ORDER BY version")
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return vs
}

// knownVersions returns the versions of the embedded migrations.
func knownVersions(t *testing.T) []int {
	t.Helper()
	vs, err := pgstore.MigrationVersions()
	if err != nil {
		t.Fatalf("MigrationVersions() = %v", err)
	}
	if len(vs) == 0 || vs[0] != 1 {
		t.Fatalf("MigrationVersions() = %v, want versions from 1", vs)
	}
	return vs
}

func TestMigrate(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	opts := &pgstore.Options{Schema: schema}
	for range 2 {
		if err := pgstore.Migrate(t.Context(), dsn, opts); err != nil {
			t.Fatalf("Migrate() = %v, want nil", err)
		}
	}
	if got, want := appliedVersions(t, dsn, schema), knownVersions(t); !slices.Equal(got, want) {
		t.Errorf("schema_migrations after Migrate = %v, want %v", got, want)
	}
	s := mustOpen(t, dsn, opts)
	if _, err := s.Put(t.Context(), &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{}`)}, store.Write{Actor: "alice"}); err != nil {
		t.Errorf("Put() after Migrate = %v, want nil", err)
	}
}

func TestSchemaVersionNewer(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	opts := &pgstore.Options{Schema: schema}
	if err := pgstore.Migrate(t.Context(), dsn, opts); err != nil {
		t.Fatalf("Migrate() = %v, want nil", err)
	}
	pgtest.Exec(t, dsn, "INSERT INTO "+pgx.Identifier{schema, "schema_migrations"}.Sanitize()+
		" (version, name, applied_at) VALUES (9999, '9999_future.sql', now())")
	_, err := pgstore.Open(t.Context(), dsn, opts)
	if !errors.Is(err, pgstore.ErrSchemaVersion) {
		t.Fatalf("Open() of a newer schema = %v, want an error matching ErrSchemaVersion", err)
	}
	known := knownVersions(t)
	for _, want := range []string{"9999", "upgrade aimskit", "knows up to " + strconv.Itoa(known[len(known)-1])} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open() of a newer schema = %q, want it to contain %q", err, want)
		}
	}
	if err := pgstore.Migrate(t.Context(), dsn, opts); !errors.Is(err, pgstore.ErrSchemaVersion) {
		t.Errorf("Migrate() of a newer schema = %v, want an error matching ErrSchemaVersion", err)
	}
}

// TestConcurrentMigration opens one new schema from many goroutines at
// once, as instances starting together would: all succeed, and each
// migration is applied once.
func TestConcurrentMigration(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	opts := &pgstore.Options{Schema: schema}
	const n = 8
	errs := make([]error, n)
	stores := make([]*store.Store, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			if i%2 == 0 {
				errs[i] = pgstore.Migrate(t.Context(), dsn, opts)
				return
			}
			stores[i], errs[i] = pgstore.Open(t.Context(), dsn, opts)
		})
	}
	close(start)
	wg.Wait()
	for _, s := range stores {
		if s != nil {
			s.Close()
		}
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("goroutine %d: %v, want nil", i, err)
		}
	}
	if got, want := appliedVersions(t, dsn, schema), knownVersions(t); !slices.Equal(got, want) {
		t.Errorf("schema_migrations = %v, want %v", got, want)
	}
}

// TestOpenWithoutCreatePrivilege opens a migrated schema with a role that
// may read and write the tables but not create anything.
func TestOpenWithoutCreatePrivilege(t *testing.T) {
	dsn := pgtest.DSN(t)
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Skip("the DSN is not a URL")
	}
	schema := pgtest.Schema(t, dsn)
	if err := pgstore.Migrate(t.Context(), dsn, &pgstore.Options{Schema: schema}); err != nil {
		t.Fatalf("Migrate() = %v, want nil", err)
	}
	var b [6]byte
	rand.Read(b[:])
	role := "t_role_" + hex.EncodeToString(b[:])
	qrole, qschema := pgx.Identifier{role}.Sanitize(), pgx.Identifier{schema}.Sanitize()
	pgtest.Exec(t, dsn, "CREATE ROLE "+qrole+" LOGIN")
	t.Cleanup(func() {
		pgtest.Exec(t, dsn, "DROP OWNED BY "+qrole+"; DROP ROLE "+qrole)
	})
	pgtest.Exec(t, dsn, "GRANT USAGE ON SCHEMA "+qschema+" TO "+qrole+"; "+
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "+qschema+" TO "+qrole)

	u.User = url.User(role)
	if conn, err := pgx.Connect(t.Context(), u.String()); err != nil {
		if pe, ok := errors.AsType[*pgconn.PgError](err); ok && strings.HasPrefix(pe.Code, "28") {
			t.Skipf("the server does not let role %s in without a password: %v", role, err)
		}
		t.Fatalf("connect as %s: %v", role, err)
	} else {
		conn.Close(t.Context())
	}
	s := mustOpen(t, u.String(), &pgstore.Options{Schema: schema})
	if _, err := s.Put(t.Context(), &store.Document{Kind: "AISystem", ID: "chatbot", Data: []byte(`{}`)}, store.Write{Actor: "alice"}); err != nil {
		t.Errorf("Put() as %s = %v, want nil", role, err)
	}
	// The same role cannot create a new schema.
	if _, err := pgstore.Open(t.Context(), u.String(), &pgstore.Options{Schema: pgtest.Schema(t, dsn)}); err == nil {
		t.Errorf("Open() of a new schema as %s = nil, want a permission error", role)
	}
}
