package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"slices"

	"faxwatch/api"
	"faxwatch/watchlist"
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
	markFor        = 10 * time.Second // longest a changed row stays marked
)

// pollKind says why a poll runs; it decides what happens after it.
type pollKind int

const (
	pollTick    pollKind = iota // the interval timer
	pollRefresh                 // r
	pollFull                    // R: final jobs too
	pollAdded                   // just the IDs that were added
)

// Messages of the refresh machinery.
type (
	// tickMsg fires the interval timer; seq drops timers that were re-armed.
	tickMsg struct{ seq int }
	// clockMsg repaints the "updated Ns ago" text once a second.
	clockMsg struct{}
	// pollResultMsg carries one poll's answer, tagged with its generation.
	pollResultMsg struct {
		gen  uint64
		ids  []api.JobID
		kind pollKind
		res  *api.Result
		err  error
	}
	// pollTimeoutMsg abandons a poll that outlived its deadline.
	pollTimeoutMsg struct{ gen uint64 }
)

func (m *Model) clockTick() tea.Cmd {
	return m.after(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
}

// armTick (re-)arms the interval timer; any earlier timer becomes stale.
func (m *Model) armTick(d time.Duration) tea.Cmd {
	if hold := m.poll.holdUntil.Sub(m.now()); hold > d {
		d = hold
	}
	m.tickSeq++
	seq := m.tickSeq
	m.poll.nextPoll = m.now().Add(d)
	return m.after(d, func(time.Time) tea.Msg { return tickMsg{seq: seq} })
}

// disarmTick stops the interval timer (pause).
func (m *Model) disarmTick() {
	m.tickSeq++
	m.poll.nextPoll = time.Time{}
}

// pollTimeout is how long a poll may take before it is abandoned.
func (m *Model) pollTimeout() time.Duration { return max(minPollTimeout, 2*m.poll.effective()) }

// startPoll asks the source about ids in a command. The caller has checked
// that no poll is in flight: there is never more than one.
func (m *Model) startPoll(ids []api.JobID, kind pollKind) tea.Cmd {
	if len(ids) == 0 || m.poll.inFlight {
		return nil
	}
	m.gen++
	gen := m.gen
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancelPoll = cancel
	m.poll.inFlight = true
	m.pollKind = kind
	m.pollIDs = ids
	m.polls++
	src := m.src
	ask := append([]api.JobID(nil), ids...)
	m.log.Debug("poll start", "gen", gen, "jobs", len(ask), "kind", kind)
	run := func() (msg tea.Msg) {
		defer func() { // a misbehaving source must not take the dashboard down
			if r := recover(); r != nil {
				msg = pollResultMsg{gen: gen, ids: ask, kind: kind, err: fmt.Errorf("status source failed: %v", r)}
			}
		}()
		res, err := src.Status(ctx, ask)
		return pollResultMsg{gen: gen, ids: ask, kind: kind, res: res, err: err}
	}
	timeout := m.after(m.pollTimeout(), func(time.Time) tea.Msg { return pollTimeoutMsg{gen: gen} })
	return tea.Batch(run, timeout, m.header.spinner.Tick)
}

// endPoll releases the in-flight slot.
func (m *Model) endPoll() {
	m.poll.inFlight = false
	if m.cancelPoll != nil {
		m.cancelPoll()
		m.cancelPoll = nil
	}
}

func (m *Model) onPollTimeout(msg pollTimeoutMsg) tea.Cmd {
	if msg.gen != m.gen || !m.poll.inFlight {
		return nil
	}
	m.log.Warn("poll abandoned", "gen", msg.gen)
	kind := m.pollKind
	m.endPoll()
	m.gen++ // its answer, should it still come, is dropped
	reason := "no answer within " + shortDuration(m.pollTimeout())
	m.store.MarkStale(m.pollIDs, reason, m.now())
	m.pollFailed(reason, nil)
	return tea.Batch(m.notify(watchlist.Changes{}, m.now()), m.afterPoll(kind))
}

// onPollResult merges a current answer; answers of older generations are
// dropped so a late one never overwrites a newer state.
func (m *Model) onPollResult(msg pollResultMsg) tea.Cmd {
	if msg.gen != m.gen || !m.poll.inFlight {
		m.log.Debug("stale poll answer dropped", "gen", msg.gen, "current", m.gen)
		m.dropped++
		return nil
	}
	m.endPoll()
	now := m.now()
	var cmds []tea.Cmd
	switch {
	case msg.res == nil: // nothing came back; with a Result (every batch failed, say) Apply keeps each job's last call
		reason := "no answer"
		if msg.err != nil {
			reason = oneLine(msg.err)
		}
		m.store.MarkStale(msg.ids, reason, now)
		m.pollFailed(reason, msg.err)
		cmds = append(cmds, m.notify(watchlist.Changes{}, now))
	default:
		ch, err := m.store.Apply(msg.res, now)
		if err != nil {
			m.status.push("could not apply the answer: "+oneLine(err), true, warningFor)
		}
		clear(m.table.marks)
		until := now.Add(min(m.poll.interval, markFor))
		for _, id := range ch.Changed {
			if !m.firstAnswer(id, now) {
				m.table.marks[id] = until
			}
		}
		// A job that was failed before we first heard of it did not "turn"
		// failed: no bell for pasting a list of old failures.
		ch.Failed = slices.DeleteFunc(ch.Failed, func(id api.JobID) bool { return m.firstAnswer(id, now) })
		if len(ch.Failed) > 0 {
			text := "✗ " + clean(string(ch.Failed[0])) + " failed"
			if len(ch.Failed) > 1 {
				text = "✗ " + itoa(len(ch.Failed)) + " jobs turned failed"
			}
			m.status.push(text, true, toastFor)
		}
		if reason, cause, failed := resultFailure(msg.res); failed {
			m.pollFailed(reason, cause)
		} else {
			m.pollSucceeded(now)
			if reason != "" {
				m.status.push("some jobs got no answer: "+reason, true, toastFor)
			}
		}
		cmds = append(cmds, m.notify(ch, now))
	}
	cmds = append(cmds, m.afterPoll(msg.kind))
	return tea.Batch(cmds...)
}

// firstAnswer reports whether id's change at now was its first answer
// (pending before): news to the store, not to the user.
func (m *Model) firstAnswer(id api.JobID, now time.Time) bool {
	last, ok := m.store.LastTransition(id)
	if !ok {
		return false
	}
	return last.At.Equal(now) && (last.From == watchlist.StatePending || last.From == "")
}

// resultFailure decides whether an answer counts as a failed poll: no job
// got a fresh status. reason is one line either way when something failed;
// cause is the first batch's error, nil when no batch failed.
func resultFailure(res *api.Result) (reason string, cause error, failed bool) {
	fresh := 0
	for i := range res.Jobs {
		if res.Jobs[i].Fresh() {
			fresh++
		}
	}
	switch {
	case len(res.Failures) > 0:
		cause = res.Failures[0].Err
		reason = oneLine(cause)
	case !res.Return && !res.WSError.IsZero():
		reason = "WSError " + itoa(res.WSError.Code) + " " + clean(res.WSError.Message)
	}
	return reason, cause, fresh == 0 && reason != ""
}

// pollFailed records a failed poll. A server that rate-limits us past the
// backoff is obeyed: the timer holds off until the time it named (r still
// polls at once).
func (m *Model) pollFailed(reason string, cause error) {
	now := m.now()
	m.poll.failures++
	if rl, ok := errors.AsType[*api.RateLimitError](cause); ok && rl.Until.After(now) {
		// Capped here too: whatever the source says, the timer runs again
		// within the hour.
		m.poll.holdUntil = minTime(rl.Until, now.Add(api.MaxHoldOff))
	}
	if m.poll.staleSince.IsZero() {
		m.poll.staleSince = now
	}
	if reason == "" {
		reason = "poll failed"
	}
	m.poll.lastErr = reason
}

func (m *Model) pollSucceeded(now time.Time) {
	m.poll.failures = 0
	m.poll.holdUntil = time.Time{}
	m.poll.staleSince = time.Time{}
	m.poll.lastErr = ""
	m.poll.lastSuccess = now
}

// afterPoll re-arms the timer (with backoff) and runs what was queued while
// the poll was in flight.
func (m *Model) afterPoll(kind pollKind) tea.Cmd {
	var cmds []tea.Cmd
	if kind != pollAdded && !m.poll.paused {
		cmds = append(cmds, m.armTick(m.poll.effective()))
	}
	now := m.now()
	switch {
	case m.queuedFull:
		m.queuedFull, m.queuedRefresh, m.queued = false, false, nil
		cmds = append(cmds, m.startPoll(m.store.Due(now, true), pollFull))
	case m.queuedRefresh:
		m.queuedRefresh, m.queued = false, nil
		cmds = append(cmds, m.startPoll(m.store.Due(now, false), pollRefresh))
	case len(m.queued) > 0:
		ids := m.queued
		m.queued = nil
		cmds = append(cmds, m.startPoll(ids, pollAdded))
	}
	return tea.Batch(cmds...)
}

// onTick polls what is due, unless paused or a poll is still in flight.
// When another process changed the file, the poll waits for the reload.
func (m *Model) onTick(msg tickMsg) tea.Cmd {
	if msg.seq != m.tickSeq || m.poll.paused {
		return nil
	}
	m.poll.nextPoll = time.Time{}
	if cmd := m.startReload(true); cmd != nil {
		return cmd
	}
	return m.pollDue()
}

// pollDue is the tick's poll: what is due now, then the timer re-armed.
func (m *Model) pollDue() tea.Cmd {
	if m.poll.paused {
		return nil
	}
	if m.poll.inFlight {
		return m.armTick(m.poll.effective())
	}
	if cmd := m.startPoll(m.store.Due(m.now(), false), pollTick); cmd != nil {
		return cmd
	}
	return m.armTick(m.poll.effective())
}

func (m *Model) reloadFailed(err error) {
	line := oneLine(err)
	m.log.Warn("reload failed", "err", line)
	if line != m.lastReloadErr {
		m.status.push("could not reload the watchlist: "+line, true, warningFor)
	}
	m.lastReloadErr = line
}

// refresh is r (full=false) and R (full=true): poll now, or right after the
// poll in flight.
func (m *Model) refresh(full bool) tea.Cmd {
	if m.poll.inFlight {
		if full {
			m.queuedFull = true
		} else {
			m.queuedRefresh = true
		}
		m.status.push("refresh queued after the poll in flight", false, toastFor)
		return nil
	}
	kind := pollRefresh
	if full {
		kind = pollFull
	}
	ids := m.store.Due(m.now(), full)
	if len(ids) == 0 {
		if full {
			m.status.push("nothing to poll: the watchlist is empty", false, toastFor)
		} else {
			m.status.push("nothing due: every job is final · R re-polls them", false, toastFor)
		}
		return nil
	}
	return m.startPoll(ids, kind)
}

// togglePause is p.
func (m *Model) togglePause() tea.Cmd {
	m.poll.paused = !m.poll.paused
	if m.poll.paused {
		m.disarmTick()
		m.status.push("paused: no polling until p", false, toastFor)
		return nil
	}
	m.status.push("resumed", false, toastFor)
	if m.poll.inFlight {
		return m.armTick(m.poll.effective())
	}
	if cmd := m.startPoll(m.store.Due(m.now(), false), pollTick); cmd != nil {
		return cmd
	}
	return m.armTick(m.poll.effective())
}

// changeInterval is + and -: ±5 s, never below 5 s.
func (m *Model) changeInterval(delta time.Duration) tea.Cmd {
	next := min(max(m.poll.interval+delta, MinInterval), maxInterval)
	if next == m.poll.interval {
		m.status.push("refresh every "+shortDuration(next)+" (the limit)", false, toastFor)
		return nil
	}
	m.poll.interval = next
	m.status.push("refresh every "+shortDuration(next), false, toastFor)
	if m.poll.paused || m.poll.inFlight {
		return nil // the poll's end or the resume arms the new interval
	}
	return m.armTick(m.poll.effective())
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
