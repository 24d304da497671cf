package serve

import (
	"runtime"
	"runtime/debug"
	"slices"
	"syscall"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/ui"
)

// Figures for the README's Performance table: go test -bench . -benchmem
// ./ui/serve. Each opens real SSH sessions over loopback; the clients run in
// this process too, so CPU and memory figures are upper bounds for the
// server.

func jobs(n int) []api.JobID {
	ids := make([]api.JobID, n)
	for i := range ids {
		ids[i] = testJob(i)
	}
	return ids
}

// polled waits until the hub's first poll has answered.
func polled(b *testing.B, r *rig) {
	waitHub(b, r.hub, 30*time.Second, func(st *ui.SharedState) bool { return !st.Poll.LastSuccess.IsZero() && !st.Poll.InFlight })
}

// openSessions opens n dashboards and waits for each first frame.
func openSessions(b *testing.B, r *rig, n int, first api.JobID) []*term {
	r.plainClients = true
	var out []*term
	for range n {
		tm, _ := r.openTerm(b, "carol", 120, 40, true)
		tm.waitFor(b, string(first), 30*time.Second)
		out = append(out, tm)
	}
	return out
}

// Concord calls per poll interval (1,000 active jobs, batch_size 50) with 1
// and with 50 SSH dashboards open: the same 20.
func BenchmarkCallsPerInterval(b *testing.B) {
	for _, sessions := range []int{1, 50} {
		b.Run(itoa(sessions)+"sessions", func(b *testing.B) {
			var clock *fakeClock
			r := newRigWith(b, nil, func(o *HubOptions) {
				clock = newFakeClock(b)
				o.Now, o.After, o.Interval = clock.Now, clock.After, 20*time.Second
			}, nil, jobs(1000)...)
			b.Cleanup(clock.stop)
			openSessions(b, r, sessions, testJob(0))
			settledAfterTick(b, r.hub, r.src, clock, 1)
			start := r.src.calls.Load()
			polls := r.src.polls.Load()
			b.ResetTimer()
			for range b.N {
				clock.Advance(20 * time.Second)
				clock.fireAll()
				polls++
				settledAfterTick(b, r.hub, r.src, clock, polls)
			}
			b.ReportMetric(float64(r.src.calls.Load()-start)/float64(b.N), "calls/interval")
		})
	}
}

// Server memory per extra dashboard at 10,000 jobs: the heap after 5 and
// after 45 sessions, over 40.
func BenchmarkMemoryPerSession10k(b *testing.B) {
	r := newRigWith(b, &fakeSource{batchSize: 50, final: true}, nil, nil, jobs(10_000)...)
	polled(b, r)
	// Warm-up sessions first: the first ones fill caches every session
	// shares (styles, SSH tables), which are not a session's cost.
	openSessions(b, r, 5, testJob(0))
	before := heapInUse()
	const measured = 40
	openSessions(b, r, measured, testJob(0))
	after := heapInUse()
	for range b.N {
	}
	b.ReportMetric(float64(int64(after)-int64(before))/measured/1e6, "MB/session")
}

func heapInUse() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// Idle CPU (every job final, nothing to poll) with 1 and with 50
// dashboards open, from getrusage over 5 s, in % of one core. "fresh": the
// jobs were answered a second ago, so every visible "Ns ago" changes every
// second (the worst case); "hour": answered an hour ago (the hub's clock
// runs an hour behind), so the screen changes once a minute, as a settled
// list does.
func BenchmarkIdleCPU(b *testing.B) {
	for _, c := range []struct {
		sessions int
		age      time.Duration
		name     string
	}{{1, 0, "fresh"}, {50, 0, "fresh"}, {1, time.Hour, "hour"}, {50, time.Hour, "hour"}} {
		b.Run(itoa(c.sessions)+"sessions-"+c.name, func(b *testing.B) {
			r := newRigWith(b, &fakeSource{batchSize: 50, final: true}, func(o *HubOptions) {
				o.Now = func() time.Time { return time.Now().Add(-c.age) }
			}, nil, jobs(10_000)...)
			polled(b, r)
			openSessions(b, r, c.sessions, testJob(0))
			time.Sleep(2 * time.Second) // the first frames and the first clock ticks are not idle
			const window = 5 * time.Second
			cpu0, wall0 := cpuTime(b), time.Now()
			time.Sleep(window)
			cpu, wall := cpuTime(b)-cpu0, time.Since(wall0)
			for range b.N {
			}
			b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "%core")
		})
	}
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Key press to the next frame over loopback SSH at 10,000 jobs: the time
// until the client reads the frame. Arrows move the selection at once; j
// and k are letters, which the dashboard holds back 30 ms to tell a person
// from a pasted ID (README: Keys).
func BenchmarkKeyToFrame10k(b *testing.B) {
	for _, keys := range []struct {
		name string
		seq  []string
	}{{"arrows", []string{"\x1b[B", "\x1b[A"}}, {"jk", []string{"j", "k"}}} {
		b.Run(keys.name, func(b *testing.B) {
			r := newRigWith(b, &fakeSource{batchSize: 50, final: true}, nil, nil, jobs(10_000)...)
			polled(b, r)
			tm := openSessions(b, r, 1, testJob(0))[0]
			time.Sleep(time.Second)
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				tm.mu.Lock()
				seen := tm.out.Len()
				tm.mu.Unlock()
				start := time.Now()
				tm.send(b, keys.seq[i%2])
				for {
					<-tm.more
					tm.mu.Lock()
					n := tm.out.Len()
					tm.mu.Unlock()
					if n > seen {
						break
					}
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
