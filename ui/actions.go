package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// The dashboard's edits of the list and the prompts that lead to them.

// updateInput edits the prompt; the filter follows every key.
func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	cmd := m.input.Update(msg)
	if m.input.mode == inputFilter {
		m.table.SetFilter(m.input.Line())
	}
	return cmd
}

func (m *Model) confirmInput() tea.Cmd {
	mode, value, line := m.input.mode, m.input.Value(), m.input.Line()
	m.input.close()
	switch mode {
	case inputAdd:
		return m.addFromText(value)
	case inputNote:
		m.saveNote(strings.TrimSpace(value))
	case inputFilter:
		m.table.SetFilter(line) // kept until esc
	}
	return nil
}

// saveNote sets the note typed for m.noteFor. When another faxwatch removed
// the job while the prompt was open, the note goes with the job on the undo
// stack (u brings both back) and the toast says so.
func (m *Model) saveNote(note string) {
	id := m.noteFor
	err := m.store.SetNote(id, note)
	if err == nil {
		m.status.push("note saved for "+string(id), false, toastFor)
		return
	}
	switch elsewhere, ok := m.store.SetRemovedNote(id, note); {
	case ok && elsewhere:
		m.status.push(string(id)+" was removed by another faxwatch; note kept (u to restore)", true, toastFor)
	case ok:
		m.status.push(string(id)+" was removed; note kept (u to restore)", true, toastFor)
	default:
		m.status.push("could not save the note: "+oneLine(err), true, toastFor)
	}
}

// sayRemovedElsewhere names the jobs another faxwatch removed, which a
// merge put on the undo stack. A short toast: it replaces one about them
// ("note saved for …") at once, and u's answer replaces it in turn.
func (m *Model) sayRemovedElsewhere(ids []api.JobID) {
	if len(ids) == 0 {
		return
	}
	const show = 3
	names := make([]string, 0, show)
	for _, id := range ids[:min(len(ids), show)] {
		names = append(names, string(id))
	}
	text := "removed by another faxwatch: " + strings.Join(names, ", ")
	if len(ids) > show {
		text += " and " + itoa(len(ids)-show) + " more"
	}
	m.log.Info("jobs removed by another faxwatch", "count", len(ids))
	m.status.push(text+" (u to restore)", true, toastFor)
}

func (m *Model) cancelInput() {
	if m.input.mode == inputFilter {
		m.table.SetFilter("")
	}
	m.input.close()
}

// addFromText adds every job ID found in text, says what happened, and polls
// the new ones at once (or right after the poll in flight).
func (m *Model) addFromText(text string) tea.Cmd {
	if m.opts.Shared != nil { // a burst of keys in serve: the shared list
		return m.sharedAdd(text)
	}
	ids, rejected := m.idsIn(text)
	if len(ids) == 0 {
		return nil
	}
	added, dups, err := m.store.Add(ids...)
	if err != nil {
		m.status.push("could not add: "+oneLine(err), true, warningFor)
	}
	parts := []string{"added " + itoa(len(added))}
	if len(dups) > 0 {
		parts = append(parts, itoa(len(dups))+" already watched")
		if len(added) == 0 {
			parts[0] = "nothing new"
		}
	}
	if len(rejected) > 0 {
		parts = append(parts, "skipped "+itoa(len(rejected))+" not a job ID: "+rejectedList(rejected))
	}
	m.status.push(strings.Join(parts, ", "), false, toastFor)
	if len(added) == 0 {
		m.table.Reveal(dups)
		return nil
	}
	m.table.Reveal(added)
	return m.poller.Add(added)
}

// onPaste adds the IDs in a paste, or gives it to the open prompt.
func (m *Model) onPaste(msg tea.PasteMsg) tea.Cmd {
	if len(m.held.keys) > 0 { // keys typed before the paste act first
		return tea.Batch(m.flushHeld(), m.onPaste(msg))
	}
	if m.input.Open() {
		return m.updateInput(msg)
	}
	if len(msg.Content) > maxAddText {
		m.status.push("paste too large (over 64 KiB); add that many jobs with: faxwatch watch add", true, toastFor)
		return nil
	}
	return m.addFromText(msg.Content)
}

// openNote opens the note prompt for the selected job.
func (m *Model) openNote() tea.Cmd {
	e, ok := m.table.Selected()
	if !ok {
		return nil
	}
	m.noteFor = e.ID
	return m.input.open(inputNote, e.Note)
}

// targets is what d, y and Y act on: the picked jobs, or else the
// selected one.
func (m *Model) targets() []watchlist.Entry {
	if ids := m.table.Picked(); len(ids) > 0 {
		out := make([]watchlist.Entry, 0, len(ids))
		for _, id := range ids {
			if e, ok := m.store.Entry(id); ok {
				out = append(out, e)
			}
		}
		return out
	}
	if e, ok := m.table.Selected(); ok {
		return []watchlist.Entry{e}
	}
	return nil
}

// maxClipboard bounds what y and Y send: OSC 52 carries it base64 in one
// escape sequence, and terminals drop long ones.
const maxClipboard = 64 << 10

// copyTargets puts text made of each target on the terminal's clipboard,
// as many as fit maxClipboard, and says what it copied.
func (m *Model) copyTargets(what string, sep string, text func(*watchlist.Entry) string) tea.Cmd {
	es := m.targets()
	if len(es) == 0 {
		return nil
	}
	var b strings.Builder
	n := 0
	for i := range es {
		t := text(&es[i])
		if n > 0 && b.Len()+len(sep)+len(t) > maxClipboard {
			break
		}
		if n > 0 {
			b.WriteString(sep)
		}
		b.WriteString(t)
		n++
	}
	msg := strings.TrimSpace("copied "+what) + " " + string(es[0].ID)
	if len(es) > 1 {
		msg = strings.TrimSpace("copied "+what) + " " + itoa(n) + " jobs"
		if n < len(es) {
			msg += " (the first " + itoa(n) + " of " + itoa(len(es)) + ": the clipboard holds 64 KiB)"
		}
	}
	m.status.push(msg, false, toastFor)
	return tea.SetClipboard(b.String())
}

// copySelected is y: the job IDs, one a line.
func (m *Model) copySelected() tea.Cmd {
	return m.copyTargets("", "\n", func(e *watchlist.Entry) string { return string(e.ID) })
}

// copyEscalation is Y: what Concord's support asks for, a blank line
// between jobs.
func (m *Model) copyEscalation() tea.Cmd {
	return m.copyTargets("the details for support about", "\n", escalation)
}

// rejectedList quotes a few rejected tokens, sanitised and shortened, each
// with its reason when it holds a hidden or foreign character.
func rejectedList(tokens []api.Rejected) string {
	const show = 3
	out := make([]string, 0, show)
	for _, t := range tokens[:min(len(tokens), show)] {
		s := truncate(clean(t.Token), 24)
		if t.Reason != "" {
			s += " (" + t.Reason + ")"
		}
		out = append(out, s)
	}
	s := strings.Join(out, " ")
	if len(tokens) > show {
		s += " …"
	}
	return s
}

// removeSelected is d: the picked jobs, or else the selected one; u
// brings them back.
func (m *Model) removeSelected() {
	es := m.targets()
	if len(es) == 0 {
		return
	}
	ids := make([]api.JobID, len(es))
	for i := range es {
		ids[i] = es[i].ID
	}
	removed, err := m.store.Remove(ids...)
	if err != nil {
		m.status.push("could not remove: "+oneLine(err), true, toastFor)
	}
	m.table.ClearPicks()
	if len(removed) > 0 {
		m.status.push(DidTo("removed", removed)+" · u to undo", false, toastFor)
	}
}

func (m *Model) undoRemove() {
	restored, err := m.store.UndoRemove()
	if err != nil {
		m.status.push("could not undo: "+oneLine(err), true, toastFor)
		return
	}
	if len(restored) == 0 {
		m.status.push("nothing to undo", false, toastFor)
		return
	}
	m.table.Select(restored[0])
	m.status.push(DidTo("restored", restored), false, toastFor)
}

// idsIn finds the job IDs in text; when there are none, a toast says so and
// names what was skipped.
func (m *Model) idsIn(text string) ([]api.JobID, []api.Rejected) {
	ids, rejected := api.ParseJobIDs(text)
	if len(ids) == 0 {
		msg := "no job ID found"
		if len(rejected) > 0 {
			msg += ": skipped " + rejectedList(rejected)
		}
		m.status.push(msg, true, toastFor)
	}
	return ids, rejected
}
