package api_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/watchlist"
)

// The service-cost benchmarks: a refresh of a watchlist against the
// simulator on a loopback port, batched (the real client) beside the naive
// client that asks SimpleGetFaxStatus once per job.

// simClient starts a simulator holding n jobs (with latency added to every
// answer) and a PIN-mode client for it.
func simClient(tb testing.TB, n int, latency time.Duration, batch, conc int) (*sim.Server, *api.Client, []api.JobID) {
	tb.Helper()
	srv := sim.New(sim.Options{Seed: 1, Jobs: -1, Faults: sim.Faults{Latency: latency}})
	ids := srv.AddJobs(n)
	running, err := srv.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = running.Close() })
	return srv, clientFor(tb, srv, running.Endpoint(), batch, conc), ids
}

func clientFor(tb testing.TB, srv *sim.Server, endpoint string, batch, conc int) *api.Client {
	tb.Helper()
	c := srv.Credentials()
	client, err := api.New(api.Options{
		Endpoint: endpoint, UserID: c.UserID, BatchSize: batch, Concurrency: conc,
		Auth: api.Auth{Mode: api.AuthPIN, PIN: api.NewSecret(c.PIN)},
		Warn: func(string) {}, // the PIN deprecation notice
	})
	if err != nil {
		tb.Fatal(err)
	}
	return client
}

// watchedWithFinal is a watchlist of ids in which the first final are final.
func watchedWithFinal(tb testing.TB, ids []api.JobID, final int) *watchlist.Store {
	tb.Helper()
	store, _, err := watchlist.Open(watchlist.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if _, _, err := store.Add(ids...); err != nil {
		tb.Fatal(err)
	}
	res := &api.Result{Return: true}
	for _, id := range ids[:final] {
		res.Jobs = append(res.Jobs, api.JobStatus{JobID: id, FaxJobID: string(id), StatusID: api.StatusSucceeded, State: api.StateSucceeded})
	}
	if _, err := store.Apply(res, time.Now()); err != nil {
		tb.Fatal(err)
	}
	return store
}

// naiveRefresh asks SimpleGetFaxStatus once per job, conc at a time.
func naiveRefresh(ctx context.Context, c *api.Client, ids []api.JobID, conc int) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, conc)
	for w := range conc {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(ids); i = int(next.Add(1)) - 1 {
				if _, err := c.SimpleGetFaxStatus(ctx, ids[i]); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// TestRefreshCallCount pins the target: a refresh of N jobs of which F are
// final makes ceil((N-F)/batch) calls, never more.
func TestRefreshCallCount(t *testing.T) {
	cases := []struct{ n, final, batch int }{
		{1, 0, 100}, {100, 0, 100}, {101, 0, 100}, {250, 60, 100}, {250, 250, 100}, {1000, 1, 7},
	}
	srv := sim.New(sim.Options{Seed: 1, Jobs: -1})
	all := srv.AddJobs(1000)
	running, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	for _, tc := range cases {
		client := clientFor(t, srv, running.Endpoint(), tc.batch, 4)
		store := watchedWithFinal(t, all[:tc.n], tc.final)
		due := store.Due(time.Now(), false)
		before := srv.Calls()
		if len(due) > 0 {
			if _, err := client.Status(context.Background(), due); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := int(srv.Calls()-before), ceilDiv(tc.n-tc.final, tc.batch); got != want {
			t.Errorf("N=%d F=%d batch=%d: %d calls, want %d", tc.n, tc.final, tc.batch, got, want)
		}
	}
}

// BenchmarkRefreshCalls is one refresh of N watched jobs, F of them final:
// batched (Due, then Status) beside naive (SimpleGetFaxStatus per due job),
// both 4 at a time, same simulator, same run. calls/op is what the service
// sees.
func BenchmarkRefreshCalls(b *testing.B) {
	for _, size := range []struct{ n, final int }{{1000, 250}, {10_000, 2_500}} {
		srv, client, ids := simClient(b, size.n, 0, api.DefaultBatchSize, api.DefaultConcurrency)
		store := watchedWithFinal(b, ids, size.final)
		name := fmt.Sprintf("N=%d,F=%d", size.n, size.final)
		b.Run(name+"/batched", func(b *testing.B) {
			before := srv.Calls()
			for b.Loop() {
				if _, err := client.Status(context.Background(), store.Due(time.Now(), false)); err != nil {
					b.Fatal(err)
				}
			}
			calls := float64(srv.Calls()-before) / float64(b.N)
			if want := ceilDiv(size.n-size.final, api.DefaultBatchSize); calls != float64(want) {
				b.Fatalf("%.1f calls per refresh, want %d", calls, want)
			}
			b.ReportMetric(calls, "calls/op")
		})
		b.Run(name+"/naive", func(b *testing.B) {
			before := srv.Calls()
			for b.Loop() {
				if err := naiveRefresh(context.Background(), client, store.Due(time.Now(), false), api.DefaultConcurrency); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(srv.Calls()-before)/float64(b.N), "calls/op")
		})
	}
}

// BenchmarkRefreshWall10k is the wall time of a refresh of 10,000 non-final
// jobs with 50 ms added to every answer, batch 100, 4 at a time. x-ideal is
// the time over the ideal ceil(10000/(100*4)) * 50ms = 1.25 s. Run it with
// -benchtime 3x: one iteration takes over a second.
func BenchmarkRefreshWall10k(b *testing.B) {
	const n, latency, batch, conc = 10_000, 50 * time.Millisecond, 100, 4
	srv, client, ids := simClient(b, n, latency, batch, conc)
	ideal := time.Duration(ceilDiv(n, batch*conc)) * latency
	before := srv.Calls()
	var worst time.Duration
	for b.Loop() {
		start := time.Now()
		res, err := client.Status(context.Background(), ids)
		if err != nil || len(res.Failures) > 0 {
			b.Fatalf("refresh: %v, %d failed batches", err, len(res.Failures))
		}
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(ideal), "x-ideal")
	b.ReportMetric(float64(worst)/float64(ideal), "x-ideal-worst")
	b.ReportMetric(float64(srv.Calls()-before)/float64(b.N), "calls/op")
}
