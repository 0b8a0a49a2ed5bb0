package witness

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/aimskit/aimskit/aims/evidence"
)

// MaxProofLines is the largest number of consistency proof lines a
// request may hold, as the C2SP tlog-witness protocol says.
const MaxProofLines = 63

// maxRequest bounds the body of a request.
const maxRequest = 64 << 10

// Options configures a [Witness].
type Options struct {
	// Name names the witness in its cosignatures, usually a schema-less
	// URL. Required.
	Name string
	// Key is the witness's Ed25519 private key. Required.
	Key ed25519.PrivateKey
	// Logs are the note verifier keys (see [evidence.NoteVerifierKey]) of
	// the logs the witness cosigns; a key's name is the log's origin. A
	// log may have several keys, such as the keys before and after a
	// rotation: the witness keeps one state per origin, whichever key
	// signed. At least one is required.
	Logs []string
	// StatePath is the file that holds the witness's state. It is created
	// if missing, and replaced atomically. Required.
	StatePath string
	// Clock gives the time of the cosignatures. Nil means [time.Now].
	Clock func() time.Time
	// Logger receives a line for each checkpoint refused by a consistency
	// check, which may show that a log misbehaved. Nil means that it is
	// discarded.
	Logger *slog.Logger
}

// Witness cosigns the checkpoints of the logs it knows, each only if it
// is consistent with the last checkpoint of the same log it cosigned. It
// is safe for concurrent use; the zero value is not usable; use [New].
type Witness struct {
	cosigner *evidence.Cosigner
	logs     map[string][]note.Verifier // by origin
	path     string
	clock    func() time.Time
	logger   *slog.Logger

	mu    sync.Mutex
	state State
}

var _ http.Handler = (*Witness)(nil)

// State is the persisted state of a [Witness]: for each log origin, the
// latest checkpoint it cosigned. Its JSON form is stable.
type State struct {
	Logs map[string]LogState `json:"logs"`
}

// LogState is the latest checkpoint a witness cosigned for one log.
type LogState struct {
	// Size is the checkpoint's size.
	Size int64 `json:"size"`
	// Root is its root hash.
	Root tlog.Hash `json:"root"`
	// Key is the log key that signed it, as "name+hash".
	Key string `json:"key"`
}

// Error is a refusal, with the HTTP status the C2SP tlog-witness
// protocol gives it. It is a plain value.
type Error struct {
	// Status is the HTTP status.
	Status int
	// Size, for a 409 Conflict, is the size of the latest checkpoint the
	// witness cosigned for the log.
	Size int64
	// Detail says why, for people.
	Detail string
}

func (e *Error) Error() string {
	return fmt.Sprintf("witness: %d %s: %s", e.Status, http.StatusText(e.Status), e.Detail)
}

func refuse(status int, format string, args ...any) *Error {
	return &Error{Status: status, Detail: fmt.Sprintf(format, args...)}
}

// New returns a witness, reading its state from [Options.StatePath] if
// the file exists.
func New(opts *Options) (*Witness, error) {
	if opts == nil {
		return nil, errors.New("witness: options are required")
	}
	c, err := evidence.NewCosigner(opts.Name, opts.Key)
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	if opts.StatePath == "" {
		return nil, errors.New("witness: a state path is required")
	}
	if len(opts.Logs) == 0 {
		return nil, errors.New("witness: at least one log key is required")
	}
	w := &Witness{cosigner: c, logs: map[string][]note.Verifier{}, path: opts.StatePath,
		clock: opts.Clock, logger: opts.Logger, state: State{Logs: map[string]LogState{}}}
	if w.clock == nil {
		w.clock = time.Now
	}
	if w.logger == nil {
		w.logger = slog.New(slog.DiscardHandler)
	}
	for _, k := range opts.Logs {
		v, err := note.NewVerifier(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("witness: log key %q: %w", k, err)
		}
		w.logs[v.Name()] = append(w.logs[v.Name()], v)
	}
	b, err := os.ReadFile(opts.StatePath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("witness: read state: %w", err)
	default:
		if err := json.Unmarshal(b, &w.state); err != nil {
			return nil, fmt.Errorf("witness: state %s: %w", opts.StatePath, err)
		}
		if w.state.Logs == nil {
			w.state.Logs = map[string]LogState{}
		}
	}
	return w, nil
}

// Key returns the witness's public key, whose text form verifiers give
// to "aimskit evidence verify --witness".
func (w *Witness) Key() evidence.WitnessKey { return w.cosigner.Key() }

// State returns a copy of the witness's state.
func (w *Witness) State() State {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := State{Logs: make(map[string]LogState, len(w.state.Logs))}
	for k, v := range w.state.Logs {
		out.Logs[k] = v
	}
	return out
}

// emptyRoot is the RFC 6962 hash of the empty tree: SHA-256 of nothing.
var emptyRoot = tlog.Hash(sha256.Sum256(nil))

// AddCheckpoint cosigns the signed checkpoint if it is consistent with
// the latest checkpoint of its log that the witness cosigned, whose size
// must be oldSize (zero if none), by the consistency proof proof. It
// returns the cosignature, a note signature line, after it has persisted
// the new state. A refusal is an [*Error] with the protocol's status.
func (w *Witness) AddCheckpoint(oldSize int64, proof []tlog.Hash, signed []byte) ([]byte, error) {
	c, err := evidence.ParseCheckpoint(signed)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "%v", err)
	}
	keys := w.logs[c.Origin]
	if len(keys) == 0 {
		return nil, refuse(http.StatusNotFound, "unknown log %q", c.Origin)
	}
	n, err := note.Open(signed, note.VerifierList(keys...))
	if err != nil {
		return nil, refuse(http.StatusForbidden, "the checkpoint of %q is not signed by a key of the log: %v", c.Origin, err)
	}
	key := fmt.Sprintf("%s+%08x", n.Sigs[0].Name, n.Sigs[0].Hash)
	if oldSize < 0 || oldSize > c.Size {
		return nil, refuse(http.StatusBadRequest, "old size %d is beyond the checkpoint's size %d", oldSize, c.Size)
	}
	if len(proof) > MaxProofLines {
		return nil, refuse(http.StatusBadRequest, "%d proof lines, at most %d", len(proof), MaxProofLines)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	st := w.state.Logs[c.Origin]
	if oldSize != st.Size {
		return nil, &Error{Status: http.StatusConflict, Size: st.Size,
			Detail: fmt.Sprintf("the latest checkpoint cosigned for %q has size %d, not %d", c.Origin, st.Size, oldSize)}
	}
	inconsistent := func(format string, args ...any) ([]byte, error) {
		e := refuse(http.StatusUnprocessableEntity, format, args...)
		w.logger.Warn("witness: refused an inconsistent checkpoint", slog.String("origin", c.Origin),
			slog.Int64("size", c.Size), slog.Int64("old", oldSize), slog.String("key", key), slog.String("reason", e.Detail))
		return nil, e
	}
	switch {
	case c.Size == 0 && c.Root != emptyRoot:
		return inconsistent("a checkpoint of size 0 must have the root hash of the empty tree")
	case oldSize == 0 && len(proof) > 0:
		return inconsistent("a proof from size 0 must be empty")
	case oldSize == c.Size && c.Size > 0 && c.Root != st.Root:
		return inconsistent("a checkpoint of size %d with another root hash than the one cosigned", c.Size)
	case oldSize > 0 && oldSize < c.Size:
		if err := tlog.CheckTree(proof, c.Size, c.Root, oldSize, st.Root); err != nil {
			return inconsistent("the consistency proof from size %d to %d does not verify", oldSize, c.Size)
		}
	}
	line, err := w.cosigner.Cosign(n.Text, w.clock())
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	next := State{Logs: make(map[string]LogState, len(w.state.Logs)+1)}
	for k, v := range w.state.Logs {
		next.Logs[k] = v
	}
	next.Logs[c.Origin] = LogState{Size: c.Size, Root: c.Root, Key: key}
	if err := writeState(w.path, next); err != nil {
		return nil, err
	}
	w.state = next
	return line, nil
}

// writeState replaces the state file atomically: it writes a temporary
// file beside it, syncs it, renames it over the old one and syncs the
// folder.
func writeState(path string, st State) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("witness: state: %w", err)
	}
	b = append(b, '\n')
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("witness: write state: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("witness: write state: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// ParseRequest parses the body of an add-checkpoint request: an old size
// line, up to [MaxProofLines] consistency proof lines (base64 hashes), an
// empty line and the signed checkpoint. A malformed body gives an
// [*Error] with status 400.
func ParseRequest(body []byte) (oldSize int64, proof []tlog.Hash, signed []byte, err error) {
	bad := func(format string, args ...any) (int64, []tlog.Hash, []byte, error) {
		return 0, nil, nil, refuse(http.StatusBadRequest, format, args...)
	}
	line, rest, ok := bytes.Cut(body, []byte("\n"))
	if !ok {
		return bad("no old size line")
	}
	sizeText, ok := bytes.CutPrefix(line, []byte("old "))
	if !ok {
		return bad("the first line is not an old size line")
	}
	oldSize, perr := strconv.ParseInt(string(sizeText), 10, 64)
	if perr != nil || oldSize < 0 || strconv.FormatInt(oldSize, 10) != string(sizeText) {
		return bad("old size %q is not a decimal number", sizeText)
	}
	for {
		line, rest, ok = bytes.Cut(rest, []byte("\n"))
		if !ok {
			return bad("no empty line before the checkpoint")
		}
		if len(line) == 0 {
			break
		}
		if len(proof) == MaxProofLines {
			return bad("more than %d proof lines", MaxProofLines)
		}
		h, derr := base64.StdEncoding.Strict().DecodeString(string(line))
		if derr != nil || len(h) != tlog.HashSize {
			return bad("proof line %d is not a base64 hash", len(proof))
		}
		proof = append(proof, tlog.Hash(h))
	}
	if len(rest) == 0 {
		return bad("no checkpoint")
	}
	return oldSize, proof, rest, nil
}

// ServeHTTP serves the add-checkpoint call of the C2SP tlog-witness
// protocol: POST <prefix>/add-checkpoint. Mount the witness at any
// prefix.
func (w *Witness) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/add-checkpoint") {
		http.NotFound(rw, r)
		return
	}
	if r.Method != http.MethodPost {
		rw.Header().Set("Allow", http.MethodPost)
		http.Error(rw, "add-checkpoint takes POST", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequest+1))
	if err != nil {
		http.Error(rw, "reading the request: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(body) > maxRequest {
		http.Error(rw, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	oldSize, proof, signed, err := ParseRequest(body)
	var line []byte
	if err == nil {
		line, err = w.AddCheckpoint(oldSize, proof, signed)
	}
	var we *Error
	switch {
	case errors.As(err, &we) && we.Status == http.StatusConflict:
		rw.Header().Set("Content-Type", "text/x.tlog.size")
		rw.WriteHeader(http.StatusConflict)
		fmt.Fprintf(rw, "%d\n", we.Size)
	case errors.As(err, &we):
		http.Error(rw, we.Detail, we.Status)
	case err != nil:
		http.Error(rw, "internal error", http.StatusInternalServerError)
		w.logger.Error("witness: add-checkpoint", slog.Any("error", err))
	default:
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = rw.Write(line)
	}
}
