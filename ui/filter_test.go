package ui

import (
	"slices"
	"testing"

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
