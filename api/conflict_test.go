package api

import (
	"strings"
	"testing"
)

// One answer holding two items for one job that disagree: the more final is
// taken whatever the order, and the job says so.
func TestDisagreeingItemsForOneJob(t *testing.T) {
	item := func(id string, status int, desc string) WireItem {
		return WireItem{FaxJobID: id, StatusID: status, Description: desc}
	}
	unusable := WireItem{FaxJobID: "br00000001", StatusID: 1, Description: strings.Repeat("x", maxWireText+1)}
	type want struct {
		state    State
		desc     string
		conflict string
	}
	cases := []struct {
		name  string
		asked []JobID
		items []WireItem
		want  []want
	}{
		{"processing then failed", ids("br00000001"), []WireItem{item("br00000001", 3, "Sending"), item("br00000001", 2, "Busy")},
			[]want{{StateFailed, "Busy", "2 items in the answer disagreed: failed (shown), processing"}}},
		{"failed then processing", ids("br00000001"), []WireItem{item("br00000001", 2, "Busy"), item("br00000001", 3, "Sending")},
			[]want{{StateFailed, "Busy", "2 items in the answer disagreed: failed (shown), processing"}}},
		{"failed over succeeded", ids("br00000001"), []WireItem{item("br00000001", 1, "Done"), item("br00000001", 2, "Busy")},
			[]want{{StateFailed, "Busy", "2 items in the answer disagreed: failed (shown), succeeded"}}},
		{"invalid over succeeded", ids("br00000001"), []WireItem{item("br00000001", 1, "Done"), item("br00000001", -5019, "No such job")},
			[]want{{StateInvalid, "No such job", "2 items in the answer disagreed: invalid (shown), succeeded"}}},
		{"processing over unknown", ids("br00000001"), []WireItem{item("br00000001", 42, "Odd"), item("br00000001", 3, "Sending")},
			[]want{{StateProcessing, "Sending", "2 items in the answer disagreed: processing (shown), unknown (42)"}}},
		{"usable over unusable", ids("br00000001"), []WireItem{unusable, item("br00000001", 1, "Done")},
			[]want{{StateSucceeded, "Done", "2 items in the answer disagreed: succeeded (shown), unusable"}}},
		{"a tie goes to the ID as asked", ids("br00000001"), []WireItem{item("BR00000001", 42, "Upper"), item("br00000001", 77, "Lower")},
			[]want{{StateUnknown, "Lower", "2 items in the answer disagreed: unknown (77) (shown), unknown (42)"}}},
		{"agreeing items are no conflict", ids("br00000001"), []WireItem{item("br00000001", 1, "Done"), item("br00000001", 1, "Done at 10:02")},
			[]want{{StateSucceeded, "Done", ""}}},
		{"three items, named", ids("br00000001"), []WireItem{item("br00000001", 3, "a"), item("br00000001", 1, "b"), item("br00000001", 2, "c")},
			[]want{{StateFailed, "c", "3 items in the answer disagreed: failed (shown), processing, succeeded"}}},
		{"a disagreeing duplicate never answers a JRI- look-up", ids("br00000001", "JRI-REF1"),
			[]WireItem{item("br00000001", 3, "Sending"), item("br00000001", 2, "Busy"), item("br00000077", 1, "Done")},
			[]want{{StateFailed, "Busy", "2 items in the answer disagreed: failed (shown), processing"}, {StateSucceeded, "Done", ""}}},
		{"an agreeing duplicate still answers a JRI- look-up of the same job", ids("br00000001", "JRI-REF1"),
			[]WireItem{item("br00000001", 1, "Done"), item("br00000001", 1, "Done")},
			[]want{{StateSucceeded, "Done", ""}, {StateSucceeded, "Done", ""}}},
		{"a JRI- look-up answered twice, disagreeing", ids("JRI-REF1"), []WireItem{item("br00000077", 3, "Sending"), item("br00000077", 2, "Busy")},
			[]want{{StateFailed, "Busy", "2 items in the answer disagreed: failed (shown), processing"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := statusAnswered(t, tc.asked, tc.items)
			for i, j := range res.Jobs {
				w := tc.want[i]
				if j.State != w.state || j.Description != w.desc || j.Conflict != w.conflict || !j.Fresh() {
					t.Errorf("job %s: state %s, description %q, conflict %q; want %s, %q, %q",
						j.JobID, j.State, j.Description, j.Conflict, w.state, w.desc, w.conflict)
				}
			}
		})
	}
}
