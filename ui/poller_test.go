package ui

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/api/sim"
)

// pollerRig drives a Poller alone, as any owner would: it runs the commands,
// feeds their messages to Handle, applies nothing and reports each answer's
// outcome to Finish. Timers are recorded when armed and fired by the test.
type pollerRig struct {
	t       *testing.T
	p       *Poller
	clock   *sim.ManualClock
	src     *fakeSource
	due     []api.JobID
	timers  []timerMsg
	answers []*PollAnswer
	outcome Outcome // what the owner reports for every answer
}

func newPollerRig(t *testing.T, interval time.Duration, due ...api.JobID) *pollerRig {
	r := &pollerRig{t: t, clock: newClock(), src: newSource(), due: due}
	r.p = NewPoller(PollerOptions{
		Source: r.src, Interval: interval, Now: r.clock.Now,
		Due: func(full bool) []api.JobID { return slices.Clone(r.due) },
		After: func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
			r.timers = append(r.timers, timerMsg{d: d, msg: fn(r.clock.Now())})
			return nil
		},
	})
	return r
}

// run executes cmd and hands every message it produces to the poller.
func (r *pollerRig) run(cmd tea.Cmd) {
	r.t.Helper()
	msgs, _, _ := collect(cmd)
	for _, msg := range msgs {
		r.handle(msg)
	}
}

func (r *pollerRig) handle(msg tea.Msg) {
	r.t.Helper()
	due, ans := r.p.Handle(msg)
	switch {
	case due:
		r.run(r.p.PollDue())
	case ans != nil:
		r.answers = append(r.answers, ans)
		r.run(r.p.Finish(ans, r.outcome))
	}
}

// fire delivers the latest armed timer of kind; false when there is none.
func (r *pollerRig) fire(kind tea.Msg) bool {
	r.t.Helper()
	for i := len(r.timers) - 1; i >= 0; i-- {
		if reflect.TypeOf(r.timers[i].msg) == reflect.TypeOf(kind) {
			msg := r.timers[i].msg
			r.timers = slices.Delete(r.timers, i, i+1)
			r.handle(msg)
			return true
		}
	}
	return false
}

// armed is the delay of the interval timer armed last, 0 when none.
func (r *pollerRig) armed() time.Duration {
	for i := len(r.timers) - 1; i >= 0; i-- {
		if _, ok := r.timers[i].msg.(tickMsg); ok {
			return r.timers[i].d
		}
	}
	return 0
}

func TestPollerFirstPollAndInterval(t *testing.T) {
	r := newPollerRig(t, 20*time.Second, jobIDs(3)...)
	r.run(r.p.Init())
	if r.src.callCount() != 1 || len(r.src.lastCall()) != 3 {
		t.Fatalf("Init: %d calls, last %v; want one poll of the 3 due", r.src.callCount(), r.src.lastCall())
	}
	if len(r.answers) != 1 || r.answers[0].Result == nil {
		t.Fatalf("answers %v, want the one result", r.answers)
	}
	st := r.p.Status()
	if st.InFlight || r.armed() != 20*time.Second || !st.NextPoll.Equal(r.clock.Now().Add(20*time.Second)) {
		t.Fatalf("after the poll: %+v, timer %v; want idle, 20s armed", st, r.armed())
	}
	if !st.LastSuccess.Equal(r.clock.Now()) || st.LastErr != "" {
		t.Errorf("a good poll is not recorded: %+v", st)
	}
}

// TestPollerBackoff: each failure doubles the interval up to 5 min; a
// server's rate limit holds the timer off longer, an hour at most; a success
// restores both.
func TestPollerBackoff(t *testing.T) {
	soon, tomorrow := t0.Add(20*time.Minute), t0.Add(24*time.Hour)
	steps := []struct {
		name    string
		outcome Outcome
		want    time.Duration // the timer armed after the poll
		errLine string
	}{
		{"first failure", Outcome{Failed: true, Reason: "HTTP 503"}, 40 * time.Second, "HTTP 503"},
		{"second", Outcome{Failed: true, Reason: "HTTP 503"}, 80 * time.Second, "HTTP 503"},
		{"third", Outcome{Failed: true}, 160 * time.Second, "poll failed"},
		{"capped", Outcome{Failed: true, Reason: "x"}, 5 * time.Minute, "x"},
		{"still capped", Outcome{Failed: true, Reason: "x"}, 5 * time.Minute, "x"},
		{"success", Outcome{}, 20 * time.Second, ""},
		{"rate limited", Outcome{Failed: true, Reason: "429", Cause: &api.RateLimitError{Until: soon}}, 20 * time.Minute, "429"},
		{"success lifts the hold", Outcome{}, 20 * time.Second, ""},
		{"a day's hold is capped", Outcome{Failed: true, Reason: "429", Cause: &api.RateLimitError{Until: tomorrow}}, api.MaxHoldOff, "429"},
		{"success lifts it", Outcome{}, 20 * time.Second, ""},
	}
	r := newPollerRig(t, 20*time.Second, jobIDs(1)...)
	r.run(r.p.Init())
	for _, s := range steps {
		r.outcome = s.outcome
		r.timers = nil
		if _, cmd := r.p.Refresh(false); cmd == nil {
			t.Fatalf("%s: r started no poll", s.name)
		} else {
			r.run(cmd)
		}
		st := r.p.Status()
		if got := r.armed(); got != s.want {
			t.Errorf("%s: timer %v, want %v", s.name, got, s.want)
		}
		if st.LastErr != s.errLine {
			t.Errorf("%s: error line %q, want %q", s.name, st.LastErr, s.errLine)
		}
		if (st.HoldUntil.IsZero()) == (s.outcome.Cause != nil) {
			t.Errorf("%s: hold until %v", s.name, st.HoldUntil)
		}
	}
}

// TestPollerQueuesBehindThePollInFlight: r, R and added IDs asked for while
// a poll is in flight run once it ends, R winning over r; however many ask
// (sessions of one shared dashboard, say), one poll follows.
func TestPollerQueuesBehindThePollInFlight(t *testing.T) {
	cases := []struct {
		name     string
		ask      func(p *Poller) tea.Cmd
		wantCall []api.JobID
		wantFull bool
	}{
		{"r from three sessions", func(p *Poller) tea.Cmd {
			for range 3 {
				if o, cmd := p.Refresh(false); o != RefreshQueued || cmd != nil {
					return cmd
				}
			}
			return nil
		}, jobIDs(2), false},
		{"R beats r", func(p *Poller) tea.Cmd {
			p.Refresh(false)
			p.Refresh(true)
			return nil
		}, jobIDs(2), true},
		{"added IDs", func(p *Poller) tea.Cmd { return p.Add(jobIDs(5)[3:]) }, jobIDs(5)[3:], false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newPollerRig(t, 20*time.Second, jobIDs(2)...)
			var fullAsked bool
			r.p.opts.Due = func(full bool) []api.JobID { fullAsked = fullAsked || full; return jobIDs(2) }
			r.src.block = make(chan struct{})
			msgs, _, _ := collect(r.p.Init())
			r.p.Handle(msgs[0])
			first := r.p.PollDue() // in flight until the block opens
			if cmd := c.ask(r.p); cmd != nil {
				t.Fatal("a second poll started while one was in flight")
			}
			close(r.src.block)
			r.run(first)
			if n := r.src.callCount(); n != 2 {
				t.Fatalf("%d calls, want the first and one queued", n)
			}
			if got := r.src.lastCall(); !slices.Equal(got, c.wantCall) || fullAsked != c.wantFull {
				t.Errorf("the queued poll asked %v (full %v), want %v (full %v)", got, fullAsked, c.wantCall, c.wantFull)
			}
		})
	}
}

// TestPollerDropsWhatIsStale: a re-armed timer's old tick, a paused tick
// and an abandoned poll's late answer give the owner nothing to do.
func TestPollerDropsWhatIsStale(t *testing.T) {
	r := newPollerRig(t, 20*time.Second, jobIDs(1)...)
	r.run(r.p.Init())
	stale := r.timers[len(r.timers)-1].msg // armed after the first poll
	if _, changed, _ := r.p.ChangeInterval(5 * time.Second); !changed || r.armed() != 25*time.Second {
		t.Fatalf("+ did not re-arm the timer at 25s: %v", r.armed())
	}
	if due, _ := r.p.Handle(stale); due {
		t.Error("a timer armed before + still fired")
	}
	r.p.TogglePause()
	calls := r.src.callCount()
	if r.fire(tickMsg{}); r.src.callCount() != calls {
		t.Error("a tick polled while paused")
	}
	_, resume := r.p.TogglePause() // polls what is due at once
	r.run(resume)
	if r.src.callCount() != calls+1 {
		t.Error("resume did not poll")
	}

	// A poll that outlives its deadline is abandoned: its late answer is dropped.
	r.src.block = make(chan struct{})
	r.timers = nil
	_, cmd := r.p.Refresh(false)
	if !r.fire(pollTimeoutMsg{}) {
		t.Fatal("no deadline armed for the poll")
	}
	if len(r.answers) < 2 || r.answers[len(r.answers)-1].Err == nil || r.p.Status().InFlight {
		t.Fatal("the timeout gave no failed answer, or the poll is still in flight")
	}
	n := len(r.answers)
	close(r.src.block)
	msgs, _, _ := collect(cmd)
	for _, msg := range msgs {
		if _, ans := r.p.Handle(msg); ans != nil {
			t.Error("the abandoned poll's late answer was handed to the owner")
		}
	}
	if len(r.answers) != n {
		t.Error("answers changed after the timeout")
	}
}

// TestPollerStopCancelsThePollInFlight: quitting must not wait for a poll.
func TestPollerStopCancelsThePollInFlight(t *testing.T) {
	r := newPollerRig(t, 20*time.Second, jobIDs(1)...)
	r.src.block = make(chan struct{}) // never opened
	r.src.ended = make(chan error, 1)
	_, cmd := r.p.Refresh(false)
	done := make(chan struct{})
	go func() { collect(cmd); close(done) }()
	r.p.Stop()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not end the poll")
	}
	if err := <-r.src.ended; !errors.Is(err, context.Canceled) {
		t.Errorf("the poll ended with %v, want cancelled", err)
	}
}

// TestPollerSurvivesAPanickingSource: a source that panics fails the poll.
func TestPollerSurvivesAPanickingSource(t *testing.T) {
	r := newPollerRig(t, 20*time.Second, jobIDs(1)...)
	r.src.setAnswer(func([]api.JobID) (*api.Result, error) { panic("boom") })
	r.outcome = Outcome{Failed: true, Reason: "boom"}
	r.run(r.p.Init())
	if len(r.answers) != 1 || r.answers[0].Err == nil || r.p.Status().Failures != 1 {
		t.Fatalf("answers %v, status %+v; want one failed poll", r.answers, r.p.Status())
	}
}

func TestClampInterval(t *testing.T) {
	for _, c := range []struct{ in, want time.Duration }{
		{0, 20 * time.Second}, {-time.Second, 20 * time.Second}, {time.Second, 5 * time.Second},
		{30 * time.Second, 30 * time.Second}, {3 * time.Hour, time.Hour},
	} {
		if got := ClampInterval(c.in); got != c.want {
			t.Errorf("ClampInterval(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
