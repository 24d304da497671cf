package watchlist

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"faxwatch/api"
)

// maxFileBytes refuses absurd files before reading them into memory; 100,000
// jobs with full histories stay well below it.
const maxFileBytes = 1 << 30

// staleTempAge is how old a temp file must be before Open removes it: younger
// ones may belong to a save in flight elsewhere (which holds the lock anyway).
const staleTempAge = time.Minute

// snapshot is the file as read under the lock.
type snapshot struct {
	info    os.FileInfo // nil when there was no usable file
	entries []*Entry
	ids     map[api.JobID]struct{} // the entries' IDs, when read from the file; never modified
	known   bool                   // the file existed and parsed: its membership is meaningful
}

// readDisk reads the file under the lock. A missing file is an empty, unknown
// snapshot; a corrupt one is moved aside with a warning and is unknown too; a
// newer schema is an error and the file is not touched.
func (s *Store) readDisk() (snapshot, error) {
	path := s.opts.Path
	f, info, err := openWatchlist(path)
	if errors.Is(err, fs.ErrNotExist) {
		return snapshot{}, nil
	}
	if err != nil {
		return snapshot{}, err
	}
	defer f.Close()
	d, err := decodeFrom(path, &sizedReader{r: f, left: info.Size()}, info.Size(), readWindow)
	switch {
	case errors.Is(err, errCorrupt) && s.readOnly:
		s.warnings = append(s.warnings, fmt.Sprintf("watchlist %s is unreadable (%v); left as it is until the next change moves it aside", path, err))
		return snapshot{}, nil
	case errors.Is(err, errCorrupt):
		return snapshot{}, s.moveAside(err)
	case err != nil:
		return snapshot{}, err
	}
	if len(d.dropped) > 0 {
		s.warnings = append(s.warnings, fmt.Sprintf("watchlist %s: dropped %d unusable entr%s (first: %s)",
			path, len(d.dropped), plural(len(d.dropped), "y", "ies"), d.dropped[0]))
	}
	return snapshot{info: info, entries: d.entries, ids: d.ids, known: true}, nil
}

// openWatchlist opens the file for reading, refusing a special file or an
// absurd size. A missing file is an error wrapping fs.ErrNotExist.
func openWatchlist(path string) (*os.File, os.FileInfo, error) {
	f, info, err := openRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read the watchlist: %w", err)
	}
	if info.Size() > maxFileBytes {
		_ = f.Close()
		return nil, nil, fmt.Errorf("watchlist %s is too large (%d bytes, limit %d); move it away or set watch.file", path, info.Size(), maxFileBytes)
	}
	return f, info, nil
}

// readFileBytes reads the whole file (see openWatchlist).
func readFileBytes(path string) ([]byte, os.FileInfo, error) {
	f, info, err := openWatchlist(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data := make([]byte, info.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, nil, fmt.Errorf("read the watchlist: %w", err)
	}
	return data, info, nil
}

// sizedReader reads the size the file had when opened, as a whole read
// would: a file that shrank meanwhile is a read error, not a short list.
type sizedReader struct {
	r    io.Reader
	left int64
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	s.left -= int64(n)
	if errors.Is(err, io.EOF) && s.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// moveAside renames a corrupt file out of the way, never over anything.
func (s *Store) moveAside(reason error) error {
	path := s.opts.Path
	base := path + ".corrupt-" + s.opts.Now().Format("20060102T150405")
	target := base
	for n := 1; ; n++ {
		if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
			break
		}
		target = fmt.Sprintf("%s-%d", base, n)
	}
	if err := os.Rename(path, target); err != nil {
		return fmt.Errorf("watchlist %s is unreadable (%v) and could not be moved aside: %w", path, reason, err)
	}
	_ = syncDir(filepath.Dir(path))
	s.warnings = append(s.warnings, fmt.Sprintf("watchlist %s was unreadable (%v); moved aside to %s; starting empty",
		path, reason, filepath.Base(target)))
	return nil
}

// Save writes the list under the lock, merged with what other processes
// saved since our last sync (see merge.go). It does nothing when memory holds
// no unsaved change. On error memory is kept and the store stays dirty.
func (s *Store) Save() error {
	if s.lockPath == "" {
		s.markClean()
		return nil
	}
	if !s.dirty {
		return nil
	}
	return s.withLock(func() error {
		if !s.fileUnchanged() {
			snap, err := s.readDisk()
			if err != nil {
				return err
			}
			s.keepRemovedElsewhere(s.merge(snap))
		}
		info, err := s.writeFile()
		if info != nil {
			s.markWritten(info)
		}
		return err
	})
}

// Reload merges what other processes saved since our last sync. It costs one
// stat when nothing changed; it never writes (unsaved changes here stay
// pending for the next Save). changed says whether memory changed.
func (s *Store) Reload() (changed bool, err error) {
	if s.lockPath == "" || s.fileUnchanged() {
		return false, nil
	}
	before := s.version
	err = s.withLock(func() error {
		snap, err := s.readDisk()
		if err != nil {
			return err
		}
		s.keepRemovedElsewhere(s.merge(snap))
		s.markSynced(snap)
		return nil
	})
	return s.version != before, err
}

// fileUnchanged reports whether the file is still the one of the last sync:
// same inode, size and modification time (every save is a new inode).
func (s *Store) fileUnchanged() bool {
	info, err := os.Stat(s.opts.Path)
	if err != nil {
		return s.disk == nil && errors.Is(err, fs.ErrNotExist)
	}
	return s.disk != nil && os.SameFile(info, s.disk) &&
		info.Size() == s.disk.Size() && info.ModTime().Equal(s.disk.ModTime())
}

// writeFile replaces the file atomically: a temp file in the same folder,
// fsync, rename over the old one, fsync the folder. A crash at any point
// leaves the old file or the new one, never a mix.
func (s *Store) writeFile() (os.FileInfo, error) {
	var hint int
	if s.disk != nil {
		hint = int(s.disk.Size())
	}
	return replaceFile(s.opts.Path, encodeList(s.entries, hint))
}

// replaceFile writes parts, in order, as the new content of path: temp file,
// fsync, rename, fsync the folder (see writeFile).
func replaceFile(path string, parts ...[]byte) (os.FileInfo, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPrefix(path)+"*") // 0600
	if err != nil {
		return nil, fmt.Errorf("save the watchlist: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	for _, data := range parts {
		if _, err := tmp.Write(data); err != nil {
			return nil, fmt.Errorf("save the watchlist: %w", err)
		}
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("save the watchlist: %w", err)
	}
	info, err := tmp.Stat()
	if err != nil {
		return nil, fmt.Errorf("save the watchlist: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("save the watchlist: %w", err)
	}
	if testHookBeforeRename != nil {
		testHookBeforeRename()
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, fmt.Errorf("save the watchlist: %w", err)
	}
	committed = true
	if err := syncDir(dir); err != nil {
		return info, fmt.Errorf("save the watchlist (sync folder): %w", err)
	}
	return info, nil
}

// testHookBeforeRename lets the crash test die with the new file written but
// not yet in place.
var testHookBeforeRename func()

// removeStaleTemps clears temp files left by a process killed mid-save.
func (s *Store) removeStaleTemps() {
	dir := filepath.Dir(s.opts.Path)
	prefix := tempPrefix(s.opts.Path)
	names, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	now := s.opts.Now()
	for _, d := range names {
		if !strings.HasPrefix(d.Name(), prefix) || !d.Type().IsRegular() {
			continue
		}
		if info, err := d.Info(); err == nil && tempIsStale(now, info.ModTime()) {
			_ = os.Remove(filepath.Join(dir, d.Name()))
		}
	}
}

// tempIsStale: older than staleTempAge, or dated further ahead of the clock
// than that. A clock set back (by hand, or a VM restored) must not keep a
// stray temp file forever.
func tempIsStale(now, modified time.Time) bool {
	age := now.Sub(modified)
	return age > staleTempAge || age < -staleTempAge
}

func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// syncDir makes a rename durable. Some systems cannot sync a folder; that is
// not worth failing a save for.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
