package watchlist

import (
	"fmt"
	"testing"

	"faxwatch/api"
)

// benchAddOne measures what `faxwatch watch add ID` does to a file of n
// jobs: open the list under its lock, add one ID, save. Each round adds a new
// ID, so the file grows by one job a round.
func benchAddOne(b *testing.B, n int, add func(path string, id api.JobID) error) {
	path := benchStore(b, n).Path()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		if err := add(path, api.JobID(fmt.Sprintf("br9%06dh00001z", i))); err != nil {
			b.Fatal(err)
		}
	}
}

// addByOpen is the whole-list path: decode every job, add, encode every job.
func addByOpen(path string, id api.JobID) error {
	s, _, err := Open(Options{Path: path})
	if err != nil {
		return err
	}
	added, _, err := s.Add(id)
	if err == nil && len(added) != 1 {
		err = fmt.Errorf("added %v", added)
	}
	return err
}

func BenchmarkWatchAddByOpen200k(b *testing.B) { benchAddOne(b, 200_000, addByOpen) }

// addToFile is `watch add`'s path: the IDs are spliced into the file.
func addToFile(path string, id api.JobID) error {
	added, _, _, err := AddToFile(Options{Path: path}, []api.JobID{id}, "", false)
	if err == nil && len(added) != 1 {
		err = fmt.Errorf("added %v", added)
	}
	return err
}

func BenchmarkWatchAdd200k(b *testing.B) { benchAddOne(b, 200_000, addToFile) }
