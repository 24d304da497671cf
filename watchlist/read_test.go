package watchlist

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/gofrs/flock"

	"faxwatch/api"
)

// listing is every name under dir with its mode, to see what a reader made.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// Read takes no lock and creates nothing: no folder, lock or temp file, and a
// damaged file stays where it is.
func TestReadCreatesNothingAndTakesNoLock(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(t *testing.T, path string) // may be nil: no folder at all
		wantIDs   []api.JobID
		wantWarn  string
		wantError string
	}{
		{name: "no folder yet"},
		{
			name: "a saved list while another process holds the lock",
			setup: func(t *testing.T, path string) {
				mustAdd(t, openAt(t, path, nil), testID(1, 1), testID(1, 2))
				holder := flock.New(path + ".lock")
				if ok, err := holder.TryLock(); !ok || err != nil {
					t.Fatalf("TryLock = %v, %v", ok, err)
				}
				t.Cleanup(func() { _ = holder.Unlock() })
			},
			wantIDs: []api.JobID{testID(1, 1), testID(1, 2)},
		},
		{
			name: "a damaged file is reported and left alone",
			setup: func(t *testing.T, path string) {
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(`{"version": 1, "jobs": [`), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			wantWarn: "is unreadable (",
		},
		{
			name: "a newer schema is an error",
			setup: func(t *testing.T, path string) {
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(`{"version": 99, "jobs": []}`), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			wantError: "schema version 99",
		},
		{
			name: "a FIFO is refused without hanging",
			setup: func(t *testing.T, path string) {
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := syscall.Mkfifo(path, 0o600); err != nil {
					t.Skipf("no FIFO here: %v", err)
				}
			},
			wantError: "named pipe",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempPath(t)
			root := filepath.Dir(filepath.Dir(path))
			if tt.setup != nil {
				tt.setup(t, path)
			}
			before := listing(t, root)
			entries, warnings, err := Read(path)
			if after := listing(t, root); !slices.Equal(before, after) {
				t.Errorf("Read changed the folder:\nbefore %v\nafter  %v", before, after)
			}
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("err = %v; want one saying %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []api.JobID
			for _, e := range entries {
				got = append(got, e.ID)
			}
			equalIDs(t, "entries", got, tt.wantIDs)
			if tt.wantWarn == "" && len(warnings) > 0 || tt.wantWarn != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tt.wantWarn)) {
				t.Errorf("warnings %q; want %q", warnings, tt.wantWarn)
			}
		})
	}
}
