package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"faxwatch/api"
	"faxwatch/ui/style"
	"faxwatch/watchlist"
)

// paint is a style reduced to the escape sequences around its text, so hot
// paths (table rows) concatenate strings instead of calling lipgloss.
type paint struct{ pre, post string }

func paintOf(s lipgloss.Style) paint {
	r := s.Render("x")
	i := strings.IndexByte(r, 'x')
	if i < 0 {
		return paint{}
	}
	return paint{pre: r[:i], post: r[i+1:]}
}

func (p paint) wrap(s string) string {
	if p.pre == "" || s == "" {
		return s
	}
	return p.pre + s + p.post
}

// Styles is every style of the dashboard, built for one background.
type Styles struct {
	Dark bool

	Title, Demo, Paused, Info, Dim, Accent lipgloss.Style
	Warn, Error, Toast, ToastError         lipgloss.Style
	ColumnHeader, Rule, Border             lipgloss.Style
	Section, Label, Value                  lipgloss.Style
	HelpBox                                lipgloss.Style

	state map[api.State]lipgloss.Style

	// Precomputed paints for the table's hot path.
	statePaint    map[api.State]paint
	dimPaint      paint
	selectedPaint paint
	markPaint     paint
	headerPaint   paint

	Help help.Styles

	Prompt, Placeholder, Cursor lipgloss.Style

	// The marks of the table's marker column; the help overlay explains
	// them from here.
	SelectedMark, ChangedMark, StaleMark, PickedMark Mark
}

// Mark is a glyph of the table's marker column and what it means.
type Mark struct{ Glyph, Meaning string }

// Marks is every row mark, for the help overlay.
func (s *Styles) Marks() []Mark {
	return []Mark{s.SelectedMark, s.PickedMark, s.ChangedMark, s.StaleMark}
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(dark bool) *Styles {
	p := style.NewPalette(dark) // the command line's tables use the same
	red, amber, magenta, grey := p.Red, p.Amber, p.Magenta, p.Grey
	dim, accent, border, text := p.Dim, p.Accent, p.Border, p.Text
	s := &Styles{
		Dark:         dark,
		Title:        lipgloss.NewStyle().Bold(true).Foreground(accent),
		Demo:         lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(magenta),
		Paused:       lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(amber),
		Info:         lipgloss.NewStyle().Foreground(text),
		Dim:          lipgloss.NewStyle().Foreground(dim),
		Accent:       lipgloss.NewStyle().Foreground(accent),
		Warn:         lipgloss.NewStyle().Foreground(amber),
		Error:        lipgloss.NewStyle().Foreground(red).Bold(true),
		Toast:        lipgloss.NewStyle().Foreground(accent),
		ToastError:   lipgloss.NewStyle().Foreground(red),
		ColumnHeader: lipgloss.NewStyle().Bold(true).Foreground(grey),
		Rule:         lipgloss.NewStyle().Foreground(border),
		Border:       lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border),
		Section:      lipgloss.NewStyle().Bold(true).Foreground(accent),
		Label:        lipgloss.NewStyle().Foreground(grey),
		Value:        lipgloss.NewStyle().Foreground(text),
		HelpBox:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1),
		state:        map[api.State]lipgloss.Style{},
		// bubbles' help greys are made for a faint footer; on the overlay
		// they were near-invisible (#4A4A4A on black), so ours are used.
		Help: help.Styles{
			Ellipsis:       lipgloss.NewStyle().Foreground(dim),
			ShortKey:       lipgloss.NewStyle().Foreground(grey),
			ShortDesc:      lipgloss.NewStyle().Foreground(dim),
			ShortSeparator: lipgloss.NewStyle().Foreground(border),
			FullKey:        lipgloss.NewStyle().Foreground(accent).Bold(true),
			FullDesc:       lipgloss.NewStyle().Foreground(text),
			FullSeparator:  lipgloss.NewStyle().Foreground(border),
		},
		Prompt:      lipgloss.NewStyle().Foreground(accent).Bold(true),
		Placeholder: lipgloss.NewStyle().Foreground(dim),
		Cursor:      lipgloss.NewStyle().Foreground(text).Reverse(true), // a block in the text colour

		SelectedMark: Mark{"▶", "the selected job"},
		PickedMark:   Mark{"+", "picked with space: d, y and Y act on every picked job"},
		ChangedMark:  Mark{"•", "changed in the last poll (first answers are not marked)"},
		StaleMark:    Mark{"~", "stale: the last poll for it failed; dimmed, it keeps its data"},
	}
	for _, st := range []api.State{api.StateSucceeded, api.StateFailed, api.StateProcessing, api.StateInvalid,
		api.StateUnknown, api.StateNoAnswer, watchlist.StatePending} {
		s.state[st] = p.StateStyle(st)
	}
	s.statePaint = make(map[api.State]paint, len(s.state))
	for st, style := range s.state {
		s.statePaint[st] = paintOf(style)
	}
	s.dimPaint = paintOf(s.Dim)
	s.selectedPaint = paintOf(lipgloss.NewStyle().Reverse(true).Bold(true))
	s.markPaint = paintOf(lipgloss.NewStyle().Foreground(accent).Bold(true))
	s.headerPaint = paintOf(s.ColumnHeader)
	return s
}

// StateStyle is the style of a state; unknown states look like unknown.
func (s *Styles) StateStyle(st api.State) lipgloss.Style {
	if style, ok := s.state[st]; ok {
		return style
	}
	return s.state[api.StateUnknown]
}

func (s *Styles) stateP(st api.State) paint {
	if p, ok := s.statePaint[st]; ok {
		return p
	}
	return s.statePaint[api.StateUnknown]
}

// stateWord is the word shown beside the glyph.
func stateWord(st api.State, statusID int) string {
	st = watchlist.StateOrPending(st)
	switch st {
	case api.StateUnknown:
		return "unknown (" + itoa(statusID) + ")"
	case api.StateNoAnswer:
		return "no answer"
	}
	return string(st)
}
