package alert

import (
	"strings"
	"testing"
	"time"

	"faxwatch/api"
)

func TestTrackerTransitionKinds(t *testing.T) {
	allKinds := []Kind{Failed, Succeeded, Invalid, Unknown}
	tests := []struct {
		name string
		on   []Kind
		to   api.State
		want Kind // "" for no alert
	}{
		{"failed alerts by default", DefaultOn(), api.StateFailed, Failed},
		{"succeeded is quiet by default", DefaultOn(), api.StateSucceeded, ""},
		{"invalid is quiet by default", DefaultOn(), api.StateInvalid, ""},
		{"succeeded when asked", allKinds, api.StateSucceeded, Succeeded},
		{"invalid when asked", allKinds, api.StateInvalid, Invalid},
		{"unknown when asked", allKinds, api.StateUnknown, Unknown},
		{"failed when asked with others", allKinds, api.StateFailed, Failed},
		{"only succeeded asked: failed is quiet", []Kind{Succeeded}, api.StateFailed, ""},
		{"nothing asked", nil, api.StateFailed, ""},
		{"processing never alerts", allKinds, api.StateProcessing, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := jobID(1)
			r := newRig(t, tt.on, a)
			if got := r.poll(all(api.StateProcessing, a), a); !got.Empty() {
				t.Fatalf("first answer alerted: %q", got.Summary())
			}
			got := r.poll(all(tt.to, a), a)
			if tt.want == "" {
				if !got.Empty() {
					t.Fatalf("processing → %s alerted %q, want nothing", tt.to, got.Summary())
				}
				return
			}
			if got.Counts[tt.want] != 1 || len(got.Jobs) != 1 || got.Jobs[0].From != api.StateProcessing {
				t.Fatalf("processing → %s: counts %v jobs %+v, want one %s from processing", tt.to, got.Counts, got.Jobs, tt.want)
			}
			if want := string(a) + " " + string(tt.to); !strings.HasPrefix(got.Summary(), want) {
				t.Errorf("summary %q, want it to start with %q", got.Summary(), want)
			}
			if again := r.poll(all(tt.to, a), a); !again.Empty() {
				t.Errorf("the same state again alerted %q", again.Summary())
			}
		})
	}
}

func TestTrackerFirstAnswerIsNotNews(t *testing.T) {
	a, b := jobID(1), jobID(2)
	on := []Kind{Failed, Succeeded}

	t.Run("already final when first seen", func(t *testing.T) {
		r := newRig(t, on, a, b)
		if got := r.poll(map[api.JobID]api.State{a: api.StateFailed, b: api.StateSucceeded}, a, b); !got.Empty() {
			t.Fatalf("jobs final at their first answer alerted %q", got.Summary())
		}
	})
	t.Run("after a restart", func(t *testing.T) {
		r := newRig(t, on, a, b)
		r.poll(all(api.StateProcessing, a, b), a, b)
		r.now = r.now.Add(time.Second) // a new process, the same watchlist file
		r.tr = NewTracker(on, time.Minute, r.now)
		if got := r.poll(all(api.StateFailed, a, b), a, b); !got.Empty() {
			t.Fatalf("the first answers after a restart alerted %q", got.Summary())
		}
		if got := r.poll(map[api.JobID]api.State{a: api.StateSucceeded, b: api.StateFailed}, a, b); got.Counts[Succeeded] != 1 || got.total() != 1 {
			t.Fatalf("a change seen after the restart: counts %v, want one succeeded", got.Counts)
		}
	})
	t.Run("removed and added again", func(t *testing.T) {
		r := newRig(t, on, a)
		r.poll(all(api.StateProcessing, a), a)
		if _, err := r.store.Remove(a); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.store.Add(a); err != nil {
			t.Fatal(err)
		}
		if got := r.poll(all(api.StateFailed, a), a); !got.Empty() {
			t.Fatalf("the first answer of a job added again alerted %q", got.Summary())
		}
	})
	t.Run("an answer that failed is not a first answer", func(t *testing.T) {
		r := newRig(t, on, a)
		r.now = r.now.Add(time.Minute)
		res := &api.Result{Jobs: []api.JobStatus{{JobID: a, Err: &api.HTTPError{Status: 503}}}}
		ch, _ := r.store.Apply(res, r.now)
		r.tr.Observe(Poll{Now: r.now, Changes: ch, Entry: r.store.Entry})
		r.poll(all(api.StateProcessing, a), a) // the real first answer
		if got := r.poll(all(api.StateFailed, a), a); got.Counts[Failed] != 1 {
			t.Fatalf("processing → failed after an error and a first answer: counts %v, want one failed", got.Counts)
		}
	})
}

func TestTrackerCoalescesOnePoll(t *testing.T) {
	tests := []struct {
		name     string
		failed   int
		succeded int
		want     string
	}{
		{"one", 1, 0, "br1000001x failed (desc of br1000001x)"},
		{"two", 2, 0, "2 jobs failed: br1000001x, br1000002x"},
		{"forty", 40, 0, "40 jobs failed: br1000001x, br1000002x, br1000003x and 37 more"},
		{"mixed", 3, 2, "3 jobs failed, 2 succeeded: br1000001x, br1000002x, br1000003x and 2 more"},
		{"past the cap", MaxJobs + 500, 0, "1500 jobs failed: br1000001x, br1000002x, br1000003x and 1497 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs := ids(tt.failed + tt.succeded)
			r := newRig(t, []Kind{Failed, Succeeded}, jobs...)
			r.poll(all(api.StateProcessing, jobs...), jobs...)
			next := all(api.StateFailed, jobs[:tt.failed]...)
			for _, id := range jobs[tt.failed:] {
				next[id] = api.StateSucceeded
			}
			got := r.poll(next, jobs...)
			if s := got.Summary(); s != tt.want {
				t.Errorf("summary %q, want %q", s, tt.want)
			}
			if len(got.Jobs) != min(len(jobs), MaxJobs) || got.total() != len(jobs) {
				t.Errorf("%d jobs listed of %d counted; want %d of %d", len(got.Jobs), got.total(), min(len(jobs), MaxJobs), len(jobs))
			}
		})
	}
}

func TestTrackerStale(t *testing.T) {
	since := t0
	type step struct {
		at    time.Duration // after since
		stale bool          // polling still failing
		want  bool          // a stale alert
	}
	tests := []struct {
		name  string
		on    []Kind
		steps []step
	}{
		{"alerts once past stale_after", []Kind{Stale}, []step{
			{30 * time.Second, true, false}, {time.Minute, true, true}, {2 * time.Minute, true, false}}},
		{"a recovery re-arms it", []Kind{Stale}, []step{
			{time.Minute, true, true}, {2 * time.Minute, false, false}, {3 * time.Minute, true, false}, {4 * time.Minute, true, true}}},
		{"not asked", DefaultOn(), []step{{time.Hour, true, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker(tt.on, time.Minute, since)
			runStart := since
			for i, st := range tt.steps {
				now := since.Add(st.at)
				p := Poll{Now: now, StaleReason: "connection refused\r\x1b[2J"}
				if st.stale {
					if runStart.IsZero() {
						runStart = now
					}
					p.StaleSince = runStart
				} else {
					runStart = time.Time{}
				}
				got := tr.Observe(p)
				if (got.Stale != nil) != st.want {
					t.Fatalf("step %d: stale news %v, want %v", i, got.Stale != nil, st.want)
				}
				if got.Stale != nil && !strings.Contains(got.Summary(), "no answer from Concord for 1m: connection refused") {
					t.Errorf("step %d: summary %q", i, got.Summary())
				}
				if strings.ContainsAny(got.Summary(), "\r\x1b") {
					t.Errorf("step %d: summary holds control characters: %q", i, got.Summary())
				}
			}
		})
	}
}
