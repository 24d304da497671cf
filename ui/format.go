package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
	"faxwatch/ui/style"
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

// fit cuts styled or plain text to w display cells with "…" and pads it to w.
func fit(s string, w int) string {
	s = truncate(s, w)
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// fitRight is fit with the text aligned right.
func fitRight(s string, w int) string {
	s = truncate(s, w)
	return strings.Repeat(" ", max(0, w-ansi.StringWidth(s))) + s
}

// DidTo says what an edit did to jobs: "removed br…" for one, "removed 3
// jobs" for more; the dashboard's toasts and the shared list's events alike.
func DidTo(verb string, ids []api.JobID) string {
	if len(ids) == 1 {
		return verb + " " + string(ids[0])
	}
	return verb + " " + itoa(len(ids)) + " jobs"
}

// truncate cuts styled or plain text to w cells without padding.
func truncate(s string, w int) string { return style.Truncate(s, w) }

// shortDuration renders an interval compactly: "20s", "1m30s", "5m",
// "2h", "1h59m" (seconds stop mattering past an hour).
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return itoa(int(d/time.Second)) + "s"
	}
	if d >= time.Hour {
		d = d.Round(time.Minute)
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return itoa(h) + "h"
		}
		return itoa(h) + "h" + itoa(m) + "m"
	}
	m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
	if s == 0 {
		return itoa(m) + "m"
	}
	return itoa(m) + "m" + itoa(s) + "s"
}

// elapsed renders a measured duration readably at every scale: "0.4 ms",
// "12 ms", "1.3 s", "2m05s". Round(time.Millisecond) alone turns a fast
// round trip into "0s".
func elapsed(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < 100*time.Microsecond:
		return "< 0.1 ms"
	case d < 10*time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + " ms"
	case d < time.Second:
		return itoa(int(d.Round(time.Millisecond)/time.Millisecond)) + " ms"
	case d < 10*time.Second:
		return strconv.FormatFloat(float64(d)/float64(time.Second), 'f', 1, 64) + " s"
	case d < time.Minute:
		return itoa(int(d.Round(time.Second)/time.Second)) + " s"
	}
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	if h > 0 {
		return itoa(h) + "h" + pad2(m) + "m" + pad2(s) + "s"
	}
	return itoa(m) + "m" + pad2(s) + "s"
}

func pad2(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
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
