// Package pgstore keeps aimskit's governance documents, and its evidence,
// in PostgreSQL, for applications that run as several instances and must
// share one view of their AI management system. [Driver] is a
// [store.Driver] and a [store.Watcher]: every instance reads and writes
// the same documents, and each one learns of the others' changes within
// moments.
// The package also holds an evidence log, [Log], opened with [OpenLog],
// that many instances append to at once. Together with aims.Manager,
// they let every instance's Guard see a suspension that another instance
// wrote within moments, and keep one verifiable record of all instances'
// decisions.
//
// [Open] connects and returns the [store.Store] in front of a Driver
// ([OpenDriver] returns the Driver alone, for [store.New]):
//
//	s, err := pgstore.Open(ctx, "postgres://aimskit@db.internal:5432/governance?sslmode=verify-full", nil)
//
// The DSN is a libpq connection string, as a URL or as key=value pairs
// ("host=db.internal user=aimskit dbname=governance"), in the syntax of
// pgx, which adds settings such as pool_max_conns; the PG* environment
// variables fill in what it omits. Errors about a DSN do not show its
// password.
//
// # Schema and migrations
//
// The tables live in one PostgreSQL schema, [Options.Schema] ("aimskit"
// unless set), so that applications can share a database without sharing
// documents. The package embeds the migrations that create and change its
// tables; [Open] and [OpenLog] apply the ones the schema lacks, recording
// each in the table schema_migrations. Applying them is idempotent and
// safe when several processes open the same schema at once: an advisory
// lock makes them take turns, and each migration is one transaction.
// [Migrate] applies them ahead of a deploy, for example with a role that
// may change the schema while the application's role may not. A database
// migrated by a newer aimskit is refused with an error matching
// [ErrSchemaVersion] rather than used with tables this code does not know.
//
// # Documents and history
//
// The documents table holds the current revision of each document, its
// data kept byte for byte as written; the history table holds every
// revision, including deletes, with its actor, time, reason and digest.
// Each [Driver.Put] and [Driver.Delete] is one transaction that locks the
// document's row, checks the revision the caller read (optimistic
// concurrency: a stale write is refused with a [*store.ConflictError]),
// writes the row and appends the history entry. This serves ISO/IEC 42001
// clause 7.5.3 (control of documented information): documents are
// protected from unintended change and every change is recorded and kept,
// across all instances of the application; the actor and reason of each
// [store.Write] provide the identification and review of clause 7.5.2.
// Times are those of [Options.Clock], kept in UTC to the microsecond.
//
// # Watching
//
// Each write also sends a PostgreSQL notification (NOTIFY) on the channel
// "aimskit:" followed by the schema name, delivered when the transaction
// commits. [Driver.Watch], which store.Store.Watch calls, listens (LISTEN)
// on a connection of its own and calls its function for every change, made
// by any driver on the schema.
// It calls the function with the zero [store.Notification], meaning that
// changes may have been missed and that the caller should read again what
// it keeps, once it starts listening and again each time it has connected
// anew after losing its connection.
//
// # Evidence
//
// [Log] is an [evidence.Sink] for a fleet: every instance opens it with
// [OpenLog] on the same schema and appends, and the records form one hash
// chain and one RFC 6962 Merkle tree, in the format of [evidence.FileLog].
// Each append takes a transaction-level advisory lock, so appends from
// all instances are serialised into one order however many run at once;
// the lock goes with the transaction, so a connection that dies mid-append
// leaves neither a half-written batch nor a held lock. Checkpoints are
// signed with [LogOptions.Signer], as the file log signs them, and stored
// beside the records. Triggers refuse UPDATE, DELETE and TRUNCATE on both
// tables. [Log.Verify] checks the table as [evidence.Verify] checks a file
// and names the first record that is not as written.
//
// [Log.ExportFile] writes any range of records as a JSON Lines file with
// its checkpoints and, for a range that starts after the first record,
// the chain state before it (see [evidence.StartSuffix]): a file that
// [evidence.VerifyFile] and `aimskit evidence verify` check like a file
// log, given that start state explicitly ([evidence.VerifyOptions.Start],
// `--start`), for an auditor who has no access to the database.
//
// The command aimskit-pg (nested module
// github.com/aimskit/aimskit/cmd/aimskit-pg) applies the migrations,
// imports a governance folder, and verifies and exports the log from a
// shell.
//
// The log serves ISO/IEC 42001 clause 7.5.3 and controls A.6.2.8 (event
// logs of the AI system) and A.8.4 (records of incidents), and the EU AI
// Act's Art. 12, 19 and 26(6) record keeping, for an application that runs
// as many instances.
//
// # When the database is down
//
// A fleet keeps governing while its database is away, and fails closed
// where it cannot:
//
//   - An aims.Recorder on a Log with a Retry policy
//     (evidence.RetryBackoff) keeps the decisions it could not write, in
//     order, retries them, and fills its buffer; once the buffer is full,
//     its evidence.FullPolicy applies (block the caller, drop and count,
//     or return evidence.ErrBufferFull). When the database is back, the buffer
//     drains in order and the chain verifies. Appends are idempotent per
//     record id, so a batch retried after a lost acknowledgement is stored
//     once.
//   - An aims.Manager on a Store keeps its last view: its Guard answers
//     from the last snapshot, so a system suspended before the outage stays
//     refused. Reload returns the error and changes nothing. Watch
//     reconnects and reloads once it is back.
//   - A gate whose evidence goes to a Log cannot record its decision and so
//     does not allow (aims.ErrNotRecorded); Suspend and Resume fail with
//     the database's error.
//
// # Errors
//
// Errors match the sentinels of package store ([store.ErrNotFound],
// [store.ErrConflict], [store.ErrInvalid], [store.ErrClosed]) with
// [errors.Is], or the context's error. A revision conflict is a
// [*store.ConflictError]. [Open] and [Migrate] return an error matching
// [ErrSchemaVersion] for a schema migrated by a newer aimskit. Errors from
// the database are wrapped and can be examined with [errors.As], for
// example as a [*pgconn.PgError].
//
// When the database is down or unreachable, calls return errors; they do
// not retry. Because each write is one transaction, a write that fails,
// or is cancelled, leaves nothing half-written: neither the document nor
// its history changes. A write whose commit was sent but whose answer was
// lost with the connection may or may not have been made; read the
// document again to find out. Watch keeps trying to reconnect, as
// described above.
//
// # Concurrency
//
// A [Driver] is safe for concurrent use by multiple goroutines, and any
// number of drivers, in any number of processes, may use one schema at
// once: PostgreSQL's row locks order the writes to each document. Each
// Driver has a pool of connections; Watch uses one more, its own, per
// call.
//
// # Stability
//
// The package is at v0: names may still change before v1. The tables are
// changed only by new migrations, which later versions apply on [Open].
package pgstore
