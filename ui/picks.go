package ui

import (
	"faxwatch/api"
)

// Rows picked with space, for d and y to act on together. Picks follow the
// job ID through sorting and filtering; a job that leaves the list leaves
// the picks.

// TogglePick picks or unpicks the selected row and moves down, so space
// held picks a run of rows.
func (t *tableModel) TogglePick() {
	if t.ix.len() == 0 {
		return
	}
	id := t.ix.id(t.cursor)
	if _, ok := t.picked[id]; ok {
		delete(t.picked, id)
	} else {
		t.picked[id] = struct{}{}
	}
	t.moveTo(t.cursor + 1)
}

// Picked is the picked jobs in table order, filtered out ones too (they are
// still picked); nil when none is.
func (t *tableModel) Picked() []api.JobID {
	if len(t.picked) == 0 {
		return nil
	}
	out := make([]api.JobID, 0, len(t.picked))
	for _, i := range t.ix.order {
		if id := t.ix.entries.ID(int(i)); t.isPicked(id) {
			out = append(out, id)
		}
	}
	return out
}

func (t *tableModel) isPicked(id api.JobID) bool {
	_, ok := t.picked[id]
	return ok
}

// ClearPicks unpicks every row; it reports whether any was picked.
func (t *tableModel) ClearPicks() bool {
	n := len(t.picked)
	clear(t.picked)
	return n > 0
}

// prunePicks drops picks of jobs no longer watched.
func (t *tableModel) prunePicks() {
	if len(t.picked) == 0 {
		return
	}
	live := make(map[api.JobID]struct{}, len(t.picked))
	for i := range t.ix.entries.Len() {
		if id := t.ix.entries.ID(i); t.isPicked(id) {
			live[id] = struct{}{}
		}
	}
	t.picked = live
}
