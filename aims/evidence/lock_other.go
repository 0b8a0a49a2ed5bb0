//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package evidence

import (
	"errors"
	"fmt"
	"os"
)

// lockFile creates the lock file path+".lock" with O_EXCL, on systems
// without flock. The lock file is removed by unlock; if the process ends
// without closing the log, the file stays and must be removed by hand once
// no writer runs.
func lockFile(_ *os.File, path string) (unlock func() error, err error) {
	name := path + ".lock"
	lf, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%w: %s (remove %s if no writer runs)", ErrLocked, path, name)
		}
		return nil, fmt.Errorf("evidence: lock %s: %w", path, err)
	}
	_, _ = fmt.Fprintf(lf, "%d\n", os.Getpid())
	if err := lf.Close(); err != nil {
		_ = os.Remove(name)
		return nil, fmt.Errorf("evidence: lock %s: %w", path, err)
	}
	return func() error { return os.Remove(name) }, nil
}
