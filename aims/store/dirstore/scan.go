package dirstore

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/aimskit/aimskit/aims/store"
)

// scan builds the index of documents from the folder, removing the
// temporary files and incomplete history lines that a crash left behind.
// It returns an error only if the folder cannot be read; corrupt files
// become entries with an error.
func (s *Driver) scan() error {
	histories, err := s.scanHistories()
	if err != nil {
		return err
	}
	s.docs = make(map[string]*entry)
	kinds, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	for _, k := range kinds {
		lkind := k.Name()
		if !k.IsDir() || !isKindFolder(lkind) {
			continue
		}
		folder := filepath.Join(s.dir, lkind)
		files, err := os.ReadDir(folder)
		if err != nil {
			return err
		}
		for _, f := range files {
			name := f.Name()
			path := filepath.Join(folder, name)
			if strings.HasPrefix(name, tempPrefix) && strings.HasSuffix(name, tempSuffix) {
				if err := os.Remove(path); err != nil {
					return err
				}
				s.log.Info("dirstore: removed a temporary file left by an interrupted write", slog.String("file", path))
				continue
			}
			id, ok := strings.CutSuffix(name, docExt)
			if !ok || f.IsDir() || !isID(id) {
				continue
			}
			if err := s.addDocument(lkind, id, path, histories); err != nil {
				return err
			}
		}
	}
	// What remains are documents without a file: deleted ones, ones
	// whose first write did not complete, and ones whose file was removed
	// outside the store.
	for key, h := range histories {
		var e *entry
		switch {
		case h.err != nil:
			e = &entry{id: h.id, err: h.err}
		default:
			e = s.withoutFile(key, h)
		}
		if e != nil {
			s.docs[key] = e
		}
	}
	for _, e := range s.docs {
		if e.err != nil {
			s.log.Warn("dirstore: corrupt document", slog.String("error", e.err.Error()))
		}
	}
	return nil
}

// scannedHistory is a history file found by scan.
type scannedHistory struct {
	id string
	history
	err error // a *CorruptError
}

// withoutFile returns the entry of a document that has a history but no
// file, or nil if none of its changes was committed.
//
// A write appends its history line before it takes effect, so only the
// last change can be uncommitted. If it is a delete, the document was
// deleted. If it is a put that created the document (the first change,
// or one after a delete), the put did not complete and the document is as
// before it. A put that changed an existing document must have left a
// file, so the file was removed outside the store.
func (s *Driver) withoutFile(key string, h *scannedHistory) *entry {
	n := len(h.changes)
	if n == 0 {
		return nil
	}
	last := h.changes[n-1]
	if last.Op == store.OpPut {
		if n > 1 && h.changes[n-2].Op == store.OpPut {
			lkind, _, _ := strings.Cut(key, "/")
			path := filepath.Join(s.dir, lkind, h.id+docExt)
			return &entry{id: h.id, err: &CorruptError{Path: path, Problem: "file is missing (removed outside the store)"}}
		}
		if n == 1 {
			return nil
		}
		last = h.changes[n-2]
	}
	return &entry{kind: last.Kind, id: last.ID, rev: last.Revision, updated: last.Time, updatedBy: last.Actor}
}

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
			if !ok || f.IsDir() || !isID(id) {
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

// addDocument adds the document file at path to the index, with what its
// history says, and removes the history from histories.
func (s *Driver) addDocument(lkind, id, path string, histories map[string]*scannedHistory) error {
	key := fileKey(lkind, id)
	if other := s.docs[key]; other != nil {
		other.err = &CorruptError{Path: path, Problem: fmt.Sprintf("file name differs only in case from that of %s", other.id)}
		return nil
	}
	h := histories[key]
	delete(histories, key)
	rev, kind, err := readHeader(path)
	var ce *CorruptError
	if errors.As(err, &ce) {
		s.docs[key] = &entry{id: id, err: ce}
		return nil
	}
	if err != nil {
		return err
	}
	e := &entry{kind: kind, id: id, rev: rev, exists: true}
	s.docs[key] = e
	switch {
	case strings.ToLower(kind) != lkind:
		e.err = &CorruptError{Path: path, Problem: fmt.Sprintf("file has kind %s but is in the folder of kind %s", kind, lkind)}
	case h == nil:
		// The history was not kept; the document has none.
	case h.err != nil:
		e.err = h.err
	case h.id != id:
		e.err = &CorruptError{Path: path, Problem: fmt.Sprintf("file name differs only in case from that of history file %s", h.id+historyExt)}
	case len(h.changes) > 0 && h.kind != kind:
		e.err = &CorruptError{Path: path, Problem: fmt.Sprintf("file has kind %s, its history has kind %s", kind, h.kind)}
	default:
		c := committed(h.changes, rev)
		n := len(c)
		if n == 0 && len(h.changes) == 0 {
			break // an empty history file
		}
		if n == 0 || c[n-1].Revision != rev || c[n-1].Op != store.OpPut {
			e.err = &CorruptError{Path: path, Problem: fmt.Sprintf("file has revision %d, which its history does not record (changed outside the store)", rev)}
			break
		}
		e.digest, e.updated, e.updatedBy = c[n-1].Digest, c[n-1].Time, c[n-1].Actor
	}
	return nil
}

// isKindFolder reports whether name can be the folder of a kind: a valid
// kind in lower case.
func isKindFolder(name string) bool {
	return isKind(name) && strings.ToLower(name) == name
}
