package alert

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Desktop styles of notify.desktop.
const (
	DesktopOff    = "off"
	DesktopOSC9   = "osc9"   // iTerm2, WezTerm, kitty, Ghostty, Windows Terminal
	DesktopOSC777 = "osc777" // foot, WezTerm, Ghostty, urxvt, VTE with the notify patch
)

// DesktopStyles lists the values notify.desktop takes.
var DesktopStyles = []string{DesktopOff, DesktopOSC9, DesktopOSC777}

// ParseDesktop checks a notify.desktop value.
func ParseDesktop(s string) error {
	for _, d := range DesktopStyles {
		if s == d {
			return nil
		}
	}
	return fmt.Errorf("%q is not a desktop style; use off, osc9 or osc777", s)
}

// maxDesktopRunes bounds a notification: desktops show a line or two, and a
// terminal must never be handed a long string from server data.
const maxDesktopRunes = 200

// Desktop writes notifications through the terminal, so they work over SSH
// where notify-send cannot. The zero value is off.
type Desktop struct {
	style string // as configured: kept so that For can aim it at another terminal
	dumb  bool   // TERM=dumb: no escape sequence at all
	tmux  bool   // wrap for tmux's passthrough (needs allow-passthrough on)
}

// NewDesktop is the style for the terminal getenv describes (see For).
func NewDesktop(style string, getenv func(string) string) Desktop {
	return Desktop{style: style}.For(getenv)
}

// For is the same style for the terminal getenv describes: this process's,
// or a faxwatch serve viewer's. It is off under TERM=dumb, which cannot be
// trusted with an escape sequence, and wrapped for tmux, which drops an OSC
// 9 or 777 it does not know. tmux is known by TMUX, or by a tmux* TERM where
// TMUX did not come along, as over SSH. A screen* TERM without TMUX is sent
// unwrapped: it may be GNU screen, which prints tmux's wrapper as text, and
// a lost notification is better than a garbled screen.
func (d Desktop) For(getenv func(string) string) Desktop {
	term := getenv("TERM")
	d.dumb = term == "dumb"
	d.tmux = getenv("TMUX") != "" || getenv("STY") == "" && strings.HasPrefix(term, "tmux")
	return d
}

// On reports whether notifications are sent.
func (d Desktop) On() bool { return d.style != "" && d.style != DesktopOff && !d.dumb }

// Sequence is the escape sequence that shows a, or "" when off or empty.
// The text is sanitised, one line and bounded, and holds no ';' where the
// sequence uses it as a separator.
func (d Desktop) Sequence(a Alert) string {
	if !d.On() || a.Empty() {
		return ""
	}
	body := desktopText(a.Summary())
	var seq string
	switch d.style {
	case DesktopOSC777:
		seq = ansi.URxvtExt("notify", "faxwatch", body)
	default:
		seq = ansi.Notify("faxwatch: " + body)
	}
	if d.tmux {
		seq = ansi.TmuxPassthrough(seq)
	}
	return seq
}

// desktopText keeps only printable text: Summary is sanitised already;
// this is the last guard before bytes reach the terminal.
func desktopText(s string) string {
	s = oneLine(s, maxDesktopRunes)
	return strings.Map(func(r rune) rune {
		switch {
		case r == ';':
			return ','
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
			return -1
		}
		return r
	}, s)
}
