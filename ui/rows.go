package ui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// sortMode is the table order; `s` cycles through them.
type sortMode int

const (
	sortAdded sortMode = iota
	sortState
	sortChanged
	sortModes
)

func (s sortMode) String() string {
	switch s {
	case sortState:
		return "by state"
	case sortChanged:
		return "by last change"
	default:
		return "as added"
	}
}

// stateRank puts failures first for sortState.
func stateRank(st api.State) int {
	switch st {
	case api.StateFailed:
		return 0
	case api.StateInvalid:
		return 1
	case api.StateUnknown:
		return 2
	case api.StateNoAnswer:
		return 3
	case api.StateProcessing:
		return 4
	case api.StateSucceeded:
		return 6
	default: // pending
		return 5
	}
}

// rowIndex is the table's data: a snapshot of the store's entries taken only
// when the store's version moves, the sorted order and the filtered view.
// Frames and key presses never touch the store.
type rowIndex struct {
	version uint64
	built   bool

	entries []watchlist.Entry // as added
	search  []string          // lower-case filter key per entry; built on first filter
	order   []int32           // entries in sort order
	visible []int32           // order narrowed by the filter

	sort  sortMode
	query string // lower-cased filter text

	counts map[api.State]int
	stale  int
	maxID  int  // longest job ID, for the column width
	notes  bool // some job has a note: the NOTE column is worth its room
}

// rebuild takes a fresh snapshot and re-derives order and view.
func (ix *rowIndex) rebuild(entries []watchlist.Entry, version uint64) {
	ix.entries, ix.version, ix.built, ix.search = entries, version, true, nil
	if ix.counts == nil {
		ix.counts = make(map[api.State]int, 8)
	}
	clear(ix.counts)
	ix.stale, ix.maxID, ix.notes = 0, 0, false
	for i := range entries {
		ix.notes = ix.notes || entries[i].Note != ""
		ix.maxID = max(ix.maxID, len(entries[i].ID))
		ix.counts[stateOf(&entries[i])]++
		if entries[i].Last.Stale {
			ix.stale++
		}
	}
	ix.resort()
}

func stateOf(e *watchlist.Entry) api.State {
	if e.Last.State == "" {
		return watchlist.StatePending
	}
	return e.Last.State
}

// resort orders entries by the sort mode; ties keep the added order, so the
// order is total and rows never jump between equal keys.
func (ix *rowIndex) resort() {
	n := len(ix.entries)
	if cap(ix.order) >= n {
		ix.order = ix.order[:n]
	} else {
		ix.order = make([]int32, n)
	}
	for i := range ix.order {
		ix.order[i] = int32(i)
	}
	es := ix.entries
	switch ix.sort {
	case sortState:
		slices.SortFunc(ix.order, func(a, b int32) int {
			return cmp.Or(cmp.Compare(stateRank(stateOf(&es[a])), stateRank(stateOf(&es[b]))), cmp.Compare(a, b))
		})
	case sortChanged:
		slices.SortFunc(ix.order, func(a, b int32) int {
			ta, tb := es[a].Last.ChangedAt, es[b].Last.ChangedAt
			if c := tb.Compare(ta); c != 0 { // newest first; zero times sort last
				return c
			}
			return cmp.Compare(a, b)
		})
	}
	ix.applyFilter(ix.query, false)
}

// buildSearch lays every entry's filter key (ID, state, description, error;
// lower-cased) into one arena: one allocation for the lot, not two per row.
func (ix *rowIndex) buildSearch() {
	size := 0
	for i := range ix.entries {
		e := &ix.entries[i]
		size += len(e.ID) + len(e.Last.Description) + len(e.Last.Error.Message) + 32
	}
	arena := make([]byte, 0, size)
	bounds := make([]int, len(ix.entries)+1)
	for i := range ix.entries {
		e := &ix.entries[i]
		arena = appendLower(arena, string(e.ID))
		arena = append(arena, '\n')
		arena = appendLower(arena, stateWord(stateOf(e), e.Last.StatusID))
		arena = append(arena, '\n')
		arena = appendLower(arena, e.Last.Description)
		arena = append(arena, '\n')
		if !e.Last.Error.IsZero() {
			arena = strconv.AppendInt(arena, int64(e.Last.Error.Code), 10)
			arena = append(arena, ' ')
			arena = appendLower(arena, e.Last.Error.Message)
		}
		bounds[i+1] = len(arena)
	}
	all := string(arena)
	ix.search = make([]string, len(ix.entries))
	for i := range ix.search {
		ix.search[i] = all[bounds[i]:bounds[i+1]]
	}
}

// appendLower appends s lower-cased; ASCII takes the fast path.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return append(dst, strings.ToLower(s[i:])...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// setFilter narrows the view to rows whose key contains q (case-insensitive).
func (ix *rowIndex) setFilter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	// Typing more only narrows: search within the current view.
	narrowing := ix.query != "" && strings.Contains(q, ix.query)
	ix.applyFilter(q, narrowing)
}

func (ix *rowIndex) applyFilter(q string, narrowing bool) {
	ix.query = q
	if q == "" {
		ix.visible = ix.order
		return
	}
	if ix.search == nil {
		ix.buildSearch()
	}
	from := ix.order
	if narrowing {
		from = ix.visible
	}
	out := make([]int32, 0, min(len(from), 1024))
	for _, i := range from {
		if strings.Contains(ix.search[i], q) {
			out = append(out, i)
		}
	}
	ix.visible = out
}

func (ix *rowIndex) len() int { return len(ix.visible) }

func (ix *rowIndex) at(i int) *watchlist.Entry { return &ix.entries[ix.visible[i]] }

// find returns id's position in the view, or -1.
func (ix *rowIndex) find(id api.JobID) int {
	for pos, i := range ix.visible {
		if ix.entries[i].ID == id {
			return pos
		}
	}
	return -1
}

// total is the number of watched jobs, filtered or not.
func (ix *rowIndex) total() int { return len(ix.entries) }
