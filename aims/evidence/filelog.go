package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/aimskit/aimskit/aims/evidence/internal/lines"
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
	// Verifier checks the checkpoints the log finds when it is opened,
	// which must be signed by Signer's key. Nil means the verifier of a
	// signer made by [NewNoteSigner]; with another Signer, Verifier is
	// required.
	Verifier note.Verifier
	// KeyRing holds the keys that signed the log's checkpoints before
	// Signer, each with its period (see [KeyRing]), for a log whose key
	// was rotated: [OpenFile] checks the checkpoints it finds with the
	// ring, to which it adds Verifier if the ring lacks it; a ring that
	// gives Verifier's key an end (Until) is refused, since the log would
	// sign past it. Nil means that every checkpoint must be signed by
	// Verifier's key.
	//
	// To rotate a log from key A to key B: close the log, whose last
	// checkpoint, signed by A, then covers all its N records; write a
	// ring that gives A the period until N and B the period from N; and
	// open the log with B as Signer and the ring as KeyRing. The next
	// checkpoint is signed by B. Verifiers verify the whole log with the
	// same ring ([VerifyOptions.KeyRing]). A [SegmentLog] is rotated the
	// same way, with N its [SegmentLog.Len].
	KeyRing *KeyRing
	// Witnesses are asked to cosign each new checkpoint (C2SP
	// tlog-witness), with a consistency proof from the checkpoint each
	// one last cosigned. Their cosignatures are added to the checkpoint's
	// note before it is written. A witness that cannot be reached, or
	// refuses, never stops the log: the checkpoint is written without its
	// cosignature, the failure is logged to Logger, and the witness is
	// asked again with the next checkpoint, or by [FileLog.Checkpoint]
	// and [FileLog.Close], which ask the witnesses missing from the latest
	// checkpoint again and write it once more with their cosignatures.
	// Witnesses are asked while the log's lock is held: appends wait for
	// them, for up to WitnessTimeout each.
	Witnesses []Witness
	// WitnessTimeout bounds one exchange with a witness. Zero means
	// [DefaultWitnessTimeout].
	WitnessTimeout time.Duration
	// HTTPClient sends the requests to Witnesses. Nil means
	// [http.DefaultClient].
	HTTPClient *http.Client
	// CheckpointEvery is the number of records after which a checkpoint is
	// written. Zero means [DefaultCheckpointEvery]; a negative value means
	// no checkpoint by count.
	CheckpointEvery int
	// CheckpointInterval, if positive, is the time after which a checkpoint
	// is due. The log starts no goroutine: a due checkpoint is written by
	// the next append. Zero means no checkpoint by time.
	CheckpointInterval time.Duration
	// Clock tells the time for CheckpointInterval and for the record of a
	// recovery. Nil means [time.Now].
	Clock func() time.Time
	// NewID returns the id of the record of a recovery, a UUID version 7.
	// Nil means [uuid.NewV7].
	NewID func() (uuid.UUID, error)
	// Timestamper, if set, time-stamps each checkpoint the log signs
	// (but that of the empty log) with an RFC 3161 time-stamping authority
	// (see [timestamp.Client], which contacts only the URL it is given),
	// and the log appends the token to the file named by its path and
	// [TimestampsSuffix]. The log waits for the authority, up to
	// [TimestampTimeout], while it holds its lock; choose
	// CheckpointEvery and CheckpointInterval with that in mind. A
	// time-stamp that fails is logged to Logger and does not undo the
	// checkpoint. Nil means no time-stamps.
	Timestamper Timestamper
	// Logger receives diagnostics, such as a recovery after a crash or a
	// checkpoint that could not be written. Nil means that they are
	// discarded.
	Logger *slog.Logger

	// ringOffset is the number of records before the log in a chain of
	// segments, for KeyRing's periods (see [SegmentLog]).
	ringOffset int64
}

// FileLog is an append-only, tamper-evident evidence log in a file of
// JSON Lines, one [Record] per line.
//
// Each line holds in "prev" the [LinkHash] of the line before it
// ([Genesis] for the first), so that changing, removing, inserting or
// reordering lines breaks the chain. The lines are also the leaves of an
// RFC 6962 Merkle tree: with a [FileOptions.Signer], the log appends a
// signed [Checkpoint] of the tree to the file named by the log's path and
// [CheckpointsSuffix], one JSON object {"note": "<signed note>"} per line:
// one of the empty tree when the log is created, then every
// [FileOptions.CheckpointEvery] records, after
// [FileOptions.CheckpointInterval], when asked by [FileLog.Checkpoint] and
// on [FileLog.Close]. [VerifyFile] checks a log; [FileLog.ProveInclusion]
// and [FileLog.ProveConsistency] give auditors proofs they can check with
// the log's verifier key alone.
//
// A FileLog never signs a history it did not write: [OpenFile] verifies
// the log against its own signed checkpoints before it appends, and
// refuses a log that was changed, cut or forked. Only one FileLog may have
// a path open at a time, in any process. Complete lines once written are
// never rewritten; the only change other than appending is the removal of
// an incomplete last line, after a crash (see [OpenFile]) or a failed
// write (see [FileLog.Append]).
//
// A FileLog keeps the Merkle tree's hashes in tile files beside the log,
// in the folder named by the log's path and [TilesSuffix] (see there for
// the files and their layout, which is that of the tiles of height 8 of
// the Go checksum database and C2SP tlog-tiles), written with the records
// they hash and synced by [FileLog.Flush] and [FileLog.Close]. It holds
// in memory only the roots of the tree's perfect subtrees (at most 64
// hashes), so that its memory does not grow with the log, and
// [FileLog.ProveInclusion] and [FileLog.ProveConsistency] read the tiles
// they need, checking each against the tree (a tile file changed under
// an open log gives a [*TileError]). The tile files are derived from the
// log: they can be deleted, and [OpenFile] rebuilds them.
//
// A FileLog is safe for concurrent use by multiple goroutines. The zero
// value is not usable; use [OpenFile].
type FileLog struct {
	path     string
	sync     SyncMode
	signer   note.Signer
	verifier note.Verifier
	every    int64
	interval time.Duration
	clock    func() time.Time
	newID    func() (uuid.UUID, error)
	logger   *slog.Logger
	ring     *keyRing // nil without FileOptions.KeyRing

	witnesses      []*witnessState
	witnessTimeout time.Duration
	httpClient     *http.Client
	tsa            Timestamper

	recovered int64
	adopted   int64
	encoders  sync.Pool // of *encoder

	mu     sync.Mutex
	f      *os.File
	cpf    *os.File // nil without a signer
	unlock func() error
	closed bool
	dirty  error // a write whose removal failed: repaired before the next write
	cpErr  error // the latest checkpoint could not be written; retried
	size   int64 // bytes of complete lines
	cpSize int64 // bytes of complete lines in the checkpoints file
	n      int64 // records
	prev   [linkHashLen]byte
	tiles  *tileStore
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

var _ BatchSink = (*FileLog)(nil)

// linkHashLen is the length of a [LinkHash].
const linkHashLen = len("sha256:") + 64

// TornSuffix starts the name of the file, beside a log, into which
// [OpenFile] moves the incomplete last line it cuts off after a crash:
// the log's path, TornSuffix and the byte offset of the line.
const TornSuffix = ".torn-"

// OpenFile opens the log at path for appending, creating it (mode 0600) if
// it does not exist. opts may be nil. It does not follow a symbolic link
// at path, nor at the checkpoints file, and refuses anything but a
// regular file. When it creates the log it syncs the folder, and with a
// signer it writes and syncs a signed checkpoint of the empty log first.
//
// A log with tile files (see [TilesSuffix]) is opened by reading its
// tail, in time and memory that do not grow with the log: OpenFile cuts
// an incomplete last hash off each tile file (a crash while it was
// written; the hash is computed again, and no record of it is appended,
// since no evidence was lost), reads the records after the last full
// tile of level 0 that the tile files hold, checks that they link to the
// record before them, whose leaf hash must be the tile's last, and that
// their leaf hashes are those the tile files hold, adds the hashes the
// files lack (after a crash of the machine they may lag the log), and,
// with a signer, checks the latest checkpoint's signature and that its
// root hash is the tree hash the tile files give. The older records and
// checkpoints are not read again: [VerifyFile] checks them all.
//
// A log without tile files (one written before they existed, or whose
// tile folder was removed), or whose tile files do not match it (a hash
// that is not the one the records give, an offset that is not the end of
// a record, a tree hash that is not the latest checkpoint's), is read
// whole, as follows, and its tile files are rebuilt from it; OpenFile
// logs a warning naming the tile file and the tile. So a tile file that
// disagrees with the log never makes a writer sign a tree it did not
// write: either the log verifies and the tiles are rebuilt from it, or
// the log is refused.
//
// Reading the whole log, OpenFile checks its hash links. With a signer,
// it also checks every checkpoint in the checkpoints file with the
// signer's verifier (see [FileOptions.Verifier]), and that each one's root
// hash is the tree hash of the records it covers. A log that does not
// verify (a record changed, removed or inserted; a complete last line
// that is not a record; checkpoints that cover more records than the log
// holds, or none at all for a log with records; a missing checkpoints
// file) is refused with an error matching [ErrTampered] that is a
// [*VerifyError] naming the first bad record, and left as it is: a writer
// never extends or re-signs a history that is not the one it signed.
// Checkpoints signed by another key give a [*KeyError] (matching
// [ErrWrongKey]).
//
// After a crash, the log may end in an incomplete line. OpenFile moves it
// to a file named path+[TornSuffix]+offset, cuts it off, and reports the
// bytes by [FileLog.Recovered]. Records after the latest checkpoint, which
// a crash left without one, are adopted, and counted by
// [FileLog.Adopted]. Either way OpenFile appends a record of type
// [TypeLogRecovery] that says what it did, and logs it to
// [FileOptions.Logger].
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
	if o.Signer != nil && o.Verifier == nil {
		ns, ok := o.Signer.(*noteSigner)
		if !ok {
			return nil, invalidf("open %s: FileOptions.Verifier is required with a signer not made by NewNoteSigner", path)
		}
		o.Verifier = ns.verifier()
	}
	if o.Signer != nil && (o.Verifier.Name() != o.Signer.Name() || o.Verifier.KeyHash() != o.Signer.KeyHash()) {
		return nil, invalidf("open %s: the verifier %s+%08x is not the signer's key %s+%08x", path,
			o.Verifier.Name(), o.Verifier.KeyHash(), o.Signer.Name(), o.Signer.KeyHash())
	}
	if o.CheckpointEvery == 0 {
		o.CheckpointEvery = DefaultCheckpointEvery
	}
	var ring *keyRing
	if o.KeyRing != nil {
		if o.Signer == nil {
			return nil, invalidf("open %s: a key ring needs a signer", path)
		}
		var err error
		if ring, err = o.KeyRing.parse(); err != nil {
			return nil, fmt.Errorf("evidence: open %s: %w", path, err)
		}
		ring.offset = o.ringOffset
		switch e := ring.find(o.Verifier.Name(), o.Verifier.KeyHash()); {
		case e == nil:
			ring.entries = append(ring.entries, ringEntry{v: o.Verifier, until: -1})
		case e.until >= 0:
			return nil, invalidf("open %s: the key ring ends the period of the signer's key %s at size %d: the key a log writes with must have no end",
				path, keyLabel(o.Verifier), e.until)
		}
	}
	if len(o.Witnesses) > 0 && o.Signer == nil {
		return nil, invalidf("open %s: witnesses need a signer", path)
	}
	if o.WitnessTimeout <= 0 {
		o.WitnessTimeout = DefaultWitnessTimeout
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.NewID == nil {
		o.NewID = uuid.NewV7
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	l := &FileLog{
		path:     path,
		sync:     o.Sync,
		signer:   o.Signer,
		verifier: o.Verifier,
		every:    int64(o.CheckpointEvery),
		interval: o.CheckpointInterval,
		clock:    o.Clock,
		newID:    o.NewID,
		logger:   o.Logger,
		ring:     ring,
		tsa:      o.Timestamper,

		witnessTimeout: o.WitnessTimeout,
		httpClient:     o.HTTPClient,
	}
	for _, w := range o.Witnesses {
		if _, err := url.Parse(w.URL); err != nil || w.URL == "" {
			return nil, invalidf("open %s: witness URL %q: %v", path, w.URL, err)
		}
		if _, err := NewWitnessKey(w.Key.Name, w.Key.Public); err != nil {
			return nil, fmt.Errorf("evidence: open %s: witness %s: %w", path, w.URL, err)
		}
		l.witnesses = append(l.witnesses, &witnessState{w: w})
	}
	f, created, err := openRegular(path)
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
		if l.tiles != nil {
			_ = l.tiles.close()
		}
		return nil, err
	}
	tiles, tilesFound, err := openTiles(path)
	if err != nil {
		return fail(fmt.Errorf("evidence: open %s: tiles: %w", path, err))
	}
	l.tiles = tiles
	copy(l.prev[:], Genesis)
	var torn *tornTail
	fast := false
	if !created && tilesFound {
		if fast, torn, err = l.loadTail(); err != nil {
			return fail(err)
		}
	}
	if !fast {
		l.n, l.size, l.adopted = 0, 0, 0
		copy(l.prev[:], Genesis)
		if !created && !tilesFound {
			l.logger.Info("evidence: building the tile files of a log from its records",
				slog.String("path", l.tiles.dir))
		}
		if err := l.tiles.reset(); err != nil {
			return fail(fmt.Errorf("evidence: open %s: tiles: %w", path, err))
		}
		if !created {
			if torn, err = l.load(); err != nil {
				return fail(err)
			}
		}
		if l.signer != nil {
			if err := l.loadCheckpoints(); err != nil {
				return fail(err)
			}
		}
	}
	if created {
		if err := syncDir(path); err != nil {
			return fail(fmt.Errorf("evidence: open %s: sync the folder: %w", path, err))
		}
	}
	l.cpTime = l.clock()
	if torn != nil || l.adopted > 0 {
		if err := l.recordRecovery(torn); err != nil {
			return fail(err)
		}
	}
	return l, nil
}

// tornTail is an incomplete last line that load moved aside.
type tornTail struct {
	offset int64
	bytes  int64
	sha256 string
	file   string
}

// load reads the log, computes its hashes, checks its links and moves a
// torn tail aside.
func (l *FileLog) load() (*tornTail, error) {
	if _, err := l.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("evidence: open %s: %w", l.path, err)
	}
	lr := lines.NewReader(l.f)
	var (
		end  int64 // end of the last complete line
		want = []byte(Genesis)
		link [linkHashLen]byte
	)
	for {
		line, complete, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("evidence: open %s: %w", l.path, err)
		}
		if !complete {
			break
		}
		prev, reason, detail := linePrev(line)
		if reason == "" && !bytes.Equal(prev, want) {
			reason, detail = ReasonBrokenLink, "prev is not the genesis value"
			if l.n > 0 {
				detail = fmt.Sprintf("prev is not the hash of record %d", l.n-1)
			}
		}
		if reason != "" {
			return nil, l.refuse(&VerifyError{Index: l.n, Checkpoint: -1, Reason: reason, Detail: detail})
		}
		want = appendLinkHash(link[:0], line)
		end += int64(len(line)) + 1
		l.tiles.add(tlog.RecordHash(line), end)
		if l.tiles.pending() >= tileFlushBytes {
			if err := l.tiles.flush(); err != nil {
				return nil, fmt.Errorf("evidence: open %s: write tiles: %w", l.path, err)
			}
		}
		l.n++
	}
	if err := l.tiles.flush(); err != nil {
		return nil, fmt.Errorf("evidence: open %s: write tiles: %w", l.path, err)
	}
	copy(l.prev[:], want)
	l.size = end
	return l.cutTorn(end)
}

// cutTorn moves what follows the complete lines of the log, which end at
// end, to a file beside it and cuts it off.
func (l *FileLog) cutTorn(end int64) (*tornTail, error) {
	st, err := l.f.Stat()
	if err != nil {
		return nil, fmt.Errorf("evidence: open %s: %w", l.path, err)
	}
	if st.Size() == end {
		return nil, nil
	}
	cut := make([]byte, st.Size()-end)
	if _, err := l.f.ReadAt(cut, end); err != nil {
		return nil, fmt.Errorf("evidence: open %s: read the torn tail: %w", l.path, err)
	}
	name, err := keepTorn(l.path, end, cut)
	if err != nil {
		return nil, fmt.Errorf("evidence: open %s: keep the torn tail: %w", l.path, err)
	}
	if err := l.f.Truncate(end); err != nil {
		return nil, fmt.Errorf("evidence: open %s: remove torn tail: %w", l.path, err)
	}
	if err := l.f.Sync(); err != nil {
		return nil, fmt.Errorf("evidence: open %s: remove torn tail: %w", l.path, err)
	}
	l.recovered = int64(len(cut))
	sum := sha256.Sum256(cut)
	l.logger.Warn("evidence: moved the torn tail of a log aside",
		slog.String("path", l.path), slog.Int64("bytes", l.recovered), slog.String("kept_in", name), slog.Int64("records", l.n))
	return &tornTail{offset: end, bytes: l.recovered, sha256: hex.EncodeToString(sum[:]), file: filepath.Base(name)}, nil
}

// refuse returns the error of OpenFile for a log that does not verify.
func (l *FileLog) refuse(e *VerifyError) error {
	return fmt.Errorf("evidence: open %s: refusing to append to a log that does not verify (it is left as it is): %w", l.path, e)
}

// keepTorn writes the torn tail cut, found at offset, to a new file beside
// the log and syncs it, and returns its name.
func keepTorn(path string, offset int64, cut []byte) (string, error) {
	base := fmt.Sprintf("%s%s%d", path, TornSuffix, offset)
	for i := 0; i < 100; i++ {
		name := base
		if i > 0 {
			name = fmt.Sprintf("%s.%d", base, i)
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL|oNoFollow, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, werr := f.Write(cut)
		if werr == nil {
			werr = f.Sync()
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = syncDir(name)
		}
		return name, werr
	}
	return "", fmt.Errorf("too many files named %s*", base)
}

// loadCheckpoints opens the checkpoints file, creating it for a new log,
// checks every checkpoint in it against the log, and removes an
// incomplete last line.
func (l *FileLog) loadCheckpoints() error {
	name := l.path + CheckpointsSuffix
	f, created, err := openRegular(name)
	if err != nil {
		return fmt.Errorf("evidence: open: %w", err)
	}
	l.cpf = f
	if created {
		if l.n > 0 {
			_ = os.Remove(name)
			return l.refuse(&VerifyError{Index: 0, Checkpoint: -1, Reason: ReasonUnanchored,
				Detail: fmt.Sprintf("the log has %d records but its checkpoints file %s is missing", l.n, name)})
		}
		if err := syncDir(name); err != nil {
			return fmt.Errorf("evidence: open %s: sync the folder: %w", name, err)
		}
		return l.checkpointLocked()
	}
	lr := lines.NewReader(f)
	var end int64
	count := 0
	for i := 0; ; i++ {
		line, complete, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("evidence: open %s: %w", name, err)
		}
		if !complete {
			break
		}
		bad := func(reason Reason, detail string, err error) error {
			return l.refuse(&VerifyError{Index: -1, Checkpoint: i, Reason: reason, Detail: detail, Err: err})
		}
		var cl checkpointLine
		if err := strictUnmarshal(line, &cl); err != nil {
			return bad(ReasonBadCheckpoint, "not a checkpoint line: "+err.Error(), nil)
		}
		c, err := checkpointKeys{one: l.verifier, ring: l.ring}.open([]byte(cl.Note))
		var ke *KeyError
		var pe *keyPeriodError
		switch {
		case errors.As(err, &pe):
			return bad(ReasonKeyPeriod, fmt.Sprintf("checkpoint %d: %v", i, pe), err)
		case errors.As(err, &ke) && count == 0:
			return fmt.Errorf("evidence: open %s: %w", l.path, err)
		case errors.Is(err, ErrVerification) || errors.As(err, &ke):
			return bad(ReasonBadSignature, err.Error(), err)
		case err != nil:
			return bad(ReasonBadCheckpoint, err.Error(), err)
		case c.Size < l.cp.Size:
			return bad(ReasonBadCheckpoint, fmt.Sprintf("size %d after size %d", c.Size, l.cp.Size), nil)
		case c.Size > l.n:
			return l.refuse(&VerifyError{Index: l.n, Checkpoint: i, Reason: ReasonMissingRecords,
				Detail: fmt.Sprintf("the checkpoint covers %d records, the log holds %d: records were cut from its end", c.Size, l.n)})
		}
		root, err := tlog.TreeHash(c.Size, l.tiles)
		if err != nil {
			return fmt.Errorf("evidence: open %s: %w", l.path, err)
		}
		if root != c.Root {
			return l.refuse(&VerifyError{Index: l.cp.Size, Checkpoint: i, Reason: ReasonRootMismatch,
				Detail: fmt.Sprintf("the checkpoint's root hash is not the tree hash of the first %d records", c.Size)})
		}
		end += int64(len(line)) + 1
		l.cp, l.cpNote = c, []byte(cl.Note)
		count++
	}
	if count == 0 && l.n > 0 {
		return l.refuse(&VerifyError{Index: 0, Checkpoint: -1, Reason: ReasonUnanchored,
			Detail: fmt.Sprintf("the log has %d records and no signed checkpoint: it was written without a signer, or its checkpoints were removed", l.n)})
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
		l.logger.Warn("evidence: removed the incomplete last line of a checkpoints file",
			slog.String("path", name), slog.Int64("bytes", cut))
	}
	l.cpSize = end
	if count == 0 {
		return l.checkpointLocked()
	}
	if l.n > l.cp.Size {
		l.adopted = l.n - l.cp.Size
		l.logger.Warn("evidence: records after the latest checkpoint were adopted",
			slog.String("path", l.path), slog.Int64("from", l.cp.Size), slog.Int64("records", l.adopted))
	}
	return nil
}

// recordRecovery appends the record of what OpenFile recovered.
func (l *FileLog) recordRecovery(torn *tornTail) error {
	type tornData struct {
		Offset int64  `json:"offset"`
		Bytes  int64  `json:"bytes"`
		SHA256 string `json:"sha256"`
		KeptIn string `json:"keptIn"`
	}
	type adoptedData struct {
		From int64 `json:"from"`
		To   int64 `json:"to"`
	}
	var data struct {
		Torn    *tornData    `json:"torn,omitempty"`
		Adopted *adoptedData `json:"adopted,omitempty"`
	}
	r := &Record{Type: TypeLogRecovery, Actor: ActorLog, Outcome: "recovered"}
	if torn != nil {
		data.Torn = &tornData{Offset: torn.offset, Bytes: torn.bytes, SHA256: torn.sha256, KeptIn: torn.file}
		r.Reasons = append(r.Reasons, fmt.Sprintf("cut off an incomplete last line of %d bytes at offset %d, kept in %s", torn.bytes, torn.offset, torn.file))
	}
	if l.adopted > 0 {
		data.Adopted = &adoptedData{From: l.n - l.adopted, To: l.n}
		r.Reasons = append(r.Reasons, fmt.Sprintf("adopted records %d to %d, written after the latest checkpoint and not yet signed", l.n-l.adopted, l.n-1))
	}
	var err error
	if r.Data, err = json.Marshal(data); err != nil {
		return fmt.Errorf("evidence: open %s: %w", l.path, err)
	}
	if err := r.Stamp(l.clock, l.newID); err != nil {
		return err
	}
	if _, err := l.Append(context.Background(), r); err != nil {
		return fmt.Errorf("evidence: open %s: record the recovery: %w", l.path, err)
	}
	return nil
}

// ActorLog is the actor of the records a [FileLog] writes about itself.
const ActorLog = "aimskit/evidence"

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

// Recovered returns the number of bytes of an incomplete last line that
// [OpenFile] cut off, or zero.
func (l *FileLog) Recovered() int64 { return l.recovered }

// Adopted returns the number of records after the latest checkpoint that
// [OpenFile] found and adopted, or zero.
func (l *FileLog) Adopted() int64 { return l.adopted }

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

// WriteBatch appends records to the log as one write; see
// [FileLog.Append]. It implements [BatchSink].
func (l *FileLog) WriteBatch(ctx context.Context, records []*Record) error {
	_, err := l.Append(ctx, records...)
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
// nothing, if ctx is done when it starts. The records are recorded if and
// only if Append returns a nil error: if writing or syncing them fails,
// Append removes what it wrote and returns the error, so that the caller
// may write them again. Should the removal fail too, the log removes them
// before its next write, and refuses writes until it can.
//
// A checkpoint that cannot be written after the records were does not
// undo them: Append returns nil, logs the error to [FileOptions.Logger],
// and the log tries again with the next append; [FileLog.Close] and
// [FileLog.Checkpoint] return the error if it persists.
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
	mark := l.tiles.mark()
	out := l.buf[:0]
	prev := l.prev
	start := 0
	for _, end := range ends {
		// The encoder wrote `{...}` and a newline; insert prev before the
		// closing brace.
		rec := body[start : end-2]
		start = end
		lineStart := len(out)
		out = linkLine(append(out, rec...), lineStart, &prev)
		l.tiles.add(tlog.RecordHash(out[lineStart:]), l.size+int64(len(out))+1)
		l.n++
		out = append(out, '\n')
	}
	l.buf = out[:0]
	if cap(l.buf) > 4<<20 {
		l.buf = nil
	}

	nw, err := l.f.Write(out)
	if err == nil {
		if err = l.tiles.flush(); err != nil {
			err = fmt.Errorf("write tiles: %w", err)
		}
	}
	if err == nil && l.sync == SyncBatch {
		err = l.f.Sync()
		if err != nil {
			err = fmt.Errorf("sync: %w", err)
		}
	}
	if err != nil {
		l.tiles.rollback(mark)
		l.n = first
		if nw > 0 {
			l.removeTailLocked()
		}
		return -1, fmt.Errorf("evidence: append to %s: %w", l.path, err)
	}
	l.size += int64(len(out))
	l.prev = prev
	if l.checkpointDue() {
		if err := l.checkpointLocked(); err != nil {
			l.logger.Error("evidence: checkpoint not written; the records are, and the checkpoint is tried again with the next append",
				slog.String("path", l.path), slog.Int64("records", l.n), slog.Any("error", err))
		}
	}
	return first, nil
}

// removeTailLocked removes what follows the complete lines of the log, the
// rest of a failed write. If it cannot, the log is dirty until it can.
// l.mu is held.
func (l *FileLog) removeTailLocked() {
	err := l.f.Truncate(l.size)
	if err == nil {
		err = l.f.Sync()
	}
	if err != nil {
		l.dirty = fmt.Errorf("evidence: %s: remove the rest of a failed write: %w", l.path, err)
		l.logger.Error("evidence: the rest of a failed write is still in the log; it is removed before the next write",
			slog.String("path", l.path), slog.Any("error", err))
		return
	}
	l.dirty = nil
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

// usable returns an error if the log cannot be written now. It first
// repairs what an earlier failure left. l.mu is held.
func (l *FileLog) usable() error {
	if l.f == nil && !l.closed {
		return invalidf("the FileLog was not opened with OpenFile")
	}
	if l.closed {
		return ErrClosed
	}
	if l.dirty != nil {
		l.removeTailLocked()
	}
	return l.dirty
}

// checkpointDue reports whether the records appended since the latest
// checkpoint call for a new one, or the latest attempt failed. l.mu is
// held.
func (l *FileLog) checkpointDue() bool {
	if l.signer == nil || l.n <= l.cp.Size {
		return false
	}
	if l.cpErr != nil {
		return true
	}
	if l.every > 0 && l.n-l.cp.Size >= l.every {
		return true
	}
	return l.interval > 0 && l.clock().Sub(l.cpTime) >= l.interval
}

// checkpointLocked writes a checkpoint of the log as it is now if it has
// a signer and the latest checkpoint does not cover every record. It
// syncs the log first, so that no checkpoint reaches the disk before the
// records it covers. If the checkpoint cannot be written, it removes what
// it wrote, keeps the error for [FileLog.Close] and returns it. l.mu is
// held.
func (l *FileLog) checkpointLocked() error {
	if l.signer == nil {
		return nil
	}
	if l.n == l.cp.Size && l.cpNote != nil {
		return l.recosignLocked()
	}
	err := l.writeCheckpointLocked()
	l.cpErr = err
	return err
}

func (l *FileLog) writeCheckpointLocked() error {
	if l.sync != SyncBatch && l.n > 0 {
		if err := l.f.Sync(); err != nil {
			return fmt.Errorf("evidence: checkpoint: sync %s: %w", l.path, err)
		}
	}
	c := Checkpoint{Origin: l.signer.Name(), Size: l.n, Root: l.tiles.root()}
	signed, err := signCheckpoint(c, l.signer)
	if err != nil {
		return err
	}
	signed = l.cosignLocked(c, signed)
	return l.appendCheckpointLocked(c, signed)
}

// recosignLocked asks the witnesses whose cosignature the latest
// checkpoint lacks to cosign it, and if one does, writes the checkpoint
// again with the cosignatures. l.mu is held.
func (l *FileLog) recosignLocked() error {
	if len(l.witnesses) == 0 || l.cp.Size == 0 {
		return nil
	}
	signed := l.cosignLocked(l.cp, l.cpNote)
	if bytes.Equal(signed, l.cpNote) {
		return nil
	}
	return l.appendCheckpointLocked(l.cp, signed)
}

// appendCheckpointLocked appends the signed checkpoint c to the
// checkpoints file. l.mu is held.
func (l *FileLog) appendCheckpointLocked(c Checkpoint, signed []byte) error {
	name := l.path + CheckpointsSuffix
	line, err := CheckpointLine(signed)
	if err != nil {
		return err
	}
	nw, err := l.cpf.Write(line)
	if err == nil {
		if err = l.cpf.Sync(); err != nil {
			err = fmt.Errorf("sync: %w", err)
		}
	}
	if err != nil {
		if nw > 0 {
			if terr := l.cpf.Truncate(l.cpSize); terr != nil {
				// The next checkpoint line then follows an incomplete one;
				// the next OpenFile cuts both off as a torn tail.
				l.logger.Error("evidence: could not remove an incomplete checkpoint line",
					slog.String("path", name), slog.Any("error", terr))
			}
		}
		return fmt.Errorf("evidence: write checkpoint to %s: %w", name, err)
	}
	l.cpSize += int64(len(line))
	l.cp, l.cpNote, l.cpTime = c, signed, l.clock()
	l.timestampLocked(c)
	return nil
}

// Checkpoint writes a signed checkpoint of the log as it is now, unless the
// latest checkpoint already covers every record, and returns the signed
// note. It returns an error matching [ErrInvalid] if the log has no
// signer.
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
	if err := l.checkpointLocked(); err != nil {
		return nil, err
	}
	return bytes.Clone(l.cpNote), nil
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
		return fmt.Errorf("evidence: sync %s: %w", l.path, err)
	}
	if l.cpf != nil {
		if err := l.cpf.Sync(); err != nil {
			return fmt.Errorf("evidence: sync %s%s: %w", l.path, CheckpointsSuffix, err)
		}
	}
	if err := l.tiles.sync(); err != nil {
		return fmt.Errorf("evidence: sync %s: %w", l.tiles.dir, err)
	}
	return nil
}

// Close removes the rest of a failed write if one is left, writes a
// checkpoint if the log has a signer and records were appended since the
// latest one, syncs, releases the lock and closes the files. It returns
// every error it met: an error from Close means that the log's last
// records may not be signed. It ignores cancellation, so that the log is
// always closed. After Close, every method that writes returns an error
// matching [ErrClosed]; so does a second Close.
func (l *FileLog) Close(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil && !l.closed {
		return invalidf("the FileLog was not opened with OpenFile")
	}
	if l.closed {
		return ErrClosed
	}
	var errs []error
	if err := l.usable(); err != nil {
		errs = append(errs, err)
	} else if err := l.checkpointLocked(); err != nil {
		errs = append(errs, err)
	} else if err := l.syncLocked(); err != nil {
		errs = append(errs, err)
	}
	l.closed = true
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
	if err := l.tiles.close(); err != nil {
		errs = append(errs, fmt.Errorf("evidence: close %s: %w", l.tiles.dir, err))
	}
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
	if l.tiles == nil {
		return nil, invalidf("the FileLog was not opened with OpenFile")
	}
	return proveInclusion(l.tiles.verified(), l.n, index, treeSize)
}

func proveInclusion(tree tlog.HashReader, n, index, treeSize int64) (*InclusionProof, error) {
	if index < 0 || index >= treeSize || treeSize > n {
		return nil, invalidf("prove inclusion of record %d in a tree of %d: the log has %d records", index, treeSize, n)
	}
	p, err := tlog.ProveRecord(treeSize, index, tree)
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
	if l.tiles == nil {
		return nil, invalidf("the FileLog was not opened with OpenFile")
	}
	return proveConsistency(l.tiles.verified(), l.n, oldSize, newSize)
}

func proveConsistency(tree tlog.HashReader, n, oldSize, newSize int64) (*ConsistencyProof, error) {
	if oldSize <= 0 || oldSize > newSize || newSize > n {
		return nil, invalidf("prove consistency of %d and %d records: the log has %d records", oldSize, newSize, n)
	}
	p, err := tlog.ProveTree(newSize, oldSize, tree)
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
	oc, err := openCheckpointDiagnosed(oldCheckpoint, v)
	if err != nil {
		return err
	}
	nc, err := openCheckpointDiagnosed(newCheckpoint, v)
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
