package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpModel is the `?` overlay: every binding of the KeyMap in columns that
// fit the width, then what the row marks mean (from the Styles). When that
// is taller than the pane it scrolls, and its last line says so.
type helpModel struct {
	c             *common
	h             help.Model
	width, height int
	offset        int
}

func newHelpModel(c *common) helpModel { return helpModel{c: c, h: help.New()} }

func (hm *helpModel) applyStyles() { hm.h.Styles = hm.c.styles.Help }

// SetSize sets the overlay's outer size. The content is laid out only when
// the overlay is drawn or scrolled: SetSize runs on every Update.
func (hm *helpModel) SetSize(w, h int) { hm.width, hm.height = w, h }

// Update scrolls with the movement keys.
func (hm *helpModel) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	keys := hm.c.keys
	page := max(1, hm.shownFor(len(hm.lines()))-1)
	switch {
	case key.Matches(k, keys.Up):
		hm.offset--
	case key.Matches(k, keys.Down):
		hm.offset++
	case key.Matches(k, keys.PageUp, keys.DetailScrollUp):
		hm.offset -= page
	case key.Matches(k, keys.PageDown, keys.DetailScrollDown):
		hm.offset += page
	case key.Matches(k, keys.Top):
		hm.offset = 0
	case key.Matches(k, keys.Bottom):
		hm.offset = 1 << 30
	}
	hm.clamp(len(hm.lines()))
	return nil
}

// scrollBy moves the content n lines (the mouse wheel).
func (hm *helpModel) scrollBy(n int) {
	hm.offset += n
	hm.clamp(len(hm.lines()))
}

// Reset scrolls back to the top when the overlay opens.
func (hm *helpModel) Reset() { hm.offset = 0 }

// room is how many lines fit inside the box.
func (hm *helpModel) room() int { return max(1, hm.height-2) }

// shownFor is how many of n content lines show at once: one less than room
// when they scroll, for the line that says so.
func (hm *helpModel) shownFor(n int) int {
	if n > hm.room() {
		return max(1, hm.room()-1)
	}
	return n
}

func (hm *helpModel) clamp(n int) {
	hm.offset = min(max(0, hm.offset), max(0, n-hm.shownFor(n)))
}

// Scrolls reports whether the content is taller than the box.
func (hm *helpModel) Scrolls() bool { return len(hm.lines()) > hm.room() }

// lines is the overlay's content: keys in as many columns as fit, then the
// marks.
func (hm *helpModel) lines() []string {
	st := hm.c.styles
	// Measure untruncated: at its width the help model cuts columns off
	// behind a "…", which would pass for a fit.
	h := hm.h
	h.SetWidth(0)
	groups := hm.c.keys.FullHelp()
	full := h.FullHelpView(groups)
	for cols := len(groups) - 1; cols >= 1 && lipgloss.Width(full) > hm.width-6; cols-- {
		full = h.FullHelpView(regroup(groups, cols))
	}
	out := []string{st.Section.Render("Keys")}
	out = append(out, strings.Split(full, "\n")...)
	out = append(out, "", st.Section.Render("Filter (/)"))
	inner := max(10, hm.width-6)
	for _, l := range filterHelp() {
		out = append(out, hang("", h.Styles.FullDesc.Render(l), inner)...)
	}
	out = append(out, "", st.Section.Render("Marks"))
	for _, mk := range st.Marks() {
		out = append(out, hang(h.Styles.FullKey.Render(mk.Glyph)+"  ", h.Styles.FullDesc.Render(mk.Meaning), inner)...)
	}
	return out
}

// View is the box with the visible part of the content, exactly height
// lines; when it scrolls, the last content line says where and how.
func (hm *helpModel) View() string {
	lines := hm.lines()
	hm.clamp(len(lines))
	inner := max(1, hm.width-6)
	shown := slices.Clone(lines[hm.offset:min(len(lines), hm.offset+hm.shownFor(len(lines)))])
	if len(lines) > hm.room() {
		k := hm.c.keys
		pos := itoa(hm.offset+1) + "–" + itoa(hm.offset+len(shown)) + " of " + itoa(len(lines))
		shown = append(shown, hm.c.styles.Dim.Render(truncate("scroll: "+k.Down.Help().Key+" "+k.Up.Help().Key+
			" "+k.PageDown.Help().Key+" "+k.PageUp.Help().Key+" · "+pos, inner)))
	}
	for i := range shown {
		shown[i] = fit(shown[i], inner)
	}
	box := hm.c.styles.HelpBox.Render(strings.Join(shown, "\n"))
	boxLines := strings.Split(box, "\n")
	out := make([]string, hm.height)
	for i := range out {
		if i < len(boxLines) {
			out[i] = fit(" "+boxLines[i], hm.width)
		} else {
			out[i] = fit("", hm.width)
		}
	}
	return strings.Join(out, "\n")
}

// hang wraps body to w cells after lead, continuation lines indented under
// where body started.
func hang(lead, body string, w int) []string {
	indent := ansi.StringWidth(lead)
	lines := strings.Split(ansi.Wrap(body, max(1, w-indent), " "), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = lead + lines[i]
		} else {
			lines[i] = strings.Repeat(" ", indent) + lines[i]
		}
	}
	return lines
}

// regroup spreads the enabled bindings of groups over n columns.
func regroup(groups [][]key.Binding, n int) [][]key.Binding {
	var all []key.Binding
	for _, g := range groups {
		for _, b := range g {
			if b.Enabled() {
				all = append(all, b)
			}
		}
	}
	per := (len(all) + n - 1) / n
	out := make([][]key.Binding, 0, n)
	for len(all) > 0 {
		k := min(per, len(all))
		out = append(out, all[:k])
		all = all[k:]
	}
	return out
}
