package config

import (
	"regexp"
	"strings"

	"faxwatch/api"
)

// A password manager's error output can echo what it was asked for or what
// it found. Of it, a message shows at most one short line, and only when
// nothing in it looks like a secret.
const stderrLineMax = 80

var (
	// secretLabel: "token: x", "password=x", "Bearer x", "PIN 1234".
	secretLabel = regexp.MustCompile(`(?i)(token|secret|passw|passphrase|pin|api[-_ ]?key|bearer|credential|auth)[a-z_-]*\s*[:=]|\b(bearer|basic)\s+\S`)
	// tokenLike: a long run of token characters that mixes letters and digits
	// (an OAuth token, a JWT, a hex key).
	tokenLike = regexp.MustCompile(`[A-Za-z0-9+/=_.~-]{16,}`)
)

// scrubStderrLine returns the first non-blank line of stderr, sanitised and
// shortened, or "" with withheld set when that line holds one of known (a
// configured secret, the command's own output), looks like a label and its
// secret, or holds a token-like word.
func scrubStderrLine(stderr string, known []string) (line string, withheld bool) {
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
	return truncateRunes(api.Sanitize(line), stderrLineMax), false
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
