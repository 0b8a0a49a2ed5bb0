package bundle

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// Default limits of [ReadOptions].
const (
	// DefaultMaxFileSize bounds the size of one file of a bundle.
	DefaultMaxFileSize = 4 << 30
	// DefaultMaxFiles bounds the number of files of a bundle.
	DefaultMaxFiles = 100_000
	// MaxManifestSize bounds the size of a bundle's manifest, which is
	// read into memory.
	MaxManifestSize = 64 << 20
)

// ReadOptions bounds what [Check] and [Extract] accept. A nil
// *ReadOptions means the defaults.
type ReadOptions struct {
	// MaxFileSize bounds the size of each file. Zero means
	// [DefaultMaxFileSize].
	MaxFileSize int64
	// MaxFiles bounds the number of files, the manifest included. Zero
	// means [DefaultMaxFiles].
	MaxFiles int
}

// Check reads a bundle (a tar archive) from r and checks it against its
// manifest without writing anything: see [Extract].
func Check(r io.Reader, opts *ReadOptions) (*Manifest, error) {
	return read(r, opts, func(string) (io.WriteCloser, error) { return nopCloser{io.Discard}, nil })
}

// Extract reads a bundle (a tar archive) from r, writes its files into
// dir, which must exist and should be empty (a file that exists already
// is an error), and checks them against the manifest, which it returns.
//
// Every entry must be a regular file with a safe name (ASCII letters,
// digits, ".", "-" and "_", at the top level: no folder, no absolute
// name, no ".."), given once, within the limits of opts; the manifest
// ([ManifestName]) must parse ([ParseManifest]); and the files must be
// exactly those the manifest lists, with its sizes and SHA-256 digests.
// A problem gives an [*Error] naming the file, and for the manifest the
// field; the files missing, extra or altered are all reported, joined
// with [errors.Join]. On an error, dir may hold some files.
//
// Extract checks that the bundle is what its manifest says, not that the
// evidence is sound: [Verify] does that.
func Extract(r io.Reader, dir string, opts *ReadOptions) (*Manifest, error) {
	return read(r, opts, func(name string) (io.WriteCloser, error) {
		return os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	})
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// seen is a file read from a bundle.
type seen struct {
	size   int64
	digest string
}

func read(r io.Reader, opts *ReadOptions, create func(name string) (io.WriteCloser, error)) (*Manifest, error) {
	maxSize, maxFiles := int64(DefaultMaxFileSize), DefaultMaxFiles
	if opts != nil && opts.MaxFileSize > 0 {
		maxSize = opts.MaxFileSize
	}
	if opts != nil && opts.MaxFiles > 0 {
		maxFiles = opts.MaxFiles
	}
	tr := tar.NewReader(r)
	files := make(map[string]seen)
	var manifest []byte
	haveManifest := false
	for n := 0; ; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			where := "the bundle"
			if n == 0 {
				return nil, &Error{File: where, Problem: ProblemNotTar, Detail: fmt.Sprintf("not a tar archive: %v", err)}
			}
			return nil, &Error{File: where, Problem: ProblemNotTar, Detail: fmt.Sprintf("entry %d: %v", n, err)}
		}
		name := h.Name
		if !validName(name) {
			return nil, &Error{File: name, Problem: ProblemUnsafeName, Detail: nameProblem(name)}
		}
		if n >= maxFiles {
			return nil, &Error{File: name, Problem: ProblemTooLarge, Detail: fmt.Sprintf("more than %d files", maxFiles)}
		}
		if h.Typeflag != tar.TypeReg {
			return nil, &Error{File: name, Problem: ProblemNotRegular, Detail: fmt.Sprintf("tar entry type %s, not a regular file", strconv.QuoteRune(rune(h.Typeflag)))}
		}
		if _, dup := files[name]; dup || name == ManifestName && haveManifest {
			return nil, &Error{File: name, Problem: ProblemDuplicate, Detail: "the name is given twice"}
		}
		limit := maxSize
		if name == ManifestName {
			limit = min(limit, MaxManifestSize)
		}
		if h.Size < 0 || h.Size > limit {
			return nil, &Error{File: name, Problem: ProblemTooLarge, Detail: fmt.Sprintf("%d bytes, more than the limit of %d", h.Size, limit)}
		}
		if name == ManifestName {
			var buf bytes.Buffer
			if _, err := io.CopyN(&buf, tr, h.Size); err != nil {
				return nil, &Error{File: name, Problem: ProblemNotTar, Detail: fmt.Sprintf("cut short: %v", err)}
			}
			manifest, haveManifest = buf.Bytes(), true
			continue
		}
		w, err := create(name)
		if err != nil {
			return nil, fmt.Errorf("bundle: %s: %w", name, err)
		}
		hash := sha256.New()
		_, err = io.CopyN(io.MultiWriter(w, hash), tr, h.Size)
		if cerr := w.Close(); err == nil && cerr != nil {
			return nil, fmt.Errorf("bundle: %s: %w", name, cerr)
		}
		if err != nil {
			return nil, &Error{File: name, Problem: ProblemNotTar, Detail: fmt.Sprintf("cut short: %v", err)}
		}
		files[name] = seen{size: h.Size, digest: hex.EncodeToString(hash.Sum(nil))}
	}
	if !haveManifest {
		return nil, &Error{File: ManifestName, Problem: ProblemManifest, Detail: "the bundle has no manifest"}
	}
	m, err := ParseManifest(manifest)
	if err != nil {
		return nil, err
	}
	return m, checkFiles(m, files)
}

// checkFiles compares the files read with those the manifest lists.
func checkFiles(m *Manifest, files map[string]seen) error {
	var errs []error
	listed := make(map[string]bool, len(m.Files))
	for i, f := range m.Files {
		listed[f.Name] = true
		ptr := fmt.Sprintf("/files/%d", i)
		s, ok := files[f.Name]
		switch {
		case !ok:
			errs = append(errs, &Error{File: f.Name, Pointer: ptr, Problem: ProblemMissing, Detail: "the manifest lists it, but the bundle does not hold it"})
		case s.size != f.Size:
			errs = append(errs, &Error{File: f.Name, Pointer: ptr + "/size", Problem: ProblemAltered, Detail: fmt.Sprintf("%d bytes, but the manifest says %d", s.size, f.Size)})
		case s.digest != f.SHA256:
			errs = append(errs, &Error{File: f.Name, Pointer: ptr + "/sha256", Problem: ProblemAltered, Detail: fmt.Sprintf("SHA-256 %s, but the manifest says %s", s.digest, f.SHA256)})
		}
	}
	var extra []string
	for name := range files {
		if !listed[name] {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		errs = append(errs, &Error{File: name, Pointer: "/files", Problem: ProblemExtra, Detail: "the bundle holds it, but the manifest does not list it"})
	}
	return errors.Join(errs...)
}
