//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package evidence

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock (flock) on the open log file
// f without waiting. The lock belongs to the open file, so a second open of
// the same path conflicts even in the same process, and the kernel
// releases it when the process ends, however it ends.
func lockFile(f *os.File, path string) (unlock func() error, err error) {
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, fmt.Errorf("evidence: lock %s: %w", path, err)
	}
	return func() error { return syscall.Flock(fd, syscall.LOCK_UN) }, nil
}
