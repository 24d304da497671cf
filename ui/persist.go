package ui

import (
	tea "charm.land/bubbletea/v2"

	"faxwatch/watchlist"
)

// The watchlist's disk work (a save of 100,000 jobs takes hundreds of
// milliseconds) runs in commands, never in Update: Update prepares it, a
// command runs it, and its message finishes it back in Update. The store is
// only ever touched here in Update; one disk operation at a time.

type (
	// saveDoneMsg carries a finished save back to Update.
	saveDoneMsg struct{ res watchlist.SaveResult }
	// reloadDoneMsg carries a finished reload; poll says a tick waits for it.
	reloadDoneMsg struct {
		res  watchlist.ReloadResult
		poll bool
	}
)

// diskState tracks the one disk operation in flight.
type diskState struct {
	busy bool
}

// saveIfDirty starts a save when memory holds unsaved changes and the disk
// is free; a save finishing starts the next one if more changed meanwhile.
func (m *Model) saveIfDirty() tea.Cmd {
	if m.disk.busy || !m.store.Dirty() {
		return nil
	}
	p := m.store.PrepareSave()
	if p == nil {
		return nil
	}
	m.disk.busy = true
	return func() tea.Msg { return saveDoneMsg{res: p.Run()} }
}

func (m *Model) onSaveDone(msg saveDoneMsg) tea.Cmd {
	m.disk.busy = false
	err := m.store.FinishSave(msg.res)
	if err == nil {
		m.lastSaveErr = ""
		return nil // Update's saveIfDirty picks up what changed meanwhile
	}
	line := oneLine(err)
	m.log.Warn("save failed", "err", line)
	if line != m.lastSaveErr { // once per distinct error, not once per poll
		m.status.push("could not save the watchlist: "+line, true, warningFor)
	}
	m.lastSaveErr = line
	return nil
}

// startReload reads the file in a command when another process changed it
// (one stat here). poll says the tick's poll waits for the reload, so jobs
// added elsewhere are asked about at once. It returns nil when there is
// nothing to read or the disk is busy (a save merges the file anyway).
func (m *Model) startReload(poll bool) tea.Cmd {
	if m.disk.busy {
		return nil
	}
	p := m.store.PrepareReload()
	if p == nil {
		return nil
	}
	m.disk.busy = true
	return func() tea.Msg { return reloadDoneMsg{res: p.Run(), poll: poll} }
}

func (m *Model) onReloadDone(msg reloadDoneMsg) tea.Cmd {
	m.disk.busy = false
	if changed, err := m.store.FinishReload(msg.res); err != nil {
		m.reloadFailed(err)
	} else {
		m.lastReloadErr = ""
		if changed {
			m.log.Debug("watchlist changed on disk")
		}
	}
	if !msg.poll {
		return nil
	}
	return m.poller.PollDue()
}

func (m *Model) reloadFailed(err error) {
	line := oneLine(err)
	m.log.Warn("reload failed", "err", line)
	if line != m.lastReloadErr {
		m.status.push("could not reload the watchlist: "+line, true, warningFor)
	}
	m.lastReloadErr = line
}

// flushSave writes what is unsaved before the program exits; a save in
// flight may be cut short by the exit, and the file is replaced atomically.
// What it could not save is left in m.exit for main to report.
func (m *Model) flushSave() {
	m.exit.set(m.store.UnsavedSummary())
	if err := m.store.Save(); err != nil {
		m.log.Warn("save at exit failed", "err", oneLine(err))
		m.exit.set(m.store.UnsavedSummary() + " (" + oneLine(err) + ")")
		return
	}
	m.exit.set("")
}
