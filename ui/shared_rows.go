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

// followShared is rebuild for a session of a shared list: when the new
// version holds the same jobs in the same places (a poll answer, a note), it
// compares the previous version's facts with the new ones, re-keys the
// changed rows for the filter and re-places only rows whose sort key moved.
// Neither array is written: every session reads them.
func (ix *rowIndex) followShared(next watchlist.View, version uint64, r *sharedRows) {
	prev := ix.facts
	if !ix.built || !ix.factsShared || len(prev) != len(r.facts) {
		ix.restartShared(next, version, r)
		return
	}
	var moved []int32
	for i := range r.facts {
		old, f := &prev[i], &r.facts[i]
		if old.id != f.id {
			ix.restartShared(next, version, r)
			return
		}
		if *f == *old {
			continue
		}
		if ix.search != nil && !f.sameSearch(old) {
			ix.search[i] = string(appendSearchKey(nil, f))
		}
		if ix.sortKeyMoved(old, f) {
			moved = append(moved, int32(i))
		}
	}
	ix.version, ix.entries = version, next
	ix.takeShared(r)
	if len(moved) > 0 {
		ix.reinsert(moved)
	}
	ix.applyFilter(ix.query, false)
}

// restartShared is restart from facts every session shares: they are never
// written here (rebuild and restart leave them to a fresh array).
func (ix *rowIndex) restartShared(next watchlist.View, version uint64, r *sharedRows) {
	ix.version = version
	ix.entries, ix.built, ix.search = next, true, nil
	ix.takeShared(r)
	ix.resort()
}

// takeShared reads r's facts and counts as this session's.
func (ix *rowIndex) takeShared(r *sharedRows) {
	ix.rowTally, ix.factsShared = r.rowTally, true
	ix.counts = maps.Clone(r.counts) // derive clears and refills its own in place
}
