package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
	"faxwatch/ui/style"
)

// headerModel is the top of the screen: who, what, how fresh. It holds
// copies of what it shows, handed over by SetData.
type headerModel struct {
	c                *common
	width            int
	host, user, auth string
	demo             bool
	spinner          spinner.Model
	spinning         bool // a spinner tick is on its way
	poll             PollStatus
	list             listSummary
	alerts           alertMarks
	watching         int // sessions open on a shared list (faxwatch serve); 0 alone
}

func newHeader(c *common, opts *Options) headerModel {
	return headerModel{
		c: c, host: clean(opts.Host), user: clean(opts.UserID), auth: clean(opts.AuthMode), demo: opts.Demo,
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot)),
	}
}

// SetSize sets the width; the height follows the content (see Height).
func (h *headerModel) SetSize(w, _ int) { h.width = w }

// SetData hands the header what it reports. It starts the spinner when a
// poll is in flight and no tick is on its way.
func (h *headerModel) SetData(poll PollStatus, list listSummary, alerts alertMarks) tea.Cmd {
	h.poll, h.list, h.alerts = poll, list, alerts
	if poll.InFlight && !h.spinning {
		h.spinning = true
		return h.spinner.Tick
	}
	return nil
}

// Update advances the spinner while a poll is in flight; otherwise its ticks
// are dropped so an idle dashboard does not repaint.
func (h *headerModel) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(spinner.TickMsg); !ok {
		return nil
	}
	if !h.poll.InFlight {
		h.spinning = false
		return nil
	}
	var cmd tea.Cmd
	h.spinner, cmd = h.spinner.Update(msg)
	return cmd
}

// Height is 2 lines, 3 while the data is stale.
func (h *headerModel) Height() int {
	if h.poll.LastErr != "" {
		return 3
	}
	return 2
}

func (h *headerModel) View() string {
	line1 := h.titleLine()
	line2 := h.countsLine()
	if h.poll.LastErr == "" {
		return line1 + "\n" + line2
	}
	return line1 + "\n" + line2 + "\n" + h.staleLine()
}

// titleLine is product, where, how, and freshness on the right.
func (h *headerModel) titleLine() string {
	st := h.c.styles
	now := h.c.now()

	// Line 1: product, where, how, and freshness on the right.
	left := st.Title.Render("faxwatch")
	if h.demo {
		left += " " + st.Demo.Render(" DEMO ")
	}
	// Who is watching comes before the endpoint: a narrow header cuts from
	// the end, and the endpoint is the same for everyone.
	if h.watching > 0 {
		left += "  " + st.Accent.Render(itoa(h.watching)+" watching")
	}
	who := []string{}
	for _, s := range []string{h.host, h.user, h.auth} {
		if s != "" {
			who = append(who, s)
		}
	}
	if len(who) > 0 {
		left += "  " + st.Dim.Render(strings.Join(who, " · "))
	}
	var right strings.Builder
	if h.poll.Paused {
		right.WriteString(st.Paused.Render(" PAUSED "))
		right.WriteString("  ")
	}
	right.WriteString(h.alertMarkers(now))
	if h.poll.HoldUntil.After(now) && !h.poll.Paused {
		// The server asked for quiet: the interval is not what runs now.
		right.WriteString(st.Warn.Render("held off by the server until " + h.poll.HoldUntil.Format("15:04") + " · "))
	} else {
		right.WriteString(st.Dim.Render("every " + shortDuration(h.poll.Interval) + " · "))
	}
	right.WriteString(h.freshness(now))
	right.WriteByte(' ')
	if h.poll.InFlight {
		right.WriteString(h.spinner.View())
	} else {
		right.WriteByte(' ')
	}
	return spread(left, right.String(), h.width)
}

// countsLine is the counts per state, then sort and filter. Narrow
// terminals drop the words; the glyphs still say which is which.
func (h *headerModel) countsLine() string {
	st := h.c.styles
	if h.list.loading {
		return fit(st.Dim.Render("loading the watchlist…"), h.width)
	}
	l := &h.list
	compact := h.width < 110
	var counts strings.Builder
	for i, c := range []struct {
		state api.State
		n     int
	}{{api.StateSucceeded, l.succeeded}, {api.StateFailed, l.failed}, {api.StateProcessing, l.processing}, {api.StateInvalid, l.invalid}} {
		if i > 0 {
			counts.WriteString("  ")
		}
		text := style.Glyph(c.state) + " " + itoa(c.n)
		if !compact {
			text += " " + string(c.state)
		}
		counts.WriteString(st.StateStyle(c.state).Render(text))
	}
	if l.other > 0 {
		counts.WriteString("  " + st.StateStyle(api.StateUnknown).Render("· "+itoa(l.other)+" other"))
	}
	if l.stale > 0 {
		counts.WriteString("  " + st.Warn.Render("~ "+itoa(l.stale)+" stale"))
	}
	if l.picked > 0 {
		counts.WriteString("  " + st.Accent.Render(st.PickedMark.Glyph+" "+itoa(l.picked)+" picked"))
	}
	view := "sort: " + sortText(l.sort, l.reverse)
	if l.query != "" {
		view = "filter: " + truncate(clean(l.query), 20) + " (" + itoa(l.shown) + "/" + itoa(l.total) + ") · " + view
	} else if withCount := itoa(l.total) + " jobs · " + view; ansi.StringWidth(counts.String())+ansi.StringWidth(withCount)+2 <= h.width {
		view = withCount // the job count goes only when it does not fit
	}
	return spread(counts.String(), st.Dim.Render(view), h.width)
}

// staleLine says why the data is stale and when the next try is, or, while
// a poll is in flight, how long it has been waiting: no countdown to a retry
// that is not happening. The error text gives way first: what happens now
// matters more than the tail of a long server message.
func (h *headerModel) staleLine() string {
	head := "⚠ stale since " + h.poll.StaleSince.Format("15:04:05") + ": "
	tail := ""
	switch {
	case h.poll.InFlight:
		tail = ", waiting for Concord, " + shortDuration(max(0, h.c.now().Sub(h.poll.Started)))
	case h.poll.Paused:
		tail = ", paused"
	case !h.poll.NextPoll.IsZero():
		tail = ", retrying in " + shortDuration(max(0, h.poll.NextPoll.Sub(h.c.now())))
	}
	room := h.width - ansi.StringWidth(head) - ansi.StringWidth(tail)
	msg := head + truncate(h.poll.LastErr, max(room, 1)) + tail
	return h.c.styles.Error.Render(truncate(msg, h.width))
}

// alertMarks is what the header says about alerts: muted until when (zero:
// not muted), and whether the notify command's last run failed.
type alertMarks struct {
	mutedUntil time.Time
	cmdFailed  bool
}

// alertMarkers says when this viewer hears no alerts, and when the notify
// command failed (the toast and the log say why).
func (h *headerModel) alertMarkers(now time.Time) string {
	st := h.c.styles
	var b strings.Builder
	if now.Before(h.alerts.mutedUntil) {
		b.WriteString(st.Warn.Render("muted until " + h.alerts.mutedUntil.Format("15:04")))
		b.WriteString("  ")
	}
	if h.alerts.cmdFailed {
		b.WriteString(st.Error.Render("⚠ notify command failed"))
		b.WriteString("  ")
	}
	return b.String()
}

func (h *headerModel) freshness(now time.Time) string {
	st := h.c.styles
	if h.poll.LastSuccess.IsZero() {
		return st.Dim.Render("not updated yet")
	}
	age := now.Sub(h.poll.LastSuccess)
	text := "updated " + style.RelTime(now, h.poll.LastSuccess)
	if h.list.active == 0 {
		return st.Dim.Render("all final · " + text) // nothing is due, so age is no warning
	}
	// Against the configured interval, not the backed-off one: during an
	// outage the data is old however patiently we retry.
	switch {
	case age > 3*h.poll.Interval:
		return st.Error.Render("⚠ " + text)
	case age > 2*h.poll.Interval:
		return st.Warn.Render(text)
	}
	return st.Dim.Render(text)
}

// spread puts left and right on one line of width w, cutting left first.
func spread(left, right string, w int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if rw >= w {
		return truncate(right, w)
	}
	if lw+rw+1 > w {
		left = truncate(left, w-rw-1)
		lw = ansi.StringWidth(left)
	}
	return left + strings.Repeat(" ", max(1, w-lw-rw)) + right
}
