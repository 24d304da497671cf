package watchlist

import (
	"testing"
	"time"

	"faxwatch/api"
)

// benchPrepareSave measures what the dashboard pays on its goroutine to hand
// a save to a command: PrepareSave after a change in memory. withApply
// makes that change a one-job poll answer and times it too (what an edit
// pays after a save took the entries). Each save is finished, as the
// dashboard finishes it, without running the disk step.
func benchPrepareSave(b *testing.B, n int, withApply bool) {
	s := benchStore(b, n)
	id := s.Entries()[n/2].ID
	answers := [2]*api.Result{
		{Jobs: []api.JobStatus{status(id, 3, "Sending page 1 of 3")}},
		{Jobs: []api.JobStatus{status(id, 3, "Sending page 2 of 3")}},
	}
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if withApply {
			now = now.Add(time.Second)
			if _, err := s.Apply(answers[i%2], now); err != nil {
				b.Fatal(err)
			}
			i++
		} else {
			s.touch()
		}
		p := s.PrepareSave()
		if p == nil {
			b.Fatal("nothing to save")
		}
		_ = s.FinishSave(SaveResult{p: p})
	}
}

func BenchmarkPrepareSave10k(b *testing.B)          { benchPrepareSave(b, 10_000, false) }
func BenchmarkPrepareSave100k(b *testing.B)         { benchPrepareSave(b, 100_000, false) }
func BenchmarkApplyOnePrepareSave10k(b *testing.B)  { benchPrepareSave(b, 10_000, true) }
func BenchmarkApplyOnePrepareSave100k(b *testing.B) { benchPrepareSave(b, 100_000, true) }
