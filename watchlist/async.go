package watchlist

import (
	"os"
	"slices"

	"faxwatch/api"
)

// The dashboard must not wait for the disk: a save of 100,000 jobs takes
// hundreds of milliseconds (lock, re-read and merge, encode, fsync, rename).
// So saving and reloading come in three steps. Prepare runs on the owner's
// goroutine and only captures what the disk step needs; Run does the I/O on
// any goroutine and touches nothing of the Store; Finish, back on the owner's
// goroutine, folds the outcome into memory without losing what changed there
// in the meantime. One disk step at a time: a Finish whose base the store has
// moved past (another Save, Reload or Finish came first) is ignored and the
// store stays dirty, so the next save merges with the real file.

// LastTransition returns id's latest recorded change of state without
// copying its entry (the dashboard asks for thousands per poll).
func (s *Store) LastTransition(id api.JobID) (Transition, bool) {
	i, ok := s.index[id]
	if !ok || len(s.entries[i].History) == 0 {
		return Transition{}, false
	}
	h := s.entries[i].History
	return h[len(h)-1], true
}

// PendingSave is a save captured by PrepareSave, to be Run off the owner's
// goroutine and handed back to FinishSave.
type PendingSave struct {
	base     *Store // a detached copy of what the disk step may read
	holding  bool   // the store copies entries before editing until FinishSave
	version  uint64 // the store's version when captured
	disk     os.FileInfo
	added    map[api.JobID]struct{}
	removed  map[api.JobID]struct{}
	restored map[api.JobID]struct{}
}

// SaveResult is what a PendingSave's Run did.
type SaveResult struct {
	p        *PendingSave
	written  bool        // the file now holds entries
	merged   bool        // another process had written: entries include its changes
	info     os.FileInfo // the new file, when written
	entries  []*Entry    // what was written
	fileIDs  map[api.JobID]struct{}
	baseIDs  map[api.JobID]struct{} // the captured entries' IDs, when merged
	warnings []string
	err      error
}

// Err is the save's error, if any (Finish reports it too).
func (r SaveResult) Err() error { return r.err }

// PrepareSave captures what a save must write. It returns nil when there is
// nothing to do (no unsaved change, or a memory-only store, which it marks
// clean). Cost: no copy of the entries (edits copy the ones they change
// until FinishSave) and copies of the small change sets; no I/O.
func (s *Store) PrepareSave() *PendingSave {
	if s.lockPath == "" {
		s.markClean()
		return nil
	}
	if !s.dirty {
		return nil
	}
	s.saves++
	s.share()
	p := &PendingSave{
		holding:  true,
		version:  s.version,
		disk:     s.disk,
		added:    cloneSet(s.added),
		removed:  cloneSet(s.removed),
		restored: cloneSet(s.restored),
	}
	p.base = &Store{
		opts:     s.opts,
		lockPath: s.lockPath,
		entries:  slices.Clip(s.entries),
		frozen:   true,
		disk:     s.disk,
		synced:   s.synced, // replaced, never modified, by markSynced and markWritten
		added:    cloneSet(s.added),
		removed:  cloneSet(s.removed),
		restored: cloneSet(s.restored),
		dirty:    true,
	}
	return p
}

// Run takes the lock, merges what other processes saved since the store's
// last sync, and writes the file atomically. It touches nothing of the Store
// it was prepared from, so it may run on any goroutine.
func (p *PendingSave) Run() SaveResult {
	r := SaveResult{p: p}
	t := p.base
	r.err = t.withLock(func() error {
		if !t.fileUnchanged() {
			snap, err := t.readDisk()
			if err != nil {
				return err
			}
			if snap.known {
				r.merged = true
				r.baseIDs = idSet(t.entries)
				t.index = make(map[api.JobID]int, len(t.entries))
				t.rebuildIndex()
				t.merge(snap) // builds a new slice and new entries: the held ones stay as they were
			}
		}
		info, err := t.writeFile()
		if info != nil {
			r.written, r.info, r.entries = true, info, t.entries
			r.fileIDs = idSet(t.entries)
		}
		return err
	})
	r.warnings = t.warnings
	return r
}

// FinishSave folds a finished save into memory: what other processes had
// saved comes in, and every change made here since PrepareSave stays (and
// keeps the store dirty). It returns the save's error.
func (s *Store) FinishSave(r SaveResult) error {
	s.warnings = append(s.warnings, r.warnings...)
	p := r.p
	if p != nil && p.holding { // the disk step is over: it reads nothing more
		p.holding = false
		if s.saves--; !s.held() {
			clear(s.fresh)
		}
	}
	if p == nil || !r.written {
		return r.err // nothing changed on disk by us: memory stays dirty
	}
	if s.disk != p.disk {
		s.dirty = true // the store synced elsewhere meanwhile: let the next save merge
		return r.err
	}
	editedSince := s.version != p.version
	// Changes captured by the snapshot are in the file now; what is left in
	// the change sets was done since.
	pruneSet(s.added, p.added)
	pruneSet(s.removed, p.removed)
	pruneSet(s.restored, p.restored)
	if r.merged {
		s.synced = r.baseIDs // in memory, absent from the file, not added since: removed elsewhere
		s.keepRemovedElsewhere(s.merge(snapshot{info: r.info, entries: r.entries, known: true}))
	}
	s.disk = r.info
	s.synced = r.fileIDs
	s.settleSynced()
	s.dirty = editedSince
	s.savedAt = p.version
	return r.err
}

// PendingReload is a reload captured by PrepareReload.
type PendingReload struct {
	base *Store
	disk os.FileInfo
}

// ReloadResult is the file as a PendingReload's Run read it.
type ReloadResult struct {
	p        *PendingReload
	snap     snapshot
	warnings []string
	err      error
}

// PrepareReload returns nil when the file is as of the last sync (one stat)
// or the store is memory-only; otherwise a reload to Run off the owner's
// goroutine and hand to FinishReload.
func (s *Store) PrepareReload() *PendingReload {
	if s.lockPath == "" || s.fileUnchanged() {
		return nil
	}
	return &PendingReload{base: &Store{opts: s.opts, lockPath: s.lockPath}, disk: s.disk}
}

// Run reads the file under the lock. It touches nothing of the Store.
func (p *PendingReload) Run() ReloadResult {
	r := ReloadResult{p: p}
	r.err = p.base.withLock(func() error {
		snap, err := p.base.readDisk()
		r.snap = snap
		return err
	})
	r.warnings = p.base.warnings
	return r
}

// FinishReload merges what Run read, like Reload. changed says whether
// memory changed. A result the store has moved past is ignored.
func (s *Store) FinishReload(r ReloadResult) (changed bool, err error) {
	s.warnings = append(s.warnings, r.warnings...)
	if r.err != nil || r.p == nil || s.disk != r.p.disk {
		return false, r.err
	}
	before := s.version
	s.keepRemovedElsewhere(s.merge(r.snap))
	s.markSynced(r.snap)
	return s.version != before, nil
}

func cloneSet(m map[api.JobID]struct{}) map[api.JobID]struct{} {
	out := make(map[api.JobID]struct{}, len(m))
	for k := range m {
		out[k] = struct{}{}
	}
	return out
}

// pruneSet deletes from live what done holds.
func pruneSet(live, done map[api.JobID]struct{}) {
	for k := range done {
		delete(live, k)
	}
}

func idSet(entries []*Entry) map[api.JobID]struct{} {
	out := make(map[api.JobID]struct{}, len(entries))
	for _, e := range entries {
		out[e.ID] = struct{}{}
	}
	return out
}
