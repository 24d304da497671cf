package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
)

// A paste selects the first added job and scrolls the added rows into view;
// a paste of jobs already watched selects the first of them.
func TestPasteRevealsTheAddedRows(t *testing.T) {
	all := jobIDs(60)
	cases := []struct {
		name      string
		pasted    []api.JobID
		wantSel   api.JobID
		wantShown []api.JobID // all of these on screen
	}{
		{"three new below the window", all[42:45], all[42], all[42:45]},
		{"none new: the first already watched", []api.JobID{all[30], all[35]}, all[30], []api.JobID{all[30], all[35]}},
		{"more than fit: the first at the top", all[42:60], all[42], all[42 : 42+17]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{}, all[:42]...)
			h.start()
			h.send(teaSize(80, 24))
			var text []string
			for _, id := range c.pasted {
				text = append(text, string(id))
			}
			h.send(tea.PasteMsg{Content: strings.Join(text, "\n")})
			if got := h.selectedID(); got != c.wantSel {
				t.Errorf("selected %s, want %s", got, c.wantSel)
			}
			shown := h.visibleIDs()
			for _, id := range c.wantShown {
				if !slices.Contains(shown, id) {
					t.Errorf("%s is not on screen; shown %v", id, shown)
				}
			}
		})
	}
}

// Jobs added with a filter that hides them clear the filter.
func TestAddUnderAFilterShowsTheJob(t *testing.T) {
	all := jobIDs(3)
	h := newHarness(t, Options{}, all[:2]...)
	h.start()
	h.key("/")
	h.typeText("zzz")
	h.key("enter")
	h.send(tea.PasteMsg{Content: string(all[2])})
	if h.m.table.Query() != "" || h.selectedID() != all[2] {
		t.Errorf("filter %q, selected %s; want no filter and %s", h.m.table.Query(), h.selectedID(), all[2])
	}
}

// `a` reveals what it added, as a paste does.
func TestAddKeyRevealsTheAddedRow(t *testing.T) {
	all := jobIDs(50)
	h := newHarness(t, Options{}, all[:49]...)
	h.start()
	h.send(teaSize(80, 24))
	h.key("a")
	h.typeText(string(all[49]))
	h.key("enter")
	if h.selectedID() != all[49] || !slices.Contains(h.visibleIDs(), all[49]) {
		t.Errorf("after a: selected %s, shown %v", h.selectedID(), h.visibleIDs())
	}
}
