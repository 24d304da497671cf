package ui

import (
	"strings"
	"testing"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// FuzzHostileText puts arbitrary server text in every field the dashboard
// shows, and arbitrary pasted text into the watchlist and an input: the
// frame must keep its size and no control character may reach it.
func FuzzHostileText(f *testing.F) {
	for _, seed := range []string{
		"plain", "\x1b]0;title\a", "\x1b[2J\x1b[H", "\x9b31m", "a\r\nb\tc", "wide 漢字 ✓", "\u202eRTL", "\x00\x7f",
		strings.Repeat("x", 500),
	} {
		f.Add(seed, seed)
	}
	f.Fuzz(func(t *testing.T, server, pasted string) {
		clock := newClock()
		store, _, err := watchlist.Open(watchlist.Options{Now: clock.Now, OwnerSaves: true})
		if err != nil {
			t.Fatal(err)
		}
		id := jobIDs(1)[0]
		if _, _, err := store.Add(id); err != nil {
			t.Fatal(err)
		}
		js := status(id, api.StatusFailed, server, 7, server)
		js.FaxJobID = server
		js.Call.Call.ActivityID, js.Call.WSError.Message = server, server
		js.Details = &api.Details{Method: api.MethodGetRealTimeFaxStatusEx2, RemoteCSID: server, ReferenceID: server}
		src := newSource()
		src.set(js)
		m := New(Options{Source: src, Store: store, Now: clock.Now, Theme: "dark", Method: api.MethodGetRealTimeFaxStatusEx2,
			After: noTimers})
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m.Update(nextAnswer(t, m, mustStatus(t, src, id)))
		steps := []struct {
			name string
			do   func()
		}{
			{"pasted on the dashboard", func() { m.Update(tea.PasteMsg{Content: pasted}) }},
			{"note input holds the paste", func() { press(m, "g"); press(m, "n"); m.Update(tea.PasteMsg{Content: pasted}) }},
			{"note saved", func() { press(m, "enter") }},
			{"detail pane", func() { press(m, "enter") }},
			{"filter holds the paste", func() { press(m, "esc"); press(m, "/"); m.Update(tea.PasteMsg{Content: pasted}) }},
			{"filter applied", func() { press(m, "enter") }},
		}
		for _, step := range steps {
			step.do()
			view := ansi.Strip(m.View().Content)
			lines := strings.Split(view, "\n")
			if len(lines) != 24 {
				t.Fatalf("%s: %d lines", step.name, len(lines))
			}
			for _, r := range view {
				if r != '\n' && (unicode.IsControl(r) || r == 0x9b) {
					t.Fatalf("%s: control %U reached the view", step.name, r)
				}
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != 80 {
					t.Fatalf("%s: line %d is %d wide: %q", step.name, i, w, l)
				}
			}
		}
	})
}

func mustStatus(t *testing.T, src *fakeSource, ids ...api.JobID) *api.Result {
	t.Helper()
	res, err := src.Status(t.Context(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
