package ui

import (
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// bigModel is a 200x50 dashboard watching n jobs with answers in every state.
func bigModel(b *testing.B, n int) (*Model, *api.Result) {
	b.Helper()
	clock := newClock()
	store, _, err := watchlist.Open(watchlist.Options{Now: clock.Now})
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
	m := New(Options{Source: newSource(), Store: store, Now: clock.Now, Theme: "dark", Interval: 20 * time.Second})
	m.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
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
		for i := 0; i < m.ix.len(); i++ {
			_ = m.table.row(m.ix.at(i), false, now)
		}
	}
}

// benchApply feeds a poll answer through Update: Apply, save, the row index
// rebuild and the selection sync. Answers alternate so every job changes
// (description and change time; states stay). sorts is how many times `s`
// is pressed first: 1 sorts by state, 2 by last change.
func benchApply(b *testing.B, n int, sorts int) {
	m, res := bigModel(b, n)
	for range sorts {
		m.Update(keyMsg("s"))
	}
	other := &api.Result{Return: true, Jobs: make([]api.JobStatus, len(res.Jobs))}
	for i, js := range res.Jobs {
		js.Description += " (retry)"
		other.Jobs[i] = js
	}
	answers := []*api.Result{other, res}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.poll.inFlight = true
		m.Update(pollResultMsg{gen: m.gen, kind: pollTick, res: answers[i%2]})
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
	m.Update(keyMsg("s"))
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
		m.poll.inFlight = true
		m.Update(pollResultMsg{gen: m.gen, kind: pollTick, res: answers[i%2]})
		i++
	}
}

// BenchmarkMoveSelection100k is one key press and the frame after it.
func BenchmarkMoveSelection100k(b *testing.B) {
	m, _ := bigModel(b, 100_000)
	m.table.moveTo(50_000)
	keys := []tea.KeyPressMsg{keyMsg("j"), keyMsg("k")}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		_ = m.View()
		i++
	}
}

// BenchmarkFilter100k is one keystroke in the filter over 100,000 jobs
// (search keys already built; the first keystroke after a poll builds them).
func BenchmarkFilter100k(b *testing.B) {
	m, _ := bigModel(b, 100_000)
	m.setFilter("x") // build the keys
	queries := []string{"line busy", "carrier"}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.setFilter(queries[i%2])
		i++
	}
}

// BenchmarkFilterFirstKey100k includes building the search keys.
func BenchmarkFilterFirstKey100k(b *testing.B) {
	m, _ := bigModel(b, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.ix.search = nil
		m.ix.query = ""
		m.setFilter("b")
	}
}
