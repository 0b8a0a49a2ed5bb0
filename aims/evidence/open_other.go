//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package evidence

// oNoFollow is zero where open has no such flag; openRegular checks for a
// symbolic link with Lstat instead.
const oNoFollow = 0

func isSymlinkErr(error) bool { return false }

// syncDir does nothing where folders cannot be synced.
func syncDir(string) error { return nil }
