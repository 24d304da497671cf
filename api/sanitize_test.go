package api

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"Zürich ✓ 東京", "Zürich ✓ 東京"},
		{"\x1b[2Jclear", `\x1b[2Jclear`},
		{"\x1b]52;c;aGk=\x07", `\x1b]52;c;aGk=\x07`},
		{"line1\nline2\r\tx", `line1\nline2\r\tx`},
		{"del\x7f nul\x00", `del\x7f nul\x00`},
		{"c1 \u009b31m", `c1 \u{009B}31m`},
		{"bidi \u202eevil\u2066", `bidi \u{202E}evil\u{2066}`},
		{"zw\u200bsp\u2028", `zw\u{200B}sp\u{2028}`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		{"nbsp\u00a0", `nbsp\u{00A0}`},
		{"tag \U000E0041", `tag \u{E0041}`},
		{"\u302e", `\u{302E}`},
		{"\u0301e\u0301", "\\u{0301}e\u0301"},
		{"\U0001F3FBok", `\u{1F3FB}ok`},
		{"ok\u0d4e", `ok\u{0D4E}`},
		{"\u0d4e\u0d4e", "\u0d4e\\u{0D4E}"},
		{"caf\u00e9 cafe\u0301", "caf\u00e9 cafe\u0301"},
	}
	for _, tc := range cases {
		got := Sanitize(tc.in)
		if got != tc.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if Sanitize(got) != got {
			t.Errorf("not idempotent on %q", tc.in)
		}
	}
}

func TestSanitizeCleanNoAlloc(t *testing.T) {
	for _, s := range []string{"br0012345h00001x sent", "Zürich ✓"} {
		if n := testing.AllocsPerRun(100, func() { _ = Sanitize(s) }); n != 0 {
			t.Fatalf("%q: %v allocs", s, n)
		}
	}
}

func TestClip(t *testing.T) {
	if got := clip("abcdef", 10); got != "abcdef" {
		t.Fatal(got)
	}
	got := clip(strings.Repeat("é", 10), 8)
	if !utf8.ValidString(got) || len(got) > 8 || !strings.HasSuffix(got, "…") {
		t.Fatalf("%q", got)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "ok", "\u0301x", "x\u0d4e", "\x1b[31mred", "\xff", "\u202e", `\x1b`, `\u{202E}`, "a\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		for _, r := range out {
			if !unicode.IsPrint(r) {
				t.Fatalf("non-printable %U in %q", r, out)
			}
		}
		if again := Sanitize(out); again != out {
			t.Fatalf("not idempotent: %q -> %q", out, again)
		}
		if out != "" && fusesAtEdge(out) {
			t.Fatalf("%q joins its neighbours", out)
		}
		if cleanFrom(s, 0) && !fusesAtEdge(s) && out != s {
			t.Fatalf("clean input changed: %q", s)
		}
	})
}
