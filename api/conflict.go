package api

import (
	"strconv"
	"strings"
)

// When one answer holds two items for the same job that disagree, the more
// final one is taken, so a job is never held back from final by a stale
// duplicate, and among final states the one that needs a person: failed,
// then invalid, then succeeded. Processing beats an undocumented status.
// A usable item always beats an unusable one. On a tie the item whose
// FaxJobId is exactly what was asked wins, then the first in the answer.

// outcomeRank orders items by how final and how alarming they are.
func outcomeRank(it *WireItem) int {
	if it.Problem != "" {
		return 0
	}
	switch StateOf(it.StatusID, it.Error.Code) {
	case StateFailed:
		return 5
	case StateInvalid:
		return 4
	case StateSucceeded:
		return 3
	case StateProcessing:
		return 2
	}
	return 1
}

// moreFinal reports whether a should be taken over b for the job asked as
// asked (see above).
func moreFinal(a, b *WireItem, asked JobID) bool {
	if ra, rb := outcomeRank(a), outcomeRank(b); ra != rb {
		return ra > rb
	}
	return a.FaxJobID == string(asked) && b.FaxJobID != string(asked)
}

// sameOutcome reports whether two items for one job say the same thing:
// same status, same error code, both usable or both not.
func sameOutcome(a, b *WireItem) bool {
	return a.StatusID == b.StatusID && a.Error.Code == b.Error.Code && (a.Problem == "") == (b.Problem == "")
}

// maxConflictItems bounds how many disagreeing items the text names.
const maxConflictItems = 3

// conflictText says, in one line, that the answer held items for this job
// that disagreed and which was taken: "2 items in the answer disagreed:
// failed (shown), processing". "" when none disagreed.
func conflictText(items []WireItem, m itemMatch) string {
	if len(m.disagreed) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(m.disagreed) + 1))
	b.WriteString(" items in the answer disagreed: ")
	b.WriteString(outcomeWord(&items[m.item]))
	b.WriteString(" (shown)")
	for n, j := range m.disagreed {
		if n == maxConflictItems {
			b.WriteString(", …")
			break
		}
		b.WriteString(", ")
		b.WriteString(outcomeWord(&items[j]))
	}
	return b.String()
}

// outcomeWord names an item's outcome in our own words: no server text.
func outcomeWord(it *WireItem) string {
	if it.Problem != "" {
		return "unusable"
	}
	st := StateOf(it.StatusID, it.Error.Code)
	w := string(st)
	if st == StateUnknown {
		w += " (" + strconv.Itoa(it.StatusID) + ")"
	}
	if it.Error.Code != 0 && st != StateInvalid {
		w += " error " + strconv.Itoa(it.Error.Code)
	}
	return w
}
