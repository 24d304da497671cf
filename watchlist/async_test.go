package watchlist

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"faxwatch/api"
)

// asyncSave runs a save the dashboard's way: between runs after PrepareSave
// and before Run (another process writing, say); during runs while Run is in
// flight on another goroutine, so the race detector sees Run and the Store
// side by side.
func asyncSave(t *testing.T, s *Store, between, during func()) error {
	t.Helper()
	p := s.PrepareSave()
	if p == nil {
		t.Fatal("PrepareSave = nil for a dirty store")
	}
	if between != nil {
		between()
	}
	done := make(chan SaveResult, 1)
	go func() { done <- p.Run() }()
	if during != nil {
		during()
	}
	return s.FinishSave(<-done)
}

// deferredStore opens a dashboard-style store (edits do not save) holding
// ids, saved.
func deferredStore(t *testing.T, path string, c *clock, ids ...api.JobID) *Store {
	t.Helper()
	s := openOwnerSaves(t, path, c)
	mustAdd(t, s, ids...)
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAsyncSaveKeepsEditsMadeMeanwhile(t *testing.T) {
	for _, otherWrites := range []bool{false, true} {
		c := newClock()
		path := tempPath(t)
		one, two, three, four, theirs := testID(1, 1), testID(1, 2), testID(1, 3), testID(1, 4), testID(2, 1)
		s := deferredStore(t, path, c, one, two, three)
		s.Apply(&api.Result{Jobs: []api.JobStatus{status(one, 1, "Done")}}, c.Advance(time.Second))
		var between func()
		if otherWrites {
			between = func() { mustAdd(t, openAt(t, path, c), theirs) }
		}
		err := asyncSave(t, s, between, func() {
			mustAdd(t, s, four)
			s.Apply(&api.Result{Jobs: []api.JobStatus{status(two, 3, "Sending")}}, c.Advance(time.Second))
			if err := s.SetNote(three, "call back"); err != nil {
				t.Error(err)
			}
		})
		if err != nil {
			t.Fatalf("otherWrites=%v: FinishSave: %v", otherWrites, err)
		}
		want := []api.JobID{one, two, three, four}
		wantFile := []api.JobID{one, two, three}
		if otherWrites {
			want = []api.JobID{one, two, three, theirs, four}
			wantFile = []api.JobID{one, two, three, theirs}
		}
		equalIDs(t, "memory", ids(s), want)
		equalIDs(t, "file after the first save", ids(openAt(t, path, c)), wantFile)
		if e, _ := s.Entry(two); e.Last.State != api.StateProcessing {
			t.Errorf("otherWrites=%v: status applied during the save lost: %s", otherWrites, e.Last.State)
		}
		if e, _ := s.Entry(three); e.Note != "call back" {
			t.Errorf("otherWrites=%v: note set during the save lost: %q", otherWrites, e.Note)
		}
		if !s.Dirty() {
			t.Fatalf("otherWrites=%v: edits made during the save left the store clean", otherWrites)
		}
		if err := asyncSave(t, s, nil, nil); err != nil {
			t.Fatal(err)
		}
		if s.Dirty() || s.PrepareSave() != nil {
			t.Fatal("still dirty after a save with nothing changed meanwhile")
		}
		file := openAt(t, path, c)
		equalIDs(t, "file after the second save", ids(file), want)
		if e, _ := file.Entry(one); e.Last.State != api.StateSucceeded {
			t.Errorf("status before the save not written: %s", e.Last.State)
		}
		if e, _ := file.Entry(three); e.Note != "call back" {
			t.Errorf("note not written: %q", e.Note)
		}
		if changed, err := s.Reload(); changed || err != nil {
			t.Errorf("Reload after our own saves = %v, %v; want nothing to read", changed, err)
		}
	}
}

func TestAsyncSaveRemoveDuringSaveStaysRemoved(t *testing.T) {
	for _, otherWrites := range []bool{false, true} {
		c := newClock()
		path := tempPath(t)
		one, two, three, fresh := testID(1, 1), testID(1, 2), testID(1, 3), testID(1, 9)
		s := deferredStore(t, path, c, one, two, three)
		mustAdd(t, s, fresh) // unsaved: in the snapshot as added here
		var between func()
		if otherWrites {
			between = func() { mustAdd(t, openAt(t, path, c), testID(2, 1)) }
		}
		err := asyncSave(t, s, between, func() {
			if _, err := s.Remove(two, fresh); err != nil {
				t.Error(err)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []api.JobID{two, fresh} {
			if _, ok := s.Entry(id); ok {
				t.Fatalf("otherWrites=%v: %s removed during the save came back", otherWrites, id)
			}
		}
		if err := s.Save(); err != nil {
			t.Fatal(err)
		}
		want := []api.JobID{one, three}
		if otherWrites {
			want = append(want, testID(2, 1))
		}
		equalIDs(t, "file", ids(openAt(t, path, c)), want)
		equalIDs(t, "memory", ids(s), want)
		if restored, err := s.UndoRemove(); err != nil || len(restored) != 2 {
			t.Fatalf("undo after the save = %v, %v", restored, err)
		}
	}
}

func TestAsyncSaveTakesOtherProcessChanges(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	one, two := testID(1, 1), testID(1, 2)
	s := deferredStore(t, path, c, one, two)
	s.Apply(&api.Result{Jobs: []api.JobStatus{status(two, 3, "Sending")}}, c.Advance(time.Second))
	theirs := testID(2, 1)
	err := asyncSave(t, s, func() {
		other := openAt(t, path, c)
		mustAdd(t, other, theirs)
		if _, err := other.Remove(one); err != nil {
			t.Fatal(err)
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []api.JobID{two, theirs}
	equalIDs(t, "memory after FinishSave", ids(s), want)
	equalIDs(t, "file", ids(openAt(t, path, c)), want)
	if s.Dirty() {
		t.Error("dirty after a merged save with no edits meanwhile")
	}
	if changed, err := s.Reload(); changed || err != nil {
		t.Errorf("Reload = %v, %v; the save already synced", changed, err)
	}
}

func TestAsyncSaveSupersededIsIgnored(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s := deferredStore(t, path, c, testID(1, 1))
	mustAdd(t, s, testID(1, 2))
	first, second := s.PrepareSave(), s.PrepareSave()
	r1, r2 := first.Run(), second.Run()
	if err := s.FinishSave(r1); err != nil || s.Dirty() {
		t.Fatalf("first FinishSave = %v, dirty %v", err, s.Dirty())
	}
	// The second ran against the same base: the store moved past it.
	if err := s.FinishSave(r2); err != nil || !s.Dirty() {
		t.Fatalf("superseded FinishSave = %v, dirty %v; want ignored and dirty", err, s.Dirty())
	}
	mustAdd(t, s, testID(1, 3))
	p := s.PrepareSave()
	if err := s.Save(); err != nil { // a synchronous save overtakes the pending one
		t.Fatal(err)
	}
	if err := s.FinishSave(p.Run()); err != nil || !s.Dirty() {
		t.Fatalf("FinishSave after a Save = %v, dirty %v; want ignored and dirty", err, s.Dirty())
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "file", ids(openAt(t, path, c)), []api.JobID{testID(1, 1), testID(1, 2), testID(1, 3)})
}

func TestAsyncSaveErrorKeepsMemory(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s := deferredStore(t, path, c, testID(1, 1))
	mustAdd(t, s, testID(1, 2))
	newer := []byte(`{"version":99,"jobs":[]}`)
	err := asyncSave(t, s, func() {
		if err := os.WriteFile(path, newer, 0o600); err != nil {
			t.Fatal(err)
		}
	}, nil)
	if !errors.Is(err, ErrNewerVersion) {
		t.Fatalf("FinishSave over a newer file = %v", err)
	}
	if !s.Dirty() || s.Len() != 2 {
		t.Fatalf("after a failed save: dirty %v, %d entries; want dirty with both", s.Dirty(), s.Len())
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, newer) {
		t.Fatal("a failed save touched the newer file")
	}
}

func TestAsyncReload(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	one := testID(1, 1)
	s := deferredStore(t, path, c, one)
	if s.PrepareReload() != nil {
		t.Fatal("PrepareReload after our own save wants to read")
	}
	mustAdd(t, openAt(t, path, c), testID(2, 1))
	p := s.PrepareReload()
	if p == nil {
		t.Fatal("PrepareReload missed another process's save")
	}
	done := make(chan ReloadResult, 1)
	go func() { done <- p.Run() }()
	mustAdd(t, s, testID(1, 2)) // while the read is in flight
	changed, err := s.FinishReload(<-done)
	if err != nil || !changed {
		t.Fatalf("FinishReload = %v, %v", changed, err)
	}
	equalIDs(t, "memory", ids(s), []api.JobID{one, testID(2, 1), testID(1, 2)})
	if !s.Dirty() || s.PrepareReload() != nil {
		t.Fatal("the add made during the reload must stay pending, and the file is synced")
	}

	// A reload the store moved past (it saved meanwhile) is ignored.
	mustAdd(t, openAt(t, path, c), testID(2, 2))
	p = s.PrepareReload()
	r := p.Run()
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if changed, err := s.FinishReload(r); changed || err != nil {
		t.Fatalf("outdated FinishReload = %v, %v; want ignored", changed, err)
	}
	equalIDs(t, "memory", ids(s), []api.JobID{one, testID(2, 1), testID(2, 2), testID(1, 2)}) // the file's order, then ours
}

func TestAsyncMemoryOnly(t *testing.T) {
	s := openOwnerSaves(t, "", nil)
	mustAdd(t, s, testID(1, 1))
	if s.PrepareSave() != nil || s.Dirty() || s.PrepareReload() != nil {
		t.Fatal("a memory-only store has nothing to save or reload")
	}
}
