package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
)

func itoa(n int) string { return strconv.Itoa(n) }

// clean makes any text fit for one line of the view: network text passes
// api.Sanitize again here (defence in depth), whatever the store promised.
func clean(s string) string {
	if s == "" {
		return ""
	}
	return api.Sanitize(s)
}

// fit truncates plain text to w display cells with "…" and pads it to w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// fitRight is fit with the text aligned right.
func fitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	return strings.Repeat(" ", max(0, w-sw)) + s
}

// truncate cuts styled or plain text to w cells without padding.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// relTime says how long ago t was, coarsely: "just now", "8s ago", "3m ago".
func relTime(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	switch {
	case d < time.Second:
		return "just now"
	case d < time.Minute:
		return itoa(int(d/time.Second)) + "s ago"
	case d < time.Hour:
		return itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return itoa(int(d/time.Hour)) + "h ago"
	default:
		return itoa(int(d/(24*time.Hour))) + "d ago"
	}
}

// shortDuration renders an interval compactly: "20s", "1m30s", "5m".
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return itoa(int(d/time.Second)) + "s"
	}
	m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
	if s == 0 {
		return itoa(m) + "m"
	}
	return itoa(m) + "m" + itoa(s) + "s"
}

// oneLine reduces an error to one sanitised line.
func oneLine(err error) string {
	if err == nil {
		return ""
	}
	return clean(err.Error())
}

// stamp is an absolute time for the detail pane.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02 15:04:05")
}

// padLine pads or cuts a styled line to exactly w cells.
func padLine(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}
