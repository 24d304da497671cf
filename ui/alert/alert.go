package alert

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// Bounds on one alert.
const (
	// MaxJobs is how many jobs one alert carries; the rest are counted only.
	// A poll that fails 10,000 jobs must not hand a command megabytes.
	MaxJobs = 1000
	// listFirst is how many job IDs the one-line summary names.
	listFirst = 3
	// MaxSummaryRunes bounds the one-line summary (and so a notification).
	MaxSummaryRunes = 240
	// maxReasonRunes bounds the poll error quoted in a stale alert.
	maxReasonRunes = 120
)

// Job is one job that alerts: the watchlist's entry after the poll, and the
// state it left.
type Job struct {
	Entry watchlist.Entry
	From  api.State
}

// StaleNews says polling has failed for too long.
type StaleNews struct {
	Since  time.Time
	For    time.Duration
	Reason string // one sanitised line
}

// Alert is the news of one poll (or of several, coalesced while a command
// ran): one bell, one notification, one run of the command.
type Alert struct {
	At     time.Time
	Jobs   []Job        // at most MaxJobs, in answer order
	Counts map[Kind]int // every job, including those past MaxJobs
	Stale  *StaleNews   // nil unless polling has failed too long
}

// Empty reports whether there is nothing to tell.
func (a Alert) Empty() bool { return a.total() == 0 && a.Stale == nil }

func (a Alert) total() int {
	n := 0
	for _, c := range a.Counts {
		n += c
	}
	return n
}

// add records one job, keeping the list bounded.
func (a *Alert) add(j Job, k Kind) {
	if a.Counts == nil {
		a.Counts = map[Kind]int{}
	}
	a.Counts[k]++
	if len(a.Jobs) < MaxJobs {
		a.Jobs = append(a.Jobs, j)
	}
}

// Merge folds later news into a: the jobs of both (still bounded) and the
// latest stale news.
func (a Alert) Merge(b Alert) Alert {
	out := Alert{At: b.At, Jobs: make([]Job, 0, min(len(a.Jobs)+len(b.Jobs), MaxJobs)), Counts: map[Kind]int{}, Stale: a.Stale}
	for _, x := range []Alert{a, b} {
		for k, n := range x.Counts {
			out.Counts[k] += n
		}
		out.Jobs = append(out.Jobs, x.Jobs[:min(len(x.Jobs), MaxJobs-len(out.Jobs))]...)
	}
	if b.Stale != nil {
		out.Stale = b.Stale
	}
	return out
}

// Summary is the alert in one line for people: "40 jobs failed: br…1,
// br…2, br…3 and 37 more". It is sanitised, has no line break and is at
// most MaxSummaryRunes long.
func (a Alert) Summary() string {
	var parts []string
	total := a.total()
	for _, k := range Kinds {
		n := a.Counts[k]
		if n == 0 || k == Stale {
			continue
		}
		switch {
		case len(parts) > 0:
			parts = append(parts, itoa(n)+" "+string(k))
		case n == 1:
			parts = append(parts, "1 job "+string(k))
		default:
			parts = append(parts, itoa(n)+" jobs "+string(k))
		}
	}
	var b strings.Builder
	if total == 1 && len(a.Jobs) == 1 {
		b.WriteString(oneJob(a.Jobs[0]))
	} else if total > 0 {
		b.WriteString(strings.Join(parts, ", "))
		b.WriteString(": ")
		for i, j := range a.Jobs[:min(len(a.Jobs), listFirst)] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(string(j.Entry.ID))
		}
		if more := total - min(len(a.Jobs), listFirst); more > 0 {
			b.WriteString(" and " + itoa(more) + " more")
		}
	}
	if s := a.Stale; s != nil {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString("no answer from Concord for " + roundDuration(s.For))
		if s.Reason != "" {
			b.WriteString(": " + truncateRunes(s.Reason, maxReasonRunes))
		}
	}
	return oneLine(b.String(), MaxSummaryRunes)
}

// oneJob is "br0012345h00001x failed (4001 line busy)".
func oneJob(j Job) string {
	last := &j.Entry.Last
	s := string(j.Entry.ID) + " " + string(last.State)
	why := last.Description
	if last.Error.Code != 0 || last.Error.Message != "" {
		why = itoa(last.Error.Code) + " " + last.Error.Message
	}
	if why = strings.TrimSpace(why); why != "" {
		s += " (" + why + ")"
	}
	if j.Entry.Note != "" {
		s += " · " + j.Entry.Note
	}
	return s
}

// oneLine makes s safe for a terminal, one line and at most n runes: the
// watchlist's text is sanitised already, this holds whatever the caller
// passes.
func oneLine(s string, n int) string {
	s = api.Sanitize(s) // line breaks become the two characters \n
	return truncateRunes(s, n)
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// roundDuration is 45s, 5m, 1h30m: whole seconds, no "0s" tails.
func roundDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return d.String()
	}
	s := d.String()
	if d%time.Minute == 0 {
		s = strings.TrimSuffix(s, "0s")
		if d%time.Hour == 0 {
			s = strings.TrimSuffix(s, "0m")
		}
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
