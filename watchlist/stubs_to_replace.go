package watchlist

// TEMPORARY: the API the ui and main build against while the watchlist helper
// implements it. The helper moves each into its real file and deletes this
// file; nothing here may survive to a commit on main.

import (
	"time"

	"faxwatch/api"
)

// StatePending is an entry's state before its first answer.
const StatePending api.State = "pending"

// HistoryLimit bounds each entry's transition history.
const HistoryLimit = 50

// Status is the last known status of a watched job. All strings are sanitised.
type Status struct {
	StatusID    int
	State       api.State // StatePending before the first answer
	Description string
	Error       api.WSError
	FaxJobID    string
	Details     *api.Details
	Call        api.CallInfo // the last call that covered this job
	CheckedAt   time.Time    // last fresh answer
	ChangedAt   time.Time    // last state or status change
	Stale       bool         // the last poll for it failed
	StaleSince  time.Time
	StaleReason string // one sanitised line
}

// Transition is one recorded change of state.
type Transition struct {
	At          time.Time
	From, To    api.State
	Description string
}

// Entry is one watched job.
type Entry struct {
	ID      api.JobID
	AddedAt time.Time
	Note    string
	Last    Status
	History []Transition // oldest first, at most HistoryLimit
}

// Changes reports what one Apply did.
type Changes struct {
	Changed []api.JobID // status or state differs from before
	Failed  []api.JobID // turned failed in this Apply
	Stale   []api.JobID // marked stale
}

// Options configures a Store.
type Options struct {
	Path      string        // the JSON file; "" keeps the list in memory only
	KeepFinal time.Duration // drop final jobs this long after they ended; 0 keeps them
	Now       func() time.Time
}

// Store is the watchlist: an ordered, de-duplicated set of entries, persisted.
// Not safe for concurrent use: one goroutine (the UI's Update) owns it.
type Store struct{}

// Open loads (or creates) the watchlist. warnings are one-line notes for the
// user (a corrupt file moved aside, say); err is fatal (a newer schema).
func Open(opts Options) (s *Store, warnings []string, err error) {
	panic("watchlist: not implemented yet")
}

// Add appends new IDs in order and saves; duplicates are returned, not added.
func (s *Store) Add(ids ...api.JobID) (added, duplicates []api.JobID, err error) {
	panic("watchlist: not implemented yet")
}

// Remove drops IDs and saves; UndoRemove brings back the last removal.
func (s *Store) Remove(ids ...api.JobID) (removed []api.JobID, err error) {
	panic("watchlist: not implemented yet")
}
func (s *Store) UndoRemove() (restored []api.JobID, err error) {
	panic("watchlist: not implemented yet")
}

// SetNote sets a job's short note and saves.
func (s *Store) SetNote(id api.JobID, note string) error { panic("watchlist: not implemented yet") }

// Len, Entry and Entries read the list; Entries copies in stable order.
func (s *Store) Len() int                         { panic("watchlist: not implemented yet") }
func (s *Store) Entry(id api.JobID) (Entry, bool) { panic("watchlist: not implemented yet") }
func (s *Store) Entries() []Entry                 { panic("watchlist: not implemented yet") }
func (s *Store) Version() uint64                  { panic("watchlist: not implemented yet") }

// Due lists the IDs to poll now: non-final ones, or all with full.
func (s *Store) Due(now time.Time, full bool) []api.JobID { panic("watchlist: not implemented yet") }

// Apply merges a poll's answer and saves.
func (s *Store) Apply(res *api.Result, now time.Time) (Changes, error) {
	panic("watchlist: not implemented yet")
}

// MarkStale marks ids stale after a poll that failed as a whole.
func (s *Store) MarkStale(ids []api.JobID, reason string, now time.Time) {
	panic("watchlist: not implemented yet")
}

// Reload merges what other processes saved since; changed says whether anything did.
func (s *Store) Reload() (changed bool, err error) { panic("watchlist: not implemented yet") }

// Save writes the list (merging with other processes' writes) under the lock.
func (s *Store) Save() error { panic("watchlist: not implemented yet") }
