package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"go.yaml.in/yaml/v3"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

// applyTarget is the file of an AI system that gate --apply edits, as
// the folder was loaded from it.
type applyTarget struct {
	dir, file, path string // the folder, the file's name in it, its path
	sys             *inventory.System
	actor           string
	data            []byte
	problems        map[string]bool // the folder's, before the move
}

// newApplyTarget finds the file of the AI system id in the folder f
// loaded from dir, with the problems loadErr, and checks that a move of
// the system to the stage to can be written into it.
func newApplyTarget(dir string, f *aims.Snapshot, loadErr error, id uuid.UUID, to inventory.Stage, actor string) (*applyTarget, error) {
	sys := f.System(id)
	name := f.File(sys)
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml":
	case ".json":
		return nil, fmt.Errorf("%s is a JSON document: --apply edits YAML files only; move the system in it by hand", name)
	default:
		return nil, fmt.Errorf("%s is not a YAML file", name)
	}
	t := &applyTarget{dir: dir, file: name, path: filepath.Join(dir, filepath.FromSlash(name)), sys: sys, actor: actor,
		problems: make(map[string]bool)}
	info, err := os.Lstat(t.path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (a symbolic link?): --apply edits regular files only", name)
	}
	if t.data, err = os.ReadFile(t.path); err != nil {
		return nil, err
	}
	if fileDigest(t.data) != f.Digest(sys) {
		return nil, fmt.Errorf("%s has changed since it was loaded", name)
	}
	probe := inventory.StageChange{From: sys.Lifecycle.Stage, To: to, Date: document.DateOf(time.Now()), By: actor,
		Decision: uuid.Nil.String(), Models: sys.ModelVersions()}
	if _, err := editStage(t.data, probe); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var de *document.Error
	if errors.As(loadErr, &de) {
		for _, p := range de.Problems {
			t.problems[p.String()] = true
		}
	}
	return t, nil
}

// apply writes the move that d allows into the system's file, checks
// that the folder then loads with the system moved and no new problem,
// and records the move with g. When the check or the record fails, it
// puts the file back as it was. It returns the file's name.
func (t *applyTarget) apply(ctx context.Context, g *aims.Gate, d aims.Decision) (string, error) {
	data, err := os.ReadFile(t.path)
	if err != nil {
		return "", err
	}
	if !bytes.Equal(data, t.data) {
		return "", fmt.Errorf("%s has changed since the decision was made; nothing is applied", t.file)
	}
	change := g.StageChange(d, t.sys, t.actor)
	edited, err := editStage(data, change)
	if err != nil {
		return "", fmt.Errorf("%s: %w", t.file, err)
	}
	if err := writeFileAtomic(t.path, edited); err != nil {
		return "", err
	}
	// The file is changed: check and record it, or put it back, whatever
	// happens to ctx now.
	ctx = context.WithoutCancel(ctx)
	restore := func(why error) error {
		if err := writeFileAtomic(t.path, data); err != nil {
			return errors.Join(why, fmt.Errorf("%s could not be restored: %w", t.file, err))
		}
		return fmt.Errorf("%w; %s is restored", why, t.file)
	}
	sys, err := t.check(ctx, d, change)
	if err != nil {
		return "", restore(err)
	}
	if err := g.RecordStageChange(ctx, d, sys, change); err != nil {
		return "", restore(err)
	}
	return t.file, nil
}

// check loads the folder again and returns the system, if it is at the
// decision's stage with change as its last history entry and the folder
// has no problem it did not have before.
func (t *applyTarget) check(ctx context.Context, d aims.Decision, change inventory.StageChange) (*inventory.System, error) {
	f, err := aims.Load(ctx, os.DirFS(t.dir))
	var de *document.Error
	if err != nil && !errors.As(err, &de) {
		return nil, fmt.Errorf("the folder does not load after the move: %w", err)
	}
	sys := f.System(d.System)
	if sys == nil {
		return nil, fmt.Errorf("%s does not load after the move", t.file)
	}
	h := sys.Lifecycle.History
	if sys.Lifecycle.Stage != d.To || len(h) == 0 || !reflect.DeepEqual(h[len(h)-1], change) {
		return nil, fmt.Errorf("%s does not read back with the move", t.file)
	}
	if de != nil {
		var added []string
		for _, p := range de.Problems {
			if !t.problems[p.String()] {
				added = append(added, p.String())
			}
		}
		if len(added) > 0 {
			return nil, fmt.Errorf("the move gives the folder new problems: %s", strings.Join(added, "; "))
		}
	}
	return sys, nil
}

// errCannotEdit is the error of editStage for a file it does not know how
// to edit in place; the message says why.
var errCannotEdit = errors.New("cannot edit the file in place")

// editStage returns data, the YAML text of an AISystem document, with the
// stage change applied as a small edit of the text: lifecycle.stage is
// set to change.To and change is appended to lifecycle.history (which is
// created when absent). Every other byte is kept: comments, key order,
// quoting and line endings. The positions come from the yaml.v3 node
// tree; the result is parsed again and must hold the same data as data
// but for the two edits, or editStage refuses with an error matching
// errCannotEdit. It never changes data.
func editStage(data []byte, change inventory.StageChange) ([]byte, error) {
	refuse := func(format string, args ...any) ([]byte, error) {
		return nil, fmt.Errorf("%w: %s", errCannotEdit, fmt.Sprintf(format, args...))
	}
	root, err := parseOne(data)
	if err != nil {
		return refuse("%v", err)
	}
	if root.Kind != yaml.MappingNode || root.Style&yaml.FlowStyle != 0 {
		return refuse("the document is not a block mapping")
	}
	lc := valueOf(root, "lifecycle")
	if lc == nil || lc.Kind != yaml.MappingNode || lc.Style&yaml.FlowStyle != 0 {
		return refuse("lifecycle is not a block mapping")
	}
	stageKey, stage := pairOf(lc, "stage")
	if stage == nil || stage.Kind != yaml.ScalarNode || stage.Anchor != "" || stage.Value != string(change.From) {
		return refuse("lifecycle.stage is not the scalar %s", change.From)
	}
	lines := splitLines(data)
	nl := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		nl = "\r\n"
	}

	// The stage: replace the scalar's text, keeping its quotes.
	stageAt, ok := offset(lines, stage.Line, stage.Column)
	if !ok {
		return refuse("lifecycle.stage is at no place in the text")
	}
	var quote string
	switch stage.Style {
	case 0:
	case yaml.DoubleQuotedStyle:
		quote = `"`
	case yaml.SingleQuotedStyle:
		quote = "'"
	default:
		return refuse("lifecycle.stage is not a plain or quoted scalar")
	}
	old := quote + stage.Value + quote
	if !bytes.HasPrefix(data[stageAt:], []byte(old)) {
		return refuse("lifecycle.stage is not written %s", old)
	}
	if rest := lineRest(data, stageAt+len(old)); strings.TrimSpace(rest) != "" && !strings.HasPrefix(strings.TrimLeft(rest, " \t"), "#") {
		return refuse("lifecycle.stage is followed by %q on its line", rest)
	}
	keyIndent, ok := indentOf(lines, stageKey)
	if !ok {
		return refuse("the key stage does not start its line")
	}
	edits := []textEdit{{at: stageAt, del: len(old), text: quote + string(change.To) + quote}}

	// The history entry.
	entry, err := flowEntry(change)
	if err != nil {
		return refuse("%v", err)
	}
	histKey, hist := pairOf(lc, "history")
	switch {
	case hist == nil:
		// No history yet: add it after the stage's line.
		at := lineEnd(lines, stage.Line)
		edits = append(edits, textEdit{at: at, text: keyIndent + "history:" + nl + keyIndent + "  - " + entry + nl})
	case hist.Kind == yaml.ScalarNode && hist.Tag == "!!null" && hist.Value == "" && onlyComment(data, lines, histKey):
		// history: with nothing after it.
		at := lineEnd(lines, histKey.Line)
		edits = append(edits, textEdit{at: at, text: keyIndent + "  - " + entry + nl})
	case hist.Kind == yaml.SequenceNode && hist.Style&yaml.FlowStyle != 0 && len(hist.Content) == 0 && hist.Line == histKey.Line:
		// history: [] becomes a block sequence of one entry.
		at, ok := offset(lines, hist.Line, hist.Column)
		if !ok {
			return refuse("lifecycle.history is at no place in the text")
		}
		m := regexp.MustCompile(`^\[[ \t]*\]`).Find(data[at:])
		if m == nil || !onlyCommentAfter(data, at+len(m)) {
			return refuse("lifecycle.history is not written []")
		}
		start := at
		for start > 0 && (data[start-1] == ' ' || data[start-1] == '\t') {
			start--
		}
		end := at + len(m)
		if strings.TrimSpace(lineRest(data, end)) != "" {
			start = at // keep the space before the comment
		}
		edits = append(edits, textEdit{at: start, del: end - start},
			textEdit{at: lineEnd(lines, hist.Line), text: keyIndent + "  - " + entry + nl})
	case hist.Kind == yaml.SequenceNode && hist.Style&yaml.FlowStyle == 0 && len(hist.Content) > 0:
		last := hist.Content[len(hist.Content)-1]
		dash, ok := dashColumn(lines, last)
		if !ok {
			return refuse("the last entry of lifecycle.history does not follow a dash on its line")
		}
		// The entry goes after the last line of the last item: the
		// lines after its first that are indented more than its dash,
		// less trailing blank and comment lines.
		end := last.Line
		for n := last.Line + 1; n <= len(lines); n++ {
			l := strings.TrimRight(string(lines[n-1]), "\r\n")
			trimmed := strings.TrimLeft(l, " ")
			if strings.TrimSpace(l) == "" {
				continue
			}
			if len(l)-len(trimmed) <= dash {
				break
			}
			if strings.HasPrefix(trimmed, "#") {
				continue
			}
			end = n
		}
		at := lineEnd(lines, end)
		text := strings.Repeat(" ", dash) + "- " + entry + nl
		if at == len(data) && len(data) > 0 && data[len(data)-1] != '\n' {
			text = nl + text
		}
		edits = append(edits, textEdit{at: at, text: text})
	default:
		return refuse("lifecycle.history is not a block sequence, [] or empty")
	}
	// The history line after the stage's line, at the end of a file
	// without a final newline, needs one before it.
	for i := range edits[1:] {
		e := &edits[1+i]
		if e.del == 0 && e.at == len(data) && len(data) > 0 && data[len(data)-1] != '\n' && !strings.HasPrefix(e.text, nl) {
			e.text = nl + e.text
		}
	}
	out := apply(data, edits)
	if err := sameButChange(data, out, change); err != nil {
		return refuse("%v", err)
	}
	return out, nil
}

// parseOne parses data as exactly one YAML document and returns its
// content node.
func parseOne(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, errors.New("the file holds more than one YAML document")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("the file holds no YAML document")
	}
	return doc.Content[0], nil
}

// pairOf returns the key and value nodes of key in the mapping m, or nils.
// A key given twice, or a merge key, gives nils.
func pairOf(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		c := m.Content[i]
		if c.Kind == yaml.ScalarNode && c.Value == "<<" {
			return nil, nil
		}
		if c.Kind == yaml.ScalarNode && c.Value == key {
			if k != nil {
				return nil, nil
			}
			k, v = c, m.Content[i+1]
		}
	}
	return k, v
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	_, v := pairOf(m, key)
	return v
}

// splitLines splits data after each "\n".
func splitLines(data []byte) [][]byte {
	return bytes.SplitAfter(data, []byte("\n"))
}

// offset returns the byte offset in the text of a node's 1-based line and
// column; yaml.v3 counts columns in characters.
func offset(lines [][]byte, line, column int) (int, bool) {
	if line < 1 || line > len(lines) || column < 1 {
		return 0, false
	}
	at := 0
	for _, l := range lines[:line-1] {
		at += len(l)
	}
	l := lines[line-1]
	i := 0
	for range column - 1 {
		if i >= len(l) {
			return 0, false
		}
		_, n := utf8.DecodeRune(l[i:])
		i += n
	}
	return at + i, true
}

// lineEnd returns the offset just after the given 1-based line.
func lineEnd(lines [][]byte, line int) int {
	at := 0
	for _, l := range lines[:min(line, len(lines))] {
		at += len(l)
	}
	return at
}

// lineRest returns the text from at to the end of its line.
func lineRest(data []byte, at int) string {
	rest := data[at:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	return strings.TrimRight(string(rest), "\r")
}

// onlyCommentAfter reports whether the rest of the line from at is blank
// or a comment.
func onlyCommentAfter(data []byte, at int) bool {
	rest := strings.TrimLeft(lineRest(data, at), " \t")
	return rest == "" || strings.HasPrefix(rest, "#")
}

// onlyComment reports whether key, a mapping key, is followed by its
// colon and then nothing but a comment on its line.
func onlyComment(data []byte, lines [][]byte, key *yaml.Node) bool {
	at, ok := offset(lines, key.Line, key.Column)
	if !ok || key.Style != 0 || !bytes.HasPrefix(data[at:], []byte(key.Value+":")) {
		return false
	}
	return onlyCommentAfter(data, at+len(key.Value)+1)
}

// indentOf returns the spaces before a node that starts its line.
func indentOf(lines [][]byte, n *yaml.Node) (string, bool) {
	if n == nil || n.Line < 1 || n.Line > len(lines) {
		return "", false
	}
	l := lines[n.Line-1]
	if n.Column < 1 || n.Column-1 > len(l) {
		return "", false
	}
	indent := string(l[:n.Column-1])
	if strings.Trim(indent, " ") != "" {
		return "", false
	}
	return indent, true
}

// dashColumn returns the 0-based column of the dash of a block sequence
// item written on the dash's line: "  - item".
func dashColumn(lines [][]byte, item *yaml.Node) (int, bool) {
	if item.Line < 1 || item.Line > len(lines) {
		return 0, false
	}
	l := lines[item.Line-1]
	if item.Column-1 > len(l) || item.Column < 1 {
		return 0, false
	}
	prefix := string(l[:item.Column-1]) // ASCII when it has the form
	trimmed := strings.TrimLeft(prefix, " ")
	if !strings.HasPrefix(trimmed, "-") || strings.Trim(trimmed[1:], " ") != "" || len(trimmed) < 2 {
		return 0, false
	}
	return len(prefix) - len(trimmed), true
}

type textEdit struct {
	at, del int
	text    string
}

// apply makes edits, in increasing order of at, to a copy of data.
func apply(data []byte, edits []textEdit) []byte {
	slices.SortStableFunc(edits, func(a, b textEdit) int { return a.at - b.at })
	var out bytes.Buffer
	prev := 0
	for _, e := range edits {
		out.Write(data[prev:e.at])
		out.WriteString(e.text)
		prev = e.at + e.del
	}
	out.Write(data[prev:])
	return out.Bytes()
}

// flowEntry writes change as a one-line YAML flow mapping, in the order
// and with the names of inventory.StageChange's JSON form.
func flowEntry(change inventory.StageChange) (string, error) {
	fields := []string{"from: " + scalar(string(change.From)), "to: " + scalar(string(change.To)),
		`date: "` + change.Date.String() + `"`}
	if change.By != "" {
		fields = append(fields, "by: "+scalar(change.By))
	}
	if change.Decision != "" {
		fields = append(fields, "decision: "+scalar(change.Decision))
	}
	if len(change.Models) > 0 {
		models := make([]string, len(change.Models))
		for i, m := range change.Models {
			models[i] = quoted(m)
		}
		fields = append(fields, "models: ["+strings.Join(models, ", ")+"]")
	}
	return "{" + strings.Join(fields, ", ") + "}", nil
}

var plainText = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 ._-]*[A-Za-z0-9._]$|^[A-Za-z]$`)

// scalar writes s plain when that reads back as the string s in a flow
// mapping, and double-quoted otherwise.
func scalar(s string) string {
	if plainText.MatchString(s) && !strings.Contains(s, "  ") {
		var v any
		if yaml.Unmarshal([]byte("["+s+"]"), &v) == nil && reflect.DeepEqual(v, []any{s}) {
			return s
		}
	}
	return quoted(s)
}

// quoted writes s as a double-quoted scalar: a JSON string is one.
func quoted(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// sameButChange checks that edited holds the data of orig with
// lifecycle.stage set to change.To and change appended to
// lifecycle.history.
func sameButChange(orig, edited []byte, change inventory.StageChange) error {
	var want, got any
	if err := yaml.Unmarshal(orig, &want); err != nil {
		return err
	}
	if err := yaml.Unmarshal(edited, &got); err != nil {
		return fmt.Errorf("the edited text does not parse: %v", err)
	}
	doc, ok := want.(map[string]any)
	if !ok {
		return errors.New("the document is not a mapping")
	}
	lc, ok := doc["lifecycle"].(map[string]any)
	if !ok {
		return errors.New("lifecycle is not a mapping")
	}
	lc["stage"] = string(change.To)
	hist, _ := lc["history"].([]any)
	if lc["history"] != nil && hist == nil {
		return errors.New("lifecycle.history is not a sequence")
	}
	entry := map[string]any{"from": string(change.From), "to": string(change.To), "date": change.Date.String()}
	if change.By != "" {
		entry["by"] = change.By
	}
	if change.Decision != "" {
		entry["decision"] = change.Decision
	}
	if len(change.Models) > 0 {
		models := make([]any, len(change.Models))
		for i, m := range change.Models {
			models[i] = m
		}
		entry["models"] = models
	}
	lc["history"] = append(hist, entry)
	if !reflect.DeepEqual(want, got) {
		return errors.New("the edited text would change more than the stage and the history")
	}
	return nil
}

// fileDigest is the digest of a file's bytes as aims.Snapshot.Digest gives
// it.
func fileDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// writeFileAtomic replaces the file at path with data: it writes a
// temporary file in the same folder, with path's permissions, syncs it,
// renames it over path and syncs the folder.
func writeFileAtomic(path string, data []byte) (err error) {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".aimskit-apply-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(info.Mode().Perm()); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
