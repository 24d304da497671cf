package ui

import (
	"testing"
	"unsafe"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// staticShared is a shared list that never changes: enough to open
// sessions on it.
type staticShared struct{ st *SharedState }

func (s staticShared) State() *SharedState { return s.st }
func (staticShared) Add(string, []api.JobID) ([]api.JobID, []api.JobID, error) {
	return nil, nil, nil
}
func (staticShared) Remove(string, ...api.JobID) ([]api.JobID, error) { return nil, nil }
func (staticShared) Undo(string) ([]api.JobID, error)                 { return nil, nil }
func (staticShared) SetNote(string, api.JobID, string) error          { return nil }
func (staticShared) Refresh(string, bool) string                      { return "" }

// Sessions on one shared list read one array of row facts, and each keeps
// its own order: one sorting by state changes nothing for the other.
func TestSessionsShareRowFacts(t *testing.T) {
	clock := newClock()
	store, _, err := watchlist.Open(watchlist.Options{Now: clock.Now, OwnerSaves: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := []api.JobID{"br0012345h00001x", "br0012345h00002x", "br0012345h00003x"}
	if _, _, err := store.Add(ids...); err != nil {
		t.Fatal(err)
	}
	res := &api.Result{Return: true, Jobs: []api.JobStatus{
		status(ids[0], 1, "Job completed", 0, ""), status(ids[1], 3, "Sending", 0, ""), status(ids[2], 2, "Failed", 4001, "Line busy"),
	}}
	if _, err := store.Apply(res, clock.Now()); err != nil {
		t.Fatal(err)
	}
	st := &SharedState{List: watchlist.ViewOfSnapshot(store.Snapshot()), Version: store.Version()}
	st.KeepRows(nil)
	open := func(user string) *Model {
		return harnessOn(t, Options{Shared: staticShared{st}, User: user}, clock, store).m
	}
	alice, bob := open("alice"), open("bob")
	if len(alice.table.ix.facts) != 3 || unsafe.SliceData(alice.table.ix.facts) != unsafe.SliceData(bob.table.ix.facts) {
		t.Fatal("two sessions on one list hold a copy of its row facts each")
	}
	press(bob, "s") // bob sorts by state: failures first
	if got := alice.table.ix.id(0); got != ids[0] {
		t.Fatalf("alice's first row is %s after bob sorted; want %s, as added", got, ids[0])
	}
	if got := bob.table.ix.id(0); got != ids[2] {
		t.Fatalf("bob's first row is %s after sorting by state; want the failed %s", got, ids[2])
	}

	// A state published again for the same version keeps the facts; a new
	// version gets its own.
	same := &SharedState{List: st.List, Version: st.Version}
	same.KeepRows(st)
	next := &SharedState{List: st.List, Version: st.Version + 1}
	next.KeepRows(st)
	if same.rows != st.rows || next.rows == st.rows {
		t.Fatal("KeepRows: the same version must keep the facts, a new one must not")
	}
}
