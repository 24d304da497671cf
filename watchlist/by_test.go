package watchlist

import (
	"testing"
	"time"

	"faxwatch/api"
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

// Options.By (faxwatch serve's SSH watch commands) is recorded by the plain
// edits, on the whole-list path and on the fast add alike. "watched" was
// added locally before; "new" is added by the edit.
func TestOptionsByRecordsWho(t *testing.T) {
	const note = "ticket 4411"
	tests := []struct {
		name                          string
		edit                          func(opts Options, fresh, watched api.JobID) error
		target                        string // "new" or "watched"
		addedBy, wantNote, wantNoteBy string
	}{
		{"Add", func(o Options, fresh, _ api.JobID) error {
			_, _, err := openWith(t, o, nil).Add(fresh)
			return err
		}, "new", "alice", "", ""},
		{"AddWithNote, new job", func(o Options, fresh, _ api.JobID) error {
			_, _, err := openWith(t, o, nil).AddWithNote(note, fresh)
			return err
		}, "new", "alice", note, "alice"},
		{"AddWithNote, watched job", func(o Options, _, watched api.JobID) error {
			_, _, err := openWith(t, o, nil).AddWithNote(note, watched)
			return err
		}, "watched", "", note, "alice"},
		{"SetNote", func(o Options, _, watched api.JobID) error {
			return openWith(t, o, nil).SetNote(watched, note)
		}, "watched", "", note, "alice"},
		{"AddToFile's fast path", func(o Options, fresh, _ api.JobID) error {
			_, _, _, err := AddToFile(o, []api.JobID{fresh}, note, true)
			return err
		}, "new", "alice", note, "alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, path := newClock(), tempPath(t)
			fresh, watched := testID(1, 1), testID(1, 2)
			if _, _, err := openAt(t, path, c).Add(watched); err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(Options{Path: path, By: "alice", Now: c.Now}, fresh, watched); err != nil {
				t.Fatal(err)
			}
			id := map[string]api.JobID{"new": fresh, "watched": watched}[tt.target]
			e, ok := openAt(t, path, c).Entry(id)
			if !ok || e.AddedBy != tt.addedBy || e.Note != tt.wantNote || e.NoteBy != tt.wantNoteBy {
				t.Fatalf("entry = %+v, %v; want added_by %q, note %q by %q", e, ok, tt.addedBy, tt.wantNote, tt.wantNoteBy)
			}
		})
	}
}
