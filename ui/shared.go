package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/ui/alert"
	"faxwatch/watchlist"
)

// Shared is a watchlist and a poller that a dashboard shows without owning
// them: faxwatch serve's hub, one for every session. The dashboard keeps its
// own view state (selection, filter, sort, detail, size, colours, mute);
// every change of the list goes through Shared, which tells every dashboard
// with a SharedMsg. Its methods are safe from any goroutine and never wait
// for another session.
type Shared interface {
	State() *SharedState // the latest state; never nil, never modified
	Add(by string, ids []api.JobID) (added, duplicates []api.JobID, err error)
	Remove(by string, ids ...api.JobID) (removed []api.JobID, err error)
	Undo(by string) (restored []api.JobID, err error)
	SetNote(by string, id api.JobID, note string) error
	// Refresh is r (full=false) and R: one toast's worth of what happened
	// (the team's manual refreshes are rate-limited).
	Refresh(by string, full bool) string
}

// SharedState is the shared list and poller as one value: the list is a
// Snapshot, which no one modifies, so every session reads it without a copy.
type SharedState struct {
	List     watchlist.View
	Version  uint64
	Poll     PollStatus
	Watching int // sessions open
	// Event is the last change someone made ("bob removed br…"); EventSeq
	// counts them, EventBy says who, so the one who did it is not told twice.
	Event    string
	EventBy  string
	EventSeq uint64
	// Alert is the last poll's news; AlertSeq counts alerts. Each session
	// shows it as its own bell and desktop notification, unless muted.
	Alert    alert.Alert
	AlertSeq uint64
	// NotifyFailed is why the notify command's last run failed (one line,
	// no secret), "" once a run works: every header shows it, as a
	// dashboard of its own does.
	NotifyFailed string

	rows *sharedRows // see KeepRows; nil: each session derives its own
}

// SharedMsg tells a dashboard the shared state moved: it reads State().
type SharedMsg struct{}

// sharedSeen is what this session has already shown of the shared state.
type sharedSeen struct {
	event, alert uint64
}

// sharedInit starts the clock and asks the terminal's background; the
// poller is the hub's.
func (m *Model) sharedInit() tea.Cmd {
	st := m.opts.Shared.State()
	m.seen = sharedSeen{event: st.EventSeq, alert: st.AlertSeq}
	m.header.watching = st.Watching
	m.alerts.cmdErr = st.NotifyFailed
	cmds := []tea.Cmd{m.clockTick()}
	if m.themeAuto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

// listView is the list the table shows: the store's, or the shared one
// with the row facts every session reads.
func (m *Model) listView() (watchlist.View, uint64, *sharedRows) {
	if m.opts.Shared != nil {
		st := m.opts.Shared.State()
		return st.List, st.Version, st.rows
	}
	return m.store.View(), m.store.Version(), nil
}

// pollStatus is the header's poller: this dashboard's or the hub's.
func (m *Model) pollStatus() PollStatus {
	if m.opts.Shared != nil {
		return m.opts.Shared.State().Poll
	}
	return m.poller.Status()
}

// sharedUpdate handles what differs when the list is shared. ok says the
// message was handled here.
func (m *Model) sharedUpdate(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case SharedMsg:
		return m.onShared(), true
	case tickMsg, pollResultMsg, pollTimeoutMsg, reloadDoneMsg, saveDoneMsg:
		return nil, true // never started here: the hub polls and saves
	case tea.PasteMsg:
		if m.input.Open() {
			return nil, false
		}
		if len(msg.Content) > maxAddText {
			m.status.push("paste too large (over 64 KiB); add that many jobs with: ssh … watch add", true, toastFor)
			return nil, true
		}
		return m.sharedAdd(msg.Content), true
	case tea.KeyPressMsg:
		return m.sharedKey(msg)
	}
	return nil, false
}

// onShared shows what others did and the poll's alert.
func (m *Model) onShared() tea.Cmd {
	st := m.opts.Shared.State()
	m.header.watching = st.Watching
	if st.EventSeq != m.seen.event {
		m.seen.event = st.EventSeq
		if st.Event != "" && st.EventBy != m.opts.User {
			m.status.push(st.Event, false, toastFor)
		}
	}
	if st.NotifyFailed != m.alerts.cmdErr { // the command runs in the hub, once for the team
		if st.NotifyFailed != "" {
			m.status.push(st.NotifyFailed, true, warningFor)
		}
		m.alerts.cmdErr = st.NotifyFailed
	}
	if st.AlertSeq == m.seen.alert || st.Alert.Empty() {
		m.seen.alert = st.AlertSeq
		return nil
	}
	m.seen.alert = st.AlertSeq
	if m.alerts.mute.Active(m.now()) {
		return nil
	}
	var cmds []tea.Cmd
	if m.alerts.cfg.Bell {
		cmds = append(cmds, tea.Raw("\a"))
	}
	if seq := m.alerts.cfg.Desktop.Sequence(st.Alert); seq != "" {
		cmds = append(cmds, tea.Raw(seq))
	}
	return tea.Batch(cmds...)
}

// sharedKey takes the keys that change the list or steer the poller, in
// the modes where they act; the rest go the usual way.
func (m *Model) sharedKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	keys := &m.keys
	switch m.mode() {
	case modeInput:
		if !key.Matches(k, keys.Confirm) || m.input.mode == inputFilter {
			return nil, false
		}
		mode, value := m.input.mode, m.input.Value()
		m.input.close()
		if mode == inputAdd {
			return m.sharedAdd(value), true
		}
		m.sharedNote(value)
		return nil, true
	case modeHelp:
		return nil, false
	}
	switch {
	case key.Matches(k, keys.Add, keys.Note, keys.Remove, keys.Undo):
		if m.opts.ReadOnly != "" {
			m.status.push(m.opts.ReadOnly, true, toastFor)
			return nil, true
		}
		return m.sharedEdit(k), true
	case key.Matches(k, keys.Refresh, keys.FullRefresh):
		full := key.Matches(k, keys.FullRefresh)
		m.status.push(m.opts.Shared.Refresh(m.opts.User, full), false, toastFor)
		return nil, true
	case key.Matches(k, keys.Pause, keys.Slower, keys.Faster):
		m.status.push("polling is shared by everyone on this server: p, + and - are set in its config", false, toastFor)
		return nil, true
	}
	return nil, false
}

// sharedEdit is a, n, x and u on the shared list.
func (m *Model) sharedEdit(k tea.KeyPressMsg) tea.Cmd {
	keys := &m.keys
	switch {
	case key.Matches(k, keys.Add):
		return m.input.open(inputAdd, "")
	case key.Matches(k, keys.Note):
		return m.openNote()
	case key.Matches(k, keys.Remove): // the picked jobs, or else the selected one
		es := m.targets()
		ids := make([]api.JobID, len(es))
		for i := range es {
			ids[i] = es[i].ID
		}
		if len(ids) == 0 {
			return nil
		}
		removed, err := m.opts.Shared.Remove(m.opts.User, ids...)
		switch {
		case err != nil:
			m.status.push("could not remove: "+oneLine(err), true, toastFor)
		case len(removed) > 0:
			m.status.push(DidTo("removed", removed)+" · u to undo", false, toastFor)
		}
	case key.Matches(k, keys.Undo):
		restored, err := m.opts.Shared.Undo(m.opts.User)
		switch {
		case err != nil:
			m.status.push("could not undo: "+oneLine(err), true, toastFor)
		case len(restored) == 0:
			m.status.push("nothing to undo", false, toastFor)
		default:
			// Selected before the rows are rebuilt from the state the hub
			// published, which moves the cursor to it.
			m.table.Select(restored[0])
			m.sync()
			m.status.push(DidTo("restored", restored)+m.removalNote(restored[0]), false, toastFor)
		}
	}
	return nil
}

// removalNote is " (removed by alice 10:42)" for the job an undo just brought
// back and selected; "" if it is not there (removed again since).
func (m *Model) removalNote(id api.JobID) string {
	if e, ok := m.table.Selected(); ok && e.ID == id && e.Restored != nil {
		return " (" + RemovalText(e.Restored) + ")"
	}
	return ""
}

// sharedAdd adds the IDs in text to the shared list.
func (m *Model) sharedAdd(text string) tea.Cmd {
	if m.opts.ReadOnly != "" {
		m.status.push(m.opts.ReadOnly, true, toastFor)
		return nil
	}
	ids, rejected := m.idsIn(text)
	if len(ids) == 0 {
		return nil
	}
	added, dups, err := m.opts.Shared.Add(m.opts.User, ids)
	if err != nil {
		m.status.push("could not add: "+oneLine(err), true, warningFor)
		return nil
	}
	parts := []string{"added " + itoa(len(added))}
	if len(dups) > 0 {
		parts = append(parts, itoa(len(dups))+" already watched")
	}
	if len(rejected) > 0 {
		parts = append(parts, "skipped "+itoa(len(rejected))+" not a job ID: "+rejectedList(rejected))
	}
	m.status.push(strings.Join(parts, ", "), false, toastFor)
	return nil
}

// sharedNote sets the note of the job the prompt was opened for.
func (m *Model) sharedNote(value string) {
	if err := m.opts.Shared.SetNote(m.opts.User, m.noteFor, strings.TrimSpace(value)); err != nil {
		m.status.push("could not save the note: "+oneLine(err), true, toastFor)
		return
	}
	m.status.push("note saved for "+string(m.noteFor), false, toastFor)
}

// OutcomeOf is what a dashboard makes of an answer, for an owner that
// applies answers itself (faxwatch serve's hub) and reports to Finish.
func OutcomeOf(ans *PollAnswer) Outcome {
	if ans.Result == nil {
		reason := "no answer"
		if ans.Err != nil {
			reason = oneLine(ans.Err)
		}
		return Outcome{Failed: true, Reason: reason, Cause: ans.Err}
	}
	reason, cause, failed := resultFailure(ans.Result)
	return Outcome{Failed: failed, Reason: reason, Cause: cause}
}
