package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// fileModel is a dashboard over a watchlist file holding ids.
func fileModel(t *testing.T, ids ...api.JobID) (*Model, *fakeSource, string) {
	t.Helper()
	path := t.TempDir() + "/watchlist.json"
	clock := newClock()
	writeList(t, path, ids...)
	store, _, err := watchlist.Open(watchlist.Options{Path: path, Now: clock.Now, OwnerSaves: true})
	if err != nil {
		t.Fatal(err)
	}
	src := newSource()
	m := New(Options{Source: src, Store: store, Now: clock.Now, Theme: "dark", After: noTimers})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	return m, src, path
}

// onFile is what a fresh process would read from path.
func onFile(t *testing.T, path string) []api.JobID {
	t.Helper()
	s, _, err := watchlist.Open(watchlist.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	var out []api.JobID
	for _, e := range s.Entries() {
		out = append(out, e.ID)
	}
	return out
}

// saveIn finds the save command's message among what cmd produces.
func saveIn(t testing.TB, cmd tea.Cmd) (saveDoneMsg, bool) {
	t.Helper()
	msgs, _, _ := collect(cmd)
	for _, msg := range msgs {
		if done, ok := msg.(saveDoneMsg); ok {
			return done, true
		}
	}
	return saveDoneMsg{}, false
}

func TestSavesRunInCommandsOneAtATime(t *testing.T) {
	ids := jobIDs(3)
	m, _, path := fileModel(t, ids...)
	res := &api.Result{Return: true, Jobs: []api.JobStatus{status(ids[0], api.StatusFailed, "Line busy", 2008, "Busy")}}
	_, cmd := m.Update(nextAnswer(t, m, res))
	if !m.store.Dirty() {
		t.Fatal("Update saved the answer itself")
	}
	first, ok := saveIn(t, cmd)
	if !ok {
		t.Fatal("applying an answer started no save")
	}

	// While the save is in flight, a removal starts no second one.
	press(m, "j")
	if cmd := press(m, "x"); cmd != nil {
		if _, ok := saveIn(t, cmd); ok {
			t.Fatal("a second save started while one was in flight")
		}
	}
	_, cmd = m.Update(first)
	equalIDsUI(t, "file after the first save", onFile(t, path), ids)
	second, ok := saveIn(t, cmd)
	if !ok {
		t.Fatal("the removal made during the save was never saved")
	}
	if _, cmd = m.Update(second); cmd != nil {
		if _, ok := saveIn(t, cmd); ok {
			t.Fatal("a save started with nothing left to save")
		}
	}
	equalIDsUI(t, "file after the follow-up save", onFile(t, path), []api.JobID{ids[0], ids[2]})
	if m.store.Dirty() {
		t.Fatal("unsaved changes after the follow-up save")
	}
}

func TestQuitWritesUnsavedChanges(t *testing.T) {
	ids := jobIDs(2)
	m, _, path := fileModel(t, ids...)
	press(m, "x") // its save command is dropped, as when the program exits
	press(m, "q")
	equalIDsUI(t, "file after quit", onFile(t, path), ids[1:])
}

func equalIDsUI(t *testing.T, what string, got, want []api.JobID) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
	}
}

// TestShutdownSavesLikeQuit: a signal (SIGHUP when the terminal closes) ends
// the dashboard through q's path, so a removal made while an earlier save
// was still in flight reaches the file.
func TestShutdownSavesLikeQuit(t *testing.T) {
	ids := jobIDs(3)
	m, _, path := fileModel(t, ids...)
	inFlight := press(m, "x") // removes ids[0]; its save is in flight
	if !m.disk.busy {
		t.Fatal("the removal started no save")
	}
	press(m, "x") // removes ids[1] while the disk is busy
	_, cmd := m.Update(ShutdownMsg{Reason: "hangup"})
	if cmd == nil {
		t.Fatal("shutdown returned no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("shutdown did not quit the program")
	}
	equalIDsUI(t, "file after shutdown", onFile(t, path), ids[2:])
	if got := m.Unsaved(); got != "" {
		t.Errorf("Unsaved() = %q after a clean save", got)
	}
	// The stale save finishing late must not bring the jobs back.
	if done, ok := saveIn(t, inFlight); ok {
		m.Update(done)
	}
	equalIDsUI(t, "file after the late save", onFile(t, path), ids[2:])
}
