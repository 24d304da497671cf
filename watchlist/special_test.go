//go:build unix

package watchlist

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// openBounded runs Open in a goroutine: a FIFO used to block it forever.
// The bound only turns a hang into a failure; the FIFO is unblocked by
// opening its write end so the goroutine ends.
func openBounded(t *testing.T, path, fifo string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, _, err := Open(Options{Path: path, LockTimeout: time.Second})
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		t.Fatalf("Open hung on the FIFO %s", fifo)
		return nil
	}
}

func TestSpecialFileAtPathRefusedWithoutHanging(t *testing.T) {
	tests := []struct {
		name string
		at   func(path string) string // where the FIFO goes
		want string
	}{
		{"fifo as the watchlist", func(p string) string { return p }, "is a named pipe (FIFO), not a watchlist file; move it away"},
		{"fifo as the lock file", func(p string) string { return p + ".lock" }, "is a named pipe (FIFO)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempPath(t)
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			fifo := tt.at(path)
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("no FIFOs here: %v", err)
			}
			err := openBounded(t, path, fifo)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			// The lock is free again: a regular file in the FIFO's place works.
			if err := os.Remove(fifo); err != nil {
				t.Fatal(err)
			}
			mustAdd(t, openAt(t, path, nil), "br00000001")
		})
	}
}

func TestSymlinkedWatchlistKeepsItsLink(t *testing.T) {
	tests := []struct {
		name   string
		target func(dotfiles string) string // what the link points at
	}{
		{"absolute", func(d string) string { return filepath.Join(d, "watchlist.json") }},
		{"relative", func(d string) string { return filepath.Join("..", "..", "dotfiles", "watchlist.json") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dotfiles := filepath.Join(root, "dotfiles")
			state := filepath.Join(root, "state", "faxwatch")
			for _, d := range []string{dotfiles, state} {
				if err := os.MkdirAll(d, 0o700); err != nil {
					t.Fatal(err)
				}
			}
			real := filepath.Join(dotfiles, "watchlist.json")
			mustAdd(t, openAt(t, real, nil), "br00000001")
			link := filepath.Join(state, "watchlist.json")
			if err := os.Symlink(tt.target(dotfiles), link); err != nil {
				t.Fatal(err)
			}

			s := openAt(t, link, nil)
			if got := ids(s); len(got) != 1 || got[0] != "br00000001" {
				t.Fatalf("through the link: %v", got)
			}
			mustAdd(t, s, "br00000002")
			if _, err := s.Remove("br00000001"); err != nil {
				t.Fatal(err)
			}

			if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("the link was replaced: %v %v", info.Mode(), err)
			}
			if got := ids(openAt(t, real, nil)); len(got) != 1 || got[0] != "br00000002" {
				t.Fatalf("the target holds %v, want [br00000002]", got)
			}
			if left, _ := filepath.Glob(filepath.Join(state, ".watchlist.json.tmp-*")); len(left) > 0 {
				t.Errorf("temp files beside the link: %v", left)
			}
		})
	}
}

func TestSymlinkToAMissingFolderRefused(t *testing.T) {
	root := t.TempDir()
	link := filepath.Join(root, "watchlist.json")
	if err := os.Symlink(filepath.Join(root, "gone", "watchlist.json"), link); err != nil {
		t.Fatal(err)
	}
	_, _, err := Open(Options{Path: link})
	if err == nil || !strings.Contains(err.Error(), "whose folder does not exist; create it or fix the link") {
		t.Fatalf("err = %v", err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the link was touched")
	}
}

func TestSymlinkLoopRefused(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a.json"), filepath.Join(root, "b.json")
	if err := os.Symlink(b, a); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(Options{Path: a}); err == nil || !strings.Contains(err.Error(), "too many symbolic links") {
		t.Fatalf("err = %v", err)
	}
}
