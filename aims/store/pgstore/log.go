package pgstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/mod/sumdb/note"

	"github.com/aimskit/aimskit/aims/evidence"
)

// LogOptions configures a [Log]. A nil *LogOptions is the same as the zero
// value, which gives the defaults.
type LogOptions struct {
	// Schema is the PostgreSQL schema that holds the log's tables, as for
	// [Options.Schema]. Empty means "aimskit".
	Schema string
	// Signer signs the log's checkpoints; its name is the log's origin.
	// See [evidence.NewNoteSigner]. Every instance that appends to one log
	// must use the same key. Nil means no checkpoints: the log is then
	// protected by its hash links alone.
	Signer note.Signer
	// CheckpointEvery is the number of records after which an append
	// writes a checkpoint. Zero means [evidence.DefaultCheckpointEvery];
	// a negative value means no checkpoint by count.
	CheckpointEvery int
	// ConnectTimeout bounds connecting to the database. Zero means 10
	// seconds.
	ConnectTimeout time.Duration
	// MaxConns is the largest number of connections the log opens. Zero
	// means 4.
	MaxConns int32
	// Logger receives diagnostics. Nil means silent.
	Logger *slog.Logger
}

// Log is an evidence log in PostgreSQL that many application instances
// append to at once: one hash chain and one Merkle tree, in the format of
// [evidence.FileLog], so that an export of it verifies with
// [evidence.Verify] and `aimskit evidence verify`.
//
// Each [Log.Append] is one transaction that takes a transaction-level
// advisory lock on the log, reads the head (the chain state after the last
// record), writes the records' lines linked to it, writes a signed
// checkpoint when one is due and moves the head. Appends from any number
// of instances are thus serialised into one chain, and a failed or
// interrupted append leaves nothing behind. Triggers refuse UPDATE, DELETE
// and TRUNCATE on the records and checkpoints.
//
// Appending is idempotent per record id: records whose ids the log already
// holds are skipped. An append whose commit was sent but not acknowledged,
// because the connection broke, may have been committed; writing the same
// records again, as an aims.Recorder with a Retry policy does, then
// neither loses nor duplicates them.
//
// A Log is safe for concurrent use. The zero value is not usable; use
// [OpenLog].
type Log struct {
	pool    *pgxpool.Pool
	schema  string
	signer  note.Signer
	every   int64
	logger  *slog.Logger
	lockKey int64

	mu     sync.RWMutex
	closed bool
}

var _ interface {
	evidence.Sink
	evidence.Closer
} = (*Log)(nil)

var _ evidence.BatchSink = (*Log)(nil)

// OpenLog connects to the database at dsn, applies the migrations (see
// [Migrate]) and returns the log kept in opts.Schema. opts may be nil.
func OpenLog(ctx context.Context, dsn string, opts *LogOptions) (*Log, error) {
	var o LogOptions
	if opts != nil {
		o = *opts
	}
	if o.Schema == "" {
		o.Schema = DefaultSchema
	}
	if o.CheckpointEvery == 0 {
		o.CheckpointEvery = evidence.DefaultCheckpointEvery
	}
	if o.MaxConns == 0 {
		o.MaxConns = 4
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Signer != nil && !validOrigin(o.Signer.Name()) {
		return nil, fmt.Errorf("pgstore: open log: signer name %q is not a valid origin", o.Signer.Name())
	}
	pool, err := connect(ctx, dsn, &Options{Schema: o.Schema, ConnectTimeout: o.ConnectTimeout, Logger: o.Logger}, o.MaxConns)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open log: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("aimskit evidence log " + o.Schema))
	return &Log{
		pool:    pool,
		schema:  o.Schema,
		signer:  o.Signer,
		every:   int64(o.CheckpointEvery),
		logger:  o.Logger,
		lockKey: int64(h.Sum64()),
	}, nil
}

// validOrigin reports whether name can be a checkpoint origin: non-empty,
// without spaces or "+".
func validOrigin(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r == '+' || r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return false
		}
	}
	return true
}

// table returns the qualified, quoted name of one of the log's tables.
func (l *Log) table(name string) string { return pgx.Identifier{l.schema, name}.Sanitize() }

// Write appends r; see [Log.Append].
func (l *Log) Write(ctx context.Context, r *evidence.Record) error {
	_, err := l.Append(ctx, r)
	return err
}

// WriteBatch appends records in one transaction; see [Log.Append]. It
// implements [evidence.BatchSink], so that an [evidence.Buffered] sink or
// an aims.Recorder writes each batch in one transaction.
func (l *Log) WriteBatch(ctx context.Context, records []*evidence.Record) error {
	_, err := l.Append(ctx, records...)
	return err
}

// Append appends records to the log, in order, in one transaction, and
// returns the index of the first (or, if the log already held it, the
// index it has). Records the log already holds, by id, are skipped, as is
// a second record with the same id in one call. The records are neither
// modified nor retained.
//
// Append returns an error matching [evidence.ErrInvalid], and writes
// nothing, if a record is nil or invalid; the context's error, and writes
// nothing, if ctx is done when it starts; and [evidence.ErrClosed] after
// [Log.Close]. If the database cannot be reached, or the transaction
// fails, nothing is written.
func (l *Log) Append(ctx context.Context, records ...*evidence.Record) (int64, error) {
	for _, r := range records {
		if err := r.Validate(); err != nil {
			return -1, err
		}
	}
	if err := ctx.Err(); err != nil {
		return -1, fmt.Errorf("pgstore: append: %w", err)
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return -1, evidence.ErrClosed
	}
	first, err := l.append(ctx, records)
	if err != nil {
		return -1, fmt.Errorf("pgstore: append %d records: %w", len(records), err)
	}
	return first, nil
}

func (l *Log) append(ctx context.Context, records []*evidence.Record) (int64, error) {
	tx, err := l.pool.Begin(ctx)
	if err != nil {
		return -1, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	chain, cpSize, err := l.lockHead(ctx, tx)
	if err != nil {
		return -1, err
	}
	if len(records) == 0 {
		return chain.Size(), nil
	}

	ids := make([]pgtype.UUID, len(records))
	for i, r := range records {
		ids[i] = pgtype.UUID{Bytes: r.ID, Valid: true}
	}
	held := make(map[uuid.UUID]int64)
	rows, err := tx.Query(ctx, "SELECT record_id, idx FROM "+l.table("evidence")+" WHERE record_id = ANY($1)", ids)
	if err != nil {
		return -1, err
	}
	for rows.Next() {
		var id pgtype.UUID
		var idx int64
		if err := rows.Scan(&id, &idx); err != nil {
			rows.Close()
			return -1, err
		}
		held[id.Bytes] = idx
	}
	if err := rows.Err(); err != nil {
		return -1, err
	}

	first := int64(-1)
	var (
		lines []byte
		ends  []int
		rowsV [][]any
	)
	for i, r := range records {
		if idx, ok := held[r.ID]; ok {
			if first < 0 {
				first = idx
			}
			continue
		}
		idx := chain.Size()
		if first < 0 {
			first = idx
		}
		lines, err = chain.AppendLine(lines, r)
		if err != nil {
			return -1, err
		}
		ends = append(ends, len(lines))
		held[r.ID] = idx
		rowsV = append(rowsV, []any{idx, ids[i], nil})
	}
	if len(rowsV) == 0 {
		return first, tx.Commit(ctx)
	}
	start := 0
	for i, end := range ends {
		rowsV[i][2] = lines[start:end:end]
		start = end
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{l.schema, "evidence"}, []string{"idx", "record_id", "line"}, pgx.CopyFromRows(rowsV)); err != nil {
		return -1, err
	}
	if l.signer != nil && l.every > 0 && chain.Size()-cpSize >= l.every {
		signed, err := chain.Checkpoint(l.signer.Name()).Sign(l.signer)
		if err != nil {
			return -1, err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+l.table("evidence_checkpoints")+" (size, note) VALUES ($1, $2)", chain.Size(), signed); err != nil {
			return -1, err
		}
		cpSize = chain.Size()
	}
	if err := l.putHead(ctx, tx, chain, cpSize); err != nil {
		return -1, err
	}
	return first, tx.Commit(ctx)
}

// lockHead takes the log's transaction-level advisory lock, which orders
// every change to the log, and returns the head; see [Log.readHead].
func (l *Log) lockHead(ctx context.Context, tx pgx.Tx) (*evidence.Chain, int64, error) {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", l.lockKey); err != nil {
		return nil, 0, err
	}
	return l.readHead(ctx, tx)
}

// readHead returns the head of the log: the chain state after its last
// record (the empty chain for an empty log) and the size of its latest
// checkpoint.
func (l *Log) readHead(ctx context.Context, tx pgx.Tx) (*evidence.Chain, int64, error) {
	var chain evidence.Chain
	var cpSize int64
	var state []byte
	err := tx.QueryRow(ctx, "SELECT chain, checkpoint_size FROM "+l.table("evidence_head")).Scan(&state, &cpSize)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return &chain, 0, nil
	case err != nil:
		return nil, 0, err
	}
	if err := chain.UnmarshalBinary(state); err != nil {
		return nil, 0, fmt.Errorf("the log's head: %w", err)
	}
	return &chain, cpSize, nil
}

func (l *Log) putHead(ctx context.Context, tx pgx.Tx, chain *evidence.Chain, cpSize int64) error {
	state, err := chain.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "INSERT INTO "+l.table("evidence_head")+" (only_row, size, chain, checkpoint_size) VALUES (true, $1, $2, $3) "+
		"ON CONFLICT (only_row) DO UPDATE SET size = EXCLUDED.size, chain = EXCLUDED.chain, checkpoint_size = EXCLUDED.checkpoint_size",
		chain.Size(), state, cpSize)
	return err
}

// Checkpoint writes a signed checkpoint of the log as it is now, unless
// the latest checkpoint already covers every record, and returns the
// signed note. It returns an error matching [evidence.ErrInvalid] if the
// log has no signer or no records.
func (l *Log) Checkpoint(ctx context.Context) ([]byte, error) {
	if l.signer == nil {
		return nil, fmt.Errorf("pgstore: checkpoint: %w: the log has no signer", evidence.ErrInvalid)
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return nil, evidence.ErrClosed
	}
	var signed []byte
	err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		chain, cpSize, err := l.lockHead(ctx, tx)
		if err != nil {
			return err
		}
		if chain.Size() == 0 {
			return fmt.Errorf("%w: the log is empty", evidence.ErrInvalid)
		}
		if cpSize == chain.Size() {
			return tx.QueryRow(ctx, "SELECT note FROM "+l.table("evidence_checkpoints")+" WHERE size = $1", cpSize).Scan(&signed)
		}
		signed, err = chain.Checkpoint(l.signer.Name()).Sign(l.signer)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+l.table("evidence_checkpoints")+" (size, note) VALUES ($1, $2)", chain.Size(), signed); err != nil {
			return err
		}
		return l.putHead(ctx, tx, chain, chain.Size())
	})
	if err != nil {
		return nil, fmt.Errorf("pgstore: checkpoint: %w", err)
	}
	return signed, nil
}

// Len returns the number of records in the log.
func (l *Log) Len(ctx context.Context) (int64, error) {
	var n int64
	err := l.pool.QueryRow(ctx, "SELECT size FROM "+l.table("evidence_head")).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("pgstore: log length: %w", err)
	}
	return n, nil
}

// Export writes the records with indexes from up to, but not including,
// to, as JSON Lines: each line exactly as stored, followed by a newline. A
// negative to means the end of the log. The records come from one
// snapshot of the log, whatever is appended meanwhile.
//
// An export from 0 is a log that [evidence.Verify] and `aimskit evidence
// verify` check like a file log, with the checkpoints that
// [Log.ExportCheckpoints] writes for the same end. An export from a later
// index starts with a record whose "prev" is the link hash of the record
// before it; it is checked with the chain state before it, which
// [Log.StateBefore] returns. [Log.ExportFile] writes all of these files at once.
func (l *Log) Export(ctx context.Context, w io.Writer, from, to int64) error {
	if from < 0 {
		return fmt.Errorf("pgstore: export: %w: negative start %d", evidence.ErrInvalid, from)
	}
	err := l.readTx(ctx, func(tx pgx.Tx) error {
		size, err := headSize(ctx, tx, l.table("evidence_head"))
		if err != nil {
			return err
		}
		if to < 0 || to > size {
			to = size
		}
		return l.exportLines(ctx, tx, w, from, to, nil)
	})
	if err != nil {
		return fmt.Errorf("pgstore: export: %w", err)
	}
	return nil
}

// exportLines writes lines [from, to); last, if not nil, receives each
// line before the next is read.
func (l *Log) exportLines(ctx context.Context, tx pgx.Tx, w io.Writer, from, to int64, last func(idx int64, line []byte)) error {
	rows, err := tx.Query(ctx, "SELECT idx, line FROM "+l.table("evidence")+" WHERE idx >= $1 AND idx < $2 ORDER BY idx", from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	var buf []byte
	for rows.Next() {
		var idx int64
		var line []byte
		if err := rows.Scan(&idx, &line); err != nil {
			return err
		}
		if last != nil {
			last(idx, line)
		}
		buf = append(append(buf[:0], line...), '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ExportCheckpoints writes the signed checkpoints that cover at most to
// records (all of them for a negative to), in the format of a file log's
// checkpoints file (see [evidence.CheckpointsSuffix]).
func (l *Log) ExportCheckpoints(ctx context.Context, w io.Writer, to int64) error {
	err := l.readTx(ctx, func(tx pgx.Tx) error {
		return l.exportCheckpoints(ctx, tx, w, to)
	})
	if err != nil {
		return fmt.Errorf("pgstore: export checkpoints: %w", err)
	}
	return nil
}

func (l *Log) exportCheckpoints(ctx context.Context, tx pgx.Tx, w io.Writer, to int64) error {
	if to < 0 {
		to = 1<<63 - 1
	}
	rows, err := tx.Query(ctx, "SELECT note FROM "+l.table("evidence_checkpoints")+" WHERE size <= $1 ORDER BY size", to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var signed []byte
		if err := rows.Scan(&signed); err != nil {
			return err
		}
		line, err := evidence.CheckpointLine(signed)
		if err != nil {
			return err
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return rows.Err()
}

// StateBefore returns the state of the log's chain before the record at index
// from: the [evidence.Chain] of records 0 to from-1, which an export that
// begins at from continues. Its JSON form is the start file
// ([evidence.StartSuffix]) with which [evidence.VerifyFrom], VerifyFile and
// `aimskit evidence verify` check such an export. It reads the records
// before from, so it costs as much as exporting them.
func (l *Log) StateBefore(ctx context.Context, from int64) (*evidence.Chain, error) {
	var c *evidence.Chain
	err := l.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = l.stateBefore(ctx, tx, from)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pgstore: chain state before record %d: %w", from, err)
	}
	return c, nil
}

func (l *Log) stateBefore(ctx context.Context, tx pgx.Tx, from int64) (*evidence.Chain, error) {
	size, err := headSize(ctx, tx, l.table("evidence_head"))
	if err != nil {
		return nil, err
	}
	if from < 0 || from > size {
		return nil, fmt.Errorf("%w: the log holds %d records", evidence.ErrInvalid, size)
	}
	c := new(evidence.Chain)
	err = l.exportLines(ctx, tx, io.Discard, 0, from, func(_ int64, line []byte) { c.Add(line) })
	return c, err
}

// ExportFile writes the records with indexes from up to, but not including,
// to (the end of the log for a negative to) to the file at path, as JSON
// Lines, with the files beside it that make it a log [evidence.VerifyFile]
// and `aimskit evidence verify` check: path+[evidence.CheckpointsSuffix]
// with the signed checkpoints that cover at most to records and, if from is
// not 0, path+[evidence.StartSuffix] with the chain state before from (see
// [Log.StateBefore]). Everything comes from one snapshot of the log. Each file is
// written to a temporary file in the same folder, synced, and renamed to
// its name (mode 0600) only once all are written, so a failed export
// leaves no partial file and whatever was at path before stays. It returns
// the number of records written.
func (l *Log) ExportFile(ctx context.Context, path string, from, to int64) (n int64, err error) {
	if from < 0 {
		return 0, fmt.Errorf("pgstore: export %s: %w: negative start %d", path, evidence.ErrInvalid, from)
	}
	type file struct{ tmp, name string }
	var files []file
	defer func() {
		for _, f := range files {
			os.Remove(f.tmp) // gone already once renamed
		}
	}()
	create := func(name string, write func(w io.Writer) error) error {
		f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
		if err != nil {
			return err
		}
		files = append(files, file{f.Name(), name})
		bw := bufio.NewWriterSize(f, 64<<10)
		err = write(bw)
		if err == nil {
			err = bw.Flush()
		}
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	err = l.readTx(ctx, func(tx pgx.Tx) error {
		size, err := headSize(ctx, tx, l.table("evidence_head"))
		if err != nil {
			return err
		}
		if to < 0 || to > size {
			to = size
		}
		if from > to {
			return fmt.Errorf("%w: start %d is past the end %d", evidence.ErrInvalid, from, to)
		}
		if err := create(path, func(w io.Writer) error {
			return l.exportLines(ctx, tx, w, from, to, func(int64, []byte) { n++ })
		}); err != nil {
			return err
		}
		if err := create(path+evidence.CheckpointsSuffix, func(w io.Writer) error { return l.exportCheckpoints(ctx, tx, w, to) }); err != nil {
			return err
		}
		if from == 0 {
			return nil
		}
		c, err := l.stateBefore(ctx, tx, from)
		if err != nil {
			return err
		}
		state, err := c.MarshalJSON()
		if err != nil {
			return err
		}
		return create(path+evidence.StartSuffix, func(w io.Writer) error {
			_, err := w.Write(append(state, '\n'))
			return err
		})
	})
	if err == nil && from == 0 {
		// A start file left by an earlier export would make this one a range.
		if rerr := os.Remove(path + evidence.StartSuffix); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = rerr
		}
	}
	for i := 0; err == nil && i < len(files); i++ {
		err = os.Rename(files[i].tmp, files[i].name)
	}
	if err != nil {
		return 0, fmt.Errorf("pgstore: export %s: %w", path, err)
	}
	return n, nil
}

// Verify checks the whole log as [evidence.Verify] checks a file log, from
// one snapshot: every record's link to the one before it, and, with a
// verifierKey (see [evidence.NoteVerifierKey]), every stored checkpoint's
// signature and root hash. It also checks that the head, where the next
// append starts, agrees with the last record. A row changed, removed or
// inserted by hand gives a [*evidence.VerifyError] whose Index is the
// first record found wrong; checkpoints signed by another key, a
// [*evidence.KeyError]. An empty verifierKey skips the checkpoints.
// Records after the latest checkpoint are counted in
// [evidence.VerifyReport.Unanchored], not refused: a shared log is always
// being written.
func (l *Log) Verify(ctx context.Context, verifierKey string) (evidence.VerifyReport, error) {
	var rep evidence.VerifyReport
	err := l.readTx(ctx, func(tx pgx.Tx) error {
		chain, _, err := l.readHead(ctx, tx)
		if err != nil {
			return err
		}
		var cps io.Reader
		if verifierKey != "" {
			var b bytes.Buffer
			if err := l.exportCheckpoints(ctx, tx, &b, -1); err != nil {
				return err
			}
			cps = &b
		}
		pr, pw := io.Pipe()
		var lastLine []byte
		var rows int64
		done := make(chan error, 1)
		go func() {
			err := l.exportLines(ctx, tx, pw, 0, 1<<63-1, func(_ int64, line []byte) {
				lastLine = append(lastLine[:0], line...)
				rows++
			})
			pw.CloseWithError(err)
			done <- err
		}()
		rep, err = evidence.VerifyLog(ctx, pr, cps, &evidence.VerifyOptions{Key: verifierKey, MaxUnanchored: -1})
		pr.CloseWithError(errors.New("verify stopped reading"))
		if xerr := <-done; err == nil && xerr != nil {
			return xerr
		}
		if err != nil {
			return err
		}
		// Every line is linked; now the head must be where they end.
		switch {
		case rows != chain.Size():
			return &evidence.VerifyError{Index: min(rows, chain.Size()), Checkpoint: -1, Reason: evidence.ReasonMissingRecords,
				Detail: fmt.Sprintf("the head says the log holds %d records, the table holds %d", chain.Size(), rows)}
		case rows > 0 && evidence.LinkHash(lastLine) != chain.Prev():
			return &evidence.VerifyError{Index: rows - 1, Checkpoint: -1, Reason: evidence.ReasonBrokenLink,
				Detail: "the last record is not the one the head links to"}
		case rep.Root != chain.Root():
			return &evidence.VerifyError{Index: -1, Checkpoint: -1, Reason: evidence.ReasonRootMismatch,
				Detail: "the head's tree hash is not the tree hash of the records"}
		}
		return nil
	})
	if err != nil {
		var ve *evidence.VerifyError
		if errors.As(err, &ve) {
			return rep, err
		}
		return rep, fmt.Errorf("pgstore: verify: %w", err)
	}
	return rep, nil
}

// readTx runs fn in a read-only, repeatable-read transaction: one
// snapshot of the log.
func (l *Log) readTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return evidence.ErrClosed
	}
	return pgx.BeginTxFunc(ctx, l.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

func headSize(ctx context.Context, tx pgx.Tx, table string) (int64, error) {
	var n int64
	err := tx.QueryRow(ctx, "SELECT size FROM "+table).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// Close closes the log's connections. Appends after Close return
// [evidence.ErrClosed]. ctx is not used; it is there to satisfy
// [evidence.Closer].
func (l *Log) Close(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	l.pool.Close()
	return nil
}
