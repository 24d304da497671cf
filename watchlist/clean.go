package watchlist

import (
	"strings"
	"unicode/utf8"

	"faxwatch/api"
)

// Bounds for strings read from the file or typed by the user.
const (
	maxTextBytes   = 1024 // descriptions, error messages
	maxShortBytes  = 128  // fax job IDs, activity IDs, CSIDs and the like
	maxReasonBytes = 256  // stale reasons
	maxByBytes     = 64   // a person's name: added_by, note_by
)

// cleanLine makes a string from the file (which anyone may edit) safe to
// keep and show, as network text is: api.Sanitize, then at most maxBytes
// bytes ("…" marks a cut).
func cleanLine(s string, maxBytes int) string {
	s = api.Sanitize(s)
	if len(s) <= maxBytes {
		return s
	}
	return cutTo(s, maxBytes)
}

// cutTo shortens s on a rune boundary so that s+"…" fits maxBytes.
func cutTo(s string, maxBytes int) string {
	const ellipsis = "…"
	limit := maxBytes - len(ellipsis)
	if limit <= 0 {
		return ""
	}
	for len(s) > limit {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s + ellipsis
}

// cleanNote makes a note one line (line breaks and tabs become spaces, as a
// paste into the input would want), sanitises it, and bounds it by runes: it
// is shown in a column.
func cleanNote(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	s = api.Sanitize(strings.TrimSpace(s))
	if utf8.RuneCountInString(s) <= NoteMaxRunes {
		return s
	}
	runes := []rune(s)
	return string(runes[:NoteMaxRunes-1]) + "…"
}

// firstLine returns the first line of s, cleaned and bounded.
func firstLine(s string, maxBytes int) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return cleanLine(strings.TrimSpace(s), maxBytes)
}

// validID reports whether id is a job ID in its normalised form.
func validID(id api.JobID) bool {
	norm, ok := api.ParseJobID(string(id))
	return ok && norm == id
}
