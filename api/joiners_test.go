package api

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"
)

// TestJoinersPrefilter checks mayJoin, joins and fusesOutward against the
// segmenter for every printable rune: a rune the prefilter skips must not
// share a cluster with anything.
func TestJoinersPrefilter(t *testing.T) {
	joining := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsPrint(r) {
			continue
		}
		s := string(r)
		self := len(graphemes.FromString(s+s).First()) != len(s)
		prev := len(graphemes.FromString("x"+s).First()) != 1
		next := len(graphemes.FromString(s+"x").First()) != len(s)
		if (self || prev || next) && !mayJoin(r) {
			t.Errorf("%U joins a neighbour but mayJoin skips it", r)
		}
		if (prev || next) && !self {
			t.Errorf("%U joins plain text but not itself: joins would keep it", r)
		}
		// As the last rune of "a"+s it may only join what follows; as the
		// first of s+"a", only what comes before.
		asLast, asFirst := fusesOutward("a"+s, 1, len(s)), fusesOutward(s+"a", 0, len(s))
		if self != joins(r) || prev != asFirst || next != asLast {
			t.Errorf("%U: joins %v, fuses first %v, fuses last %v; the segmenter says %v, %v, %v",
				r, joins(r), asFirst, asLast, self, prev, next)
		}
		if self {
			joining++
		}
	}
	if joining < 2000 {
		t.Fatalf("only %d joining runes: the check is not looking at marks", joining)
	}
}

func TestUnescapeEditable(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{`a\u{0E34}b`, "a\u0e34b"},
		{`\u{1F3FB}\u{200B}`, "\U0001F3FB\u200b"},
		{`\u{zz} \u{12} \u{1100000} \u{D800} \u{0E34`, `\u{zz} \u{12} \u{1100000} \u{D800} \u{0E34`},
		{`controls stay text: \u{001B}[2J \u{0000} \u{000A} \u{0085}`, `controls stay text: \u{001B}[2J \u{0000} \u{000A} \u{0085}`},
		{`printable runes stay text: \u{0041} \u{00E9}`, `printable runes stay text: \u{0041} \u{00E9}`},
		{`\\u{0E34}`, "\\\u0e34"},
	}
	for _, c := range cases {
		if got := UnescapeEditable(c.in); got != c.want {
			t.Errorf("UnescapeEditable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzSanitizeEditable: the line holds only printable runes that are
// clusters of their own, and gives back exactly the text it was given (text
// without controls or backslashes, which it never escapes back).
func FuzzSanitizeEditable(f *testing.F) {
	for _, s := range []string{"", "ok", "cafe\u0301", "\u0e01\u0e34", "\u2764\ufe0f", "\U0001F1E6\U0001F1E7", "a\u202eb", "\u1100\u1161"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		shown := SanitizeEditable(s)
		for _, r := range shown {
			if !unicode.IsPrint(r) || joins(r) {
				t.Fatalf("%q shows %U", s, r)
			}
		}
		if !utf8.ValidString(s) || strings.ContainsAny(s, `\`) || strings.ContainsFunc(s, unicode.IsControl) {
			return
		}
		if back := UnescapeEditable(shown); back != s {
			t.Fatalf("%q shown as %q gives back %q", s, shown, back)
		}
	})
}
