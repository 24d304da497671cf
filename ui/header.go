package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
	"faxwatch/ui/style"
	"faxwatch/watchlist"
)

// pollState is the refresh machinery's state the header reports on.
type pollState struct {
	paused      bool
	interval    time.Duration // the configured interval (±5 s with + and -)
	failures    int           // consecutive failed polls; drives backoff
	inFlight    bool
	lastSuccess time.Time
	staleSince  time.Time // first failure of the current run of failures
	lastErr     string    // one sanitised line
	nextPoll    time.Time // when the armed tick fires
	holdUntil   time.Time // a rate limit the server set; no tick before it
}

// effective is the interval after backoff: doubling per failure, capped.
func (p *pollState) effective() time.Duration {
	d := p.interval
	for i := 0; i < p.failures && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, max(maxBackoff, p.interval))
}

// headerModel is the top of the screen: who, what, how fresh.
type headerModel struct {
	c                *common
	width            int
	host, user, auth string
	demo             bool
	spinner          spinner.Model
	poll             *pollState
	ix               *rowIndex
	alerts           *notifyState // nil: no alert markers
}

func newHeader(c *common, opts *Options, poll *pollState, ix *rowIndex) headerModel {
	return headerModel{
		c: c, host: clean(opts.Host), user: clean(opts.UserID), auth: clean(opts.AuthMode), demo: opts.Demo,
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot)), poll: poll, ix: ix,
	}
}

func (h *headerModel) SetSize(w int) { h.width = w }

// Update advances the spinner while a poll is in flight; otherwise its ticks
// are dropped so an idle dashboard does not repaint.
func (h headerModel) Update(msg tea.Msg) (headerModel, tea.Cmd) {
	if _, ok := msg.(spinner.TickMsg); ok && h.poll.inFlight {
		var cmd tea.Cmd
		h.spinner, cmd = h.spinner.Update(msg)
		return h, cmd
	}
	return h, nil
}

// Height is 2 lines, 3 while the data is stale.
func (h headerModel) Height() int {
	if h.poll.lastErr != "" {
		return 3
	}
	return 2
}

func (h headerModel) View() string {
	st := h.c.styles
	now := h.c.now()

	// Line 1: product, where, how, and freshness on the right.
	left := st.Title.Render("faxwatch")
	if h.demo {
		left += " " + st.Demo.Render(" DEMO ")
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
	if h.poll.paused {
		right.WriteString(st.Paused.Render(" PAUSED "))
		right.WriteString("  ")
	}
	right.WriteString(h.alertMarkers(now))
	if h.poll.holdUntil.After(now) && !h.poll.paused {
		// The server asked for quiet: the interval is not what runs now.
		right.WriteString(st.Warn.Render("held off by the server until " + h.poll.holdUntil.Format("15:04") + " · "))
	} else {
		right.WriteString(st.Dim.Render("every " + shortDuration(h.poll.interval) + " · "))
	}
	right.WriteString(h.freshness(now))
	right.WriteByte(' ')
	if h.poll.inFlight {
		right.WriteString(h.spinner.View())
	} else {
		right.WriteByte(' ')
	}
	line1 := spread(left, right.String(), h.width)

	// Line 2: counts per state, then sort and filter.
	// Narrow terminals drop the words; the glyphs still say which is which.
	compact := h.width < 110
	var counts strings.Builder
	for i, s := range []api.State{api.StateSucceeded, api.StateFailed, api.StateProcessing, api.StateInvalid} {
		if i > 0 {
			counts.WriteString("  ")
		}
		text := style.Glyph(s) + " " + itoa(h.ix.counts[s])
		if !compact {
			text += " " + string(s)
		}
		counts.WriteString(st.StateStyle(s).Render(text))
	}
	other := h.ix.counts[api.StateUnknown] + h.ix.counts[api.StateNoAnswer] + h.ix.counts[watchlist.StatePending]
	if other > 0 {
		counts.WriteString("  " + st.StateStyle(api.StateUnknown).Render("· "+itoa(other)+" other"))
	}
	if h.ix.stale > 0 {
		counts.WriteString("  " + st.Warn.Render("~ "+itoa(h.ix.stale)+" stale"))
	}
	view := "sort: " + h.ix.sort.String()
	if h.ix.query != "" {
		view = "filter: " + truncate(h.ix.query, 20) + " (" + itoa(h.ix.len()) + "/" + itoa(h.ix.total()) + ") · " + view
	} else if !compact {
		view = itoa(h.ix.total()) + " jobs · " + view
	}
	line2 := spread(counts.String(), st.Dim.Render(view), h.width)
	if h.poll.lastErr == "" {
		return line1 + "\n" + line2
	}

	// Line 3: why the data is stale and when the next try is.
	// The error text gives way first: when the next try is matters more
	// than the tail of a long server message.
	head := "⚠ stale since " + h.poll.staleSince.Format("15:04:05") + ": "
	tail := ""
	if h.poll.paused {
		tail = ", paused"
	} else if !h.poll.nextPoll.IsZero() {
		tail = ", retrying in " + shortDuration(max(0, h.poll.nextPoll.Sub(now)))
	}
	room := h.width - ansi.StringWidth(head) - ansi.StringWidth(tail)
	msg := head + truncate(h.poll.lastErr, max(room, 1)) + tail
	return line1 + "\n" + line2 + "\n" + st.Error.Render(truncate(msg, h.width))
}

// alertMarkers says when this viewer hears no alerts, and when the notify
// command failed (the toast and the log say why).
func (h headerModel) alertMarkers(now time.Time) string {
	if h.alerts == nil {
		return ""
	}
	st := h.c.styles
	var b strings.Builder
	if h.alerts.mute.Active(now) {
		b.WriteString(st.Warn.Render("muted until " + h.alerts.mute.Until().Format("15:04")))
		b.WriteString("  ")
	}
	if h.alerts.cmdErr != "" {
		b.WriteString(st.Error.Render("⚠ notify command failed"))
		b.WriteString("  ")
	}
	return b.String()
}

func (h headerModel) freshness(now time.Time) string {
	st := h.c.styles
	if h.poll.lastSuccess.IsZero() {
		return st.Dim.Render("not updated yet")
	}
	age := now.Sub(h.poll.lastSuccess)
	text := "updated " + style.RelTime(now, h.poll.lastSuccess)
	c := h.ix.counts
	if c[api.StateProcessing]+c[api.StateUnknown]+c[api.StateNoAnswer]+c[watchlist.StatePending] == 0 {
		return st.Dim.Render("all final · " + text) // nothing is due, so age is no warning
	}
	switch {
	case age > 3*h.poll.effective():
		return st.Error.Render("⚠ " + text)
	case age > 2*h.poll.effective():
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
