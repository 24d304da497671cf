package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
)

// typeAt sends text as key presses gap apart on the fake clock, without
// letting the hold-back timer fire in between.
func (h *harness) typeAt(text string, gap time.Duration) {
	h.t.Helper()
	for _, r := range text {
		if r == '\n' {
			h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
		} else {
			h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		h.clock.Advance(gap)
	}
}

func TestKeyBursts(t *testing.T) {
	ids := jobIDs(4)
	typed := string(ids[3]) // br0000003h00001x: holds r, d, x, h
	cases := []struct {
		name      string
		text      string
		gap       time.Duration
		wantAdded bool
		wantRows  int // rows left
		wantPolls int // polls after the first
		toast     string
	}{
		{"an ID faster than typing is a paste", typed, time.Millisecond, true, 3, 1, "added 1"},
		{"two IDs and newlines", string(ids[3]) + "\n" + string(ids[0]) + "\n", 0, true, 3, 1, "added 1, 1 already watched"},
		{"not an ID: nothing runs", "rdxd", time.Millisecond, false, 3, 0, "ignored 4 keys"},
		{"typed by a person: the keys act", "xr", 100 * time.Millisecond, false, 2, 1, ""},
		{"key repeat is keys", "xxxx", 5 * time.Millisecond, false, 0, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{}, ids[:3]...)
			h.start()
			polls := h.src.callCount()
			h.typeAt(c.text, c.gap)
			h.fire(holdMsg{})
			_, added := h.store.Entry(ids[3])
			if added != c.wantAdded {
				t.Errorf("%s added = %v, want %v", ids[3], added, c.wantAdded)
			}
			if got := h.store.Len() - btoi(added); got != c.wantRows {
				t.Errorf("%d of the first rows left, want %d", got, c.wantRows)
			}
			if got := h.src.callCount() - polls; got != c.wantPolls {
				t.Errorf("%d polls, want %d", got, c.wantPolls)
			}
			if c.toast != "" && !hasPrefix(h.toast(), c.toast) {
				t.Errorf("toast %q, want %q…", h.toast(), c.toast)
			}
		})
	}
}

// A single key waits at most holdBack: its timer is armed for that long and
// acts when it fires; a key after a quiet gap is read with the one before
// even when the timer is late.
func TestHeldKeyActsAfterHoldBack(t *testing.T) {
	ids := jobIDs(3)
	h := newHarness(t, Options{}, ids...)
	h.start()
	h.send(keyMsg("x"))
	if h.store.Len() != 3 {
		t.Fatal("x acted before the hold-back ended")
	}
	var armed time.Duration
	for _, tm := range h.timers {
		if _, ok := tm.msg.(holdMsg); ok {
			armed = tm.d
		}
	}
	if armed != holdBack || holdBack > 50*time.Millisecond {
		t.Errorf("hold-back timer %v, want %v (and short)", armed, holdBack)
	}
	h.clock.Advance(200 * time.Millisecond)
	h.send(keyMsg("x")) // the first x's timer has not fired yet
	if h.store.Len() != 2 {
		t.Errorf("after a quiet gap %d rows, want the first x to have acted", h.store.Len())
	}
	h.fire(holdMsg{})
	if h.store.Len() != 1 {
		t.Errorf("%d rows, want 1", h.store.Len())
	}
}

// Undo goes back through removals one at a time.
func TestUndoSeveralRemovals(t *testing.T) {
	ids := jobIDs(3)
	h := newHarness(t, Options{}, ids...)
	h.start()
	h.key("d", "x", "u")
	if h.store.Len() != 2 || h.selectedID() != ids[1] {
		t.Fatalf("after d x u: %d rows, selected %s; want 2 and %s", h.store.Len(), h.selectedID(), ids[1])
	}
	h.key("u")
	if h.store.Len() != 3 || h.selectedID() != ids[0] {
		t.Fatalf("after d x u u: %d rows, selected %s (toast %q)", h.store.Len(), h.selectedID(), h.toast())
	}
	h.key("u")
	if h.toast() != "nothing to undo" {
		t.Errorf("third u: toast %q", h.toast())
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

var _ = api.JobID("")
