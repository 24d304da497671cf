package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"faxwatch/api"
	"faxwatch/ui/alert"
	"faxwatch/watchlist"
)

// smokeModel runs a real tea.Program (teatest) on a fake source.
func smokeModel(t *testing.T, src *fakeSource, ids ...api.JobID) *teatest.TestModel {
	t.Helper()
	clock := newClock()
	store, _, err := watchlist.Open(watchlist.Options{Now: clock.Now, OwnerSaves: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Add(ids...); err != nil {
		t.Fatal(err)
	}
	m := New(Options{Source: src, Store: store, Now: clock.Now, Theme: "dark", Host: "127.0.0.1", Notify: alert.Config{Bell: true, On: alert.DefaultOn()}})
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
}

func TestSmokeStartTickKeyQuit(t *testing.T) {
	ids := jobIDs(3)
	src := newSource()
	src.set(status(ids[1], api.StatusFailed, "Busy", 2008, "Line busy"))
	tm := smokeModel(t, src, ids...)
	// Init's immediate tick polls; wait until the answer is on screen.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Line busy")) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	tm.Send(clockMsg{})
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("s"))
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	m := tm.FinalModel(t).(*Model)
	if src.callCount() != 1 {
		t.Errorf("source calls = %d, want 1", src.callCount())
	}
	view := ansi.Strip(m.View().Content)
	if !strings.Contains(view, "sort: by state") {
		t.Errorf("s did not sort by state:\n%s", view)
	}
	if m.selectedID() != ids[1] {
		t.Errorf("selected %s, want the failed job kept selected through the sort", m.selectedID())
	}
}

func TestSmokeQuitWhilePollHangs(t *testing.T) {
	src := newSource()
	src.block = make(chan struct{}) // never answers
	src.started = make(chan struct{}, 1)
	src.ended = make(chan error, 1)
	tm := smokeModel(t, src, jobIDs(1)...)
	select {
	case <-src.started:
	case <-time.After(5 * time.Second):
		t.Fatal("no poll started")
	}
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(time.Second))
	select {
	case err := <-src.ended:
		if err == nil || src.callCount() != 1 {
			t.Errorf("the poll ended with %v after %d calls, want cancelled after 1", err, src.callCount())
		}
	case <-time.After(5 * time.Second):
		t.Error("quit left the poll running")
	}
}
