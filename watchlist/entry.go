package watchlist

import (
	"time"

	"faxwatch/api"
)

// StatePending is an entry's state before its first answer.
const StatePending api.State = "pending"

// StateOrPending is st, or StatePending when st is empty (no answer yet):
// the one place that says what an empty state means.
func StateOrPending(st api.State) api.State {
	if st == "" {
		return StatePending
	}
	return st
}

// State is the entry's last known state; StatePending before the first
// answer.
func (e *Entry) State() api.State { return StateOrPending(e.Last.State) }

// HistoryLimit bounds each entry's transition history.
const HistoryLimit = 50

// NoteMaxRunes bounds a note; longer notes are cut.
const NoteMaxRunes = 120

// Status is the last known status of a watched job. All strings are sanitised.
type Status struct {
	StatusID    int
	State       api.State // StatePending before the first answer
	Description string
	Error       api.WSError
	FaxJobID    string
	Details     *api.Details // shared, never mutated: replace, don't edit
	Call        api.CallInfo // the call that brought the last fresh answer
	CheckedAt   time.Time    // last fresh answer
	ChangedAt   time.Time    // last state or status change
	Stale       bool         // the last poll for it failed
	StaleSince  time.Time
	StaleReason string // one sanitised line
	// Conflict: the last answer held items for this job that disagreed;
	// one sanitised line naming the one taken (see api.JobStatus.Conflict).
	Conflict string
}

// Transition is one recorded change of state.
type Transition struct {
	At          time.Time
	From, To    api.State
	Description string
}

// Entry is one watched job. History's elements are never modified in place,
// so copies handed out by Entries stay valid.
type Entry struct {
	ID      api.JobID
	AddedAt time.Time
	AddedBy string // who added it, in faxwatch serve; "" when added locally
	Note    string
	NoteAt  time.Time // when the note was last set; the later note wins a merge
	NoteBy  string    // who set the note, in faxwatch serve
	Last    Status
	History []Transition // oldest first, at most HistoryLimit
	// Restored is the removal that UndoRemove took back, nil if none. It
	// is kept in memory only, not in the file: a restart forgets it.
	Restored *Restoration
}

// Restoration says who removed an entry and who brought it back, and when.
// It is never modified: a later restore replaces it.
type Restoration struct {
	RemovedAt time.Time
	RemovedBy string // "" when removed locally, or by another process not named (CreditRemovals)
	// Elsewhere: another process removed it (a merge noticed).
	Elsewhere  bool
	RestoredAt time.Time
	RestoredBy string // "" when restored locally
}

// Changes reports what one Apply did.
type Changes struct {
	Changed []api.JobID // status or state differs from before
	Failed  []api.JobID // turned failed in this Apply
	Stale   []api.JobID // marked stale
	Dropped []api.JobID // final for longer than Options.KeepFinal, removed
	Moved   []Move      // changed state in this Apply, in answer order
}

// Move is one job's change of state in an Apply: what alerts are made of.
// From is StatePending for a job's first answer; FromChecked is when an
// answer last confirmed From (zero for pending), so a poller can tell a
// state it heard itself from one loaded from the file.
type Move struct {
	ID          api.JobID
	From, To    api.State
	FromChecked time.Time
}

// appendHistory adds t, keeping the last HistoryLimit. It never writes over
// an element another slice header may still see.
func appendHistory(h []Transition, t Transition) []Transition {
	h = append(h, t)
	if len(h) > HistoryLimit {
		h = h[len(h)-HistoryLimit:]
	}
	return h
}

// knownState reports whether s is a state this version writes.
func knownState(s api.State) bool {
	switch s {
	case StatePending, api.StateSucceeded, api.StateFailed, api.StateProcessing,
		api.StateInvalid, api.StateUnknown, api.StateNoAnswer:
		return true
	}
	return false
}
