package serve

import (
	"context"
	"time"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/watchlist"
)

// CacheSource answers `ssh host status …` from the shared poller's list
// where an answer is fresh (checked within Fresh and not stale, or final:
// the poller stops asking about a final job, as every dashboard does) and asks
// Fallback (the Concord client) for the rest in one call: ten people
// running status on watched jobs cost no call.
type CacheSource struct {
	Hub      *Hub
	Fallback ui.StatusSource
	Fresh    time.Duration
	Now      func() time.Time // nil: time.Now
}

// Status answers ids in the asked order.
func (c *CacheSource) Status(ctx context.Context, ids []api.JobID) (*api.Result, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	known := c.Hub.lookup(ids)
	jobs := make([]api.JobStatus, len(ids))
	var ask []api.JobID
	var at []int
	for i, id := range ids {
		e, ok := known[id]
		if ok && !e.Last.Stale && !e.Last.CheckedAt.IsZero() && (e.Last.State.Final() || now().Sub(e.Last.CheckedAt) <= c.Fresh) {
			jobs[i] = fromEntry(e)
			continue
		}
		ask = append(ask, id)
		at = append(at, i)
	}
	res := &api.Result{Return: true, Jobs: jobs}
	if len(ask) == 0 {
		return res, nil
	}
	asked, err := c.Fallback.Status(ctx, ask)
	if asked == nil {
		return nil, err
	}
	for k, j := range asked.Jobs {
		if k < len(at) {
			jobs[at[k]] = j
		}
	}
	res.Method, res.Return, res.WSError = asked.Method, asked.Return, asked.WSError
	res.Calls, res.Failures = asked.Calls, asked.Failures
	return res, err
}

// fromEntry is a watched job's last fresh answer as the client gave it.
func fromEntry(e watchlist.Entry) api.JobStatus {
	st := e.Last
	return api.JobStatus{
		JobID: e.ID, FaxJobID: st.FaxJobID, StatusID: st.StatusID, Description: st.Description,
		Error: st.Error, State: st.State, Details: st.Details, Call: st.Call,
	}
}

// lookup copies the entries of ids that the list holds: a status command
// asks about a few jobs, and the list may hold 100,000.
func (h *Hub) lookup(ids []api.JobID) map[api.JobID]watchlist.Entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[api.JobID]watchlist.Entry, len(ids))
	for _, id := range ids {
		if e, ok := h.store.Entry(id); ok {
			out[id] = e
		}
	}
	return out
}
