//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package dirstore

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
)

// lockHint adds to the message of a [LockedError]: the lock file outlives
// a crashed process.
const lockHint = "; if no process uses the folder, remove the lock file"

// errLockHeld is returned by lock when another holder has the lock.
var errLockHeld = errors.New("lock held")

// lock creates the lock file at path, failing if it exists: the file's
// existence is the lock. It records the process id in the file, for
// people.
func lock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, errLockHeld
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		return nil, errors.Join(err, unlock(f))
	}
	return f, nil
}

// unlock closes and removes the lock file.
func unlock(f *os.File) error {
	return errors.Join(f.Close(), os.Remove(f.Name()))
}

// syncDir does nothing: not every system can sync a folder, and on these
// systems the folder entries are not synced.
func syncDir(string) error { return nil }
