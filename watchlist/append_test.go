package watchlist

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"faxwatch/api"
)

// A job field this version does not know survives only when the file is
// spliced, not decoded and re-encoded: it tells the two paths apart.
const futureField = `,"x_future":1`

func TestAddToFile(t *testing.T) {
	a, b, c := testID(1, 1), testID(1, 2), testID(1, 3)
	job := func(id api.JobID) string { return `{"id":"` + string(id) + `"` + futureField + `}` }
	tests := []struct {
		name     string
		file     string // "" for no file
		add      []api.JobID
		note     string
		setNote  bool
		spliced  bool // the old bytes are kept as they were
		added    []api.JobID
		dups     []api.JobID
		want     []api.JobID // IDs in the file afterwards
		warnings int
	}{
		{name: "spliced after the last job", file: "{\"version\":1,\"jobs\":[\n" + job(a) + "\n]}\n",
			add: []api.JobID{b, c}, spliced: true, added: []api.JobID{b, c}, want: []api.JobID{a, b, c}},
		{name: "spliced into an empty list", file: "{\"version\":1" + futureField + ",\"jobs\":[\n]}\n",
			add: []api.JobID{b}, spliced: true, added: []api.JobID{b}, want: []api.JobID{b}},
		{name: "spliced, other spacing and key order", file: ` { "jobs" : [ ` + job(a) + ` ] , "version" : 1 } `,
			add: []api.JobID{b}, spliced: true, added: []api.JobID{b}, want: []api.JobID{a, b}},
		{name: "duplicates named, nothing written", file: "{\"version\":1,\"jobs\":[\n" + job(a) + "\n]}\n",
			add: []api.JobID{a, b, b}, spliced: true, added: []api.JobID{b}, dups: []api.JobID{a, b}, want: []api.JobID{a, b}},
		{name: "a note on new jobs", file: "{\"version\":1,\"jobs\":[\n" + job(a) + "\n]}\n",
			add: []api.JobID{b}, note: "ticket 7", setNote: true, spliced: true, added: []api.JobID{b}, want: []api.JobID{a, b}},
		{name: "no file yet: created whole", file: "", add: []api.JobID{a}, added: []api.JobID{a}, want: []api.JobID{a}},
		{name: "a note for a watched job: whole list", file: "{\"version\":1,\"jobs\":[\n" + job(a) + "\n]}\n",
			add: []api.JobID{a, b}, note: "ticket 7", setNote: true, added: []api.JobID{b}, dups: []api.JobID{a}, want: []api.JobID{a, b}},
		{name: "an ID not as this version writes it: whole list", file: `{"version":1,"jobs":[{"id":"BR1000001X"}]}`,
			add: []api.JobID{b}, added: []api.JobID{b}, want: []api.JobID{a, b}},
		{name: "an ID listed twice: whole list, with a warning", file: `{"version":1,"jobs":[` + job(a) + `,` + job(a) + `]}`,
			add: []api.JobID{b}, added: []api.JobID{b}, want: []api.JobID{a, b}, warnings: 1},
		{name: "a job without an id: whole list, with a warning", file: `{"version":1,"jobs":[` + job(a) + `,{"note":"x"}]}`,
			add: []api.JobID{b}, added: []api.JobID{b}, want: []api.JobID{a, b}, warnings: 1},
		{name: "corrupt: moved aside, started afresh", file: `{"version":1,"jobs":[` + job(a),
			add: []api.JobID{b}, added: []api.JobID{b}, want: []api.JobID{b}, warnings: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempPath(t)
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if tt.file != "" {
				if err := os.WriteFile(path, []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			clk := newClock()
			added, dups, warnings, err := AddToFile(Options{Path: path, Now: clk.Now}, tt.add, tt.note, tt.setNote)
			if err != nil {
				t.Fatal(err)
			}
			equalIDs(t, "added", added, tt.added)
			equalIDs(t, "duplicates", dups, tt.dups)
			if len(warnings) != tt.warnings {
				t.Errorf("warnings %q, want %d", warnings, tt.warnings)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if kept := strings.Contains(string(data), futureField); tt.file != "" && kept != tt.spliced {
				t.Errorf("old bytes kept: %v, want %v:\n%s", kept, tt.spliced, data)
			}
			if tt.spliced && len(added) > 0 {
				end := strings.LastIndex(tt.file, "]")
				old := strings.TrimRight(tt.file[:end], " \n")
				if !bytes.HasPrefix(data, []byte(old)) || !bytes.HasSuffix(data, []byte(tt.file[end:])) {
					t.Errorf("the old bytes were not kept around the new jobs:\n%s", data)
				}
			}
			s := openAt(t, path, nil)
			equalIDs(t, "in the file", ids(s), tt.want)
			for _, id := range tt.added {
				e, _ := s.Entry(id)
				if !e.AddedAt.Equal(clk.Now()) || e.State() != StatePending {
					t.Errorf("%s: added at %v, state %s", id, e.AddedAt, e.State())
				}
				if tt.setNote && (e.Note != tt.note || !e.NoteAt.Equal(clk.Now())) {
					t.Errorf("%s: note %q at %v", id, e.Note, e.NoteAt)
				}
			}
			if tt.setNote {
				for _, id := range tt.dups {
					if e, _ := s.Entry(id); e.Note != tt.note {
						t.Errorf("%s (already watched): note %q, want %q", id, e.Note, tt.note)
					}
				}
			}
		})
	}
}

func TestAddToFileRefusals(t *testing.T) {
	t.Run("not a job ID", func(t *testing.T) {
		path := tempPath(t)
		if _, _, _, err := AddToFile(Options{Path: path}, []api.JobID{"brown"}, "", false); err == nil {
			t.Fatal("accepted")
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatal("a file was written")
		}
	})
	t.Run("newer version: untouched", func(t *testing.T) {
		path := tempPath(t)
		_ = os.MkdirAll(filepath.Dir(path), 0o700)
		newer := `{"version":99,"jobs":[]}`
		_ = os.WriteFile(path, []byte(newer), 0o600)
		if _, _, _, err := AddToFile(Options{Path: path}, []api.JobID{testID(1, 1)}, "", false); !errors.Is(err, ErrNewerVersion) {
			t.Fatalf("err %v, want ErrNewerVersion", err)
		}
		if data, _ := os.ReadFile(path); string(data) != newer {
			t.Fatalf("file changed: %s", data)
		}
	})
	t.Run("lock held", func(t *testing.T) {
		path := tempPath(t)
		mustAdd(t, openAt(t, path, nil), testID(1, 1))
		holder := flock.New(path + ".lock")
		if ok, err := holder.TryLock(); !ok || err != nil {
			t.Fatalf("TryLock = %v, %v", ok, err)
		}
		defer holder.Unlock()
		_, _, _, err := AddToFile(Options{Path: path, LockTimeout: 50 * time.Millisecond}, []api.JobID{testID(1, 2)}, "", false)
		var notSaved *SaveError
		if !errors.Is(err, ErrLocked) || errors.As(err, &notSaved) {
			t.Fatalf("err %v, want ErrLocked before anything was read", err)
		}
	})
}

// The splice keeps Save's guarantees: the file is replaced by rename (never
// written in place), and a symbolic link stays a link to its target.
func TestAddToFileReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "watchlist.json")
	link := filepath.Join(dir, "state", "watchlist.json")
	_ = os.MkdirAll(filepath.Dir(link), 0o700)
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	mustAdd(t, openAt(t, target, nil), testID(1, 1))
	before, _ := os.ReadFile(target)
	renamed := false
	testHookBeforeRename = func() {
		renamed = true
		if now, _ := os.ReadFile(target); !bytes.Equal(now, before) {
			t.Error("the file changed before the rename")
		}
	}
	defer func() { testHookBeforeRename = nil }()
	if _, _, _, err := AddToFile(Options{Path: link}, []api.JobID{testID(1, 2)}, "", false); err != nil {
		t.Fatal(err)
	}
	if !renamed {
		t.Fatal("the file was not replaced by rename")
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	equalIDs(t, "target", ids(openAt(t, target, nil)), []api.JobID{testID(1, 1), testID(1, 2)})
	if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(target), tempPrefix(target)+"*")); len(temps) != 0 {
		t.Fatalf("temp files left: %v", temps)
	}
}

// A dashboard holding unsaved edits merges a spliced add like any other
// process's save: both survive.
func TestAddToFileMergesWithADashboard(t *testing.T) {
	path := tempPath(t)
	dash := openOwnerSaves(t, path, nil)
	mustAdd(t, dash, testID(1, 1), testID(1, 2))
	if err := dash.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := dash.Remove(testID(1, 1)); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := AddToFile(Options{Path: path}, []api.JobID{testID(2, 1)}, "", false); err != nil {
		t.Fatal(err)
	}
	if err := dash.Save(); err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "file", ids(openAt(t, path, nil)), []api.JobID{testID(1, 2), testID(2, 1)})
	equalIDs(t, "dashboard", ids(dash), []api.JobID{testID(1, 2), testID(2, 1)})
}
