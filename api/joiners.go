package api

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"
)

// SanitizeEditable is Sanitize for the text of a one-line editor that moves
// and measures rune by rune (bubbles' textinput): a rune that joins is also
// shown escaped, as \u{XXXX}, so every rune is a cluster of its own and the
// line keeps its width wherever the cursor splits it. Nothing is composed
// or normalised: the text stays exactly what was typed.
func SanitizeEditable(s string) string {
	first := strings.IndexFunc(s[printableASCIIPrefix(s):], joins)
	if first < 0 {
		return Sanitize(s) // clean text comes back as it is, unallocated
	}
	first += printableASCIIPrefix(s)
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:first])
	for _, r := range s[first:] {
		if joins(r) {
			writeRuneEscape(&b, r)
		} else {
			b.WriteRune(r)
		}
	}
	return Sanitize(b.String())
}

// UnescapeEditable gives back the runes SanitizeEditable showed as \u{XXXX},
// so what an editor holds means what was typed or pasted: a note keeps its
// marks, and the ID parser still sees a hidden U+200B and names it, instead
// of reading "br0038226h\u{200B}00001i" as the shorter ID before the "\".
// Only runes that SanitizeEditable escapes come back, and never a control
// character: "\u{001B}" typed as text stays text.
func UnescapeEditable(s string) string {
	if !strings.Contains(s, `\u{`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.Index(s, `\u{`)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexByte(s, '}')
		if r, ok := escapedRune(s, end); ok && (joins(r) || !unicode.IsPrint(r)) && !unicode.IsControl(r) {
			b.WriteRune(r)
			s = s[end+1:]
			continue
		}
		b.WriteString(s[:3])
		s = s[3:]
	}
}

// joins reports whether r can share a grapheme cluster with a rune beside it:
// a combining or spacing mark, a joiner, a prepended mark, half of a flag, a
// conjoining jamo. An editor that moves by rune (bubbles' textinput) splits
// such clusters across its cursor, and the line's width goes wrong.
func joins(r rune) bool {
	if !mayJoin(r) {
		return false
	}
	s := string(r)
	return oneCluster(s, s)
}

// escapedRune reads the rune in s[:end+1] = \u{XXXX}: four to six hex digits
// naming a valid rune.
func escapedRune(s string, end int) (rune, bool) {
	if end < 3+4 || end > 3+6 {
		return 0, false
	}
	n, err := strconv.ParseUint(s[3:end], 16, 32)
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// writeRuneEscape writes r as \u{XXXX}, at least four hex digits.
func writeRuneEscape(b *strings.Builder, r rune) {
	b.WriteString(`\u{`)
	hex := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	for n := len(hex); n < 4; n++ {
		b.WriteByte('0')
	}
	b.WriteString(hex)
	b.WriteByte('}')
}

// fusesOutward reports whether the rune s[i:i+size], if it is first or last
// in s, would join the plain character beyond that end into one grapheme
// cluster: a combining mark first, a prepended mark last.
func fusesOutward(s string, i, size int) bool {
	if i != 0 && i+size != len(s) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s[i:]); !mayJoin(r) {
		return false
	}
	return (i == 0 && oneCluster("x", s[:size])) || (i+size == len(s) && oneCluster(s[i:], "x"))
}

// oneCluster reports whether after's first rune continues the grapheme
// cluster that before ends, as the terminal renderer segments text (UAX #29).
func oneCluster(before, after string) bool {
	return len(graphemes.FromString(before+after).First()) != len(before)
}

// fusesAtEdge reports whether s's first rune would join the character before
// it, or its last rune the character after it.
func fusesAtEdge(s string) bool {
	_, first := utf8.DecodeRuneInString(s)
	_, last := utf8.DecodeLastRuneInString(s)
	return fusesOutward(s, 0, first) || fusesOutward(s, len(s)-last, last)
}

// mayJoin is the cheap test that spares the segmenter (and its allocation)
// for all runes but marks and the few below.
func mayJoin(r rune) bool {
	return r >= 0x300 && unicode.In(r, unicode.M, joiningNonMarks)
}

// joiningNonMarks are the printable runes outside category M that UAX #29
// lets share a cluster: spacing vowels, halfwidth sound marks, prepended
// marks, conjoining jamo, regional indicators (flag halves) and emoji skin
// tones. TestJoinersPrefilter checks the list against the segmenter.
var joiningNonMarks = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x0d4e, Hi: 0x0d4e, Stride: 1},
		{Lo: 0x0e33, Hi: 0x0eb3, Stride: 0x80},
		{Lo: 0x1100, Hi: 0x11ff, Stride: 1},
		{Lo: 0xa960, Hi: 0xa97c, Stride: 1},
		{Lo: 0xd7b0, Hi: 0xd7c6, Stride: 1},
		{Lo: 0xd7cb, Hi: 0xd7fb, Stride: 1},
		{Lo: 0xff9e, Hi: 0xff9f, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x111c2, Hi: 0x111c3, Stride: 1},
		{Lo: 0x1193f, Hi: 0x11941, Stride: 2},
		{Lo: 0x11a84, Hi: 0x11a89, Stride: 1},
		{Lo: 0x11d46, Hi: 0x11d46, Stride: 1},
		{Lo: 0x11f02, Hi: 0x11f02, Stride: 1},
		{Lo: 0x1f1e6, Hi: 0x1f1ff, Stride: 1},
		{Lo: 0x1f3fb, Hi: 0x1f3ff, Stride: 1},
	},
}
