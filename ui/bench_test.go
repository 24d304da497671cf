package ui

import (
	"runtime"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/watchlist"
)

// bigModel is a 200x50 dashboard watching n jobs with answers in every state.
func bigModel(b *testing.B, n int) (*Model, *api.Result) {
	b.Helper()
	return bigModelOn(b, n, newClock())
}

// bigModelOn is bigModel on the given clock.
func bigModelOn(b *testing.B, n int, clock *sim.ManualClock) (*Model, *api.Result) {
	b.Helper()
	store, _, err := watchlist.Open(watchlist.Options{Now: clock.Now, OwnerSaves: true})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]api.JobID, n)
	for i := range ids {
		ids[i] = api.JobID("br" + pad7(i) + "h00001x")
	}
	if _, _, err := store.Add(ids...); err != nil {
		b.Fatal(err)
	}
	res := &api.Result{Return: true, Jobs: make([]api.JobStatus, n)}
	for i, id := range ids {
		switch i % 4 {
		case 0:
			res.Jobs[i] = status(id, api.StatusSucceeded, "Job completed", 0, "")
		case 1:
			res.Jobs[i] = status(id, api.StatusFailed, "Fax failed: remote busy", 2008, "Line busy")
		case 2:
			res.Jobs[i] = status(id, api.StatusProcessing, "Sending page 2 of 5", 0, "")
		default:
			res.Jobs[i] = status(id, 7, "Queued at carrier", 0, "")
		}
	}
	if _, err := store.Apply(res, clock.Now()); err != nil {
		b.Fatal(err)
	}
	m := New(Options{Source: newSource(), Store: store, Now: clock.Now, Theme: "dark", Interval: 20 * time.Second,
		After: noTimers})
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	return m, res
}

func pad7(i int) string {
	s := itoa(i)
	for len(s) < 7 {
		s = "0" + s
	}
	return s
}

func benchView(b *testing.B, n int, cold bool) {
	m, _ := bigModel(b, n)
	m.table.moveTo(n / 2)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if cold {
			clear(m.table.cache) // as after a poll that changed every visible row
		}
		_ = m.View()
	}
}

func BenchmarkView10k(b *testing.B)      { benchView(b, 10_000, false) }
func BenchmarkView100k(b *testing.B)     { benchView(b, 100_000, false) }
func BenchmarkViewCold10k(b *testing.B)  { benchView(b, 10_000, true) }
func BenchmarkViewCold100k(b *testing.B) { benchView(b, 100_000, true) }

// BenchmarkViewAllRows10k is the baseline the windowed table avoids: every
// row rendered on every frame.
func BenchmarkViewAllRows10k(b *testing.B) {
	m, _ := bigModel(b, 10_000)
	now := m.now()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(m.table.cache)
		for i := 0; i < m.table.ix.len(); i++ {
			e := m.table.ix.at(i)
			_ = m.table.row(&e, false, now)
		}
	}
}

// alternatingAnswers are res with every description changed, then res: fed
// in turn, every job changes on every poll (states stay).
func alternatingAnswers(res *api.Result) []*api.Result {
	other := &api.Result{Return: true, Jobs: make([]api.JobStatus, len(res.Jobs))}
	for i, js := range res.Jobs {
		js.Description += " (retry)"
		other.Jobs[i] = js
	}
	return []*api.Result{other, res}
}

// benchApply feeds a poll answer through Update: Apply, save, the row index
// rebuild and the selection sync. Answers alternate so every job changes
// (description and change time; states stay). sorts is how many times `s`
// is pressed first: 1 sorts by state, 2 by last change.
func benchApply(b *testing.B, n int, sorts int) {
	m, res := bigModel(b, n)
	for range sorts {
		press(m, "s")
	}
	answers := alternatingAnswers(res)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		b.StopTimer()
		msg := nextAnswer(b, m, answers[i%2])
		b.StartTimer()
		m.Update(msg)
		i++
	}
}

func BenchmarkApply10k(b *testing.B)              { benchApply(b, 10_000, 0) }
func BenchmarkApply10kSorted(b *testing.B)        { benchApply(b, 10_000, 1) }
func BenchmarkApply10kSortedChanged(b *testing.B) { benchApply(b, 10_000, 2) }

// BenchmarkApply10kSortedFew is the usual poll under the state sort: 1 % of
// the jobs move between processing and done, the rest only get checked.
func BenchmarkApply10kSortedFew(b *testing.B) {
	const n = 10_000
	m, res := bigModel(b, n)
	press(m, "s")
	other := &api.Result{Return: true, Jobs: slices.Clone(res.Jobs)}
	for i := 2; i < n; i += 100 { // 1 % of the jobs, all processing (i%4 == 2)
		js := &other.Jobs[i]
		*js = status(js.JobID, api.StatusSucceeded, "Job completed", 0, "")
	}
	answers := []*api.Result{other, res}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		b.StopTimer()
		msg := nextAnswer(b, m, answers[i%2])
		b.StartTimer()
		m.Update(msg)
		i++
	}
}

// BenchmarkMoveSelection100k is one key press and the frame after it.
func BenchmarkMoveSelection100k(b *testing.B) {
	m, _ := bigModel(b, 100_000)
	m.table.moveTo(50_000)
	keys := []string{"j", "k"}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		press(m, keys[i%2])
		_ = m.View()
		i++
	}
}

// BenchmarkFilter100k is one keystroke in the filter over 100,000 jobs
// (search keys already built; the first keystroke after a poll builds them).
func BenchmarkFilter100k(b *testing.B) {
	m, _ := bigModel(b, 100_000)
	m.table.SetFilter("x") // build the keys
	queries := []string{"line busy", "carrier"}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.table.SetFilter(queries[i%2])
		i++
	}
}

// BenchmarkFilterFirstKey100k includes building the search keys.
func BenchmarkFilterFirstKey100k(b *testing.B) {
	m, _ := bigModel(b, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.table.ix.search = nil
		m.table.ix.query = ""
		m.table.SetFilter("b")
	}
}

// Benchmarks for the dashboard with a watchlist file behind it: what a poll
// answer costs the UI goroutine now that saving runs in a command, beside
// the synchronous save it replaced; the idle second; start-up to the first
// frame; the heap held.

// fileBigModel is bigModel over a watchlist file: n jobs answered in every
// state, saved, and the dashboard opened on it as main opens it.
func fileBigModel(b *testing.B, n int) (*Model, *api.Result, *sim.ManualClock) {
	b.Helper()
	m, res := bigModel(b, n)
	clock := newClock()
	path := b.TempDir() + "/watchlist.json"
	store, _, err := watchlist.Open(watchlist.Options{Path: path, Now: clock.Now, OwnerSaves: true})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]api.JobID, 0, n)
	for _, e := range m.store.Entries() {
		ids = append(ids, e.ID)
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
	fm := New(Options{Source: newSource(), Store: store, Now: clock.Now, Theme: "dark", Interval: 20 * time.Second,
		After: noTimers})
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
	answers := alternatingAnswers(res)
	if !async {
		m.disk.busy = true // keeps the command path out of the way
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		b.StopTimer()
		msg := nextAnswer(b, m, answers[i%2])
		b.StartTimer()
		_, cmd := m.Update(msg)
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
	clock := newClock()
	m, _ := bigModelOn(b, n, clock)
	clock.Advance(3 * time.Hour)
	m.Update(clockMsg{})
	_ = m.View()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clock.Advance(time.Second)
		m.Update(clockMsg{})
		_ = m.View()
	}
}

func BenchmarkIdleSecond10k(b *testing.B)  { benchIdleSecond(b, 10_000) }
func BenchmarkIdleSecond100k(b *testing.B) { benchIdleSecond(b, 100_000) }

// BenchmarkStartup10k is start-up in process: open a 10,000-job file, build
// the dashboard, Init, size it and draw the first frame. The whole-process
// figure (exec, terminal set-up) is scripts/bench.sh's.
func BenchmarkStartup10k(b *testing.B)  { benchStartup(b, 10_000) }
func BenchmarkStartup100k(b *testing.B) { benchStartup(b, 100_000) }

func benchStartup(b *testing.B, n int) {
	m, _, _ := fileBigModel(b, n)
	path := m.store.Path()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		store, _, err := watchlist.Open(watchlist.Options{Path: path, OwnerSaves: true})
		if err != nil {
			b.Fatal(err)
		}
		m := New(Options{Source: newSource(), Store: store, Theme: "dark", After: noTimers})
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
		_, cmd := m.Update(nextAnswer(b, m, res))
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
