package main

import (
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/aimskit/aimskit/document"
)

// skippedFolders are the folders that a working directory holds besides
// governance documents: test fixtures and vendored code.
var skippedFolders = []string{"testdata", "vendor"}

// aimskitAPIVersion finds the apiVersion of an aimskit document in YAML
// or JSON text, however it is quoted.
var aimskitAPIVersion = regexp.MustCompile(`(?i)["']?apiVersion["']?\s*:\s*["']?aimskit\.dev/`)

// docFS is a file system that shows only what a folder that is not only
// governance documents (the current directory of a repository, say)
// holds of them: it leaves out the folders testdata and vendor, hidden
// folders, and YAML and JSON files that are not aimskit documents (their
// text has no "apiVersion: aimskit.dev/..."), and keeps a list of what it
// left out. A file that does not look like a document it keeps, so that
// the loader reports it: one larger than the loader's limit, one that is
// not a regular file, a symbolic link (the loader follows it only while
// it stays in the folder). It reads the document files it shows once to
// tell, and the loader reads them again.
//
// It is safe for concurrent use when the file system under it is.
type docFS struct {
	fsys    fs.FS
	maxSize int64

	mu      sync.Mutex
	skipped map[string]bool // names left out, folders with a final "/"
}

var (
	_ fs.ReadDirFS  = (*docFS)(nil)
	_ fs.StatFS     = (*docFS)(nil)
	_ fs.ReadLinkFS = (*docFS)(nil)
)

func newDocFS(fsys fs.FS) *docFS {
	return &docFS{fsys: fsys, maxSize: document.DefaultMaxSize, skipped: make(map[string]bool)}
}

func (d *docFS) Open(name string) (fs.File, error) { return d.fsys.Open(name) }

func (d *docFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(d.fsys, name) }

// ReadLink implements [fs.ReadLinkFS] when the file system under it does,
// and fails otherwise, as [fs.ReadLink] does.
func (d *docFS) ReadLink(name string) (string, error) { return fs.ReadLink(d.fsys, name) }

// Lstat implements [fs.ReadLinkFS] when the file system under it does,
// and fails otherwise, as [fs.Lstat] does.
func (d *docFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(d.fsys, name) }

// ReadDir returns the entries of a folder less those left out.
func (d *docFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(d.fsys, name)
	kept := entries[:0]
	for _, e := range entries {
		p := path.Join(name, e.Name())
		switch {
		case e.IsDir() && (strings.HasPrefix(e.Name(), ".") || slices.Contains(skippedFolders, e.Name())):
			d.skip(p + "/")
		case e.Type().IsRegular() && document.IsFile(p) && !d.isDocument(p):
			d.skip(p)
		default:
			kept = append(kept, e)
		}
	}
	return kept, err
}

func (d *docFS) skip(name string) {
	d.mu.Lock()
	d.skipped[name] = true
	d.mu.Unlock()
}

// isDocument reports whether the file name may be an aimskit document:
// its text names an aimskit apiVersion, it is larger than a document
// may be, or it cannot be read (the loader then says why).
func (d *docFS) isDocument(name string) bool {
	f, err := d.fsys.Open(name)
	if err != nil {
		return true
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, d.maxSize+1))
	if err != nil || int64(len(data)) > d.maxSize {
		return true
	}
	return aimskitAPIVersion.Match(data)
}

// Skipped returns what was left out so far, sorted: folders end in "/".
func (d *docFS) Skipped() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	names := make([]string, 0, len(d.skipped))
	for n := range d.skipped {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
