package ui

import (
	"slices"
	"strings"
)

// The `/` filter: words separated by spaces, all of which must match (AND).
// A plain word matches anywhere on the row as shown: ID, state, description,
// error, note, and "stale" for stale rows. field:word matches one column,
// in gh-dash's manner (state:failed, note:acme, error:4001, id:, desc:,
// is:stale); a leading '-' negates (-state:succeeded). Case is ignored.

// Fields of a row's filter key, in the order appendSearchKey lays them out.
const (
	fieldID = iota
	fieldState
	fieldDesc
	fieldError
	fieldNote
	fieldIs  // "stale" when the row is
	fieldAny = -1
)

var filterFields = map[string]int{
	"id": fieldID, "job": fieldID, "state": fieldState, "desc": fieldDesc, "description": fieldDesc,
	"error": fieldError, "err": fieldError, "note": fieldNote, "is": fieldIs,
}

// filterTerm is one word of the filter.
type filterTerm struct {
	field int
	neg   bool
	text  string
}

// parseFilter reads a lower-cased filter. A word with an unknown field
// ("failed:" in a pasted description, say) is plain text.
func parseFilter(q string) []filterTerm {
	words := strings.Fields(q)
	terms := make([]filterTerm, 0, len(words))
	for _, w := range words {
		t := filterTerm{field: fieldAny, text: w}
		if len(w) > 1 && w[0] == '-' {
			t.neg, t.text = true, w[1:]
		}
		if name, value, ok := strings.Cut(t.text, ":"); ok {
			if f, known := filterFields[name]; known {
				t.field, t.text = f, value
			}
		}
		if t.text == "" { // "state:" while typing matches everything
			continue
		}
		terms = append(terms, t)
	}
	return terms
}

// plainWord reports whether q is one plain word: typing more of it can only
// narrow the rows, so the next filter may search within the current ones.
func plainWord(q string) bool {
	return q != "" && !strings.ContainsAny(q, " \t:") && q[0] != '-'
}

// matches reports whether a row's filter key satisfies every term.
func matches(key string, terms []filterTerm) bool {
	for _, t := range terms {
		hay := key
		if t.field != fieldAny {
			hay = keyField(key, t.field)
		}
		if strings.Contains(hay, t.text) == t.neg {
			return false
		}
	}
	return true
}

// keyField is field n of a filter key (fields are newline-separated; no
// field holds a newline: every text passed clean()).
func keyField(key string, n int) string {
	for range n {
		i := strings.IndexByte(key, '\n')
		if i < 0 {
			return ""
		}
		key = key[i+1:]
	}
	if i := strings.IndexByte(key, '\n'); i >= 0 {
		return key[:i]
	}
	return key
}

// filterHelp is the filter's syntax for the help overlay, from the fields
// the filter knows.
func filterHelp() []string {
	names := make([]string, 0, len(filterFields))
	for name := range filterFields {
		if name != "job" && name != "err" && name != "description" { // aliases
			names = append(names, name+":")
		}
	}
	slices.Sort(names)
	return []string{
		"words match ID, state, description, error, note, \"stale\"; all must match",
		"one column: " + strings.Join(names, " ") + " (state:failed, is:stale)",
		"-word negates: -state:succeeded",
	}
}
