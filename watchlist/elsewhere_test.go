package watchlist

import (
	"testing"
	"time"

	"faxwatch/api"
)

// TestRemovedElsewhereGoesOnTheUndoStack: however a store notices that
// another process removed jobs (a reload or a save, at once or in steps),
// it names them once and UndoRemove brings them back in place with what was
// known here, a note not yet saved included. Final jobs that KeepFinal
// drops here anyway are not named.
func TestRemovedElsewhereGoesOnTheUndoStack(t *testing.T) {
	tests := []struct {
		name   string
		notice func(t *testing.T, s *Store)
	}{
		{"Reload", func(t *testing.T, s *Store) {
			if _, err := s.Reload(); err != nil {
				t.Fatal(err)
			}
		}},
		{"Save", func(t *testing.T, s *Store) {
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
		}},
		{"PrepareSave, Run, FinishSave", func(t *testing.T, s *Store) {
			if err := s.FinishSave(s.PrepareSave().Run()); err != nil {
				t.Fatal(err)
			}
		}},
		{"PrepareReload, Run, FinishReload", func(t *testing.T, s *Store) {
			if _, err := s.FinishReload(s.PrepareReload().Run()); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			path := tempPath(t)
			mine := openWith(t, Options{Path: path, OwnerSaves: true, KeepFinal: time.Hour}, c)
			a, b, cc, done := testID(1, 1), testID(1, 2), testID(1, 3), testID(1, 4)
			mustAdd(t, mine, a, b, cc, done)
			mine.Apply(&api.Result{Jobs: []api.JobStatus{status(done, 1, "Done")}}, c.Now())
			if err := mine.Save(); err != nil {
				t.Fatal(err)
			}
			c.Advance(2 * time.Hour) // done is past KeepFinal: dropping it is no news
			other := openAt(t, path, c)
			if _, err := other.Remove(b, done); err != nil {
				t.Fatal(err)
			}
			if err := mine.SetNote(b, "ACME renewal"); err != nil { // typed before the removal was noticed
				t.Fatal(err)
			}

			tt.notice(t, mine)
			equalIDs(t, "named", mine.TakeRemovedElsewhere(), []api.JobID{b})
			equalIDs(t, "named again", mine.TakeRemovedElsewhere(), nil)
			equalIDs(t, "left", ids(mine), []api.JobID{a, cc})

			if got, err := mine.UndoRemove(); err != nil || len(got) != 1 || got[0] != b {
				t.Fatalf("UndoRemove = %v, %v; want %v", got, err, b)
			}
			equalIDs(t, "after undo", ids(mine), []api.JobID{a, b, cc})
			if e, _ := mine.Entry(b); e.Note != "ACME renewal" {
				t.Errorf("restored note = %q", e.Note)
			}
			if err := mine.Save(); err != nil {
				t.Fatal(err)
			}
			equalIDs(t, "on file", ids(openAt(t, path, c)), []api.JobID{a, b, cc})
		})
	}
}

// TestSetRemovedNote: a note typed for a job no longer watched goes with it
// on the undo stack, and says whether another process removed it.
func TestSetRemovedNote(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	mine := openWith(t, Options{Path: path, OwnerSaves: true}, c)
	a, b, never := testID(1, 1), testID(1, 2), testID(1, 3)
	mustAdd(t, mine, a, b)
	if err := mine.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := openAt(t, path, c).Remove(b); err != nil {
		t.Fatal(err)
	}
	if _, err := mine.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := mine.Remove(a); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id                api.JobID
		wantElsewhere, ok bool
	}{
		{b, true, true},
		{a, false, true},
		{never, false, false},
	}
	for _, tt := range tests {
		elsewhere, ok := mine.SetRemovedNote(tt.id, "note for "+string(tt.id))
		if elsewhere != tt.wantElsewhere || ok != tt.ok {
			t.Errorf("SetRemovedNote(%s) = %v, %v; want %v, %v", tt.id, elsewhere, ok, tt.wantElsewhere, tt.ok)
		}
	}
	for range 2 {
		if _, err := mine.UndoRemove(); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []api.JobID{a, b} {
		if e, _ := mine.Entry(id); e.Note != "note for "+string(id) {
			t.Errorf("%s came back with note %q", id, e.Note)
		}
	}
}

// CreditRemovals names who removed the jobs it is given, on removals
// another process made without a name, and nothing else: a removal made
// here keeps its name, one of another job stays unnamed.
func TestCreditRemovalsNamesOnlyTheirs(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	mine := openWith(t, Options{Path: path, OwnerSaves: true}, c)
	carols, locals, bobs := testID(1, 1), testID(1, 2), testID(1, 3)
	mustAdd(t, mine, carols, locals, bobs)
	if err := mine.Save(); err != nil {
		t.Fatal(err)
	}
	other := openAt(t, path, c)
	if _, err := other.Remove(carols, locals); err != nil {
		t.Fatal(err)
	}
	if _, err := mine.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := mine.RemoveAs("bob", bobs); err != nil {
		t.Fatal(err)
	}
	mine.CreditRemovals("carol", carols, bobs)

	want := map[api.JobID]struct {
		by        string
		elsewhere bool
	}{carols: {"carol", true}, locals: {"", true}, bobs: {"bob", false}}
	for range 2 { // bob's removal is the newest, then the merged one
		restored, err := mine.UndoRemove()
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range restored {
			e, _ := mine.Entry(id)
			if w := want[id]; e.Restored == nil || e.Restored.RemovedBy != w.by || e.Restored.Elsewhere != w.elsewhere {
				t.Errorf("%s restored with %+v; want removed by %q, elsewhere %v", id, e.Restored, w.by, w.elsewhere)
			}
			delete(want, id)
		}
	}
	if len(want) > 0 {
		t.Errorf("not restored: %v", want)
	}
}
