package ui

import (
	"maps"
	"sync"

	"faxwatch/watchlist"
)

// sharedRows are the row facts of one version of a shared list (faxwatch
// serve): built once, by the first session that needs them, and read by
// every session, which keeps only its own order and filter. At 10,000 jobs
// that is about 1.2 MB a session not spent (README: Performance).
type sharedRows struct {
	once     sync.Once
	rowTally // read only once built
}

func (r *sharedRows) build(v watchlist.View) *sharedRows {
	r.once.Do(func() { r.derive(v) })
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
	ix.rowTally, ix.factsShared = r.rowTally, true
	ix.counts = maps.Clone(r.counts) // derive clears and refills its own in place
	ix.notes = ix.noted > 0
	ix.resort()
}
