package evidence_test

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
)

// tileLog writes a log of n records with a checkpoint every 100 and
// returns its path and the bytes of its level-0 and level-1 tile files.
func tileLog(tb testing.TB, n int) (path string, level0, level1 []byte) {
	tb.Helper()
	signer, _ := testNoteKeys(tb)
	path = filepath.Join(tb.TempDir(), "log.jsonl")
	l := openLogAt(tb, path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 100, Sync: evidence.SyncNone})
	appendN(tb, l, 0, n, 50)
	if err := l.Close(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	dir := path + evidence.TilesSuffix
	return path, readFile(tb, filepath.Join(dir, "0")), readFile(tb, filepath.Join(dir, "1"))
}

// reopen opens the log at path, checks that it holds n records and that
// its tile files are those given, and returns what it logged.
func reopen(t *testing.T, path string, n int64, level0, level1 []byte) string {
	t.Helper()
	signer, vkey := testNoteKeys(t)
	var logs bytes.Buffer
	l := openLogAt(t, path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 100, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if got := l.Len(); got != n {
		t.Errorf("Len() = %d, want %d", got, n)
	}
	// Proofs read the tiles.
	if _, err := l.ProveInclusion(3, n); err != nil {
		t.Errorf("ProveInclusion(3, %d) = %v", n, err)
	}
	if err := l.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	dir := path + evidence.TilesSuffix
	if got := readFile(t, filepath.Join(dir, "0")); !bytes.Equal(got, level0) {
		t.Errorf("level-0 tile file after OpenFile: %d bytes, want the %d bytes written with the log", len(got), len(level0))
	}
	if got := readFile(t, filepath.Join(dir, "1")); !bytes.Equal(got, level1) {
		t.Errorf("level-1 tile file after OpenFile: %d bytes, want the %d bytes written with the log", len(got), len(level1))
	}
	if rep, err := evidence.VerifyFile(t.Context(), path, &evidence.VerifyOptions{Key: vkey}); err != nil || rep.Records != n {
		t.Errorf("VerifyFile() = %+v, %v; want %d records", rep, err, n)
	}
	return logs.String()
}

func TestOpenFileTiles(t *testing.T) {
	const n = 1000 // three full level-0 tiles and a partial one
	for _, tt := range []struct {
		name string
		// change changes the tile files in dir; level0 is the intact
		// level-0 file.
		change func(t *testing.T, dir string, level0 []byte)
		// logged is what OpenFile must log, "" for nothing.
		logged string
	}{
		{"intact", func(*testing.T, string, []byte) {}, ""},
		{"torn level 0", func(t *testing.T, dir string, level0 []byte) {
			writeFile(t, filepath.Join(dir, "0"), level0[:len(level0)-45])
		}, "incomplete last hash"},
		{"torn offsets", func(t *testing.T, dir string, _ []byte) {
			b := readFile(t, filepath.Join(dir, "offsets"))
			writeFile(t, filepath.Join(dir, "offsets"), b[:len(b)-3])
		}, "incomplete last hash"},
		{"level 0 behind the log", func(t *testing.T, dir string, level0 []byte) {
			writeFile(t, filepath.Join(dir, "0"), level0[:600*32])
		}, ""},
		{"missing level 0", func(t *testing.T, dir string, _ []byte) {
			if err := os.Remove(filepath.Join(dir, "0")); err != nil {
				t.Fatal(err)
			}
		}, "building the tile files"},
		{"missing folder", func(t *testing.T, dir string, _ []byte) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
		}, "building the tile files"},
		{"a leaf hash of the tail changed", func(t *testing.T, dir string, level0 []byte) {
			b := bytes.Clone(level0)
			b[900*32+5] ^= 1
			writeFile(t, filepath.Join(dir, "0"), b)
		}, "tile 3: hash 900 is not the leaf hash of record 900"},
		{"the last full tile's last hash changed", func(t *testing.T, dir string, level0 []byte) {
			b := bytes.Clone(level0)
			b[767*32] ^= 1
			writeFile(t, filepath.Join(dir, "0"), b)
		}, "tile 2: hash 767 is not the leaf hash of record 767"},
		{"a level-1 hash changed", func(t *testing.T, dir string, _ []byte) {
			b := readFile(t, filepath.Join(dir, "1"))
			b[32+7] ^= 1
			writeFile(t, filepath.Join(dir, "1"), b)
		}, "not the checkpoint's root hash"},
		{"an offset changed", func(t *testing.T, dir string, _ []byte) {
			b := readFile(t, filepath.Join(dir, "offsets"))
			b[len(b)-1] ^= 4
			writeFile(t, filepath.Join(dir, "offsets"), b)
		}, "does not end at offset"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path, level0, level1 := tileLog(t, n)
			tt.change(t, path+evidence.TilesSuffix, level0)
			logged := reopen(t, path, n, level0, level1)
			if tt.logged == "" && strings.Contains(logged, "level=WARN") {
				t.Errorf("OpenFile() logged %q, want no warning", logged)
			}
			if !strings.Contains(logged, tt.logged) {
				t.Errorf("OpenFile() logged %q, want it to say %q", logged, tt.logged)
			}
			if tt.logged != "" && strings.Contains(tt.logged, "hash") && !strings.Contains(tt.logged, "incomplete") &&
				!strings.Contains(logged, filepath.Join(path+evidence.TilesSuffix, "0")) && !strings.Contains(logged, "checkpoints") {
				t.Errorf("OpenFile() logged %q, want it to name the tile file", logged)
			}
		})
	}
}

// A tile file changed while the log is open, in a tile OpenFile does not
// read, is found by the first proof that reads it.
func TestProofReportsBadTile(t *testing.T) {
	path, level0, _ := tileLog(t, 1000)
	signer, _ := testNoteKeys(t)
	l := openLogAt(t, path, &evidence.FileOptions{Signer: signer, CheckpointEvery: 100})
	b := bytes.Clone(level0)
	b[10*32] ^= 1
	writeFile(t, filepath.Join(path+evidence.TilesSuffix, "0"), b)
	_, err := l.ProveInclusion(10, 1000)
	var te *evidence.TileError
	if !errors.As(err, &te) || te.Level != 0 || te.Tile != 0 || te.Path != filepath.Join(path+evidence.TilesSuffix, "0") {
		t.Fatalf("ProveInclusion(10) = %v, want a *TileError naming tile 0/0 of %s", err, filepath.Join(path+evidence.TilesSuffix, "0"))
	}
	if !errors.Is(err, evidence.ErrTampered) {
		t.Errorf("ProveInclusion(10) = %v, want an error matching ErrTampered", err)
	}
	if _, err := l.ProveInclusion(900, 1000); err != nil {
		t.Errorf("ProveInclusion(900) = %v: another tile's proof must not fail", err)
	}
}

// A log written before tile files existed opens, and gets them.
func TestOpenFileBuildsTiles(t *testing.T) {
	path, level0, level1 := tileLog(t, 700)
	if err := os.RemoveAll(path + evidence.TilesSuffix); err != nil {
		t.Fatal(err)
	}
	logged := reopen(t, path, 700, level0, level1)
	if !strings.Contains(logged, "building the tile files") {
		t.Errorf("OpenFile() logged %q, want it to say that it builds the tile files", logged)
	}
}

// FuzzOpenFileTiles checks that whatever the tile files hold, OpenFile
// opens an intact log, and leaves its tile files as the log gives them.
func FuzzOpenFileTiles(f *testing.F) {
	path, level0, level1 := tileLog(f, 600)
	offsets := readFile(f, filepath.Join(path+evidence.TilesSuffix, "offsets"))
	log := readFile(f, path)
	cps := readFile(f, path+evidence.CheckpointsSuffix)
	f.Add(level0, level1, offsets)
	f.Add(level0[:len(level0)-7], level1, offsets[:5])
	f.Add([]byte{}, level1, offsets)
	f.Add(bytes.Repeat([]byte{0}, 40*32), []byte{1}, []byte("\x00\x00\x00\x00\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, l0, l1, off []byte) {
		p := filepath.Join(t.TempDir(), "log.jsonl")
		writeFile(t, p, log)
		writeFile(t, p+evidence.CheckpointsSuffix, cps)
		dir := p + evidence.TilesSuffix
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "0"), l0)
		writeFile(t, filepath.Join(dir, "1"), l1)
		writeFile(t, filepath.Join(dir, "offsets"), off)
		signer, _ := testNoteKeys(t)
		l, err := evidence.OpenFile(p, &evidence.FileOptions{Signer: signer, CheckpointEvery: 100, Sync: evidence.SyncNone})
		if err != nil {
			t.Fatalf("OpenFile() = %v", err)
		}
		if l.Len() != 600 {
			t.Errorf("Len() = %d, want 600", l.Len())
		}
		if _, err := l.ProveInclusion(599, 600); err != nil {
			t.Errorf("ProveInclusion() = %v", err)
		}
		if err := l.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, filepath.Join(dir, "0")); !bytes.Equal(got, level0) {
			t.Errorf("level-0 tile file: %d bytes, want the %d the log gives", len(got), len(level0))
		}
		if got := readFile(t, filepath.Join(dir, "1")); !bytes.Equal(got, level1) {
			t.Errorf("level-1 tile file: %d bytes, want the %d the log gives", len(got), len(level1))
		}
		if got := readFile(t, filepath.Join(dir, "offsets")); !bytes.Equal(got, offsets) {
			t.Errorf("offsets file: %x, want %x", got, offsets)
		}
		if !bytes.Equal(readFile(t, p), log) {
			t.Error("OpenFile() changed an intact log")
		}
	})
}
