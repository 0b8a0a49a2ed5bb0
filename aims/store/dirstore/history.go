package dirstore

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aimskit/aimskit/aims/store"
)

// line is one line of a history file. Its JSON names are a file format:
// do not change them.
type line struct {
	Kind     string          `json:"kind"`
	ID       string          `json:"id"`
	Revision int64           `json:"revision"`
	Op       store.Op        `json:"op"`
	Time     time.Time       `json:"time"`
	Actor    string          `json:"actor"`
	Reason   string          `json:"reason,omitempty"`
	Digest   string          `json:"digest,omitempty"`
	Data     json.RawMessage `json:"data,omitempty"`
}

// encodeLine returns c as one history line, with its newline.
func encodeLine(c store.Change) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(line{
		Kind: c.Kind, ID: c.ID, Revision: c.Revision, Op: c.Op, Time: c.Time,
		Actor: c.Actor, Reason: c.Reason, Digest: c.Digest, Data: c.Data,
	})
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeLine parses one history line, without its newline, and checks
// that it is a change the store could have written.
func decodeLine(b []byte) (store.Change, error) {
	var l line
	if err := json.Unmarshal(b, &l); err != nil {
		return store.Change{}, fmt.Errorf("not a JSON object of a change: %v", err)
	}
	if !isKind(l.Kind) {
		return store.Change{}, fmt.Errorf("kind %q is not valid", l.Kind)
	}
	if !isID(l.ID) {
		return store.Change{}, fmt.Errorf("id %q is not valid", l.ID)
	}
	if l.Revision < 1 {
		return store.Change{}, fmt.Errorf("revision %d is less than 1", l.Revision)
	}
	if strings.TrimSpace(l.Actor) == "" {
		return store.Change{}, errors.New("actor is missing")
	}
	c := store.Change{
		Kind: l.Kind, ID: l.ID, Revision: l.Revision, Op: l.Op, Time: l.Time,
		Actor: l.Actor, Reason: l.Reason, Digest: l.Digest,
	}
	switch l.Op {
	case store.OpPut:
		var compact bytes.Buffer
		if len(l.Data) == 0 || l.Data[0] != '{' || json.Compact(&compact, l.Data) != nil || !bytes.Equal(compact.Bytes(), l.Data) {
			return store.Change{}, errors.New("data is not a compact JSON object")
		}
		if l.Digest != store.Digest(l.Data) {
			return store.Change{}, errors.New("digest does not match the data")
		}
		c.Data = bytes.Clone(l.Data)
	case store.OpDelete:
		if len(l.Data) != 0 || l.Digest != "" {
			return store.Change{}, errors.New("delete has data")
		}
	default:
		return store.Change{}, fmt.Errorf("op %q is not %q or %q", l.Op, store.OpPut, store.OpDelete)
	}
	return c, nil
}

// history is the content of a history file.
type history struct {
	// kind is the kind of every change.
	kind string
	// changes are the changes in revision order, the last line counting
	// when a revision occurs more than once.
	changes []store.Change
	// size is the length of the complete lines; a longer file ends with
	// an incomplete line that a crash left behind.
	size int64
	// torn reports whether the file ends with an incomplete line.
	torn bool
}

// readHistory reads the history file at path of the document with
// lower-case kind lkind and the given id. A missing file is an empty
// history.
func readHistory(path, lkind, id string) (history, error) {
	b, err := os.ReadFile(path)
	if isNotExist(err) {
		return history{}, nil
	}
	if err != nil {
		return history{}, err
	}
	var h history
	byRev := make(map[int64]int) // index in h.changes
	for n := 1; len(b) > 0; n++ {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			h.torn = true
			break
		}
		l := b[:i]
		b = b[i+1:]
		h.size += int64(i + 1)
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		c, err := decodeLine(l)
		if err == nil && (strings.ToLower(c.Kind) != lkind || c.ID != id) {
			err = fmt.Errorf("change is for %s/%s, not for this file", c.Kind, c.ID)
		}
		if err == nil && h.kind != "" && c.Kind != h.kind {
			err = fmt.Errorf("kind is %s, earlier lines have %s", c.Kind, h.kind)
		}
		if err != nil {
			return history{}, &CorruptError{Path: path, Problem: fmt.Sprintf("line %d: %v", n, err)}
		}
		h.kind = c.Kind
		if j, ok := byRev[c.Revision]; ok {
			h.changes[j] = c
			continue
		}
		byRev[c.Revision] = len(h.changes)
		h.changes = append(h.changes, c)
	}
	slices.SortFunc(h.changes, func(a, b store.Change) int { return cmp.Compare(a.Revision, b.Revision) })
	return h, nil
}

// committed returns the changes up to revision rev, the committed
// revision of the document.
func committed(changes []store.Change, rev int64) []store.Change {
	i := 0
	for i < len(changes) && changes[i].Revision <= rev {
		i++
	}
	return changes[:i]
}

// appendHistory appends c to the history file of its document and syncs
// it. If the append fails, it truncates what it may have written.
func (s *Driver) appendHistory(c store.Change) error {
	b, err := encodeLine(c)
	if err != nil {
		return err
	}
	path := s.historyPath(c.Kind, c.ID)
	dir := filepath.Dir(path)
	if err := mkdir(dir); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		return errors.Join(err, f.Close())
	}
	if _, err = f.Write(b); err == nil {
		err = f.Sync()
	}
	if err != nil {
		return errors.Join(err, f.Truncate(fi.Size()), f.Close())
	}
	if err := f.Close(); err != nil {
		return err
	}
	if fi.Size() == 0 {
		return syncDir(dir)
	}
	return nil
}
