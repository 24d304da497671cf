package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// loadingHarness is a dashboard whose list is read by Options.Load from a
// file holding ids; it has drawn its first frame and not yet run Init.
func loadingHarness(t *testing.T, loadErr error, ids ...api.JobID) (h *harness, path string) {
	t.Helper()
	clock := newClock()
	path = filepath.Join(t.TempDir(), "watchlist.json")
	seed, _, err := watchlist.Open(watchlist.Options{Path: path, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := seed.Add(ids...); err != nil {
		t.Fatal(err)
	}
	load := func() (*watchlist.Store, []string, error) {
		if loadErr != nil {
			return nil, nil, loadErr
		}
		return watchlist.Open(watchlist.Options{Path: path, Now: clock.Now, OwnerSaves: true})
	}
	return harnessOn(t, Options{Load: load}, clock, nil), path
}

// The first frame does not wait for the list: it says it is loading and no
// poll goes out; once the list is read its rows show and the poll starts.
func TestFirstFrameBeforeTheListIsRead(t *testing.T) {
	ids := []api.JobID{"br0012345h00001x", "br0012345h00002x"}
	h, _ := loadingHarness(t, nil, ids...)
	if got := h.plain(); !strings.Contains(got, "Loading the watchlist…") || !strings.Contains(got, "loading the watchlist…") ||
		strings.Contains(got, "No jobs watched yet") || strings.Contains(got, "0 jobs") {
		t.Fatalf("first frame:\n%s", got)
	}
	if got := h.src.callCount(); got != 0 {
		t.Fatalf("%d calls before the list was read", got)
	}
	h.start()
	if got := h.visibleIDs(); !slices.Equal(got, ids) {
		t.Fatalf("rows after the load = %v, want %v", got, ids)
	}
	if got := h.src.callCount(); got != 1 {
		t.Fatalf("%d calls after the load; want the first poll", got)
	}
	if strings.Contains(h.plain(), "Loading the watchlist") {
		t.Fatal("still says loading")
	}
}

// What arrives before the list: a paste is added once it is there, keys are
// not acted on blind and a toast says so.
func TestInputWhileTheListLoads(t *testing.T) {
	watched := api.JobID("br0012345h00001x")
	tests := []struct {
		name  string
		input []tea.Msg
		check func(t *testing.T, h *harness)
	}{
		{"a paste is added", []tea.Msg{tea.PasteMsg{Content: "ticket: br0012345h00009x"}}, func(t *testing.T, h *harness) {
			if got := h.visibleIDs(); !slices.Equal(got, []api.JobID{watched, "br0012345h00009x"}) {
				t.Fatalf("rows = %v", got)
			}
		}},
		{"keys are ignored, and said so", []tea.Msg{keyMsg("d"), keyMsg("j")}, func(t *testing.T, h *harness) {
			if got := h.visibleIDs(); !slices.Equal(got, []api.JobID{watched}) {
				t.Fatalf("rows = %v; a key pressed before the rows showed acted", got)
			}
			if !strings.Contains(h.toast(), "2 key(s) pressed while the watchlist loaded were ignored") {
				t.Fatalf("toast %q", h.toast())
			}
		}},
		{"pastes beyond the bound are said, after the added toast", append(manyPastes(maxHeldWhileLoading+2), keyMsg("x")), func(t *testing.T, h *harness) {
			if got := h.m.store.Len(); got != 1+maxHeldWhileLoading {
				t.Fatalf("%d jobs watched, want %d", got, 1+maxHeldWhileLoading)
			}
			var texts []string
			for _, q := range h.m.status.toasts {
				texts = append(texts, q.text)
			}
			want := "1 key(s) pressed while the watchlist loaded were ignored; 2 paste(s) beyond the first 64 were not added; paste them again"
			if len(texts) != 2 || !strings.HasPrefix(texts[0], "added") || texts[1] != want {
				t.Fatalf("toasts %q; want the last paste's, then %q", texts, want)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := loadingHarness(t, nil, watched)
			for _, msg := range tt.input {
				h.send(msg)
			}
			h.start()
			tt.check(t, h)
		})
	}
}

// q before the list arrives quits at once and writes nothing.
func TestQuitWhileTheListLoads(t *testing.T) {
	h, path := loadingHarness(t, nil, "br0012345h00001x")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, cmd := h.m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q did nothing while the list loaded")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit while the list loaded")
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("quitting before the list arrived changed the file")
	}
	if h.m.Store().Dirty() {
		t.Fatal("the placeholder list has something to save")
	}
}

// A list that cannot be opened ends the dashboard; the caller reads why.
func TestListThatCannotBeOpened(t *testing.T) {
	refused := errors.New("the watchlist was written by a newer faxwatch")
	h, _ := loadingHarness(t, refused)
	_, cmd := h.m.Update(loadedMsg{err: refused})
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("the dashboard did not quit")
	}
	if !errors.Is(h.m.LoadErr(), refused) {
		t.Fatalf("LoadErr = %v", h.m.LoadErr())
	}
	if got := h.src.callCount(); got != 0 {
		t.Fatalf("%d calls for a list that was never read", got)
	}
}

// manyPastes is n pastes of one new job ID each.
func manyPastes(n int) []tea.Msg {
	var out []tea.Msg
	for i := range n {
		out = append(out, tea.PasteMsg{Content: fmt.Sprintf("br0012345h%05dy", i)})
	}
	return out
}

// Open's warnings queue behind the replayed pastes' toast, not in front of
// it, where each "added" would wait its turn instead of replacing the last.
func TestLoadWarningsWaitBehindThePastes(t *testing.T) {
	clock := newClock()
	path := filepath.Join(t.TempDir(), "watchlist.json")
	load := func() (*watchlist.Store, []string, error) {
		store, warnings, err := watchlist.Open(watchlist.Options{Path: path, Now: clock.Now, OwnerSaves: true})
		return store, append(warnings, "the watchlist held a job twice; kept the first"), err
	}
	h := harnessOn(t, Options{Load: load}, clock, nil)
	for _, p := range manyPastes(3) {
		h.send(p)
	}
	h.start()
	var texts []string
	for _, q := range h.m.status.toasts {
		texts = append(texts, q.text)
	}
	if len(texts) != 2 || !strings.HasPrefix(texts[0], "added") || !strings.Contains(texts[1], "held a job twice") {
		t.Fatalf("toasts %q; want the last paste's, then the warning", texts)
	}
}
