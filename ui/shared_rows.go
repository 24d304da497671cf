package ui

import (
	"maps"
	"sync"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// sharedRows are the row facts of one version of a shared list (faxwatch
// serve): built once, by the first session that needs them, and read by
// every session, which keeps only its own order and filter. At 10,000 jobs
// that is about 1.2 MB a session not spent (README: Performance).
type sharedRows struct {
	once   sync.Once
	facts  []rowFacts // read only once built
	counts map[api.State]int
	stale  int
	noted  int
	maxID  int
}

func (r *sharedRows) build(v watchlist.View) *sharedRows {
	r.once.Do(func() {
		n := v.Len()
		r.facts = make([]rowFacts, n)
		r.counts = make(map[api.State]int, 8)
		for i := range n {
			e := v.Head(i)
			f := factsOf(&e)
			r.facts[i] = f
			r.counts[f.state]++
			if f.stale {
				r.stale++
			}
			if f.noted {
				r.noted++
			}
			r.maxID = max(r.maxID, len(e.ID))
		}
	})
	return r
}

// KeepRows prepares st's row facts for the sessions, taking prev's when
// both hold the same version of the list (a state published because someone
// joined, say), so that no two sessions hold a copy each.
func (st *SharedState) KeepRows(prev *SharedState) {
	if prev != nil && prev.rows != nil && prev.Version == st.Version {
		st.rows = prev.rows
		return
	}
	st.rows = &sharedRows{}
}

// restartShared is restart from facts every session shares: they are never
// written here (rebuild and restart leave them to a fresh array).
func (ix *rowIndex) restartShared(next watchlist.View, version uint64, r *sharedRows) {
	ix.version = version
	ix.entries, ix.built, ix.search = next, true, nil
	ix.facts, ix.factsShared = r.facts, true
	ix.counts = maps.Clone(r.counts)
	ix.stale, ix.noted, ix.maxID = r.stale, r.noted, r.maxID
	ix.notes = ix.noted > 0
	ix.resort()
}
