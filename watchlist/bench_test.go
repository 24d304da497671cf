package watchlist

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"faxwatch/api"
)

// benchEntries builds n realistic entries: a status with its call, two
// transitions, and a note on every tenth.
func benchEntries(n int) []Entry {
	t0 := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	out := make([]Entry, n)
	for i := range out {
		id := api.JobID(fmt.Sprintf("br%07dh%05dx", i, i%99999))
		e := Entry{ID: id, AddedAt: t0, Last: Status{
			StatusID: 3, State: api.StateProcessing, Description: "Sending page 2 of 3", FaxJobID: string(id),
			Call: api.CallInfo{Return: true, Call: api.Call{RequestID: "0b9f6c1e-5d7a-4e8b-9a51-2c3d4e5f6a7b",
				ActivityID: "7f1c2d3e-aaaa-bbbb-cccc-0123456789ab", ExecutionMS: 12, HTTPStatus: 200,
				RoundTrip: 40 * time.Millisecond, Attempt: 1, Jobs: 100, At: t0}},
			CheckedAt: t0.Add(time.Minute), ChangedAt: t0.Add(time.Minute),
		}, History: []Transition{
			{At: t0.Add(30 * time.Second), From: StatePending, To: api.StateUnknown, Description: "Queued"},
			{At: t0.Add(time.Minute), From: api.StateUnknown, To: api.StateProcessing, Description: "Sending page 2 of 3"},
		}}
		if i%10 == 0 {
			e.Note, e.NoteAt = "ticket 4411 / ACME", t0
		}
		out[i] = e
	}
	return out
}

// benchStore opens a store whose file holds n entries.
func benchStore(b *testing.B, n int) *Store {
	path := filepath.Join(b.TempDir(), "watchlist.json")
	s := openAt(b, path, nil)
	s.entries = pointersTo(benchEntries(n))
	s.rebuildIndex()
	s.touch()
	if err := s.Save(); err != nil {
		b.Fatal(err)
	}
	return s
}

func benchLoad(b *testing.B, n int) {
	path := benchStore(b, n).Path()
	b.ResetTimer()
	for b.Loop() {
		s, _, err := Open(Options{Path: path})
		if err != nil || s.Len() != n {
			b.Fatalf("Open: %v, %d entries", err, s.Len())
		}
	}
}

// benchSave measures a save when the file is as we last left it (the
// dashboard's usual case): encode, write, fsync, rename. With merge, another
// process is taken to have written, so the save also reads and merges.
func benchSave(b *testing.B, n int, merge bool) {
	s := benchStore(b, n)
	b.ResetTimer()
	for b.Loop() {
		s.touch()
		if merge {
			s.disk = nil
		}
		if err := s.Save(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad10k(b *testing.B)       { benchLoad(b, 10_000) }
func BenchmarkLoad100k(b *testing.B)      { benchLoad(b, 100_000) }
func BenchmarkSave10k(b *testing.B)       { benchSave(b, 10_000, false) }
func BenchmarkSave100k(b *testing.B)      { benchSave(b, 100_000, false) }
func BenchmarkSaveMerge10k(b *testing.B)  { benchSave(b, 10_000, true) }
func BenchmarkSaveMerge100k(b *testing.B) { benchSave(b, 100_000, true) }

// BenchmarkApply10k applies a 10,000-job answer in which every job changed.
func BenchmarkApply10k(b *testing.B) {
	const n = 10_000
	s := openAt(b, "", nil)
	s.entries = pointersTo(benchEntries(n))
	s.rebuildIndex()
	var results [2]*api.Result
	for k := range results {
		res := &api.Result{Jobs: make([]api.JobStatus, n)}
		for i, e := range s.entries {
			st := status(e.ID, 3, fmt.Sprintf("Sending page %d of 3", k+1))
			if k == 1 && i%4 == 0 {
				st = status(e.ID, 77, "Retrying")
			}
			res.Jobs[i] = st
		}
		results[k] = res
	}
	now := time.Now()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		now = now.Add(time.Second)
		ch, err := s.Apply(results[i%2], now)
		if err != nil || len(ch.Changed) != n {
			b.Fatalf("Apply: %v, %d changed", err, len(ch.Changed))
		}
		i++
	}
}

// BenchmarkEncode10k and BenchmarkDecode10k measure the codec alone, without
// the lock, the disk and fsync.
func BenchmarkEncode10k(b *testing.B) {
	entries := benchEntries(10_000)
	b.ResetTimer()
	for b.Loop() {
		b.SetBytes(int64(len(encodeEntries(entries, 0))))
	}
}

func BenchmarkDecode10k(b *testing.B) {
	data := encodeEntries(benchEntries(10_000), 0)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := decodeEntries("x", data); err != nil {
			b.Fatal(err)
		}
	}
}

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
