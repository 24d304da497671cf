package watchlist

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"faxwatch/api"
)

// Options configures a Store.
type Options struct {
	Path        string        // the JSON file; "" keeps the list in memory only
	KeepFinal   time.Duration // drop final jobs this long after they ended; 0 keeps them
	Now         func() time.Time
	LockTimeout time.Duration // how long to wait for another process; 0 means DefaultLockTimeout
	// OwnerSaves makes the edits (Add, AddWithNote, Remove, UndoRemove,
	// Clear, SetNote) change memory only, as Apply does: the owner saves,
	// off its goroutine with PrepareSave, or with Save. The dashboard opens
	// its store so; the watch commands do not, and each edit is on disk when
	// it returns.
	OwnerSaves bool
	// OnNoteReplaced, when set, hears of each note AddWithNote replaces with
	// a different one on a job already watched, so the caller can say what
	// was there.
	OnNoteReplaced func(id api.JobID, previous string)
	// By is who this store edits for: faxwatch serve's SSH watch commands
	// run as a person, and Add, AddWithNote and SetNote record them as
	// added_by and note_by. "" (local use) records no one.
	By string
}

// Store is the watchlist: an ordered, de-duplicated set of entries, persisted.
// Not safe for concurrent use: one goroutine (the UI's Update) owns it.
type Store struct {
	opts     Options
	lockPath string // "" for a memory-only store
	// entries is copy-on-write, so a save or a snapshot costs no copy. While
	// frozen, someone holds the slice's array: it is copied before a write.
	// While a PendingSave or a Snapshot holds the entries themselves, edit
	// stores an edited copy instead of editing one (see edit).
	entries []*Entry
	frozen  bool
	saves   int                 // PendingSaves prepared and not yet finished
	pinned  bool                // a Snapshot was handed out: its entries never change
	fresh   map[*Entry]struct{} // copies made since the entries were last shared
	index   map[api.JobID]int   // ID -> position in entries
	version uint64
	dirty   bool // memory holds something the file does not
	// For UnsavedSummary: the versions of the latest status and note edits,
	// and the version the file holds.
	statusesAt, notesAt, savedAt uint64

	// What the file held at the last sync, and what changed here since; the
	// merge in merge.go needs both to tell "removed elsewhere" from "added here".
	disk     os.FileInfo            // the file as of the last sync; nil when absent
	synced   map[api.JobID]struct{} // IDs in the file at the last sync
	added    map[api.JobID]struct{} // added here since
	removed  map[api.JobID]struct{} // removed here since (tombstones)
	restored map[api.JobID]struct{} // brought back by UndoRemove since: keep their place

	removals [][]removal // undo stack, newest last, at most MaxUndo
	// removedElsewhere are the IDs merges dropped because another process
	// removed them, until TakeRemovedElsewhere; at most maxRemovedElsewhere.
	removedElsewhere []api.JobID
	warnings         []string
	readOnly         bool // made by Read: a damaged file is reported, not moved aside
}

// MaxUndo is how many removals UndoRemove can take back, newest first: the
// removed entries are held in memory until then.
const MaxUndo = 20

// removal remembers a removed entry and the entry it followed (not itself
// removed with it), so UndoRemove can put it back in place, and who removed
// it when, so the restored entry can say so.
type removal struct {
	entry     *Entry
	after     api.JobID // "" when it was first
	elsewhere bool      // another process removed it; a merge noticed
	by        string
	at        time.Time
}

// DefaultPath is $XDG_STATE_HOME/faxwatch/watchlist.json, or
// ~/.local/state/faxwatch/watchlist.json when XDG_STATE_HOME is unset or not
// absolute.
func DefaultPath() (string, error) { return DefaultPathFrom(os.Getenv) }

// DefaultPathFrom is DefaultPath read from getenv, so callers (and tests)
// can pass an environment of their own. Without HOME it asks the system.
func DefaultPathFrom(getenv func(string) string) (string, error) {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return "", fmt.Errorf("no place for the watchlist: %w; set XDG_STATE_HOME or watch.file", err)
			}
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "faxwatch", "watchlist.json"), nil
}

// Open loads (or starts) the watchlist. warnings are one-line notes for the
// user (a corrupt file moved aside, entries dropped); err is fatal (a newer
// schema, the lock held too long, an unreadable directory). Open does not
// create the data file: the first save does.
func Open(opts Options) (s *Store, warnings []string, err error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	s = &Store{
		opts:     opts,
		index:    map[api.JobID]int{},
		synced:   map[api.JobID]struct{}{},
		added:    map[api.JobID]struct{}{},
		removed:  map[api.JobID]struct{}{},
		restored: map[api.JobID]struct{}{},
		fresh:    map[*Entry]struct{}{},
	}
	if opts.Path == "" {
		return s, nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(opts.Path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("create the watchlist folder: %w", err)
	}
	// A symlinked file is read and written at its target (see resolveLink).
	if s.opts.Path, err = resolveLink(opts.Path); err != nil {
		return nil, nil, err
	}
	opts = s.opts
	s.lockPath = opts.Path + ".lock"
	err = s.withLock(func() error {
		s.removeStaleTemps()
		snap, err := s.readDisk()
		if err != nil {
			return err
		}
		s.entries = snap.entries
		s.index = make(map[api.JobID]int, len(snap.entries))
		s.rebuildIndex()
		s.markSynced(snap)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return s, s.TakeWarnings(), nil
}

// Path is the file the store persists to ("" for memory only): a symbolic
// link's target.
func (s *Store) Path() string { return s.opts.Path }

// TakeWarnings returns and forgets the warnings gathered since the last call
// (a file moved aside during a Reload, say).
func (s *Store) TakeWarnings() []string {
	w := s.warnings
	s.warnings = nil
	return w
}

// Len, Entry and Entries read the list; Entries copies in stable order.
func (s *Store) Len() int { return len(s.entries) }

func (s *Store) Entry(id api.JobID) (Entry, bool) {
	i, ok := s.index[id]
	if !ok {
		return Entry{}, false
	}
	return detached(s.entries[i]), true
}

func (s *Store) Entries() []Entry {
	out := make([]Entry, len(s.entries))
	for i, e := range s.entries {
		out[i] = detached(e)
	}
	return out
}

// detached is a copy of e the caller may change, history included, without
// reaching the store's entry. Last.Details is shared: it is never edited,
// only replaced.
func detached(e *Entry) Entry {
	out := *e
	out.History = slices.Clone(e.History)
	return out
}

// Version increases with every change in memory, so callers can cache rows.
func (s *Store) Version() uint64 { return s.version }

// Dirty reports whether memory holds changes the file does not yet have.
func (s *Store) Dirty() bool { return s.dirty }

// UnsavedSummary says in words what memory holds and the file does not, for
// a message when a process must end before it could save; "" when clean.
func (s *Store) UnsavedSummary() string {
	if !s.dirty {
		return ""
	}
	var parts []string
	restored := 0 // undone removals count as added too
	for id := range s.restored {
		if _, ok := s.added[id]; ok {
			restored++
		}
	}
	if n := len(s.added) - restored; n > 0 {
		parts = append(parts, fmt.Sprintf("%d added job%s", n, plural(n, "", "s")))
	}
	if n := len(s.removed); n > 0 {
		parts = append(parts, fmt.Sprintf("%d removal%s", n, plural(n, "", "s")))
	}
	if n := restored; n > 0 {
		parts = append(parts, fmt.Sprintf("%d undone removal%s", n, plural(n, "", "s")))
	}
	if s.statusesAt > s.savedAt {
		parts = append(parts, "the latest statuses")
	}
	if s.notesAt > s.savedAt {
		parts = append(parts, "note changes")
	}
	if len(parts) == 0 { // a merge left memory ahead of the file
		return "changes since the last save"
	}
	return strings.Join(parts, ", ")
}

// Due lists the IDs to poll now, in list order: jobs not yet final, or every
// job with full. A final job that KeepFinal is about to drop is never due.
func (s *Store) Due(now time.Time, full bool) []api.JobID {
	ids := make([]api.JobID, 0, len(s.entries))
	for _, e := range s.entries {
		final := e.Last.State.Final()
		if final && (!full || s.expired(e, now)) {
			continue
		}
		ids = append(ids, e.ID)
	}
	return ids
}

// expired reports whether KeepFinal says a final entry should go.
func (s *Store) expired(e *Entry, now time.Time) bool {
	return s.opts.KeepFinal > 0 && e.Last.State.Final() && !e.Last.ChangedAt.IsZero() &&
		now.Sub(e.Last.ChangedAt) > s.opts.KeepFinal
}

// Add appends new IDs in order and saves (unless Options.OwnerSaves); duplicates are
// returned, not added.
// An ID that is not a valid job ID is an error and nothing is added. When the
// save fails the IDs stay in memory and the next save retries.
func (s *Store) Add(ids ...api.JobID) (added, duplicates []api.JobID, err error) {
	return s.AddAs(s.opts.By, ids...)
}

// AddAs is Add that records who added the new IDs (faxwatch serve's users).
func (s *Store) AddAs(by string, ids ...api.JobID) (added, duplicates []api.JobID, err error) {
	by = cleanLine(by, maxByBytes)
	for _, id := range ids {
		if !validID(id) {
			return nil, nil, fmt.Errorf("%q is not a job ID (want br… or JRI-…)", cleanLine(string(id), 80))
		}
	}
	now := s.opts.Now()
	for _, id := range ids {
		if _, ok := s.index[id]; ok {
			duplicates = append(duplicates, id)
			continue
		}
		s.appendEntry(&Entry{ID: id, AddedAt: now, AddedBy: by, Last: Status{State: StatePending}})
		added = append(added, id)
	}
	if len(added) == 0 {
		return nil, duplicates, nil
	}
	return added, duplicates, s.autoSave()
}

// AddWithNote is Add that also sets note on every given ID, new or already
// watched, with one save for all of it.
func (s *Store) AddWithNote(note string, ids ...api.JobID) (added, duplicates []api.JobID, err error) {
	for _, id := range ids {
		if !validID(id) {
			return nil, nil, fmt.Errorf("%q is not a job ID (want br… or JRI-…)", cleanLine(string(id), 80))
		}
	}
	now := s.opts.Now()
	note, by := cleanNote(note), cleanLine(s.opts.By, maxByBytes)
	for _, id := range ids {
		i, ok := s.index[id]
		if !ok {
			e := &Entry{ID: id, AddedAt: now, AddedBy: by, Last: Status{State: StatePending}, Note: note}
			if note != "" {
				e.NoteAt, e.NoteBy = now, by
			}
			s.appendEntry(e)
			added = append(added, id)
			continue
		}
		duplicates = append(duplicates, id)
		if s.entries[i].Note != note {
			if s.opts.OnNoteReplaced != nil {
				s.opts.OnNoteReplaced(id, s.entries[i].Note)
			}
			e := s.edit(i)
			e.Note, e.NoteAt, e.NoteBy = note, now, by
			s.touchNotes()
		}
	}
	return added, duplicates, s.autoSave()
}

// Remove drops IDs and saves; UndoRemove brings back the last removal.
func (s *Store) Remove(ids ...api.JobID) (removed []api.JobID, err error) {
	return s.RemoveAs(s.opts.By, ids...)
}

// RemoveAs is Remove that records who removed the jobs, for the entries
// UndoRemove brings back (see Entry.Restored).
func (s *Store) RemoveAs(by string, ids ...api.JobID) (removed []api.JobID, err error) {
	drop := make(map[api.JobID]struct{}, len(ids))
	for _, id := range ids {
		if _, ok := s.index[id]; ok {
			drop[id] = struct{}{}
		}
	}
	if len(drop) == 0 {
		return nil, nil
	}
	undo := make([]removal, 0, len(drop))
	kept := make([]*Entry, 0, len(s.entries)-len(drop))
	var after api.JobID
	by, now := cleanLine(by, maxByBytes), s.opts.Now()
	for _, e := range s.entries {
		if _, ok := drop[e.ID]; ok {
			undo = append(undo, removal{entry: e, after: after, by: by, at: now})
			removed = append(removed, e.ID)
			s.forget(e.ID)
			continue
		}
		kept = append(kept, e)
		after = e.ID
	}
	s.entries, s.frozen = kept, false
	s.rebuildIndex()
	s.pushRemoval(undo)
	s.touch()
	return removed, s.autoSave()
}

// pushRemoval puts a removal on the undo stack, forgetting the oldest past
// MaxUndo.
func (s *Store) pushRemoval(undo []removal) {
	if len(s.removals) >= MaxUndo {
		s.removals = slices.Delete(s.removals, 0, len(s.removals)-MaxUndo+1)
	}
	s.removals = append(s.removals, undo)
}

// CreditRemovals names by as who removed ids where another process's
// removal of them is on the undo stack without a name: an SSH watch command
// writes the file, and the server, which merges that write on its own
// schedule, learns afterwards who ran it. Other removals keep their names.
func (s *Store) CreditRemovals(by string, ids ...api.JobID) {
	by = cleanLine(by, maxByBytes)
	if by == "" || len(ids) == 0 {
		return
	}
	theirs := make(map[api.JobID]bool, len(ids))
	for _, id := range ids {
		theirs[id] = true
	}
	for _, undo := range s.removals {
		for i := range undo {
			if r := &undo[i]; r.elsewhere && r.by == "" && theirs[r.entry.ID] {
				r.by = by
			}
		}
	}
}

// UndoRemove restores the entries of the latest Remove or Clear not yet
// undone where they were, with everything known of them, and saves; called
// again it takes back the one before. IDs added again since are left as
// they are; a removal whose IDs all came back is skipped. Each restored
// entry's Restored says who removed it and when.
func (s *Store) UndoRemove() (restored []api.JobID, err error) { return s.UndoRemoveAs(s.opts.By) }

// UndoRemoveAs is UndoRemove that records who restored the entries.
func (s *Store) UndoRemoveAs(by string) (restored []api.JobID, err error) {
	by = cleanLine(by, maxByBytes)
	for len(s.removals) > 0 {
		undo := s.removals[len(s.removals)-1]
		s.removals = s.removals[:len(s.removals)-1]
		if restored = s.restore(undo, by); len(restored) > 0 {
			s.touch()
			return restored, s.autoSave()
		}
	}
	return nil, nil
}

// restore puts the entries of one removal back in place, each a copy that
// records the removal and by.
func (s *Store) restore(undo []removal, by string) (restored []api.JobID) {
	var head, orphans []*Entry
	after := map[api.JobID][]*Entry{}
	now := s.opts.Now()
	for _, r := range undo {
		if _, ok := s.index[r.entry.ID]; ok {
			continue
		}
		c := *r.entry // a save or a snapshot may hold the removed one
		e := &c
		e.Restored = &Restoration{RemovedAt: r.at, RemovedBy: r.by, Elsewhere: r.elsewhere, RestoredAt: now, RestoredBy: by}
		switch _, anchored := s.index[r.after]; {
		case r.after == "":
			head = append(head, e)
		case anchored:
			after[r.after] = append(after[r.after], e)
		default:
			orphans = append(orphans, e) // what it followed is gone too
		}
		s.added[r.entry.ID] = struct{}{}
		s.restored[r.entry.ID] = struct{}{}
		delete(s.removed, r.entry.ID)
		restored = append(restored, r.entry.ID)
	}
	if len(restored) == 0 {
		return nil
	}
	out := make([]*Entry, 0, len(s.entries)+len(restored))
	out = append(out, head...)
	for _, e := range s.entries {
		out = append(out, e)
		out = append(out, after[e.ID]...)
	}
	s.entries, s.frozen = append(out, orphans...), false
	s.rebuildIndex()
	return restored
}

// CanUndo reports whether UndoRemove has something to restore.
func (s *Store) CanUndo() bool { return len(s.removals) > 0 }

// Clear removes every entry and saves, and says which it removed;
// UndoRemove brings them back.
func (s *Store) Clear() (removed []api.JobID, err error) {
	if len(s.entries) == 0 {
		return nil, nil
	}
	undo := make([]removal, len(s.entries))
	removed = make([]api.JobID, len(s.entries))
	by, now := cleanLine(s.opts.By, maxByBytes), s.opts.Now()
	for i, e := range s.entries {
		undo[i] = removal{entry: e, by: by, at: now}
		removed[i] = e.ID
		s.forget(e.ID)
	}
	s.pushRemoval(undo)
	s.entries, s.frozen = nil, false
	clear(s.index)
	s.touch()
	return removed, s.autoSave()
}

// SetNote sets a job's short note (cleaned, at most NoteMaxRunes) and saves.
func (s *Store) SetNote(id api.JobID, note string) error { return s.SetNoteAs(s.opts.By, id, note) }

// SetNoteAs is SetNote that records who set the note.
func (s *Store) SetNoteAs(by string, id api.JobID, note string) error {
	i, ok := s.index[id]
	if !ok {
		return fmt.Errorf("%s is not on the watchlist", id)
	}
	note = cleanNote(note)
	if s.entries[i].Note == note {
		return nil
	}
	e := s.edit(i)
	e.Note, e.NoteAt, e.NoteBy = note, s.opts.Now(), cleanLine(by, maxByBytes)
	s.touchNotes()
	return s.autoSave()
}

// TakeRemovedElsewhere returns and forgets the IDs that merges (Save,
// Reload, FinishSave, FinishReload) dropped since the last call because
// another process removed them. Each such merge put them on the undo stack
// with everything known of them here, notes included: UndoRemove brings
// them back.
func (s *Store) TakeRemovedElsewhere() []api.JobID {
	ids := s.removedElsewhere
	s.removedElsewhere = nil
	return ids
}

// SetRemovedNote sets the note of a job that is no longer watched but that
// UndoRemove can bring back (its newest removal on the undo stack), so it
// comes back with that note: a note typed for a job another process removed
// meanwhile is not lost. ok is false when no removal holds id; elsewhere
// says that another process removed it. Nothing is saved: the note is in
// memory until the job is restored.
func (s *Store) SetRemovedNote(id api.JobID, note string) (elsewhere, ok bool) {
	if _, watched := s.index[id]; watched {
		return false, false
	}
	for i := len(s.removals) - 1; i >= 0; i-- {
		for j, r := range s.removals[i] {
			if r.entry.ID != id {
				continue
			}
			c := *r.entry // a save or a snapshot may hold the entry
			if note = cleanNote(note); c.Note != note {
				c.Note, c.NoteAt = note, s.opts.Now()
			}
			s.removals[i][j].entry = &c
			return r.elsewhere, true
		}
	}
	return false, false
}

// OwnerSaves reports whether the store was opened with Options.OwnerSaves.
func (s *Store) OwnerSaves() bool { return s.opts.OwnerSaves }

// autoSave is the save at the end of an edit, unless the owner saves.
func (s *Store) autoSave() error {
	if s.opts.OwnerSaves {
		return nil
	}
	return s.Save()
}

// appendEntry adds e at the end and records it as added here.
func (s *Store) appendEntry(e *Entry) {
	s.writable()
	s.entries = append(s.entries, e)
	s.index[e.ID] = len(s.entries) - 1
	s.added[e.ID] = struct{}{}
	delete(s.removed, e.ID)
	s.touch()
}

// forget leaves a tombstone for a removed id so the next save removes it
// from the file too.
func (s *Store) forget(id api.JobID) {
	s.removed[id] = struct{}{}
	delete(s.added, id)
	delete(s.restored, id)
}

func (s *Store) rebuildIndex() {
	clear(s.index)
	for i, e := range s.entries {
		s.index[e.ID] = i
	}
}

// Snapshot returns the entries in order without copying them. Neither the
// slice nor the entries it points to change afterwards, so the caller may
// keep it and read it from any goroutine, and must never modify it. From
// then on every first edit of an entry after a Snapshot copies the entry.
func (s *Store) Snapshot() []*Entry {
	s.pinned = true
	s.share()
	return slices.Clip(s.entries)
}

// View is a read-only window on the entries in order, for the owner's
// goroutine; it copies nothing up front. It is good until the next edit:
// keep Snapshot or Entries instead.
func (s *Store) View() View {
	s.frozen = true
	return View{entries: s.entries}
}

// View reads the store's entries without handing out the store's own slice
// or entries: At gives copies, so no caller can write into the list.
type View struct{ entries []*Entry }

// ViewOf is a View of copies of entries: for lists that are not a store's,
// a copy from Entries, say.
func ViewOf(entries []Entry) View {
	return View{entries: pointersTo(slices.Clone(entries))}
}

// Len is the number of entries.
func (v View) Len() int { return len(v.entries) }

// ID is entry i's job ID, without copying the entry.
func (v View) ID(i int) api.JobID { return v.entries[i].ID }

// At is a copy of entry i; its History must not be written to, as with
// Entries.
func (v View) At(i int) Entry { return detached(v.entries[i]) }

// Head is At without the history, which it leaves nil: what a list row or
// an index needs, at no allocation.
func (v View) Head(i int) Entry {
	out := *v.entries[i]
	out.History = nil
	return out
}

// share marks the entries as held outside: copy before changing them.
func (s *Store) share() {
	s.frozen = true
	clear(s.fresh)
}

// held reports whether something outside may be reading the entries.
func (s *Store) held() bool { return s.saves > 0 || s.pinned }

// writable makes entries' array safe to write: a view or a save may hold it.
func (s *Store) writable() {
	if s.frozen {
		s.entries = slices.Clone(s.entries)
		s.frozen = false
	}
}

// edit returns entry i to be changed. While a save or a snapshot may be
// reading it, that is a copy stored in its place (once: the copy is ours);
// otherwise the entry itself.
func (s *Store) edit(i int) *Entry {
	s.writable()
	e := s.entries[i]
	if !s.held() {
		return e
	}
	if _, ours := s.fresh[e]; ours {
		return e
	}
	c := *e
	s.entries[i] = &c
	s.fresh[&c] = struct{}{}
	return &c
}

// touch records an in-memory change.
func (s *Store) touch() {
	s.version++
	s.dirty = true
}

// touchStatuses records a change of statuses (answers, staleness).
func (s *Store) touchStatuses() {
	s.touch()
	s.statusesAt = s.version
}

// touchNotes records a change of notes.
func (s *Store) touchNotes() {
	s.touch()
	s.notesAt = s.version
}

// markClean records that the file holds what memory holds.
func (s *Store) markClean() {
	s.dirty = false
	s.savedAt = s.version
}

// pointersTo points at each of entries, in order.
func pointersTo(entries []Entry) []*Entry {
	out := make([]*Entry, len(entries))
	for i := range entries {
		out[i] = &entries[i]
	}
	return out
}
