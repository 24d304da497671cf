package ui

import (
	"strings"
	"testing"
)

// However narrow the line, the footer keeps ? and q and never ends in "…".
func TestFooterKeepsHelpAndQuit(t *testing.T) {
	cases := []struct {
		name  string
		w     int
		keys  []string
		wants []string
	}{
		{"80 wide", 80, nil, []string{"? help", "q quit"}},
		{"120 wide with a filter kept", 120, []string{"/", "f", "enter"}, []string{"esc back", "? help", "q quit"}},
		{"60 wide detail", 60, []string{"enter"}, []string{"enter/esc close", "? help", "q quit"}},
		{"40 wide input", 40, []string{"a"}, []string{"enter confirm", "esc cancel", "ctrl+c quit"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := fixture(t, "dark")
			h.send(teaSize(c.w, 24))
			h.key(c.keys...)
			lines := strings.Split(h.plain(), "\n")
			footer := lines[len(lines)-1]
			for _, want := range c.wants {
				if !strings.Contains(footer, want) {
					t.Errorf("footer %q lacks %q", footer, want)
				}
			}
			if strings.Contains(footer, "…") {
				t.Errorf("footer cut off: %q", footer)
			}
		})
	}
}
