package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
)

func TestCtrlZSuspends(t *testing.T) {
	h := fixture(t, "dark")
	_, cmd := h.m.Update(keyMsg("ctrl+z"))
	if cmd == nil {
		t.Fatal("ctrl+z returned no command")
	}
	if _, ok := cmd().(tea.SuspendMsg); !ok {
		t.Errorf("ctrl+z did not suspend")
	}
}

// A click selects the row under it; a click on a column's title sorts by
// it, a second one reverses; the wheel moves the selection.
func TestMouse(t *testing.T) {
	ids := append(jobIDs(9), "JRI-REF-2026-0042")
	h := fixture(t, "dark")
	h.send(teaSize(120, 40))
	top := h.m.tableTop()
	h.send(tea.MouseClickMsg{X: 10, Y: top + 4, Button: tea.MouseLeft})
	if h.selectedID() != ids[3] {
		t.Errorf("click on the 4th row selected %s", h.selectedID())
	}
	h.send(tea.MouseWheelMsg{X: 10, Y: top + 4, Button: tea.MouseWheelDown})
	if h.selectedID() != ids[3+wheelStep] {
		t.Errorf("wheel down from the 4th row selected %s", h.selectedID())
	}
	h.send(tea.MouseClickMsg{X: markerWidth + 1, Y: top, Button: tea.MouseLeft}) // JOB ID
	if got := h.visibleIDs()[0]; got != ids[9] || h.m.table.ix.sort != sortID {
		t.Errorf("click on JOB ID: sort %s, first row %s; want by job ID, %s", h.m.table.ix.sort, got, ids[9])
	}
	h.send(tea.MouseClickMsg{X: markerWidth + 1, Y: top, Button: tea.MouseLeft})
	if got := h.visibleIDs()[0]; got != ids[8] || !strings.Contains(h.plain(), "by job ID, reversed") {
		t.Errorf("second click on JOB ID: first row %s, want %s reversed", got, ids[8])
	}
	if h.m.View().MouseMode != tea.MouseModeCellMotion {
		t.Error("the view does not ask for mouse events")
	}
}

// space picks rows; d removes them all, u brings them all back, y copies
// their IDs; esc unpicks.
func TestPickedRows(t *testing.T) {
	ids := jobIDs(5)
	h := newHarness(t, Options{}, ids...)
	h.start()
	h.key("space", "j", "space") // picks 0 and 2
	if got := h.m.table.Picked(); !slices.Equal(got, []api.JobID{ids[0], ids[2]}) {
		t.Fatalf("picked %v", got)
	}
	if !strings.Contains(h.plain(), "+  "+string(ids[0])) || !strings.Contains(h.plain(), "+ 2 picked") {
		t.Errorf("a picked row has no %s mark:\n%s", h.m.c.styles.PickedMark.Glyph, h.plain())
	}
	_, _, raw := collect(press(h.m, "y"))
	if len(raw) != 1 || fmt.Sprint(raw[0]) != string(ids[0])+"\n"+string(ids[2]) {
		t.Errorf("y with picks copied %v", raw)
	}
	h.key("d")
	if h.store.Len() != 3 || len(h.m.table.Picked()) != 0 || h.toast() != "removed 2 jobs · u to undo" {
		t.Fatalf("d with picks: %d rows, picks %v, toast %q", h.store.Len(), h.m.table.Picked(), h.toast())
	}
	h.key("u")
	if h.store.Len() != 5 {
		t.Errorf("u after a bulk remove: %d rows", h.store.Len())
	}
	h.key("space", "esc")
	if len(h.m.table.Picked()) != 0 {
		t.Error("esc did not unpick")
	}
}

// In the full-screen detail pane j/k move to the next or previous job and
// ctrl+d, pgdn and the wheel scroll the pane.
func TestDetailPaneMovesAndScrolls(t *testing.T) {
	ids := append(jobIDs(9), "JRI-REF-2026-0042")
	h := fixture(t, "dark")
	h.send(teaSize(80, 15))
	h.key("enter", "j")
	if h.selectedID() != ids[1] || !strings.Contains(h.plain(), "Job "+string(ids[1])) {
		t.Fatalf("j in the detail pane: selected %s\n%s", h.selectedID(), h.plain())
	}
	h.key("k")
	if h.selectedID() != ids[0] {
		t.Errorf("k in the detail pane: selected %s", h.selectedID())
	}
	for _, scroll := range []tea.Msg{keyMsg("ctrl+d"), keyMsg("pgdown"), tea.MouseWheelMsg{Button: tea.MouseWheelDown}} {
		before := h.m.detail.vp.YOffset()
		h.send(scroll)
		h.fire(holdMsg{})
		if h.m.detail.vp.YOffset() <= before {
			t.Errorf("%v did not scroll the pane (offset %d)", scroll, before)
		}
	}
}
