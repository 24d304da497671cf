package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// screenMode is what has the keyboard: each has its own key handler.
type screenMode int

const (
	modeTable      screenMode = iota // the job table (a detail pane beside it or not)
	modeInput                        // a prompt: add, note or filter
	modeHelp                         // the ? overlay
	modeDetailFull                   // the detail pane in place of the table
)

func (m *Model) mode() screenMode {
	switch {
	case m.input.Open():
		return modeInput
	case m.showHelp:
		return modeHelp
	case m.detailCoversTable():
		return modeDetailFull
	}
	return modeTable
}

// onKey holds table keys back for a moment (see burst.go), then hands them
// to the mode on screen; ctrl+c quits from any, at once.
func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	if k.String() == "ctrl+c" {
		return m.quit()
	}
	if key.Matches(k, m.keys.Suspend) {
		return tea.Suspend
	}
	flushed, held := m.holdKey(k)
	if held {
		return flushed
	}
	return tea.Batch(flushed, m.dispatchKey(k))
}

// dispatchKey hands a key press to the mode on screen.
func (m *Model) dispatchKey(k tea.KeyPressMsg) tea.Cmd {
	switch m.mode() {
	case modeInput:
		return m.inputKey(k)
	case modeHelp:
		return m.helpKey(k)
	case modeDetailFull:
		return m.detailKey(k)
	}
	return m.tableKey(k)
}

// inputKey: every key is text except enter and esc.
func (m *Model) inputKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Confirm):
		return m.confirmInput()
	case key.Matches(k, m.keys.Cancel):
		m.cancelInput()
		return nil
	}
	return m.updateInput(k)
}

// helpKey: the overlay covers the table; ?, esc and q act, the movement
// keys scroll it.
func (m *Model) helpKey(k tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.globalKey(k); ok {
		return cmd
	}
	return m.helpOverlay.Update(k)
}

// detailKey: the pane replaces the table. j/k move to the next or previous
// job, as in the table; pgup/pgdn, ctrl+d/ctrl+u and the wheel scroll the
// pane; the actions on the selected job still work.
func (m *Model) detailKey(k tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.globalKey(k); ok {
		return cmd
	}
	if cmd, ok := m.actionKey(k); ok {
		return cmd
	}
	half := max(1, m.detail.height/2)
	switch {
	case key.Matches(k, m.keys.PageUp):
		m.detail.scroll(-half)
	case key.Matches(k, m.keys.PageDown):
		m.detail.scroll(half)
	default:
		return m.table.Update(k)
	}
	return nil
}

// tableKey: actions first, then the table moves its selection.
func (m *Model) tableKey(k tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.globalKey(k); ok {
		return cmd
	}
	if cmd, ok := m.actionKey(k); ok {
		return cmd
	}
	return m.table.Update(k)
}

// globalKey handles the keys that act the same outside an input: quit, help
// and back. ok says the key was one of them.
func (m *Model) globalKey(k tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.quit(), true
	case key.Matches(k, m.keys.Help):
		m.showHelp = !m.showHelp
		m.helpOverlay.Reset()
		return nil, true
	case key.Matches(k, m.keys.Back):
		m.back()
		return nil, true
	}
	return nil, false
}

// actionKey handles the keys that act on the list or the selected job,
// wherever the selection is shown. ok says the key was one of them.
func (m *Model) actionKey(k tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	keys := &m.keys
	switch {
	case key.Matches(k, keys.Detail):
		m.showDetail = !m.showDetail
	case key.Matches(k, keys.Filter):
		cmd = m.input.open(inputFilter, m.table.Query())
	case key.Matches(k, keys.Add):
		cmd = m.input.open(inputAdd, "")
	case key.Matches(k, keys.Note):
		cmd = m.openNote()
	case key.Matches(k, keys.Remove):
		m.removeSelected()
	case key.Matches(k, keys.Pick):
		m.table.TogglePick()
	case key.Matches(k, keys.Undo):
		m.undoRemove()
	case key.Matches(k, keys.Sort):
		m.status.push("sort: "+m.table.CycleSort()+" · S reverses", false, toastFor)
	case key.Matches(k, keys.Reverse):
		m.status.push("sort: "+m.table.ReverseSort(), false, toastFor)
	case key.Matches(k, keys.Copy):
		cmd = m.copySelected()
	case key.Matches(k, keys.CopyBundle):
		cmd = m.copyEscalation()
	case key.Matches(k, keys.Mute):
		m.toggleMute()
	case key.Matches(k, keys.DetailScrollDown, keys.DetailScrollUp):
		cmd = m.detail.Update(k)
	default:
		return m.pollKey(k)
	}
	return cmd, true
}

// pollKey handles the keys that steer polling. ok says the key was one.
func (m *Model) pollKey(k tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	keys := &m.keys
	switch {
	case key.Matches(k, keys.Refresh):
		return m.refresh(false), true
	case key.Matches(k, keys.FullRefresh):
		return m.refresh(true), true
	case key.Matches(k, keys.Pause):
		return m.togglePause(), true
	case key.Matches(k, keys.Slower):
		return m.changeInterval(intervalStep), true
	case key.Matches(k, keys.Faster):
		return m.changeInterval(-intervalStep), true
	}
	return nil, false
}

// back is esc outside an input: it closes the innermost thing open.
func (m *Model) back() {
	switch {
	case m.showHelp:
		m.showHelp = false
	case m.showDetail:
		m.showDetail = false
	case m.table.ClearPicks():
	case m.table.Query() != "":
		m.table.SetFilter("")
	}
}
