package alert

import (
	"time"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// Poll is what one poll did, as the poller saw it after watchlist.Apply.
type Poll struct {
	Now     time.Time
	Result  *api.Result       // nil when nothing came back
	Changes watchlist.Changes // what Apply reported; zero when nothing came back
	// Entry looks a job up after Apply (the Store's Entry).
	Entry func(api.JobID) (watchlist.Entry, bool)
	// StaleSince is when the current run of failed polls began; zero when
	// the last poll worked. StaleReason is its one-line error.
	StaleSince  time.Time
	StaleReason string
}

// Tracker decides which changes of one poll are news. One Tracker belongs to
// one poller: it remembers which jobs this process has already heard about,
// because the first answer is not news. A job already final when first seen,
// a job pasted from an old ticket, and every job's first answer after a
// restart alert nobody: only a change this process saw happen does.
type Tracker struct {
	on         map[Kind]bool
	staleAfter time.Duration
	heard      map[api.JobID]struct{} // jobs with a fresh answer in this process
	pruneAt    int
	staleTold  bool // this run of failed polls has alerted already
}

// NewTracker alerts on the given kinds; staleAfter 0 means DefaultStaleAfter.
func NewTracker(on []Kind, staleAfter time.Duration) *Tracker {
	t := &Tracker{on: map[Kind]bool{}, staleAfter: staleAfter, heard: map[api.JobID]struct{}{}, pruneAt: 1024}
	if t.staleAfter <= 0 {
		t.staleAfter = DefaultStaleAfter
	}
	for _, k := range on {
		t.on[k] = true
	}
	return t
}

// Observe returns the news of one poll; the alert is Empty when there is none.
func (t *Tracker) Observe(p Poll) Alert {
	a := Alert{At: p.Now}
	for _, mv := range p.Changes.Moved {
		if _, ok := t.heard[mv.ID]; !ok || mv.From == watchlist.StatePending || mv.From == "" {
			continue // its first answer: news to the watchlist, not to people
		}
		k, ok := kindOf(mv.To)
		if !ok || !t.on[k] {
			continue
		}
		e, ok := p.Entry(mv.ID)
		if !ok {
			continue
		}
		a.add(Job{Entry: e, From: mv.From}, k)
	}
	if p.Result != nil {
		for i := range p.Result.Jobs {
			if js := &p.Result.Jobs[i]; js.Fresh() {
				t.heard[js.JobID] = struct{}{}
			}
		}
	}
	t.prune(p.Entry)
	if p.StaleSince.IsZero() {
		t.staleTold = false
	} else if stale := p.Now.Sub(p.StaleSince); t.on[Stale] && !t.staleTold && stale >= t.staleAfter {
		t.staleTold = true
		a.Stale = &StaleNews{Since: p.StaleSince, For: stale, Reason: oneLine(p.StaleReason, maxReasonRunes)}
	}
	return a
}

// prune forgets removed jobs once the set has doubled, so a long-running
// poller's memory follows the watchlist, at amortised constant cost.
func (t *Tracker) prune(entry func(api.JobID) (watchlist.Entry, bool)) {
	if len(t.heard) < t.pruneAt || entry == nil {
		return
	}
	for id := range t.heard {
		if _, ok := entry(id); !ok {
			delete(t.heard, id)
		}
	}
	t.pruneAt = max(2*len(t.heard), 1024)
}
