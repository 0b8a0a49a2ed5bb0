package bundle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
)

// ManifestName is the name of the manifest in a bundle.
const ManifestName = "MANIFEST.json"

// Format is the value of [Manifest.Format].
const Format = "aimskit-evidence-bundle"

// FormatVersion is the version of the bundle format this package writes
// and the highest it reads.
const FormatVersion = 1

// Manifest is the index of a bundle, its file MANIFEST.json: the files
// with their sizes and SHA-256 digests, and what the evidence holds.
// Nothing in it is trusted: the digests are checked against the files,
// and everything it says of the evidence is checked against what
// verification finds. It is a plain value, and its JSON form is stable.
type Manifest struct {
	// Format is [Format].
	Format string `json:"format"`
	// FormatVersion is the version of the bundle format, [FormatVersion].
	FormatVersion int `json:"formatVersion"`
	// Generator names the program that wrote the bundle and its version,
	// such as "aimskit v0.4.0". It is informative.
	Generator string `json:"generator"`
	// Origin is the origin of the log's checkpoints: the name of its key.
	Origin string `json:"origin"`
	// Period is the time of the first and last records of the bundle.
	Period Period `json:"period"`
	// Records is the number of records in the bundle's segments.
	Records int64 `json:"records"`
	// Before is the number of records in the log's segments before the
	// first segment of the bundle: zero when the bundle begins with
	// segment 1.
	Before int64 `json:"before"`
	// Segments are the segments of the bundle, in order: a contiguous
	// range of the log's chain of segments.
	Segments []Segment `json:"segments"`
	// FirstCheckpoint is the first signed checkpoint of the first
	// segment, and LastCheckpoint the latest of the last segment, with
	// its cosignatures: the head an auditor keeps for the next visit.
	FirstCheckpoint string `json:"firstCheckpoint"`
	LastCheckpoint  string `json:"lastCheckpoint"`
	// Anchors names the files that hold the keys and certificates the
	// writer says the evidence verifies with. They prove nothing against
	// the writer: see the package documentation.
	Anchors Anchors `json:"anchors"`
	// Files lists every file of the bundle but the manifest, by name.
	Files []File `json:"files"`
}

// Period is a span of time, both ends included.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Segment describes one segment of a bundle.
type Segment struct {
	// Name is the segment's file name, [evidence.SegmentName] of its
	// sequence number. Its checkpoints are in Name+".checkpoints" and its
	// time-stamps, if any, in Name+".timestamps".
	Name string `json:"name"`
	// Sequence is its number in the log's chain, from 1.
	Sequence int `json:"sequence"`
	// Records is the number of records it holds.
	Records int64 `json:"records"`
	// Period is the time of its first and last records.
	Period Period `json:"period"`
	// Checkpoints is the number of signed checkpoints of the segment.
	Checkpoints int `json:"checkpoints"`
}

// Anchors names the files of a bundle that hold trust anchors.
type Anchors struct {
	// LogKey is the file holding the note verifier key of the log's
	// checkpoints (origin+hash+key).
	LogKey string `json:"logKey,omitempty"`
	// Witnesses are the files holding witness verifier keys, one each.
	Witnesses []string `json:"witnesses,omitempty"`
	// TSACert is the file holding the PEM certificate of the
	// time-stamping authority.
	TSACert string `json:"tsaCert,omitempty"`
	// KeyRing is the file holding the key ring of the log
	// ([evidence.KeyRing], JSON), for a log whose key was rotated.
	KeyRing string `json:"keyRing,omitempty"`
}

// File is one file of a bundle.
type File struct {
	// Name is the file's name: ASCII letters, digits, ".", "-" and "_",
	// not beginning with ".".
	Name string `json:"name"`
	// Size is its size in bytes.
	Size int64 `json:"size"`
	// SHA256 is the hex SHA-256 of its content.
	SHA256 string `json:"sha256"`
}

// maxNameLen bounds the length of a file name in a bundle.
const maxNameLen = 128

// validName reports whether name is safe as a file name in a bundle: a
// plain name at the top level, of ASCII letters, digits, ".", "-" and
// "_", not beginning with ".".
func validName(name string) bool {
	if name == "" || len(name) > maxNameLen || name[0] == '.' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// nameProblem says why name is not safe.
func nameProblem(name string) string {
	switch {
	case name == "":
		return "the name is empty"
	case strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) || len(name) > 1 && name[1] == ':':
		return "the name is absolute"
	case slices.Contains(strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }), ".."):
		return "the name climbs out of the bundle (..)"
	case strings.ContainsAny(name, `/\`):
		return "the name is in a folder: a bundle holds plain files at its top level"
	case len(name) > maxNameLen:
		return fmt.Sprintf("the name is longer than %d bytes", maxNameLen)
	case name[0] == '.':
		return "the name begins with a dot"
	}
	return "the name holds characters other than ASCII letters, digits, '.', '-' and '_'"
}

// ParseManifest parses and validates a manifest (see [Manifest.Validate]).
// Unknown fields, wrong types and invalid values give an [*Error] of
// [ProblemManifest] whose Pointer names the field, matching
// [ErrMalformed].
func ParseManifest(b []byte) (*Manifest, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, manifestErr("", "not JSON: %v", err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, manifestErr("", "trailing data after the JSON object")
	}
	p := &parser{}
	m := p.manifest(v)
	if p.err != nil {
		return nil, p.err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

func manifestErr(ptr, format string, args ...any) *Error {
	return &Error{File: ManifestName, Pointer: ptr, Problem: ProblemManifest, Detail: fmt.Sprintf(format, args...)}
}

// parser decodes the generic JSON of a manifest, remembering the first
// error with its JSON pointer.
type parser struct{ err error }

func (p *parser) fail(ptr, format string, args ...any) {
	if p.err == nil {
		p.err = manifestErr(ptr, format, args...)
	}
}

// object returns v as an object whose members are all in allowed.
func (p *parser) object(v any, ptr string, allowed ...string) map[string]any {
	o, ok := v.(map[string]any)
	if !ok {
		p.fail(ptr, "want an object, not %s", jsonKind(v))
		return nil
	}
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			p.fail(ptr+"/"+escapePointer(k), "unknown field")
		}
	}
	return o
}

func (p *parser) str(o map[string]any, key, ptr string, required bool) string {
	v, ok := o[key]
	if !ok {
		if required {
			p.fail(ptr+"/"+key, "missing")
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail(ptr+"/"+key, "want a string, not %s", jsonKind(v))
	}
	return s
}

func (p *parser) int(o map[string]any, key, ptr string) int64 {
	v, ok := o[key]
	if !ok {
		p.fail(ptr+"/"+key, "missing")
		return 0
	}
	n, ok := v.(json.Number)
	if !ok {
		p.fail(ptr+"/"+key, "want a number, not %s", jsonKind(v))
		return 0
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil || i < 0 {
		p.fail(ptr+"/"+key, "want a whole number from 0, not %s", n)
		return 0
	}
	return i
}

func (p *parser) time(o map[string]any, key, ptr string) time.Time {
	s := p.str(o, key, ptr, true)
	if p.err != nil {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		p.fail(ptr+"/"+key, "want an RFC 3339 time, not %q", s)
	}
	return t
}

func (p *parser) array(o map[string]any, key, ptr string, required bool) []any {
	v, ok := o[key]
	if !ok {
		if required {
			p.fail(ptr+"/"+key, "missing")
		}
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		p.fail(ptr+"/"+key, "want an array, not %s", jsonKind(v))
	}
	return a
}

func (p *parser) period(o map[string]any, key, ptr string) Period {
	v, ok := o[key]
	if !ok {
		p.fail(ptr+"/"+key, "missing")
		return Period{}
	}
	ptr += "/" + key
	po := p.object(v, ptr, "from", "to")
	if po == nil {
		return Period{}
	}
	return Period{From: p.time(po, "from", ptr), To: p.time(po, "to", ptr)}
}

func (p *parser) manifest(v any) *Manifest {
	o := p.object(v, "", "format", "formatVersion", "generator", "origin", "period", "records", "before",
		"segments", "firstCheckpoint", "lastCheckpoint", "anchors", "files")
	if o == nil {
		return nil
	}
	m := &Manifest{
		Format:    p.str(o, "format", "", true),
		Generator: p.str(o, "generator", "", false),
	}
	if p.err == nil && m.Format != Format {
		p.fail("/format", "want %q, not %q: this is not an aimskit evidence bundle", Format, m.Format)
	}
	m.FormatVersion = int(min(p.int(o, "formatVersion", ""), 1<<30))
	if p.err == nil && m.FormatVersion != FormatVersion {
		p.fail("/formatVersion", "format version %d: this aimskit reads version %d", m.FormatVersion, FormatVersion)
	}
	m.Origin = p.str(o, "origin", "", true)
	m.Period = p.period(o, "period", "")
	m.Records = p.int(o, "records", "")
	m.Before = p.int(o, "before", "")
	m.FirstCheckpoint = p.str(o, "firstCheckpoint", "", true)
	m.LastCheckpoint = p.str(o, "lastCheckpoint", "", true)
	for i, sv := range p.array(o, "segments", "", true) {
		ptr := fmt.Sprintf("/segments/%d", i)
		so := p.object(sv, ptr, "name", "sequence", "records", "period", "checkpoints")
		if so == nil {
			break
		}
		m.Segments = append(m.Segments, Segment{
			Name:        p.str(so, "name", ptr, true),
			Sequence:    int(min(p.int(so, "sequence", ptr), 1<<30)),
			Records:     p.int(so, "records", ptr),
			Period:      p.period(so, "period", ptr),
			Checkpoints: int(min(p.int(so, "checkpoints", ptr), 1<<30)),
		})
	}
	if av, ok := o["anchors"]; ok {
		ao := p.object(av, "/anchors", "logKey", "witnesses", "tsaCert", "keyRing")
		if ao != nil {
			m.Anchors.LogKey = p.str(ao, "logKey", "/anchors", false)
			m.Anchors.TSACert = p.str(ao, "tsaCert", "/anchors", false)
			m.Anchors.KeyRing = p.str(ao, "keyRing", "/anchors", false)
			for i, wv := range p.array(ao, "witnesses", "/anchors", false) {
				s, ok := wv.(string)
				if !ok {
					p.fail(fmt.Sprintf("/anchors/witnesses/%d", i), "want a string, not %s", jsonKind(wv))
					break
				}
				m.Anchors.Witnesses = append(m.Anchors.Witnesses, s)
			}
		}
	} else {
		p.fail("/anchors", "missing")
	}
	for i, fv := range p.array(o, "files", "", true) {
		ptr := fmt.Sprintf("/files/%d", i)
		fo := p.object(fv, ptr, "name", "size", "sha256")
		if fo == nil {
			break
		}
		m.Files = append(m.Files, File{Name: p.str(fo, "name", ptr, true), Size: p.int(fo, "size", ptr), SHA256: p.str(fo, "sha256", ptr, true)})
	}
	return m
}

// Validate checks the manifest on its own: its format and version; file
// names that are safe and unique, each with a size and a SHA-256 of 64
// lowercase hex digits, and none named [ManifestName]; at least one
// segment, named by its sequence number, in a contiguous increasing
// range, each listed in Files with its checkpoints file; record counts
// that add up; periods that do not end before they begin; and anchors
// that name listed files. It returns an [*Error] of [ProblemManifest]
// naming the field.
func (m *Manifest) Validate() error {
	if m == nil {
		return manifestErr("", "no manifest")
	}
	switch {
	case m.Format != Format:
		return manifestErr("/format", "want %q, not %q", Format, m.Format)
	case m.FormatVersion != FormatVersion:
		return manifestErr("/formatVersion", "format version %d: this aimskit reads version %d", m.FormatVersion, FormatVersion)
	case m.Origin == "" || strings.ContainsAny(m.Origin, " \t\n+"):
		return manifestErr("/origin", "%q is not a log origin", m.Origin)
	case m.Period.To.Before(m.Period.From):
		return manifestErr("/period/to", "the period ends before it begins")
	case m.Records < 0:
		return manifestErr("/records", "negative")
	case m.Before < 0:
		return manifestErr("/before", "negative")
	case m.FirstCheckpoint == "":
		return manifestErr("/firstCheckpoint", "empty")
	case m.LastCheckpoint == "":
		return manifestErr("/lastCheckpoint", "empty")
	}
	files := make(map[string]bool, len(m.Files))
	for i, f := range m.Files {
		ptr := fmt.Sprintf("/files/%d", i)
		switch {
		case !validName(f.Name):
			return manifestErr(ptr+"/name", "%s: %s", strconv.Quote(f.Name), nameProblem(f.Name))
		case f.Name == ManifestName:
			return manifestErr(ptr+"/name", "the manifest does not list itself")
		case files[f.Name]:
			return manifestErr(ptr+"/name", "%s is listed twice", f.Name)
		case f.Size < 0:
			return manifestErr(ptr+"/size", "negative")
		case !validDigest(f.SHA256):
			return manifestErr(ptr+"/sha256", "want 64 lowercase hex digits")
		}
		files[f.Name] = true
	}
	if len(m.Segments) == 0 {
		return manifestErr("/segments", "no segment")
	}
	var records int64
	for i, s := range m.Segments {
		ptr := fmt.Sprintf("/segments/%d", i)
		switch {
		case s.Sequence < 1:
			return manifestErr(ptr+"/sequence", "want a number from 1")
		case i > 0 && s.Sequence != m.Segments[i-1].Sequence+1:
			return manifestErr(ptr+"/sequence", "segment %d follows segment %d: the segments of a bundle are a contiguous range", s.Sequence, m.Segments[i-1].Sequence)
		case s.Name != evidence.SegmentName(s.Sequence):
			return manifestErr(ptr+"/name", "want %s for segment %d, not %s", evidence.SegmentName(s.Sequence), s.Sequence, strconv.Quote(s.Name))
		case !files[s.Name]:
			return manifestErr(ptr+"/name", "%s is not in /files", s.Name)
		case !files[s.Name+evidence.CheckpointsSuffix]:
			return manifestErr(ptr+"/name", "its checkpoints, %s, are not in /files", s.Name+evidence.CheckpointsSuffix)
		case s.Records < 0:
			return manifestErr(ptr+"/records", "negative")
		case s.Checkpoints < 0:
			return manifestErr(ptr+"/checkpoints", "negative")
		case s.Period.To.Before(s.Period.From):
			return manifestErr(ptr+"/period/to", "the period ends before it begins")
		}
		if records > records+s.Records {
			return manifestErr(ptr+"/records", "too large")
		}
		records += s.Records
	}
	if records != m.Records {
		return manifestErr("/records", "%d, but the segments hold %d", m.Records, records)
	}
	anchor := func(ptr, name string) error {
		if !files[name] {
			return manifestErr(ptr, "%s is not in /files", strconv.Quote(name))
		}
		return nil
	}
	if m.Anchors.LogKey != "" {
		if err := anchor("/anchors/logKey", m.Anchors.LogKey); err != nil {
			return err
		}
	}
	if m.Anchors.TSACert != "" {
		if err := anchor("/anchors/tsaCert", m.Anchors.TSACert); err != nil {
			return err
		}
	}
	if m.Anchors.KeyRing != "" {
		if err := anchor("/anchors/keyRing", m.Anchors.KeyRing); err != nil {
			return err
		}
	}
	for i, w := range m.Anchors.Witnesses {
		if err := anchor(fmt.Sprintf("/anchors/witnesses/%d", i), w); err != nil {
			return err
		}
	}
	part := make(map[string]bool, len(m.Files))
	for _, s := range m.Segments {
		part[s.Name], part[s.Name+evidence.CheckpointsSuffix], part[s.Name+evidence.TimestampsSuffix] = true, true, true
	}
	part[m.Anchors.LogKey], part[m.Anchors.TSACert], part[m.Anchors.KeyRing] = true, true, true
	for _, w := range m.Anchors.Witnesses {
		part[w] = true
	}
	for i, f := range m.Files {
		if !part[f.Name] {
			return manifestErr(fmt.Sprintf("/files/%d/name", i), "%s is neither a segment of /segments, nor its checkpoints or time-stamps, nor an anchor", f.Name)
		}
	}
	return nil
}

// Marshal returns the manifest's JSON, indented, with a final newline.
func (m *Manifest) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("bundle: manifest: %w", err)
	}
	return append(b, '\n'), nil
}

func validDigest(s string) bool {
	if len(s) != 64 || strings.ToLower(s) != s {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// escapePointer escapes a member name for a JSON pointer (RFC 6901).
func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
