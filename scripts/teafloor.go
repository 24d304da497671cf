//go:build ignore

// teafloor is the idle floor of Bubble Tea v2 itself, for scripts/bench.sh: a
// program whose view never changes and that schedules nothing, in the alt
// screen like the dashboard. Its idle CPU is what the renderer's fixed-rate
// ticker costs before faxwatch does anything: go run scripts/teafloor.go -fps 60
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
)

type static struct{ frame string }

func (s static) Init() tea.Cmd { return nil }

func (s static) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "q" {
		return s, tea.Quit
	}
	return s, nil
}

func (s static) View() tea.View {
	v := tea.NewView(s.frame)
	v.AltScreen = true
	return v
}

func main() {
	fps := flag.Int("fps", 60, "the renderer's frame rate (Bubble Tea's default is 60)")
	flag.Parse()
	lines := make([]string, 48)
	for i := range lines {
		lines[i] = fmt.Sprintf("JOB ID %-20d %s", i, strings.Repeat("·", 60))
	}
	if _, err := tea.NewProgram(static{frame: strings.Join(lines, "\n")}, tea.WithFPS(*fps)).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "teafloor:", err)
		os.Exit(1)
	}
}
