package watchlist

import (
	"os"
	"strings"
	"testing"
	"time"

	"faxwatch/api"
)

// A restored entry says who removed it and when, and who brought it back:
// however it was removed. The record lives in memory only: the file does not
// change its format for it.
func TestRestoredEntrySaysWhoRemovedIt(t *testing.T) {
	a, b := testID(1, 1), testID(1, 2)
	tests := []struct {
		name   string
		by     string // the store's Options.By
		remove func(t *testing.T, s *Store, path string)
		undoBy string // "" : UndoRemove
		want   Restoration
	}{
		{"RemoveAs, UndoRemoveAs", "", func(t *testing.T, s *Store, _ string) {
			mustHaveRemoved(t, func() ([]api.JobID, error) { return s.RemoveAs("alice", a) })
		}, "carol", Restoration{RemovedBy: "alice", RestoredBy: "carol"}},
		{"Remove as the store's By", "bob", func(t *testing.T, s *Store, _ string) {
			mustHaveRemoved(t, func() ([]api.JobID, error) { return s.Remove(a) })
		}, "", Restoration{RemovedBy: "bob", RestoredBy: "bob"}},
		{"Remove, locally", "", func(t *testing.T, s *Store, _ string) {
			mustHaveRemoved(t, func() ([]api.JobID, error) { return s.Remove(a) })
		}, "", Restoration{}},
		{"Clear", "bob", func(t *testing.T, s *Store, _ string) {
			if _, err := s.Clear(); err != nil {
				t.Fatal(err)
			}
		}, "", Restoration{RemovedBy: "bob", RestoredBy: "bob"}},
		{"a name with an escape sequence, shown as text", "", func(t *testing.T, s *Store, _ string) {
			mustHaveRemoved(t, func() ([]api.JobID, error) { return s.RemoveAs("al\x1b[2Jice", a) })
		}, "carol", Restoration{RemovedBy: `al\x1b[2Jice`, RestoredBy: "carol"}},
		{"removed by another process", "", func(t *testing.T, s *Store, path string) {
			other := openAt(t, path, nil)
			mustHaveRemoved(t, func() ([]api.JobID, error) { return other.RemoveAs("alice", a) })
			if _, err := s.Reload(); err != nil {
				t.Fatal(err)
			}
		}, "carol", Restoration{Elsewhere: true, RestoredBy: "carol"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			path := tempPath(t)
			s := openWith(t, Options{Path: path, By: tt.by}, c)
			mustAdd(t, s, a, b)
			held := s.Snapshot() // a session's view of the list before the removal
			removedAt := c.Advance(time.Minute)
			tt.remove(t, s, path)
			restoredAt := c.Advance(time.Minute)
			var err error
			if tt.undoBy == "" {
				_, err = s.UndoRemove()
			} else {
				_, err = s.UndoRemoveAs(tt.undoBy)
			}
			if err != nil {
				t.Fatal(err)
			}
			e, ok := s.Entry(a)
			if !ok || e.Restored == nil {
				t.Fatalf("entry %v, %v: no record of its removal", e, ok)
			}
			want := tt.want
			want.RemovedAt, want.RestoredAt = removedAt, restoredAt
			if *e.Restored != want {
				t.Fatalf("Restored = %+v; want %+v", *e.Restored, want)
			}
			if held[0].Restored != nil {
				t.Error("the restore changed an entry a snapshot held")
			}
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), "removed") || strings.Contains(string(data), "restored") {
				t.Errorf("the file holds the removal record: %s", data)
			}
			if e, _ := openAt(t, path, c).Entry(a); e.Restored != nil {
				t.Errorf("a reopened store remembers a removal: %+v", *e.Restored)
			}
		})
	}
}

func mustHaveRemoved(t *testing.T, remove func() ([]api.JobID, error)) {
	t.Helper()
	if removed, err := remove(); err != nil || len(removed) == 0 {
		t.Fatalf("remove = %v, %v", removed, err)
	}
}
