package watchlist

import (
	"slices"
	"time"

	"faxwatch/api"
)

// reasonNoAnswer marks a final job the server no longer mentions.
const reasonNoAnswer = "no answer for this job"

// Apply merges a poll's answer into memory and reports what changed. It does
// no I/O: it marks the store dirty and the caller calls Save. IDs no longer
// watched (removed while the poll ran) are ignored. With KeepFinal set, final
// jobs that ended longer ago than that are dropped and reported.
func (s *Store) Apply(res *api.Result, now time.Time) (Changes, error) {
	var ch Changes
	if res == nil {
		return ch, nil
	}
	touched := false
	for k := range res.Jobs {
		js := &res.Jobs[k]
		i, ok := s.index[js.JobID]
		if !ok {
			continue
		}
		e := s.edit(i) // the old entry may be in a snapshot
		touched = true
		switch {
		case js.Err != nil:
			keepLastCall(&e.Last, js.Call)
			if markStale(&e.Last, firstLine(js.Err.Error(), maxReasonBytes), now) {
				ch.Stale = append(ch.Stale, e.ID)
			}
		case js.State == api.StateNoAnswer && e.Last.State.Final():
			// The server answered without this job: keep what was final.
			keepLastCall(&e.Last, js.Call)
			if markStale(&e.Last, reasonNoAnswer, now) {
				ch.Stale = append(ch.Stale, e.ID)
			}
		default:
			from, checked := e.Last.State, e.Last.CheckedAt
			changed, failed := applyFresh(e, js, now)
			if e.Last.State != from {
				ch.Moved = append(ch.Moved, Move{ID: e.ID, From: from, To: e.Last.State, FromChecked: checked})
			}
			if changed {
				ch.Changed = append(ch.Changed, e.ID)
			}
			if failed {
				ch.Failed = append(ch.Failed, e.ID)
			}
		}
	}
	ch.Dropped = s.dropExpired(now)
	if touched {
		s.touchStatuses()
	}
	return ch, nil
}

// applyFresh records a fresh answer for e.
func applyFresh(e *Entry, js *api.JobStatus, now time.Time) (changed, failed bool) {
	old := &e.Last
	state := js.State
	if state == "" {
		state = api.StateOf(js.StatusID, js.Error.Code)
	}
	changed = old.State != state || old.StatusID != js.StatusID ||
		old.Description != js.Description || old.Error != js.Error || old.FaxJobID != js.FaxJobID
	next := Status{
		StatusID: js.StatusID, State: state, Description: js.Description, Error: js.Error,
		FaxJobID: js.FaxJobID, Details: old.Details, Call: js.Call,
		CheckedAt: now, ChangedAt: old.ChangedAt, Conflict: firstLine(js.Conflict, maxReasonBytes),
	}
	if js.Details != nil {
		d := *js.Details
		next.Details = &d
	}
	if changed {
		next.ChangedAt = now
	}
	if old.State != state {
		e.History = appendHistory(e.History, Transition{At: now, From: old.State, To: state, Description: js.Description})
		failed = state == api.StateFailed
	}
	e.Last = next
	return changed, failed
}

// markStale keeps what was known and notes why it is no longer fresh; it
// reports whether the entry was fresh before.
// keepLastCall records the call that covered a job even when it brought no
// fresh status (a refusal, an HTTP error): the detail pane shows the last
// call, not the last good one. A poll that never reached the server has no
// request ID and changes nothing.
func keepLastCall(st *Status, call api.CallInfo) {
	if call.Call.RequestID != "" {
		st.Call = call
	}
}

func markStale(st *Status, reason string, now time.Time) (newly bool) {
	newly = !st.Stale
	if newly {
		st.Stale, st.StaleSince = true, now
	}
	st.StaleReason = reason
	return newly
}

// MarkStale marks ids stale after a poll that failed as a whole (no Result).
// Like Apply it changes memory only; the caller calls Save.
func (s *Store) MarkStale(ids []api.JobID, reason string, now time.Time) {
	reason = firstLine(reason, maxReasonBytes)
	touched := false
	for _, id := range ids {
		if i, ok := s.index[id]; ok {
			markStale(&s.edit(i).Last, reason, now)
			touched = true
		}
	}
	if touched {
		s.touchStatuses()
	}
}

// dropExpired removes final entries older than KeepFinal, leaving tombstones
// so the next save removes them from the file too.
func (s *Store) dropExpired(now time.Time) []api.JobID {
	if s.opts.KeepFinal <= 0 {
		return nil
	}
	if !slices.ContainsFunc(s.entries, func(e *Entry) bool { return s.expired(e, now) }) {
		return nil
	}
	var dropped []api.JobID
	s.writable()
	kept := s.entries[:0]
	for _, e := range s.entries {
		if s.expired(e, now) {
			dropped = append(dropped, e.ID)
			s.forget(e.ID)
			continue
		}
		kept = append(kept, e)
	}
	clear(s.entries[len(kept):])
	s.entries = kept
	s.rebuildIndex()
	s.touch()
	return dropped
}
