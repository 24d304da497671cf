package watchlist

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"faxwatch/api"
)

func TestAddWithNote(t *testing.T) {
	path := tempPath(t)
	c := newClock()
	s := openAt(t, path, c)
	old, fresh := testID(1, 1), testID(1, 2)
	mustAdd(t, s, old)
	c.Advance(1)
	added, dups, err := s.AddWithNote("  ACME\nrenewal  ", old, fresh)
	if err != nil {
		t.Fatal(err)
	}
	equalIDs(t, "added", added, []api.JobID{fresh})
	equalIDs(t, "duplicates", dups, []api.JobID{old})
	if s.Dirty() {
		t.Error("AddWithNote left changes unsaved")
	}
	reopened := openAt(t, path, c)
	for _, id := range []api.JobID{old, fresh} {
		e, _ := reopened.Entry(id)
		if e.Note != cleanNote("  ACME\nrenewal  ") || !e.NoteAt.Equal(c.Now()) {
			t.Errorf("%s: note %q at %v after reopening", id, e.Note, e.NoteAt)
		}
	}

	long := strings.Repeat("n", 3*NoteMaxRunes)
	if _, _, err := s.AddWithNote(long, fresh); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Entry(fresh); utf8.RuneCountInString(e.Note) != NoteMaxRunes {
		t.Errorf("note of %d runes kept", utf8.RuneCountInString(e.Note))
	}

	v := s.Version()
	if _, _, err := s.AddWithNote("x", testID(1, 3), "br12"); err == nil || s.Version() != v || s.Len() != 2 {
		t.Errorf("an invalid ID: err %v, version %d->%d, %d entries; want an error and no change", err, v, s.Version(), s.Len())
	}
}

func TestDefaultPathFrom(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/x/state", "HOME": home}, "/x/state/faxwatch/watchlist.json"},
		{map[string]string{"HOME": home}, filepath.Join(home, ".local/state/faxwatch/watchlist.json")},
		{map[string]string{"XDG_STATE_HOME": "relative", "HOME": home}, filepath.Join(home, ".local/state/faxwatch/watchlist.json")},
	}
	for _, c := range cases {
		got, err := DefaultPathFrom(func(k string) string { return c.env[k] })
		if err != nil || got != c.want {
			t.Errorf("env %v: %q, %v; want %q", c.env, got, err, c.want)
		}
	}
}
