package bundle

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
)

// The names of the anchor files [Write] puts in a bundle.
const (
	// LogKeyName holds the log's note verifier key.
	LogKeyName = "log.vkey"
	// TSACertName holds the time-stamping authority's certificate.
	TSACertName = "tsa.pem"
	// KeyRingName holds the log's key ring.
	KeyRingName = "keyring.json"
)

// WitnessKeyName returns the name of the file of the i-th witness key
// (from 1).
func WitnessKeyName(i int) string { return fmt.Sprintf("witness-%d.vkey", i) }

// WriteOptions says what [Write] puts in a bundle beside the segments. A
// nil *WriteOptions puts nothing else.
type WriteOptions struct {
	// Generator names the program writing the bundle, such as
	// "aimskit v0.4.0"; it goes into [Manifest.Generator].
	Generator string
	// LogKey is the log's note verifier key ([evidence.NoteVerifierKey]),
	// written as [LogKeyName].
	LogKey string
	// Witnesses are the keys of the witnesses whose cosignatures the
	// checkpoints carry, written as [WitnessKeyName] 1, 2, ...
	Witnesses []evidence.WitnessKey
	// TSACert is the PEM certificate of the time-stamping authority of
	// the segments' time-stamps, written as [TSACertName].
	TSACert []byte
	// KeyRing is the key ring of a log whose key was rotated, written as
	// [KeyRingName] in its JSON form (see [evidence.KeyRing]).
	KeyRing *evidence.KeyRing
}

// source is a file to put in a bundle: size bytes from path, or data.
type source struct {
	name string
	path string
	size int64
	data []byte
	sum  string
}

// ModTime is the modification time of every entry of a bundle, so that
// the same evidence always gives the same bytes.
var ModTime = time.Unix(0, 0).UTC()

// Write writes to w a bundle of the segments at paths, which must be a
// contiguous range of a segmented log ([evidence.SegmentLog]) in order of
// their sequence numbers, with their checkpoints and time-stamps files,
// the anchors of opts and a manifest, and returns the manifest.
//
// A bundle is one uncompressed tar archive (archive/tar, USTAR) of plain
// files at its top level, in byte order of their names, each with mode
// 0644, owner 0 and modification time [ModTime]: the same evidence and
// options always give the same bytes. Each segment and checkpoints file
// is taken up to its last newline, so that a segment still being written
// is taken as far as its last complete record; a file that changes
// otherwise while it is written is an error.
//
// Write does not verify the evidence: verify the segments first
// ([evidence.VerifySegments]), as "aimskit evidence bundle" does, so as
// not to hand over evidence that does not verify.
func Write(ctx context.Context, w io.Writer, paths []string, opts *WriteOptions) (*Manifest, error) {
	var o WriteOptions
	if opts != nil {
		o = *opts
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: write: no segment", ErrInvalid)
	}
	m := &Manifest{Format: Format, FormatVersion: FormatVersion, Generator: o.Generator}
	var srcs []*source
	for i, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("bundle: write: %w", err)
		}
		seg, extra, err := describeSegment(p)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			m.Before = extra.before
			m.FirstCheckpoint = extra.firstCheckpoint
			m.Period.From = seg.Period.From
		}
		m.LastCheckpoint = extra.lastCheckpoint
		m.Period.To = seg.Period.To
		m.Records += seg.Records
		m.Segments = append(m.Segments, seg)
		srcs = append(srcs, extra.sources...)
	}
	c, err := evidence.ParseCheckpoint([]byte(m.LastCheckpoint))
	if err != nil {
		return nil, fmt.Errorf("bundle: write: %s: latest checkpoint: %w", m.Segments[len(m.Segments)-1].Name+evidence.CheckpointsSuffix, err)
	}
	m.Origin = c.Origin
	if o.LogKey != "" {
		m.Anchors.LogKey = LogKeyName
		srcs = append(srcs, &source{name: LogKeyName, data: []byte(o.LogKey + "\n")})
	}
	for i, k := range o.Witnesses {
		name := WitnessKeyName(i + 1)
		m.Anchors.Witnesses = append(m.Anchors.Witnesses, name)
		srcs = append(srcs, &source{name: name, data: []byte(k.String() + "\n")})
	}
	if len(o.TSACert) > 0 {
		m.Anchors.TSACert = TSACertName
		srcs = append(srcs, &source{name: TSACertName, data: slices.Clone(o.TSACert)})
	}
	if o.KeyRing != nil {
		b, err := json.MarshalIndent(o.KeyRing, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("bundle: write: key ring: %w", err)
		}
		if _, err := evidence.ParseKeyRing(b); err != nil {
			return nil, fmt.Errorf("%w: write: %v", ErrInvalid, err)
		}
		m.Anchors.KeyRing = KeyRingName
		srcs = append(srcs, &source{name: KeyRingName, data: append(b, '\n')})
	}
	slices.SortFunc(srcs, func(a, b *source) int { return strings.Compare(a.name, b.name) })
	for _, s := range srcs {
		if err := s.hash(); err != nil {
			return nil, err
		}
		m.Files = append(m.Files, File{Name: s.name, Size: s.size, SHA256: s.sum})
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("bundle: write: %w", err)
	}
	mb, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	all := append([]*source{{name: ManifestName, data: mb, size: int64(len(mb))}}, srcs...)
	slices.SortFunc(all, func(a, b *source) int { return strings.Compare(a.name, b.name) })
	tw := tar.NewWriter(w)
	for _, s := range all {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("bundle: write: %w", err)
		}
		if err := s.write(tw); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("bundle: write: %w", err)
	}
	return m, nil
}

// open returns the content of s.
func (s *source) open() (io.ReadCloser, error) {
	if s.path == "" {
		return io.NopCloser(bytes.NewReader(s.data)), nil
	}
	f, err := os.Open(s.path)
	if err != nil {
		return nil, fmt.Errorf("bundle: write: %w", err)
	}
	return f, nil
}

// hash computes the size and digest of s.
func (s *source) hash() error {
	if s.path == "" {
		s.size = int64(len(s.data))
	}
	r, err := s.open()
	if err != nil {
		return err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.CopyN(h, r, s.size); err != nil {
		return fmt.Errorf("bundle: write: %s: %w", s.name, err)
	}
	s.sum = hex.EncodeToString(h.Sum(nil))
	return nil
}

// write writes s as an entry of tw, and checks that it did not change
// since it was hashed.
func (s *source) write(tw *tar.Writer) error {
	r, err := s.open()
	if err != nil {
		return err
	}
	defer r.Close()
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: s.name, Size: s.size, Mode: 0o644, ModTime: ModTime}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("bundle: write: %s: %w", s.name, err)
	}
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(tw, h), r, s.size); err != nil {
		return fmt.Errorf("bundle: write: %s: %w", s.name, err)
	}
	if s.sum != "" && hex.EncodeToString(h.Sum(nil)) != s.sum {
		return fmt.Errorf("bundle: write: %s changed while the bundle was written", s.path)
	}
	return nil
}

// segmentExtra is what describeSegment finds beside a [Segment].
type segmentExtra struct {
	before                          int64
	firstCheckpoint, lastCheckpoint string
	sources                         []*source
}

// describeSegment reads the segment at path and its checkpoints.
func describeSegment(path string) (Segment, segmentExtra, error) {
	var ex segmentExtra
	name := filepath.Base(path)
	seg := Segment{Name: name}
	seq := 0
	if _, err := fmt.Sscanf(name, evidence.SegmentPrefix+"%d"+evidence.SegmentSuffix, &seq); err != nil || evidence.SegmentName(seq) != name {
		return seg, ex, fmt.Errorf("%w: write: %s is not named as a segment (%s)", ErrInvalid, path, evidence.SegmentName(1))
	}
	seg.Sequence = seq
	var lineErr error
	lines, size, first, _, err := scanLines(path, func(i int64, line []byte) {
		var r struct {
			Time time.Time `json:"time"`
		}
		if err := json.Unmarshal(line, &r); err != nil || r.Time.IsZero() {
			if lineErr == nil {
				lineErr = fmt.Errorf("%w: write: %s: record %d has no time", ErrInvalid, path, i)
			}
			return
		}
		t := r.Time.UTC()
		if i == 0 || t.Before(seg.Period.From) {
			seg.Period.From = t
		}
		if i == 0 || t.After(seg.Period.To) {
			seg.Period.To = t
		}
	})
	if err == nil {
		err = lineErr
	}
	if err != nil {
		return seg, ex, err
	}
	seg.Records = lines
	if lines > 0 {
		fr, err := evidence.ParseRecord(first)
		if err != nil {
			return seg, ex, fmt.Errorf("bundle: write: %s: first record: %w", path, err)
		}
		if fr.Type == evidence.TypeLogSegment {
			var d struct {
				Before int64 `json:"before"`
			}
			if err := json.Unmarshal(fr.Data, &d); err == nil {
				ex.before = d.Before
			}
		}
	}
	ex.sources = append(ex.sources, &source{name: name, path: path, size: size})

	cpPath := path + evidence.CheckpointsSuffix
	cps, cpSize, cpFirst, cpLast, err := scanLines(cpPath, nil)
	if err != nil {
		return seg, ex, err
	}
	if cps == 0 {
		return seg, ex, fmt.Errorf("%w: write: %s holds no signed checkpoint", ErrInvalid, cpPath)
	}
	seg.Checkpoints = int(cps)
	for i, l := range [][]byte{cpFirst, cpLast} {
		var cl struct {
			Note string `json:"note"`
		}
		if err := json.Unmarshal(l, &cl); err != nil || cl.Note == "" {
			return seg, ex, fmt.Errorf("%w: write: %s: a line is not a signed checkpoint", ErrInvalid, cpPath)
		}
		if i == 0 {
			ex.firstCheckpoint = cl.Note
		} else {
			ex.lastCheckpoint = cl.Note
		}
	}
	ex.sources = append(ex.sources, &source{name: name + evidence.CheckpointsSuffix, path: cpPath, size: cpSize})

	tsPath := path + evidence.TimestampsSuffix
	switch _, tsSize, _, _, err := scanLines(tsPath, nil); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return seg, ex, err
	default:
		ex.sources = append(ex.sources, &source{name: name + evidence.TimestampsSuffix, path: tsPath, size: tsSize})
	}
	return seg, ex, nil
}

// scanLines reads the file at path and returns its number of complete
// lines, the size up to the last newline, and its first and last
// complete lines without their newlines. It calls each, if not nil, with
// the index and the content of every complete line.
func scanLines(path string, each func(i int64, line []byte)) (n, size int64, first, last []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, nil, nil, fmt.Errorf("bundle: write: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	for {
		line, rerr := br.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			if each != nil {
				each(n, line[:len(line)-1])
			}
			n++
			size += int64(len(line))
			if n == 1 {
				first = line[:len(line)-1]
			}
			last = line[:len(line)-1]
		}
		if errors.Is(rerr, io.EOF) {
			return n, size, first, last, nil
		}
		if rerr != nil {
			return 0, 0, nil, nil, fmt.Errorf("bundle: write: %s: %w", path, rerr)
		}
	}
}

// ReadSegment describes the segment of a segmented log at path: its
// sequence number, records, period and checkpoints, as [Write] puts them
// in a manifest. It does not verify the segment.
func ReadSegment(path string) (Segment, error) {
	s, _, err := describeSegment(path)
	return s, err
}
