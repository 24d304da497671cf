package ui

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/ui/style"
	"faxwatch/watchlist"
)

type colID int

const (
	colJob colID = iota
	colState
	colStatus
	colDesc
	colError
	colNote
	colChanged
)

type column struct {
	id    colID
	title string
	width int
	right bool
}

const markerWidth = 3 // "▶•␠": selection, changed/stale, gap

// rowKey is everything a rendered row depends on; equal keys reuse the
// cached string, so a frame costs string compares, not rendering.
type rowKey struct {
	layout, styles int
	selected       bool
	picked         bool
	mark           byte
	state          api.State
	statusID       int
	desc, note     string
	errCode        int
	errMsg         string
	rel            string
}

type cachedRow struct {
	key rowKey
	out string
}

// tableModel renders the visible window of the row index itself: the
// bubbles table loses the selection highlight on coloured cells.
type tableModel struct {
	c  *common
	ix rowIndex // the table's own: nothing else holds it

	width, height  int
	cursor, offset int
	selected       api.JobID
	loading        bool // the list is still being read (load.go)

	cols       []column
	gap        string
	blank      string // an empty line of the table's width
	layout     int    // bumps on every column layout change
	idWidthFor int    // the longest ID the layout was made for
	notesFor   bool   // whether the layout made room for notes

	marks map[api.JobID]time.Time // rows changed by the last poll, until when
	cache map[api.JobID]cachedRow

	reveal []api.JobID            // to bring into view once the rows show them
	picked map[api.JobID]struct{} // picked with space (picks.go)

	// serviceTime: the method answers delivered_at, so the last column can
	// say when a job was delivered, not only when faxwatch saw it change.
	serviceTime bool
}

func newTable(c *common, method api.Method) tableModel {
	t := tableModel{c: c, marks: map[api.JobID]time.Time{}, cache: map[api.JobID]cachedRow{}, picked: map[api.JobID]struct{}{},
		serviceTime: method == api.MethodGetRealTimeFaxStatusEx || method == api.MethodGetRealTimeFaxStatusEx2}
	t.ix.sort = sortAdded
	return t
}

// SetSize sets the table's outer size (header line included).
func (t *tableModel) SetSize(w, h int) {
	if t.idWidthFor != t.ix.maxID || t.notesFor != t.ix.hasNotes() {
		t.cols = nil // the data's shape changed: lay the columns out again
	}
	if w == t.width && h == t.height && t.cols != nil {
		return
	}
	t.width, t.height = w, h
	t.blank = strings.Repeat(" ", w)
	t.relayout()
	t.clampOffset()
}

// colSpec is a column with how it may grow: fixed ones keep their width,
// flexible ones share what is left by weight, between min and max.
type colSpec struct {
	column
	min, max, weight int
	flex             bool
}

// relayout picks columns and widths for the current width; low-priority
// columns go first on narrow terminals.
func (t *tableModel) relayout() {
	t.layout++
	t.gap = " "
	if t.width >= 120 {
		t.gap = "  "
	}
	t.idWidthFor, t.notesFor = t.ix.maxID, t.ix.hasNotes()
	avail := t.width - markerWidth
	all := t.fitColumns(t.columnSpecs(), avail)
	t.cols = t.cols[:0]
	for _, s := range all {
		t.cols = append(t.cols, s.column)
	}
}

// columnSpecs is every column the data calls for, in screen order.
func (t *tableModel) columnSpecs() []colSpec {
	idW := min(max(17, t.ix.maxID), 28)
	all := []colSpec{
		{column: column{id: colJob, title: "JOB ID", width: idW}},
		{column: column{id: colState, title: "STATE", width: 14}},
		{column: column{id: colStatus, title: "STATUS", width: 6, right: true}},
		{column: column{id: colDesc, title: "DESCRIPTION"}, min: 12, max: 1 << 20, weight: 5, flex: true},
		{column: column{id: colError, title: "ERROR"}, min: 12, max: 48, weight: 3, flex: true},
		{column: column{id: colNote, title: "NOTE"}, min: 8, max: 30, weight: 2, flex: true},
		{column: column{id: colChanged, title: t.changedTitle(), width: 8, right: true}},
	}
	if !t.ix.hasNotes() {
		all = deleteWhere(all, func(s colSpec) bool { return s.id == colNote })
	}
	return all
}

// need is the width specs take at their minimum, gaps included.
func (t *tableModel) need(specs []colSpec) int {
	n := len(t.gap) * (len(specs) - 1)
	for _, s := range specs {
		if s.flex {
			n += s.min
		} else {
			n += s.width
		}
	}
	return n
}

// dropOrder is which columns give way first on narrow terminals; the job
// ID never does: it is what a row is about.
var dropOrder = []colID{colNote, colStatus, colError, colChanged, colDesc, colState}

// descComfort is the description width below which the numeric STATUS
// column goes first: "Sending page 2 of 5" must keep its progress.
const descComfort = 19

// fitColumns drops columns until the rest fit avail (then shrinks the ID
// column), and gives the flexible ones the room left.
func (t *tableModel) fitColumns(all []colSpec, avail int) []colSpec {
	for _, drop := range dropOrder {
		if t.need(all) <= avail {
			break
		}
		all = deleteWhere(all, func(s colSpec) bool { return s.id == drop })
	}
	if over := t.need(all) - avail; over > 0 { // very narrow: shrink the ID column
		for i := range all {
			if all[i].id == colJob {
				all[i].width = max(6, all[i].width-over)
			}
		}
	}
	all = t.spread(all, avail)
	for _, s := range all {
		if s.id == colDesc && s.width < descComfort && slices.ContainsFunc(all, func(s colSpec) bool { return s.id == colStatus }) {
			return t.fitColumns(deleteWhere(all, func(s colSpec) bool { return s.id == colStatus }), avail)
		}
	}
	return all
}

// spread gives the flexible columns the room left, by weight, and what the
// caps leave to the description (or, without one, to the state).
func (t *tableModel) spread(all []colSpec, avail int) []colSpec {
	free := avail - t.need(all)
	totalWeight := 0
	for _, s := range all {
		totalWeight += s.weight
	}
	used := len(t.gap) * (len(all) - 1)
	for i := range all {
		if all[i].flex {
			extra := 0
			if totalWeight > 0 && free > 0 {
				extra = free * all[i].weight / totalWeight
			}
			all[i].width = min(all[i].min+extra, all[i].max)
		}
		used += all[i].width
	}
	if used >= avail {
		return all
	}
	heir := slices.IndexFunc(all, func(s colSpec) bool { return s.id == colDesc })
	if heir < 0 {
		heir = slices.IndexFunc(all, func(s colSpec) bool { return s.id == colState })
	}
	if heir >= 0 {
		all[heir].width += avail - used
	}
	return all
}

func deleteWhere[T any](s []T, del func(T) bool) []T {
	out := s[:0]
	for _, v := range s {
		if !del(v) {
			out = append(out, v)
		}
	}
	return out
}

func (t *tableModel) rowsHeight() int { return max(0, t.height-1) }

// syncSelection keeps the selection on the same job ID after the rows
// changed; if that job is gone, the row now at the cursor is selected.
func (t *tableModel) syncSelection() {
	n := t.ix.len()
	if n == 0 {
		t.cursor, t.offset = 0, 0
		return
	}
	if t.selected != "" {
		if t.cursor < n && t.ix.id(t.cursor) == t.selected {
			t.clampOffset()
			return
		}
		if pos := t.ix.find(t.selected); pos >= 0 {
			t.cursor = pos
			t.clampOffset()
			return
		}
	}
	t.cursor = min(max(t.cursor, 0), n-1)
	t.selected = t.ix.id(t.cursor)
	t.clampOffset()
}

func (t *tableModel) clampOffset() {
	h := t.rowsHeight()
	n := t.ix.len()
	if h <= 0 || n == 0 {
		t.offset = 0
		return
	}
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+h {
		t.offset = t.cursor - h + 1
	}
	t.offset = min(t.offset, max(0, n-h))
	t.offset = max(t.offset, 0)
}

func (t *tableModel) moveTo(pos int) {
	n := t.ix.len()
	if n == 0 {
		return
	}
	t.cursor = min(max(pos, 0), n-1)
	t.selected = t.ix.id(t.cursor)
	t.clampOffset()
}

// Selected is a copy of the selected entry, if any.
func (t *tableModel) Selected() (watchlist.Entry, bool) {
	if t.ix.len() == 0 || t.cursor >= t.ix.len() {
		return watchlist.Entry{}, false
	}
	return t.ix.at(t.cursor), true
}

// Select puts the selection on id once the rows show it.
func (t *tableModel) Select(id api.JobID) { t.selected = id }

// Rebuild takes the store's entries when its version moved; cheap otherwise.
// shared, for a faxwatch serve session, holds the row facts every session
// reads; nil derives them here. Rows asked for by Reveal are brought into
// view here, once they exist.
func (t *tableModel) Rebuild(v watchlist.View, version uint64, shared *sharedRows) {
	if !t.ix.built || version != t.ix.version {
		if shared != nil {
			t.ix.followShared(v, version, shared.build(v))
		} else {
			t.ix.rebuild(v, version)
		}
		t.syncSelection()
		t.prunePicks()
	}
	if len(t.reveal) > 0 {
		t.showRows(t.reveal)
		t.reveal = nil
	}
}

// SetLoading says whether the list is still being read, for the empty
// table's text.
func (t *tableModel) SetLoading(on bool) { t.loading = on }

// Invalidate makes the next Rebuild read the list whatever its version:
// another store took its place.
func (t *tableModel) Invalidate() { t.ix.built = false }

// Reveal selects the topmost of ids and scrolls so that as many of them as
// fit are in view, at the next Rebuild: a paste must not land out of sight.
func (t *tableModel) Reveal(ids []api.JobID) { t.reveal = slices.Clone(ids) }

// showRows selects the topmost row of ids on screen and moves the window
// the least that shows them all, or, when they span more than a window,
// puts the first at the top. A filter that hides every one of them is
// cleared.
func (t *tableModel) showRows(ids []api.JobID) {
	first, last := t.span(ids)
	if first < 0 && t.ix.query != "" {
		t.SetFilter("")
		first, last = t.span(ids)
	}
	if first < 0 {
		return
	}
	t.cursor, t.selected = first, t.ix.id(first)
	h := t.rowsHeight()
	switch {
	case h <= 0:
	case last-first+1 > h || first < t.offset:
		t.offset = first
	case last >= t.offset+h:
		t.offset = last - h + 1
	}
	t.clampOffset()
}

// span is the first and last row positions of ids in view order; -1, -1
// when none is shown.
func (t *tableModel) span(ids []api.JobID) (first, last int) {
	want := make(map[api.JobID]struct{}, len(ids))
	for _, id := range ids {
		want[id] = struct{}{}
	}
	first, last = -1, -1
	for pos := range t.ix.len() {
		if _, ok := want[t.ix.id(pos)]; ok {
			if first < 0 {
				first = pos
			}
			last = pos
		}
	}
	return first, last
}

// Version is the store version the rows were built from.
func (t *tableModel) Version() uint64 { return t.ix.version }

// SetFilter narrows the rows to those matching q; "" shows all.
func (t *tableModel) SetFilter(q string) {
	t.ix.setFilter(q)
	t.syncSelection()
}

// Query is the filter in force, lower-cased.
func (t *tableModel) Query() string { return t.ix.query }

// Len is the number of rows shown.
func (t *tableModel) Len() int { return t.ix.len() }

// CycleSort moves to the next sort order and says which it is.
func (t *tableModel) CycleSort() string {
	t.ix.sort = (t.ix.sort + 1) % sortModes
	t.resort()
	return sortText(t.ix.sort, t.ix.reverse)
}

// ReverseSort turns the order round and says which it is.
func (t *tableModel) ReverseSort() string {
	t.ix.reverse = !t.ix.reverse
	t.resort()
	return sortText(t.ix.sort, t.ix.reverse)
}

// SortBy sorts by a column, or reverses when it is the sort already (a
// click on a column's title).
func (t *tableModel) SortBy(mode sortMode) string {
	if t.ix.sort == mode {
		return t.ReverseSort()
	}
	t.ix.sort, t.ix.reverse = mode, false
	t.resort()
	return sortText(t.ix.sort, t.ix.reverse)
}

func (t *tableModel) resort() {
	t.ix.resort()
	t.syncSelection()
}

// Mark flags the rows of ids as just changed until the given time; the
// previous poll's marks go.
func (t *tableModel) Mark(ids []api.JobID, until time.Time) {
	clear(t.marks)
	for _, id := range ids {
		t.marks[id] = until
	}
}

// Summary is what the header reports about the rows, as a value.
func (t *tableModel) Summary() listSummary {
	s := t.ix.summary()
	s.picked, s.loading = len(t.picked), t.loading
	return s
}

// Update moves the selection.
func (t *tableModel) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	keys := t.c.keys
	page := max(1, t.rowsHeight()-1)
	switch {
	case key.Matches(k, keys.Up):
		t.moveTo(t.cursor - 1)
	case key.Matches(k, keys.Down):
		t.moveTo(t.cursor + 1)
	case key.Matches(k, keys.PageUp):
		t.moveTo(t.cursor - page)
	case key.Matches(k, keys.PageDown):
		t.moveTo(t.cursor + page)
	case key.Matches(k, keys.Top):
		t.moveTo(0)
	case key.Matches(k, keys.Bottom):
		t.moveTo(t.ix.len() - 1)
	}
	return nil
}

// View renders the header line and the visible rows, exactly height lines;
// it keeps the visible rows' rendering for the next frame.
func (t *tableModel) View() string {
	var b strings.Builder
	t.writeHeader(&b)
	h := t.rowsHeight()
	n := t.ix.len()
	if n == 0 {
		msg := "No jobs watched yet. Paste job IDs anywhere, or press a to add some."
		if t.loading {
			msg = "Loading the watchlist…"
		} else if t.ix.query != "" {
			msg = "No watched job matches “" + clean(t.ix.query) + "”. esc clears the filter."
		}
		for i := 0; i < h; i++ {
			b.WriteByte('\n')
			if i == 1 {
				b.WriteString(t.c.styles.dimPaint.wrap(fit("   "+msg, t.width)))
			} else {
				b.WriteString(t.blank)
			}
		}
		return b.String()
	}
	now := t.c.now()
	end := min(n, t.offset+h)
	if len(t.cache) > 4*h+256 {
		clear(t.cache) // only the visible window is worth keeping
	}
	for pos := t.offset; pos < end; pos++ {
		b.WriteByte('\n')
		e := t.ix.head(pos)
		b.WriteString(t.row(&e, pos == t.cursor, now))
	}
	for i := end - t.offset; i < h; i++ {
		b.WriteByte('\n')
		b.WriteString(t.blank)
	}
	return b.String()
}

// columnSort is the order a click on a column's title asks for.
var columnSort = map[colID]sortMode{
	colJob: sortID, colState: sortState, colStatus: sortStatus, colDesc: sortDesc,
	colError: sortError, colNote: sortNote, colChanged: sortChanged,
}

// SortAt is the sort of the column whose title covers screen column x.
func (t *tableModel) SortAt(x int) (sortMode, bool) {
	left := markerWidth
	for _, c := range t.cols {
		if x >= left && x < left+c.width+len(t.gap) {
			mode, ok := columnSort[c.id]
			return mode, ok
		}
		left += c.width + len(t.gap)
	}
	return 0, false
}

// changedTitle names the last column for what it shows: when faxwatch saw
// the change (SEEN), unless the method tells when a job was delivered.
func (t *tableModel) changedTitle() string {
	if t.serviceTime {
		return "CHANGED"
	}
	return "SEEN"
}

// changedAt is the service's delivery time when the method gives one and
// the job has it; otherwise when faxwatch saw the last change. A time
// ahead of ours (the server's clock) reads as now.
func (t *tableModel) changedAt(e *watchlist.Entry, now time.Time) time.Time {
	if t.serviceTime && e.Last.Details != nil && e.Last.Details.DeliveredAt != "" {
		if at, err := time.Parse(time.RFC3339, e.Last.Details.DeliveredAt); err == nil {
			if at.After(now) {
				return now
			}
			return at
		}
	}
	return e.Last.ChangedAt
}

func (t *tableModel) writeHeader(b *strings.Builder) {
	var line strings.Builder
	line.WriteString(strings.Repeat(" ", markerWidth))
	for i, c := range t.cols {
		if i > 0 {
			line.WriteString(t.gap)
		}
		if c.right {
			line.WriteString(fitRight(c.title, c.width))
		} else {
			line.WriteString(fit(c.title, c.width))
		}
	}
	b.WriteString(t.c.styles.headerPaint.wrap(fit(line.String(), t.width)))
}

func (t *tableModel) mark(e *watchlist.Entry, now time.Time) byte {
	if e.Last.Stale {
		return '~'
	}
	if until, ok := t.marks[e.ID]; ok && now.Before(until) {
		return '*'
	}
	return ' '
}

// row renders one entry, from the cache when nothing it shows has changed.
func (t *tableModel) row(e *watchlist.Entry, selected bool, now time.Time) string {
	k := rowKey{
		layout: t.layout, styles: t.c.styleGen, selected: selected, picked: t.isPicked(e.ID), mark: t.mark(e, now),
		state: stateOf(e), statusID: e.Last.StatusID, desc: e.Last.Description, note: e.Note,
		errCode: e.Last.Error.Code, errMsg: e.Last.Error.Message, rel: style.RelTime(now, t.changedAt(e, now)),
	}
	if c, ok := t.cache[e.ID]; ok && c.key == k {
		return c.out
	}
	out := t.renderRow(e, k)
	t.cache[e.ID] = cachedRow{key: k, out: out}
	return out
}

func (t *tableModel) renderRow(e *watchlist.Entry, k rowKey) string {
	st := t.c.styles
	var b strings.Builder
	b.Grow(t.width + 64)
	markGlyph := " "
	switch k.mark {
	case '~':
		markGlyph = st.StaleMark.Glyph
	case '*':
		markGlyph = st.ChangedMark.Glyph
	}
	base := paint{}
	if k.mark == '~' {
		base = st.dimPaint
	}
	cells := make([]string, 0, len(t.cols))
	for _, c := range t.cols {
		cells = append(cells, t.cellText(e, k, c))
	}
	if k.selected {
		return t.selectedRow(cells, markGlyph, k.picked)
	}
	if k.picked {
		b.WriteString(st.markPaint.wrap(st.PickedMark.Glyph))
	} else {
		b.WriteByte(' ')
	}
	if k.mark == '*' {
		b.WriteString(st.markPaint.wrap(markGlyph))
	} else {
		b.WriteString(base.wrap(markGlyph))
	}
	b.WriteByte(' ')
	used := markerWidth
	for i, c := range t.cols {
		if i > 0 {
			b.WriteString(t.gap)
			used += len(t.gap)
		}
		p := base
		if c.id == colState {
			p = st.stateP(k.state)
		}
		b.WriteString(p.wrap(cells[i]))
		used += c.width
	}
	if used < t.width {
		b.WriteString(strings.Repeat(" ", t.width-used))
	}
	return b.String()
}

// selectedRow is plain text in reverse video: it survives NO_COLOR and
// coloured cells. A pick mark sits beside the highlight, the first column
// holding ▶.
func (t *tableModel) selectedRow(cells []string, markGlyph string, picked bool) string {
	st := t.c.styles
	var plain strings.Builder
	for i, cell := range cells {
		if i > 0 {
			plain.WriteString(t.gap)
		}
		plain.WriteString(cell)
	}
	line := fit(plain.String(), t.width-markerWidth)
	gap := " "
	if picked {
		gap = st.PickedMark.Glyph
	}
	return st.SelectedMark.Glyph + markGlyph + gap + st.selectedPaint.wrap(line)
}

func (t *tableModel) cellText(e *watchlist.Entry, k rowKey, c column) string {
	var s string
	switch c.id {
	case colJob:
		s = clean(string(e.ID))
	case colState:
		s = style.Glyph(k.state) + " " + stateWord(k.state, k.statusID)
	case colStatus:
		if k.state != watchlist.StatePending && k.state != api.StateNoAnswer {
			s = itoa(k.statusID)
		}
	case colDesc:
		s = clean(k.desc)
	case colError:
		if k.errCode != 0 || k.errMsg != "" {
			s = clean(itoa(k.errCode) + " " + k.errMsg)
		}
	case colNote:
		s = clean(k.note)
	case colChanged:
		s = k.rel
	}
	if c.right {
		return fitRight(s, c.width)
	}
	return fit(s, c.width)
}
