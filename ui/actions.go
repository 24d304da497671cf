package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
)

// The dashboard's edits of the list and the prompts that lead to them.

// updateInput edits the prompt; the filter follows every key.
func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	cmd := m.input.Update(msg)
	if m.input.mode == inputFilter {
		m.table.SetFilter(m.input.Value())
	}
	return cmd
}

func (m *Model) confirmInput() tea.Cmd {
	mode, value := m.input.mode, m.input.Value()
	m.input.close()
	switch mode {
	case inputAdd:
		return m.addFromText(value)
	case inputNote:
		if err := m.store.SetNote(m.noteFor, strings.TrimSpace(value)); err != nil {
			m.status.push("could not save the note: "+oneLine(err), true, toastFor)
		} else {
			m.status.push("note saved for "+string(m.noteFor), false, toastFor)
		}
	case inputFilter:
		m.table.SetFilter(value) // kept until esc
	}
	return nil
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
	ids, rejected := api.ParseJobIDs(text)
	if len(ids) == 0 {
		msg := "no job ID found"
		if len(rejected) > 0 {
			msg += ": skipped " + rejectedList(rejected)
		}
		m.status.push(msg, true, toastFor)
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

// copySelected puts the selected job ID on the terminal's clipboard.
func (m *Model) copySelected() tea.Cmd {
	e, ok := m.table.Selected()
	if !ok {
		return nil
	}
	m.status.push("copied "+string(e.ID), false, toastFor)
	return tea.SetClipboard(string(e.ID))
}

// copyEscalation puts what Concord's support asks for about the selected
// job on the terminal's clipboard, as plain text.
func (m *Model) copyEscalation() tea.Cmd {
	e, ok := m.table.Selected()
	if !ok {
		return nil
	}
	m.status.push("copied the details for support about "+string(e.ID), false, toastFor)
	return tea.SetClipboard(escalation(&e))
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

func (m *Model) removeSelected() {
	e, ok := m.table.Selected()
	if !ok {
		return
	}
	id := e.ID
	removed, err := m.store.Remove(id)
	if err != nil {
		m.status.push("could not remove: "+oneLine(err), true, toastFor)
	}
	if len(removed) > 0 {
		m.status.push("removed "+string(id)+" · u to undo", false, toastFor)
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
	m.status.push("restored "+string(restored[0]), false, toastFor)
}
