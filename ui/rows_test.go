package ui

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/watchlist"
)

var rowStates = []api.State{
	watchlist.StatePending, api.StateFailed, api.StateInvalid, api.StateUnknown,
	api.StateNoAnswer, api.StateProcessing, api.StateSucceeded, "",
}

// randomEntry is an entry with few distinct sort keys, so ties are common.
func randomEntry(r *rand.Rand, id api.JobID) *watchlist.Entry {
	e := &watchlist.Entry{ID: id}
	mutateEntry(r, e)
	return e
}

func mutateEntry(r *rand.Rand, e *watchlist.Entry) {
	switch r.IntN(4) {
	case 0:
		e.Last.State = rowStates[r.IntN(len(rowStates))]
	case 1:
		e.Last.ChangedAt = randomTime(r)
	case 2: // nothing the order depends on
		e.Last.Description = []string{"Queued", "Sending page 2", "Line BUSY", ""}[r.IntN(4)]
		e.Last.Stale = r.IntN(2) == 0
		e.Note = []string{"", "", "ticket 7"}[r.IntN(3)]
	default:
		e.Last.State = rowStates[r.IntN(len(rowStates))]
		e.Last.ChangedAt = randomTime(r)
		e.Last.Error = api.WSError{Code: r.IntN(3), Message: "busy"}
	}
}

func randomTime(r *rand.Rand) time.Time {
	if r.IntN(5) == 0 {
		return time.Time{}
	}
	return t0.Add(time.Duration(r.IntN(6)) * time.Minute)
}

// fullIndex is what a from-scratch rebuild makes of entries.
func fullIndex(entries []*watchlist.Entry, sort sortMode, reverse bool, query string, search bool) *rowIndex {
	ix := &rowIndex{sort: sort, reverse: reverse}
	ix.rebuild(viewOf(entries), 1)
	if search {
		ix.buildSearch()
	}
	ix.setFilter(query)
	return ix
}

// TestRowIndexIncrementalMatchesFullSort follows random polls, edits and
// list changes under every sort mode and filter, and checks that the index
// kept up to date piece by piece equals one rebuilt from scratch: order
// (a full stable sort), view, counts, filter keys.
func TestRowIndexIncrementalMatchesFullSort(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 3))
	for round := range 300 {
		sort := sortMode(round % int(sortModes))
		reverse := round/int(sortModes)%2 == 1
		query := []string{"", "", "busy", "failed", "br0", "note:a -state:failed", "-stale"}[r.IntN(7)]
		n := r.IntN(200)
		if round%50 == 0 {
			n = 0
		}
		entries := make([]*watchlist.Entry, n)
		for i := range entries {
			entries[i] = randomEntry(r, api.JobID("br"+pad7(round*1000+i)+"h00001x"))
		}
		ix := &rowIndex{sort: sort, reverse: reverse}
		ix.rebuild(viewOf(entries), 1)
		ix.setFilter(query)
		for step := range 12 {
			entries = nextSnapshot(r, entries, round, step)
			ix.rebuild(viewOf(entries), uint64(step+2))
			want := fullIndex(entries, sort, reverse, query, ix.search != nil)
			where := func() string { return sortText(sort, reverse) + " query " + query }
			if !slices.Equal(ix.order, want.order) {
				t.Fatalf("round %d step %d (%s): order %v, full sort %v", round, step, where(), ix.order, want.order)
			}
			if !slices.Equal(ix.visible, want.visible) {
				t.Fatalf("round %d step %d (%s): view %v, want %v", round, step, where(), ix.visible, want.visible)
			}
			if !maps.Equal(ix.counts, want.counts) || ix.stale != want.stale || ix.hasNotes() != want.hasNotes() || ix.maxID != want.maxID {
				t.Fatalf("round %d step %d: counts %v stale %d notes %v maxID %d, want %v %d %v %d", round, step,
					ix.counts, ix.stale, ix.hasNotes(), ix.maxID, want.counts, want.stale, want.hasNotes(), want.maxID)
			}
			if ix.search != nil && !slices.Equal(ix.search, want.search) {
				t.Fatalf("round %d step %d: filter keys differ from a fresh build", round, step)
			}
		}
	}
}

// viewOf is the store's View of entries as they are now.
func viewOf(entries []*watchlist.Entry) watchlist.View {
	out := make([]watchlist.Entry, len(entries))
	for i, e := range entries {
		out[i] = *e
	}
	return watchlist.ViewOf(out)
}

// nextSnapshot is the store's next View: mostly a poll (k of n changed, k
// from none to all, edited in place or replaced by copies); now and then a
// job is added or removed, which the index must notice.
func nextSnapshot(r *rand.Rand, prev []*watchlist.Entry, round, step int) []*watchlist.Entry {
	next := slices.Clone(prev)
	switch {
	case step == 5 && len(next) > 0:
		i := r.IntN(len(next))
		return slices.Delete(next, i, i+1)
	case step == 9:
		return append(next, randomEntry(r, api.JobID("br"+pad7(round*1000+900+step)+"h00002x")))
	}
	k := 0
	if len(next) > 0 {
		k = []int{0, 1, 3, len(next) / 3, len(next)}[r.IntN(5)]
	}
	inPlace := r.IntN(2) == 0 // the store edits in place when no save holds the entry
	for range k {
		i := r.IntN(len(next))
		if inPlace {
			mutateEntry(r, next[i])
			continue
		}
		e := *next[i]
		mutateEntry(r, &e)
		next[i] = &e
	}
	return next
}

// TestPollReorderKeepsSelectionAndFilter: a poll that moves rows under the
// state sort keeps the selection on its job and the filter applied.
func TestPollReorderKeepsSelectionAndFilter(t *testing.T) {
	ids := jobIDs(12)
	h := newHarness(t, Options{}, ids...)
	for _, id := range ids {
		h.src.set(status(id, api.StatusProcessing, "Sending page 1", 0, ""))
	}
	h.start()
	h.key("s") // by state
	h.key("/")
	h.typeText("h00001x")
	h.key("enter")
	target := ids[7]
	for h.selectedID() != target {
		h.key("j")
	}
	// Jobs before and after the target fail or finish: they move around it.
	h.src.set(status(ids[2], api.StatusFailed, "Fax failed", 2008, "Line busy"),
		status(ids[9], api.StatusFailed, "Fax failed", 2008, "Line busy"),
		status(ids[7], api.StatusSucceeded, "Job completed", 0, ""))
	h.key("r")
	if got := h.selectedID(); got != target {
		t.Fatalf("selection moved to %s, want %s", got, target)
	}
	want := []api.JobID{ids[2], ids[9], ids[0], ids[1], ids[3], ids[4], ids[5], ids[6], ids[8], ids[10], ids[11], ids[7]}
	if got := h.visibleIDs(); !slices.Equal(got, want) {
		t.Fatalf("rows after the poll:\n got %v\nwant %v", got, want)
	}
	h.key("esc") // clears the filter
	h.key("/")
	h.typeText("busy")
	h.key("enter")
	if got := h.visibleIDs(); !slices.Equal(got, []api.JobID{ids[2], ids[9]}) {
		t.Fatalf("filter busy shows %v", got)
	}
	h.src.set(status(ids[9], api.StatusProcessing, "Sending page 2", 0, ""))
	h.key("R") // ids[9] is final: only a full refresh asks about it
	if got := h.visibleIDs(); !slices.Equal(got, []api.JobID{ids[2]}) {
		t.Fatalf("after ids[9] recovered, filter busy shows %v", got)
	}
}

// appendLower lower-cases what it appends and nothing before it, ASCII in
// place and the rest of the text, from the first non-ASCII byte, by
// strings.ToLower.
func TestAppendLower(t *testing.T) {
	for _, tc := range []struct{ prefix, s, want string }{
		{"", "", ""},
		{"Kept ", "BR0012345H00001X", "Kept br0012345h00001x"},
		{"", "Sending Page 2", "sending page 2"},
		{"x", "ÉTAT Échec", "xétat échec"},
		{"", "Line BUSY — RÉESSAI", "line busy — réessai"},
		{"", "İSTANBUL", strings.ToLower("İSTANBUL")},
	} {
		if got := string(appendLower([]byte(tc.prefix), tc.s)); got != tc.want {
			t.Errorf("appendLower(%q, %q) = %q, want %q", tc.prefix, tc.s, got, tc.want)
		}
	}
}
