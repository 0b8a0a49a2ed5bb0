package evidence

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/aimskit/aimskit/aims/evidence/internal/lines"
)

// loadTail opens a log that has tile files by reading its tail only: the
// records after the last full level-0 tile that the tile files and their
// offsets hold, and the latest checkpoint. It cuts a torn tail off each
// tile file, checks that the record before the tail is the last leaf of
// that tile, that the tail's records link and hash to what the tile files
// hold for them, adds the hashes they lack, and checks that the tile
// files give the latest checkpoint's root hash. If anything does not
// match, it logs what, and reports false, having changed nothing but the
// tile files: OpenFile then reads the whole log, which either refuses it
// or rebuilds the tile files from it.
func (l *FileLog) loadTail() (ok bool, torn *tornTail, err error) {
	s := l.tiles
	mismatch := func(file, detail string) (bool, *tornTail, error) {
		l.logger.Warn("evidence: the tile files do not match the log; reading the whole log and rebuilding them",
			slog.String("path", file), slog.String("detail", detail))
		return false, nil, nil
	}
	ioErr := func(err error) (bool, *tornTail, error) {
		return false, nil, fmt.Errorf("evidence: open %s: tiles: %w", l.path, err)
	}
	// A torn tail of a tile file, from a crash while it was written, is
	// cut off; the hashes it lacks are computed again from the log.
	cutHashes := func(f *os.File, name string, unit int64) (int64, error) {
		st, err := f.Stat()
		if err != nil {
			return 0, err
		}
		if r := st.Size() % unit; r != 0 {
			if err := f.Truncate(st.Size() - r); err != nil {
				return 0, err
			}
			l.logger.Warn("evidence: removed the incomplete last hash of a tile file",
				slog.String("path", name), slog.Int64("bytes", r))
		}
		return st.Size() / unit, nil
	}
	for level, f := range s.files {
		if f == nil {
			break
		}
		if s.disk[level], err = cutHashes(f, s.levelPath(level), tlog.HashSize); err != nil {
			return ioErr(err)
		}
	}
	if s.offN, err = cutHashes(s.off, s.offsetsPath(), 8); err != nil {
		return ioErr(err)
	}
	st, err := l.f.Stat()
	if err != nil {
		return ioErr(err)
	}

	// The tail starts after the last full level-0 tile that every level
	// and the offsets file cover.
	stored := s.disk[0]
	start := min(stored/tileWidth, s.offN) * tileWidth
	for level := 1; level < tileLevels && start>>(level*tileHeight) > 0; level++ {
		start = min(start, s.disk[level]<<(level*tileHeight))
	}
	var (
		off  int64
		want = []byte(Genesis)
		link [linkHashLen]byte
	)
	if start > 0 {
		if off, err = s.offset(start/tileWidth - 1); err != nil {
			return ioErr(err)
		}
		if off > st.Size() {
			return mismatch(s.offsetsPath(), fmt.Sprintf("record %d ends at offset %d, past the end of the log (%d bytes)", start-1, off, st.Size()))
		}
		line, err := lineBefore(l.f, off)
		if err != nil {
			return mismatch(s.offsetsPath(), fmt.Sprintf("record %d does not end at offset %d: %v", start-1, off, err))
		}
		var leaf [1]tlog.Hash
		if err := s.readLevel(0, start-1, leaf[:]); err != nil {
			return ioErr(err)
		}
		if leaf[0] != tlog.RecordHash(line) {
			return mismatch(s.levelPath(0), fmt.Sprintf("tile %d: hash %d is not the leaf hash of record %d", (start-1)/tileWidth, start-1, start-1))
		}
		want = appendLinkHash(link[:0], line)
	}
	if err := s.setSize(start); err != nil {
		return mismatch(s.levelPath(0), err.Error())
	}

	// Read the tail: its records must link, and hash to the hashes the
	// tile files hold for them.
	if _, err := l.f.Seek(off, io.SeekStart); err != nil {
		return ioErr(err)
	}
	var old *bufio.Reader
	if stored > start {
		old = bufio.NewReaderSize(io.NewSectionReader(s.files[0], start*tlog.HashSize, (stored-start)*tlog.HashSize), 64<<10)
	}
	lr := lines.NewReader(l.f)
	l.n, l.size = start, off
	end := off
	for {
		line, complete, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return false, nil, fmt.Errorf("evidence: open %s: %w", l.path, err)
		}
		if !complete {
			break
		}
		prev, reason, _ := linePrev(line)
		if reason != "" || !bytes.Equal(prev, want) {
			return mismatch(l.path, fmt.Sprintf("record %d, after the tiles' last full tile, does not verify", l.n))
		}
		want = appendLinkHash(link[:0], line)
		h := tlog.RecordHash(line)
		if l.n < stored {
			var o tlog.Hash
			if _, err := io.ReadFull(old, o[:]); err != nil {
				return ioErr(err)
			}
			if o != h {
				return mismatch(s.levelPath(0), fmt.Sprintf("tile %d: hash %d is not the leaf hash of record %d", l.n/tileWidth, l.n, l.n))
			}
		}
		end += int64(len(line)) + 1
		s.add(h, end)
		if s.pending() >= tileFlushBytes {
			if err := s.flush(); err != nil {
				return ioErr(err)
			}
		}
		l.n++
	}
	if err := s.flush(); err != nil {
		return ioErr(err)
	}
	if err := s.trim(); err != nil {
		return ioErr(err)
	}

	if l.signer != nil {
		if ok, err := l.loadLatestCheckpoint(); !ok || err != nil {
			return false, nil, err
		}
	}
	copy(l.prev[:], want)
	l.size = end
	torn, err = l.cutTorn(end)
	return err == nil, torn, err
}

// loadLatestCheckpoint checks the latest checkpoint in the checkpoints
// file against the tile files, and removes an incomplete last line. It
// reports false, having logged why and changed nothing, if there is no
// checkpoint or it does not verify.
func (l *FileLog) loadLatestCheckpoint() (bool, error) {
	name := l.path + CheckpointsSuffix
	mismatch := func(detail string) (bool, error) {
		l.logger.Warn("evidence: the latest checkpoint does not match the tile files; reading the whole log and rebuilding them",
			slog.String("path", name), slog.String("detail", detail))
		return false, nil
	}
	if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
		return mismatch("no checkpoints file")
	}
	f, _, err := openRegular(name)
	if err != nil {
		return false, fmt.Errorf("evidence: open: %w", err)
	}
	keep := false
	defer func() {
		if !keep {
			_ = f.Close()
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("evidence: open %s: %w", name, err)
	}
	line, end, err := lastLine(f, st.Size())
	if err != nil {
		return false, fmt.Errorf("evidence: open %s: %w", name, err)
	}
	if end == 0 {
		return mismatch("no checkpoint")
	}
	var cl checkpointLine
	if err := strictUnmarshal(line, &cl); err != nil {
		return mismatch("the last line is not a checkpoint")
	}
	c, err := checkpointKeys{one: l.verifier, ring: l.ring}.open([]byte(cl.Note))
	switch {
	case err != nil:
		return mismatch(err.Error())
	case c.Size > l.n:
		return mismatch(fmt.Sprintf("the checkpoint covers %d records, the log holds %d", c.Size, l.n))
	}
	root, err := tlog.TreeHash(c.Size, l.tiles)
	if err != nil {
		return mismatch(err.Error())
	}
	if root != c.Root {
		return mismatch(fmt.Sprintf("the tree hash of the first %d records is not the checkpoint's root hash", c.Size))
	}
	if cut := st.Size() - end; cut > 0 {
		if err := f.Truncate(end); err != nil {
			return false, fmt.Errorf("evidence: open %s: remove torn tail: %w", name, err)
		}
		if err := f.Sync(); err != nil {
			return false, fmt.Errorf("evidence: open %s: remove torn tail: %w", name, err)
		}
		l.logger.Warn("evidence: removed the incomplete last line of a checkpoints file",
			slog.String("path", name), slog.Int64("bytes", cut))
	}
	keep = true
	l.cpf, l.cpSize = f, end
	l.cp, l.cpNote = c, []byte(cl.Note)
	if l.n > l.cp.Size {
		l.adopted = l.n - l.cp.Size
		l.logger.Warn("evidence: records after the latest checkpoint were adopted",
			slog.String("path", l.path), slog.Int64("from", l.cp.Size), slog.Int64("records", l.adopted))
	}
	return true, nil
}

// lastLine returns the last complete line of f, whose size is size, and
// the offset at which the complete lines end; end is 0 if there is none.
func lastLine(f *os.File, size int64) (line []byte, end int64, err error) {
	const chunk = 64 << 10
	for pos := size; pos > 0 && end == 0; {
		start := max(pos-chunk, 0)
		buf := make([]byte, pos-start)
		if _, err := f.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
			return nil, 0, err
		}
		if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
			end = start + int64(i) + 1
		}
		pos = start
	}
	if end == 0 {
		return nil, 0, nil
	}
	line, err = lineBefore(f, end)
	return line, end, err
}
