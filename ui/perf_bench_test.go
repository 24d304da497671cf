package ui

import (
	"runtime"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// Benchmarks for the dashboard with a watchlist file behind it: what a poll
// answer costs the UI goroutine now that saving runs in a command, beside
// the synchronous save it replaced; the idle second; start-up to the first
// frame; the heap held.

// fileBigModel is bigModel over a watchlist file: n jobs answered in every
// state, saved, and the dashboard opened on it as main opens it.
func fileBigModel(b *testing.B, n int) (*Model, *api.Result, *fakeClock) {
	b.Helper()
	m, res := bigModel(b, n)
	clock := newClock()
	path := b.TempDir() + "/watchlist.json"
	store, _, err := watchlist.Open(watchlist.Options{Path: path, Now: clock.Now})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]api.JobID, 0, n)
	for i := range m.store.Len() {
		ids = append(ids, m.ix.entries[i].ID)
	}
	if _, _, err := store.Add(ids...); err != nil {
		b.Fatal(err)
	}
	if _, err := store.Apply(res, clock.Now()); err != nil {
		b.Fatal(err)
	}
	if err := store.Save(); err != nil {
		b.Fatal(err)
	}
	fm := New(Options{Source: newSource(), Store: store, Now: clock.Now, Theme: "dark", Interval: 20 * time.Second})
	fm.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	fm.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	return fm, res, clock
}

// benchApplyFile is one poll answer (every job changed) through Update with
// a file behind the store; due keeps only the jobs a tick polls (not final:
// half of them). async: the save is prepared in Update and run
// off the clock, as its command runs on another goroutine, then finished
// in Update. sync: the old way, Save inside Update.
func benchApplyFile(b *testing.B, n int, async, due bool) {
	m, res, _ := fileBigModel(b, n)
	if due {
		res = &api.Result{Return: true, Jobs: slices.DeleteFunc(slices.Clone(res.Jobs),
			func(js api.JobStatus) bool { return js.State.Final() })}
	}
	other := &api.Result{Return: true, Jobs: make([]api.JobStatus, len(res.Jobs))}
	for i, js := range res.Jobs {
		js.Description += " (retry)"
		other.Jobs[i] = js
	}
	answers := []*api.Result{other, res}
	if !async {
		m.disk.busy = true // keeps the command path out of the way
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.poll.inFlight = true
		_, cmd := m.Update(pollResultMsg{gen: m.gen, kind: pollTick, res: answers[i%2]})
		i++
		if !async {
			if err := m.store.Save(); err != nil {
				b.Fatal(err)
			}
			continue
		}
		b.StopTimer()
		done, ok := saveIn(b, cmd)
		if !ok {
			b.Fatal("no save started")
		}
		b.StartTimer()
		m.Update(done)
	}
}

func BenchmarkApplyFile10k(b *testing.B)          { benchApplyFile(b, 10_000, true, false) }
func BenchmarkApplyFile10kSyncSave(b *testing.B)  { benchApplyFile(b, 10_000, false, false) }
func BenchmarkApplyFile100k(b *testing.B)         { benchApplyFile(b, 100_000, true, false) }
func BenchmarkApplyFile100kSyncSave(b *testing.B) { benchApplyFile(b, 100_000, false, false) }
func BenchmarkApplyFile100kDue(b *testing.B)      { benchApplyFile(b, 100_000, true, true) }

// benchIdleSecond is what one idle second costs: the clock tick's Update and
// the frame after it, with nothing changed for hours (the rows' "changed"
// column reads the same, so their cached strings are reused).
func benchIdleSecond(b *testing.B, n int) {
	m, _ := bigModel(b, n)
	now := t0.Add(3 * time.Hour)
	m.now = func() time.Time { return now }
	m.c.now = m.now
	m.Update(clockMsg{})
	_ = m.View()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		now = now.Add(time.Second)
		m.Update(clockMsg{})
		_ = m.View()
	}
}

func BenchmarkIdleSecond10k(b *testing.B)  { benchIdleSecond(b, 10_000) }
func BenchmarkIdleSecond100k(b *testing.B) { benchIdleSecond(b, 100_000) }

// BenchmarkStartup10k is start-up in process: open a 10,000-job file, build
// the dashboard, Init, size it and draw the first frame. The whole-process
// figure (exec, terminal set-up) is scripts/bench.sh's.
func BenchmarkStartup10k(b *testing.B) {
	m, _, _ := fileBigModel(b, 10_000)
	path := m.store.Path()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		store, _, err := watchlist.Open(watchlist.Options{Path: path})
		if err != nil {
			b.Fatal(err)
		}
		m := New(Options{Source: newSource(), Store: store, Theme: "dark"})
		m.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
		_ = m.Init()
		m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
		if v := m.View(); len(v.Content) == 0 {
			b.Fatal("empty first frame")
		}
	}
}

// benchHeap reports the live heap of a dashboard over a watchlist file of n
// jobs after a poll answer and its save (the steady state), in MB.
func benchHeap(b *testing.B, n int) {
	for b.Loop() {
		b.StopTimer()
		m, res, _ := fileBigModel(b, n)
		m.poll.inFlight = true
		_, cmd := m.Update(pollResultMsg{gen: m.gen, kind: pollTick, res: res})
		if done, ok := saveIn(b, cmd); ok {
			m.Update(done)
		}
		_ = m.View()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
		runtime.KeepAlive(m)
		runtime.KeepAlive(res)
		b.StartTimer()
	}
}

func BenchmarkHeap10k(b *testing.B)  { benchHeap(b, 10_000) }
func BenchmarkHeap100k(b *testing.B) { benchHeap(b, 100_000) }
