// Package watchlist owns the domain state: the ordered, de-duplicated set of
// watched jobs with what is known of each, which are due for polling, merging
// a poll's answer, and crash-safe persistence shared with other faxwatch
// processes (atomic writes, a sidecar flock, merge-on-save).
//
// It imports api for job IDs and status types and github.com/gofrs/flock for
// the lock; it must not import ui, Bubble Tea or Lip Gloss: the dashboard and
// the `watch` sub-commands both use it.
//
// Which methods touch the disk: Open reads; Add, Remove, UndoRemove, SetNote
// and Clear save at once (losing an ID is the worst failure); Apply and
// MarkStale only change memory and mark the store dirty, and the caller calls
// Save; Reload reads when another process wrote. Nothing here starts a
// goroutine.
package watchlist
