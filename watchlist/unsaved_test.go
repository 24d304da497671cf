package watchlist

import (
	"testing"

	"faxwatch/api"
)

// TestUnsavedSummarySaysWhatIsPending: the words after "not saved:" name
// only what memory holds and the file does not.
func TestUnsavedSummarySaysWhatIsPending(t *testing.T) {
	a, b, c := testID(1, 1), testID(1, 2), testID(1, 3)
	answer := func(s *Store, clk *clock) {
		res := &api.Result{Return: true, Jobs: []api.JobStatus{status(a, api.StatusSucceeded, "Job completed")}}
		if _, err := s.Apply(res, clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		edits func(t *testing.T, s *Store, clk *clock)
		want  string
	}{
		{"nothing", func(*testing.T, *Store, *clock) {}, ""},
		{"only a removal", func(t *testing.T, s *Store, _ *clock) { mustRemove(t, s, b) }, "1 removal"},
		{"two removals", func(t *testing.T, s *Store, _ *clock) { mustRemove(t, s, b, c) }, "2 removals"},
		{"an added job", func(t *testing.T, s *Store, _ *clock) { mustAdd(t, s, testID(2, 1)) }, "1 added job"},
		{"only statuses", func(t *testing.T, s *Store, clk *clock) { answer(s, clk) }, "the latest statuses"},
		{"only a note", func(t *testing.T, s *Store, _ *clock) { mustNote(t, s, a, "ACME") }, "note changes"},
		{"an undone removal", func(t *testing.T, s *Store, _ *clock) {
			mustRemove(t, s, b)
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			if _, err := s.UndoRemove(); err != nil {
				t.Fatal(err)
			}
		}, "1 undone removal"},
		{"everything", func(t *testing.T, s *Store, clk *clock) {
			mustAdd(t, s, testID(2, 1), testID(2, 2))
			mustRemove(t, s, c)
			answer(s, clk)
			mustNote(t, s, a, "ACME")
		}, "2 added jobs, 1 removal, the latest statuses, note changes"},
		{"statuses saved, then a removal", func(t *testing.T, s *Store, clk *clock) {
			answer(s, clk)
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			mustRemove(t, s, b)
		}, "1 removal"},
		{"statuses saved in the background, a removal meanwhile", func(t *testing.T, s *Store, clk *clock) {
			answer(s, clk)
			p := s.PrepareSave()
			mustRemove(t, s, b)
			if err := s.FinishSave(p.Run()); err != nil {
				t.Fatal(err)
			}
		}, "1 removal"},
		{"a removal saved in the background, statuses meanwhile", func(t *testing.T, s *Store, clk *clock) {
			mustRemove(t, s, b)
			p := s.PrepareSave()
			answer(s, clk)
			if err := s.FinishSave(p.Run()); err != nil {
				t.Fatal(err)
			}
		}, "the latest statuses"},
		{"all saved", func(t *testing.T, s *Store, clk *clock) {
			mustRemove(t, s, b)
			answer(s, clk)
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			s := openOwnerSaves(t, tempPath(t), clk)
			mustAdd(t, s, a, b, c)
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			tt.edits(t, s, clk)
			if got := s.UnsavedSummary(); got != tt.want {
				t.Errorf("UnsavedSummary() = %q, want %q", got, tt.want)
			}
		})
	}
}

func mustRemove(t *testing.T, s *Store, ids ...api.JobID) {
	t.Helper()
	if _, err := s.Remove(ids...); err != nil {
		t.Fatal(err)
	}
}

func mustNote(t *testing.T, s *Store, id api.JobID, note string) {
	t.Helper()
	if err := s.SetNote(id, note); err != nil {
		t.Fatal(err)
	}
}
