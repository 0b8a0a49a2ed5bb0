package evidence

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"
)

// TilesSuffix is appended to a log's path to name the folder that holds
// the log's tile files: the hashes of its Merkle tree, in the tiles of
// height 8 of the Go checksum database ([golang.org/x/mod/sumdb/tlog])
// and C2SP tlog-tiles. In the folder, the file named by the decimal
// level L (0, 1, 2, …) holds the level-L tiles back to back, 32 bytes per
// hash: tile N of level L (tile/L/N in C2SP tlog-tiles) is the 8,192
// bytes at offset N×8,192, and the file ends with the hashes of the
// rightmost, partial tile. Level 0 holds the records' leaf hashes, level
// L the tree hashes of the full tiles of level L−1. The file named
// "offsets" holds, for each full tile of level 0, the byte offset in the
// log at which its last record ends, as a big-endian uint64. The files
// are derived from the log: [OpenFile] checks them and, where they do not
// match the log, rebuilds them from it.
const TilesSuffix = ".tiles"

const (
	tileHeight  = 8
	tileWidth   = 1 << tileHeight // hashes in a full tile
	tileLevels  = 64 / tileHeight // levels a tree of up to 2^63 leaves can reach
	offsetsName = "offsets"
	// tileFlushBytes bounds what a tile store holds before writing it.
	tileFlushBytes = 64 << 10
)

// TileError reports a tile file that does not hold the hashes of the
// log's records: a hash in it is not the one the log's records give. It
// matches [ErrTampered]. The log itself may be intact: removing the
// folder named by the log's path and [TilesSuffix] makes the next
// [OpenFile] rebuild the tiles from the log, after checking the log.
type TileError struct {
	// Path is the tile file.
	Path string
	// Level is the tile's level.
	Level int
	// Tile is the tile's index within its level.
	Tile int64
	// Detail says what does not match.
	Detail string
}

func (e *TileError) Error() string {
	return fmt.Sprintf("evidence: tile file %s: tile %d/%d: %s", e.Path, e.Level, e.Tile, e.Detail)
}

// Unwrap returns [ErrTampered].
func (e *TileError) Unwrap() error { return ErrTampered }

// tileStore keeps the Merkle tree of a log in its tile files, and in
// memory only the roots of the tree's perfect subtrees (at most 64
// hashes) and the hashes not yet written. It is not safe for concurrent
// use; a FileLog holds its lock.
type tileStore struct {
	dir   string
	files [tileLevels]*os.File // nil until the level has a hash
	disk  [tileLevels]int64    // hashes of each level in its file
	off   *os.File
	offN  int64 // entries in the offsets file

	tileState
	pend    [tileLevels][]byte // hashes not yet written, per level
	pendOff []byte
}

// tileState is what a failed append restores.
type tileState struct {
	n     int64         // leaves
	roots [64]tlog.Hash // roots[k]: the perfect subtree of 2^k leaves, if bit k of n is set
}

// tileMark is the state of a tileStore before an append.
type tileMark struct {
	tileState
	disk [tileLevels]int64
	offN int64
}

// openTiles opens the tile folder of the log at path, creating it if it
// does not exist, and the tile files in it, and reports whether the
// level-0 file was there. It refuses a symbolic link or anything but a
// folder.
func openTiles(path string) (s *tileStore, existed bool, err error) {
	dir := path + TilesSuffix
	st, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Mkdir(dir, 0o700); err != nil {
			return nil, false, err
		}
		if err := syncDir(dir); err != nil {
			return nil, false, err
		}
	case err != nil:
		return nil, false, err
	case !st.IsDir():
		return nil, false, fmt.Errorf("%s is not a folder (%s)", dir, st.Mode().Type())
	}
	s = &tileStore{dir: dir}
	fail := func(err error) (*tileStore, bool, error) {
		s.close()
		return nil, false, err
	}
	for level := range tileLevels {
		f, err := openExisting(s.levelPath(level))
		if err != nil {
			return fail(err)
		}
		if f == nil {
			break
		}
		s.files[level] = f
	}
	if s.off, err = createTileFile(filepath.Join(dir, offsetsName)); err != nil {
		return fail(err)
	}
	return s, s.files[0] != nil, nil
}

// openExisting opens the regular file at path for reading and writing at
// offsets (not for appending), or returns nil if there is none.
func openExisting(path string) (*os.File, error) {
	return openTileFile(path, 0)
}

// createTileFile is openExisting that creates the file (mode 0600) if
// there is none.
func createTileFile(path string) (*os.File, error) {
	return openTileFile(path, os.O_CREATE)
}

func openTileFile(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|oNoFollow|flag, 0o600)
	if errors.Is(err, fs.ErrNotExist) && flag&os.O_CREATE == 0 {
		return nil, nil
	}
	if err != nil {
		if isSymlinkErr(err) {
			return nil, fmt.Errorf("%s is a symbolic link: tile files must be regular files", path)
		}
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file (%s)", path, st.Mode().Type())
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

func (s *tileStore) levelPath(level int) string {
	return filepath.Join(s.dir, strconv.Itoa(level))
}

func (s *tileStore) offsetsPath() string { return filepath.Join(s.dir, offsetsName) }

// close closes the files.
func (s *tileStore) close() error {
	var errs []error
	for i, f := range s.files {
		if f != nil {
			errs = append(errs, f.Close())
			s.files[i] = nil
		}
	}
	if s.off != nil {
		errs = append(errs, s.off.Close())
		s.off = nil
	}
	return errors.Join(errs...)
}

// sync syncs the tile files.
func (s *tileStore) sync() error {
	for _, f := range s.files {
		if f != nil {
			if err := f.Sync(); err != nil {
				return err
			}
		}
	}
	return s.off.Sync()
}

// reset empties the store and its files.
func (s *tileStore) reset() error {
	s.tileState = tileState{}
	s.pend = [tileLevels][]byte{}
	s.pendOff = s.pendOff[:0]
	s.disk = [tileLevels]int64{}
	s.offN = 0
	for _, f := range s.files {
		if f != nil {
			if err := f.Truncate(0); err != nil {
				return err
			}
		}
	}
	return s.off.Truncate(0)
}

// add adds the leaf with hash h, whose record ends at byte end of the
// log: it appends h to level 0, and to level L the hash of each tile of
// level L−1 it completes.
func (s *tileStore) add(h tlog.Hash, end int64) {
	s.pend[0] = append(s.pend[0], h[:]...)
	k := 0
	for ; s.n>>k&1 == 1; k++ {
		h = tlog.NodeHash(s.roots[k], h)
		if (k+1)%tileHeight == 0 {
			l := (k + 1) / tileHeight
			s.pend[l] = append(s.pend[l], h[:]...)
		}
	}
	s.roots[k] = h
	s.n++
	if s.n%tileWidth == 0 {
		s.pendOff = binary.BigEndian.AppendUint64(s.pendOff, uint64(end))
	}
}

// pending reports the bytes not yet written.
func (s *tileStore) pending() int { return len(s.pend[0]) }

// root returns the tree hash of the leaves added so far.
func (s *tileStore) root() tlog.Hash {
	if s.n == 0 {
		return tlog.Hash(sha256.Sum256(nil))
	}
	var h tlog.Hash
	first := true
	for k := range 64 {
		if s.n>>k&1 == 0 {
			continue
		}
		if first {
			h, first = s.roots[k], false
		} else {
			h = tlog.NodeHash(s.roots[k], h)
		}
	}
	return h
}

func (s *tileStore) mark() tileMark {
	return tileMark{tileState: s.tileState, disk: s.disk, offN: s.offN}
}

// rollback returns the store to m, dropping what was added since and
// cutting the files back. A file that cannot be cut holds hashes past the
// store's end, which the next write overwrites and [OpenFile] cuts off.
func (s *tileStore) rollback(m tileMark) {
	s.tileState = m.tileState
	for l := range s.pend {
		s.pend[l] = s.pend[l][:0]
		if s.files[l] != nil && s.disk[l] != m.disk[l] {
			_ = s.files[l].Truncate(m.disk[l] * tlog.HashSize)
		}
	}
	s.pendOff = s.pendOff[:0]
	if s.offN != m.offN {
		_ = s.off.Truncate(m.offN * 8)
	}
	s.disk, s.offN = m.disk, m.offN
}

// flush writes the hashes not yet written.
func (s *tileStore) flush() error {
	for l := range s.pend {
		p := s.pend[l]
		if len(p) == 0 {
			continue
		}
		if s.files[l] == nil {
			f, err := createTileFile(s.levelPath(l))
			if err != nil {
				return err
			}
			s.files[l] = f
			if err := syncDir(s.levelPath(l)); err != nil {
				return err
			}
		}
		if _, err := s.files[l].WriteAt(p, s.disk[l]*tlog.HashSize); err != nil {
			return err
		}
		s.disk[l] += int64(len(p) / tlog.HashSize)
		s.pend[l] = p[:0]
		if cap(p) > 4<<20 {
			s.pend[l] = nil
		}
	}
	if len(s.pendOff) > 0 {
		if _, err := s.off.WriteAt(s.pendOff, s.offN*8); err != nil {
			return err
		}
		s.offN += int64(len(s.pendOff) / 8)
		s.pendOff = s.pendOff[:0]
	}
	return nil
}

// readLevel reads hashes [i, i+len(dst)) of a level.
func (s *tileStore) readLevel(level int, i int64, dst []tlog.Hash) error {
	if len(dst) == 0 {
		return nil
	}
	f := s.files[level]
	if f == nil || i < 0 || i+int64(len(dst)) > s.disk[level] {
		return fmt.Errorf("evidence: tile file %s: hashes %d to %d not stored", s.levelPath(level), i, i+int64(len(dst))-1)
	}
	buf := make([]byte, len(dst)*tlog.HashSize)
	if _, err := f.ReadAt(buf, i*tlog.HashSize); err != nil {
		return fmt.Errorf("evidence: read tile file %s: %w", s.levelPath(level), err)
	}
	for j := range dst {
		copy(dst[j][:], buf[j*tlog.HashSize:])
	}
	return nil
}

// subtreeHash returns the tree hash of hs, whose length is a power of
// two. It overwrites hs.
func subtreeHash(hs []tlog.Hash) tlog.Hash {
	for m := len(hs); m > 1; m /= 2 {
		for i := 0; i < m/2; i++ {
			hs[i] = tlog.NodeHash(hs[2*i], hs[2*i+1])
		}
	}
	return hs[0]
}

// hashAt returns the hash of the perfect subtree of 2^k leaves with index
// j at its height, from the tile files, without checking them.
func (s *tileStore) hashAt(k int, j int64) (tlog.Hash, error) {
	if k < 0 || k >= 64 || j < 0 || (j+1)<<k > s.n || (j+1)<<k <= 0 {
		return tlog.Hash{}, fmt.Errorf("evidence: hash %d at height %d not stored", j, k)
	}
	level, b := k/tileHeight, k%tileHeight
	hs := make([]tlog.Hash, 1<<b)
	if err := s.readLevel(level, j<<b, hs); err != nil {
		return tlog.Hash{}, err
	}
	return subtreeHash(hs), nil
}

// ReadHashes implements [tlog.HashReader] over the tile files, without
// checking them against the tree: [OpenFile] uses it to compare them with
// the checkpoints.
func (s *tileStore) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		k, j := tlog.SplitStoredHashIndex(x)
		h, err := s.hashAt(k, j)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

// setSize makes the store hold the first n leaves of its files, n a
// multiple of [tileWidth], reading the roots of its perfect subtrees from
// the tile files, whose hashes past n are then overwritten by the next
// writes.
func (s *tileStore) setSize(n int64) error {
	s.tileState = tileState{n: n}
	for k := range 64 {
		if n>>k&1 == 1 {
			h, err := s.hashAt(k, n>>k-1)
			if err != nil {
				return err
			}
			s.roots[k] = h
		}
	}
	for l := range s.disk {
		s.disk[l] = min(s.disk[l], n>>(l*tileHeight))
	}
	s.offN = n / tileWidth
	return nil
}

// trim cuts the files to the hashes of the store's leaves.
func (s *tileStore) trim() error {
	for l, f := range s.files {
		if f == nil {
			continue
		}
		want := s.n >> (l * tileHeight) * tlog.HashSize
		if st, err := f.Stat(); err != nil {
			return err
		} else if st.Size() != want {
			if err := f.Truncate(want); err != nil {
				return err
			}
		}
	}
	if st, err := s.off.Stat(); err != nil {
		return err
	} else if want := s.offN * 8; st.Size() != want {
		return s.off.Truncate(want)
	}
	return nil
}

// offset returns the byte offset in the log at which the last record of
// full level-0 tile i ends.
func (s *tileStore) offset(i int64) (int64, error) {
	var b [8]byte
	if _, err := s.off.ReadAt(b[:], i*8); err != nil {
		return 0, fmt.Errorf("evidence: read tile file %s: %w", s.offsetsPath(), err)
	}
	return int64(binary.BigEndian.Uint64(b[:])), nil
}

// verified returns a [tlog.HashReader] that checks each tile it reads
// against the tree the store holds: a full tile against its hash in the
// level above, a partial tile against the roots of the tree's perfect
// subtrees, which the store keeps in memory. A tile that does not match
// gives a [*TileError].
func (s *tileStore) verified() tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		v := tileVerifier{s: s, tiles: map[[2]int64][]tlog.Hash{}}
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			k, j := tlog.SplitStoredHashIndex(x)
			if k < 0 || k >= 64 || j < 0 || (j+1)<<k > s.n || (j+1)<<k <= 0 {
				return nil, fmt.Errorf("evidence: hash %d at height %d not stored", j, k)
			}
			level, b := k/tileHeight, k%tileHeight
			first := j << b
			t, err := v.tile(level, first/tileWidth)
			if err != nil {
				return nil, err
			}
			lo := first % tileWidth
			out[i] = subtreeHash(append([]tlog.Hash(nil), t[lo:lo+1<<b]...))
		}
		return out, nil
	})
}

type tileVerifier struct {
	s     *tileStore
	tiles map[[2]int64][]tlog.Hash // checked tiles by level and index
}

// tile returns the hashes of tile i of a level, checked.
func (v *tileVerifier) tile(level int, i int64) ([]tlog.Hash, error) {
	if t, ok := v.tiles[[2]int64{int64(level), i}]; ok {
		return t, nil
	}
	s := v.s
	count := s.n >> (level * tileHeight)
	w := min(count-i*tileWidth, tileWidth)
	t := make([]tlog.Hash, w)
	if err := s.readLevel(level, i*tileWidth, t); err != nil {
		return nil, err
	}
	bad := func(detail string) error {
		return &TileError{Path: s.levelPath(level), Level: level, Tile: i, Detail: detail}
	}
	scratch := make([]tlog.Hash, w)
	if w == tileWidth {
		parent, err := v.tile(level+1, i/tileWidth)
		if err != nil {
			return nil, err
		}
		copy(scratch, t)
		if subtreeHash(scratch) != parent[i%tileWidth] {
			return nil, bad(fmt.Sprintf("its tree hash is not hash %d of level %d", i, level+1))
		}
	} else {
		// A partial tile holds the perfect subtrees of the tree's right
		// edge at heights level*8 to level*8+7, largest first.
		var at int64
		for b := tileHeight - 1; b >= 0; b-- {
			if w>>b&1 == 0 {
				continue
			}
			copy(scratch, t[at:at+1<<b])
			if subtreeHash(scratch[:1<<b]) != s.roots[level*tileHeight+b] {
				return nil, bad(fmt.Sprintf("hashes %d to %d do not give the tree hash of the log's records", i*tileWidth+at, i*tileWidth+at+1<<b-1))
			}
			at += 1 << b
		}
	}
	v.tiles[[2]int64{int64(level), i}] = t
	return t, nil
}

// lineBefore returns the line of f that ends at byte end (with its
// newline at end-1).
func lineBefore(f *os.File, end int64) ([]byte, error) {
	if end < 1 {
		return nil, errors.New("no line before offset 0")
	}
	size := int64(4096)
	for {
		start := max(end-size, 0)
		buf := make([]byte, end-start)
		if _, err := f.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if buf[len(buf)-1] != '\n' {
			return nil, fmt.Errorf("no line ends at offset %d", end)
		}
		body := buf[:len(buf)-1]
		for i := len(body) - 1; i >= 0; i-- {
			if body[i] == '\n' {
				return body[i+1:], nil
			}
		}
		if start == 0 {
			return body, nil
		}
		size *= 4
	}
}
