package ui

import (
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// A watchlist file corrupted between two syncs is moved aside by the store;
// the dashboard must say so, whichever sync found it.
func TestStoreWarningsBecomeToasts(t *testing.T) {
	cases := []struct {
		name string
		sync func(h *harness)
	}{
		{"reload on tick", func(h *harness) { h.fire(tickMsg{}) }},
		{"save after add", func(h *harness) { h.send(tea.PasteMsg{Content: "br0012345h00009x"}) }},
		{"save after poll", func(h *harness) { h.key("R") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := t.TempDir() + "/watchlist.json"
			writeList(t, path, jobIDs(2)...)
			h, err := newFileHarness(t, Options{}, path)
			if err != nil {
				t.Fatal(err)
			}
			h.start()
			if _, ok := h.m.status.Current(); ok {
				t.Fatalf("toast before anything went wrong: %q", h.toast())
			}
			h.clock.Advance(time.Second)
			if err := os.WriteFile(path, []byte("{\"version\": 1, \"jobs\": [tru"), 0o600); err != nil {
				t.Fatal(err)
			}
			c.sync(h)
			// The answer to the key comes first; the warning waits its turn.
			var queued []string
			found := false
			for _, q := range h.m.status.toasts {
				queued = append(queued, q.text)
				found = found || q.isErr && strings.Contains(q.text, "was unreadable") && strings.Contains(q.text, "moved aside")
			}
			if !found {
				t.Errorf("toasts = %q, want the store's warning about the corrupt file", queued)
			}
			if w := h.store.TakeWarnings(); len(w) != 0 {
				t.Errorf("warnings left in the store: %q", w)
			}
		})
	}
}

// writeList saves ids to a watchlist file at path, as `faxwatch watch add`
// does.
func writeList(t *testing.T, path string, ids ...api.JobID) {
	t.Helper()
	s, _, err := watchlist.Open(watchlist.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Add(ids...); err != nil {
		t.Fatal(err)
	}
}
