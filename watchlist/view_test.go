package watchlist

import (
	"testing"
	"time"

	"faxwatch/api"
)

// TestEditsSaveUnlessTheOwnerSaves: every edit is on disk when it returns,
// unless the store was opened with OwnerSaves; then it is in memory only,
// the store is dirty, and Save writes it.
func TestEditsSaveUnlessTheOwnerSaves(t *testing.T) {
	one, two := testID(1, 1), testID(1, 2)
	edits := []struct {
		name string
		edit func(*Store) error
		want []api.JobID // on disk after the edit, when edits save
	}{
		{"Add", func(s *Store) error { _, _, err := s.Add(two); return err }, []api.JobID{one, two}},
		{"AddWithNote", func(s *Store) error { _, _, err := s.AddWithNote("n", two); return err }, []api.JobID{one, two}},
		{"Remove", func(s *Store) error { _, err := s.Remove(one); return err }, nil},
		{"Clear", func(s *Store) error { _, err := s.Clear(); return err }, nil},
	}
	for _, tt := range edits {
		for _, ownerSaves := range []bool{false, true} {
			name := tt.name + "/saves on edit"
			if ownerSaves {
				name = tt.name + "/owner saves"
			}
			t.Run(name, func(t *testing.T) {
				c := newClock()
				path := tempPath(t)
				s := openWith(t, Options{Path: path, OwnerSaves: ownerSaves}, c)
				mustAdd(t, s, one)
				if err := s.Save(); err != nil {
					t.Fatal(err)
				}
				c.Advance(time.Second)
				if err := tt.edit(s); err != nil {
					t.Fatal(err)
				}
				onDisk := ids(openAt(t, path, c))
				if ownerSaves {
					equalIDs(t, "on disk before Save", onDisk, []api.JobID{one})
					if !s.Dirty() {
						t.Fatal("an unsaved edit left the store clean")
					}
					if err := s.Save(); err != nil {
						t.Fatal(err)
					}
					onDisk = ids(openAt(t, path, c))
				}
				equalIDs(t, "on disk", onDisk, tt.want)
				if s.OwnerSaves() != ownerSaves {
					t.Fatalf("OwnerSaves() = %v, want %v", s.OwnerSaves(), ownerSaves)
				}
			})
		}
	}
}

// TestViewHandsOutCopies: what a View gives cannot change the store.
func TestViewHandsOutCopies(t *testing.T) {
	c := newClock()
	s := openOwnerSaves(t, "", c)
	mustAdd(t, s, testID(1, 1), testID(1, 2))
	if err := s.SetNote(testID(1, 1), "keep"); err != nil {
		t.Fatal(err)
	}
	v := s.View()
	if v.Len() != 2 || v.ID(1) != testID(1, 2) {
		t.Fatalf("View: %d entries, second %s", v.Len(), v.ID(1))
	}
	e := v.At(0)
	e.Note = "changed by a reader"
	e.Last.State = api.StateFailed
	e.History = append(e.History, Transition{To: api.StateFailed})
	got, _ := s.Entry(testID(1, 1))
	if got.Note != "keep" || got.Last.State != StatePending || len(got.History) != 0 {
		t.Fatalf("a reader's copy reached the store: %+v", got)
	}
	if again := s.View().At(0); again.Note != "keep" {
		t.Fatalf("the next View shows %q", again.Note)
	}

	// A transition written in place in a copy's history stays in the copy.
	if _, err := s.Apply(&api.Result{Jobs: []api.JobStatus{status(testID(1, 2), 3, "Sending")}}, c.Now()); err != nil {
		t.Fatal(err)
	}
	for name, copyOf := range map[string]func() Entry{
		"View.At": func() Entry { return s.View().At(1) },
		"Entry":   func() Entry { e, _ := s.Entry(testID(1, 2)); return e },
		"Entries": func() Entry { return s.Entries()[1] },
	} {
		e := copyOf()
		if len(e.History) == 0 {
			t.Fatalf("%s: no history to change", name)
		}
		e.History[0].To = api.StateFailed
		if got, _ := s.Entry(testID(1, 2)); got.History[0].To == api.StateFailed {
			t.Fatalf("%s: a reader's write into its copy's history reached the store", name)
		}
	}
	// Head is the same entry without its history, and a copy too.
	head, full := s.View().Head(1), s.View().At(1)
	if head.History != nil || head.ID != full.ID || head.Last.Description != full.Last.Description {
		t.Fatalf("Head = %+v; want At without the history", head)
	}
	head.Last.State = api.StateFailed
	if got, _ := s.Entry(testID(1, 2)); got.Last.State == api.StateFailed {
		t.Fatal("a write into Head's copy reached the store")
	}
}
