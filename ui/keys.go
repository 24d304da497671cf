package ui

import (
	"slices"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// KeyMap is every binding of the dashboard. The short help line and the full
// help overlay are both generated from it; bindings that do not apply in the
// current context are disabled so help never lists them.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom  key.Binding
	Detail, DetailScrollDown, DetailScrollUp key.Binding

	Filter, Add, Paste, Note, Remove, Undo key.Binding
	Refresh, FullRefresh, Pause            key.Binding
	Slower, Faster, Sort, Reverse          key.Binding
	Copy, CopyBundle, Pick                 key.Binding
	Mute                                   key.Binding

	Help, Back, Quit, Suspend key.Binding

	// Input context: confirm and cancel the open input.
	Confirm, Cancel key.Binding
}

// DefaultKeyMap is the key table of the README's "Keys" section.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:               key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:             key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:           key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown:         key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:              key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:           key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		Detail:           key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		DetailScrollDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "detail down")),
		DetailScrollUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "detail up")),
		Filter:           key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Add:              key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add IDs")),
		// A paste is no key press (it arrives as a tea.PasteMsg, handled by
		// onPaste); the binding is here so help lists it. No key is named
		// "paste", so it never matches.
		Paste:       key.NewBinding(key.WithKeys("paste"), key.WithHelp("paste", "add IDs pasted")),
		Note:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "edit note")),
		Remove:      key.NewBinding(key.WithKeys("d", "x"), key.WithHelp("d/x", "remove")),
		Undo:        key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo remove")),
		Refresh:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		FullRefresh: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "refresh, final too")),
		Pause:       key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause/resume")),
		Slower:      key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "interval +5s")),
		Faster:      key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "interval -5s")),
		Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "cycle sort")),
		Reverse:     key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Copy:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy ID")),
		CopyBundle:  key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy for support")),
		Pick:        key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "pick for d/y/Y")),
		Mute:        key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "mute alerts 1h")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Back:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:        key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Suspend:     key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend")),
		Confirm:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// keyContext is what the user is looking at; it decides which bindings apply.
type keyContext struct {
	inputOpen  bool // a text input has focus: only Confirm, Cancel and ctrl+c
	helpOpen   bool
	hasRows    bool // the visible table is not empty
	detailOpen bool
	backable   bool // esc has something to close
}

// apply enables exactly the bindings that make sense in ctx.
func (k *KeyMap) apply(ctx keyContext) {
	table := !ctx.inputOpen
	rows := table && ctx.hasRows
	for _, b := range []*key.Binding{&k.Filter, &k.Add, &k.Paste, &k.Refresh, &k.FullRefresh, &k.Pause,
		&k.Slower, &k.Faster, &k.Sort, &k.Reverse, &k.Mute, &k.Help} {
		b.SetEnabled(table)
	}
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom,
		&k.Detail, &k.Note, &k.Remove, &k.Copy, &k.CopyBundle, &k.Pick} {
		b.SetEnabled(rows)
	}
	// Help lists the detail's scrolling keys even while it is closed.
	k.DetailScrollDown.SetEnabled(table && (ctx.detailOpen || ctx.helpOpen))
	k.DetailScrollUp.SetEnabled(table && (ctx.detailOpen || ctx.helpOpen))
	if ctx.helpOpen { // they scroll the overlay
		for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom} {
			b.SetEnabled(true)
		}
	}
	k.Undo.SetEnabled(table) // listed in help even with nothing to undo; pressing it says so
	k.Back.SetEnabled(table && ctx.backable)
	k.Confirm.SetEnabled(ctx.inputOpen)
	k.Cancel.SetEnabled(ctx.inputOpen)
	// ctrl+c always quits; q only outside inputs (it is text there).
	k.Quit.SetEnabled(true)
	k.Suspend.SetEnabled(true)
	if ctx.inputOpen {
		k.Quit.SetKeys("ctrl+c")
		k.Quit.SetHelp("ctrl+c", "quit")
	} else {
		k.Quit.SetKeys("q", "ctrl+c")
		k.Quit.SetHelp("q", "quit")
	}
}

// ShortHelp is the bottom line: the few keys a newcomer needs.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Confirm, k.Cancel, k.Detail, k.Filter, k.Add, k.Remove, k.Refresh,
		k.Pause, k.Sort, k.Back, k.Help, k.Quit}
}

// footerDropOrder is which short-help keys give way first when the line is
// too narrow: ? (which lists them all) and q must stay in view.
var footerDropOrder = []string{"s", "p", "r", "d/x", "y", "n", "a", "/", "enter", "↑/↓"}

// fitShortHelp renders bindings as one line of at most w cells, leaving out
// the least needed keys rather than cutting off the end of the line.
func fitShortHelp(h help.Model, bindings []key.Binding, w int) string {
	h.SetWidth(0)
	shown := slices.DeleteFunc(slices.Clone(bindings), func(b key.Binding) bool { return !b.Enabled() })
	for _, drop := range footerDropOrder {
		line := h.ShortHelpView(shown)
		if ansi.StringWidth(line) <= w {
			return line
		}
		shown = slices.DeleteFunc(shown, func(b key.Binding) bool { return b.Help().Key == drop })
	}
	h.SetWidth(w)
	return h.ShortHelpView(shown)
}

// FullHelp is the `?` overlay, grouped in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Detail, k.DetailScrollDown, k.DetailScrollUp, k.Filter, k.Sort, k.Reverse, k.Copy, k.CopyBundle},
		{k.Add, k.Paste, k.Note, k.Pick, k.Remove, k.Undo},
		{k.Refresh, k.FullRefresh, k.Pause, k.Slower, k.Faster, k.Mute},
		{k.Confirm, k.Cancel, k.Help, k.Back, k.Suspend, k.Quit},
	}
}
