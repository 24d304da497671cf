package ui

import (
	"strings"
	"testing"
)

// At every size, paging through the help overlay shows every binding of the
// full help and every row mark; when it does not fit, it says how to scroll.
func TestHelpShowsEveryKeyAtAnySize(t *testing.T) {
	for _, size := range [][2]int{{60, 15}, {40, 12}, {80, 24}, {120, 40}} {
		h := fixture(t, "dark")
		h.send(teaSize(size[0], size[1]))
		h.key("?")
		seen := h.plain()
		for range 20 {
			h.key("pgdown")
			seen += h.plain()
		}
		for _, g := range h.m.keys.FullHelp() {
			for _, b := range g {
				if !b.Enabled() {
					continue
				}
				if want := b.Help().Key + " " + b.Help().Desc; !strings.Contains(squeeze(seen), want) {
					t.Errorf("%dx%d: help never shows %q", size[0], size[1], want)
				}
			}
		}
		for _, want := range []string{"paste", "ctrl+d", "ctrl+u", "/ filter", "q quit", "esc back"} {
			if !strings.Contains(squeeze(seen), want) {
				t.Errorf("%dx%d: help never shows %q", size[0], size[1], want)
			}
		}
		for _, mk := range h.m.c.styles.Marks() {
			if !strings.Contains(seen, mk.Glyph+"  "+mk.Meaning[:10]) {
				t.Errorf("%dx%d: help never explains the %s mark", size[0], size[1], mk.Glyph)
			}
		}
		if h.m.helpOverlay.Scrolls() && !strings.Contains(seen, "scroll") {
			t.Errorf("%dx%d: the help scrolls but does not say how", size[0], size[1])
		}
		checkFrame(t, h, size[0], size[1])
	}
}

// squeeze collapses runs of spaces, so a key and its description compare
// whatever the column padding.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }
