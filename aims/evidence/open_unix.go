//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package evidence

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// oNoFollow makes open fail on a symbolic link.
const oNoFollow = syscall.O_NOFOLLOW

// isSymlinkErr reports whether err is what open with [oNoFollow] returns
// for a symbolic link.
func isSymlinkErr(err error) bool { return errors.Is(err, syscall.ELOOP) }

// syncDir syncs the folder that holds path, so that a file created in it
// survives a crash of the machine.
func syncDir(path string) error {
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
