package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvVar is the environment variable that holds the DSN of the server.
const EnvVar = "AIMSKIT_TEST_POSTGRES"

// DSN returns the DSN in the AIMSKIT_TEST_POSTGRES environment variable,
// or skips the test if it is not set. It does not check that the server
// answers: when the variable is set, a server that is down makes the
// tests fail, not skip.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvVar)
	if dsn == "" {
		t.Skip(EnvVar + " is not set: set it to a PostgreSQL DSN to run the PostgreSQL tests (.ci/run does)")
	}
	return dsn
}

// Schema returns a new, unique schema name of the form t_<16 hex digits>.
// It creates nothing; when the test ends, it drops the schema, if it
// exists, with everything in it.
func Schema(t testing.TB, dsn string) string {
	t.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: schema name: %v", err)
	}
	name := "t_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		// The test's context is done by now.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("pgtest: drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", name, err)
		}
	})
	return name
}

// Exec runs sql, which may hold several statements, on a connection of
// its own, failing the test on an error.
func Exec(t testing.TB, dsn, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
}
