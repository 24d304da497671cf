package watchlist

import (
	"os"

	"faxwatch/api"
)

// merge folds a snapshot of the file into memory. Membership: the file is
// the base; IDs added here (not in the file at our last sync, or added again
// since) are kept; IDs removed here since the last sync (tombstones) are
// dropped; IDs that were in the file at our last sync and are gone now were
// removed elsewhere and are dropped here too. An unknown snapshot (no file,
// or a corrupt one moved aside) teaches nothing: memory stays the truth.
// Per job, the status with the later CheckedAt wins (with its history) and
// the note with the later NoteAt. Order: the file's, then our new IDs in our
// order; IDs brought back by UndoRemove keep their place. It returns the
// entries removed elsewhere, for keepRemovedElsewhere on the owner's store
// (a save's detached copy drops them).
func (s *Store) merge(snap snapshot) (gone []removal) {
	if !snap.known {
		return nil
	}
	mine := s.entries
	out, onDisk, changed := s.mergeFile(snap)
	mineOnly, gone := s.placeOurs(out, onDisk)
	out = mineOnly
	changed = changed || len(gone) > 0
	if !changed {
		changed = len(out) != len(mine)
		for i := 0; !changed && i < len(out); i++ {
			changed = out[i].ID != mine[i].ID
		}
	}
	s.entries, s.frozen = out, false
	s.rebuildIndex()
	if changed {
		s.version++
	}
	return gone
}

// mergeFile walks the file's entries in its order: each merged with ours,
// dropped when removed here, or taken when added elsewhere. onDisk is the
// set of IDs in the file.
func (s *Store) mergeFile(snap snapshot) (out []*Entry, onDisk map[api.JobID]struct{}, changed bool) {
	onDisk = make(map[api.JobID]struct{}, len(snap.entries))
	out = make([]*Entry, 0, len(snap.entries)+len(s.added))
	for _, d := range snap.entries {
		onDisk[d.ID] = struct{}{}
		if _, gone := s.removed[d.ID]; gone {
			continue
		}
		if i, ok := s.index[d.ID]; ok {
			e, took := mergeEntry(s.entries[i], d)
			changed = changed || took
			out = append(out, e)
			continue
		}
		// Added elsewhere. A copy of its own: d may share an array with the
		// whole decoded file, which must not stay alive for one entry.
		c := *d
		out = append(out, &c)
		changed = true
	}
	return out, onDisk, changed
}

// placeOurs adds our entries the file lacks to out: new here go last;
// restored by UndoRemove go back after the entry they followed; removed
// elsewhere are dropped and returned, each with the entry it followed here.
func (s *Store) placeOurs(out []*Entry, onDisk map[api.JobID]struct{}) (placed []*Entry, gone []removal) {
	var head, tail []*Entry
	var after map[api.JobID][]*Entry
	var anchor, prev api.JobID // the last of ours in the file; the last of ours kept
	for _, e := range s.entries {
		if _, ok := onDisk[e.ID]; ok {
			anchor, prev = e.ID, e.ID
			continue
		}
		_, wasSynced := s.synced[e.ID]
		_, addedHere := s.added[e.ID]
		if wasSynced && !addedHere {
			gone = append(gone, removal{entry: e, after: prev})
			continue
		}
		prev = e.ID
		switch _, restored := s.restored[e.ID]; {
		case !restored:
			tail = append(tail, e)
		case anchor == "":
			head = append(head, e)
		default:
			if after == nil {
				after = map[api.JobID][]*Entry{}
			}
			after[anchor] = append(after[anchor], e)
		}
	}
	if len(head) > 0 || len(after) > 0 {
		placed = make([]*Entry, 0, len(out)+len(head)+len(tail))
		placed = append(placed, head...)
		for _, e := range out {
			placed = append(placed, e)
			placed = append(placed, after[e.ID]...)
		}
		out = placed
	}
	return append(out, tail...), gone
}

// keepRemovedElsewhere puts the jobs another process removed on the undo
// stack, as one removal, with all this process knew of them (a note just
// typed here included), and remembers their IDs for TakeRemovedElsewhere.
// Final jobs that KeepFinal drops here too are not news.
func (s *Store) keepRemovedElsewhere(gone []removal) {
	if len(gone) == 0 {
		return
	}
	now := s.opts.Now()
	kept := gone[:0]
	for _, r := range gone {
		if !s.expired(r.entry, now) {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		return
	}
	for i := range kept {
		kept[i].elsewhere, kept[i].at = true, now
		s.removedElsewhere = append(s.removedElsewhere, kept[i].entry.ID)
	}
	s.pushRemoval(kept)
}

// mergeEntry combines our copy of a job with the file's; took says whether
// anything came from the file. Without it, mine itself comes back; with it,
// a new entry (a save may hold mine: see Store.edit).
func mergeEntry(mine, disk *Entry) (*Entry, bool) {
	out, took := *mine, false
	if disk.Last.CheckedAt.After(mine.Last.CheckedAt) {
		out.Last, out.History, took = disk.Last, disk.History, true
	}
	if disk.NoteAt.After(mine.NoteAt) {
		out.Note, out.NoteAt, out.NoteBy, took = disk.Note, disk.NoteAt, disk.NoteBy, true
	}
	if !disk.AddedAt.IsZero() && (mine.AddedAt.IsZero() || disk.AddedAt.Before(mine.AddedAt)) {
		out.AddedAt, out.AddedBy, took = disk.AddedAt, disk.AddedBy, true
	}
	if !took {
		return mine, false
	}
	return &out, true
}

// markSynced records a snapshot just read (Open, Reload) as the new base.
// Changes made here that the file does not yet reflect stay pending.
func (s *Store) markSynced(snap snapshot) {
	s.disk = snap.info
	if snap.ids != nil { // the decoder's own set: nothing else holds it
		s.synced = snap.ids
	} else {
		s.synced = make(map[api.JobID]struct{}, len(snap.entries)) // replaced, not cleared: a PendingSave may hold the old one
		for _, d := range snap.entries {
			s.synced[d.ID] = struct{}{}
		}
	}
	s.settleSynced()
}

// settleSynced forgets the changes made here that the file of the last sync
// already shows: IDs added here that it holds, removals it no longer holds.
func (s *Store) settleSynced() {
	for id := range s.added {
		if _, ok := s.synced[id]; ok {
			delete(s.added, id)
			delete(s.restored, id)
		}
	}
	for id := range s.removed {
		if _, ok := s.synced[id]; !ok {
			delete(s.removed, id)
		}
	}
}

// markWritten records that the file now holds exactly our memory.
func (s *Store) markWritten(info os.FileInfo) {
	s.disk = info
	s.synced = make(map[api.JobID]struct{}, len(s.entries)) // replaced, not cleared: a PendingSave may hold the old one
	for _, e := range s.entries {
		s.synced[e.ID] = struct{}{}
	}
	clear(s.added)
	clear(s.removed)
	clear(s.restored)
	s.markClean()
}
