package ui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
)

// A paste without bracketed paste, or a scanner, arrives as key presses:
// "br004…" would refresh (r) and remove a job (d). So table keys are held
// back for a moment: a run of printable keys faster than a person types is
// read as a paste, never as commands; anything slower is replayed as keys.
const (
	// burstKeys printable keys within burstWindow are not typed by a
	// person (a fast typist leaves ~80 ms between keys).
	burstKeys   = 4
	burstWindow = 30 * time.Millisecond
	// holdBack is how long a table key waits for the next one: short
	// enough not to be felt, long enough to see a burst coming.
	holdBack = 30 * time.Millisecond
	// maxHeld bounds the keys waiting; a run that long is read at once.
	maxHeld = 4096
)

type heldKey struct {
	k  tea.KeyPressMsg
	at time.Time
}

// keyHold is the run of key presses waiting to be read as keys or a paste.
type keyHold struct {
	keys []heldKey
	gen  uint64 // the armed timer's; older ones are stale
}

// holdMsg ends a run: no key came within holdBack.
type holdMsg struct{ gen uint64 }

// printable reports whether k is text, not a named key or a chord.
func printable(k tea.KeyPressMsg) bool {
	return k.Text != "" && k.Mod&^tea.ModShift == 0
}

// holdKey takes a key press on the table or the full-screen detail: it
// starts or extends a run (and re-arms the timer), or, when the run before
// has gone quiet, reads that run first. handled is false when the key is
// not held: the caller acts on it now.
func (m *Model) holdKey(k tea.KeyPressMsg) (cmd tea.Cmd, handled bool) {
	now := m.now()
	var flushed tea.Cmd
	if n := len(m.held.keys); n > 0 && now.Sub(m.held.keys[n-1].at) > holdBack {
		flushed = m.flushHeld()
	}
	if len(m.held.keys) == 0 && (!printable(k) || (m.mode() != modeTable && m.mode() != modeDetailFull)) {
		return flushed, false
	}
	m.held.keys = append(m.held.keys, heldKey{k: k, at: now})
	if len(m.held.keys) >= maxHeld {
		return tea.Batch(flushed, m.flushHeld()), true
	}
	m.held.gen++
	gen := m.held.gen
	return tea.Batch(flushed, m.after(holdBack, func(time.Time) tea.Msg { return holdMsg{gen: gen} })), true
}

// onHold reads the run when its timer is current.
func (m *Model) onHold(msg holdMsg) tea.Cmd {
	if msg.gen != m.held.gen || len(m.held.keys) == 0 {
		return nil
	}
	return m.flushHeld()
}

// flushHeld reads the waiting run: a burst is added like a paste, anything
// else is replayed key by key as if it had just arrived.
func (m *Model) flushHeld() tea.Cmd {
	run := m.held.keys
	m.held.keys = nil
	m.held.gen++
	if isBurst(run) {
		return m.onBurst(run)
	}
	cmds := make([]tea.Cmd, 0, 2*len(run))
	for _, h := range run {
		// Each key sees the rows and selection the one before left.
		cmds = append(cmds, m.dispatchKey(h.k), m.sync())
	}
	return tea.Batch(cmds...)
}

// isBurst reports whether run opens with burstKeys printable keys within
// burstWindow. One key repeated is a held-down key (key repeat, or keys
// queued behind a slow frame), never a paste.
func isBurst(run []heldKey) bool {
	var first time.Time
	n, same := 0, true
	for _, h := range run {
		if h.k.IsRepeat {
			return false
		}
		if !printable(h.k) {
			continue
		}
		if n == 0 {
			first = h.at
		} else if h.k.Text != run[0].k.Text {
			same = false
		}
		if n++; n == burstKeys {
			return !same && h.at.Sub(first) <= burstWindow
		}
	}
	return false
}

// onBurst adds the job IDs a burst spells, as a paste would; without one it
// says what was ignored. No key of it runs a command.
func (m *Model) onBurst(run []heldKey) tea.Cmd {
	var b strings.Builder
	for _, h := range run {
		if printable(h.k) {
			b.WriteString(h.k.Text)
		} else {
			b.WriteByte(' ') // enter, tab: separators in a pasted list
		}
	}
	text := ansi.Strip(b.String())
	if ids, _ := api.ParseJobIDs(text); len(ids) == 0 {
		m.status.push("ignored "+itoa(len(run))+" keys typed faster than a person types: no job ID in “"+
			truncate(clean(text), 24)+"”", true, toastFor)
		return nil
	}
	return m.addFromText(text)
}
