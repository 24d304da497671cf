package ui

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
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

// A session of a shared list follows each new version incrementally (only
// changed rows re-keyed, only moved rows re-placed) and ends with the order,
// filter and counts a fresh start on that version gives.
func TestSharedSessionFollowsVersionsAsAFreshStartWould(t *testing.T) {
	clock := newClock()
	store, _, err := watchlist.Open(watchlist.Options{Now: clock.Now, OwnerSaves: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := jobIDs(60)
	if _, _, err := store.Add(ids...); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	kinds := []struct {
		statusID int
		desc     string
		code     int
		msg      string
	}{
		{api.StatusProcessing, "Sending page 1", 0, ""}, {api.StatusProcessing, "Sending page 2", 0, ""},
		{api.StatusFailed, "Fax failed", 2008, "Line busy"}, {api.StatusSucceeded, "Job completed", 0, ""},
	}
	for _, sort := range []sortMode{sortAdded, sortState, sortDesc, sortError, sortNote, sortChanged} {
		for _, query := range []string{"", "busy", "-state:failed", "note:acme"} {
			follower := rowIndex{sort: sort, reverse: rng.IntN(2) == 0, query: query}
			for round := range 12 {
				var res api.Result
				res.Return = true
				for _, id := range ids {
					if rng.IntN(4) == 0 {
						k := kinds[rng.IntN(len(kinds))]
						res.Jobs = append(res.Jobs, status(id, k.statusID, k.desc, k.code, k.msg))
					}
				}
				clock.Advance(time.Minute)
				if _, err := store.Apply(&res, clock.Now()); err != nil {
					t.Fatal(err)
				}
				if err := store.SetNote(ids[rng.IntN(len(ids))], []string{"", "ACME ticket", "other"}[rng.IntN(3)]); err != nil {
					t.Fatal(err)
				}
				v := watchlist.ViewOfSnapshot(store.Snapshot())
				shared := (&sharedRows{}).build(v)
				follower.followShared(v, store.Version(), shared)
				fresh := rowIndex{sort: follower.sort, reverse: follower.reverse, query: query}
				fresh.restartShared(v, store.Version(), shared)
				if !slices.Equal(follower.order, fresh.order) || !slices.Equal(follower.visible, fresh.visible) ||
					!maps.Equal(follower.counts, fresh.counts) || follower.hasNotes() != fresh.hasNotes() {
					t.Fatalf("sort %d reverse %v /%s, round %d: followed\n order %v visible %v counts %v\nfresh\n order %v visible %v counts %v",
						sort, follower.reverse, query, round, follower.order, follower.visible, follower.counts,
						fresh.order, fresh.visible, fresh.counts)
				}
				if query != "" && round > 0 && follower.search == nil {
					t.Fatalf("sort %d /%s, round %d: the session started over instead of following the change", sort, query, round)
				}
			}
		}
	}
}
