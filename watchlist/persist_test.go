package watchlist

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"faxwatch/api"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s := openAt(t, path, c)
	a, b, ref := testID(1, 1), testID(1, 2), api.JobID("JRI-REF1234")
	mustAdd(t, s, a, b, ref)
	if err := s.SetNote(b, "ticket 4411 / ACME"); err != nil {
		t.Fatal(err)
	}
	s.Apply(&api.Result{Jobs: []api.JobStatus{
		{JobID: a, FaxJobID: string(a), StatusID: 2, Description: "Busy", State: api.StateFailed,
			Error:   api.WSError{Code: 12, Message: "no carrier"},
			Details: &api.Details{Method: api.MethodGetRealTimeFaxStatusEx, PagesSent: 1, PagesTotal: 3, RemoteCSID: "+1 555"},
			Call: api.CallInfo{Return: true, WSError: api.WSError{Code: 1, Message: "partial"},
				Call: api.Call{RequestID: "req-1", ActivityID: "act-1", ExecutionMS: 12, HTTPStatus: 200,
					RoundTrip: 40 * time.Millisecond, Attempt: 1, Jobs: 3, At: c.Now()}}},
		{JobID: ref, FaxJobID: "br0012345h00001x", StatusID: 1, Description: "Done", State: api.StateSucceeded},
		{JobID: b, Err: errors.New("timeout")},
	}}, c.Advance(time.Minute))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if s.Dirty() {
		t.Fatal("dirty after Save")
	}
	// Times come back in local time, so compare instants and the rest.
	got := openAt(t, path, c).Entries()
	if g, w := encodeEntries(got, 0), encodeEntries(s.Entries(), 0); !bytes.Equal(g, w) {
		t.Fatalf("round trip differs:\n got %s\nwant %s", g, w)
	}
	if e := got[0]; !e.Last.CheckedAt.Equal(c.Now()) || e.Last.CheckedAt.Location() != time.Local ||
		e.Last.Details.RemoteCSID != "+1 555" || e.Last.Call.Call.RoundTrip != 40*time.Millisecond ||
		e.Last.Error.Message != "no carrier" || len(e.History) != 1 {
		t.Fatalf("loaded entry lost fields: %+v", e)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, path + ".lock": 0o600, filepath.Dir(path): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode().Perm(), err, want)
		}
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte(`{"version":1,"jobs":[`)) || !json.Valid(data) {
		t.Fatalf("file is not the documented shape: %.80s", data)
	}
}

func TestCorruptFileMovedAside(t *testing.T) {
	tests := map[string]string{
		"empty":            "",
		"truncated":        `{"version":1,"jobs":[{"id":"br1000001x"`,
		"not json":         "hello",
		"no version":       `{"jobs":[]}`,
		"version zero":     `{"version":0,"jobs":[]}`,
		"version a string": `{"version":"1","jobs":[]}`,
		"array":            `[1,2,3]`,
		"trailing garbage": `{"version":1,"jobs":[]} x`,
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			c := newClock()
			path := tempPath(t)
			os.MkdirAll(filepath.Dir(path), 0o700)
			os.WriteFile(path, []byte(content), 0o600)
			s, warns, err := Open(Options{Path: path, Now: c.Now})
			if err != nil {
				t.Fatal(err)
			}
			stamp := c.Now().Format("20060102T150405")
			aside := path + ".corrupt-" + stamp
			if len(warns) != 1 || !strings.Contains(warns[0], "moved aside to watchlist.json.corrupt-"+stamp) ||
				!strings.Contains(warns[0], "starting empty") {
				t.Fatalf("warnings = %q", warns)
			}
			if got, err := os.ReadFile(aside); err != nil || string(got) != content {
				t.Fatalf("moved-aside file = %q, %v; want the original bytes", got, err)
			}
			if s.Len() != 0 {
				t.Fatal("corrupt file gave entries")
			}
			// Saving now starts a fresh file and leaves the corrupt copy alone.
			mustAdd(t, s, testID(1, 1))
			if got, _ := os.ReadFile(aside); string(got) != content {
				t.Fatal("corrupt copy touched by a save")
			}
			// A second corrupt file in the same second does not overwrite the first.
			os.WriteFile(path, []byte("again"), 0o600)
			if _, warns, err := Open(Options{Path: path, Now: c.Now}); err != nil || len(warns) != 1 ||
				!strings.Contains(warns[0], ".corrupt-"+stamp+"-1") {
				t.Fatalf("second corrupt file: %v, %q", err, warns)
			}
		})
	}
}

func TestNewerVersionRefused(t *testing.T) {
	path := tempPath(t)
	os.MkdirAll(filepath.Dir(path), 0o700)
	content := []byte(`{"version":2,"jobs":[{"id":{"new":"shape"}}],"more":true}`)
	os.WriteFile(path, content, 0o600)
	_, _, err := Open(Options{Path: path})
	var ve *VersionError
	if !errors.As(err, &ve) || ve.Version != 2 || !errors.Is(err, ErrNewerVersion) || !strings.Contains(err.Error(), "upgrade faxwatch") {
		t.Fatalf("Open = %v; want a VersionError for version 2", err)
	}
	// A running store refuses to save over it too.
	os.Remove(path)
	s := openAt(t, path, nil)
	os.WriteFile(path, content, 0o600)
	if _, _, err := s.Add(testID(1, 1)); !errors.Is(err, ErrNewerVersion) {
		t.Fatalf("Add over a newer file = %v", err)
	}
	if _, err := s.Reload(); !errors.Is(err, ErrNewerVersion) {
		t.Fatalf("Reload of a newer file = %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, content) {
		t.Fatal("newer file was modified")
	}
	if matches, _ := filepath.Glob(path + ".corrupt-*"); len(matches) != 0 {
		t.Fatalf("newer file moved aside: %v", matches)
	}
}

func TestLoadDropsBadEntriesAndCleansStrings(t *testing.T) {
	path := tempPath(t)
	os.MkdirAll(filepath.Dir(path), 0o700)
	long := strings.Repeat("A", 5000)
	content := `{"version":1,"jobs":[
{"id":"BR1000001X","note":"ok\u001b[2J\u202e","status":{"state":"weird","status_id":2,"description":"` + long + `"}},
{"id":"brown"},
{"id":"br1000001x"},
{"id":5},
{"id":"jri-ref.1","status":{"state":"succeeded","fax_job_id":"br\u009b31m"},"history":[` +
		strings.Repeat(`{"from":"pending","to":"nonsense"},`, 80) + `{"from":"processing","to":"succeeded"}]},
null
]}`
	os.WriteFile(path, []byte(content), 0o600)
	s, warns, err := Open(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "dropped 4 unusable entries") {
		t.Fatalf("warnings = %q", warns)
	}
	equalIDs(t, "loaded", ids(s), []api.JobID{"br1000001x", "JRI-ref.1"})
	e, _ := s.Entry("br1000001x")
	if e.Note != `ok\x1b[2J\u{202E}` || e.Last.State != api.StateFailed || len(e.Last.Description) > maxTextBytes {
		t.Fatalf("first entry not cleaned: note %q state %s desc %d bytes", e.Note, e.Last.State, len(e.Last.Description))
	}
	e, _ = s.Entry("JRI-ref.1")
	if e.Last.FaxJobID != `br\u{009B}31m` || len(e.History) != HistoryLimit || e.History[0].To != api.StateUnknown ||
		e.History[HistoryLimit-1].To != api.StateSucceeded {
		t.Fatalf("second entry not cleaned: %q, %d transitions", e.Last.FaxJobID, len(e.History))
	}
}

func TestStaleTempFilesRemovedAtOpen(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name string
		age  time.Duration // before the injected clock; negative is ahead of it
		kept bool
	}{
		{".watchlist.json.tmp-123", 2 * time.Minute, false}, // a crashed writer's
		{".watchlist.json.tmp-456", 10 * time.Second, true}, // a save in flight
		{".watchlist.json.tmp-789", -time.Hour, false},      // written before the clock was set back
		{".watchlist.json.tmp-a", -10 * time.Second, true},  // a save elsewhere, clocks a little apart
		{"notes.txt", time.Hour, true},                      // not faxwatch's
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		at := c.Now().Add(-f.age)
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	openAt(t, path, c)
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f.name)); (err == nil) != f.kept {
			t.Errorf("%s exists=%v, want %v", f.name, err == nil, f.kept)
		}
	}
}

func TestLockTimeoutIsClear(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path, nil)
	s.opts.LockTimeout = 50 * time.Millisecond
	holder := flock.New(path + ".lock")
	if ok, err := holder.TryLock(); !ok || err != nil {
		t.Fatalf("TryLock = %v, %v", ok, err)
	}
	defer holder.Unlock()
	_, _, err := s.Add(testID(1, 1))
	if !errors.Is(err, ErrLocked) || err.Error() != "another faxwatch is holding the watchlist lock ("+path+".lock); try again" {
		t.Fatalf("Add under a held lock = %v", err)
	}
	if s.Len() != 1 || !s.Dirty() {
		t.Fatal("the ID must stay in memory, dirty, for the next save")
	}
	if _, _, err := Open(Options{Path: path, LockTimeout: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Fatalf("Open under a held lock = %v", err)
	}
	holder.Unlock()
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "saved later", ids(openAt(t, path, nil)), []api.JobID{testID(1, 1)})
}

func TestTwoStoresMerge(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	a := openAt(t, path, c)
	shared1, shared2, shared3 := testID(1, 1), testID(1, 2), testID(1, 3)
	mustAdd(t, a, shared1, shared2, shared3)
	b := openAt(t, path, c)

	// Both add different IDs; each save keeps the other's.
	mustAdd(t, a, testID(2, 1))
	mustAdd(t, b, testID(3, 1))
	mustAdd(t, a, testID(2, 2))
	want := []api.JobID{shared1, shared2, shared3, testID(2, 1), testID(3, 1), testID(2, 2)}
	equalIDs(t, "file", ids(openAt(t, path, c)), want)

	// b learns a's additions on Reload; a second Reload is free.
	if changed, err := b.Reload(); err != nil || !changed {
		t.Fatalf("Reload = %v, %v", changed, err)
	}
	equalIDs(t, "b after reload", ids(b), want)
	if changed, err := b.Reload(); err != nil || changed {
		t.Fatalf("second Reload = %v, %v", changed, err)
	}

	// A removal in a wins over b's stale copy; b's later note wins over a's.
	if _, err := a.Remove(shared2); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	if err := a.SetNote(shared1, "from a"); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	if err := b.SetNote(shared1, "from b"); err != nil { // saves: merges a's removal
		t.Fatal(err)
	}
	if _, ok := b.Entry(shared2); ok {
		t.Fatal("b kept an ID a removed")
	}
	// Status: the later check wins, whichever store saves.
	b.Apply(&api.Result{Jobs: []api.JobStatus{status(shared3, 1, "Done")}}, c.Advance(time.Second))
	a.Apply(&api.Result{Jobs: []api.JobStatus{status(shared3, 3, "Sending")}}, c.Now().Add(-time.Minute))
	if err := b.Save(); err != nil {
		t.Fatal(err)
	}
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	final := openAt(t, path, c)
	if e, _ := final.Entry(shared1); e.Note != "from b" {
		t.Fatalf("note %q, want the later one", e.Note)
	}
	if e, _ := final.Entry(shared3); e.Last.State != api.StateSucceeded {
		t.Fatalf("status %s, want the later check (succeeded)", e.Last.State)
	}
	if _, ok := final.Entry(shared2); ok {
		t.Fatal("removed ID came back")
	}
	equalIDs(t, "a converged", ids(a), ids(final))

	// An undo in b restores the ID in place even though a never saw it go.
	if _, err := b.Remove(testID(3, 1)); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, a, testID(2, 3))
	if _, err := b.UndoRemove(); err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "after undo", ids(openAt(t, path, c)),
		[]api.JobID{shared1, shared3, testID(2, 1), testID(3, 1), testID(2, 2), testID(2, 3)})
}

func TestDeletedFileDoesNotWipeMemory(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path, nil)
	mustAdd(t, s, testID(1, 1))
	os.Remove(path)
	if changed, err := s.Reload(); err != nil || changed {
		t.Fatalf("Reload after delete = %v, %v", changed, err)
	}
	mustAdd(t, s, testID(1, 2))
	equalIDs(t, "rewritten", ids(openAt(t, path, nil)), []api.JobID{testID(1, 1), testID(1, 2)})
}

func TestReloadAfterOwnSaveReadsNothing(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path, nil)
	mustAdd(t, s, testID(1, 1))
	if changed, err := s.Reload(); changed || err != nil {
		t.Fatalf("Reload after our own save = %v, %v", changed, err)
	}
	// A save by another store is a new file, and Reload notices it.
	other := openAt(t, path, nil)
	mustAdd(t, other, testID(1, 2))
	if changed, err := s.Reload(); !changed || err != nil || s.Len() != 2 {
		t.Fatalf("Reload after another store's save = %v, %v, %d entries", changed, err, s.Len())
	}
}
