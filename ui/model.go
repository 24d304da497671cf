package ui

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"faxwatch/api"
	"faxwatch/ui/alert"
	"faxwatch/watchlist"
)

// StatusSource is what the dashboard polls; *api.Client satisfies it, tests
// pass a fake.
type StatusSource interface {
	Status(ctx context.Context, ids []api.JobID) (*api.Result, error)
}

// Options is what main hands the dashboard.
type Options struct {
	Source   StatusSource
	Store    *watchlist.Store
	Host     string // endpoint host for the header
	UserID   string
	AuthMode string        // "oauth2" | "token" | "pin"
	Method   api.Method    // which fields the detail pane shows
	Interval time.Duration // watch.interval (floor 5s)
	Theme    string        // "auto" | "dark" | "light"
	Notify   alert.Config
	Demo     bool             // show a DEMO marker in the header
	Warnings []string         // start-up warnings shown as toasts
	Now      func() time.Time // nil: time.Now
	Logger   *slog.Logger     // nil: discard; never write to the terminal
}

// wideDetail is the width from which the detail pane sits beside the table,
// paneGap apart: a right-aligned last column must not touch the pane's rule.
const (
	wideDetail = 140
	paneGap    = " "
)

// Model is the root of the dashboard; it implements tea.Model.
type Model struct {
	opts  Options
	src   StatusSource
	store *watchlist.Store
	log   *slog.Logger
	now   func() time.Time

	c         *common
	keys      KeyMap
	themeAuto bool

	width, height int

	ix     rowIndex
	table  tableModel
	header headerModel
	detail detailModel
	input  inputModel
	status statusModel
	help   help.Model

	showHelp, showDetail bool
	noteFor              api.JobID

	// Refresh machinery.
	ctx           context.Context
	stop          context.CancelFunc
	poll          pollState
	gen           uint64
	cancelPoll    context.CancelFunc
	pollKind      pollKind
	pollIDs       []api.JobID
	tickSeq       int
	queued        []api.JobID
	queuedRefresh bool
	queuedFull    bool
	lastReloadErr string
	lastSaveErr   string
	disk          diskState // the watchlist's save or reload in flight
	alerts        notifyState
	exit          exitState // what the quit path could not save
	// after schedules a timer message; tea.Tick, replaced in tests.
	after func(time.Duration, func(time.Time) tea.Msg) tea.Cmd

	// Counters for tests and logs.
	polls, dropped, bells int
}

// New builds the dashboard. Zero options take safe defaults.
func New(opts Options) *Model {
	m := &Model{opts: opts, src: opts.Source, store: opts.Store, log: opts.Logger, now: opts.Now}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.store == nil { // main always passes one; never crash without it
		m.store, _, _ = watchlist.Open(watchlist.Options{Now: m.now})
	}
	m.store.SetDeferSaves(true) // saves run in commands: see persist.go
	m.after = tea.Tick
	m.ctx, m.stop = context.WithCancel(context.Background())
	m.poll.interval = opts.Interval
	if m.poll.interval <= 0 {
		m.poll.interval = DefaultInterval
	}
	m.poll.interval = min(max(m.poll.interval, MinInterval), maxInterval)

	dark := true
	switch strings.ToLower(opts.Theme) {
	case "light":
		dark = false
	case "dark":
	default:
		m.themeAuto = true
	}
	m.keys = DefaultKeyMap()
	m.c = &common{styles: NewStyles(dark), keys: &m.keys, now: m.now}
	m.ix.sort = sortAdded
	m.table = newTable(m.c, &m.ix)
	m.header = newHeader(m.c, &opts, &m.poll, &m.ix)
	m.alerts = newNotifyState(opts.Notify, m.now())
	m.header.alerts = &m.alerts
	m.detail = newDetail(m.c, opts.Method)
	m.input = newInput(m.c)
	m.status = statusModel{c: m.c}
	m.help = help.New()
	m.applyStyles()
	m.warn(opts.Warnings)
	m.sync()
	return m
}

// warn shows warnings as toasts, each in its turn: the start-up ones and
// those the store gathers later (a corrupt file moved aside on a reload).
func (m *Model) warn(warnings []string) {
	for _, w := range warnings {
		m.log.Warn("warning", "text", w)
		m.status.push(w, true, warningFor)
	}
}

// Init asks for the background colour, polls at once and starts the clock.
func (m *Model) Init() tea.Cmd {
	seq := m.tickSeq // read here: the command runs on another goroutine
	cmds := []tea.Cmd{m.clockTick(), func() tea.Msg { return tickMsg{seq: seq} }}
	if m.themeAuto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

func (m *Model) applyStyles() {
	st := m.c.styles
	m.c.styleGen++
	m.help.Styles = st.Help
	m.header.spinner.Style = st.Accent
	m.input.applyStyles()
}

// Update routes a message, then brings rows, layout and keys up to date.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if save := m.saveIfDirty(); save != nil {
		cmd = tea.Batch(cmd, save)
	}
	m.warn(m.store.TakeWarnings()) // whatever Reload, Save or Apply noticed
	m.sync()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return nil
	case tea.BackgroundColorMsg:
		if m.themeAuto {
			m.c.styles = NewStyles(msg.IsDark())
			m.applyStyles()
		}
		return nil
	case tickMsg:
		return m.onTick(msg)
	case clockMsg:
		m.status, _ = m.status.Update(msg)
		return m.clockTick()
	case pollResultMsg:
		return m.onPollResult(msg)
	case pollTimeoutMsg:
		return m.onPollTimeout(msg)
	case saveDoneMsg:
		return m.onSaveDone(msg)
	case reloadDoneMsg:
		return m.onReloadDone(msg)
	case commandDoneMsg:
		return m.onCommandDone(msg)
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.header, cmd = m.header.Update(msg)
		return cmd
	case tea.PasteMsg:
		if m.input.Open() {
			return m.updateInput(msg)
		}
		if len(msg.Content) > maxAddText {
			m.status.push("paste too large (over 64 KiB); add that many jobs with: faxwatch watch add", true, toastFor)
			return nil
		}
		return m.addFromText(msg.Content)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case ShutdownMsg:
		return m.onShutdown(msg)
	}
	return nil
}

func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	keys := &m.keys
	if k.String() == "ctrl+c" {
		return m.quit()
	}
	if m.input.Open() {
		switch {
		case key.Matches(k, keys.Confirm):
			return m.confirmInput()
		case key.Matches(k, keys.Cancel):
			m.cancelInput()
			return nil
		}
		return m.updateInput(k)
	}
	switch {
	case key.Matches(k, keys.Quit):
		return m.quit()
	case key.Matches(k, keys.Help):
		m.showHelp = !m.showHelp
		return nil
	case key.Matches(k, keys.Back):
		m.back()
		return nil
	}
	if m.showHelp {
		return nil // the overlay covers the table; only ?, esc and q act
	}
	switch {
	case key.Matches(k, keys.Detail):
		m.showDetail = !m.showDetail
	case key.Matches(k, keys.Filter):
		return m.input.open(inputFilter, m.ix.query)
	case key.Matches(k, keys.Add):
		return m.input.open(inputAdd, "")
	case key.Matches(k, keys.Note):
		if e, ok := m.table.Selected(); ok {
			m.noteFor = e.ID
			return m.input.open(inputNote, e.Note)
		}
	case key.Matches(k, keys.Remove):
		m.removeSelected()
	case key.Matches(k, keys.Undo):
		m.undoRemove()
	case key.Matches(k, keys.Refresh):
		return m.refresh(false)
	case key.Matches(k, keys.FullRefresh):
		return m.refresh(true)
	case key.Matches(k, keys.Pause):
		return m.togglePause()
	case key.Matches(k, keys.Slower):
		return m.changeInterval(intervalStep)
	case key.Matches(k, keys.Faster):
		return m.changeInterval(-intervalStep)
	case key.Matches(k, keys.Mute):
		m.toggleMute()
	case key.Matches(k, keys.Sort):
		m.ix.sort = (m.ix.sort + 1) % sortModes
		m.ix.resort()
		m.table.syncSelection()
		m.status.push("sort: "+m.ix.sort.String(), false, toastFor)
	case key.Matches(k, keys.Copy):
		if e, ok := m.table.Selected(); ok {
			m.status.push("copied "+string(e.ID), false, toastFor)
			return tea.SetClipboard(string(e.ID))
		}
	case key.Matches(k, keys.DetailScrollDown, keys.DetailScrollUp):
		var cmd tea.Cmd
		m.detail, cmd = m.detail.Update(k)
		return cmd
	case m.detailCoversTable():
		// The pane replaces the table: the arrows scroll it.
		switch {
		case key.Matches(k, keys.Up):
			m.detail.scroll(-1)
		case key.Matches(k, keys.Down):
			m.detail.scroll(1)
		case key.Matches(k, keys.PageUp):
			m.detail.scroll(-m.detail.height / 2)
		case key.Matches(k, keys.PageDown):
			m.detail.scroll(m.detail.height / 2)
		}
	default:
		var cmd tea.Cmd
		m.table, cmd = m.table.Update(k)
		return cmd
	}
	return nil
}

// back is esc outside an input: it closes the innermost thing open.
func (m *Model) back() {
	switch {
	case m.showHelp:
		m.showHelp = false
	case m.showDetail:
		m.showDetail = false
	case m.ix.query != "":
		m.setFilter("")
	}
}

func (m *Model) quit() tea.Cmd {
	if m.cancelPoll != nil {
		m.cancelPoll() // a hanging poll must not hold the exit
	}
	m.stop()
	m.flushSave()
	return tea.Quit
}

func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.mode == inputFilter {
		m.setFilter(m.input.Value())
	}
	return cmd
}

func (m *Model) setFilter(q string) {
	m.ix.setFilter(q)
	m.table.syncSelection()
}

func (m *Model) confirmInput() tea.Cmd {
	mode, value := m.input.mode, m.input.Value()
	m.input.close()
	switch mode {
	case inputAdd:
		return m.addFromText(value)
	case inputNote:
		if err := m.store.SetNote(m.noteFor, strings.TrimSpace(value)); err != nil {
			m.status.push("could not save the note: "+oneLine(err), true, toastFor)
		} else {
			m.status.push("note saved for "+string(m.noteFor), false, toastFor)
		}
	case inputFilter:
		m.setFilter(value) // kept until esc
	}
	return nil
}

func (m *Model) cancelInput() {
	if m.input.mode == inputFilter {
		m.setFilter("")
	}
	m.input.close()
}

// addFromText adds every job ID found in text, says what happened, and polls
// the new ones at once (or right after the poll in flight).
func (m *Model) addFromText(text string) tea.Cmd {
	ids, rejected := api.ParseJobIDs(text)
	if len(ids) == 0 {
		msg := "no job ID found"
		if len(rejected) > 0 {
			msg += ": skipped " + rejectedList(rejected)
		}
		m.status.push(msg, true, toastFor)
		return nil
	}
	added, dups, err := m.store.Add(ids...)
	if err != nil {
		m.status.push("could not add: "+oneLine(err), true, warningFor)
	}
	parts := []string{"added " + itoa(len(added))}
	if len(dups) > 0 {
		parts = append(parts, itoa(len(dups))+" already watched")
		if len(added) == 0 {
			parts[0] = "nothing new"
		}
	}
	if len(rejected) > 0 {
		parts = append(parts, "skipped "+itoa(len(rejected))+" not a job ID: "+rejectedList(rejected))
	}
	m.status.push(strings.Join(parts, ", "), false, toastFor)
	if len(added) == 0 {
		return nil
	}
	if m.poll.inFlight {
		m.queued = append(m.queued, added...)
		return nil
	}
	return m.startPoll(added, pollAdded)
}

// rejectedList quotes a few rejected tokens, sanitised and shortened, each
// with its reason when it holds a hidden or foreign character.
func rejectedList(tokens []api.Rejected) string {
	const show = 3
	out := make([]string, 0, show)
	for _, t := range tokens[:min(len(tokens), show)] {
		s := truncate(clean(t.Token), 24)
		if t.Reason != "" {
			s += " (" + t.Reason + ")"
		}
		out = append(out, s)
	}
	s := strings.Join(out, " ")
	if len(tokens) > show {
		s += " …"
	}
	return s
}

func (m *Model) removeSelected() {
	e, ok := m.table.Selected()
	if !ok {
		return
	}
	id := e.ID
	removed, err := m.store.Remove(id)
	if err != nil {
		m.status.push("could not remove: "+oneLine(err), true, toastFor)
	}
	if len(removed) > 0 {
		m.status.push("removed "+string(id)+" · u to undo", false, toastFor)
	}
}

func (m *Model) undoRemove() {
	restored, err := m.store.UndoRemove()
	if err != nil {
		m.status.push("could not undo: "+oneLine(err), true, toastFor)
		return
	}
	if len(restored) == 0 {
		m.status.push("nothing to undo", false, toastFor)
		return
	}
	m.table.selected = restored[0]
	m.status.push("restored "+string(restored[0]), false, toastFor)
}

func (m *Model) detailCoversTable() bool { return m.showDetail && m.width < wideDetail }

// sync brings rows, selection, layout, detail and keys up to date. It is
// cheap when nothing changed: rows are rebuilt only when the store's version
// moved.
func (m *Model) sync() {
	if v := m.store.Version(); !m.ix.built || v != m.ix.version {
		m.ix.rebuild(m.store.View(), v) // read-only, never copied
		m.table.syncSelection()
	}
	m.layout()
	if m.showDetail {
		if e, ok := m.table.Selected(); ok {
			m.detail.SetEntry(e, m.ix.version)
		} else {
			m.showDetail = false
		}
	}
	m.keys.apply(keyContext{
		inputOpen:  m.input.Open(),
		helpOpen:   m.showHelp,
		hasRows:    m.ix.len() > 0,
		detailOpen: m.showDetail,
		backable:   m.showHelp || m.showDetail || m.ix.query != "",
	})
}

// layout sizes the components for the window.
func (m *Model) layout() {
	w := max(m.width, 20)
	m.header.SetSize(w)
	m.status.SetSize(w)
	m.input.SetSize(w)
	m.help.SetWidth(w)
	body := m.bodyHeight()
	tw := w
	if m.showDetail && w >= wideDetail {
		dw := min(max(w*2/5, 56), 90)
		tw = w - dw
		m.detail.SetSize(dw-len(paneGap), body)
	} else if m.showDetail {
		m.detail.SetSize(w, body)
	}
	if m.table.idWidthFor != m.ix.maxID || m.table.notesFor != m.ix.notes {
		m.table.cols = nil // the data's shape changed: lay the columns out again
	}
	m.table.SetSize(tw, body)
}

// bodyHeight is what is left for the table: header, a rule, the status line
// and the help line take the rest.
func (m *Model) bodyHeight() int {
	return max(2, max(m.height, 8)-m.header.Height()-3)
}

// View draws the whole screen. Cost depends on the visible rows only.
func (m *Model) View() tea.View {
	var b strings.Builder
	w := max(m.width, 20)
	b.WriteString(m.header.View())
	b.WriteByte('\n')
	b.WriteString(m.c.styles.Rule.Render(strings.Repeat("─", w)))
	b.WriteByte('\n')
	switch {
	case m.showHelp:
		b.WriteString(m.helpView(w, m.bodyHeight()))
	case m.detailCoversTable():
		b.WriteString(m.detail.View())
	case m.showDetail:
		tl := strings.Split(m.table.View(), "\n")
		dl := strings.Split(m.detail.View(), "\n")
		for i := range tl {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(tl[i])
			b.WriteString(paneGap)
			if i < len(dl) {
				b.WriteString(dl[i])
			}
		}
	default:
		b.WriteString(m.table.View())
	}
	b.WriteByte('\n')
	if m.input.Open() {
		b.WriteString(m.input.View())
	} else {
		b.WriteString(m.status.View())
	}
	b.WriteByte('\n')
	short := m.keys.ShortHelp()
	if m.detailCoversTable() && !m.input.Open() {
		scroll := m.keys.Down
		scroll.SetHelp("↑/↓", "scroll")
		closeDetail := m.keys.Detail
		closeDetail.SetHelp("enter/esc", "close")
		short = []key.Binding{scroll, closeDetail, m.keys.Note, m.keys.Copy, m.keys.Help, m.keys.Quit}
	}
	if m.showHelp {
		closeHelp := m.keys.Help
		closeHelp.SetHelp("?/esc", "close help")
		short = []key.Binding{closeHelp, m.keys.Quit}
	}
	b.WriteString(padLine(fitShortHelp(m.help, short, w), w))
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.WindowTitle = "faxwatch" // never built from server data
	return v
}

// helpView is the `?` overlay: full help generated from the KeyMap, its
// columns regrouped until they fit the width.
func (m *Model) helpView(w, h int) string {
	// Measure untruncated: at its width the help model cuts columns off
	// behind a "…", which would pass for a fit.
	hm := m.help
	hm.SetWidth(0)
	groups := m.keys.FullHelp()
	full := hm.FullHelpView(groups)
	for cols := len(groups) - 1; cols >= 1 && lipgloss.Width(full) > w-6; cols-- {
		full = hm.FullHelpView(regroup(groups, cols))
	}
	box := m.c.styles.HelpBox.Render(m.c.styles.Section.Render("Keys") + "\n\n" + full)
	lines := strings.Split(box, "\n")
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = padLine(" "+lines[i], w)
		} else {
			out[i] = padLine("", w)
		}
	}
	return strings.Join(out, "\n")
}

// regroup spreads the enabled bindings of groups over n columns.
func regroup(groups [][]key.Binding, n int) [][]key.Binding {
	var all []key.Binding
	for _, g := range groups {
		for _, b := range g {
			if b.Enabled() {
				all = append(all, b)
			}
		}
	}
	per := (len(all) + n - 1) / n
	out := make([][]key.Binding, 0, n)
	for len(all) > 0 {
		k := min(per, len(all))
		out = append(out, all[:k])
		all = all[k:]
	}
	return out
}
