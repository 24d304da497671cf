package ui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// sortMode is the table order: as added or by one column. `s` cycles
// through them, `S` reverses, a click on a column's title picks it.
type sortMode int

const (
	sortAdded sortMode = iota
	sortState          // the two a support engineer wants most come first
	sortChanged
	sortID
	sortStatus
	sortDesc
	sortError
	sortNote
	sortModes
)

func (s sortMode) String() string {
	switch s {
	case sortID:
		return "by job ID"
	case sortState:
		return "by state"
	case sortStatus:
		return "by status"
	case sortDesc:
		return "by description"
	case sortError:
		return "by error"
	case sortNote:
		return "by note"
	case sortChanged:
		return "by last change"
	default:
		return "as added"
	}
}

// sortText is the order as the header and the toast say it.
func sortText(s sortMode, reverse bool) string {
	if reverse {
		return s.String() + ", reversed"
	}
	return s.String()
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

// rowIndex is the table's data: the store's entries (its View: read here on
// the UI goroutine only, between edits), what each row showed when last
// seen, the sorted order and the filtered view. They are re-derived only
// when the store's version moves, and then only for the rows that changed.
// Frames and key presses never touch the store.
type rowIndex struct {
	version uint64
	built   bool

	entries  watchlist.View // as added; the store's, read-only
	rowTally                // facts per entry, as of the last rebuild
	// factsShared: facts belong to every session of a shared list
	// (shared_rows.go) and must not be written.
	factsShared bool
	search      []string // lower-case filter key per entry; built on first filter
	order       []int32  // entries in sort order
	visible     []int32  // order narrowed by the filter
	spare       []int32  // the previous order's array, reused by the next merge

	sort    sortMode
	reverse bool   // the sort's order turned round, ties too
	query   string // lower-cased filter text
}

// rowTally is what a list's entries give apart from their order: each
// one's facts, and the counts the header shows.
type rowTally struct {
	facts  []rowFacts
	counts map[api.State]int
	stale  int
	noted  int // jobs with a note
	maxID  int // longest job ID, for the column width
}

// hasNotes reports whether some job has a note: the NOTE column is worth
// its room.
func (t *rowTally) hasNotes() bool { return t.noted > 0 }

// rowFacts is what the index derives from an entry. The store may change an
// entry in place, so a rebuild compares entries with these, not with older
// entries.
type rowFacts struct {
	id        api.JobID
	state     api.State // stateOf: counts, the state sort, the filter
	statusID  int
	desc      string
	err       api.WSError
	changedAt time.Time
	stale     bool
	noted     bool
	note      string
}

func factsOf(e *watchlist.Entry) rowFacts {
	return rowFacts{id: e.ID, state: stateOf(e), statusID: e.Last.StatusID, desc: e.Last.Description,
		err: e.Last.Error, changedAt: e.Last.ChangedAt, stale: e.Last.Stale, noted: e.Note != "", note: e.Note}
}

// sameSearch reports whether the filter key made from f is g's.
func (f *rowFacts) sameSearch(g *rowFacts) bool {
	return f.state == g.state && f.statusID == g.statusID && f.desc == g.desc && f.err == g.err &&
		f.note == g.note && f.stale == g.stale
}

// rebuild takes the store's entries again. When they are the same jobs in
// the same places (a poll answer, a note), it follows what changed: counts
// and filter keys of the changed rows, and only rows whose sort key moved
// are re-placed. Otherwise (jobs added, removed, reordered) it starts over.
func (ix *rowIndex) rebuild(next watchlist.View, version uint64) {
	ix.version = version
	if !ix.built || ix.factsShared || next.Len() != len(ix.facts) {
		ix.restart(next)
		return
	}
	var moved []int32
	for i := range next.Len() {
		old := &ix.facts[i]
		if next.ID(i) != old.id {
			ix.restart(next)
			return
		}
		e := next.Head(i)
		f := factsOf(&e)
		if f == *old {
			continue
		}
		ix.uncount(old)
		ix.count(&f)
		if ix.search != nil && !f.sameSearch(old) {
			ix.search[i] = string(appendSearchKey(nil, &f))
		}
		if ix.sortKeyMoved(old, &f) {
			moved = append(moved, int32(i))
		}
		*old = f
	}
	ix.entries = next
	if len(moved) > 0 {
		ix.reinsert(moved)
	}
	ix.applyFilter(ix.query, false)
}

// restart derives everything from scratch.
func (ix *rowIndex) restart(next watchlist.View) {
	ix.entries, ix.built, ix.search = next, true, nil
	if ix.factsShared { // another session's too: start an array of our own
		ix.facts, ix.factsShared = nil, false
	}
	ix.derive(next)
	ix.resort()
}

// derive fills the tally from every entry of v, reusing the facts array.
func (t *rowTally) derive(v watchlist.View) {
	if t.counts == nil {
		t.counts = make(map[api.State]int, 8)
	}
	clear(t.counts)
	t.stale, t.noted, t.maxID = 0, 0, 0
	n := v.Len()
	t.facts = slices.Grow(t.facts[:0], n)[:n]
	for i := range n {
		e := v.Head(i)
		t.facts[i] = factsOf(&e)
		t.maxID = max(t.maxID, len(e.ID))
		t.count(&t.facts[i])
	}
}

func (t *rowTally) count(f *rowFacts) {
	t.counts[f.state]++
	if f.stale {
		t.stale++
	}
	if f.noted {
		t.noted++
	}
}

func (t *rowTally) uncount(f *rowFacts) {
	if t.counts[f.state]--; t.counts[f.state] <= 0 {
		delete(t.counts, f.state)
	}
	if f.stale {
		t.stale--
	}
	if f.noted {
		t.noted--
	}
}

func stateOf(e *watchlist.Entry) api.State { return e.State() }

// compare is the table order: the sort mode's key, then the added order, so
// the order is total and rows never jump between equal keys. Reversed, all
// of it turns round.
func (ix *rowIndex) compare(a, b int32) int {
	c := ix.compareKey(&ix.facts[a], &ix.facts[b])
	if c == 0 {
		c = cmp.Compare(a, b)
	}
	if ix.reverse {
		return -c
	}
	return c
}

// compareKey compares two rows by the sort mode's key alone. States go
// failures first, changes newest first (zero times last), empty notes and
// errors last.
func (ix *rowIndex) compareKey(fa, fb *rowFacts) int {
	switch ix.sort {
	case sortID:
		return cmp.Compare(fa.id, fb.id)
	case sortState:
		return cmp.Compare(stateRank(fa.state), stateRank(fb.state))
	case sortStatus:
		return cmp.Compare(fa.statusID, fb.statusID)
	case sortDesc:
		return cmp.Compare(fa.desc, fb.desc)
	case sortError:
		return cmp.Or(cmp.Compare(lastIf(fa.err.IsZero()), lastIf(fb.err.IsZero())), cmp.Compare(fa.err.Code, fb.err.Code),
			cmp.Compare(fa.err.Message, fb.err.Message))
	case sortNote:
		return cmp.Or(cmp.Compare(lastIf(fa.note == ""), lastIf(fb.note == "")), cmp.Compare(fa.note, fb.note))
	case sortChanged:
		return fb.changedAt.Compare(fa.changedAt)
	}
	return 0
}

// lastIf ranks rows for which b holds after the others.
func lastIf(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sortKeyMoved reports whether a row that showed prev and now shows next
// can move.
func (ix *rowIndex) sortKeyMoved(prev, next *rowFacts) bool {
	return ix.sort != sortAdded && ix.sort != sortID && ix.compareKey(prev, next) != 0
}

// resort orders every entry by the sort mode.
func (ix *rowIndex) resort() {
	n := ix.entries.Len()
	if cap(ix.order) >= n {
		ix.order = ix.order[:n]
	} else {
		ix.order = make([]int32, n)
	}
	for i := range ix.order {
		ix.order[i] = int32(i)
	}
	if ix.sort != sortAdded || ix.reverse {
		slices.SortFunc(ix.order, ix.compare)
	}
	ix.applyFilter(ix.query, false)
}

// reinsert re-places the rows of moved (ascending entry positions) whose
// sort key changed: the others keep their relative order, so the new order
// is theirs merged with moved sorted, O(n + k log k) for k moved rows and
// the same as sorting everything again.
func (ix *rowIndex) reinsert(moved []int32) {
	n := len(ix.order)
	if cap(ix.spare) < n {
		ix.spare = make([]int32, n)
	}
	out := ix.spare[:0]
	slices.SortFunc(moved, ix.compare)
	isMoved := make([]bool, ix.entries.Len())
	for _, i := range moved {
		isMoved[i] = true
	}
	k := 0
	for _, i := range ix.order {
		if isMoved[i] {
			continue
		}
		for k < len(moved) && ix.compare(moved[k], i) < 0 {
			out = append(out, moved[k])
			k++
		}
		out = append(out, i)
	}
	out = append(out, moved[k:]...)
	ix.order, ix.spare = out, ix.order
}

// buildSearch lays every entry's filter key into one arena: one allocation
// for the lot, not two per row.
func (ix *rowIndex) buildSearch() {
	n := ix.entries.Len()
	size := 0
	for i := range ix.facts {
		f := &ix.facts[i]
		size += len(f.id) + len(f.desc) + len(f.err.Message) + len(f.note) + 40
	}
	// One string for all keys, written once: a Builder hands its bytes over
	// without the second copy that string([]byte) would make (5 MB at
	// 100,000 jobs).
	var arena strings.Builder
	arena.Grow(size)
	var key []byte
	bounds := make([]int, n+1)
	for i := range n {
		key = appendSearchKey(key[:0], &ix.facts[i])
		arena.Write(key)
		bounds[i+1] = arena.Len()
	}
	all := arena.String()
	ix.search = make([]string, n)
	for i := range ix.search {
		ix.search[i] = all[bounds[i]:bounds[i+1]]
	}
}

// appendSearchKey appends a row's filter key: what the row shows (ID, state,
// description, error, note, and "stale"), lower-cased, one field a line in
// the order of filter.go's field constants. Text is keyed as the filter line
// shows what is typed into it (api.SanitizeEditable), so a Thai vowel or an
// accent typed there matches the row that shows it.
func appendSearchKey(dst []byte, f *rowFacts) []byte {
	dst = appendLower(dst, api.SanitizeEditable(string(f.id)))
	dst = append(dst, '\n')
	dst = appendLower(dst, stateWord(f.state, f.statusID))
	dst = append(dst, '\n')
	dst = appendLower(dst, api.SanitizeEditable(f.desc))
	dst = append(dst, '\n')
	if !f.err.IsZero() {
		dst = strconv.AppendInt(dst, int64(f.err.Code), 10)
		dst = append(dst, ' ')
		dst = appendLower(dst, api.SanitizeEditable(f.err.Message))
	}
	dst = append(dst, '\n')
	dst = appendLower(dst, api.SanitizeEditable(f.note))
	dst = append(dst, '\n')
	if f.stale {
		dst = append(dst, "stale"...)
	}
	return dst
}

// appendLower appends s lower-cased; ASCII takes the fast path.
func appendLower(dst []byte, s string) []byte {
	start := len(dst)
	dst = append(dst, s...)
	for i, c := range dst[start:] {
		if c >= utf8.RuneSelf {
			return append(dst[:start+i], strings.ToLower(s[i:])...)
		}
		if 'A' <= c && c <= 'Z' {
			dst[start+i] = c + 'a' - 'A'
		}
	}
	return dst
}

// setFilter narrows the view to the rows that match q (see filter.go).
func (ix *rowIndex) setFilter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	// Typing more of one plain word only narrows: search the current view.
	narrowing := plainWord(ix.query) && plainWord(q) && strings.Contains(q, ix.query)
	ix.applyFilter(q, narrowing)
}

func (ix *rowIndex) applyFilter(q string, narrowing bool) {
	ix.query = q
	terms := parseFilter(q)
	if len(terms) == 0 {
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
		if matches(ix.search[i], terms) {
			out = append(out, i)
		}
	}
	ix.visible = out
}

func (ix *rowIndex) len() int { return len(ix.visible) }

// at is a copy of the entry shown at row i; id is its ID, without the copy.
func (ix *rowIndex) at(i int) watchlist.Entry { return ix.entries.At(int(ix.visible[i])) }

// head is at without the history: enough for a row.
func (ix *rowIndex) head(i int) watchlist.Entry { return ix.entries.Head(int(ix.visible[i])) }

func (ix *rowIndex) id(i int) api.JobID { return ix.entries.ID(int(ix.visible[i])) }

// find returns id's position in the view, or -1.
func (ix *rowIndex) find(id api.JobID) int {
	for pos, i := range ix.visible {
		if ix.entries.ID(int(i)) == id {
			return pos
		}
	}
	return -1
}

// total is the number of watched jobs, filtered or not.
func (ix *rowIndex) total() int { return ix.entries.Len() }

// listSummary is what the header shows about the rows.
type listSummary struct {
	succeeded, failed, processing, invalid int
	other                                  int // unknown, no answer, pending
	active                                 int // not final: polled each interval
	stale                                  int
	picked                                 int // rows picked with space
	shown, total                           int
	sort                                   sortMode
	reverse                                bool
	query                                  string
	loading                                bool // the list is still being read: no counts yet
}

func (ix *rowIndex) summary() listSummary {
	c := ix.counts
	other := c[api.StateUnknown] + c[api.StateNoAnswer] + c[watchlist.StatePending]
	return listSummary{
		succeeded: c[api.StateSucceeded], failed: c[api.StateFailed], processing: c[api.StateProcessing],
		invalid: c[api.StateInvalid], other: other, active: other + c[api.StateProcessing], stale: ix.stale,
		shown: ix.len(), total: ix.total(), sort: ix.sort, reverse: ix.reverse, query: ix.query,
	}
}
