package serve

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/ui"
	"faxwatch/watchlist"
)

// fakeClock is the hub's time; timers are fired by the test (fireAll).
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	pending []chan time.Time
	done    chan struct{}
	once    sync.Once
}

func newFakeClock(t testing.TB) *fakeClock {
	c := &fakeClock{now: sim.Epoch(time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)), done: make(chan struct{})}
	t.Cleanup(c.stop)
	return c
}

// stop ends the timers that never fired, so the hub's Stop can wait for
// its goroutines.
func (c *fakeClock) stop() { c.once.Do(func() { close(c.done) }) }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) After(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	c.pending = append(c.pending, ch)
	c.mu.Unlock()
	return func() tea.Msg {
		select {
		case at := <-ch:
			return fn(at)
		case <-c.done:
			return nil
		}
	}
}

// fireAll fires every timer armed so far (stale ones are dropped by the
// poller, as real late timers are).
func (c *fakeClock) fireAll() {
	c.mu.Lock()
	fire, now := c.pending, c.now
	c.pending = nil
	c.mu.Unlock()
	for _, ch := range fire {
		ch <- now
	}
}

// newTestHub is a started hub on a memory-only list of n active jobs.
func newTestHub(t testing.TB, n int, src ui.StatusSource, m *Metrics) (*Hub, *fakeClock) {
	t.Helper()
	clock := newFakeClock(t)
	store, _, err := watchlist.Open(watchlist.Options{Now: clock.Now, OwnerSaves: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]api.JobID, n)
	for i := range ids {
		ids[i] = testJob(i)
	}
	if _, _, err := store.Add(ids...); err != nil {
		t.Fatal(err)
	}
	h := NewHub(HubOptions{Source: src, Store: store, Interval: 20 * time.Second, Now: clock.Now, After: clock.After, Metrics: m})
	h.Start()
	t.Cleanup(func() { clock.stop(); _ = h.Stop() })
	return h, clock
}

// settled waits (bounded) for the hub's polls-so-far to reach n with none in
// flight.
func settled(t testing.TB, h *Hub, src *fakeSource, n int64) {
	t.Helper()
	waitHub(t, h, 5*time.Second, func(st *ui.SharedState) bool { return src.polls.Load() >= n && !st.Poll.InFlight })
}

// settledAfterTick waits for poll n, fired by the clock, to finish: its
// timer for the next one armed ahead of the clock. A state published before
// the poll started (not yet in flight, timer due now) must not count, or the
// next fireAll would find no timer armed.
func settledAfterTick(t testing.TB, h *Hub, src *fakeSource, clock *fakeClock, n int64) {
	t.Helper()
	waitHub(t, h, 5*time.Second, func(st *ui.SharedState) bool {
		return src.polls.Load() >= n && !st.Poll.InFlight && st.Poll.NextPoll.After(clock.Now())
	})
}

// The team shares one manual refresh per 5 s, whoever asks.
func TestRefreshIsSharedAndLimited(t *testing.T) {
	src := &fakeSource{batchSize: 50}
	h, clock := newTestHub(t, 3, src, nil)
	settled(t, h, src, 1)
	steps := []struct {
		who     string
		advance time.Duration
		want    string
		polls   int64
	}{
		{"alice", 0, "refreshing for everyone", 2},
		{"bob", 2 * time.Second, "try again in 3s", 2},
		{"alice", 3 * time.Second, "refreshing for everyone", 3},
	}
	for _, s := range steps {
		clock.Advance(s.advance)
		if got := h.Refresh(s.who, false); !strings.Contains(got, s.want) {
			t.Fatalf("%s's r after %s: %q; want %q", s.who, s.advance, got, s.want)
		}
		settled(t, h, src, s.polls)
		if got := src.polls.Load(); got != s.polls {
			t.Fatalf("%d polls; want %d", got, s.polls)
		}
	}
}

// Concord calls per interval are ceil(active/batch_size) whatever the
// number of sessions subscribed.
func TestCallsPerIntervalDoNotGrowWithSessions(t *testing.T) {
	for _, sessions := range []int{1, 50} {
		src := &fakeSource{batchSize: 50}
		h, clock := newTestHub(t, 1000, src, nil)
		for range sessions {
			sub := h.Subscribe()
			t.Cleanup(func() { h.Unsubscribe(sub) })
		}
		settledAfterTick(t, h, src, clock, 1)
		before := src.calls.Load()
		for i := range 3 {
			clock.Advance(20 * time.Second)
			clock.fireAll()
			settledAfterTick(t, h, src, clock, int64(2+i))
		}
		if got := (src.calls.Load() - before) / 3; got != 20 {
			t.Fatalf("%d sessions: %d calls per interval; want 20 (1000 jobs / 50)", sessions, got)
		}
	}
}

// Metrics name what a poll did; a scrape reads them.
func TestMetricsAfterAPoll(t *testing.T) {
	src := &fakeSource{batchSize: 2}
	m := NewMetrics()
	h, clock := newTestHub(t, 3, src, m)
	settled(t, h, src, 1)
	sub := h.Subscribe()
	defer h.Unsubscribe(sub)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`faxwatch_jobs{state="processing"} 3`,
		`faxwatch_polls_total{outcome="ok"} 1`,
		`faxwatch_concord_calls_total{kind="",outcome="ok"} 2`,
		`faxwatch_poll_duration_seconds_count 1`,
		"faxwatch_last_successful_poll_timestamp_seconds " + strconv.FormatFloat(float64(clock.Now().Unix()), 'g', -1, 64),
		`faxwatch_sessions_open 1`,
		`faxwatch_jobs_turned_failed_total 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// status over SSH answers fresh watched jobs from the list and asks the
// service only for the rest.
func TestCacheSourceAsksOnlyForWhatIsNotFresh(t *testing.T) {
	src := &fakeSource{batchSize: 50}
	h, clock := newTestHub(t, 2, src, nil)
	settled(t, h, src, 1)
	fallback := &fakeSource{batchSize: 50}
	c := &CacheSource{Hub: h, Fallback: fallback, Fresh: 20 * time.Second, Now: clock.Now}
	tests := []struct {
		name    string
		ids     []api.JobID
		advance time.Duration
		calls   int64
	}{
		{"watched and fresh", []api.JobID{testJob(0), testJob(1)}, 0, 0},
		{"one not watched", []api.JobID{testJob(0), testJob(5)}, 0, 1},
		{"watched but old", []api.JobID{testJob(0)}, time.Minute, 2},
	}
	for _, tt := range tests {
		clock.Advance(tt.advance)
		res, err := c.Status(context.Background(), tt.ids)
		if err != nil || len(res.Jobs) != len(tt.ids) {
			t.Fatalf("%s: %v, %+v", tt.name, err, res)
		}
		for i, j := range res.Jobs {
			if j.JobID != tt.ids[i] || j.State != api.StateProcessing {
				t.Errorf("%s: job %d = %+v", tt.name, i, j)
			}
		}
		if got := fallback.calls.Load(); got != tt.calls {
			t.Errorf("%s: %d calls to the service so far; want %d", tt.name, got, tt.calls)
		}
	}
}

// A final job's answer stays the answer: the poller no longer asks about it,
// so status over SSH answers it from the list however old it is.
func TestCacheSourceAnswersFinalJobsFromTheList(t *testing.T) {
	src := &fakeSource{batchSize: 50, final: true}
	h, clock := newTestHub(t, 1, src, nil)
	settled(t, h, src, 1)
	fallback := &fakeSource{batchSize: 50}
	c := &CacheSource{Hub: h, Fallback: fallback, Fresh: 20 * time.Second, Now: clock.Now}
	clock.Advance(time.Hour)
	res, err := c.Status(context.Background(), []api.JobID{testJob(0)})
	if err != nil || len(res.Jobs) != 1 || res.Jobs[0].State != api.StateSucceeded {
		t.Fatalf("%v, %+v", err, res)
	}
	if got := fallback.calls.Load(); got != 0 {
		t.Fatalf("%d calls to the service for a final job the list holds; want 0", got)
	}
}

// A watch command's change is told as the dashboard's own edits are, naming
// the job when there is one and counting them when there are more.
func TestWatchCommandEvent(t *testing.T) {
	a, b := api.JobID("br0000001h00001x"), api.JobID("br0000002h00002x")
	tests := []struct {
		name           string
		added, removed []api.JobID
		want           string
	}{
		{"one added", []api.JobID{a}, nil, "alice added br0000001h00001x with a watch command"},
		{"two removed", nil, []api.JobID{a, b}, "alice removed 2 jobs with a watch command"},
		{"both", []api.JobID{a}, []api.JobID{b}, "alice added br0000001h00001x and removed br0000002h00002x with a watch command"},
		{"a note only", nil, nil, "alice changed notes with a watch command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := watchCommandEvent("alice", tt.added, tt.removed); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
