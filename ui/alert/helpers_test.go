package alert

import (
	"fmt"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/watchlist"
)

// t0 is where the fake clocks start; it moves with $FAXWATCH_TEST_EPOCH
// like every package's (see the README, Testing).
var t0 = sim.Epoch(time.Date(2031, 3, 4, 10, 0, 0, 0, time.UTC))

func jobID(n int) api.JobID { return api.JobID(fmt.Sprintf("br1%06dx", n)) }

func ids(n int) []api.JobID {
	out := make([]api.JobID, n)
	for i := range out {
		out[i] = jobID(i + 1)
	}
	return out
}

// rig is a memory watchlist and a Tracker fed by real Applies.
type rig struct {
	t     testing.TB
	store *watchlist.Store
	tr    *Tracker
	now   time.Time
}

func newRig(t testing.TB, on []Kind, jobs ...api.JobID) *rig {
	t.Helper()
	r := &rig{t: t, now: t0}
	s, _, err := watchlist.Open(watchlist.Options{Now: func() time.Time { return r.now }})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Add(jobs...); err != nil {
		t.Fatal(err)
	}
	r.store, r.tr = s, NewTracker(on, time.Minute, r.now)
	return r
}

var stateIDs = map[api.State]int{
	api.StateSucceeded: 1, api.StateFailed: 2, api.StateProcessing: 3, api.StateInvalid: 4, api.StateUnknown: 5,
}

// poll applies one answer, a minute after the last, and returns the news.
func (r *rig) poll(states map[api.JobID]api.State, order ...api.JobID) Alert {
	r.t.Helper()
	r.now = r.now.Add(time.Minute)
	res := &api.Result{Return: true}
	for _, id := range order {
		st := states[id]
		res.Jobs = append(res.Jobs, api.JobStatus{JobID: id, FaxJobID: string(id), StatusID: stateIDs[st],
			State: st, Description: "desc of " + string(id)})
	}
	ch, err := r.store.Apply(res, r.now)
	if err != nil {
		r.t.Fatal(err)
	}
	return r.tr.Observe(Poll{Now: r.now, Changes: ch, Entry: r.store.Entry})
}

// all gives every id the same state.
func all(state api.State, jobs ...api.JobID) map[api.JobID]api.State {
	m := map[api.JobID]api.State{}
	for _, id := range jobs {
		m[id] = state
	}
	return m
}
