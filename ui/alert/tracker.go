package alert

import (
	"time"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// Poll is what one poll did, as the poller saw it after watchlist.Apply.
type Poll struct {
	Now     time.Time
	Changes watchlist.Changes // what Apply reported; zero when nothing came back
	// Entry looks a job up after Apply (the Store's Entry).
	Entry func(api.JobID) (watchlist.Entry, bool)
	// StaleSince is when the current run of failed polls began; zero when
	// the last poll worked. StaleReason is its one-line error.
	StaleSince  time.Time
	StaleReason string
}

// Tracker decides which changes of one poll are news. One Tracker belongs to
// one poller. The first answer is not news: a job already final when first
// seen, a job pasted from an old ticket, and every job's first answer after
// a restart alert nobody. Only a change from a state answered since this
// poller started is news.
type Tracker struct {
	on         map[Kind]bool
	staleAfter time.Duration
	start      time.Time
	staleTold  bool // this run of failed polls has alerted already
}

// NewTracker alerts on the given kinds from start on (the poller's start);
// staleAfter 0 means DefaultStaleAfter.
func NewTracker(on []Kind, staleAfter time.Duration, start time.Time) *Tracker {
	t := &Tracker{on: map[Kind]bool{}, staleAfter: staleAfter, start: start}
	if t.staleAfter <= 0 {
		t.staleAfter = DefaultStaleAfter
	}
	for _, k := range on {
		t.on[k] = true
	}
	return t
}

// Observe returns the news of one poll; the alert is Empty when there is
// none. Its cost follows the changes, not the watchlist.
func (t *Tracker) Observe(p Poll) Alert {
	a := Alert{At: p.Now}
	for _, mv := range p.Changes.Moved {
		if mv.From == watchlist.StatePending || mv.From == "" || mv.FromChecked.Before(t.start) {
			continue // a first answer, or a state from before we started: not news
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
	if p.StaleSince.IsZero() {
		t.staleTold = false
	} else if stale := p.Now.Sub(p.StaleSince); t.on[Stale] && !t.staleTold && stale >= t.staleAfter {
		t.staleTold = true
		a.Stale = &StaleNews{Since: p.StaleSince, For: stale, Reason: oneLine(p.StaleReason, maxReasonRunes)}
	}
	return a
}
