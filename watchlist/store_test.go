package watchlist

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"faxwatch/api"
)

func TestAddKeepsOrderAndRefusesDuplicates(t *testing.T) {
	c := newClock()
	s := openAt(t, tempPath(t), c)
	a, b, d := testID(1, 1), testID(1, 2), api.JobID("JRI-REF.1_x")
	added, dups, err := s.Add(b, a, b)
	if err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "added", added, []api.JobID{b, a})
	equalIDs(t, "duplicates", dups, []api.JobID{b})
	c.Advance(time.Second)
	added, dups, err = s.Add(a, d)
	if err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "added", added, []api.JobID{d})
	equalIDs(t, "duplicates", dups, []api.JobID{a})
	equalIDs(t, "order", ids(s), []api.JobID{b, a, d})
	e, ok := s.Entry(d)
	if !ok || e.Last.State != StatePending || !e.AddedAt.Equal(c.Now()) {
		t.Fatalf("Entry(%s) = %+v, %v; want pending, added now", d, e, ok)
	}
	// Saved: a fresh Store sees the same list.
	equalIDs(t, "reopened", ids(openAt(t, s.Path(), c)), []api.JobID{b, a, d})
}

func TestAddRejectsInvalidIDs(t *testing.T) {
	s := openAt(t, tempPath(t), nil)
	for _, bad := range []api.JobID{"", "brown", "BR0012345H00001X", "br0012345\x1b[2J", "jri-x", "JRI-", "JRI-a b"} {
		if _, _, err := s.Add(testID(1, 1), bad); err == nil {
			t.Errorf("Add(%q) succeeded", bad)
		}
	}
	if s.Len() != 0 {
		t.Fatalf("a refused Add changed the list: %v", ids(s))
	}
}

func TestRemoveAndUndoRestoreInPlace(t *testing.T) {
	tests := []struct {
		name    string
		remove  []int
		between func(s *Store)
		want    []int // after undo
	}{
		{name: "one in the middle", remove: []int{2}, want: []int{0, 1, 2, 3, 4}},
		{name: "first and last", remove: []int{0, 4}, want: []int{0, 1, 2, 3, 4}},
		{name: "several", remove: []int{3, 1, 2}, want: []int{0, 1, 2, 3, 4}},
		{name: "re-added meanwhile", remove: []int{1, 3}, between: func(s *Store) { mustAdd(t, s, testID(1, 1)) },
			want: []int{0, 2, 3, 4, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openAt(t, tempPath(t), nil)
			all := []api.JobID{testID(1, 0), testID(1, 1), testID(1, 2), testID(1, 3), testID(1, 4)}
			mustAdd(t, s, all...)
			if err := s.SetNote(all[2], "ticket 4411 / ACME"); err != nil {
				t.Fatal(err)
			}
			var rm []api.JobID
			for _, i := range tt.remove {
				rm = append(rm, all[i])
			}
			removed, err := s.Remove(append(rm, testID(9, 9))...)
			if err != nil || len(removed) != len(rm) {
				t.Fatalf("Remove = %v, %v", removed, err)
			}
			if !s.CanUndo() {
				t.Fatal("CanUndo false after Remove")
			}
			if tt.between != nil {
				tt.between(s)
			}
			if _, err := s.UndoRemove(); err != nil {
				t.Fatal(err)
			}
			var want []api.JobID
			for _, i := range tt.want {
				want = append(want, all[i])
			}
			equalIDs(t, "after undo", ids(s), want)
			if e, _ := s.Entry(all[2]); e.Note != "ticket 4411 / ACME" {
				t.Fatalf("note lost through remove/undo: %q", e.Note)
			}
			equalIDs(t, "reopened", ids(openAt(t, s.Path(), nil)), want)
			if r, err := s.UndoRemove(); err != nil || r != nil {
				t.Fatalf("second UndoRemove = %v, %v; want nothing", r, err)
			}
		})
	}
}

// Undo takes removals back newest first, one at a time, down to MaxUndo of
// them; a removal whose jobs were all added again is skipped.
func TestUndoIsAStack(t *testing.T) {
	s := openAt(t, tempPath(t), nil)
	all := make([]api.JobID, MaxUndo+3)
	for i := range all {
		all[i] = testID(2, i)
	}
	mustAdd(t, s, all...)
	for _, id := range all[:MaxUndo+2] { // two more removals than the stack keeps
		if _, err := s.Remove(id); err != nil {
			t.Fatal(err)
		}
	}
	mustAdd(t, s, all[MaxUndo+1]) // the newest removal came back by hand
	var back []api.JobID
	for {
		r, err := s.UndoRemove()
		if err != nil {
			t.Fatal(err)
		}
		if r == nil {
			break
		}
		if len(r) != 1 {
			t.Fatalf("one undo restored %v", r)
		}
		back = append(back, r[0])
	}
	var want []api.JobID
	for i := MaxUndo; i >= 2; i-- {
		want = append(want, all[i])
	}
	equalIDs(t, "undone, newest first", back, want)
	if s.CanUndo() {
		t.Error("CanUndo after the stack ran out")
	}
}

func TestClearAndUndo(t *testing.T) {
	s := openAt(t, tempPath(t), nil)
	mustAdd(t, s, testID(1, 1), testID(1, 2))
	removed, err := s.Clear()
	if err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "Clear says it removed", removed, []api.JobID{testID(1, 1), testID(1, 2)})
	if n := openAt(t, s.Path(), nil).Len(); n != 0 || s.Len() != 0 {
		t.Fatalf("after Clear: memory %d, file %d entries", s.Len(), n)
	}
	if _, err := s.UndoRemove(); err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "after undo", ids(openAt(t, s.Path(), nil)), []api.JobID{testID(1, 1), testID(1, 2)})
}

func TestSetNote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ticket 4411 / ACME", "ticket 4411 / ACME"},
		{"  spaced  ", "spaced"},
		{"evil\x1b]52;c;AAAA\x07 \u202egnp.exe\r\nnext", `evil\x1b]52;c;AAAA\x07 \u{202E}gnp.exe  next`},
		{strings.Repeat("é", 300), strings.Repeat("é", NoteMaxRunes-1) + "…"},
		{"", ""},
	}
	s := openAt(t, tempPath(t), nil)
	id := testID(1, 1)
	mustAdd(t, s, id)
	for _, tt := range tests {
		if err := s.SetNote(id, tt.in); err != nil {
			t.Fatal(err)
		}
		if e, _ := s.Entry(id); e.Note != tt.want {
			t.Errorf("SetNote(%q): note %q, want %q", tt.in, e.Note, tt.want)
		}
		if e, _ := openAt(t, s.Path(), nil).Entry(id); e.Note != tt.want {
			t.Errorf("SetNote(%q): saved note %q, want %q", tt.in, e.Note, tt.want)
		}
	}
	if err := s.SetNote(testID(2, 2), "x"); err == nil {
		t.Error("SetNote on an unwatched ID succeeded")
	}
}

func TestVersionAndEntriesCopy(t *testing.T) {
	s := openAt(t, "", nil)
	v0 := s.Version()
	mustAdd(t, s, testID(1, 1))
	if s.Version() == v0 {
		t.Fatal("Version unchanged by Add")
	}
	got := s.Entries()
	got[0].Note = "changed by caller"
	if e, _ := s.Entry(testID(1, 1)); e.Note != "" {
		t.Fatal("Entries shares memory with the store")
	}
	v1 := s.Version()
	if _, _, err := s.Add(testID(1, 1)); err != nil || s.Version() != v1 {
		t.Fatalf("duplicate Add changed the version (err %v)", err)
	}
}

func TestDue(t *testing.T) {
	c := newClock()
	s, _, err := Open(Options{Now: c.Now, KeepFinal: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	pend, proc, ok, bad, unk, gone := testID(1, 1), testID(1, 2), testID(1, 3), testID(1, 4), testID(1, 5), testID(1, 6)
	mustAdd(t, s, pend, proc, ok, bad, unk, gone)
	res := &api.Result{Jobs: []api.JobStatus{
		status(proc, 3, "Sending"), status(ok, 1, "Done"), status(bad, 2, "Busy"), status(unk, 77, "?"),
		{JobID: gone, State: api.StateNoAnswer},
	}}
	if _, err := s.Apply(res, c.Now()); err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "due", s.Due(c.Now(), false), []api.JobID{pend, proc, unk, gone})
	equalIDs(t, "due full", s.Due(c.Now(), true), []api.JobID{pend, proc, ok, bad, unk, gone})
	// Final jobs past KeepFinal are not worth a full refresh either.
	equalIDs(t, "due full later", s.Due(c.Advance(2*time.Hour), true), []api.JobID{pend, proc, unk, gone})
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/x/state")
	if p, err := DefaultPath(); err != nil || p != "/x/state/faxwatch/watchlist.json" {
		t.Fatalf("DefaultPath = %q, %v", p, err)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"", "relative/dir"} {
		t.Setenv("XDG_STATE_HOME", v)
		want := filepath.Join(home, ".local", "state", "faxwatch", "watchlist.json")
		if p, err := DefaultPath(); err != nil || p != want {
			t.Fatalf("XDG_STATE_HOME=%q: DefaultPath = %q, %v; want %q", v, p, err, want)
		}
	}
}

func TestMemoryOnlyStore(t *testing.T) {
	s := openAt(t, "", nil)
	mustAdd(t, s, testID(1, 1))
	if err := s.Save(); err != nil || s.Dirty() {
		t.Fatalf("Save = %v, dirty %v", err, s.Dirty())
	}
	if changed, err := s.Reload(); changed || err != nil {
		t.Fatalf("Reload = %v, %v", changed, err)
	}
	if !errors.Is(&LockError{Path: "x"}, ErrLocked) {
		t.Fatal("LockError does not wrap ErrLocked")
	}
}
