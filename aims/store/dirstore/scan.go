package dirstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aimskit/aimskit/aims/store"
)

// apiVersionPrefix starts the apiVersion of every aimskit document.
const apiVersionPrefix = "aimskit.dev/"

// scan builds the index of documents from the folder, removing the
// temporary files and incomplete history lines that a crash left behind,
// and records in the histories the changes made outside the store. It
// returns an error if the folder cannot be read or if two files hold the
// same document; corrupt files become entries with an error.
func (s *Driver) scan() error {
	histories, err := s.scanHistories()
	if err != nil {
		return err
	}
	s.docs = make(map[string]*entry)
	var found []store.Change // changes made outside the store
	err = filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == s.dir {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if strings.HasPrefix(name, ".") {
				return filepath.SkipDir // .aimskit, .git and other hidden folders
			}
			return nil
		}
		if strings.HasPrefix(name, tempPrefix) && strings.HasSuffix(name, tempSuffix) && d.Type().IsRegular() {
			if err := os.Remove(path); err != nil {
				return err
			}
			s.log.Info("dirstore: removed a temporary file left by an interrupted write", slog.String("file", path))
			return nil
		}
		if strings.HasPrefix(name, ".") || !isDocumentName(name) {
			return nil
		}
		if !d.Type().IsRegular() {
			// Links are not followed, so none leads out of the folder;
			// FIFOs and devices are never opened.
			s.log.Info("dirstore: skipped a file that is not a regular file", slog.String("file", path))
			return nil
		}
		c, err := s.addFile(path, histories)
		if c != nil {
			found = append(found, *c)
		}
		return err
	})
	if err != nil {
		return err
	}
	// What remains are documents without a file: deleted ones, ones
	// whose first write did not complete, and ones whose file was removed
	// outside the store.
	for key, h := range histories {
		if h.err != nil {
			s.docs[key] = &entry{id: h.id, err: h.err}
			continue
		}
		e, c := s.withoutFile(h)
		if e != nil {
			s.docs[key] = e
		}
		if c != nil {
			found = append(found, *c)
		}
	}
	for _, c := range found {
		if err := s.appendHistory(c); err != nil {
			return err
		}
		s.log.Info("dirstore: recorded a change made outside the store", slog.String("kind", c.Kind),
			slog.String("id", c.ID), slog.Int64("revision", c.Revision), slog.String("op", string(c.Op)))
	}
	for _, e := range s.docs {
		if e.err != nil {
			s.log.Warn("dirstore: corrupt document", slog.String("error", e.err.Error()))
		}
	}
	return nil
}

// isDocumentName reports whether a file name is that of a document file:
// YAML or JSON.
func isDocumentName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// scannedHistory is a history file found by scan.
type scannedHistory struct {
	id string
	history
	err error // a *CorruptError
}

// withoutFile returns the entry of a document that has a history but no
// file, or nil if none of its changes was committed, and the delete to
// record if its file was removed outside the store.
//
// A write appends its history line before it takes effect, so only the
// last change can be uncommitted. If it is a delete, the document was
// deleted. If it is a put that created the document (the first change,
// or one after a delete), the put did not complete and the document is as
// before it. A put that changed an existing document must have left a
// file, so the file was removed outside the store: that is a delete.
func (s *Driver) withoutFile(h *scannedHistory) (*entry, *store.Change) {
	n := len(h.changes)
	if n == 0 {
		return nil, nil
	}
	last := h.changes[n-1]
	if last.Op == store.OpPut {
		if n > 1 && h.changes[n-2].Op == store.OpPut {
			c := &store.Change{Kind: last.Kind, ID: last.ID, Revision: last.Revision + 1, Op: store.OpDelete,
				Time: s.now(), Actor: OutsideActor, Reason: "file removed outside the store"}
			return &entry{kind: last.Kind, id: last.ID, rev: c.Revision, updated: c.Time, updatedBy: c.Actor}, c
		}
		if n == 1 {
			return nil, nil
		}
		last = h.changes[n-2]
	}
	return &entry{kind: last.Kind, id: last.ID, rev: last.Revision, updated: last.Time, updatedBy: last.Actor}, nil
}

func (s *Driver) now() time.Time { return s.clock().UTC().Round(0) }

// scanHistories reads every history file, by file key, and truncates
// incomplete last lines.
func (s *Driver) scanHistories() (map[string]*scannedHistory, error) {
	root := filepath.Join(s.dir, metaDir, historyDir)
	kinds, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	hs := make(map[string]*scannedHistory)
	for _, k := range kinds {
		lkind := k.Name()
		if !k.IsDir() || !isKindFolder(lkind) {
			continue
		}
		folder := filepath.Join(root, lkind)
		files, err := os.ReadDir(folder)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			id, ok := strings.CutSuffix(f.Name(), historyExt)
			if !ok || !f.Type().IsRegular() || !isID(id) {
				continue
			}
			path := filepath.Join(folder, f.Name())
			key := fileKey(lkind, id)
			if other := hs[key]; other != nil {
				other.err = &CorruptError{Path: path, Problem: fmt.Sprintf("file name differs only in case from that of %s", other.id+historyExt)}
				continue
			}
			h, err := readHistory(path, lkind, id)
			var ce *CorruptError
			if errors.As(err, &ce) {
				hs[key] = &scannedHistory{id: id, err: ce}
				continue
			}
			if err != nil {
				return nil, err
			}
			if h.torn {
				if err := os.Truncate(path, h.size); err != nil {
					return nil, err
				}
				s.log.Info("dirstore: removed an incomplete history line left by an interrupted write", slog.String("file", path))
			}
			for i := range h.changes {
				h.changes[i].Data = nil // only the digests are needed
			}
			hs[key] = &scannedHistory{id: id, history: h}
		}
	}
	return hs, nil
}

// DuplicateError is the error [Open] returns when two files of the folder
// hold the same document, the same kind and id. It is a plain value.
type DuplicateError struct {
	// Kind and ID identify the document.
	Kind, ID string
	// Paths are the two files.
	Paths [2]string
}

// Error names the document and both files.
func (e *DuplicateError) Error() string {
	return fmt.Sprintf("dirstore: %s/%s is in two files, %s and %s: keep one", e.Kind, e.ID, e.Paths[0], e.Paths[1])
}

// addFile adds the document file at path, if it is one, to the index,
// with what its history says, and removes the history from histories. It
// returns the change to record if the file was changed outside the store.
//
// A file is a document if the store wrote it (its first line is a
// header) or if it is an aimskit document: YAML or JSON with an
// "apiVersion" that starts with "aimskit.dev/" and a "kind". Its id is
// that of the header, or else its "id" member, or else its "name", or
// else its file name without the extension, the first that is a valid id.
// Other YAML and JSON files are not documents and are left alone.
func (s *Driver) addFile(path string, histories map[string]*scannedHistory) (*store.Change, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > int64(s.maxSize) {
		s.log.Warn("dirstore: skipped a file larger than the document size limit", slog.String("file", path),
			slog.Int64("size", info.Size()), slog.Int("limit", s.maxSize))
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	hrev, kind, id, hasHeader, herr := fileHeader(b)
	if hasHeader && herr != nil {
		// A header the store did not write: name the document after
		// the file, as earlier versions did.
		lkind := strings.ToLower(filepath.Base(filepath.Dir(path)))
		if !isKindFolder(lkind) || !isID(base) {
			s.log.Warn("dirstore: skipped a document file with a broken first line", slog.String("file", path), slog.Any("error", herr))
			return nil, nil
		}
		key := fileKey(lkind, base)
		if s.docs[key] == nil {
			s.docs[key] = &entry{id: base, path: path, err: &CorruptError{Path: path, Problem: herr.Error()}}
			delete(histories, key)
		}
		return nil, nil
	}
	if hasHeader && id == "" {
		id = base // a file of an earlier version
	}
	data, perr := decodeFile(b)
	if !hasHeader {
		if perr != nil {
			if bytes.Contains(b, []byte(apiVersionPrefix)) {
				s.log.Warn("dirstore: skipped a document that cannot be read", slog.String("file", path), slog.Any("error", perr))
			}
			return nil, nil
		}
		var ok bool
		kind, id, ok = identify(data, base)
		if !ok {
			return nil, nil
		}
	}
	key := fileKey(kind, id)
	if other := s.docs[key]; other != nil {
		if other.kind == kind && other.id == id {
			return nil, &DuplicateError{Kind: kind, ID: id, Paths: [2]string{other.path, path}}
		}
		other.err = &CorruptError{Path: path, Problem: fmt.Sprintf("document %s/%s differs only in case from %s/%s in %s", kind, id, other.kind, other.id, other.path)}
		return nil, nil
	}
	e := &entry{kind: kind, id: id, path: path, exists: true}
	s.docs[key] = e
	h := histories[key]
	delete(histories, key)
	switch {
	case perr != nil:
		e.err = &CorruptError{Path: path, Problem: perr.Error()}
		return nil, nil
	case h != nil && h.err != nil:
		e.err = h.err
		return nil, nil
	case h != nil && h.id != id:
		e.err = &CorruptError{Path: path, Problem: fmt.Sprintf("document id %s differs only in case from that of history file %s", id, h.id+historyExt)}
		return nil, nil
	case h != nil && len(h.changes) > 0 && h.kind != kind:
		e.err = &CorruptError{Path: path, Problem: fmt.Sprintf("file has kind %s, its history has kind %s", kind, h.kind)}
		return nil, nil
	}
	var changes []store.Change
	if h != nil {
		changes = h.changes
	}
	digest := store.Digest(data)
	n := len(changes)
	var lastRev int64
	if n > 0 {
		lastRev = changes[n-1].Revision
	}
	committedAt := func(c store.Change) {
		e.rev, e.digest, e.updated, e.updatedBy = c.Revision, c.Digest, c.Time, c.Actor
	}
	switch {
	case n > 0 && changes[n-1].Op == store.OpPut && changes[n-1].Digest == digest:
		committedAt(changes[n-1])
		return nil, nil
	case hasHeader && hrev < lastRev:
		// The lines after the header's revision are writes that did not
		// complete, if the file is that revision.
		for _, c := range changes {
			if c.Revision == hrev && c.Op == store.OpPut && c.Digest == digest {
				committedAt(c)
				return nil, nil
			}
		}
	case !hasHeader && n > 1 && changes[n-1].Op == store.OpPut && changes[n-2].Op == store.OpPut && changes[n-2].Digest == digest:
		committedAt(changes[n-2]) // the last write did not complete
		return nil, nil
	case hasHeader && n == 0:
		// The history was not kept: the document has none.
		e.rev, e.digest = hrev, digest
		return nil, nil
	}
	// The file was written or changed outside the store: a new revision.
	reason := "file changed outside the store"
	if n == 0 {
		reason = "file added outside the store"
	}
	c := &store.Change{Kind: kind, ID: id, Revision: lastRev + 1, Op: store.OpPut, Time: s.now(),
		Actor: OutsideActor, Reason: reason, Digest: digest, Data: data}
	committedAt(*c)
	return c, nil
}

// identify returns the kind and id of an aimskit document, or false if
// data is not one; see addFile.
func identify(data []byte, base string) (kind, id string, ok bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return "", "", false
	}
	str := func(name string) string {
		var v string
		if json.Unmarshal(top[name], &v) != nil {
			return ""
		}
		return v
	}
	if !strings.HasPrefix(str("apiVersion"), apiVersionPrefix) {
		return "", "", false
	}
	kind = str("kind")
	if !isKind(kind) {
		return "", "", false
	}
	for _, id := range []string{str("id"), str("name"), base} {
		if isID(id) {
			return kind, id, true
		}
	}
	return "", "", false
}

// isKindFolder reports whether name can be the folder of a kind: a valid
// kind in lower case.
func isKindFolder(name string) bool {
	return isKind(name) && strings.ToLower(name) == name
}
