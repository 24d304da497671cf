package ui

import (
	tea "charm.land/bubbletea/v2"
)

// wheelStep is how many lines (or rows) one wheel notch moves.
const wheelStep = 3

// onMouse: a click selects a row or, on a column's title, sorts by it
// (again: reversed); the wheel scrolls what is under the pointer. Inputs
// take no mouse.
func (m *Model) onMouse(msg tea.Msg) tea.Cmd {
	if len(m.held.keys) > 0 { // keys pressed before the click act first
		return tea.Batch(m.flushHeld(), m.onMouse(msg))
	}
	if m.input.Open() {
		return nil
	}
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		step := 0
		switch msg.Button {
		case tea.MouseWheelDown:
			step = wheelStep
		case tea.MouseWheelUp:
			step = -wheelStep
		}
		m.wheel(msg.X, step)
	case tea.MouseClickMsg:
		if msg.Button == tea.MouseLeft && m.mode() == modeTable {
			m.click(msg.X, msg.Y)
		}
	}
	return nil
}

// tableTop is the screen line of the table's column titles.
func (m *Model) tableTop() int { return m.header.Height() + 1 }

// overDetail reports whether column x is in the detail pane beside the
// table.
func (m *Model) overDetail(x int) bool {
	return m.showDetail && !m.detailCoversTable() && x >= m.table.width
}

func (m *Model) wheel(x, step int) {
	switch {
	case m.showHelp:
		m.helpOverlay.scrollBy(step)
	case m.detailCoversTable() || m.overDetail(x):
		m.detail.scroll(step)
	default:
		m.table.moveTo(m.table.cursor + step)
	}
}

func (m *Model) click(x, y int) {
	if m.overDetail(x) {
		return
	}
	line := y - m.tableTop()
	switch {
	case line == 0:
		if mode, ok := m.table.SortAt(x); ok {
			m.status.push("sort: "+m.table.SortBy(mode), false, toastFor)
		}
	case line > 0:
		if pos := m.table.offset + line - 1; pos < m.table.Len() {
			m.table.moveTo(pos)
		}
	}
}
