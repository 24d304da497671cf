package watchlist

import (
	"testing"
	"time"
)

// Who added a job and who noted it survive a save, a reopen and a merge
// with another process's save; a name from the file is sanitised.
func TestAddedByAndNoteByPersist(t *testing.T) {
	tests := []struct {
		name, by, want string
	}{
		{name: "plain", by: "alice", want: "alice"},
		{name: "hostile", by: "eve\x1b[2J", want: `eve\x1b[2J`},
		{name: "local", by: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			path := tempPath(t)
			s := openAt(t, path, c)
			id := testID(1, 1)
			if _, _, err := s.AddAs(tt.by, id); err != nil {
				t.Fatal(err)
			}
			c.Advance(time.Minute)
			if err := s.SetNoteAs(tt.by, id, "ticket 4411"); err != nil {
				t.Fatal(err)
			}
			// Another process adds a job and saves: the merge keeps ours.
			other := openAt(t, path, c)
			if _, _, err := other.Add(testID(1, 2)); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Reload(); err != nil {
				t.Fatal(err)
			}
			for _, st := range []*Store{s, openAt(t, path, c)} {
				e, ok := st.Entry(id)
				if !ok || e.AddedBy != tt.want || e.NoteBy != tt.want {
					t.Fatalf("entry = %+v, %v; want added_by and note_by %q", e, ok, tt.want)
				}
			}
		})
	}
}
