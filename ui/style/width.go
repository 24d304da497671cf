package style

import "github.com/charmbracelet/x/ansi"

// Truncate cuts styled or plain text to at most w cells, marking the cut
// with "…". x/ansi's Truncate and StringWidth can disagree on a cluster that
// a variation selector widens (" " + U+FE0F is one cell to Truncate, two to
// StringWidth), so the text is cut shorter until it is as narrow as asked:
// a table column or a progress line never spills into the next cell.
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	for cut := w; cut > 0; cut-- {
		if out := ansi.Truncate(s, cut, "…"); ansi.StringWidth(out) <= w {
			return out
		}
	}
	return "…"
}
