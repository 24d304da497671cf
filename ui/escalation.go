package ui

import (
	"strings"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// escalation is what Concord's support asks for about a job, as plain text
// for a ticket (Y): every value sanitised, no styles.
func escalation(e *watchlist.Entry) string {
	last, call := e.Last, e.Last.Call
	state := stateOf(e)
	status := "—"
	if state != watchlist.StatePending && state != api.StateNoAnswer {
		status = itoa(last.StatusID)
		if last.Description != "" {
			status += " " + clean(last.Description)
		}
	}
	callTime := "—"
	if !call.Call.At.IsZero() {
		callTime = call.Call.At.UTC().Format("2006-01-02 15:04:05 UTC") + attemptText(call.Call)
	}
	fields := [][2]string{
		{"job ID", clean(string(e.ID))},
		{"FaxJobId", orDash(clean(last.FaxJobID))},
		{"state", stateWord(state, last.StatusID)},
		{"status", status},
		{"error", errText(last.Error)},
		{"request ID", orDash(clean(call.Call.RequestID))},
		{"activity ID", orDash(clean(call.Call.ActivityID))},
		{"server time", serverTime(call.Call.ExecutionMS)},
		{"call time", callTime},
	}
	if call.Call.At.IsZero() {
		fields[7][1] = "—" // no call yet: no server time either
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f[0] + ": " + f[1] + "\n")
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
