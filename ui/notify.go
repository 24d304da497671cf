package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/ui/alert"
	"faxwatch/watchlist"
)

// notifyState is the dashboard's side of alerting: what alerts and where
// (package alert decides and delivers), this viewer's mute, and the last
// failure of the notify command for the header.
type notifyState struct {
	cfg     alert.Config
	tracker *alert.Tracker
	gate    alert.Gate
	mute    alert.Mute
	cmdErr  string // one line while the last run of the command failed
}

// commandDoneMsg ends one run of the notify command.
type commandDoneMsg struct{ err error }

func newNotifyState(cfg alert.Config, start time.Time) notifyState {
	return notifyState{cfg: cfg, tracker: alert.NewTracker(cfg.On, cfg.StaleAfter, start)}
}

// notify tells people what is news in the poll just applied: the bell, the
// desktop notification and the command, unless muted. ch is what Apply
// reported (zero when nothing came back); staleness comes from the poller.
func (m *Model) notify(ch watchlist.Changes, now time.Time) tea.Cmd {
	n := &m.alerts
	st := m.poller.Status()
	a := n.tracker.Observe(alert.Poll{Now: now, Changes: ch, Entry: m.store.Entry,
		StaleSince: st.StaleSince, StaleReason: st.LastErr})
	if a.Empty() {
		return nil
	}
	if n.mute.Active(now) {
		m.log.Info("alert muted", "summary", a.Summary())
		return nil
	}
	m.log.Info("alert", "summary", a.Summary())
	var cmds []tea.Cmd
	if n.cfg.Bell {
		cmds = append(cmds, tea.Raw("\a")) // BEL moves no cursor: the screen stays intact
	}
	if seq := n.cfg.Desktop.Sequence(a); seq != "" {
		cmds = append(cmds, tea.Raw(seq)) // written between frames, like the bell
	}
	if n.cfg.Command != nil {
		if run, ok := n.gate.Offer(a); ok {
			cmds = append(cmds, m.runCommand(run))
		} else {
			m.log.Debug("notify command still running; this alert follows it, merged with any other")
		}
	}
	return tea.Batch(cmds...)
}

// runCommand runs the notify command off the UI goroutine; quitting stops it.
func (m *Model) runCommand(a alert.Alert) tea.Cmd {
	cmd, ctx := m.alerts.cfg.Command, m.ctx
	return func() tea.Msg { return commandDoneMsg{err: cmd.Run(ctx, a)} }
}

// onCommandDone shows a failure in the header and the log, never more, and
// runs the news that waited.
func (m *Model) onCommandDone(msg commandDoneMsg) tea.Cmd {
	n := &m.alerts
	if msg.err != nil {
		line := oneLine(msg.err)
		m.log.Warn("notify command failed", "err", line)
		if n.cmdErr != line {
			m.status.push(line, true, warningFor)
		}
		n.cmdErr = line
	} else {
		n.cmdErr = ""
	}
	if next, ok := n.gate.Done(); ok && m.ctx.Err() == nil {
		return m.runCommand(next)
	}
	return nil
}

// marks is what the header shows of alerting.
func (n *notifyState) marks() alertMarks {
	return alertMarks{mutedUntil: n.mute.Until(), cmdFailed: n.cmdErr != ""}
}

// toggleMute is N: this viewer hears no alert for an hour.
func (m *Model) toggleMute() {
	now := m.now()
	if m.alerts.mute.Toggle(now) {
		m.status.push("alerts muted until "+m.alerts.mute.Until().Format("15:04")+" · N to unmute", false, toastFor)
		return
	}
	m.status.push("alerts on", false, toastFor)
}
