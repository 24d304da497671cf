package ui

import (
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// The dashboard's side of polling: the Poller decides when and what; here
// its answers reach the store and the screen.

const markFor = 10 * time.Second // longest a changed row stays marked

// onPollerMsg feeds the poller its message. A due timer first reloads the
// list when another process changed the file, so jobs added elsewhere are
// asked about at once; a current answer is applied.
func (m *Model) onPollerMsg(msg tea.Msg) tea.Cmd {
	due, ans := m.poller.Handle(msg)
	switch {
	case due:
		if cmd := m.startReload(true); cmd != nil {
			return cmd
		}
		return m.poller.PollDue()
	case ans != nil:
		return m.onAnswer(ans)
	}
	return nil
}

// onAnswer merges a current answer into the store, says what turned failed,
// tells the poller how it went, then alerts on what is news.
func (m *Model) onAnswer(ans *PollAnswer) tea.Cmd {
	now := m.now()
	if ans.Result == nil { // nothing came back; with a Result (every batch failed, say) Apply keeps each job's last call
		reason := "no answer"
		if ans.Err != nil {
			reason = oneLine(ans.Err)
		}
		m.store.MarkStale(ans.IDs, reason, now)
		next := m.poller.Finish(ans, Outcome{Failed: true, Reason: reason, Cause: ans.Err})
		return tea.Batch(m.notify(watchlist.Changes{}, now), next)
	}
	ch := m.apply(ans.Result, now)
	reason, cause, failed := resultFailure(ans.Result)
	if !failed && reason != "" {
		m.status.push("some jobs got no answer: "+reason, true, toastFor)
	}
	next := m.poller.Finish(ans, Outcome{Failed: failed, Reason: reason, Cause: cause})
	return tea.Batch(m.notify(ch, now), next)
}

// apply merges res, marks the rows that changed and says which turned
// failed. It returns the changes less the jobs' first answers: those are
// news to the store, not to the user (no mark, no alert for pasting a list
// of old failures).
func (m *Model) apply(res *api.Result, now time.Time) watchlist.Changes {
	ch, err := m.store.Apply(res, now)
	if err != nil {
		m.status.push("could not apply the answer: "+oneLine(err), true, warningFor)
	}
	news := func(ids []api.JobID) []api.JobID { // ch is ours to edit
		return slices.DeleteFunc(ids, func(id api.JobID) bool { return m.firstAnswer(id, now) })
	}
	ch.Changed, ch.Failed = news(ch.Changed), news(ch.Failed)
	m.table.Mark(ch.Changed, now.Add(min(m.poller.Status().Interval, markFor)))
	if len(ch.Failed) > 0 {
		text := "✗ " + clean(string(ch.Failed[0])) + " failed"
		if len(ch.Failed) > 1 {
			text = "✗ " + itoa(len(ch.Failed)) + " jobs turned failed"
		}
		m.status.push(text, true, toastFor)
	}
	return ch
}

// firstAnswer reports whether id's change at now was its first answer
// (pending before).
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

// refresh is r (full=false) and R (full=true): poll now, or right after the
// poll in flight.
func (m *Model) refresh(full bool) tea.Cmd {
	outcome, cmd := m.poller.Refresh(full)
	switch {
	case outcome == RefreshQueued:
		m.status.push("refresh queued after the poll in flight", false, toastFor)
	case outcome == RefreshNothing && full:
		m.status.push("nothing to poll: the watchlist is empty", false, toastFor)
	case outcome == RefreshNothing:
		m.status.push("nothing due: every job is final · R re-polls them", false, toastFor)
	}
	return cmd
}

// togglePause is p.
func (m *Model) togglePause() tea.Cmd {
	paused, cmd := m.poller.TogglePause()
	if paused {
		m.status.push("paused: no polling until p", false, toastFor)
	} else {
		m.status.push("resumed", false, toastFor)
	}
	return cmd
}

// changeInterval is + and -: ±5 s, never below 5 s.
func (m *Model) changeInterval(delta time.Duration) tea.Cmd {
	next, changed, cmd := m.poller.ChangeInterval(delta)
	if !changed {
		m.status.push("refresh every "+shortDuration(next)+" (the limit)", false, toastFor)
		return nil
	}
	m.status.push("refresh every "+shortDuration(next), false, toastFor)
	return cmd
}
