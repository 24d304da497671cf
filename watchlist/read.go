package watchlist

import "time"

// Read returns the list saved at path, for a reader that changes nothing
// (faxwatch watch ls). It creates no folder, lock file or temp file and takes
// no lock: every save replaces the file by an atomic rename, so a reader sees
// the old list or the new one, never half of one. A missing file (or folder)
// is an empty list; a damaged file is reported in warnings and left where it
// is, for the next writer to move aside.
func Read(path string) (entries []Entry, warnings []string, err error) {
	resolved, err := resolveLink(path)
	if err != nil {
		return nil, nil, err
	}
	s := &Store{opts: Options{Path: resolved, Now: time.Now}, readOnly: true}
	snap, err := s.readDisk()
	if err != nil {
		return nil, nil, err
	}
	entries = make([]Entry, len(snap.entries))
	for i, e := range snap.entries {
		entries[i] = *e // just decoded, held by nothing else: no copy of the history needed
	}
	return entries, s.warnings, nil
}
