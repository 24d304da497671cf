package watchlist

import (
	"errors"
	"slices"
	"testing"
	"time"

	"faxwatch/api"
)

func TestApplyTransitionsAndChanges(t *testing.T) {
	c := newClock()
	s := openAt(t, "", c)
	a, b := testID(1, 1), testID(1, 2)
	mustAdd(t, s, a, b)

	steps := []struct {
		name        string
		jobs        []api.JobStatus
		wantChanged []api.JobID
		wantFailed  []api.JobID
		wantMoved   []Move
		wantState   map[api.JobID]api.State
		wantHist    map[api.JobID]int
	}{
		{name: "first answers", jobs: []api.JobStatus{status(a, 3, "Sending"), status(b, 3, "Sending")},
			wantChanged: []api.JobID{a, b}, wantState: map[api.JobID]api.State{a: api.StateProcessing},
			wantMoved: []Move{{ID: a, From: StatePending, To: api.StateProcessing}, {ID: b, From: StatePending, To: api.StateProcessing}},
			wantHist:  map[api.JobID]int{a: 1, b: 1}},
		{name: "same again", jobs: []api.JobStatus{status(a, 3, "Sending"), status(b, 3, "Sending")},
			wantHist: map[api.JobID]int{a: 1, b: 1}},
		{name: "description only", jobs: []api.JobStatus{status(a, 3, "Page 2 of 3")},
			wantChanged: []api.JobID{a}, wantHist: map[api.JobID]int{a: 1}},
		{name: "a fails, b succeeds", jobs: []api.JobStatus{status(a, 2, "Busy"), status(b, 1, "Done")},
			wantChanged: []api.JobID{a, b}, wantFailed: []api.JobID{a},
			wantMoved: []Move{{ID: a, From: api.StateProcessing, To: api.StateFailed}, {ID: b, From: api.StateProcessing, To: api.StateSucceeded}},
			wantState: map[api.JobID]api.State{a: api.StateFailed, b: api.StateSucceeded},
			wantHist:  map[api.JobID]int{a: 2, b: 2}},
		{name: "failed stays failed", jobs: []api.JobStatus{status(a, 2, "Busy")},
			wantHist: map[api.JobID]int{a: 2}},
		{name: "error code change", jobs: []api.JobStatus{{JobID: a, FaxJobID: string(a), StatusID: 2, Description: "Busy",
			State: api.StateFailed, Error: api.WSError{Code: 7, Message: "line busy"}}},
			wantChanged: []api.JobID{a}, wantHist: map[api.JobID]int{a: 2}},
		{name: "unwatched IDs ignored", jobs: []api.JobStatus{status(testID(5, 5), 2, "x")}},
	}
	for _, st := range steps {
		now := c.Advance(time.Minute)
		v := s.Version()
		checked := map[api.JobID]time.Time{}
		for _, e := range s.Entries() {
			checked[e.ID] = e.Last.CheckedAt
		}
		for i := range st.wantMoved {
			st.wantMoved[i].FromChecked = checked[st.wantMoved[i].ID]
		}
		ch, err := s.Apply(&api.Result{Jobs: st.jobs}, now)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		equalIDs(t, st.name+": changed", ch.Changed, st.wantChanged)
		equalIDs(t, st.name+": failed", ch.Failed, st.wantFailed)
		if !slices.Equal(ch.Moved, st.wantMoved) || (len(ch.Moved) > 0 && ch.Moved[0].From != StatePending && ch.Moved[0].FromChecked.IsZero()) {
			t.Errorf("%s: moved %v, want %v", st.name, ch.Moved, st.wantMoved)
		}
		for id, want := range st.wantState {
			if e, _ := s.Entry(id); e.Last.State != want || !e.Last.CheckedAt.Equal(now) {
				t.Errorf("%s: %s state %s checked %v; want %s checked now", st.name, id, e.Last.State, e.Last.CheckedAt, want)
			}
		}
		for id, want := range st.wantHist {
			if e, _ := s.Entry(id); len(e.History) != want {
				t.Errorf("%s: %s history %d, want %d", st.name, id, len(e.History), want)
			}
		}
		for _, id := range st.wantChanged {
			if e, _ := s.Entry(id); !e.Last.ChangedAt.Equal(now) {
				t.Errorf("%s: %s ChangedAt %v, want now", st.name, id, e.Last.ChangedAt)
			}
		}
		if len(st.jobs) > 0 && st.name != "unwatched IDs ignored" && (s.Version() == v || !s.Dirty()) {
			t.Errorf("%s: Apply did not bump Version or mark dirty", st.name)
		}
	}
	e, _ := s.Entry(a)
	want := []Transition{
		{From: StatePending, To: api.StateProcessing, Description: "Sending"},
		{From: api.StateProcessing, To: api.StateFailed, Description: "Busy"},
	}
	for i := range want {
		got := e.History[i]
		if got.From != want[i].From || got.To != want[i].To || got.Description != want[i].Description {
			t.Errorf("history[%d] = %+v, want %+v", i, got, want[i])
		}
	}
}

func TestApplyStale(t *testing.T) {
	c := newClock()
	s := openAt(t, "", c)
	a, b := testID(1, 1), testID(1, 2)
	mustAdd(t, s, a, b)
	first := c.Advance(time.Minute)
	if _, err := s.Apply(&api.Result{Jobs: []api.JobStatus{status(a, 3, "Sending"), status(b, 1, "Done")}}, first); err != nil {
		t.Fatal(err)
	}
	fail := c.Advance(time.Minute)
	ch, _ := s.Apply(&api.Result{Jobs: []api.JobStatus{{JobID: a, Err: errors.New("timeout\nsecond line")}}}, fail)
	equalIDs(t, "stale", ch.Stale, []api.JobID{a})
	ch, _ = s.Apply(&api.Result{Jobs: []api.JobStatus{{JobID: a, Err: errors.New("HTTP 503")}}}, c.Advance(time.Minute))
	if len(ch.Stale) != 0 {
		t.Fatalf("already stale reported again: %v", ch.Stale)
	}
	e, _ := s.Entry(a)
	if !e.Last.Stale || !e.Last.StaleSince.Equal(fail) || e.Last.StaleReason != "HTTP 503" ||
		e.Last.State != api.StateProcessing || e.Last.Description != "Sending" || !e.Last.CheckedAt.Equal(first) {
		t.Fatalf("stale entry lost what was known or the first failure time: %+v", e.Last)
	}
	// A fresh answer clears it.
	now := c.Advance(time.Minute)
	s.Apply(&api.Result{Jobs: []api.JobStatus{status(a, 3, "Sending")}}, now)
	if e, _ := s.Entry(a); e.Last.Stale || e.Last.StaleReason != "" || !e.Last.CheckedAt.Equal(now) {
		t.Fatalf("fresh answer did not clear stale: %+v", e.Last)
	}
	// No answer for a final job keeps the final state, stale.
	ch, _ = s.Apply(&api.Result{Jobs: []api.JobStatus{{JobID: b, State: api.StateNoAnswer}}}, c.Advance(time.Minute))
	equalIDs(t, "no answer stale", ch.Stale, []api.JobID{b})
	if e, _ := s.Entry(b); e.Last.State != api.StateSucceeded || !e.Last.Stale || e.Last.StaleReason != reasonNoAnswer {
		t.Fatalf("no answer erased a final state: %+v", e.Last)
	}
	// No answer for a non-final job is recorded as such.
	ch, _ = s.Apply(&api.Result{Jobs: []api.JobStatus{{JobID: a, State: api.StateNoAnswer}}}, c.Advance(time.Minute))
	equalIDs(t, "no answer changed", ch.Changed, []api.JobID{a})
	if e, _ := s.Entry(a); e.Last.State != api.StateNoAnswer || e.Last.Stale {
		t.Fatalf("no answer for a running job: %+v", e.Last)
	}
	// MarkStale for a call that failed as a whole.
	s.MarkStale([]api.JobID{a, b, testID(9, 9)}, "connection refused\r\nmore", c.Advance(time.Minute))
	for _, id := range []api.JobID{a, b} {
		if e, _ := s.Entry(id); !e.Last.Stale || e.Last.StaleReason != "connection refused" {
			t.Fatalf("MarkStale %s: %+v", id, e.Last)
		}
	}
}

func TestApplyJRIResolution(t *testing.T) {
	s := openAt(t, "", nil)
	ref := api.JobID("JRI-REF1234")
	mustAdd(t, s, ref)
	now := time.Now()
	ch, _ := s.Apply(&api.Result{Jobs: []api.JobStatus{{JobID: ref, FaxJobID: "br0012345h00001x", StatusID: 1,
		State: api.StateSucceeded, Details: &api.Details{Method: api.MethodGetRealTimeFaxStatusEx2, ReferenceID: "REF1234"},
		Call: api.CallInfo{Return: true, Call: api.Call{ActivityID: "act-1"}}}}}, now)
	equalIDs(t, "changed", ch.Changed, []api.JobID{ref})
	e, _ := s.Entry(ref)
	if e.Last.FaxJobID != "br0012345h00001x" || e.Last.Call.Call.ActivityID != "act-1" || e.Last.Details.ReferenceID != "REF1234" {
		t.Fatalf("resolved job not recorded: %+v", e.Last)
	}
}

func TestApplyHistoryBound(t *testing.T) {
	c := newClock()
	s := openAt(t, "", c)
	id := testID(1, 1)
	mustAdd(t, s, id)
	var held []Entry
	for i := range 3 * HistoryLimit {
		code := 3
		if i%2 == 1 {
			code = 77
		}
		s.Apply(&api.Result{Jobs: []api.JobStatus{status(id, code, "x")}}, c.Advance(time.Second))
		held = append(held, s.Entries()...)
	}
	e, _ := s.Entry(id)
	if len(e.History) != HistoryLimit {
		t.Fatalf("history %d, want %d", len(e.History), HistoryLimit)
	}
	if !e.History[HistoryLimit-1].At.Equal(c.Now()) {
		t.Fatal("newest transition is not last")
	}
	// Copies handed out earlier still read as they did.
	for i, h := range held {
		if last := h.History[len(h.History)-1]; !last.At.Equal(newClock().t.Add(time.Duration(i+1) * time.Second)) {
			t.Fatalf("copy %d was changed under the caller: last at %v", i, last.At)
		}
	}
}

func TestApplyKeepFinal(t *testing.T) {
	c := newClock()
	s, _, err := Open(Options{Path: tempPath(t), Now: c.Now, KeepFinal: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	old, running, recent := testID(1, 1), testID(1, 2), testID(1, 3)
	mustAdd(t, s, old, running, recent)
	s.Apply(&api.Result{Jobs: []api.JobStatus{status(old, 1, "Done"), status(running, 3, "Sending")}}, c.Now())
	c.Advance(50 * time.Minute)
	s.Apply(&api.Result{Jobs: []api.JobStatus{status(recent, 2, "Busy")}}, c.Now())
	ch, _ := s.Apply(&api.Result{Jobs: []api.JobStatus{status(running, 3, "Sending")}}, c.Advance(20*time.Minute))
	equalIDs(t, "dropped", ch.Dropped, []api.JobID{old})
	equalIDs(t, "left", ids(s), []api.JobID{running, recent})
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "saved", ids(openAt(t, s.Path(), c)), []api.JobID{running, recent})
	if !slices.Equal(s.Due(c.Now(), false), []api.JobID{running}) {
		t.Fatal("due list wrong after drop")
	}
}

// The detail pane shows the last call that covered a job, so a refused call
// replaces the last good one; a poll that never reached the server does not.
func TestApplyKeepsTheLastCallOfAFailedPoll(t *testing.T) {
	c := newClock()
	s := openAt(t, "", c)
	a := testID(1, 1)
	mustAdd(t, s, a)
	good := status(a, 3, "Sending")
	good.Call = api.CallInfo{Return: true, Call: api.Call{RequestID: "req-good", HTTPStatus: 200}}
	s.Apply(&api.Result{Jobs: []api.JobStatus{good}}, c.Advance(time.Minute))

	refused := api.CallInfo{Return: false, WSError: api.WSError{Code: -5007, Message: "Service error"},
		Call: api.Call{RequestID: "req-refused", HTTPStatus: 200}}
	s.Apply(&api.Result{Jobs: []api.JobStatus{{JobID: a, Call: refused, Err: &api.CallError{WSError: refused.WSError}}}}, c.Advance(time.Minute))
	e, _ := s.Entry(a)
	if e.Last.Call.Call.RequestID != "req-refused" || e.Last.Call.Return || e.Last.Call.WSError.Code != -5007 {
		t.Fatalf("the refused call did not become the last call: %+v", e.Last.Call)
	}
	if e.Last.Description != "Sending" || !e.Last.Stale {
		t.Fatalf("the refusal wiped the last status: %+v", e.Last)
	}

	s.Apply(&api.Result{Jobs: []api.JobStatus{{JobID: a, Err: errors.New("connection refused")}}}, c.Advance(time.Minute))
	if e, _ := s.Entry(a); e.Last.Call.Call.RequestID != "req-refused" {
		t.Fatalf("a poll that reached no server replaced the last call: %+v", e.Last.Call)
	}
}

// The last answer's conflict is kept with the status (and in the file), and
// goes with the next answer that has none.
func TestConflictKeptWithTheLastAnswer(t *testing.T) {
	path := tempPath(t)
	c := newClock()
	s := openAt(t, path, c)
	id := testID(1, 1)
	mustAdd(t, s, id)
	const said = "2 items in the answer disagreed: failed (shown), processing"
	conflicting := status(id, api.StatusFailed, "Busy")
	conflicting.Conflict = said + "\x1b[2J\nsecond line"
	for _, step := range []struct {
		name string
		js   api.JobStatus
		want string
	}{
		{"conflicting items", conflicting, said + `\x1b[2J`},
		{"a clean answer", status(id, api.StatusFailed, "Busy"), ""},
	} {
		if _, err := s.Apply(&api.Result{Jobs: []api.JobStatus{step.js}}, c.Advance(time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := s.Save(); err != nil {
			t.Fatal(err)
		}
		if e, _ := s.Entry(id); e.Last.Conflict != step.want {
			t.Errorf("%s: in memory %q, want %q", step.name, e.Last.Conflict, step.want)
		}
		if e, _ := openAt(t, path, c).Entry(id); e.Last.Conflict != step.want {
			t.Errorf("%s: from the file %q, want %q", step.name, e.Last.Conflict, step.want)
		}
	}
}
