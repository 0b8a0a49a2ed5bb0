package dirstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/document"
)

// Names in the folder.
const (
	metaDir    = ".aimskit" // bookkeeping
	historyDir = "history"  // under metaDir
	docExt     = ".yaml"
	historyExt = ".jsonl"
	tempPrefix = ".aimskit-" // temporary files in a kind's folder
	tempSuffix = ".tmp"
)

// defaultPath returns the path of the file of a new document: the folder
// of its kind, in lower case, and its id, unless a file is already there.
func (s *Driver) defaultPath(kind, id string) string {
	base := filepath.Join(s.dir, strings.ToLower(kind), id)
	path := base + docExt
	for i := 2; ; i++ {
		if _, err := os.Lstat(path); isNotExist(err) {
			return path
		}
		path = base + "-" + strconv.Itoa(i) + docExt
	}
}

func (s *Driver) historyPath(kind, id string) string {
	return filepath.Join(s.dir, metaDir, historyDir, strings.ToLower(kind), id+historyExt)
}

// headerPrefix starts the first line of every YAML document file the
// store writes.
const headerPrefix = "# aimskit: revision "

// maxHeaderLen bounds the length of a header line, with room to spare.
const maxHeaderLen = 256

// formatHeader returns the first line of a YAML document file, with its
// newline. An empty id is left out, as in the files of earlier versions,
// whose id is their file name.
func formatHeader(rev int64, kind, id string) string {
	h := headerPrefix + strconv.FormatInt(rev, 10) + ", kind " + kind
	if id != "" {
		h += ", id " + id
	}
	return h + "\n"
}

// parseHeader parses the first line of a document file, without its
// newline; a carriage return at the end is ignored. id is "" for a
// header without one.
func parseHeader(line string) (rev int64, kind, id string, err error) {
	line = strings.TrimSuffix(line, "\r")
	rest, ok := strings.CutPrefix(line, headerPrefix)
	if !ok {
		return 0, "", "", fmt.Errorf("first line is not %q followed by the revision and kind", strings.TrimSpace(headerPrefix))
	}
	num, kind, ok := strings.Cut(rest, ", kind ")
	if !ok {
		return 0, "", "", errors.New("first line does not name the kind")
	}
	kind, id, hasID := strings.Cut(kind, ", id ")
	rev, err = strconv.ParseInt(num, 10, 64)
	if err != nil || rev < 1 || strconv.FormatInt(rev, 10) != num {
		return 0, "", "", fmt.Errorf("first line has revision %q, want a whole number from 1", num)
	}
	if !isKind(kind) {
		return 0, "", "", fmt.Errorf("first line has kind %q, which is not valid", kind)
	}
	if hasID && !isID(id) {
		return 0, "", "", fmt.Errorf("first line has id %q, which is not valid", id)
	}
	return rev, kind, id, nil
}

// fileHeader returns the header of the document file b, if its first line
// is one: ok reports whether the line starts as a header does, and err
// what is wrong with it.
func fileHeader(b []byte) (rev int64, kind, id string, ok bool, err error) {
	line, _, _ := bytes.Cut(b[:min(len(b), maxHeaderLen)], []byte("\n"))
	if !bytes.HasPrefix(line, []byte(headerPrefix)) {
		return 0, "", "", false, nil
	}
	rev, kind, id, err = parseHeader(string(line))
	return rev, kind, id, true, err
}

// isJSONFile reports whether path is a JSON document file, which the
// store writes as JSON, without a header.
func isJSONFile(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".json")
}

// encode turns the data of a document into the body of its file (YAML,
// or indented JSON for a JSON file) and the JSON read back from that
// body, which is what the store records.
func encode(data []byte, asJSON bool) (body, stored []byte, err error) {
	if asJSON {
		var buf bytes.Buffer
		if err := json.Indent(&buf, data, "", "  "); err != nil {
			return nil, nil, fmt.Errorf("data is not valid JSON: %v", err)
		}
		buf.WriteByte('\n')
		body = buf.Bytes()
	} else {
		body, err = document.ToYAML(data)
		if err != nil {
			return nil, nil, fmt.Errorf("data cannot be written as YAML: %v", err)
		}
	}
	stored, err = fromYAML(body)
	if err != nil {
		return nil, nil, fmt.Errorf("data cannot be read back from YAML: %v", err)
	}
	// Refuse data that YAML would change, as JSON decoders commonly read
	// it (numbers as float64).
	var before, after any
	if err := json.Unmarshal(data, &before); err != nil {
		return nil, nil, fmt.Errorf("data cannot be stored: %v", err)
	}
	if err := json.Unmarshal(stored, &after); err != nil || !reflect.DeepEqual(before, after) {
		return nil, nil, errors.New("data cannot be stored: it changes when written as YAML")
	}
	return body, stored, nil
}

// fromYAML converts a YAML mapping to a compact JSON object with the
// strict YAML reader of package document, which refuses aliases, merge
// keys and repeated keys as a folder loader does.
func fromYAML(y []byte) ([]byte, error) {
	j, err := document.ToJSON(y)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(j, []byte("{")) {
		return nil, errors.New("not a mapping")
	}
	return j, nil
}

// decodeFile parses a whole document file and returns its data as JSON.
// A header, if any, is a YAML comment.
func decodeFile(b []byte) (data []byte, err error) {
	data, err = fromYAML(b)
	if err != nil {
		return nil, fmt.Errorf("not a valid YAML mapping: %v", err)
	}
	return data, nil
}

// read reads the file of an existing document and checks that it is
// what the store wrote or found at Open.
func (s *Driver) read(e *entry) (*store.Document, error) {
	path := e.path
	b, err := os.ReadFile(path)
	if isNotExist(err) {
		return nil, &CorruptError{Path: path, Problem: "file is missing (removed outside the store while it was open)"}
	}
	if err != nil {
		return nil, err
	}
	if _, kind, _, ok, err := fileHeader(b); ok && err == nil && kind != e.kind {
		return nil, &CorruptError{Path: path, Problem: fmt.Sprintf("file has kind %s, want %s", kind, e.kind)}
	}
	data, err := decodeFile(b)
	switch {
	case err != nil:
		return nil, &CorruptError{Path: path, Problem: err.Error()}
	case e.digest != "" && store.Digest(data) != e.digest:
		return nil, &CorruptError{Path: path, Problem: fmt.Sprintf("content differs from revision %d (changed outside the store while it was open; open the folder again to record the change)", e.rev)}
	}
	return &store.Document{Kind: e.kind, ID: e.id, Revision: e.rev, Data: data, Updated: e.updated, UpdatedBy: e.updatedBy}, nil
}

// mkdir creates folder dir, whose parent exists, if it does not exist,
// and syncs the parent so that the new folder survives a crash.
func mkdir(dir string) error {
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return syncDir(filepath.Dir(dir))
}

// writeFile replaces the file at path with data atomically: it writes a
// temporary file in the same folder, syncs it, renames it over path and
// syncs the folder. renamed reports whether the new file is in place,
// which it can be even when err is not nil.
func (s *Driver) writeFile(path string, data []byte) (renamed bool, err error) {
	dir := filepath.Dir(path)
	if err := mkdir(dir); err != nil {
		return false, err
	}
	f, err := os.CreateTemp(dir, tempPrefix+"*"+tempSuffix)
	if err != nil {
		return false, err
	}
	tmp := f.Name()
	defer func() {
		if !renamed {
			os.Remove(tmp)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, err
	}
	if s.testHookBeforeCommit != nil {
		if err := s.testHookBeforeCommit(store.OpPut, tmp); err != nil {
			return false, err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return false, err
	}
	return true, syncDir(dir)
}

// removeFile removes the file at path and syncs its folder. removed
// reports whether the file is gone, which it can be even when err is not
// nil.
func (s *Driver) removeFile(path string) (removed bool, err error) {
	if s.testHookBeforeCommit != nil {
		if err := s.testHookBeforeCommit(store.OpDelete, path); err != nil {
			return false, err
		}
	}
	if err := os.Remove(path); err != nil && !isNotExist(err) {
		return false, err
	}
	return true, syncDir(filepath.Dir(path))
}
