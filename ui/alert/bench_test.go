package alert

import (
	"testing"

	"faxwatch/api"
)

// BenchmarkObserve is the alert hook's cost per poll at 10,000 watched jobs:
// every job answered, quiet (nothing changed) or with 40 turning failed.
func BenchmarkObserve(b *testing.B) {
	for _, failing := range []int{0, 40} {
		name := "quiet"
		if failing > 0 {
			name = "40_failed"
		}
		b.Run(name, func(b *testing.B) {
			jobs := ids(10000)
			r := newRig(b, DefaultOn(), jobs...)
			r.poll(all(api.StateProcessing, jobs...), jobs...)
			states := all(api.StateProcessing, jobs...)
			res := &api.Result{Return: true}
			for _, id := range jobs {
				res.Jobs = append(res.Jobs, api.JobStatus{JobID: id, StatusID: 3, State: states[id]})
			}
			for i := range failing {
				res.Jobs[i].State, res.Jobs[i].StatusID = api.StateFailed, 2
			}
			ch, err := r.store.Apply(res, r.now.Add(1))
			if err != nil {
				b.Fatal(err)
			}
			p := Poll{Now: r.now, Changes: ch, Entry: r.store.Entry}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if a := r.tr.Observe(p); a.total() != failing {
					b.Fatalf("%d alerted, want %d", a.total(), failing)
				}
			}
		})
	}
}
