package watchlist

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// maxLinkHops bounds how many symbolic links resolveLink follows.
const maxLinkHops = 40

// resolveLink follows path's symbolic links to the file they name, so saves
// write the target atomically in its own folder and the link keeps working
// (people keep state in dotfile repositories through links). A link whose
// target's folder is missing is refused: creating folders at the far end of
// a link would surprise.
func resolveLink(path string) (string, error) {
	given := path
	for range maxLinkHops {
		info, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			if path != given {
				if _, err := os.Stat(filepath.Dir(path)); err != nil {
					return "", fmt.Errorf("watchlist %s links to %s, whose folder does not exist; create it or fix the link", given, path)
				}
			}
			return path, nil
		}
		if err != nil {
			return "", fmt.Errorf("read the watchlist: %w", err)
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		target, err := os.Readlink(path)
		if err != nil {
			return "", fmt.Errorf("read the watchlist link %s: %w", path, err)
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return "", fmt.Errorf("watchlist %s: too many symbolic links; set watch.file to the real file", given)
}

// openRegular opens path for reading only if it is a regular file. A FIFO
// or a device would block the open (or the read) while the lock is held,
// and every other faxwatch would wait behind it; O_NONBLOCK keeps the open
// from blocking should the file change type between the check and the open.
// A missing file returns fs.ErrNotExist.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	if info, err := os.Lstat(path); err != nil {
		return nil, nil, err
	} else if !info.Mode().IsRegular() {
		return nil, nil, notRegular(path, info.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		_ = f.Close()
		return nil, nil, notRegular(path, info.Mode())
	}
	return f, info, nil
}

// checkLockFile refuses a lock path that exists and is not a regular file:
// opening a FIFO there would block before the lock is even taken.
func checkLockFile(path string) error {
	info, err := os.Lstat(path)
	if err != nil || info.Mode().IsRegular() {
		return nil // missing: flock creates it; other errors: flock reports them
	}
	return notRegular(path, info.Mode())
}

func notRegular(path string, mode fs.FileMode) error {
	kind := "not a regular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		kind = "a socket"
	case mode&fs.ModeDevice != 0:
		kind = "a device"
	case mode.IsDir():
		kind = "a folder"
	case mode&fs.ModeSymlink != 0:
		kind = "a symbolic link that changed after start-up"
	}
	return fmt.Errorf("%s is %s, not a watchlist file; move it away or set watch.file", path, kind)
}
