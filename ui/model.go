package ui

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

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
	Source StatusSource
	// Store is the watchlist, opened with watchlist.Options.OwnerSaves: the
	// dashboard saves in commands, off its goroutine (see persist.go).
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
	// Shared, when set, is the list and poller this dashboard shows without
	// owning them (faxwatch serve); Store and Source are then unused. User
	// is who edits, ReadOnly why the change keys do nothing ("" lets them).
	Shared   Shared
	User     string
	ReadOnly string
	// After schedules a timer message (the refresh timer, a poll's deadline,
	// the clock); nil: tea.Tick. Tests pass one they fire themselves.
	After func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Load, when set, opens the watchlist after the first frame (load.go);
	// Store is then unused.
	Load LoadFunc
}

// wideDetail is the width from which the detail pane sits beside the table,
// paneGap apart: a right-aligned last column must not touch the pane's rule.
const (
	wideDetail = 140
	paneGap    = " "
)

// Model is the root of the dashboard; it implements tea.Model. It routes
// messages to the poller, the components and the key handler of the mode on
// screen, and owns the store.
type Model struct {
	opts   Options
	store  *watchlist.Store
	poller *Poller
	log    *slog.Logger
	now    func() time.Time
	after  func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	ctx    context.Context // ends at quit: the notify command stops with it
	stop   context.CancelFunc

	c         *common
	keys      KeyMap
	themeAuto bool

	width, height int

	table       tableModel
	header      headerModel
	detail      detailModel
	input       inputModel
	status      statusModel
	help        help.Model // the footer line
	helpOverlay helpModel

	showHelp, showDetail bool
	noteFor              api.JobID
	held                 keyHold // table keys waiting to be read as keys or a paste

	disk          diskState // the watchlist's save or reload in flight
	lastReloadErr string
	lastSaveErr   string
	alerts        notifyState
	exit          exitState // what the quit path could not save
	seen          sharedSeen
	load          loadState
	lastFrame     string // View's last content, handed back while unchanged
}

// New builds the dashboard. Zero options take safe defaults.
func New(opts Options) *Model {
	m := &Model{opts: opts, store: opts.Store, log: opts.Logger, now: opts.Now, after: opts.After}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.after == nil {
		m.after = tea.Tick
	}
	m.ctx, m.stop = context.WithCancel(context.Background())
	m.load.loading = opts.Load != nil && opts.Shared == nil
	if m.store == nil || m.load.loading { // memory only: a placeholder never writes the file
		m.store, _, _ = watchlist.Open(watchlist.Options{Now: m.now, OwnerSaves: true})
	}
	if !m.store.OwnerSaves() {
		m.log.Warn("the watchlist saves on every edit: open it with OwnerSaves so edits do not block the screen")
	}
	m.poller = NewPoller(PollerOptions{
		Source: opts.Source, Interval: opts.Interval, Now: m.now, Logger: m.log, After: m.after,
		Due: func(full bool) []api.JobID { return m.store.Due(m.now(), full) },
	})
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
	m.table = newTable(m.c, opts.Method)
	m.table.SetLoading(m.load.loading)
	m.header = newHeader(m.c, &opts)
	m.alerts = newNotifyState(opts.Notify, m.now())
	m.detail = newDetail(m.c, opts.Method)
	m.input = newInput(m.c)
	m.status = statusModel{c: m.c}
	m.help = help.New()
	m.helpOverlay = newHelpModel(m.c)
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
	if m.opts.Shared != nil {
		return m.sharedInit()
	}
	cmds := []tea.Cmd{m.clockTick()}
	if m.load.loading {
		cmds = append(cmds, m.loadCmd()) // the poll starts once the list is there
	} else {
		cmds = append(cmds, m.poller.Init())
	}
	if m.themeAuto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

func (m *Model) applyStyles() {
	st := m.c.styles
	m.c.styleGen++
	m.help.Styles = st.Help
	m.helpOverlay.applyStyles()
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
	m.sayRemovedElsewhere(m.store.TakeRemovedElsewhere())
	if spin := m.sync(); spin != nil {
		cmd = tea.Batch(cmd, spin)
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	if m.opts.Shared != nil {
		if cmd, ok := m.sharedUpdate(msg); ok {
			return cmd
		}
	}
	if cmd, held := m.holdWhileLoading(msg); held {
		return cmd
	}
	switch msg := msg.(type) {
	case loadedMsg:
		return m.onLoaded(msg)
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		if m.themeAuto {
			m.c.styles = NewStyles(msg.IsDark())
			m.applyStyles()
		}
	case tickMsg, pollResultMsg, pollTimeoutMsg:
		return m.onPollerMsg(msg)
	case clockMsg:
		m.status.Update(msg)
		return m.clockTick()
	case saveDoneMsg:
		return m.onSaveDone(msg)
	case reloadDoneMsg:
		return m.onReloadDone(msg)
	case commandDoneMsg:
		return m.onCommandDone(msg)
	case spinner.TickMsg:
		return m.header.Update(msg)
	case tea.PasteMsg:
		return m.onPaste(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return m.onMouse(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case holdMsg:
		return m.onHold(msg)
	case ShutdownMsg:
		return m.onShutdown(msg)
	}
	return nil
}

// clockMsg repaints the "updated Ns ago" text and expires toasts once a
// second.
type clockMsg struct{}

func (m *Model) clockTick() tea.Cmd {
	return m.after(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
}

func (m *Model) quit() tea.Cmd {
	m.poller.Stop()
	m.stop()
	m.flushSave()
	return tea.Quit
}

func (m *Model) detailCoversTable() bool { return m.showDetail && m.width < wideDetail }

// sync brings rows, selection, layout, detail, header and keys up to date.
// It is cheap when nothing changed: rows are rebuilt only when the store's
// version moved. It returns the header's spinner tick when a poll started.
func (m *Model) sync() tea.Cmd {
	m.table.Rebuild(m.listView())
	spin := m.header.SetData(m.pollStatus(), m.table.Summary(), m.alerts.marks())
	m.layout()
	if m.showDetail {
		if e, ok := m.table.Selected(); ok {
			m.detail.SetEntry(e, m.table.Version())
		} else {
			m.showDetail = false
		}
	}
	m.keys.apply(keyContext{
		inputOpen:  m.input.Open(),
		helpOpen:   m.showHelp,
		hasRows:    m.table.Len() > 0,
		detailOpen: m.showDetail,
		backable:   m.showHelp || m.showDetail || m.table.Query() != "" || m.table.Summary().picked > 0,
	})
	return spin
}

// layout sizes the components for the window.
func (m *Model) layout() {
	w := max(m.width, 20)
	m.header.SetSize(w, 0)
	m.status.SetSize(w, 1)
	m.input.SetSize(w, 1)
	m.help.SetWidth(w)
	body := m.bodyHeight()
	m.helpOverlay.SetSize(w, body)
	tw := w
	if m.showDetail && w >= wideDetail {
		dw := min(max(w*2/5, 56), 90)
		tw = w - dw
		m.detail.SetSize(dw-len(paneGap), body)
	} else if m.showDetail {
		m.detail.SetSize(w, body)
	}
	m.table.SetSize(tw, body)
}

// bodyHeight is what is left for the table: header, a rule, the status line
// and the help line take the rest.
func (m *Model) bodyHeight() int {
	return max(2, max(m.height, 8)-m.header.Height()-3)
}
