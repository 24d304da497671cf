package ui

import (
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
)

// The filter matches what the row shows, notes and staleness included, and
// takes field:word terms, negated with '-', ANDed.
func TestFilterSyntax(t *testing.T) {
	ids := append(jobIDs(9), "JRI-REF-2026-0042")
	cases := []struct {
		query string
		want  []int // indexes into ids
	}{
		{"URGENT", []int{2}},
		{"stale", []int{2}},
		{"is:stale", []int{2}},
		{"note:customer", []int{1}},
		{"state:failed", []int{1, 6, 7}},
		{"state:failed error:2011", []int{6}},
		{"state:failed -note:customer", []int{6, 7}},
		{"-state:succeeded -state:failed", []int{2, 3, 4, 8}},
		{"failed: busy", []int{1}}, // an unknown field is plain text
		{"state:", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"id:jri", []int{9}},
		{"desc:page", []int{2}},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			h := fixture(t, "dark")
			h.m.table.SetFilter(c.query)
			var got []api.JobID
			for i := range h.m.table.Len() {
				got = append(got, h.m.table.ix.id(i))
			}
			var want []api.JobID
			for _, i := range c.want {
				want = append(want, ids[i])
			}
			if !slices.Equal(got, want) {
				t.Errorf("/%s = %v, want %v", c.query, got, want)
			}
		})
	}
}

// Typing a negated term does not search within the previous, narrower
// result: "-state:s" then "-state:su" must show more rows, not fewer.
func TestFilterNegationIsNotNarrowing(t *testing.T) {
	h := fixture(t, "dark")
	h.key("/")
	h.typeText("-state:s")
	narrow := h.m.table.Len()
	h.typeText("u")
	if h.m.table.Len() <= narrow {
		t.Errorf("-state:su shows %d rows, -state:s %d", h.m.table.Len(), narrow)
	}
}

// Text typed or pasted into the filter line matches the row that shows it,
// whatever the line shows in its place: a Thai vowel, a decomposed accent,
// an escape copied off the screen.
func TestFilterMatchesWhatTheRowShows(t *testing.T) {
	cases := []struct {
		name, note string
		typed      []tea.Msg
	}{
		{"a Thai vowel typed", "\u0e01\u0e34 ticket", []tea.Msg{typed("\u0e01\u0e34")}},
		{"a decomposed accent pasted", "Mu\u0308ller", []tea.Msg{tea.PasteMsg{Content: "mu\u0308ller"}}},
		{"an escape copied off the screen", "a\u200bb", []tea.Msg{typed(`a\u{200B}b`)}},
		{"an escape in lower case", "a\u200bb", []tea.Msg{typed(`a\u{200b}b`)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{}, jobIDs(3)...)
			h.start()
			if err := h.store.SetNote(jobIDs(3)[1], c.note); err != nil {
				t.Fatal(err)
			}
			h.key("/")
			h.drive(c.typed...)
			if got := h.visibleIDs(); !slices.Equal(got, jobIDs(3)[1:2]) {
				t.Errorf("rows %v, want only %v (line %q)", got, jobIDs(3)[1], h.m.input.Line())
			}
		})
	}
}
