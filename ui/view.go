package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// View draws the whole screen. Cost depends on the visible rows only.
func (m *Model) View() tea.View {
	var b strings.Builder
	w := max(m.width, 20)
	b.WriteString(m.header.View())
	b.WriteByte('\n')
	b.WriteString(m.c.styles.Rule.Render(strings.Repeat("─", w)))
	b.WriteByte('\n')
	m.writeBody(&b, w)
	b.WriteByte('\n')
	if m.input.Open() {
		b.WriteString(m.input.View())
	} else {
		b.WriteString(m.status.View())
	}
	b.WriteByte('\n')
	b.WriteString(fit(fitShortHelp(m.help, m.shortHelp(), w), w))
	// The renderer compares each frame with the last one on every tick (60
	// a second); handing it the same string when nothing changed makes that
	// a pointer check instead of a comparison of the whole screen.
	if frame := b.String(); frame != m.lastFrame {
		m.lastFrame = frame
	}
	v := tea.NewView(m.lastFrame)
	v.AltScreen = true
	// Click and wheel (mouse.go); shift+drag still selects text in most
	// terminals.
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "faxwatch" // never built from server data
	return v
}

// writeBody draws what lies between the rule and the status line: the help
// overlay, the detail pane, the table, or the table and the pane side by
// side.
func (m *Model) writeBody(b *strings.Builder, w int) {
	switch {
	case m.showHelp:
		b.WriteString(m.helpOverlay.View())
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
}

// shortHelp is the bottom line's bindings for the mode on screen.
func (m *Model) shortHelp() []key.Binding {
	switch m.mode() {
	case modeHelp:
		closeHelp := m.keys.Help
		closeHelp.SetHelp("?/esc", "close help")
		if !m.helpOverlay.Scrolls() {
			return []key.Binding{closeHelp, m.keys.Quit}
		}
		scroll, page := m.keys.Down, m.keys.PageDown
		scroll.SetHelp("↑/↓", "scroll")
		page.SetHelp("pgup/pgdn", "page")
		return []key.Binding{scroll, page, closeHelp, m.keys.Quit}
	case modeDetailFull:
		next, scroll := m.keys.Down, m.keys.DetailScrollDown
		next.SetHelp("↑/↓", "prev/next job")
		scroll.SetHelp("ctrl+d/u", "scroll")
		closeDetail := m.keys.Detail
		closeDetail.SetHelp("enter/esc", "close")
		return []key.Binding{next, scroll, closeDetail, m.keys.Note, m.keys.Copy, m.keys.Help, m.keys.Quit}
	}
	return m.keys.ShortHelp()
}
