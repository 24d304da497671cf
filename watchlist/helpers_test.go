package watchlist

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/api/sim"
)

// clock is a settable time source for tests.
type clock struct{ t time.Time }

func newClock() *clock { return &clock{t: sim.Epoch(time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC))} }

func (c *clock) Now() time.Time { return c.t }

func (c *clock) Advance(d time.Duration) time.Time { c.t = c.t.Add(d); return c.t }

// decodeEntries decodes a whole file's bytes as readDisk does.
func decodeEntries(path string, data []byte) ([]Entry, []string, error) {
	return decodeWindowed(path, bytes.NewReader(data), len(data), readWindow)
}

// decodeWindowed is decodeEntries reading src, size bytes long, window
// bytes at a time.
func decodeWindowed(path string, src io.Reader, size, window int) ([]Entry, []string, error) {
	d, err := decodeFrom(path, src, int64(size), window)
	if err != nil {
		return nil, nil, err
	}
	entries := make([]Entry, len(d.entries))
	for i, e := range d.entries {
		entries[i] = *e
	}
	return entries, d.dropped, nil
}

// testID returns a valid, distinct job ID.
func testID(group, n int) api.JobID {
	return api.JobID(fmt.Sprintf("br%d%06dx", group, n))
}

func openAt(t testing.TB, path string, c *clock) *Store {
	t.Helper()
	return openWith(t, Options{Path: path}, c)
}

// openOwnerSaves opens a store whose edits leave saving to the caller, as
// the dashboard's does.
func openOwnerSaves(t testing.TB, path string, c *clock) *Store {
	t.Helper()
	return openWith(t, Options{Path: path, OwnerSaves: true}, c)
}

func openWith(t testing.TB, opts Options, c *clock) *Store {
	t.Helper()
	path := opts.Path
	if c != nil {
		opts.Now = c.Now
	}
	s, warns, err := Open(opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	if len(warns) > 0 {
		t.Fatalf("Open(%s) warned: %v", path, warns)
	}
	return s
}

func tempPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "state", "watchlist.json")
}

func ids(s *Store) []api.JobID {
	var out []api.JobID
	for _, e := range s.Entries() {
		out = append(out, e.ID)
	}
	return out
}

func mustAdd(t testing.TB, s *Store, add ...api.JobID) {
	t.Helper()
	if _, _, err := s.Add(add...); err != nil {
		t.Fatalf("Add: %v", err)
	}
}

func equalIDs(t testing.TB, what string, got, want []api.JobID) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func status(id api.JobID, statusID int, desc string) api.JobStatus {
	return api.JobStatus{JobID: id, FaxJobID: string(id), StatusID: statusID, Description: desc,
		State: api.StateOf(statusID, 0)}
}
