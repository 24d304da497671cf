package ui

import (
	"strings"
	"testing"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// TestJobsRemovedByAnotherFaxwatch: two processes on one watchlist file, a
// dashboard and a plain Store standing for another faxwatch. Whatever the
// other one removes is named in a toast and comes back with u, with the note
// typed here, whether the note was saved before the removal was noticed or
// typed while the job was already gone.
func TestJobsRemovedByAnotherFaxwatch(t *testing.T) {
	ids := jobIDs(4)
	tests := []struct {
		name   string
		remove []api.JobID
		// act drives the dashboard; removeElsewhere makes the other
		// process remove its jobs at the right moment.
		act        func(h *harness, removeElsewhere func())
		wantToasts []string // in order, after act
		note       string   // the note the restored job carries ("" for none)
	}{
		{
			name:   "a note saved for a job removed before it was noticed",
			remove: ids[1:2],
			act: func(h *harness, removeElsewhere func()) {
				removeElsewhere()
				h.key("j", "n")
				h.typeText("ACME renewal")
				h.key("enter") // its save finds the job gone from the file
			},
			wantToasts: []string{"removed by another faxwatch: " + string(ids[1]) + " (u to restore)"},
			note:       "ACME renewal",
		},
		{
			name:   "a note typed while a reload removes the job",
			remove: ids[1:2],
			act: func(h *harness, removeElsewhere func()) {
				h.key("j", "n")
				h.typeText("ACME renewal")
				removeElsewhere()
				h.fire(tickMsg{}) // the refresh reloads the file
				if got := h.toast(); got != "removed by another faxwatch: "+string(ids[1])+" (u to restore)" {
					t.Errorf("toast while typing = %q", got)
				}
				h.key("enter")
			},
			wantToasts: []string{string(ids[1]) + " was removed by another faxwatch; note kept (u to restore)"},
			note:       "ACME renewal",
		},
		{
			name:   "several removed at a refresh",
			remove: []api.JobID{ids[0], ids[2], ids[3]},
			act: func(h *harness, removeElsewhere func()) {
				removeElsewhere()
				h.fire(tickMsg{})
			},
			wantToasts: []string{"removed by another faxwatch: " + string(ids[0]) + ", " + string(ids[2]) + ", " +
				string(ids[3]) + " (u to restore)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := t.TempDir() + "/watchlist.json"
			writeList(t, path, ids...)
			h, err := newFileHarness(t, Options{}, path)
			if err != nil {
				t.Fatal(err)
			}
			h.start()
			other, _, err := watchlist.Open(watchlist.Options{Path: path, Now: h.clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			tt.act(h, func() {
				if _, err := other.Remove(tt.remove...); err != nil {
					t.Fatal(err)
				}
			})
			if got := h.toast(); got != tt.wantToasts[0] {
				t.Errorf("toast = %q, want %q", got, tt.wantToasts[0])
			}
			for _, id := range tt.remove {
				if _, ok := h.store.Entry(id); ok {
					t.Errorf("%s is still watched after another faxwatch removed it", id)
				}
			}

			h.key("u")
			if got := h.toast(); !strings.HasPrefix(got, "restored ") {
				t.Errorf("u says %q, want restored …", got)
			}
			equalIDsUI(t, "rows after u", h.visibleIDs(), ids)
			equalIDsUI(t, "file after u", onFile(t, path), ids)
			if tt.note != "" {
				if e, _ := h.store.Entry(tt.remove[0]); e.Note != tt.note {
					t.Errorf("restored note = %q, want %q", e.Note, tt.note)
				}
				if e, _ := fileEntry(t, path, tt.remove[0]); e.Note != tt.note {
					t.Errorf("note on file = %q, want %q", e.Note, tt.note)
				}
			}
		})
	}
}

// fileEntry is id as a fresh process would read it from path.
func fileEntry(t *testing.T, path string, id api.JobID) (watchlist.Entry, bool) {
	t.Helper()
	s, _, err := watchlist.Open(watchlist.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	return s.Entry(id)
}
