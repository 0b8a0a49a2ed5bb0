//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package dirstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// lockHint adds to the message of a [LockedError]: nothing, because the
// system releases the lock when its process ends.
const lockHint = ""

// errLockHeld is returned by lock when another holder has the lock.
var errLockHeld = errors.New("lock held")

// lock creates the lock file at path if needed and takes an exclusive
// flock(2) lock on it, without waiting. Such a lock belongs to the open
// file, so a second lock in the same process is refused too, and the
// system releases it when the process ends.
func lock(path string) (*os.File, error) {
	// A holder that closes removes the file while it still holds the
	// lock. If that happens between our open and our lock, we hold a lock
	// on a file that is no longer at path: try again with the new one.
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, errLockHeld
			}
			return nil, &fs.PathError{Op: "flock", Path: path, Err: err}
		}
		held, err1 := f.Stat()
		named, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, named) {
			return f, nil
		}
		f.Close()
		if err1 != nil {
			return nil, err1
		}
		if err2 != nil && !errors.Is(err2, fs.ErrNotExist) {
			return nil, err2
		}
	}
	return nil, fmt.Errorf("lock %s: the lock file keeps being replaced", path)
}

// unlock removes the lock file and releases the lock.
func unlock(f *os.File) error {
	err := os.Remove(f.Name())
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	return errors.Join(err, f.Close())
}

// syncDir syncs folder dir, so that the files created, renamed or removed
// in it survive a crash.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}
