package ui

import (
	"os"
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

// Every key of the KeyMap is in the README's key table, so the table, the
// generated help and the code cannot drift apart.
func TestReadmeListsEveryKey(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skip("no README beside the package:", err)
	}
	text := string(readme)
	start := strings.Index(text, "### Keys")
	end := strings.Index(text[start+1:], "\n## ")
	if start < 0 || end < 0 {
		t.Fatal("README has no Keys section")
	}
	table := text[start : start+1+end]
	shown := map[string]string{"up": "↑", "down": "↓", "pgdown": "pgdn", "paste": "paste"}
	k := DefaultKeyMap()
	for _, g := range k.FullHelp() {
		for _, b := range g {
			for _, name := range b.Keys() {
				want := "`" + name + "`"
				if s, ok := shown[name]; ok {
					want = s
				}
				if !strings.Contains(table, want) {
					t.Errorf("the README's Keys section lacks %s (%s)", want, b.Help().Desc)
				}
			}
		}
	}
}
