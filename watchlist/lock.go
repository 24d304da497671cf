package watchlist

import (
	"errors"
	"fmt"
	"time"

	"github.com/gofrs/flock"
)

// DefaultLockTimeout is how long a read or save waits for another process.
const DefaultLockTimeout = 5 * time.Second

// ErrLocked is wrapped by the error returned when the lock stays taken.
var ErrLocked = errors.New("watchlist lock is held by another process")

// LockError says which lock file another faxwatch is holding.
type LockError struct{ Path string }

func (e *LockError) Error() string {
	return fmt.Sprintf("another faxwatch is holding the watchlist lock (%s); try again", e.Path)
}

func (e *LockError) Unwrap() error { return ErrLocked }

// withLock runs fn holding the exclusive flock on the sidecar lock file
// (never the data file: it is replaced by rename, and a lock on the old inode
// would protect nothing). The kernel drops a flock when its process dies, so
// a crash leaves no stale lock behind.
func (s *Store) withLock(fn func() error) error {
	if err := checkLockFile(s.lockPath); err != nil {
		return fmt.Errorf("lock the watchlist: %w", err)
	}
	l, err := acquire(s.lockPath, s.opts.LockTimeout)
	if err != nil {
		return err
	}
	defer func() { _ = l.Unlock() }()
	return fn()
}

// acquire takes the lock, waiting at most timeout. A contended lock is
// waited for with a blocking flock, which the kernel hands over as soon as
// it is released: polling with TryLock let a process that saves in a loop
// starve the others. The blocking call cannot be interrupted, so on timeout
// its goroutine is left to take the lock and release it at once; it ends
// when the holder lets go, and it touches nothing but its own file handle.
func acquire(path string, timeout time.Duration) (*flock.Flock, error) {
	l := flock.New(path, flock.SetPermissions(0o600))
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock the watchlist (%s): %w", path, err)
	}
	if ok {
		return l, nil
	}
	done := make(chan error)
	abandon := make(chan struct{})
	go func() {
		err := l.Lock()
		select {
		case done <- err:
		case <-abandon:
			if err == nil {
				_ = l.Unlock()
			}
		}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return nil, fmt.Errorf("lock the watchlist (%s): %w", path, err)
		}
		return l, nil
	case <-timer.C:
		close(abandon)
		return nil, &LockError{Path: path}
	}
}
