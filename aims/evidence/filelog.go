package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// SyncMode says when a [FileLog] asks the operating system to write its
// files to stable storage (fsync).
type SyncMode int

// The sync modes.
const (
	// SyncDefault is the zero SyncMode; it means [SyncBatch].
	SyncDefault SyncMode = iota
	// SyncNone never syncs while appending: records reach the operating
	// system with each append, and survive a crash of the process, but not
	// necessarily a crash of the machine, after which a checkpoint written
	// by an append may cover records that were lost. [FileLog.Flush],
	// [FileLog.Checkpoint] and [FileLog.Close] still sync.
	SyncNone
	// SyncBatch syncs the log after each call to [FileLog.Append] or
	// [FileLog.Write], and the checkpoints file after each checkpoint, so
	// that a record is on stable storage when the call returns.
	SyncBatch
)

// DefaultCheckpointEvery is the number of records between two checkpoints
// when [FileOptions.CheckpointEvery] is zero.
const DefaultCheckpointEvery = 1000

// CheckpointsSuffix is appended to a log's path to name the file that
// holds its signed checkpoints.
const CheckpointsSuffix = ".checkpoints"

// FileOptions configures a [FileLog]. A nil *FileOptions is the same as the
// zero value, which gives the defaults.
type FileOptions struct {
	// Sync says when the log is synced to stable storage. The zero value
	// means [SyncBatch].
	Sync SyncMode
	// Signer signs the log's checkpoints; its name is the log's origin.
	// See [NewNoteSigner]. Nil means that the log writes no checkpoints
	// and is protected by its hash links alone.
	Signer note.Signer
	// CheckpointEvery is the number of records after which a checkpoint is
	// written. Zero means [DefaultCheckpointEvery]; a negative value means
	// no checkpoint by count.
	CheckpointEvery int
	// CheckpointInterval, if positive, is the time after which a checkpoint
	// is due. The log starts no goroutine: a due checkpoint is written by
	// the next append. Zero means no checkpoint by time.
	CheckpointInterval time.Duration
	// Clock tells the time for CheckpointInterval. Nil means [time.Now].
	Clock func() time.Time
	// Logger receives diagnostics, such as the repair of a torn tail. Nil
	// means that they are discarded.
	Logger *slog.Logger
}

// FileLog is an append-only, tamper-evident evidence log in a file of
// JSON Lines, one [Record] per line.
//
// Each line holds in "prev" the [LinkHash] of the line before it
// ([Genesis] for the first), so that changing, removing, inserting or
// reordering lines breaks the chain. The lines are also the leaves of an
// RFC 6962 Merkle tree: with a [FileOptions.Signer], the log appends a
// signed [Checkpoint] of the tree to the file named by the log's path and
// [CheckpointsSuffix], one JSON object {"note": "<signed note>"} per line,
// every [FileOptions.CheckpointEvery] records, after
// [FileOptions.CheckpointInterval], when asked by [FileLog.Checkpoint] and
// on [FileLog.Close]. [Verify] checks a log; [FileLog.ProveInclusion] and
// [FileLog.ProveConsistency] give auditors proofs they can check with the
// log's verifier key alone.
//
// Only one FileLog may have a path open at a time, in any process. Complete
// lines once written are never rewritten; the only change other than
// appending is the removal of an incomplete tail: a torn tail on open (see
// [OpenFile]) or the part of a failed write (see [FileLog.Append]).
//
// A FileLog keeps the Merkle tree's hashes in memory, about 64 bytes per
// record. It is safe for concurrent use by multiple goroutines. The zero
// value is not usable; use [OpenFile].
type FileLog struct {
	path     string
	sync     SyncMode
	signer   note.Signer
	every    int64
	interval time.Duration
	clock    func() time.Time
	logger   *slog.Logger

	recovered int64
	encoders  sync.Pool // of *encoder

	mu     sync.Mutex
	f      *os.File
	cpf    *os.File // nil without a signer
	unlock func() error
	closed bool
	err    error // sticky: a write whose outcome is unknown
	size   int64 // bytes of complete lines
	n      int64 // records
	prev   [linkHashLen]byte
	tree   hashStore
	cp     Checkpoint // latest checkpoint, zero if none
	cpNote []byte     // its signed note
	cpTime time.Time  // when it was written, or when the log was opened
	buf    []byte
}

var _ interface {
	Sink
	Flusher
	Closer
} = (*FileLog)(nil)

// linkHashLen is the length of a [LinkHash].
const linkHashLen = len("sha256:") + 64

// OpenFile opens the log at path for appending, creating it (mode 0600) if
// it does not exist. opts may be nil.
//
// If the log ends in a torn tail, left by a crash in the middle of a
// write, OpenFile removes it: the bytes after the last newline, and the
// last line too if it is not valid JSON. It reports the number of bytes
// it removed by [FileLog.Recovered] and to [FileOptions.Logger]. It
// changes nothing else; OpenFile does not check the hash links (that is
// what [Verify] does).
//
// If another FileLog has path open, in this or another process, OpenFile
// returns an error matching [ErrLocked]. On Unix systems the lock is an
// flock(2) lock on the log file, which the system releases when the
// process ends; elsewhere it is a file named path+".lock", which stays
// behind if the process ends without [FileLog.Close].
func OpenFile(path string, opts *FileOptions) (*FileLog, error) {
	var o FileOptions
	if opts != nil {
		o = *opts
	}
	if o.Sync < SyncDefault || o.Sync > SyncBatch {
		return nil, invalidf("open %s: unknown sync mode %d", path, o.Sync)
	}
	if o.Sync == SyncDefault {
		o.Sync = SyncBatch
	}
	if o.Signer != nil && !validKeyName(o.Signer.Name()) {
		return nil, invalidf("open %s: signer name %q is not a valid origin", path, o.Signer.Name())
	}
	if o.CheckpointEvery == 0 {
		o.CheckpointEvery = DefaultCheckpointEvery
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	l := &FileLog{
		path:     path,
		sync:     o.Sync,
		signer:   o.Signer,
		every:    int64(o.CheckpointEvery),
		interval: o.CheckpointInterval,
		clock:    o.Clock,
		logger:   o.Logger,
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("evidence: open: %w", err)
	}
	unlock, err := lockFile(f, path)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	l.f, l.unlock = f, unlock
	fail := func(err error) (*FileLog, error) {
		_ = unlock()
		_ = f.Close()
		if l.cpf != nil {
			_ = l.cpf.Close()
		}
		return nil, err
	}
	if err := l.load(); err != nil {
		return fail(err)
	}
	if l.signer != nil {
		if err := l.loadCheckpoints(); err != nil {
			return fail(err)
		}
	}
	l.cpTime = l.clock()
	return l, nil
}

// load reads the log, computes its hashes and removes a torn tail.
func (l *FileLog) load() error {
	if _, err := l.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("evidence: open %s: %w", l.path, err)
	}
	lr := newLineReader(l.f)
	var (
		end, lastStart int64 // end of the last complete line, start of it
		last, before   []byte
	)
	for {
		line, complete, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("evidence: open %s: %w", l.path, err)
		}
		if !complete {
			break
		}
		l.tree.addLeaf(l.n, tlog.RecordHash(line))
		before, last = last, append(before[:0], line...)
		lastStart = end
		end += int64(len(line)) + 1
		l.n++
	}
	st, err := l.f.Stat()
	if err != nil {
		return fmt.Errorf("evidence: open %s: %w", l.path, err)
	}
	if l.n > 0 && !validJSON(last) {
		end = lastStart
		l.n--
		l.tree.truncate(tlog.StoredHashCount(l.n))
		last = before
	}
	if cut := st.Size() - end; cut > 0 {
		if err := l.f.Truncate(end); err != nil {
			return fmt.Errorf("evidence: open %s: remove torn tail: %w", l.path, err)
		}
		if err := l.f.Sync(); err != nil {
			return fmt.Errorf("evidence: open %s: remove torn tail: %w", l.path, err)
		}
		l.recovered = cut
		l.logger.Warn("evidence: removed the torn tail of a log",
			slog.String("path", l.path), slog.Int64("bytes", cut), slog.Int64("records", l.n))
	}
	l.size = end
	if l.n == 0 {
		copy(l.prev[:], Genesis)
	} else {
		copy(l.prev[:], appendLinkHash(nil, last))
	}
	return nil
}

// loadCheckpoints opens the checkpoints file, removes a torn tail and
// reads the latest checkpoint. It does not verify signatures.
func (l *FileLog) loadCheckpoints() error {
	name := l.path + CheckpointsSuffix
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("evidence: open: %w", err)
	}
	l.cpf = f
	lr := newLineReader(f)
	var end, lastStart int64
	bad, lastBad := 0, false
	for {
		line, complete, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("evidence: open %s: %w", name, err)
		}
		if !complete {
			break
		}
		lastStart = end
		end += int64(len(line)) + 1
		c, signed, err := parseCheckpointLine(line)
		if err != nil {
			bad++
			lastBad = true
			continue
		}
		lastBad = false
		l.cp, l.cpNote = c, signed
	}
	if lastBad {
		// The last line is torn, like a line without its newline.
		bad--
		end = lastStart
	}
	if bad > 0 {
		l.logger.Warn("evidence: the checkpoints file has malformed lines; Verify reports them",
			slog.String("path", name), slog.Int("lines", bad))
	}
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("evidence: open %s: %w", name, err)
	}
	if cut := st.Size() - end; cut > 0 {
		if err := f.Truncate(end); err != nil {
			return fmt.Errorf("evidence: open %s: remove torn tail: %w", name, err)
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("evidence: open %s: remove torn tail: %w", name, err)
		}
		l.logger.Warn("evidence: removed the torn tail of a checkpoints file",
			slog.String("path", name), slog.Int64("bytes", cut))
	}
	if l.cp.Size > l.n {
		l.logger.Warn("evidence: the latest checkpoint covers more records than the log holds",
			slog.String("path", l.path), slog.Int64("checkpoint_size", l.cp.Size), slog.Int64("records", l.n))
	}
	return nil
}

// parseCheckpointLine decodes one line of a checkpoints file without
// verifying the signature.
func parseCheckpointLine(line []byte) (Checkpoint, []byte, error) {
	var cl checkpointLine
	if err := strictUnmarshal(line, &cl); err != nil {
		return Checkpoint{}, nil, malformedf("checkpoint line: %v", err)
	}
	text, ok := splitNote([]byte(cl.Note))
	if !ok {
		return Checkpoint{}, nil, malformedf("checkpoint line: note has no signatures")
	}
	c, err := parseCheckpointText(text)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	return c, []byte(cl.Note), nil
}

func strictUnmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}

// Recovered returns the number of bytes of a torn tail that [OpenFile]
// removed from the log, or zero.
func (l *FileLog) Recovered() int64 { return l.recovered }

// Path returns the path of the log.
func (l *FileLog) Path() string { return l.path }

// Len returns the number of records in the log.
func (l *FileLog) Len() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

// LatestCheckpoint returns the latest signed checkpoint, as written to the
// checkpoints file, or nil if there is none. The caller owns the result.
func (l *FileLog) LatestCheckpoint() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.cpNote)
}

// Write appends r to the log; see [FileLog.Append].
func (l *FileLog) Write(ctx context.Context, r *Record) error {
	_, err := l.Append(ctx, r)
	return err
}

// Append appends records to the log, in order, as one write, and returns
// the index of the first (the number of records before it). It does not
// modify the records or retain them: the log writes each record with Prev
// set to the [LinkHash] of the line before it, whatever the record's own
// Prev field holds. Append then syncs, as [FileOptions.Sync] says, and
// writes a checkpoint if one is due.
//
// Append returns an error matching [ErrInvalid], and writes nothing, if a
// record is nil or invalid; it returns the context's error, and writes
// nothing, if ctx is done when it starts. If signing a due checkpoint
// fails, it writes nothing. If writing fails part way, Append removes what
// it wrote. If syncing, or writing the checkpoint after the records, fails,
// the records may be on disk or not; Append returns the error and the log
// refuses further appends until it is reopened.
func (l *FileLog) Append(ctx context.Context, records ...*Record) (int64, error) {
	for _, r := range records {
		if err := r.Validate(); err != nil {
			return -1, err
		}
	}
	if err := ctx.Err(); err != nil {
		return -1, fmt.Errorf("evidence: append: %w", err)
	}
	e := l.encoder()
	defer l.putEncoder(e)
	if err := e.encodeRecords(records); err != nil {
		return -1, err
	}
	body, ends := e.buf, e.ends

	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.usable(); err != nil {
		return -1, err
	}
	first := l.n
	if len(records) == 0 {
		return first, nil
	}
	mark := l.tree.len()
	rollback := func() {
		l.tree.truncate(mark)
		l.n = first
	}
	out := l.buf[:0]
	prev := l.prev
	start := 0
	for _, end := range ends {
		// The encoder wrote `{...}` and a newline; insert prev before the
		// closing brace.
		rec := body[start : end-2]
		start = end
		lineStart := len(out)
		out = append(out, rec...)
		out = append(out, `,"prev":"`...)
		out = append(out, prev[:]...)
		out = append(out, `"}`...)
		line := out[lineStart:]
		copy(prev[:], appendLinkHash(prev[:0], line))
		l.tree.addLeaf(l.n, tlog.RecordHash(line))
		l.n++
		out = append(out, '\n')
	}
	l.buf = out[:0]
	if cap(l.buf) > 4<<20 {
		l.buf = nil
	}

	var cpNote, cpLine []byte
	var cp Checkpoint
	if l.checkpointDue() {
		var err error
		cp, cpNote, cpLine, err = l.signLocked()
		if err != nil {
			rollback()
			return -1, err
		}
	}

	if nw, err := l.f.Write(out); err != nil {
		rollback()
		if nw > 0 {
			if terr := l.f.Truncate(l.size); terr != nil {
				l.err = fmt.Errorf("evidence: append to %s: %w; removing the partial write: %w", l.path, err, terr)
				return -1, l.err
			}
		}
		return -1, fmt.Errorf("evidence: append to %s: %w", l.path, err)
	}
	l.size += int64(len(out))
	l.prev = prev
	if l.sync == SyncBatch {
		if err := l.f.Sync(); err != nil {
			l.err = fmt.Errorf("evidence: sync %s: %w", l.path, err)
			return -1, l.err
		}
	}
	if cpLine != nil {
		if err := l.writeCheckpointLocked(cp, cpNote, cpLine); err != nil {
			return -1, err
		}
	}
	return first, nil
}

// encoder encodes records for [FileLog.Append].
type encoder struct {
	rec  recordEncoder
	buf  []byte
	ends []int
}

// encoder returns an encoder from the log's pool or a new one.
func (l *FileLog) encoder() *encoder {
	if e, ok := l.encoders.Get().(*encoder); ok {
		return e
	}
	return new(encoder)
}

// encodeRecords encodes records, without Prev, into e.buf; e.ends[i] is
// the end of record i's JSON and newline.
func (e *encoder) encodeRecords(records []*Record) error {
	e.buf = e.buf[:0]
	e.ends = e.ends[:0]
	for _, r := range records {
		c := *r
		c.Prev = ""
		var err error
		if e.buf, err = e.rec.appendRecord(e.buf, &c); err != nil {
			return invalidf("record %s: %v", r.ID, err)
		}
		e.buf = append(e.buf, '\n')
		e.ends = append(e.ends, len(e.buf))
	}
	return nil
}

// putEncoder returns e to the log's pool, without a buffer grown by an
// unusually large batch.
func (l *FileLog) putEncoder(e *encoder) {
	if cap(e.buf) > 4<<20 {
		e.buf = nil
	}
	l.encoders.Put(e)
}

func (l *FileLog) usable() error {
	if l.f == nil && !l.closed {
		return invalidf("the FileLog was not opened with OpenFile")
	}
	if l.closed {
		return ErrClosed
	}
	return l.err
}

// checkpointDue reports whether the records appended since the latest
// checkpoint call for a new one. l.mu is held.
func (l *FileLog) checkpointDue() bool {
	if l.signer == nil || l.n <= l.cp.Size {
		return false
	}
	if l.every > 0 && l.n-l.cp.Size >= l.every {
		return true
	}
	return l.interval > 0 && l.clock().Sub(l.cpTime) >= l.interval
}

// signLocked signs a checkpoint of the current tree and returns it with its
// signed note and its line for the checkpoints file. l.mu is held.
func (l *FileLog) signLocked() (c Checkpoint, signed, line []byte, err error) {
	root, err := tlog.TreeHash(l.n, &l.tree)
	if err != nil {
		return Checkpoint{}, nil, nil, fmt.Errorf("evidence: checkpoint: %w", err)
	}
	c = Checkpoint{Origin: l.signer.Name(), Size: l.n, Root: root}
	signed, err = signCheckpoint(c, l.signer)
	if err != nil {
		return Checkpoint{}, nil, nil, err
	}
	line, err = json.Marshal(checkpointLine{Note: string(signed)})
	if err != nil {
		return Checkpoint{}, nil, nil, fmt.Errorf("evidence: checkpoint: %w", err)
	}
	return c, signed, append(line, '\n'), nil
}

// writeCheckpointLocked appends a checkpoint line. A failure is sticky.
// l.mu is held.
func (l *FileLog) writeCheckpointLocked(c Checkpoint, signed, line []byte) error {
	name := l.path + CheckpointsSuffix
	if _, err := l.cpf.Write(line); err != nil {
		l.err = fmt.Errorf("evidence: write checkpoint to %s: %w", name, err)
		return l.err
	}
	if l.sync == SyncBatch {
		if err := l.cpf.Sync(); err != nil {
			l.err = fmt.Errorf("evidence: sync %s: %w", name, err)
			return l.err
		}
	}
	l.cp, l.cpNote, l.cpTime = c, signed, l.clock()
	return nil
}

// Checkpoint writes a signed checkpoint of the log as it is now, unless the
// latest checkpoint already covers every record, and returns the signed
// note. It returns an error matching [ErrInvalid] if the log has no
// signer or no records.
func (l *FileLog) Checkpoint(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("evidence: checkpoint: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.usable(); err != nil {
		return nil, err
	}
	if l.signer == nil {
		return nil, invalidf("checkpoint %s: the log has no signer", l.path)
	}
	if l.n == 0 {
		return nil, invalidf("checkpoint %s: the log is empty", l.path)
	}
	if err := l.checkpointLocked(); err != nil {
		return nil, err
	}
	return bytes.Clone(l.cpNote), nil
}

// checkpointLocked writes a checkpoint if records were appended since the
// latest. l.mu is held.
func (l *FileLog) checkpointLocked() error {
	if l.signer == nil || l.n == 0 || (l.n == l.cp.Size && l.cpNote != nil) {
		return nil
	}
	if l.sync != SyncBatch {
		// The checkpoint must not reach the disk before the records it
		// covers.
		if err := l.f.Sync(); err != nil {
			l.err = fmt.Errorf("evidence: sync %s: %w", l.path, err)
			return l.err
		}
	}
	c, signed, line, err := l.signLocked()
	if err != nil {
		return err
	}
	return l.writeCheckpointLocked(c, signed, line)
}

// Flush syncs the log and its checkpoints file to stable storage, whatever
// [FileOptions.Sync] says.
func (l *FileLog) Flush(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("evidence: flush: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	return l.syncLocked()
}

func (l *FileLog) syncLocked() error {
	if err := l.f.Sync(); err != nil {
		l.err = fmt.Errorf("evidence: sync %s: %w", l.path, err)
		return l.err
	}
	if l.cpf != nil {
		if err := l.cpf.Sync(); err != nil {
			l.err = fmt.Errorf("evidence: sync %s%s: %w", l.path, CheckpointsSuffix, err)
			return l.err
		}
	}
	return nil
}

// Close writes a checkpoint if the log has a signer and records were
// appended since the latest one, syncs, releases the lock and closes the
// files. It ignores cancellation, so that the log is always closed. After
// Close, every method that writes returns an error matching [ErrClosed];
// so does a second Close.
func (l *FileLog) Close(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.usable(); errors.Is(err, ErrClosed) || errors.Is(err, ErrInvalid) {
		return err
	}
	l.closed = true
	var errs []error
	if l.err == nil {
		if err := l.checkpointLocked(); err != nil {
			errs = append(errs, err)
		} else if err := l.syncLocked(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := l.unlock(); err != nil {
		errs = append(errs, fmt.Errorf("evidence: unlock %s: %w", l.path, err))
	}
	if err := l.f.Close(); err != nil {
		errs = append(errs, fmt.Errorf("evidence: close %s: %w", l.path, err))
	}
	if l.cpf != nil {
		if err := l.cpf.Close(); err != nil {
			errs = append(errs, fmt.Errorf("evidence: close %s%s: %w", l.path, CheckpointsSuffix, err))
		}
	}
	l.tree = hashStore{}
	return errors.Join(errs...)
}

// InclusionProof shows that a record is in a log of a given size: it holds
// the hashes that, with the record's leaf hash, give the tree hash of that
// size. Its JSON form is stable; hashes are base64. It is a plain value.
type InclusionProof struct {
	// Index is the record's index in the log.
	Index int64 `json:"index"`
	// TreeSize is the size of the tree the proof leads to.
	TreeSize int64 `json:"treeSize"`
	// Hashes is the RFC 6962 audit path.
	Hashes []tlog.Hash `json:"hashes"`
}

// ConsistencyProof shows that a log of size OldSize is a prefix of the log
// of size NewSize: nothing in it was changed or removed. Its JSON form is
// stable; hashes are base64. It is a plain value.
type ConsistencyProof struct {
	// OldSize is the size of the earlier tree.
	OldSize int64 `json:"oldSize"`
	// NewSize is the size of the later tree.
	NewSize int64 `json:"newSize"`
	// Hashes is the RFC 6962 consistency proof.
	Hashes []tlog.Hash `json:"hashes"`
}

// ProveInclusion returns the proof that the record at index is in the tree
// of size treeSize. It returns an error matching [ErrInvalid] unless
// 0 <= index < treeSize <= [FileLog.Len].
func (l *FileLog) ProveInclusion(index, treeSize int64) (*InclusionProof, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, ErrClosed
	}
	if index < 0 || index >= treeSize || treeSize > l.n {
		return nil, invalidf("prove inclusion of record %d in a tree of %d: the log has %d records", index, treeSize, l.n)
	}
	p, err := tlog.ProveRecord(treeSize, index, &l.tree)
	if err != nil {
		return nil, fmt.Errorf("evidence: prove inclusion: %w", err)
	}
	return &InclusionProof{Index: index, TreeSize: treeSize, Hashes: p}, nil
}

// ProveConsistency returns the proof that the tree of size oldSize is a
// prefix of the tree of size newSize. It returns an error matching
// [ErrInvalid] unless 0 < oldSize <= newSize <= [FileLog.Len].
func (l *FileLog) ProveConsistency(oldSize, newSize int64) (*ConsistencyProof, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, ErrClosed
	}
	if oldSize <= 0 || oldSize > newSize || newSize > l.n {
		return nil, invalidf("prove consistency of %d and %d records: the log has %d records", oldSize, newSize, l.n)
	}
	p, err := tlog.ProveTree(newSize, oldSize, &l.tree)
	if err != nil {
		return nil, fmt.Errorf("evidence: prove consistency: %w", err)
	}
	return &ConsistencyProof{OldSize: oldSize, NewSize: newSize, Hashes: p}, nil
}

// CheckInclusion checks that line, the exact bytes of a log line without
// its newline, is the record at proof.Index of the log whose signed
// checkpoint is checkpoint, using only the log's note verifier key (see
// [NoteVerifierKey]). proof.TreeSize must be the checkpoint's size. It
// returns nil if the proof holds; an error matching [ErrVerification] if
// the checkpoint's signature or the proof does not verify; and one
// matching [ErrMalformed] for a malformed checkpoint, key or proof.
func CheckInclusion(checkpoint []byte, verifierKey string, line []byte, proof *InclusionProof) error {
	if proof == nil {
		return malformedf("inclusion proof: nil")
	}
	c, err := OpenCheckpoint(checkpoint, verifierKey)
	if err != nil {
		return err
	}
	if proof.TreeSize != c.Size {
		return unverifiedf("inclusion proof for a tree of %d records, checkpoint of %d", proof.TreeSize, c.Size)
	}
	if proof.Index < 0 || proof.Index >= c.Size {
		return malformedf("inclusion proof: index %d outside a tree of %d records", proof.Index, c.Size)
	}
	if err := tlog.CheckRecord(proof.Hashes, c.Size, c.Root, proof.Index, tlog.RecordHash(line)); err != nil {
		return unverifiedf("record %d is not in the checkpointed tree of %d records", proof.Index, c.Size)
	}
	return nil
}

// CheckConsistency checks that the log of the signed checkpoint
// newCheckpoint contains the log of oldCheckpoint as a prefix, using only
// the log's note verifier key. The proof's sizes must be the checkpoints'.
// Errors are as for [CheckInclusion].
func CheckConsistency(oldCheckpoint, newCheckpoint []byte, verifierKey string, proof *ConsistencyProof) error {
	if proof == nil {
		return malformedf("consistency proof: nil")
	}
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return malformedf("verifier key: %v", err)
	}
	oc, err := openCheckpoint(oldCheckpoint, v)
	if err != nil {
		return err
	}
	nc, err := openCheckpoint(newCheckpoint, v)
	if err != nil {
		return err
	}
	if proof.OldSize != oc.Size || proof.NewSize != nc.Size {
		return unverifiedf("consistency proof for %d and %d records, checkpoints of %d and %d",
			proof.OldSize, proof.NewSize, oc.Size, nc.Size)
	}
	if oc.Size < 1 || oc.Size > nc.Size {
		return unverifiedf("checkpoint of %d records cannot be a prefix of one of %d", oc.Size, nc.Size)
	}
	if err := tlog.CheckTree(proof.Hashes, nc.Size, nc.Root, oc.Size, oc.Root); err != nil {
		return unverifiedf("the tree of %d records is not a prefix of the tree of %d", oc.Size, nc.Size)
	}
	return nil
}
