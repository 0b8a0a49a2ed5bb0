package aims

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// LoaderOptions configures a [Loader]. The zero value gives the defaults;
// a nil *LoaderOptions is the same as the zero value.
type LoaderOptions struct {
	// MaxDocumentSize is the largest file accepted, in bytes. Zero means
	// [document.DefaultMaxSize] (1 MiB). A larger file is reported as a
	// problem and not read.
	MaxDocumentSize int
	// Logger receives diagnostics (one Debug record per file). Nil means
	// silent.
	Logger *slog.Logger
	// Concurrency is how many files are decoded at once. Zero means
	// GOMAXPROCS. The file system given to [Loader.Load] must then be safe
	// for concurrent use, as [os.DirFS], [embed.FS] and [fstest.MapFS]
	// are; set 1 for one that is not.
	Concurrency int
	// MaxBytesInFlight bounds the memory decoding takes across files: at
	// most this many bytes of files, by their size when opened, are read
	// and decoded at once, by all the loads of the [Loader] together.
	// Zero means 4 × MaxDocumentSize; a value below MaxDocumentSize means
	// MaxDocumentSize. Decoding a file takes memory proportional to its
	// number of values, which the decoder bounds (see
	// [document.DecoderOptions]).
	MaxBytesInFlight int
	// CacheSize bounds the documents the loader keeps after a load, by
	// the bytes of the files they were decoded from, so that a later load
	// of a file with the same content (a reload of an unchanged folder)
	// copies the document instead of decoding it again. The least
	// recently used are dropped first. A cached document takes about as
	// much memory as a loaded one. Zero means 32 MiB of document files; a
	// negative value turns the cache off.
	CacheSize int
}

// ErrNoDocuments is the error [Loader.Load] returns, wrapped, for a folder
// that holds no document file.
var ErrNoDocuments = errors.New("aims: no aimskit documents")

// Loader loads folders of governance documents. It compiles the JSON
// Schemas of every document kind once, in [NewLoader]; its configuration
// is immutable afterwards and it is safe for concurrent use. Concurrent
// loads share its [LoaderOptions.MaxBytesInFlight] budget.
//
// A Loader keeps the documents it decoded, by the SHA-256 digest of the
// file's bytes (see [LoaderOptions.CacheSize]), so that reloading a
// folder in which few files changed decodes only those. The cache keeps
// a copy of its own: every [Snapshot] gets documents that no other
// snapshot and no later load shares, which its caller owns and may
// change. A document is decoded the same way whatever the cache holds;
// only its time differs.
type Loader struct {
	dec      *document.Decoder
	maxSize  int
	workers  int
	log      *slog.Logger
	inFlight *budget
	cache    *docCache // nil when off
}

// NewLoader returns a loader for every document kind aimskit defines.
func NewLoader(opts *LoaderOptions) (*Loader, error) {
	var o LoaderOptions
	if opts != nil {
		o = *opts
	}
	if o.MaxDocumentSize <= 0 {
		o.MaxDocumentSize = document.DefaultMaxSize
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = runtime.GOMAXPROCS(0)
	}
	if o.MaxBytesInFlight == 0 {
		o.MaxBytesInFlight = 4 * o.MaxDocumentSize
	}
	o.MaxBytesInFlight = max(o.MaxBytesInFlight, o.MaxDocumentSize)
	dec, err := document.NewDecoder(DocumentTypes(), &document.DecoderOptions{MaxSize: o.MaxDocumentSize})
	if err != nil {
		return nil, fmt.Errorf("aims: new loader: %w", err)
	}
	l := &Loader{dec: dec, maxSize: o.MaxDocumentSize, workers: o.Concurrency, log: o.Logger,
		inFlight: &budget{free: o.MaxBytesInFlight}}
	if o.CacheSize == 0 {
		o.CacheSize = defaultCacheSize
	}
	if o.CacheSize > 0 {
		l.cache = newDocCache(o.CacheSize)
	}
	return l, nil
}

// DocumentTypes returns every document kind aimskit defines, with its
// JSON Schema, for a [document.Decoder].
func DocumentTypes() []document.Type {
	var ts []document.Type
	ts = append(ts, inventory.DocumentTypes()...)
	ts = append(ts, risk.DocumentTypes()...)
	ts = append(ts, impact.DocumentTypes()...)
	ts = append(ts, controls.DocumentTypes()...)
	ts = append(ts, governance.DocumentTypes()...)
	ts = append(ts, document.Type{
		Kind:   KindGatePolicy,
		Schema: slices.Clone(gatePolicySchema),
		New:    func() document.Validator { return new(GatePolicy) },
	})
	return ts
}

// Schema returns the JSON Schema of the given document kind, and whether
// the kind exists. The caller owns the returned slice.
func Schema(kind string) ([]byte, bool) {
	for _, t := range DocumentTypes() {
		if t.Kind == kind {
			return t.Schema, true
		}
	}
	return nil, false
}

// Load is a convenience for [NewLoader] with nil options followed by
// [Loader.Load].
func Load(ctx context.Context, fsys fs.FS) (*Snapshot, error) {
	l, err := NewLoader(nil)
	if err != nil {
		return nil, err
	}
	return l.Load(ctx, fsys)
}

// Load reads every document file in fsys (see [document.IsFile]), walking
// sub-folders but skipping folders whose names start with a dot (such as
// the bookkeeping folder of a directory store). Use [fs.Sub] to load a
// sub-folder; [os.DirFS] and [embed.FS] both work.
//
// Every file is decoded strictly (see [document.Decoder.Decode]) and then
// the documents are checked against each other: duplicate ids and
// references to documents that do not exist are problems. All problems of
// all files are reported together, in one [*document.Error] whose
// problems name the file and the JSON pointer; it matches
// [document.ErrInvalid].
//
// A folder is often a pull request from someone else, so Load reads only
// what is inside it and only regular files. A file that is not a regular
// file (a named pipe, a device, a socket, a folder named like a
// document) is skipped unread, with a note in [Snapshot.Notes]: opening a
// named pipe would wait for a writer forever. A symbolic link, when fsys
// can read links ([fs.ReadLinkFS], as [os.DirFS], [fs.Sub] and
// [fstest.MapFS] do), is followed only while it stays inside the folder:
// each link on the way, and each folder of the path, is checked, and a
// link that leads out of the folder (an absolute link, "..", a link to a
// folder outside) is a problem, "symbolic link leaves the folder", and is
// not read. A link that stays inside is read as the file it leads to,
// under the link's name; a link to another document of the folder
// therefore gives that document twice, a duplicate id. A link that fsys
// cannot read is refused too. The checks are made before the file is
// opened; a folder that is changed while it is loaded is not guarded
// against.
//
// A folder with no document file is an error that matches
// [ErrNoDocuments].
//
// Load returns the folder even when it also returns a [*document.Error],
// which lets a tool show as much as it can: the folder then holds every
// document that decoded on its own, less a second document with an id
// already taken; documents with cross-document problems (a dangling
// reference) stay in it. A context error, an error reading the file
// system, or [ErrNoDocuments] is returned wrapped, with a nil folder.
//
// Problems are scoped. Every problem of the returned error is either a
// problem of one AI system's own documents ([Snapshot.SystemProblems]: its
// inventory entry, its assessments, its incidents, a waiver granted for
// it), which stops only that system's gates, or a problem of a document
// every gate reads ([Snapshot.SharedProblems]: the GatePolicy, the
// Statement of Applicability, the ManagementSystem, risk criteria,
// records), which stops them all; a [Gate] over the folder acts on this.
// A document that did not decode is put down to its AI system when its
// kind, id or system can still be read. A broken document is one
// problem: a reference to an AI system whose inventory entry did not
// decode is not reported again as one to a system that does not exist.
//
// What is owed only before a system's first use is not a problem while
// the system has not reached deployment: an impact assessment without
// the EU AI Act Art. 27 FRIA elements its system needs, and a high-risk
// system without its Art. 14 human-oversight mechanism, give a note in
// [Snapshot.Notes], and the deployment gate's [CheckFRIA] and
// [CheckHumanOversight] deny until they are there. Once the system is at
// deployment or a later stage, they are problems of the system.
func (l *Loader) Load(ctx context.Context, fsys fs.FS) (*Snapshot, error) {
	var (
		files []file
		notes []document.Problem
	)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !document.IsFile(p) {
			return nil
		}
		switch t := d.Type(); {
		case t.IsRegular():
			files = append(files, file{name: p})
		case t&fs.ModeSymlink != 0:
			files = append(files, file{name: p, link: true})
		default:
			notes = append(notes, skipped(p, t))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("aims: load: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("aims: load: %w", ErrNoDocuments)
	}
	results := make([]loaded, len(files))
	if err := l.decodeAll(ctx, fsys, files, results); err != nil {
		return nil, err
	}
	f := newSnapshot()
	var problems document.Error
	for i, r := range results {
		var de *document.Error
		switch {
		case r.note != nil:
			notes = append(notes, *r.note)
		case r.err == nil:
			f.add(files[i].name, r.digest, r.doc)
			if len(r.placeholders) > 0 {
				f.placeholders[r.doc] = r.placeholders
			}
		case errors.As(r.err, &de):
			problems.Problems = append(problems.Problems, de.Problems...)
			if r.about != (about{}) {
				f.broken[files[i].name] = r.about
			}
		default:
			return nil, fmt.Errorf("aims: load %s: %w", strconv.Quote(files[i].name), r.err)
		}
	}
	f.Notes = notes
	f.check(&problems)
	slices.SortStableFunc(f.Notes, func(a, b document.Problem) int { return strings.Compare(a.File, b.File) })
	return f, problems.Err()
}

// file is a document file found by the walk; link is whether its entry
// is a symbolic link.
type file struct {
	name string
	link bool
}

type loaded struct {
	doc          document.Validator
	digest       string
	placeholders []document.Problem
	note         *document.Problem // the file was skipped
	err          error
	about        about // for a document that did not decode
}

// about is what a document that did not decode says about itself, read
// leniently so that its problems can be put down to its AI system: its
// kind, its id (as a UUID for an AI system, as text for a record) and
// the AI system it is about (an assessment's or incident's). Fields that
// cannot be read are zero.
type about struct {
	kind    string
	id      uuid.UUID
	idText  string
	system  uuid.UUID
	name    string // and version: of risk criteria
	version string
}

// readAbout reads what a document that did not decode says about itself.
// It reads nothing from a document that the decoder's bounded parser
// cannot parse.
func readAbout(data []byte) about {
	h, err := document.KindOf(data)
	if err != nil {
		return about{}
	}
	var v struct {
		ID      any `json:"id"`
		System  any `json:"system"`
		Name    any `json:"name"`
		Version any `json:"version"`
	}
	if js, err := document.ToJSON(data); err == nil {
		_ = json.Unmarshal(js, &v) // best effort: what does not parse stays zero
	}
	a := about{kind: h.Kind}
	if s, ok := v.ID.(string); ok {
		a.id, _ = uuid.Parse(s)
		a.idText = s
	}
	if s, ok := v.System.(string); ok {
		a.system, _ = uuid.Parse(s)
	}
	a.name, _ = v.Name.(string)
	a.version, _ = v.Version.(string)
	return a
}

// skipped is the note for a file that is not a regular file.
func skipped(name string, t fs.FileMode) document.Problem {
	what := "an irregular file"
	switch {
	case t.IsDir():
		what = "a folder"
	case t&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case t&fs.ModeSocket != 0:
		what = "a socket"
	case t&fs.ModeDevice != 0:
		what = "a device"
	}
	return document.Problem{File: name, Message: "skipped: not a regular file but " + what}
}

// decodeAll reads and decodes the files with up to l.workers goroutines,
// all of which have returned when it returns. results[i] is the outcome
// for files[i], so the order does not depend on scheduling.
func (l *Loader) decodeAll(ctx context.Context, fsys fs.FS, files []file, results []loaded) error {
	workers := min(l.workers, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) || ctx.Err() != nil {
					return
				}
				results[i] = l.readFile(ctx, fsys, files[i])
				l.log.DebugContext(ctx, "aims: read document", slog.String("file", files[i].name),
					slog.Bool("ok", results[i].err == nil && results[i].note == nil))
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("aims: load: %w", err)
	}
	return nil
}

// readFile reads and decodes one file: it follows a link while it stays
// in the folder, skips what is not a regular file, and refuses a file
// larger than the limit unread.
func (l *Loader) readFile(ctx context.Context, fsys fs.FS, f file) loaded {
	name := f.name
	if f.link {
		target, msg, err := resolve(fsys, name)
		switch {
		case err != nil:
			return loaded{err: err}
		case msg != "":
			return loaded{err: &document.Error{Problems: []document.Problem{{File: name, Message: msg}}}}
		}
		info, err := fs.Stat(fsys, target) // target holds no link
		if err != nil {
			return loaded{err: err}
		}
		if !info.Mode().IsRegular() {
			n := skipped(name, info.Mode().Type())
			return loaded{note: &n}
		}
		name = target
	}
	file, err := fsys.Open(name)
	if err != nil {
		return loaded{err: err}
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return loaded{err: err}
	}
	if t := info.Mode().Type(); !t.IsRegular() {
		n := skipped(f.name, t)
		return loaded{note: &n}
	}
	if info.Size() > int64(l.maxSize) {
		return loaded{err: l.tooLarge(f.name)}
	}
	weight := max(1, int(info.Size()))
	if err := l.inFlight.acquire(ctx, weight); err != nil {
		return loaded{err: err}
	}
	defer l.inFlight.release(weight)
	data, err := readAll(file, info.Size(), l.maxSize)
	if err != nil {
		return loaded{err: err}
	}
	if len(data) > l.maxSize {
		return loaded{err: l.tooLarge(f.name)}
	}
	sum := sha256.Sum256(data)
	digest := hexDigest(sum)
	key := cacheKey{digest: sum, json: strings.EqualFold(path.Ext(f.name), ".json")}
	if l.cache != nil {
		if doc, ph, ok := l.cache.get(key, f.name); ok {
			return loaded{doc: doc, digest: digest, placeholders: ph}
		}
	}
	doc, ph, err := l.dec.DecodePlaceholders(f.name, data)
	if err != nil {
		return loaded{err: err, about: readAbout(data)}
	}
	if l.cache != nil {
		l.cache.put(key, len(data), doc, ph)
	}
	return loaded{doc: doc, digest: digest, placeholders: ph}
}

// readAll reads r, a file of the given size when it was opened, up to
// one byte more than limit, in one buffer of the size unless the file
// has grown since.
func readAll(r io.Reader, size int64, limit int) ([]byte, error) {
	buf := make([]byte, 0, min(size, int64(limit))+1) // +1: reach EOF without growing
	return readInto(buf, io.LimitReader(r, int64(limit)+1))
}

// readInto appends what r holds to buf, as [io.ReadAll] does.
func readInto(b []byte, r io.Reader) ([]byte, error) {
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

func (l *Loader) tooLarge(name string) error {
	return &document.Error{Problems: []document.Problem{{
		File: name, Message: fmt.Sprintf("file is larger than the limit of %d bytes", l.maxSize),
	}}}
}

// maxLinks is how many symbolic links resolve follows for one file.
const maxLinks = 40

// resolve returns the path, free of symbolic links, that the link name
// leads to in fsys, following each link on the way while it stays in
// fsys. When it does not, it returns a message for the problem instead.
// It reads links, never files.
func resolve(fsys fs.FS, name string) (target, problem string, err error) {
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return "", "symbolic link not followed: the file system cannot read links", nil
	}
	var done []string // path so far, free of links
	rest := strings.Split(name, "/")
	for links := 0; len(rest) > 0; {
		elem := rest[0]
		rest = rest[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", "symbolic link leaves the folder", nil
			}
			done = done[:len(done)-1]
			continue
		}
		p := path.Join(append(done, elem)...)
		info, err := fs.Lstat(fsys, p)
		if err != nil {
			return "", "symbolic link leads to no file", nil
		}
		if info.Mode().Type() != fs.ModeSymlink {
			done = append(done, elem)
			continue
		}
		if links++; links > maxLinks {
			return "", "too many levels of symbolic links", nil
		}
		dest, err := fs.ReadLink(fsys, p)
		if err != nil {
			return "", "", err
		}
		dest = filepath.ToSlash(dest)
		if path.IsAbs(dest) || filepath.IsAbs(dest) || filepath.VolumeName(dest) != "" {
			return "", "symbolic link leaves the folder", nil
		}
		rest = append(strings.Split(dest, "/"), rest...)
	}
	if len(done) == 0 {
		return ".", "", nil
	}
	return path.Join(done...), "", nil
}

// budget is a weighted semaphore: at most free units are held at once,
// handed out in the order asked for. Its zero value holds nothing.
type budget struct {
	mu      sync.Mutex
	free    int
	waiters []*waiter
}

type waiter struct {
	n     int
	ready chan struct{}
}

// acquire waits until n units are free and takes them, or until ctx is
// done. n must not exceed the budget's total.
func (b *budget) acquire(ctx context.Context, n int) error {
	b.mu.Lock()
	if len(b.waiters) == 0 && b.free >= n {
		b.free -= n
		b.mu.Unlock()
		return nil
	}
	w := &waiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		defer b.mu.Unlock()
		select {
		case <-w.ready: // granted meanwhile: give it back
			b.free += n
		default:
			b.waiters = slices.DeleteFunc(b.waiters, func(x *waiter) bool { return x == w })
		}
		b.grant()
		return ctx.Err()
	}
}

// release gives back n units.
func (b *budget) release(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.free += n
	b.grant()
}

// grant hands free units to the waiters in order.
func (b *budget) grant() {
	for len(b.waiters) > 0 && b.free >= b.waiters[0].n {
		w := b.waiters[0]
		b.free -= w.n
		close(w.ready)
		b.waiters = b.waiters[1:]
	}
}

// clip returns s, content from a document, cut to a short excerpt and
// without characters that are not printable.
func clip(s string) string {
	if q := document.Excerpt(s); q != strconv.Quote(s) || strings.ContainsAny(s, "\"\\") || !strconv.CanBackquote(s) {
		return q
	}
	return s
}

// contentDigest returns the digest of a document's bytes as
// [Snapshot.Digest] gives it: "sha256:" and the lower-case hex SHA-256.
func contentDigest(data []byte) string { return hexDigest(sha256.Sum256(data)) }

// hexDigest returns a SHA-256 sum as [contentDigest] gives it.
func hexDigest(sum [sha256.Size]byte) string {
	var b [len("sha256:") + 2*sha256.Size]byte
	n := copy(b[:], "sha256:")
	hex.Encode(b[n:], sum[:])
	return string(b[:])
}

// Decode decodes one document of any kind aimskit defines; file names its
// source in problems. See [document.Decoder.Decode].
func (l *Loader) Decode(file string, data []byte) (document.Validator, error) {
	return l.dec.Decode(file, data)
}

// Snapshot is the governance documents of an AI management system as
// loaded at one moment, by kind, with the problems found in them: from a
// folder by [Loader.Load] (documents in file-name order) or from a store
// by [Loader.LoadStore] (in kind and id order). Gates, guards, monitors
// and readiness read it. A Snapshot is a plain value that the loader
// returns to its caller, who owns it and its documents: they are shared
// with no other snapshot and not with the loader's cache, and later
// changes to the folder or store do not change them. It is not safe for
// concurrent mutation.
type Snapshot struct {
	// Systems is the AI system inventory.
	Systems []*inventory.System
	// RiskCriteria are the organisation's own risk criteria; assessments
	// may also pin the built-in criteria of package risk.
	RiskCriteria []*risk.Criteria
	// RiskAssessments are the risk assessments, at most one per AI system.
	RiskAssessments []*risk.Assessment
	// ImpactAssessments are the impact assessments, at most one per AI
	// system.
	ImpactAssessments []*impact.Assessment
	// SoA is the Statement of Applicability, or nil. A folder holds at
	// most one.
	SoA *controls.StatementOfApplicability
	// Policy is the gate policy, or nil for [DefaultPolicy]. A folder
	// holds at most one.
	Policy *GatePolicy
	// ManagementSystem describes the AI management system, or is nil. A
	// folder holds at most one.
	ManagementSystem *governance.ManagementSystem
	// Audits are the internal audit records (9.2).
	Audits []*governance.AuditRecord
	// Reviews are the management reviews (9.3).
	Reviews []*governance.ManagementReview
	// Nonconformities are the nonconformity records (10.2).
	Nonconformities []*governance.Nonconformity
	// Incidents are the incident records (A.8.4, 10.2; EU AI Act Art. 73).
	Incidents []*governance.Incident
	// Notes are what [Loader.Load] found that is not a problem, in
	// file-name order: a file left out because it is not a regular file,
	// and what a system not yet deployed does not need yet: the EU AI Act
	// Art. 27 FRIA of its impact assessment and the Art. 14 human
	// oversight of a high-risk system, owed before first use, which the
	// deployment gate's [CheckFRIA] and [CheckHumanOversight] require.
	Notes []document.Problem

	sources map[any]source
	// placeholders of each document that has some (see
	// [Snapshot.Placeholders])
	placeholders map[any][]document.Problem
	broken       map[string]about // documents that did not decode, by file
	problems     []scopedProblem  // every problem Load reported, with its scope
	criteria     map[*risk.Assessment]risk.Criteria
	refs         *refs // while check runs
	soas         []*controls.StatementOfApplicability
	policies     []*GatePolicy
	mss          []*governance.ManagementSystem
}

// source is where a document came from.
type source struct {
	file   string
	digest string
}

func newSnapshot() *Snapshot {
	return &Snapshot{sources: make(map[any]source), broken: make(map[string]about), criteria: make(map[*risk.Assessment]risk.Criteria),
		placeholders: make(map[any][]document.Problem)}
}

func (f *Snapshot) add(file, digest string, v document.Validator) {
	f.sources[v] = source{file, digest}
	switch v := v.(type) {
	case *inventory.System:
		f.Systems = append(f.Systems, v)
	case *risk.Criteria:
		f.RiskCriteria = append(f.RiskCriteria, v)
	case *risk.Assessment:
		f.RiskAssessments = append(f.RiskAssessments, v)
	case *impact.Assessment:
		f.ImpactAssessments = append(f.ImpactAssessments, v)
	case *controls.StatementOfApplicability:
		f.soas = append(f.soas, v)
	case *GatePolicy:
		f.policies = append(f.policies, v)
	case *governance.ManagementSystem:
		f.mss = append(f.mss, v)
	case *governance.AuditRecord:
		f.Audits = append(f.Audits, v)
	case *governance.ManagementReview:
		f.Reviews = append(f.Reviews, v)
	case *governance.Nonconformity:
		f.Nonconformities = append(f.Nonconformities, v)
	case *governance.Incident:
		f.Incidents = append(f.Incidents, v)
	}
}

// policy returns the folder's gate policy or the default one.
func (f *Snapshot) policy() *GatePolicy {
	if f.Policy != nil {
		return f.Policy
	}
	return DefaultPolicy()
}

// inputs lists the documents a decision about sys reads, with their
// digests; ra and ia are its assessments, or nil.
func (f *Snapshot) inputs(sys *inventory.System, ra *risk.Assessment, ia *impact.Assessment) []DecisionInput {
	in := make([]DecisionInput, 0, 5)
	in = append(in, DecisionInput{Kind: inventory.KindSystem, ID: sys.ID.String(), Digest: f.Digest(sys)})
	if ra != nil {
		in = append(in, DecisionInput{Kind: risk.KindAssessment, ID: ra.ID.String(), Digest: f.Digest(ra)})
	}
	if ia != nil {
		in = append(in, DecisionInput{Kind: impact.KindAssessment, ID: ia.ID.String(), Digest: f.Digest(ia)})
	}
	if f.SoA != nil {
		in = append(in, DecisionInput{Kind: controls.KindStatementOfApplicability, ID: f.SoA.ID.String(), Digest: f.Digest(f.SoA)})
	}
	if f.Policy != nil {
		in = append(in, DecisionInput{Kind: KindGatePolicy, ID: f.Policy.ID, Digest: f.Digest(f.Policy)})
	}
	return in
}

// File returns the name of the file a document was loaded from, or "" if
// the document did not come from this folder. doc is a pointer held by
// the folder, such as f.Systems[0].
func (f *Snapshot) File(doc any) string { return f.sources[doc].file }

// Digest returns "sha256:" and the hex SHA-256 of the bytes a document was
// loaded from, or "" if the document did not come from this folder.
// Decisions record these digests as their inputs.
func (f *Snapshot) Digest(doc any) string { return f.sources[doc].digest }

// System returns the AI system with the given id, or nil.
func (f *Snapshot) System(id uuid.UUID) *inventory.System {
	for _, s := range f.Systems {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// check adds the problems found across documents: duplicate ids and
// dangling references.
func (f *Snapshot) check(e *document.Error) {
	sys := make(map[int]uuid.UUID) // problems of a shared document due to one system
	defer func() {
		f.refs = nil
		f.attribute(e, sys)
	}()
	f.SoA = one(f, e, f.soas, "Statement of Applicability")
	f.Policy = one(f, e, f.policies, "gate policy")
	f.ManagementSystem = one(f, e, f.mss, "management system description")
	f.checkSystems(e)
	f.refs = f.newRefs()
	f.checkAssessments(e, sys)
	f.checkRecords(e)
	if f.SoA != nil {
		for i, en := range f.SoA.Entries {
			for j, id := range en.Systems {
				if !f.known(id) {
					f.problem(e, f.SoA, document.Pointer("entries", i, "systems", j), "AI system %s is not in the inventory", id)
				}
			}
		}
	}
	if f.Policy != nil {
		for i, w := range f.Policy.Waivers {
			f.merge(e, f.Policy, prefixed(document.Pointer("waivers", i), w.Validate()))
			if w.System != uuid.Nil && !f.known(w.System) {
				f.problem(e, f.Policy, document.Pointer("waivers", i, "system"), "AI system %s is not in the inventory", w.System)
			}
		}
	}
}

// one returns the only document of a kind of which a folder may hold one,
// reporting the others as problems.
func one[T any](f *Snapshot, e *document.Error, docs []*T, what string) *T {
	if len(docs) == 0 {
		return nil
	}
	for _, d := range docs[1:] {
		f.problem(e, d, "", "a folder holds one %s; %s has another", what, f.File(docs[0]))
	}
	return docs[0]
}

func (f *Snapshot) problem(e *document.Error, doc any, pointer, format string, args ...any) {
	e.Problems = append(e.Problems, document.Problem{File: f.File(doc), Pointer: pointer, Message: fmt.Sprintf(format, args...)})
}

func (f *Snapshot) checkSystems(e *document.Error) {
	seenSys := make(map[uuid.UUID]string)
	seenName := make(map[string]string)
	f.Systems = slices.DeleteFunc(f.Systems, func(s *inventory.System) bool {
		file := f.sources[s].file
		if first, dup := seenSys[s.ID]; dup {
			e.Problems = append(e.Problems, document.Problem{File: file, Pointer: "/id",
				Message: fmt.Sprintf("duplicate id %s: %s already defines an AI system with it", s.ID, first)})
			return true
		}
		seenSys[s.ID] = file
		if first, dup := seenName[s.Name]; dup {
			e.Problems = append(e.Problems, document.Problem{File: file, Pointer: "/name",
				Message: fmt.Sprintf("duplicate name %s: %s already uses it", document.Excerpt(s.Name), first)})
		}
		seenName[s.Name] = file
		f.owedBeforeUse(e, s, s, s.ValidateBeforeUse(), CheckHumanOversight)
		return false
	})
}

// Len returns the number of documents in the folder.
func (f *Snapshot) Len() int { return len(f.sources) }

// checkRecords checks the management-system records against each other
// and the inventory.
func (f *Snapshot) checkRecords(e *document.Error) {
	if ms := f.ManagementSystem; ms != nil {
		f.systemRefs(e, ms, "/scope/systems", ms.Scope.Systems)
	}
	uniqueIDs(f, e, f.Audits, func(a *governance.AuditRecord) string { return a.ID })
	uniqueIDs(f, e, f.Reviews, func(r *governance.ManagementReview) string { return r.ID })
	uniqueIDs(f, e, f.Nonconformities, func(n *governance.Nonconformity) string { return n.ID })
	uniqueIDs(f, e, f.Incidents, func(i *governance.Incident) string { return i.ID })
	for _, inc := range f.Incidents {
		if !f.known(inc.System) {
			f.problem(e, inc, "/system", "AI system %s is not in the inventory", inc.System)
		}
		if inc.Nonconformity != "" && f.nonconformity(inc.Nonconformity) == nil && !f.knownRecord(governance.KindNonconformity, inc.Nonconformity) {
			f.problem(e, inc, "/nonconformity", "nonconformity %s does not exist", document.Excerpt(inc.Nonconformity))
		}
	}
	for _, a := range f.Audits {
		f.systemRefs(e, a, "/scope/systems", a.Scope.Systems)
		for i, fd := range a.Findings {
			if fd.Nonconformity != "" && f.nonconformity(fd.Nonconformity) == nil && !f.knownRecord(governance.KindNonconformity, fd.Nonconformity) {
				f.problem(e, a, document.Pointer("findings", i, "nonconformity"), "nonconformity %s does not exist", document.Excerpt(fd.Nonconformity))
			}
		}
	}
	for _, n := range f.Nonconformities {
		f.systemRefs(e, n, "/systems", n.Systems)
		src := n.Source
		if src.Audit == "" {
			continue
		}
		a := f.audit(src.Audit)
		switch {
		case a == nil && f.knownRecord(governance.KindAuditRecord, src.Audit):
			// The audit has problems of its own.
		case a == nil:
			f.problem(e, n, "/source/audit", "audit %s does not exist", document.Excerpt(src.Audit))
		case src.Finding != "":
			if _, ok := a.Finding(src.Finding); !ok {
				f.problem(e, n, "/source/finding", "audit %s has no finding %s", document.Excerpt(src.Audit), document.Excerpt(src.Finding))
			}
		}
	}
}

func (f *Snapshot) systemRefs(e *document.Error, doc any, pointer string, ids []uuid.UUID) {
	for i, id := range ids {
		if !f.known(id) {
			f.problem(e, doc, pointer+"/"+strconv.Itoa(i), "AI system %s is not in the inventory", id)
		}
	}
}

func uniqueIDs[T any](f *Snapshot, e *document.Error, docs []*T, id func(*T) string) {
	seen := make(map[string]*T, len(docs))
	for _, d := range docs {
		k := id(d)
		if first, dup := seen[k]; dup {
			f.problem(e, d, "/id", "duplicate id %s: %s already uses it", document.Excerpt(k), f.File(first))
			continue
		}
		seen[k] = d
	}
}

// audit returns the audit record with the given id, or nil.
func (f *Snapshot) audit(id string) *governance.AuditRecord { return f.refs.audits[id] }

// nonconformity returns the nonconformity with the given id, or nil.
func (f *Snapshot) nonconformity(id string) *governance.Nonconformity {
	return f.refs.nonconformity[id]
}

// checkAssessments checks risk and impact assessments against the
// inventory, their criteria and the Statement of Applicability. A problem
// the SoA has because of an assessment is put down to the assessment's
// system in sys, by its index in e.
func (f *Snapshot) checkAssessments(e *document.Error, sys map[int]uuid.UUID) {
	seenCrit := make(map[string]*risk.Criteria)
	for _, c := range f.RiskCriteria {
		k := c.Name + "@" + c.Version
		if first, dup := seenCrit[k]; dup {
			f.problem(e, c, "/name", "criteria %s are defined twice: %s defines them too", clip(k), f.File(first))
		}
		seenCrit[k] = c
	}
	lib := make([]risk.Criteria, 0, len(f.RiskCriteria))
	for _, c := range f.RiskCriteria {
		lib = append(lib, *c)
	}
	perSystem := make(map[uuid.UUID]string)
	pinned := make(map[[2]string]risk.Criteria) // resolved once, shared by the assessments that pin them
	f.RiskAssessments = slices.DeleteFunc(f.RiskAssessments, func(a *risk.Assessment) bool {
		if first, dup := perSystem[a.System]; dup {
			f.problem(e, a, "/system", "AI system %s already has a risk assessment in %s", a.System, first)
			return true
		}
		perSystem[a.System] = f.File(a)
		if !f.known(a.System) {
			f.problem(e, a, "/system", "AI system %s is not in the inventory", a.System)
		}
		key := [2]string{}
		if a.Criteria.Inline == nil {
			name, version := a.Criteria.Pinned()
			key = [2]string{name, version}
		}
		c, shared := pinned[key]
		var err error
		if !shared || a.Criteria.Inline != nil {
			c, err = a.ResolveCriteria(lib)
		}
		if err == nil && a.Criteria.Inline == nil && !shared {
			pinned[key] = c
		}
		if err != nil {
			if name, version := a.Criteria.Pinned(); !f.brokenCriteria(name, version) {
				f.problem(e, a, "/criteria", "%v", err)
			}
			return false
		}
		if err := a.ValidateWith(c); err != nil {
			f.merge(e, a, err)
			return false
		}
		f.criteria[a] = c
		if f.SoA != nil {
			named := make(map[controls.ID][]string)
			for id, risks := range a.Controls() {
				named[controls.ID(id)] = risks
			}
			n := len(e.Problems)
			f.merge(e, f.SoA, f.SoA.CheckTreatments(named))
			for i := n; i < len(e.Problems); i++ {
				sys[i] = a.System
			}
		}
		return false
	})
	clear(perSystem)
	f.ImpactAssessments = slices.DeleteFunc(f.ImpactAssessments, func(a *impact.Assessment) bool {
		if first, dup := perSystem[a.System]; dup {
			f.problem(e, a, "/system", "AI system %s already has an impact assessment in %s", a.System, first)
			return true
		}
		perSystem[a.System] = f.File(a)
		s := f.refs.systems[a.System]
		switch {
		case s == nil && !f.known(a.System):
			f.problem(e, a, "/system", "AI system %s is not in the inventory", a.System)
			return false
		case s == nil:
			return false // its inventory entry has problems of its own
		}
		f.merge(e, a, a.ValidateFor(s))
		f.owedBeforeUse(e, a, s, a.ValidateBeforeUse(s), CheckFRIA)
		return false
	})
}

// owedBeforeUse adds err, the problems of doc that only matter before the
// first use of sys and that the check of the deployment gate enforces: a
// problem once sys is deployed, a note before.
func (f *Snapshot) owedBeforeUse(e *document.Error, doc any, sys *inventory.System, err error, check string) {
	if err == nil {
		return
	}
	if deployed(sys.Lifecycle.Stage) {
		f.merge(e, doc, err)
		return
	}
	var notes document.Error
	f.merge(&notes, doc, err)
	for _, n := range notes.Problems {
		n.Message += "; not a problem before deployment, but the deployment gate's " + check + " check denies until then"
		f.Notes = append(f.Notes, n)
	}
}

// deployed reports whether a system at stage s has been deployed: what
// is owed before first use is then a problem.
func deployed(s inventory.Stage) bool {
	switch s {
	case inventory.StageUnspecified, inventory.StageInception, inventory.StageDesignAndDevelopment, inventory.StageVerificationValidation:
		return false
	}
	return true
}

// prefixed returns err with prefix added to the pointer of each of its
// problems, or nil.
func prefixed(prefix string, err error) error {
	var e document.Error
	e.Merge(prefix, err)
	return e.Err()
}

// refs finds what the cross-reference checks of a load look up, each in
// constant time, so that the checks take time linear in the number of
// documents. check builds it once the AI systems are deduplicated.
type refs struct {
	systems        map[uuid.UUID]*inventory.System // the first of each id
	brokenSystems  map[uuid.UUID]bool
	brokenCriteria map[[2]string]bool // by name and version
	brokenRecords  map[[2]string]bool // by kind and id
	audits         map[string]*governance.AuditRecord
	nonconformity  map[string]*governance.Nonconformity
}

func (f *Snapshot) newRefs() *refs {
	r := &refs{
		systems:        make(map[uuid.UUID]*inventory.System, len(f.Systems)),
		brokenSystems:  make(map[uuid.UUID]bool),
		brokenCriteria: make(map[[2]string]bool),
		brokenRecords:  make(map[[2]string]bool),
		audits:         make(map[string]*governance.AuditRecord, len(f.Audits)),
		nonconformity:  make(map[string]*governance.Nonconformity, len(f.Nonconformities)),
	}
	for _, s := range f.Systems {
		if _, dup := r.systems[s.ID]; !dup {
			r.systems[s.ID] = s
		}
	}
	for _, a := range f.broken {
		switch a.kind {
		case inventory.KindSystem:
			r.brokenSystems[a.id] = true
		case risk.KindCriteria:
			r.brokenCriteria[[2]string{a.name, a.version}] = true
		}
		r.brokenRecords[[2]string{a.kind, a.idText}] = true
	}
	for _, a := range f.Audits {
		if _, dup := r.audits[a.ID]; !dup {
			r.audits[a.ID] = a
		}
	}
	for _, n := range f.Nonconformities {
		if _, dup := r.nonconformity[n.ID]; !dup {
			r.nonconformity[n.ID] = n
		}
	}
	return r
}

// known reports whether the folder holds the AI system, or a document
// that defines it but has problems of its own: a reference to such a
// system is not one more problem.
func (f *Snapshot) known(id uuid.UUID) bool {
	return f.refs.systems[id] != nil || f.refs.brokenSystems[id]
}

// brokenCriteria reports whether the folder holds a RiskCriteria document
// of the name and version that did not decode: an assessment that pins
// them has no problem of its own for it.
func (f *Snapshot) brokenCriteria(name, version string) bool {
	return f.refs.brokenCriteria[[2]string{name, version}]
}

// knownRecord reports whether the folder holds a document of the kind
// with the id that did not decode: a reference to it is not one more
// problem.
func (f *Snapshot) knownRecord(kind, id string) bool {
	return f.refs.brokenRecords[[2]string{kind, id}]
}

// merge adds the problems of err, which are relative to doc.
func (f *Snapshot) merge(e *document.Error, doc any, err error) {
	if err == nil {
		return
	}
	n := len(e.Problems)
	e.Merge("", err)
	for i := n; i < len(e.Problems); i++ {
		e.Problems[i].File = f.File(doc)
	}
}

// RiskAssessment returns the risk assessment of the AI system, or nil.
func (f *Snapshot) RiskAssessment(system uuid.UUID) *risk.Assessment {
	for _, a := range f.RiskAssessments {
		if a.System == system {
			return a
		}
	}
	return nil
}

// Criteria returns the risk criteria an assessment of the folder rates
// against, and whether they were found.
// Assessments that pin the same criteria by name and version share one
// value, whose slices the caller must treat as read-only.
func (f *Snapshot) Criteria(a *risk.Assessment) (risk.Criteria, bool) {
	c, ok := f.criteria[a]
	return c, ok
}

// ImpactAssessment returns the impact assessment of the AI system, or nil.
func (f *Snapshot) ImpactAssessment(system uuid.UUID) *impact.Assessment {
	for _, a := range f.ImpactAssessments {
		if a.System == system {
			return a
		}
	}
	return nil
}

// scopedProblem is a problem with the gates it stops: those of one AI
// system, or, when wide is set, every gate.
type scopedProblem struct {
	document.Problem
	system uuid.UUID
	wide   bool
}

// attribute records the scope of every problem of e: the AI system its
// document is about, or every system for a document that is about no one
// system. sys gives the system of problems, by index, that a shared
// document has because of one system's document.
func (f *Snapshot) attribute(e *document.Error, sys map[int]uuid.UUID) {
	byFile := make(map[string]any, len(f.sources))
	for d, src := range f.sources {
		byFile[src.file] = d
	}
	f.problems = make([]scopedProblem, 0, len(e.Problems))
	for i, p := range e.Problems {
		id, ok := sys[i]
		if !ok {
			id = f.systemOf(p, byFile)
		}
		f.problems = append(f.problems, scopedProblem{Problem: p, system: id, wide: id == uuid.Nil})
	}
}

// systemOf returns the AI system a problem is a problem of, or uuid.Nil
// when it is one of a document that is about no one system.
func (f *Snapshot) systemOf(p document.Problem, byFile map[string]any) uuid.UUID {
	switch d := byFile[p.File].(type) {
	case *inventory.System:
		return d.ID
	case *risk.Assessment:
		return d.System
	case *impact.Assessment:
		return d.System
	case *governance.Incident:
		return d.System
	case *GatePolicy:
		// A problem of a waiver is one of the system it is for; the rest
		// of the policy stays in force.
		var i int
		if _, err := fmt.Sscanf(p.Pointer, "/waivers/%d", &i); err == nil && i >= 0 && i < len(d.Waivers) {
			return d.Waivers[i].System
		}
		return uuid.Nil
	case nil:
	default:
		return uuid.Nil
	}
	a, ok := f.broken[p.File]
	switch {
	case !ok:
		return uuid.Nil
	case a.kind == inventory.KindSystem:
		return a.id
	case a.kind == risk.KindAssessment, a.kind == impact.KindAssessment, a.kind == governance.KindIncident:
		return a.system
	}
	return uuid.Nil
}

// SharedProblems returns the problems that [Loader.Load] found in
// documents that are about no one AI system: the GatePolicy (but for its
// waivers), the Statement of Applicability, the ManagementSystem, risk
// criteria, audits, reviews and nonconformities, and a file whose kind or
// AI system could not be read (with [Loader.LoadStore], every document
// that did not decode). They stop the gates of every system:
// [NewGate] refuses such a folder. It returns nil for a folder without
// such problems; the caller owns the returned slice.
func (f *Snapshot) SharedProblems() []document.Problem {
	var out []document.Problem
	for _, p := range f.problems {
		if p.wide {
			out = append(out, p.Problem)
		}
	}
	return out
}

// SystemProblems returns the problems that [Loader.Load] found in the
// documents of one AI system: its inventory entry, its risk and impact
// assessments, its incidents, the waivers granted for it, and what the
// Statement of Applicability lacks for the controls its risk assessment
// names. They stop only the gates of that system: [Gate.Evaluate] denies
// with a failed [CheckDocumentsValid] result, or, when the system's own
// inventory entry did not load, returns an error. A problem of a document
// whose AI system does not exist is the problem of no loaded system, yet
// [Loader.Load] reports it like any other. It returns nil for a system
// without problems; the caller owns the returned slice.
//
// Every problem is one of exactly one of SharedProblems and
// SystemProblems of some system, so that the [*document.Error] of Load
// and these two tell the same story.
func (f *Snapshot) SystemProblems(system uuid.UUID) []document.Problem {
	var out []document.Problem
	for _, p := range f.problems {
		if !p.wide && p.system == system {
			out = append(out, p.Problem)
		}
	}
	return out
}
