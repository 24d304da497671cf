// Package style is what the dashboard (package ui) and the command line's
// tables (package ui/cli) show alike: the palette, each state's glyph,
// word and colour, and how long ago something happened. Keeping them here
// means a state reads the same on both sides.
//
// It imports api only; it must not import ui or ui/cli.
package style

import (
	"image/color"
	"strconv"
	"time"

	"charm.land/lipgloss/v2"

	"faxwatch/api"
)

// Palette is faxwatch's colours for one background.
type Palette struct {
	Green, Red, Amber, Magenta, Grey, Dim, Accent, Border, Text color.Color
}

// NewPalette gives the colours for a dark or light background.
func NewPalette(dark bool) Palette {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkHex string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(darkHex)) }
	return Palette{
		Green:   c("#007A3D", "#5FD787"),
		Red:     c("#C0002A", "#FF6B6B"),
		Amber:   c("#9A6700", "#FFB52E"),
		Magenta: c("#A0309A", "#D787D7"),
		Grey:    c("#6E6E6E", "#8A8A8A"),
		Dim:     c("#8A8A8A", "#6C6C6C"),
		Accent:  c("#005FAF", "#5FAFFF"),
		Border:  c("#BBBBBB", "#444444"),
		Text:    c("#1C1C1C", "#D0D0D0"),
	}
}

// StateColor is the state's colour; unknown states look like unknown.
func (p Palette) StateColor(st api.State) color.Color {
	switch st {
	case api.StateSucceeded:
		return p.Green
	case api.StateFailed:
		return p.Red
	case api.StateProcessing:
		return p.Amber
	case api.StateInvalid:
		return p.Magenta
	default:
		return p.Grey
	}
}

// StateStyle is the state's style: its colour, and bold for failed, which
// must catch the eye.
func (p Palette) StateStyle(st api.State) lipgloss.Style {
	s := lipgloss.NewStyle().Foreground(p.StateColor(st))
	if st == api.StateFailed {
		s = s.Bold(true)
	}
	return s
}

// Glyph is the state's symbol; it carries the meaning without colour.
func Glyph(st api.State) string {
	switch st {
	case api.StateSucceeded:
		return "✓"
	case api.StateFailed:
		return "✗"
	case api.StateProcessing:
		return "⟳"
	case api.StateInvalid:
		return "?"
	default:
		return "·"
	}
}

// Word is the state as people read it in a table: "no answer" where the
// JSON and CSV say no_answer (those spellings are a contract with scripts).
func Word(st api.State) string {
	if st == api.StateNoAnswer {
		return "no answer"
	}
	return string(st)
}

// RelTime says how long ago t was, coarsely: "just now", "8s ago", "3m ago";
// "—" for never.
func RelTime(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	switch {
	case d < time.Second:
		return "just now"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s ago"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	default:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
	}
}
