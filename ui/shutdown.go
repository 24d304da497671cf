package ui

import (
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
)

// ShutdownMsg asks the dashboard to end the way q does: the process was told
// to stop (SIGHUP when the terminal closed, SIGTERM, SIGINT). The save in
// flight is finished or redone before the program quits (README:
// Reliability). Reason names the signal for the log.
type ShutdownMsg struct{ Reason string }

// exitState is what the quit path left unsaved; main reads it from another
// goroutine when the quit path outlives its bound.
type exitState struct {
	unsaved atomic.Pointer[string]
}

func (e *exitState) set(s string) { e.unsaved.Store(&s) }

// Unsaved says what the watchlist file lacks once the dashboard began to
// quit ("" when nothing is missing or it has not begun). Safe from any
// goroutine.
func (m *Model) Unsaved() string {
	if p := m.exit.unsaved.Load(); p != nil {
		return *p
	}
	return ""
}

func (m *Model) onShutdown(msg ShutdownMsg) tea.Cmd {
	m.log.Info("shutting down", "reason", msg.Reason)
	return m.quit()
}
