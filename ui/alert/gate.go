package alert

import "sync"

// Gate lets one command run at a time. News that comes while it runs is
// coalesced, not dropped: it waits, merged into one alert, and runs when the
// command ends. So a slow webhook never loses a failure and never runs twice
// at once, and at most one alert waits. Safe for concurrent use.
type Gate struct {
	mu      sync.Mutex
	busy    bool
	pending *Alert
}

// Offer hands a to the gate. When ok, the caller runs the returned alert now
// and calls Done when it ends; otherwise a waits for the run in progress.
func (g *Gate) Offer(a Alert) (run Alert, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.busy {
		g.busy = true
		return a, true
	}
	if g.pending == nil {
		g.pending = &a
	} else {
		merged := g.pending.Merge(a)
		g.pending = &merged
	}
	return Alert{}, false
}

// Done ends a run. When ok, the caller runs next now (the news that waited)
// and calls Done again after it.
func (g *Gate) Done() (next Alert, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pending == nil {
		g.busy = false
		return Alert{}, false
	}
	next = *g.pending
	g.pending = nil
	return next, true
}

// Waiting reports whether an alert waits for the run in progress.
func (g *Gate) Waiting() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pending != nil
}
