package watchlist

// ViewOfSnapshot is a View of a Snapshot's entries, without a copy: the
// entries of a Snapshot never change, so any goroutine may read them
// (faxwatch serve hands one list to every session this way).
func ViewOfSnapshot(entries []*Entry) View { return View{entries: entries} }
