package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
)

// The refresh period's floor and default. Exported so the config file is
// checked against the same floor the dashboard keeps.
const (
	MinInterval     = 5 * time.Second
	DefaultInterval = 20 * time.Second
)

// CheckInterval accepts a refresh period of MinInterval or more.
func CheckInterval(d time.Duration) error {
	if d < MinInterval {
		return fmt.Errorf("%s is below the floor of %s; use \"%s\" or more", d, MinInterval, MinInterval)
	}
	return nil
}

const (
	maxInterval    = time.Hour
	intervalStep   = 5 * time.Second
	maxBackoff     = 5 * time.Minute
	minPollTimeout = 2 * time.Minute
)

// pollKind says why a poll runs; it decides what happens after it.
type pollKind int

const (
	pollTick    pollKind = iota // the interval timer
	pollRefresh                 // r
	pollFull                    // R: final jobs too
	pollAdded                   // just the IDs that were added
)

// The poller's messages. They carry a generation or a sequence number the
// poller alone hands out, so a late answer or a re-armed timer is dropped.
type (
	tickMsg       struct{ seq int }
	pollResultMsg struct {
		gen  uint64
		ids  []api.JobID
		kind pollKind
		res  *api.Result
		err  error
	}
	pollTimeoutMsg struct{ gen uint64 }
)

// PollerOptions configures a Poller.
type PollerOptions struct {
	Source   StatusSource
	Due      func(full bool) []api.JobID // the IDs to poll now; full adds the final ones
	Interval time.Duration               // clamped to 5 s .. 1 h; 0: 20 s
	Now      func() time.Time            // nil: time.Now
	Logger   *slog.Logger                // nil: discard
	// After schedules a timer message; nil: tea.Tick.
	After func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// PollStatus is what the poller reports: a value, so whoever shows it holds
// no pointer into the poller.
type PollStatus struct {
	Paused, InFlight bool
	Started          time.Time     // when the poll in flight started; zero when none is
	Interval         time.Duration // configured (± with + and -)
	Effective        time.Duration // after backoff
	Failures         int           // consecutive failed polls
	LastSuccess      time.Time
	StaleSince       time.Time // first failure of the current run of failures
	LastErr          string    // one sanitised line; "" while polls succeed
	NextPoll         time.Time // when the armed timer fires; zero when none is
	HoldUntil        time.Time // a rate limit the server named; no timer fires before it
}

// PollAnswer is a current poll's answer (or its timeout) for the owner to
// apply; the owner then reports the Outcome to Finish.
type PollAnswer struct {
	IDs    []api.JobID
	Result *api.Result // nil when nothing came back
	Err    error
	kind   pollKind
}

// Outcome is what the owner made of an answer. Cause, when it is an
// *api.RateLimitError, holds the timer off until the time the server named.
type Outcome struct {
	Failed bool
	Reason string // one line, for the header
	Cause  error
}

// RefreshOutcome says what r or R did.
type RefreshOutcome int

const (
	RefreshStarted RefreshOutcome = iota
	RefreshQueued                 // after the poll in flight
	RefreshNothing                // nothing to poll
)

// Poller decides when and what to poll: one poll at a time, each tagged with
// a generation; an interval timer with backoff and a server's hold-off;
// refreshes and added IDs queued behind the poll in flight; cancel on stop.
// It knows no screen and no store: the dashboard drives it from Update, and
// any single goroutine that runs its commands and feeds their messages back
// to Handle can drive it the same way.
type Poller struct {
	opts   PollerOptions
	ctx    context.Context
	stop   context.CancelFunc
	st     PollStatus
	gen    uint64
	seq    int // the armed timer's; older timers are stale
	kind   pollKind
	ids    []api.JobID
	cancel context.CancelFunc
	queue  pollQueue
}

// pollQueue is what was asked for while a poll was in flight.
type pollQueue struct {
	ids           []api.JobID // added
	refresh, full bool
}

// NewPoller builds a poller; Init starts it.
func NewPoller(opts PollerOptions) *Poller {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.After == nil {
		opts.After = tea.Tick
	}
	if opts.Due == nil {
		opts.Due = func(bool) []api.JobID { return nil }
	}
	p := &Poller{opts: opts}
	p.ctx, p.stop = context.WithCancel(context.Background())
	p.st.Interval = ClampInterval(opts.Interval)
	return p
}

// ClampInterval is the interval the poller uses for d: 20 s when unset,
// never under 5 s nor over an hour.
func ClampInterval(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultInterval
	}
	return min(max(d, MinInterval), maxInterval)
}

// Status is the poller's state as a value.
func (p *Poller) Status() PollStatus {
	s := p.st
	s.Effective = p.effective()
	return s
}

// effective is the interval after backoff: doubling per failure, capped.
func (p *Poller) effective() time.Duration {
	d := p.st.Interval
	for i := 0; i < p.st.Failures && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, max(maxBackoff, p.st.Interval))
}

// Init fires the timer at once: the first poll does not wait an interval.
func (p *Poller) Init() tea.Cmd {
	seq := p.seq // read here: the command runs on another goroutine
	return func() tea.Msg { return tickMsg{seq: seq} }
}

// Handle takes the poller's messages. due reports a current timer: the owner
// calls PollDue when it is ready (after reloading the list, say). ans is a
// current answer, or the timeout of the poll in flight; anything stale is
// dropped and gives neither.
func (p *Poller) Handle(msg tea.Msg) (due bool, ans *PollAnswer) {
	switch msg := msg.(type) {
	case tickMsg:
		if msg.seq != p.seq || p.st.Paused {
			return false, nil
		}
		p.st.NextPoll = time.Time{}
		return true, nil
	case pollResultMsg:
		if msg.gen != p.gen || !p.st.InFlight {
			p.opts.Logger.Debug("stale poll answer dropped", "gen", msg.gen, "current", p.gen)
			return false, nil
		}
		p.end()
		return false, &PollAnswer{IDs: msg.ids, Result: msg.res, Err: msg.err, kind: msg.kind}
	case pollTimeoutMsg:
		if msg.gen != p.gen || !p.st.InFlight {
			return false, nil
		}
		p.opts.Logger.Warn("poll abandoned", "gen", msg.gen)
		p.end()
		p.gen++ // its answer, should it still come, is dropped
		err := errors.New("no answer within " + shortDuration(p.timeout()))
		return false, &PollAnswer{IDs: p.ids, Err: err, kind: p.kind}
	}
	return false, nil
}

// Finish records what the owner made of ans, re-arms the timer (with
// backoff) and starts what was queued meanwhile.
func (p *Poller) Finish(ans *PollAnswer, out Outcome) tea.Cmd {
	if out.Failed {
		p.failed(out.Reason, out.Cause)
	} else {
		p.succeeded()
	}
	var cmds []tea.Cmd
	if ans.kind != pollAdded && !p.st.Paused {
		cmds = append(cmds, p.arm(p.effective()))
	}
	q := p.queue
	p.queue = pollQueue{}
	switch {
	case q.full:
		cmds = append(cmds, p.start(p.opts.Due(true), pollFull))
	case q.refresh:
		cmds = append(cmds, p.start(p.opts.Due(false), pollRefresh))
	case len(q.ids) > 0:
		cmds = append(cmds, p.start(q.ids, pollAdded))
	}
	return tea.Batch(cmds...)
}

// failed records a failed poll. A server that rate-limits us past the
// backoff is obeyed: the timer holds off until the time it named (r still
// polls at once).
func (p *Poller) failed(reason string, cause error) {
	now := p.opts.Now()
	p.st.Failures++
	if rl, ok := errors.AsType[*api.RateLimitError](cause); ok && rl.Until.After(now) {
		// Capped here too: whatever the source says, the timer runs again
		// within the hour.
		p.st.HoldUntil = rl.Until
		if limit := now.Add(api.MaxHoldOff); limit.Before(rl.Until) {
			p.st.HoldUntil = limit
		}
	}
	if p.st.StaleSince.IsZero() {
		p.st.StaleSince = now
	}
	if reason == "" {
		reason = "poll failed"
	}
	p.st.LastErr = reason
}

func (p *Poller) succeeded() {
	p.st.Failures = 0
	p.st.HoldUntil = time.Time{}
	p.st.StaleSince = time.Time{}
	p.st.LastErr = ""
	p.st.LastSuccess = p.opts.Now()
}

// PollDue is the timer's poll: what is due now, then the timer re-armed.
func (p *Poller) PollDue() tea.Cmd {
	if p.st.Paused {
		return nil
	}
	if !p.st.InFlight {
		if cmd := p.start(p.opts.Due(false), pollTick); cmd != nil {
			return cmd
		}
	}
	return p.arm(p.effective())
}

// Refresh is r (full=false) and R (full=true): poll now, or right after the
// poll in flight.
func (p *Poller) Refresh(full bool) (RefreshOutcome, tea.Cmd) {
	if p.st.InFlight {
		if full {
			p.queue.full = true
		} else {
			p.queue.refresh = true
		}
		return RefreshQueued, nil
	}
	kind := pollRefresh
	if full {
		kind = pollFull
	}
	cmd := p.start(p.opts.Due(full), kind)
	if cmd == nil {
		return RefreshNothing, nil
	}
	return RefreshStarted, cmd
}

// Add polls just-added IDs at once, or right after the poll in flight.
func (p *Poller) Add(ids []api.JobID) tea.Cmd {
	if p.st.InFlight {
		p.queue.ids = append(p.queue.ids, ids...)
		return nil
	}
	return p.start(ids, pollAdded)
}

// TogglePause is p: pausing stops the timer; resuming polls what is due.
func (p *Poller) TogglePause() (paused bool, cmd tea.Cmd) {
	p.st.Paused = !p.st.Paused
	if p.st.Paused {
		p.seq++
		p.st.NextPoll = time.Time{}
		return true, nil
	}
	return false, p.PollDue()
}

// ChangeInterval is + and -. It reports the new interval and false when the
// limit left it where it was.
func (p *Poller) ChangeInterval(delta time.Duration) (time.Duration, bool, tea.Cmd) {
	next := min(max(p.st.Interval+delta, MinInterval), maxInterval)
	if next == p.st.Interval {
		return next, false, nil
	}
	p.st.Interval = next
	if p.st.Paused || p.st.InFlight {
		return next, true, nil // the poll's end or the resume arms the new interval
	}
	return next, true, p.arm(p.effective())
}

// Stop cancels the poll in flight and any later one: a hanging poll must
// not hold the exit.
func (p *Poller) Stop() {
	if p.cancel != nil {
		p.cancel()
	}
	p.stop()
}

// arm (re-)arms the interval timer; any earlier timer becomes stale.
func (p *Poller) arm(d time.Duration) tea.Cmd {
	now := p.opts.Now()
	if hold := p.st.HoldUntil.Sub(now); hold > d {
		d = hold
	}
	p.seq++
	seq := p.seq
	p.st.NextPoll = now.Add(d)
	return p.opts.After(d, func(time.Time) tea.Msg { return tickMsg{seq: seq} })
}

// timeout is how long a poll may take before it is abandoned.
func (p *Poller) timeout() time.Duration { return max(minPollTimeout, 2*p.effective()) }

// start asks the source about ids in a command, with a deadline. There is
// never more than one poll in flight.
func (p *Poller) start(ids []api.JobID, kind pollKind) tea.Cmd {
	if len(ids) == 0 || p.st.InFlight {
		return nil
	}
	p.gen++
	gen := p.gen
	ctx, cancel := context.WithCancel(p.ctx)
	p.cancel = cancel
	p.st.InFlight = true
	p.st.Started = p.opts.Now()
	p.kind, p.ids = kind, ids
	src := p.opts.Source
	ask := append([]api.JobID(nil), ids...)
	p.opts.Logger.Debug("poll start", "gen", gen, "jobs", len(ask), "kind", kind)
	run := func() (msg tea.Msg) {
		defer func() { // a misbehaving source must not take the dashboard down
			if r := recover(); r != nil {
				msg = pollResultMsg{gen: gen, ids: ask, kind: kind, err: fmt.Errorf("status source failed: %v", r)}
			}
		}()
		res, err := src.Status(ctx, ask)
		return pollResultMsg{gen: gen, ids: ask, kind: kind, res: res, err: err}
	}
	timeout := p.opts.After(p.timeout(), func(time.Time) tea.Msg { return pollTimeoutMsg{gen: gen} })
	return tea.Batch(run, timeout)
}

// end releases the in-flight slot.
func (p *Poller) end() {
	p.st.InFlight = false
	p.st.Started = time.Time{}
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}
