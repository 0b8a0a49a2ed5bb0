package evidence

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// openRegular opens the regular file at path for reading and appending,
// creating it (mode 0600) if it does not exist, and reports whether it
// created it. It refuses a symbolic link and anything but a regular file,
// so that a log is never written through a link to some other file.
func openRegular(path string) (f *os.File, created bool, err error) {
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return nil, false, fmt.Errorf("%s is a symbolic link: give the path of the file itself", path)
	}
	for range 2 {
		f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND|oNoFollow, 0)
		if errors.Is(err, fs.ErrNotExist) {
			f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE|os.O_EXCL|oNoFollow, 0o600)
			if errors.Is(err, fs.ErrExist) {
				continue // created by someone else meanwhile
			}
			created = err == nil
		}
		break
	}
	if err != nil {
		if isSymlinkErr(err) {
			return nil, false, fmt.Errorf("%s is a symbolic link: give the path of the file itself", path)
		}
		return nil, false, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, false, err
	}
	if !st.Mode().IsRegular() {
		_ = f.Close()
		return nil, false, fmt.Errorf("%s is not a regular file (%s)", path, st.Mode().Type())
	}
	return f, created, nil
}
