package serve

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/watchlist"
)

// Metrics are what [serve] metrics_listen serves to Prometheus. A nil
// *Metrics records nothing.
type Metrics struct {
	reg         *prometheus.Registry
	jobs        *prometheus.GaugeVec
	polls       *prometheus.CounterVec
	pollSeconds prometheus.Histogram
	calls       *prometheus.CounterVec
	lastSuccess prometheus.Gauge
	sessions    prometheus.Gauge
	turned      prometheus.Counter
	version     uint64 // the list version the job gauges show
}

// NewMetrics registers faxwatch's metrics (and the Go runtime's) on a
// registry of their own.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		jobs: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "faxwatch_jobs", Help: "Watched jobs by state.",
		}, []string{"state"}),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faxwatch_polls_total", Help: "Polls by outcome (ok, partial, failed).",
		}, []string{"outcome"}),
		pollSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "faxwatch_poll_duration_seconds", Help: "Time from asking Concord about the due jobs to the answer (all batches).",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120},
		}),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faxwatch_concord_calls_total", Help: "Concord HTTP requests by outcome and error kind.",
		}, []string{"outcome", "kind"}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "faxwatch_last_successful_poll_timestamp_seconds", Help: "Unix time of the last poll that brought a fresh status.",
		}),
		sessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "faxwatch_sessions_open", Help: "SSH dashboard sessions open.",
		}),
		turned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "faxwatch_jobs_turned_failed_total", Help: "Watched jobs seen turning failed (not a job's first answer).",
		}),
	}
	m.reg.MustRegister(m.jobs, m.polls, m.pollSeconds, m.calls, m.lastSuccess, m.sessions, m.turned,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// observePoll counts a poll, its duration and each Concord call it made.
func (m *Metrics) observePoll(ans *ui.PollAnswer, out ui.Outcome, now time.Time) {
	if m == nil {
		return
	}
	outcome := "ok"
	switch {
	case out.Failed:
		outcome = "failed"
	case out.Reason != "":
		outcome = "partial"
	}
	m.polls.WithLabelValues(outcome).Inc()
	if !out.Failed {
		m.lastSuccess.Set(float64(now.UnixNano()) / 1e9)
	}
	if ans.Result == nil {
		return
	}
	for _, c := range ans.Result.Calls {
		kind := callKind(c)
		result := "ok"
		if kind != "" {
			result = "error"
		}
		m.calls.WithLabelValues(result, kind).Inc()
	}
}

// timed measures each poll where it runs: from asking the source to its
// answer, on the hub's clock.
func (m *Metrics) timed(src ui.StatusSource, now func() time.Time) ui.StatusSource {
	if m == nil {
		return src
	}
	return timedSource{src: src, now: now, hist: m.pollSeconds}
}

type timedSource struct {
	src  ui.StatusSource
	now  func() time.Time
	hist prometheus.Histogram
}

func (t timedSource) Status(ctx context.Context, ids []api.JobID) (*api.Result, error) {
	start := t.now()
	defer func() { t.hist.Observe(t.now().Sub(start).Seconds()) }()
	return t.src.Status(ctx, ids)
}

// callKind sorts a failed call by what an operator would do about it; ""
// for a call that worked.
func callKind(c api.Call) string {
	switch {
	case c.Err == "" && c.HTTPStatus < 400:
		return ""
	case c.HTTPStatus == 0:
		return "transport"
	case c.HTTPStatus == 429:
		return "rate_limit"
	case c.HTTPStatus == 401 || c.HTTPStatus == 403:
		return "auth"
	case c.HTTPStatus >= 500:
		return "server"
	case c.HTTPStatus >= 400:
		return "http_" + strconv.Itoa(c.HTTPStatus)
	}
	return "protocol"
}

// observeState sets the gauges that follow the shared state.
func (m *Metrics) observeState(st *ui.SharedState) {
	if m == nil {
		return
	}
	m.sessions.Set(float64(st.Watching))
	if st.Version == m.version && m.version != 0 {
		return
	}
	m.version = st.Version
	counts := map[string]int{}
	for i := range st.List.Len() {
		e := st.List.Head(i) // the state only: no copy of its history
		counts[string(e.State())]++
	}
	for _, s := range []api.State{watchlist.StatePending, api.StateSucceeded, api.StateFailed, api.StateProcessing,
		api.StateInvalid, api.StateUnknown, api.StateNoAnswer} {
		m.jobs.WithLabelValues(string(s)).Set(float64(counts[string(s)]))
	}
}

// observeChanges counts the jobs that turned failed in one Apply; a job's
// first answer does not count (a pasted old failure is no news).
func (m *Metrics) observeChanges(ch watchlist.Changes) {
	if m == nil {
		return
	}
	for _, mv := range ch.Moved {
		if mv.To == api.StateFailed && mv.From != watchlist.StatePending && mv.From != "" {
			m.turned.Inc()
		}
	}
}
