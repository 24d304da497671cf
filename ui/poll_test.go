package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
	"faxwatch/ui/alert"
	"faxwatch/watchlist"
)

func TestPollCycle(t *testing.T) {
	ids := jobIDs(3)
	h := newHarness(t, Options{Interval: 20 * time.Second}, ids...)
	h.src.set(status(ids[0], api.StatusSucceeded, "Job completed", 0, ""))
	h.start()

	if got := h.src.callCount(); got != 1 {
		t.Fatalf("Init polled %d times, want 1", got)
	}
	if got := len(h.src.lastCall()); got != 3 {
		t.Fatalf("first poll asked %d IDs, want 3", got)
	}
	tick, ok := h.lastTick()
	if !ok || tick.d != 20*time.Second {
		t.Fatalf("after the poll the timer is %v (armed %v), want 20s", tick.d, ok)
	}
	view := h.plain()
	for _, want := range []string{"✓ succeeded", "⟳ processing", "✓ 1 succeeded", "⟳ 2 processing", "updated just now"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}

	h.clock.Advance(8 * time.Second)
	h.send(clockMsg{})
	if !strings.Contains(h.plain(), "updated 8s ago") {
		t.Errorf("clock tick did not age the header:\n%s", h.plain())
	}

	h.clock.Advance(12 * time.Second)
	h.fire(tickMsg{})
	if got := h.src.callCount(); got != 2 {
		t.Fatalf("tick polled %d times in all, want 2", got)
	}
	if got := h.src.lastCall(); len(got) != 2 || got[0] != ids[1] {
		t.Errorf("second poll asked %v, want only the two non-final jobs", got)
	}
}

func TestOverlapGuardAndQueuedRefresh(t *testing.T) {
	ids := jobIDs(2)
	h := newHarness(t, Options{}, ids...)
	h.src.block = make(chan struct{})
	h.src.started = make(chan struct{}, 4)

	wait := h.startAsync()
	<-h.src.started // the poll hangs in its goroutine

	// The UI answers while the poll hangs; a tick does not start another.
	h.key("j")
	if h.selectedID() != ids[1] {
		t.Errorf("selection did not move while a poll was in flight")
	}
	h.key("p", "p") // a resume during the poll arms the timer
	h.fire(tickMsg{})
	if _, ok := h.lastTick(); !ok {
		t.Error("a tick during a poll did not re-arm the timer")
	}
	h.key("r")
	if !strings.Contains(h.toast(), "queued") {
		t.Errorf("r during a poll: toast %q, want a note that it is queued", h.toast())
	}
	if got := h.src.callCount(); got != 1 {
		t.Fatalf("%d calls while one was in flight, want 1", got)
	}

	close(h.src.block)
	wait()
	if got := h.src.callCount(); got != 2 {
		t.Fatalf("queued refresh did not run after the poll: %d calls", got)
	}
	h.key("r") // nothing in flight any more: r polls at once
	if got := h.src.callCount(); got != 3 {
		t.Errorf("r after the queue ran: %d calls, want 3 (a poll is still marked in flight?)", got)
	}
}

// A poll that outlives its deadline is abandoned; its late answer never
// overwrites what a newer poll brought.
func TestLateAnswerNeverOverwritesANewerOne(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{}, ids...)
	h.start()
	h.src.block = make(chan struct{})
	h.src.started = make(chan struct{}, 1)
	h.src.deaf = true // its answer arrives after all
	h.src.set(status(ids[0], api.StatusFailed, "late", 1, "x"))
	wait := h.fireAsync(tickMsg{})
	<-h.src.started
	h.fire(pollTimeoutMsg{})
	if e, _ := h.store.Entry(ids[0]); !e.Last.Stale {
		t.Error("rows of an abandoned poll are not marked stale")
	}
	if !strings.Contains(h.plain(), "no answer within 2m") {
		t.Errorf("the header does not say the poll was abandoned:\n%s", h.plain())
	}

	hung := h.src.block
	h.src.block = nil // the next poll answers at once
	h.src.set(status(ids[0], api.StatusProcessing, "Sending page 2 of 3", 0, ""))
	h.key("r")
	if e, _ := h.store.Entry(ids[0]); e.Last.Description != "Sending page 2 of 3" {
		t.Fatalf("r after the abandoned poll: %q, want its answer", e.Last.Description)
	}
	h.src.set(status(ids[0], api.StatusFailed, "late", 1, "x"))
	close(hung)
	wait()
	if e, _ := h.store.Entry(ids[0]); e.Last.State != api.StateProcessing || e.Last.Description != "Sending page 2 of 3" || e.Last.Stale {
		t.Errorf("the abandoned poll's late answer overwrote the newer one: %s %q", e.Last.State, e.Last.Description)
	}
}

func TestBackoffAndRecovery(t *testing.T) {
	ids := jobIDs(2)
	h := newHarness(t, Options{Interval: 20 * time.Second}, ids...)
	h.start() // one good poll: rows have data
	h.src.setErr(errors.New("HTTP 503 Service Unavailable"))

	want := []time.Duration{40 * time.Second, 80 * time.Second, 160 * time.Second, 5 * time.Minute, 5 * time.Minute}
	for i, w := range want {
		h.clock.Advance(time.Second)
		h.fire(tickMsg{})
		tick, _ := h.lastTick()
		if tick.d != w {
			t.Fatalf("after failure %d the timer is %v, want %v", i+1, tick.d, w)
		}
	}
	view := h.plain()
	if !strings.Contains(view, "stale since 10:42:02: HTTP 503 Service Unavailable, retrying in 5m") {
		t.Errorf("header lacks the stale line:\n%s", view)
	}
	if !strings.Contains(view, "⟳ processing") || !strings.Contains(view, "~ 2 stale") {
		t.Errorf("a failed poll blanked rows or did not mark them stale:\n%s", view)
	}
	for _, id := range ids {
		if e, _ := h.store.Entry(id); !e.Last.Stale || e.Last.State != api.StateProcessing {
			t.Errorf("%s: stale=%v state=%s, want stale with its last data", id, e.Last.Stale, e.Last.State)
		}
	}

	h.src.setErr(nil)
	h.fire(tickMsg{})
	tick, _ := h.lastTick()
	if tick.d != 20*time.Second {
		t.Errorf("after a success the timer is %v, want the normal 20s", tick.d)
	}
	if strings.Contains(h.plain(), "stale since") {
		t.Error("stale line still shown after a successful poll")
	}
}

func TestPauseResumeAndInterval(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{Interval: 10 * time.Second}, ids...)
	h.start()
	h.key("p")
	if !strings.Contains(h.plain(), "PAUSED") {
		t.Fatalf("no PAUSED marker:\n%s", h.plain())
	}
	calls := h.src.callCount()
	h.fire(tickMsg{}) // armed before the pause
	if h.src.callCount() != calls {
		t.Fatal("a tick polled while paused")
	}
	h.key("p")
	if h.src.callCount() != calls+1 {
		t.Fatal("resume did not poll at once")
	}
	if strings.Contains(h.plain(), "PAUSED") {
		t.Error("PAUSED marker stays after resume")
	}

	h.key("-", "-", "-")
	if !strings.Contains(h.plain(), "every 5s") || !strings.Contains(h.toast(), "(the limit)") {
		t.Errorf("three - from 10s: want the 5s floor, toast %q:\n%s", h.toast(), h.plain())
	}
	h.key("+")
	if !strings.Contains(h.plain(), "every 10s") {
		t.Errorf("+ from 5s does not show 10s in the header:\n%s", h.plain())
	}
	if tick, _ := h.lastTick(); tick.d != 10*time.Second {
		t.Errorf("+ re-armed the timer at %v, want 10s", tick.d)
	}
}

func TestFullRefreshRepollsFinal(t *testing.T) {
	ids := jobIDs(2)
	h := newHarness(t, Options{}, ids...)
	h.src.set(status(ids[0], api.StatusSucceeded, "done", 0, ""), status(ids[1], api.StatusSucceeded, "done", 0, ""))
	h.start()
	calls := h.src.callCount()
	h.key("r")
	if h.src.callCount() != calls || !strings.Contains(h.toast(), "R re-polls") {
		t.Errorf("r with only final jobs: calls %d→%d, toast %q", calls, h.src.callCount(), h.toast())
	}
	h.key("R")
	if h.src.callCount() != calls+1 || len(h.src.lastCall()) != 2 {
		t.Errorf("R did not re-poll the final jobs: %v", h.src.lastCall())
	}
}

func TestBellOncePerTurnToFailed(t *testing.T) {
	for _, bell := range []bool{true, false} {
		ids := jobIDs(2)
		h := newHarness(t, Options{Notify: alert.Config{Bell: bell, On: alert.DefaultOn()}}, ids...)
		h.start()
		h.src.set(status(ids[0], api.StatusFailed, "Busy", 2008, "line busy"),
			status(ids[1], api.StatusFailed, "No answer", 2009, "no answer"))
		h.fire(tickMsg{})
		h.key("R")
		bells := h.bells()
		want := 0
		if bell {
			want = 1
		}
		if bells != want {
			t.Errorf("bell=%v: %d BELs for two jobs turning failed then a re-poll, want %d", bell, bells, want)
		}
		if !strings.Contains(h.plain(), "•") {
			t.Errorf("changed rows are not marked:\n%s", h.plain())
		}
	}
}

// A job already failed when first answered (a pasted list of old failures)
// did not turn failed: no bell.
func TestNoBellForAFailureAlreadyThere(t *testing.T) {
	ids := jobIDs(2)
	h := newHarness(t, Options{Notify: alert.Config{Bell: true, On: alert.DefaultOn()}}, ids...)
	h.src.set(status(ids[1], api.StatusFailed, "Busy", 2008, "Line busy"))
	h.start()
	if e, _ := h.store.Entry(ids[1]); e.Last.State != api.StateFailed {
		t.Fatalf("the first poll did not bring the failure: %s", e.Last.State)
	}
	if n := h.bells(); n != 0 {
		t.Errorf("%d BELs for a job that was failed when first answered, want none", n)
	}
}

func TestQuitCancelsHangingPoll(t *testing.T) {
	h := newHarness(t, Options{}, jobIDs(1)...)
	h.src.block = make(chan struct{}) // never released
	h.src.started = make(chan struct{}, 1)
	wait := h.startAsync()
	<-h.src.started
	cmd := press(h.m, "q")
	if cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q did not quit")
	}
	wait() // returns only because quitting cancelled the poll's context
}

func TestReloadPicksUpOtherProcess(t *testing.T) {
	path := t.TempDir() + "/watchlist.json"
	clock := newClock()
	other, _, err := watchlist.Open(watchlist.Options{Path: path, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	mine, _, err := watchlist.Open(watchlist.Options{Path: path, Now: clock.Now, OwnerSaves: true})
	if err != nil {
		t.Fatal(err)
	}
	src := newSource()
	m := New(Options{Source: src, Store: mine, Now: clock.Now, Theme: "dark",
		After: func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd { return nil }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	if _, _, err := other.Add(jobIDs(1)...); err != nil {
		t.Fatal(err)
	}
	first, _, _ := collect(m.Init())
	_, cmd := m.Update(first[0])
	if strings.Contains(ansi.Strip(m.View().Content), string(jobIDs(1)[0])) || cmd == nil {
		t.Fatalf("the tick read the file in Update, or not at all")
	}
	done, ok := cmd().(reloadDoneMsg) // the read runs in a command
	if !ok {
		t.Fatal("the tick did not start a reload")
	}
	_, cmd = m.Update(done)
	if !strings.Contains(ansi.Strip(m.View().Content), string(jobIDs(1)[0])) {
		t.Fatalf("after the reload the table lacks the job added elsewhere")
	}
	collect(cmd)
	if got := src.lastCall(); len(got) != 1 || got[0] != jobIDs(1)[0] {
		t.Errorf("after the reload the poll asked for %v, want the job added elsewhere", got)
	}
	m.quit()
}

func TestRateLimitHoldsTheTimerUntilTheServerSays(t *testing.T) {
	tests := []struct {
		name    string
		ask     time.Duration // what the server's Retry-After came to
		holdFor time.Duration // what the dashboard obeys
		says    string
	}{
		{"twenty minutes", 20 * time.Minute, 20 * time.Minute, "retrying in 20m"},
		{"a century is capped", 876000 * time.Hour, api.MaxHoldOff, "retrying in 1h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := jobIDs(2)
			h := newHarness(t, Options{Interval: 20 * time.Second}, ids...)
			h.start()
			h.src.setErr(&api.RateLimitError{Until: h.clock.Now().Add(time.Second + tt.ask), HTTPStatus: 429})

			h.clock.Advance(time.Second)
			h.fire(tickMsg{})
			tick, _ := h.lastTick()
			if tick.d != tt.holdFor {
				t.Fatalf("after a rate limit of %v the timer is %v, want %v", tt.ask, tick.d, tt.holdFor)
			}
			view := h.plain()
			if !strings.Contains(view, tt.says) {
				t.Errorf("header does not say when the next try is (%q):\n%s", tt.says, view)
			}
			if strings.Contains(view, "every 20s") || !strings.Contains(view, "held off by the server until") {
				t.Errorf("header claims the interval runs while held off:\n%s", view)
			}

			// When the hold ends the timer polls again, by itself.
			h.src.setErr(nil)
			before := h.src.callCount()
			h.clock.Advance(tick.d)
			h.fire(tickMsg{})
			if h.src.callCount() != before+1 {
				t.Fatalf("no poll once the hold-off of %v ended", tick.d)
			}
			if view := h.plain(); !strings.Contains(view, "every 20s") {
				t.Errorf("header after recovery:\n%s", view)
			}
		})
	}
}

func TestRateLimitLeavesRefreshWorking(t *testing.T) {
	ids := jobIDs(2)
	h := newHarness(t, Options{Interval: 20 * time.Second}, ids...)
	h.start()
	h.src.setErr(&api.RateLimitError{Until: h.clock.Now().Add(2 * time.Hour), HTTPStatus: 429})
	h.clock.Advance(time.Second)
	h.fire(tickMsg{})

	// r still asks at once; a success lifts the hold.
	h.src.setErr(nil)
	before := h.src.callCount()
	h.key("r")
	if h.src.callCount() != before+1 {
		t.Fatalf("r did not poll during a rate limit")
	}
	tick, _ := h.lastTick()
	if tick.d != 20*time.Second {
		t.Errorf("after a good poll the timer is %v, want the 20s interval", tick.d)
	}
}

func TestStaleLineKeepsTheRetryTimeWhenTheErrorIsLong(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{Interval: 20 * time.Second}, ids...)
	h.start()
	h.src.setErr(errors.New("HTTP 503 Service Unavailable: " + strings.Repeat("the upstream fax gateway is overloaded, ", 10)))
	h.clock.Advance(time.Second)
	h.fire(tickMsg{})
	var line string
	for _, l := range strings.Split(h.plain(), "\n") {
		if strings.Contains(l, "stale since") {
			line = l
		}
	}
	if !strings.Contains(line, "…, retrying in 40s") {
		t.Errorf("stale line lost the retry time: %q", line)
	}
}

// Any StatusSource may answer return=false with no failures and no fresh job:
// Update must report it, not index a Failures slice that is empty.
func TestRefusalWithoutFailuresDoesNotPanic(t *testing.T) {
	h := newHarness(t, Options{Interval: 20 * time.Second}, jobIDs(1)...)
	h.start()
	h.src.setAnswer(func([]api.JobID) (*api.Result, error) {
		return &api.Result{Return: false, WSError: api.WSError{Code: -5007, Message: "Service error"}}, nil
	})
	h.fire(tickMsg{})
	if view := h.plain(); !strings.Contains(view, "WSError -5007 Service error") {
		t.Errorf("the refusal is not in the stale line:\n%s", view)
	}
}

func TestOversizePasteIsRefused(t *testing.T) {
	h := newHarness(t, Options{Interval: 20 * time.Second})
	h.start()
	h.send(tea.PasteMsg{Content: strings.Repeat("br0012345h00001x ", maxAddText/16+1)})
	if h.store.Len() != 0 || !strings.Contains(h.toast(), "paste too large") {
		t.Errorf("a %d KiB paste was not refused: %d jobs, toast %q", maxAddText>>10, h.store.Len(), h.toast())
	}
}

// When every batch is refused the source returns its Result and an error;
// the detail pane must show that refused call, not the last good one.
func TestRefusedCallReachesTheDetailPane(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{Interval: 20 * time.Second}, ids...)
	h.start()
	refused := api.CallInfo{Return: false, WSError: api.WSError{Code: -5007, Message: "Service error"},
		Call: api.Call{RequestID: "req-refused", HTTPStatus: 200}}
	cerr := &api.CallError{WSError: refused.WSError}
	h.src.setAnswer(func([]api.JobID) (*api.Result, error) {
		return &api.Result{Jobs: []api.JobStatus{{JobID: ids[0], Call: refused, Err: cerr}},
			Failures: []api.BatchError{{IDs: ids, Err: cerr}}, WSError: refused.WSError}, cerr
	})
	h.fire(tickMsg{})
	h.key("enter")
	view := h.plain()
	for _, want := range []string{"return          false", "ErrorCode       -5007", "req-refused", "Job in progress"} {
		if !strings.Contains(view, want) {
			t.Errorf("detail pane lacks %q:\n%s", want, view)
		}
	}
}

// While a poll hangs, line 3 says how long it has waited, not a countdown
// to a retry that is not happening.
func TestStaleLineWhileAPollHangs(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{Interval: 5 * time.Second}, ids...)
	h.start()
	h.src.setErr(errors.New("HTTP 503 Service Unavailable"))
	h.fire(tickMsg{})
	h.src.setErr(nil)
	h.src.block = make(chan struct{})
	h.src.started = make(chan struct{}, 1)
	h.send(keyMsg("r"))
	wait := h.fireAsync(holdMsg{})
	<-h.src.started
	h.clock.Advance(12 * time.Second)
	h.send(clockMsg{})
	view := h.plain()
	if !strings.Contains(view, "HTTP 503 Service Unavailable, waiting for Concord, 12s") || strings.Contains(view, "retrying") {
		t.Errorf("stale line while the poll hangs:\n%s", view)
	}
	close(h.src.block)
	wait()
	if strings.Contains(h.plain(), "stale since") {
		t.Errorf("the answer did not clear the stale line:\n%s", h.plain())
	}
}

// "updated" turns red past 3× the configured interval, also while failures
// have backed the timer off.
func TestUpdatedAgeAgainstTheConfiguredInterval(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{Interval: 5 * time.Second}, ids...)
	h.start()
	h.src.setErr(errors.New("HTTP 503 Service Unavailable"))
	h.clock.Advance(5 * time.Second)
	h.fire(tickMsg{})
	h.clock.Advance(10 * time.Second)
	h.fire(tickMsg{}) // two failures: the timer is at 20s
	h.clock.Advance(10 * time.Second)
	h.send(clockMsg{})
	if line := strings.Split(h.plain(), "\n")[0]; !strings.Contains(line, "⚠ updated 25s ago") {
		t.Errorf("25s after the last success at a 5s interval: %q", line)
	}
}
