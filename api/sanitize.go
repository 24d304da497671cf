package api

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds applied at the trust boundary (bytes, after Sanitize).
const (
	maxSnippet   = 200 // server text quoted inside an error
	maxIDText    = 128 // FaxJobId as answered
	maxFieldText = 512 // descriptions, WSError strings, other item text
)

// Sanitize makes network text safe to display on one line. Printable runes
// (unicode.IsPrint) pass through; everything else is shown, not dropped, so
// tampering stays visible: \t \n \r as such, other C0 controls and DEL as
// \xNN, invalid UTF-8 bytes as \xNN, every other non-printable rune (C1, bidi
// overrides, zero-width, line separators) as \u{XXXX}. The escapes are
// printable ASCII, so Sanitize(Sanitize(s)) == Sanitize(s). Clean strings are
// returned as they are, without allocating.
//
// The ends are escaped too where they would fuse with a neighbour into one
// grapheme cluster: a combining mark first (it joins the character before the
// text) or a prepended mark last (it joins the one after). Measured alone, such
// text is wider than it is on the line, and a table or border beside it tears.
func Sanitize(s string) string {
	i := printableASCIIPrefix(s)
	if i == len(s) {
		return s
	}
	if cleanFrom(s, i) && !fusesAtEdge(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeHexByte(&b, s[i])
		case unicode.IsPrint(r) && !fusesOutward(s, i, size):
			b.WriteString(s[i : i+size])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			writeHexByte(&b, byte(r))
		default:
			writeRuneEscape(&b, r)
		}
		i += size
	}
	return b.String()
}

// printableASCIIPrefix is the length of s's leading run of printable ASCII:
// text that is all of it needs no escaping.
func printableASCIIPrefix(s string) int {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	return i
}

// cleanFrom reports whether s[i:] is valid UTF-8 made of printable runes only.
func cleanFrom(s string, i int) bool {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !unicode.IsPrint(r) {
			return false
		}
		i += size
	}
	return true
}

func writeHexByte(b *strings.Builder, c byte) {
	const digits = "0123456789abcdef"
	b.WriteString(`\x`)
	b.WriteByte(digits[c>>4])
	b.WriteByte(digits[c&0xf])
}

// clip bounds s to max bytes on a rune boundary, marking the cut with "…".
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// clean is the trust-boundary treatment for one decoded string.
func clean(s string, max int) string { return clip(Sanitize(s), max) }
