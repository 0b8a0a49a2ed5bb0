package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultSchema is the default of [Options.Schema].
const DefaultSchema = "aimskit"

// DefaultConnectTimeout is the default of [Options.ConnectTimeout].
const DefaultConnectTimeout = 10 * time.Second

// Options configures the store that [Open] returns and the driver that
// [OpenDriver] returns. A nil *Options is the same as the zero value,
// which gives the defaults.
type Options struct {
	// Schema is the PostgreSQL schema that holds the tables, created if
	// it does not exist. It must be a plain lower-case identifier: a
	// letter or '_', then up to 62 letters, digits or '_', not starting
	// with "pg_". Empty means [DefaultSchema]. Applications that share a
	// database but not their documents use different schemas.
	Schema string
	// Clock returns the time recorded for each write. Nil means
	// [time.Now]. It must be safe for concurrent use. It is the
	// [store.Options.Clock] of the store that [Open] returns; [OpenDriver]
	// ignores it. The driver keeps times in UTC to the microsecond, the
	// precision of PostgreSQL.
	Clock func() time.Time
	// Logger receives diagnostics: migrations applied, and lost
	// connections and ignored notifications in [Driver.Watch]. Nil means
	// silent.
	Logger *slog.Logger
	// ConnectTimeout limits each attempt to connect to the server, and
	// the whole of the first connection made by [Open] and [Migrate]. Zero
	// or less means the connect_timeout of the DSN if it has one, and
	// otherwise [DefaultConnectTimeout].
	ConnectTimeout time.Duration
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// resolve returns a copy of o with the defaults filled in, or an error if
// the schema is not valid. o may be nil.
func (o *Options) resolve() (Options, error) {
	var r Options
	if o != nil {
		r = *o
	}
	if r.Schema == "" {
		r.Schema = DefaultSchema
	}
	if err := checkSchema(r.Schema); err != nil {
		return r, err
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	return r, nil
}

// checkSchema reports whether schema is a schema name this package
// accepts.
func checkSchema(schema string) error {
	switch {
	case !schemaName.MatchString(schema):
		return fmt.Errorf("invalid schema %q: must be a lower-case identifier: a letter or '_', then up to 62 letters, digits or '_'", schema)
	case strings.HasPrefix(schema, "pg_"):
		return fmt.Errorf("invalid schema %q: names starting with \"pg_\" are reserved by PostgreSQL", schema)
	}
	return nil
}

// channelName returns the notification channel of schema: "aimskit:"
// followed by the schema, shortened with a hash to the 63 bytes that
// PostgreSQL allows.
func channelName(schema string) string {
	const max = 63
	c := "aimskit:" + schema
	if len(c) <= max {
		return c
	}
	h := fnv.New32a()
	h.Write([]byte(schema))
	suffix := fmt.Sprintf("_%08x", h.Sum32())
	return c[:max-len(suffix)] + suffix
}

// connect connects to the database at dsn for opts (nil for the
// defaults) and applies the migrations to opts.Schema. It uses a pool of
// at most maxConns connections, or if maxConns is 0 the DSN's
// pool_max_conns or the pgx default, and checks that the server answers
// within the connect timeout. Its errors do not start with "pgstore:": the
// caller adds its operation.
func connect(ctx context.Context, dsn string, opts *Options, maxConns int32) (*pgxpool.Pool, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// Not wrapped: the pgx error keeps the DSN, password included.
		return nil, fmt.Errorf("invalid DSN: %s", redact(dsn, err.Error()))
	}
	switch {
	case o.ConnectTimeout > 0:
		cfg.ConnConfig.ConnectTimeout = o.ConnectTimeout
	case cfg.ConnConfig.ConnectTimeout <= 0:
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	timeout := cfg.ConnConfig.ConnectTimeout
	where := "connect to " + address(&cfg.ConnConfig.Config)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, ctxError(ctx, where, err)
	}
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		if ctx.Err() == nil && pctx.Err() != nil {
			return nil, fmt.Errorf("%s: no answer within %v: %w", where, timeout, err)
		}
		return nil, ctxError(ctx, where, err)
	}
	if err := migrateLogging(ctx, pool, o.Schema, o.Logger); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// address returns the host:port pairs of cfg, for error messages.
func address(cfg *pgconn.Config) string {
	one := func(host string, port uint16) string {
		p := strconv.Itoa(int(port))
		if strings.HasPrefix(host, "/") {
			return host + " port " + p // a Unix socket folder
		}
		return net.JoinHostPort(host, p)
	}
	addrs := []string{one(cfg.Host, cfg.Port)}
	for _, f := range cfg.Fallbacks {
		if a := one(f.Host, f.Port); a != addrs[len(addrs)-1] {
			addrs = append(addrs, a)
		}
	}
	return strings.Join(addrs, ",")
}

var (
	kvPassword  = regexp.MustCompile(`(?:^|\s)(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)
	urlPassword = regexp.MustCompile(`(?i)[?&](?:ssl)?password=([^&#]*)`)
)

// redact replaces in msg every string that dsn may hold as a password,
// for an error message about dsn. It errs on the side of hiding too much.
func redact(dsn, msg string) string {
	var secrets []string
	add := func(s string) {
		if s == "" {
			return
		}
		secrets = append(secrets, s)
		if u, err := url.PathUnescape(s); err == nil && u != s {
			secrets = append(secrets, u)
		}
		if u, err := url.QueryUnescape(s); err == nil && u != s {
			secrets = append(secrets, u)
		}
	}
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if colon := strings.Index(rest[:at], ":"); colon >= 0 {
				add(rest[colon+1 : at])
			}
		}
		for _, m := range urlPassword.FindAllStringSubmatch(dsn, -1) {
			add(m[1])
		}
	}
	for _, m := range kvPassword.FindAllStringSubmatch(dsn, -1) {
		add(m[1])
		if v := m[1]; len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			add(v[1 : len(v)-1])
			add(strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(v[1 : len(v)-1]))
		}
	}
	// Longest first, so that a password is not half replaced by a shorter
	// form of itself.
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, s := range secrets {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	return msg
}

// dbError returns err from a database call made for op, as an error that
// starts with "pgstore: op:" and matches both err and, if ctx is done, the
// context's error.
func dbError(ctx context.Context, op string, err error) error {
	return ctxError(ctx, "pgstore: "+op, err)
}

// ctxError returns err prefixed with msg, matching both err and, if ctx is
// done, the context's error.
func ctxError(ctx context.Context, msg string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%s: %w (%w)", msg, cerr, err)
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// Driver is a [store.Driver] and a [store.Watcher] that keeps documents
// in PostgreSQL; see the package documentation.
//
// The zero value is not usable: [OpenDriver] returns a Driver. A Driver
// is safe for concurrent use by multiple goroutines, and several drivers,
// in one process or many, may share a schema. Give it to [store.New],
// which calls its methods with valid arguments; the store's Close
// releases its connections.
type Driver struct {
	pool    *pgxpool.Pool
	connCfg *pgx.ConnConfig // for the connections of Watch
	schema  string
	channel string
	log     *slog.Logger
	sql     queries

	// wmu guards the cancel functions of the running Watch calls, which
	// Close calls without waiting for mu.
	wmu      sync.Mutex
	wclosed  bool
	wnext    int
	watchers map[int]context.CancelFunc

	// onListen, if set, is called by Watch with the process id of the
	// server backend each time it starts listening.
	onListen func(pid uint32)
}

var (
	_ store.Driver  = (*Driver)(nil)
	_ store.Watcher = (*Driver)(nil)
)

// queries holds the SQL of a Store, with its schema's table names.
type queries struct {
	get, list, lock, last, insert, update, del, record, history string
}

func newQueries(schema string) queries {
	docs := pgx.Identifier{schema, "documents"}.Sanitize()
	hist := pgx.Identifier{schema, "history"}.Sanitize()
	return queries{
		get: "SELECT revision, data, updated, updated_by FROM " + docs + " WHERE kind = $1 AND id = $2",
		list: "SELECT kind, id, revision, data, updated, updated_by FROM " + docs +
			" WHERE ($1 = '' OR kind = $1) AND (coalesce(cardinality($2::text[]), 0) = 0 OR id = ANY ($2::text[]))" +
			` ORDER BY kind COLLATE "C", id COLLATE "C"`,
		lock: "SELECT revision FROM " + docs + " WHERE kind = $1 AND id = $2 FOR UPDATE",
		last: "SELECT coalesce(max(revision), 0) FROM " + hist + " WHERE kind = $1 AND id = $2",
		insert: "INSERT INTO " + docs + " (kind, id, revision, data, updated, updated_by) VALUES ($1, $2, $3, $4, $5, $6)" +
			" ON CONFLICT (kind, id) DO NOTHING",
		update: "UPDATE " + docs + " SET revision = $3, data = $4, updated = $5, updated_by = $6 WHERE kind = $1 AND id = $2",
		del:    "DELETE FROM " + docs + " WHERE kind = $1 AND id = $2",
		record: "INSERT INTO " + hist + ` (kind, id, revision, op, "time", actor, reason, digest, data)` +
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		history: `SELECT revision, op, "time", actor, reason, digest, data FROM ` + hist +
			" WHERE kind = $1 AND id = $2 ORDER BY revision",
	}
}

// Open connects to the PostgreSQL database named by dsn, checks that the
// server answers within [Options.ConnectTimeout], applies the migrations
// that [Options.Schema] lacks (see [Migrate]) and returns the store. opts
// may be nil. Close the store to release its connections.
//
// dsn is a libpq connection string, as a URL
// ("postgres://user:password@host:5432/db?sslmode=verify-full") or as
// key=value pairs ("host=db user=aimskit dbname=aimskit"), with the
// extensions of pgx (such as pool_max_conns); the PG* environment
// variables fill in what it omits. An invalid dsn gives an error that says
// what is wrong without showing the password. Open returns an error
// matching [ErrSchemaVersion] if the database was migrated by a newer
// aimskit.
//
// Open is [OpenDriver] followed by [store.New]. To reach the driver's own
// methods, call those two instead.
func Open(ctx context.Context, dsn string, opts *Options) (*store.Store, error) {
	d, err := OpenDriver(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	var so store.Options
	if opts != nil {
		so.Clock = opts.Clock
	}
	return store.New(d, &so), nil
}

// OpenDriver connects to the database as [Open] does and returns its
// driver, for [store.New].
func OpenDriver(ctx context.Context, dsn string, opts *Options) (*Driver, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	pool, err := connect(ctx, dsn, &o, 0)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	connCfg := pool.Config().ConnConfig
	o.Logger.DebugContext(ctx, "pgstore: opened", slog.String("schema", o.Schema),
		slog.String("server", address(&connCfg.Config)))
	return &Driver{
		pool:     pool,
		connCfg:  connCfg,
		schema:   o.Schema,
		channel:  channelName(o.Schema),
		log:      o.Logger,
		sql:      newQueries(o.Schema),
		watchers: make(map[int]context.CancelFunc),
	}, nil
}

// Close ends the running [Driver.Watch] calls and closes the driver's
// connections. The [store.Store] calls it once the other calls in
// progress have returned. Close may be called again and then returns nil.
func (s *Driver) Close() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.wclosed {
		return nil
	}
	s.wclosed = true
	for _, cancel := range s.watchers {
		cancel()
	}
	s.watchers = nil
	s.pool.Close()
	return nil
}

// timeOf returns the time of a write as PostgreSQL keeps it.
func timeOf(c store.Commit) time.Time {
	return c.Time.UTC().Truncate(time.Microsecond)
}

// Get returns the current revision of a document; see [store.Driver].
func (s *Driver) Get(ctx context.Context, kind, id string) (*store.Document, error) {
	d := &store.Document{Kind: kind, ID: id}
	err := s.pool.QueryRow(ctx, s.sql.get, kind, id).Scan(&d.Revision, &d.Data, &d.Updated, &d.UpdatedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgstore: get %s/%s: %w", kind, id, store.ErrNotFound)
	}
	if err != nil {
		return nil, dbError(ctx, "get "+kind+"/"+id, err)
	}
	d.Updated = d.Updated.UTC()
	return d, nil
}

// List returns the documents of f's kind and ids, sorted by kind and then
// by id (byte-wise); see [store.Driver]. The database selects by kind and
// id; the [store.Store] matches the labels.
func (s *Driver) List(ctx context.Context, f store.Filter) ([]*store.Document, error) {
	ids := f.IDs
	if ids == nil {
		ids = []string{}
	}
	rows, err := s.pool.Query(ctx, s.sql.list, f.Kind, ids)
	if err != nil {
		return nil, dbError(ctx, "list", err)
	}
	docs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*store.Document, error) {
		d := new(store.Document)
		err := row.Scan(&d.Kind, &d.ID, &d.Revision, &d.Data, &d.Updated, &d.UpdatedBy)
		d.Updated = d.Updated.UTC()
		return d, err
	})
	if err != nil {
		return nil, dbError(ctx, "list", err)
	}
	return docs, nil
}

// notification is the payload of the notification sent for each write.
type notification struct {
	Kind     string   `json:"kind"`
	ID       string   `json:"id"`
	Revision int64    `json:"revision"`
	Op       store.Op `json:"op"`
}

// Put writes doc and returns the stored document; see [store.Driver].
// The data is kept byte for byte as given. The write, its history entry
// and its notification (see [Driver.Watch]) are one transaction. An actor
// or reason that a PostgreSQL text column cannot hold (invalid UTF-8, NUL
// characters) is refused with an error matching [store.ErrInvalid].
func (s *Driver) Put(ctx context.Context, doc *store.Document, c store.Commit) (*store.Document, error) {
	if err := checkText(c); err != nil {
		return nil, fmt.Errorf("pgstore: put %s/%s: %w", doc.Kind, doc.ID, err)
	}
	kind, id, want := doc.Kind, doc.ID, c.Check.Want
	stored := &store.Document{
		Kind:      kind,
		ID:        id,
		Data:      doc.Data, // the Store's copy
		Updated:   timeOf(c),
		UpdatedBy: c.Actor,
	}
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		// A create that loses a race with a concurrent create finds the
		// row on its next turn; more turns mean other writers keep
		// creating and deleting the document.
		for range 3 {
			var have int64
			err := tx.QueryRow(ctx, s.sql.lock, kind, id).Scan(&have)
			exists := err == nil
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if err := c.Check.Check(have); err != nil {
				return err
			}
			if exists {
				stored.Revision = have + 1
				if _, err := tx.Exec(ctx, s.sql.update, kind, id, stored.Revision, stored.Data, stored.Updated, stored.UpdatedBy); err != nil {
					return err
				}
			} else {
				var last int64 // of a deleted document, or 0
				if err := tx.QueryRow(ctx, s.sql.last, kind, id).Scan(&last); err != nil {
					return err
				}
				stored.Revision = last + 1
				tag, err := tx.Exec(ctx, s.sql.insert, kind, id, stored.Revision, stored.Data, stored.Updated, stored.UpdatedBy)
				if err != nil {
					return err
				}
				if tag.RowsAffected() == 0 {
					continue // created concurrently: read it again
				}
			}
			return s.record(ctx, tx, store.Change{
				Kind: kind, ID: id, Revision: stored.Revision, Op: store.OpPut, Time: stored.Updated,
				Actor: c.Actor, Reason: c.Reason, Digest: store.Digest(stored.Data), Data: stored.Data,
			})
		}
		return errors.New("the document was created and deleted concurrently too often, try again")
	})
	if err != nil {
		return nil, s.writeError(ctx, store.OpPut, kind, id, want, stored.Revision, err)
	}
	return stored, nil
}

// Delete removes a document and records the delete in its history; see
// [store.Driver]. The delete, its history entry and its notification are
// one transaction.
func (s *Driver) Delete(ctx context.Context, kind, id string, c store.Commit) error {
	if err := checkText(c); err != nil {
		return fmt.Errorf("pgstore: delete %s/%s: %w", kind, id, err)
	}
	now, revision := timeOf(c), c.Check.Want
	var have int64
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, s.sql.lock, kind, id).Scan(&have)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("pgstore: delete %s/%s: %w", kind, id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := c.Check.Check(have); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, s.sql.del, kind, id); err != nil {
			return err
		}
		return s.record(ctx, tx, store.Change{
			Kind: kind, ID: id, Revision: have + 1, Op: store.OpDelete, Time: now,
			Actor: c.Actor, Reason: c.Reason,
		})
	})
	if err != nil {
		return s.writeError(ctx, store.OpDelete, kind, id, revision, have+1, err)
	}
	return nil
}

// record appends c to the history and sends its notification, which
// PostgreSQL delivers when tx commits.
func (s *Driver) record(ctx context.Context, tx pgx.Tx, c store.Change) error {
	_, err := tx.Exec(ctx, s.sql.record, c.Kind, c.ID, c.Revision, string(c.Op), c.Time, c.Actor, c.Reason, c.Digest, c.Data)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(notification{Kind: c.Kind, ID: c.ID, Revision: c.Revision, Op: c.Op})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "SELECT pg_notify($1, $2)", s.channel, string(payload))
	return err
}

// writeError returns the error of a write that failed with err. A
// conflict or a missing document is returned as is. A unique violation
// means that another writer recorded revision rev first; it becomes a
// [*store.ConflictError].
func (s *Driver) writeError(ctx context.Context, op store.Op, kind, id string, want, rev int64, err error) error {
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return err
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok && pe.Code == "23505" && ctx.Err() == nil {
		return &store.ConflictError{Op: op, Kind: kind, ID: id, Want: want, Have: rev}
	}
	return dbError(ctx, string(op)+" "+kind+"/"+id, err)
}

// History returns the changes of a document, oldest first; see
// [store.Driver].
func (s *Driver) History(ctx context.Context, kind, id string) ([]store.Change, error) {
	rows, err := s.pool.Query(ctx, s.sql.history, kind, id)
	if err != nil {
		return nil, dbError(ctx, "history "+kind+"/"+id, err)
	}
	changes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Change, error) {
		c := store.Change{Kind: kind, ID: id}
		var op string
		err := row.Scan(&c.Revision, &op, &c.Time, &c.Actor, &c.Reason, &c.Digest, &c.Data)
		c.Op = store.Op(op)
		c.Time = c.Time.UTC()
		return c, err
	})
	if err != nil {
		return nil, dbError(ctx, "history "+kind+"/"+id, err)
	}
	if len(changes) == 0 {
		return nil, fmt.Errorf("pgstore: history %s/%s: %w", kind, id, store.ErrNotFound)
	}
	return changes, nil
}

// checkText refuses an actor or reason that a PostgreSQL text column
// cannot hold: invalid UTF-8 and NUL characters.
func checkText(c store.Commit) error {
	for _, f := range []struct{ name, value string }{{"actor", c.Actor}, {"reason", c.Reason}} {
		if !utf8.ValidString(f.value) || strings.ContainsRune(f.value, 0) {
			return fmt.Errorf("invalid write: %s is not UTF-8 text without NUL characters: %w", f.name, store.ErrInvalid)
		}
	}
	return nil
}
