package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"path"
	"regexp"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrSchemaVersion is matched by the error that [Open], [Migrate] and the
// other openers of this package return when the database schema was
// migrated by a newer aimskit than this one: this code does not know the
// tables it would use, so it refuses to touch them.
var ErrSchemaVersion = errors.New("pgstore: database schema is newer than this aimskit")

// migrationFiles holds the migrations. Each file is named NNNN_name.sql,
// where NNNN is its version; the runner applies them in the order of their
// versions, each in its own transaction, with search_path set to the
// schema, so they use unqualified names. A new file is picked up without
// any other change.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one migration file.
type migration struct {
	version int
	name    string // the file name
	sql     string
}

var migrationName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

// migrations returns the embedded migrations sorted by version. It fails
// on a file name that does not have the NNNN_name.sql form and on two
// files with the same version, which are mistakes in this package.
func migrations() ([]migration, error) {
	files, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, f := range files {
		name := path.Base(f)
		m := migrationName.FindStringSubmatch(name)
		if m == nil {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", name)
		}
		v, _ := strconv.Atoi(m[1]) // cannot fail: four digits
		if v == 0 {
			return nil, fmt.Errorf("migration %s: version 0 is not valid", name)
		}
		b, err := migrationFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// versionError is the error for a database migrated by a newer aimskit.
type versionError struct {
	schema      string
	have, known int
}

func (e *versionError) Error() string {
	return fmt.Sprintf("migrate schema %s: schema version %d is newer than this aimskit (knows up to %d); upgrade aimskit",
		e.schema, e.have, e.known)
}

func (e *versionError) Unwrap() error { return ErrSchemaVersion }

// migrate brings schema up to date: it creates the schema and its
// schema_migrations table if they do not exist, then applies every
// embedded migration that the table does not list, in version order, each
// in its own transaction that also records it. It returns an error
// matching [ErrSchemaVersion], and changes nothing, if the database has a
// version higher than the highest embedded one.
//
// Every transaction first takes a transaction-level advisory lock derived
// from the schema name, so concurrent runs, in this process or others,
// wait for each other, and a run that finds a migration already applied
// skips it. When everything is applied, migrate needs no privilege beyond
// reading schema_migrations. schema must be valid (see checkSchema).
//
// Errors start with "migrate schema <schema>:" and not with "pgstore:", for
// the caller to add its operation.
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	return migrateLogging(ctx, pool, schema, nil)
}

// migrateLogging is migrate that logs each migration it applies to log,
// if not nil.
func migrateLogging(ctx context.Context, pool *pgxpool.Pool, schema string, log *slog.Logger) error {
	if err := checkSchema(schema); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("migrate schema %s: %w", schema, err)
	}
	known := 0
	if len(ms) > 0 {
		known = ms[len(ms)-1].version
	}
	key := lockKey(schema)
	qschema := pgx.Identifier{schema}.Sanitize()
	table := pgx.Identifier{schema, "schema_migrations"}.Sanitize()

	var applied []int
	err = inTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", key); err != nil {
			return err
		}
		// Checking first lets a role without the CREATE privilege open a
		// schema that an operator has set up.
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", schema).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+qschema); err != nil {
				return err
			}
		}
		if err := tx.QueryRow(ctx, "SELECT pg_catalog.to_regclass($1) IS NOT NULL", table).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := tx.Exec(ctx, "CREATE TABLE IF NOT EXISTS "+table+
				" (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, "SELECT version FROM "+table+" ORDER BY version")
		if err != nil {
			return err
		}
		applied, err = pgx.CollectRows(rows, pgx.RowTo[int])
		return err
	})
	if err != nil {
		return ctxError(ctx, "migrate schema "+schema, err)
	}
	if len(applied) > 0 && applied[len(applied)-1] > known {
		return &versionError{schema: schema, have: applied[len(applied)-1], known: known}
	}
	for _, m := range ms {
		if _, ok := slices.BinarySearch(applied, m.version); ok {
			continue
		}
		done, err := apply(ctx, pool, schema, key, m)
		if err != nil {
			return err
		}
		if done && log != nil {
			log.InfoContext(ctx, "pgstore: applied migration", slog.String("schema", schema), slog.String("migration", m.name))
		}
	}
	return nil
}

// apply applies m in its own transaction, unless a concurrent run applied
// it first. It reports whether it applied m.
func apply(ctx context.Context, pool *pgxpool.Pool, schema string, key int64, m migration) (bool, error) {
	table := pgx.Identifier{schema, "schema_migrations"}.Sanitize()
	applied := false
	err := inTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", key); err != nil {
			return err
		}
		var done bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE version = $1)", m.version).Scan(&done); err != nil {
			return err
		}
		if done {
			return nil
		}
		if _, err := tx.Exec(ctx, "SET LOCAL search_path TO "+pgx.Identifier{schema}.Sanitize()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("apply %s: %w", m.name, err)
		}
		_, err := tx.Exec(ctx, "INSERT INTO "+table+" (version, name, applied_at) VALUES ($1, $2, now())", m.version, m.name)
		applied = err == nil
		return err
	})
	if err != nil {
		return false, ctxError(ctx, "migrate schema "+schema, err)
	}
	return applied, nil
}

// lockKey returns the advisory lock key that serialises the migrations of
// schema.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("aimskit/pgstore migrate " + schema))
	return int64(h.Sum64())
}

// inTx runs fn in a read-committed transaction and commits it if fn
// returns nil; otherwise it rolls it back. If ctx is done, pgx closes the
// connection instead of rolling back, which has the same effect.
func inTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return err
	}
	// A no-op after Commit; otherwise the error of fn is the one to report.
	defer tx.Rollback(ctx)
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Migrate connects to the database named by dsn and applies the embedded
// migrations to [Options.Schema], as [Open] does, then disconnects. It
// lets operators migrate ahead of a deploy, with a role that may change
// the schema, and run the application with one that may not. The Clock
// of opts is not used; opts may be nil.
//
// Migrate is idempotent and safe to run concurrently with itself and with
// Open, in any number of processes. It returns an error matching
// [ErrSchemaVersion] if the database was migrated by a newer aimskit.
func Migrate(ctx context.Context, dsn string, opts *Options) error {
	pool, err := connect(ctx, dsn, opts, 1)
	if err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	pool.Close()
	return nil
}
