package api

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// StderrLineMax bounds the one line of a child program's standard error a
// message may quote. A password manager's (or a notify script's) error
// output can echo what it was asked for or what it found, so of it a
// message shows at most one short line, and only when nothing in it looks
// like a secret.
const StderrLineMax = 80

var (
	// secretLabel: a label word, then ":", "=" or " is " ("token: x",
	// "password is x", "client_secret=x"), or "Bearer x". The label is a
	// whole word or a compound's part (client_secret, X-Auth-Token), never
	// letters inside another word ("mapping:", "tokenizer:").
	secretLabel = regexp.MustCompile(`(?i)(?:\b|_)(?:pass|password|passwd|passphrase|pwd|pin|secret|token|key|apikey|credential|auth|bearer)s?(?:[_-][a-z0-9]+)*(?:\s*[:=]|\s+is\b)|\b(?:bearer|basic)\s+\S`)
	// tokenLike: a long run of token characters that mixes letters and digits
	// (an OAuth token, a JWT, a hex key).
	tokenLike = regexp.MustCompile(`[A-Za-z0-9+/=_.~-]{16,}`)
)

// ScrubStderrLine is the one rule for quoting a child program's standard
// error in a message. It returns the first non-blank line of stderr,
// sanitised and cut to StderrLineMax runes, or "" with withheld set when
// that line holds one of known (a configured secret, the program's own
// output; lines of at least 3 bytes), looks like a label and its secret, or
// holds a token-like word.
func ScrubStderrLine(stderr string, known []string) (line string, withheld bool) {
	for l := range strings.Lines(stderr) {
		if line = strings.TrimSpace(l); line != "" {
			break
		}
	}
	if line == "" {
		return "", false
	}
	for _, k := range known {
		for part := range strings.Lines(k) {
			if p := strings.TrimSpace(part); len(p) >= 3 && strings.Contains(line, p) {
				return "", true
			}
		}
	}
	if secretLabel.MatchString(line) {
		return "", true
	}
	for _, w := range tokenLike.FindAllString(line, -1) {
		if strings.ContainsAny(w, "0123456789") && strings.IndexFunc(w, isASCIILetter) >= 0 {
			return "", true
		}
	}
	line = Sanitize(line)
	if utf8.RuneCountInString(line) > StderrLineMax {
		line = string([]rune(line)[:StderrLineMax]) + "…"
	}
	return line, false
}

// StderrWithheld is what a message says in place of a withheld line.
const StderrWithheld = "(its error output is not shown: it may hold a secret)"

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
