package alert

import (
	"testing"
	"time"
)

func TestGateOneAtATimeCoalescing(t *testing.T) {
	var g Gate
	first, ok := g.Offer(failedAlert(1))
	if !ok || first.total() != 1 {
		t.Fatalf("an idle gate did not run the alert")
	}
	// Two polls' news while the command runs: both wait, as one alert.
	if _, ok := g.Offer(failedAlert(2)); ok {
		t.Fatal("a second run started while one runs")
	}
	later := failedAlert(3)
	later.At = t0.Add(time.Minute)
	later.Stale = &StaleNews{Since: t0, For: 5 * time.Minute, Reason: "refused"}
	if _, ok := g.Offer(later); ok {
		t.Fatal("a third run started while one runs")
	}
	if !g.Waiting() {
		t.Fatal("nothing waits")
	}
	next, ok := g.Done()
	if !ok {
		t.Fatal("the news that waited was dropped")
	}
	if next.total() != 5 || len(next.Jobs) != 5 || next.Stale == nil || !next.At.Equal(later.At) {
		t.Fatalf("merged alert: %d counted, %d listed, stale %v, at %v; want 5, 5, the stale news, the later time",
			next.total(), len(next.Jobs), next.Stale, next.At)
	}
	if _, ok := g.Offer(failedAlert(1)); ok {
		t.Fatal("a run started while the merged one runs")
	}
	if _, ok := g.Done(); !ok {
		t.Fatal("the last waiting alert was dropped")
	}
	if _, ok := g.Done(); ok {
		t.Fatal("Done on an idle queue gave work")
	}
	if _, ok := g.Offer(failedAlert(1)); !ok {
		t.Fatal("the gate stayed busy after the runs ended")
	}
}

func TestMergeStaysBounded(t *testing.T) {
	m := failedAlert(MaxJobs).Merge(failedAlert(MaxJobs))
	if len(m.Jobs) != MaxJobs || m.total() != 2*MaxJobs {
		t.Fatalf("merged %d listed %d counted; want %d listed %d counted", len(m.Jobs), m.total(), MaxJobs, 2*MaxJobs)
	}
}

func TestMute(t *testing.T) {
	var m Mute
	if m.Active(t0) {
		t.Fatal("the zero Mute is muted")
	}
	if !m.Toggle(t0) || !m.Active(t0.Add(59*time.Minute)) || !m.Until().Equal(t0.Add(time.Hour)) {
		t.Fatal("N did not mute for an hour")
	}
	if m.Active(t0.Add(time.Hour)) {
		t.Fatal("still muted after an hour")
	}
	later := t0.Add(2 * time.Hour)
	if !m.Toggle(later) {
		t.Fatal("N after the mute ended did not mute again")
	}
	if m.Toggle(later.Add(time.Minute)) || m.Active(later.Add(time.Minute)) {
		t.Fatal("N while muted did not unmute")
	}
}
