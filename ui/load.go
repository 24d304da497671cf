package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"faxwatch/watchlist"
)

// A long watchlist (100,000 jobs, 40 MB) takes a noticeable moment to read.
// With Options.Load the first frame does not wait for it: the dashboard
// opens on an empty, memory-only list that says it is loading, reads the
// file off the UI goroutine, then swaps the list in and polls. A paste made
// meanwhile waits and is added once the list is there; other keys are not
// acted on blind (a warning counts them, and any pastes beyond the 64
// held); ctrl+c and q quit at once, and a quit before the list arrives
// writes nothing.

// LoadFunc opens the watchlist for the dashboard (watchlist.Open with
// OwnerSaves); warnings are Open's.
type LoadFunc func() (store *watchlist.Store, warnings []string, err error)

// loadedMsg carries Load's result to Update.
type loadedMsg struct {
	store    *watchlist.Store
	warnings []string
	err      error
}

// maxHeldWhileLoading bounds the pastes that wait for the list.
const maxHeldWhileLoading = 64

// loadState is the load in progress, if any.
type loadState struct {
	loading bool
	pastes  []tea.PasteMsg // made before the list arrived
	dropped int            // pastes beyond maxHeldWhileLoading
	ignored int            // keys pressed before the list arrived
	err     error          // why the list could not be opened; the dashboard quit
}

func (m *Model) loadCmd() tea.Cmd {
	load := m.opts.Load
	return func() tea.Msg {
		store, warnings, err := load()
		return loadedMsg{store: store, warnings: warnings, err: err}
	}
}

// LoadErr is why the watchlist could not be opened, once the dashboard has
// quit for it; nil otherwise.
func (m *Model) LoadErr() error { return m.load.err }

// Store is the watchlist the dashboard shows: the loaded one once Load has
// answered. The caller may use it only after the program has ended.
func (m *Model) Store() *watchlist.Store { return m.store }

// holdWhileLoading keeps input for when the list is there. ok is false when
// msg is not held (not loading, or a key that quits).
func (m *Model) holdWhileLoading(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	if !m.load.loading {
		return nil, false
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.Quit) {
			return m.quit(), true
		}
		m.load.ignored++
	case tea.PasteMsg:
		if len(m.load.pastes) < maxHeldWhileLoading {
			m.load.pastes = append(m.load.pastes, msg)
		} else {
			m.load.dropped++
		}
	case tea.MouseClickMsg, tea.MouseWheelMsg:
	default:
		return nil, false
	}
	return nil, true
}

// onLoaded swaps the loaded list in, replays what waited for it and polls.
func (m *Model) onLoaded(msg loadedMsg) tea.Cmd {
	m.load.loading = false
	m.table.SetLoading(false)
	if msg.err != nil {
		m.load.err = msg.err
		m.log.Error("watchlist not opened", "err", oneLine(msg.err))
		m.poller.Stop()
		m.stop()
		return tea.Quit // the placeholder list holds nothing to save
	}
	m.store = msg.store
	m.table.Invalidate()
	cmds := []tea.Cmd{m.poller.Init()}
	for _, p := range m.load.pastes {
		cmds = append(cmds, m.onPaste(p))
	}
	// Warnings, queued after the replays' "added N": a short toast replaces
	// a short one but waits behind a warning.
	var lost []string
	if m.load.ignored > 0 {
		lost = append(lost, itoa(m.load.ignored)+" key(s) pressed while the watchlist loaded were ignored")
	}
	if m.load.dropped > 0 {
		lost = append(lost, itoa(m.load.dropped)+" paste(s) beyond the first "+itoa(maxHeldWhileLoading)+" were not added; paste them again")
	}
	if len(lost) > 0 {
		m.status.push(strings.Join(lost, "; "), false, warningFor)
	}
	m.warn(msg.warnings)
	m.load.pastes, m.load.ignored, m.load.dropped = nil, 0, 0
	return tea.Batch(cmds...)
}
