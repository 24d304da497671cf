package api

import "strings"

// Job-ID rules (concord-api.md): "br", a digit, then ASCII letters and digits,
// 8..64 characters, stored lower-case; or "JRI-" + a ReferenceId of 1..64
// letters, digits, '-', '_', '.', the prefix written "JRI-", the reference
// kept as typed.
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

// ParseJobIDs finds every job ID in free text (a ticket, an e-mail, a CSV
// line): normalised, de-duplicated, in first-seen order. rejected lists the
// tokens that start like an ID (br + digit, or JRI-) but are not valid ones,
// sanitised and bounded; prose such as "brown" is simply ignored. A token
// starts only after a character that is not an ASCII letter or digit, and
// trailing sentence dots are not part of it.
func ParseJobIDs(text string) (ids []JobID, rejected []string) {
	seen := make(map[JobID]struct{})
	seenBad := make(map[string]struct{})
	reject := func(tok string) {
		tok = clean(tok, 80)
		if _, dup := seenBad[tok]; !dup {
			seenBad[tok] = struct{}{}
			rejected = append(rejected, tok)
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
			tok = strings.TrimRight(rest[:end], ".")
			i += end
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
			tok = strings.TrimRight(rest[:end], ".")
			i += end
		default:
			i++
			continue
		}
		id, ok := ParseJobID(tok)
		if !ok {
			reject(tok)
			continue
		}
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			ids = append(ids, id)
		}
	}
	return ids, rejected
}
