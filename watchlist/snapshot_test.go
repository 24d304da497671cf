package watchlist

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"faxwatch/api"
)

// deepCopy records what a snapshot shows, to compare with later.
func deepCopy(snap []*Entry) []Entry {
	out := make([]Entry, len(snap))
	for i, e := range snap {
		out[i] = *e
		out[i].History = append([]Transition(nil), e.History...)
	}
	return out
}

// TestSnapshotNeverChanges: every kind of edit after a Snapshot leaves the
// snapshot (its slice and its entries) exactly as it was, and the store
// shows the edits.
func TestSnapshotNeverChanges(t *testing.T) {
	edits := []struct {
		name string
		edit func(t *testing.T, s *Store, c *clock)
	}{
		{"apply", func(t *testing.T, s *Store, c *clock) {
			res := &api.Result{Jobs: []api.JobStatus{status(testID(1, 1), api.StatusFailed, "Fax failed"),
				status(testID(1, 2), 3, "Sending page 3 of 3")}}
			if _, err := s.Apply(res, c.Advance(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}},
		{"apply error", func(t *testing.T, s *Store, c *clock) {
			res := &api.Result{Jobs: []api.JobStatus{{JobID: testID(1, 2), Err: errTest}}}
			if _, err := s.Apply(res, c.Advance(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}},
		{"mark stale", func(t *testing.T, s *Store, c *clock) {
			s.MarkStale([]api.JobID{testID(1, 1), testID(1, 3)}, "timeout", c.Advance(time.Minute))
		}},
		{"note", func(t *testing.T, s *Store, c *clock) {
			if err := s.SetNote(testID(1, 2), "call back"); err != nil {
				t.Fatal(err)
			}
		}},
		{"add with note", func(t *testing.T, s *Store, c *clock) {
			if _, _, err := s.AddWithNote("batch 9", testID(1, 1), testID(1, 9)); err != nil {
				t.Fatal(err)
			}
		}},
		{"add", func(t *testing.T, s *Store, c *clock) { mustAdd(t, s, testID(2, 1)) }},
		{"remove", func(t *testing.T, s *Store, c *clock) {
			if _, err := s.Remove(testID(1, 2)); err != nil {
				t.Fatal(err)
			}
		}},
		{"clear", func(t *testing.T, s *Store, c *clock) {
			if _, err := s.Clear(); err != nil {
				t.Fatal(err)
			}
		}},
		{"drop expired", func(t *testing.T, s *Store, c *clock) {
			s.opts.KeepFinal = time.Hour
			if _, err := s.Apply(&api.Result{}, c.Advance(2*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range edits {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			s := openOwnerSaves(t, "", c)
			mustAdd(t, s, testID(1, 1), testID(1, 2), testID(1, 3))
			res := &api.Result{Jobs: []api.JobStatus{status(testID(1, 1), 3, "Sending page 1 of 3"),
				status(testID(1, 2), 3, "Sending page 1 of 3"), status(testID(1, 3), api.StatusSucceeded, "Job completed")}}
			if _, err := s.Apply(res, c.Advance(time.Minute)); err != nil {
				t.Fatal(err)
			}
			snap := s.Snapshot()
			was := deepCopy(snap)
			before := s.Version()
			tt.edit(t, s, c)
			if s.Version() == before {
				t.Fatal("the edit changed nothing: the case tests nothing")
			}
			if !reflect.DeepEqual(deepCopy(snap), was) {
				t.Fatalf("the snapshot changed under a later %s", tt.name)
			}
			if got := deepCopy(s.Snapshot()); reflect.DeepEqual(got, was) {
				t.Fatalf("the store does not show the %s", tt.name)
			}
		})
	}
}

var errTest = errors.New("boom")

// TestPrepareSaveCopiesNoEntries: the save's base is the store's own array
// of entries; while the save runs, an edit copies the entry it changes (once)
// and the base keeps the old one; once the save is finished, edits change
// entries in place again.
func TestPrepareSaveCopiesNoEntries(t *testing.T) {
	c := newClock()
	s := openOwnerSaves(t, tempPath(t), c)
	mustAdd(t, s, testID(1, 1), testID(1, 2))
	apply := func(desc string) {
		t.Helper()
		if _, err := s.Apply(&api.Result{Jobs: []api.JobStatus{status(testID(1, 1), 3, desc)}}, c.Advance(time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	p := s.PrepareSave()
	if p == nil {
		t.Fatal("nothing to save")
	}
	if unsafe.SliceData(p.base.entries) != unsafe.SliceData(s.entries) {
		t.Fatal("PrepareSave copied the entries")
	}
	held := p.base.entries[0]
	apply("x")
	copied := s.entries[0]
	if copied == held || held.Last.Description == "x" || p.base.entries[0] != held {
		t.Fatal("an edit during the save reached the save's base")
	}
	apply("y")
	if s.entries[0] != copied {
		t.Fatal("a second edit during the same save copied the entry again")
	}
	p2 := s.PrepareSave() // a second save holds the copy now (one in flight is allowed to finish late)
	apply("z")
	if s.entries[0] == copied || p2.base.entries[0] != copied || copied.Last.Description != "y" {
		t.Fatal("an edit reached the entry the second save holds")
	}
	if err := s.FinishSave(p.Run()); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishSave(p2.Run()); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Entry(testID(1, 1)); e.Last.Description != "z" || !s.Dirty() {
		t.Fatalf("after the saves: description %q, dirty %v; want the last edit kept and unsaved", e.Last.Description, s.Dirty())
	}
	mine := s.entries[0]
	apply("w")
	if s.entries[0] != mine || mine.Last.Description != "w" {
		t.Fatal("with no save running, an edit still copied the entry")
	}
}

// TestSaveRunsBesideEdits runs a save's disk step on another goroutine while
// the owner keeps editing, as the dashboard does; -race checks that they
// share nothing written.
func TestSaveRunsBesideEdits(t *testing.T) {
	c := newClock()
	s := openOwnerSaves(t, tempPath(t), c)
	for i := range 50 {
		mustAdd(t, s, testID(1, i))
	}
	for round := range 5 {
		p := s.PrepareSave()
		done := make(chan SaveResult, 1)
		go func() { done <- p.Run() }()
		for i := range 50 {
			id := testID(1, i)
			if _, err := s.Apply(&api.Result{Jobs: []api.JobStatus{status(id, 3, "page "+strconv.Itoa(round))}}, c.Advance(time.Second)); err != nil {
				t.Fatal(err)
			}
			if i%10 == 0 {
				if err := s.SetNote(id, "n"+strconv.Itoa(round)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := s.FinishSave(<-done); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	got := openAt(t, s.Path(), c).Entries()
	if g, w := encodeEntries(got, 0), encodeEntries(s.Entries(), 0); !bytes.Equal(g, w) {
		t.Fatalf("the file does not hold what memory holds after the last save:\n%s\nwant\n%s", g, w)
	}
}

// TestEntriesCopiesAreTheCallers: appending to a returned history must not
// write into the store's.
func TestEntriesCopiesAreTheCallers(t *testing.T) {
	c := newClock()
	s := openAt(t, "", c)
	mustAdd(t, s, testID(1, 1))
	for i, st := range []int{3, api.StatusSucceeded} {
		if _, err := s.Apply(&api.Result{Jobs: []api.JobStatus{status(testID(1, 1), st, "s"+strconv.Itoa(i))}}, c.Advance(time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	mine := s.Entries()[0]
	mine.History = append(mine.History, Transition{Description: "mine"})
	one, _ := s.Entry(testID(1, 1))
	one.History = append(one.History, Transition{Description: "one"})
	if _, err := s.Apply(&api.Result{Jobs: []api.JobStatus{status(testID(1, 1), api.StatusFailed, "again")}}, c.Advance(time.Second)); err != nil {
		t.Fatal(err)
	}
	if mine.History[len(mine.History)-1].Description != "mine" || one.History[len(one.History)-1].Description != "one" {
		t.Fatal("the store wrote into a caller's history")
	}
	e, _ := s.Entry(testID(1, 1))
	if last := e.History[len(e.History)-1]; last.Description != "again" {
		t.Fatalf("the store's history ends with %q", last.Description)
	}
}
