package api

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Job-ID rules, as the service issues them: "br", a digit, then ASCII
// letters and digits, 8..64 characters, stored lower-case; or "JRI-" + a
// ReferenceId of 1..64 letters, digits, '-', '_', '.', the prefix written
// "JRI-", the reference kept as typed.
const (
	brMinLen  = 8
	brMaxLen  = 64
	refMaxLen = 64
	jriPrefix = "JRI-"
)

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isRefChar(c byte) bool { return isAlnum(c) || c == '-' || c == '_' || c == '.' }

// startsBr reports whether s starts with "br" and a digit, in any case.
func startsBr(s string) bool {
	return len(s) >= 3 && (s[0] == 'b' || s[0] == 'B') && (s[1] == 'r' || s[1] == 'R') && isDigit(s[2])
}

func startsJRI(s string) bool { return len(s) >= 4 && strings.EqualFold(s[:4], jriPrefix) }

// ParseJobID parses exactly one ID (surrounding spaces allowed).
func ParseJobID(s string) (JobID, bool) {
	s = strings.TrimSpace(s)
	switch {
	case startsBr(s):
		if len(s) < brMinLen || len(s) > brMaxLen {
			return "", false
		}
		for i := 3; i < len(s); i++ {
			if !isAlnum(s[i]) {
				return "", false
			}
		}
		return JobID(strings.ToLower(s)), true
	case startsJRI(s):
		ref := s[4:]
		if len(ref) == 0 || len(ref) > refMaxLen {
			return "", false
		}
		for i := 0; i < len(ref); i++ {
			if !isRefChar(ref[i]) {
				return "", false
			}
		}
		return JobID(jriPrefix + ref), true
	}
	return "", false
}

// Rejected is a token that starts like a job ID but is not one.
type Rejected struct {
	Token  string // sanitised and bounded, fit to print
	Reason string // why, when more than its shape: "contains U+200B"
}

// String is the token and its reason, for a list of what was skipped.
func (r Rejected) String() string {
	if r.Reason == "" {
		return r.Token
	}
	return r.Token + " (" + r.Reason + ")"
}

// maxTokenText bounds a rejected token as shown: enough to recognise it.
const maxTokenText = 80

// RejectedArg is a whole argument that holds nothing like a job ID, as a
// rejected token: sanitised and bounded as ParseJobIDs bounds its own.
func RejectedArg(arg string) Rejected { return Rejected{Token: clean(arg, maxTokenText)} }

// ParseJobIDs finds every job ID in free text (a ticket, an e-mail, a CSV
// line): normalised, de-duplicated, in first-seen order. rejected lists the
// tokens that start like an ID (br + digit, or JRI-) but are not valid ones,
// sanitised and bounded; prose such as "brown" is simply ignored. A token
// starts only after a character that is not an ASCII letter or digit, and
// trailing sentence dots are not part of it. A hidden format character
// (U+200B) or a letter or digit of another script glued to a token makes
// the whole word a rejected token, never a shorter ID.
func ParseJobIDs(text string) (ids []JobID, rejected []Rejected) {
	seen := make(map[JobID]struct{})
	seenBad := make(map[string]struct{})
	reject := func(tok, reason string) {
		tok = clean(tok, maxTokenText)
		if _, dup := seenBad[tok]; !dup {
			seenBad[tok] = struct{}{}
			rejected = append(rejected, Rejected{Token: tok, Reason: reason})
		}
	}
	for i := 0; i < len(text); {
		if i > 0 && isAlnum(text[i-1]) {
			i++
			continue
		}
		rest := text[i:]
		var tok string
		switch {
		case startsJRI(rest):
			end := 4
			for end < len(rest) && isRefChar(rest[end]) {
				end++
			}
			tok = rest[:end]
		case startsBr(rest):
			end := 3
			for end < len(rest) && isAlnum(rest[end]) {
				end++
			}
			// "br…_old" or "br….pdf" continue past the ID: the whole token is suspect.
			if end < len(rest) && isRefChar(rest[end]) && !(rest[end] == '.' && (end+1 == len(rest) || !isRefChar(rest[end+1]))) {
				for end < len(rest) && isRefChar(rest[end]) {
					end++
				}
			}
			tok = rest[:end]
		default:
			i++
			continue
		}
		if from, to, r, found := gluedWord(text, i, i+len(tok)); found {
			reject(text[from:to], fmt.Sprintf("contains U+%04X", r))
			i = to
			continue
		}
		i += len(tok)
		tok = strings.TrimRight(tok, ".")
		id, ok := ParseJobID(tok)
		if !ok {
			reject(tok, "")
			continue
		}
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			ids = append(ids, id)
		}
	}
	return ids, rejected
}

// glued reports a rune that no ID holds but that reads as part of the word
// next to one: a format character (zero-width space, joiner, BOM, bidi
// mark) or a letter, digit or mark outside ASCII (a Cyrillic а, a
// full-width digit).
func glued(r rune) bool {
	if r < utf8.RuneSelf {
		return false
	}
	return unicode.Is(unicode.Cf, r) || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// gluedWord widens the token text[start:end] over the word it sits in when
// a glued rune touches it, and returns the word's bounds and its first
// glued rune.
func gluedWord(text string, start, end int) (from, to int, first rune, found bool) {
	inWord := func(r rune) bool { return r < utf8.RuneSelf && isAlnum(byte(r)) || glued(r) }
	from, to = start, end
	for from > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:from])
		if !inWord(r) {
			break
		}
		from -= size
	}
	for to < len(text) {
		r, size := utf8.DecodeRuneInString(text[to:])
		if !inWord(r) {
			break
		}
		to += size
	}
	for _, r := range text[from:to] {
		if glued(r) {
			return from, to, r, true
		}
	}
	return start, end, 0, false
}
