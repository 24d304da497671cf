package ui

import (
	"strings"
	"testing"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/watchlist"
)

// TestInputEditing: what the line shows and the value it hands on. A rune
// that would share a grapheme cluster is shown escaped (textinput would split
// it at the cursor), while the value is the text as typed or pasted.
func TestInputEditing(t *testing.T) {
	altB := tea.KeyPressMsg{Code: 'b', Mod: tea.ModAlt}
	ctrlW := tea.KeyPressMsg{Code: 'w', Mod: tea.ModCtrl}
	left := tea.KeyPressMsg{Code: tea.KeyLeft}
	cases := []struct {
		name  string
		msgs  []tea.Msg
		want  string
		shown string // when the line shows other than want
	}{
		{"typing", []tea.Msg{runes("ab c")}, "ab c", ""},
		{"word back then type", []tea.Msg{runes("aa bb"), altB, runes("X")}, "aa Xbb", ""},
		{"delete word", []tea.Msg{runes("aa bb"), ctrlW}, "aa ", ""},
		{"left then type", []tea.Msg{runes("ac"), left, runes("b")}, "abc", ""},
		{"paste: newlines become spaces, escapes vanish", []tea.Msg{tea.PasteMsg{Content: "a\nb\t\x1b[31mc\x1b[0m"}}, "a b c", ""},
		{"ctrl+v does not read a clipboard", []tea.Msg{tea.KeyPressMsg{Code: 'v', Mod: tea.ModCtrl}}, "", ""},
		{"a decomposed accent is kept as typed", []tea.Msg{tea.PasteMsg{Content: "cafe\u0301"}}, "cafe\u0301", `cafe\u{0301}`},
		{"an accent typed after its letter", []tea.Msg{runes("cafe"), runes("\u0301"), runes("s")}, "cafe\u0301s", `cafe\u{0301}s`},
		{"marks that cannot compose", []tea.Msg{tea.PasteMsg{Content: "\u0e01\u0e34 \u2764\ufe0f"}}, "\u0e01\u0e34 \u2764\ufe0f", "\u0e01\\u{0E34} \u2764\\u{FE0F}"},
		{"a bidi override", []tea.Msg{tea.PasteMsg{Content: "a\u202eb"}}, "a\u202eb", `a\u{202E}b`},
		{"the cursor stays after the escaped rune", []tea.Msg{runes("ab"), left, tea.PasteMsg{Content: "\u0e34"}, runes("X")}, "a\u0e34Xb", `a\u{0E34}Xb`},
		{"an escape typed as text is taken as the rune", []tea.Msg{runes(`x\u{0E34} \u{zz} \u{110000}`)}, "x\u0e34 \\u{zz} \\u{110000}", `x\u{0E34} \u{zz} \u{110000}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.key("a")
			h.drive(c.msgs...)
			if got := h.m.input.Value(); got != c.want {
				t.Errorf("value = %q, want %q", got, c.want)
			}
			shown := c.want
			if c.shown != "" {
				shown = c.shown
			}
			if got := h.m.input.ti.Value(); got != shown {
				t.Errorf("the line shows %q, want %q", got, shown)
			}
		})
	}
}

// typed is text to type key by key in a table of messages.
type typed string

func runes(s string) tea.Msg { return typed(s) }

// drive sends msgs in order, typing each typed text key by key.
func (h *harness) drive(msgs ...tea.Msg) {
	h.t.Helper()
	for _, msg := range msgs {
		if r, ok := msg.(typed); ok {
			h.typeText(string(r))
			continue
		}
		h.send(msg)
	}
}

// A note keeps the marks the line showed escaped.
func TestNoteKeepsItsMarks(t *testing.T) {
	h := fixture(t, "dark")
	h.key("j", "n", "ctrl+u")
	h.send(tea.PasteMsg{Content: "\u0e01\u0e34 cafe\u0301 ok"})
	h.key("enter")
	if e, _ := h.store.Entry(jobIDs(2)[1]); e.Note != "\u0e01\u0e34 cafe\u0301 ok" {
		t.Errorf("saved note = %q", e.Note)
	}
	for i, l := range strings.Split(ansi.Strip(h.m.View().Content), "\n") {
		if w := ansi.StringWidth(l); w != 120 {
			t.Errorf("line %d is %d cells: %q", i, w, l)
		}
	}
}

// The note's limit counts the text as typed, not the escapes the line shows
// it with: a note of marks survives being opened and saved, and a paste is
// cut to the limit in runes typed.
func TestNoteLimitCountsTheTextAsTyped(t *testing.T) {
	h := fixture(t, "dark")
	id := jobIDs(2)[1]
	full := strings.Repeat("\u0e01\u0e34", watchlist.NoteMaxRunes/2)
	if err := h.store.SetNote(id, full); err != nil {
		t.Fatal(err)
	}
	h.key("j", "n", "enter")
	if e, _ := h.store.Entry(id); e.Note != full {
		t.Fatalf("opened and saved unchanged, the note became %q (%d runes)", e.Note, utf8.RuneCountInString(e.Note))
	}
	h.key("n")
	h.typeText("x")
	h.key("enter")
	if e, _ := h.store.Entry(id); e.Note != full {
		t.Errorf("a key past the limit changed the note to %q", e.Note)
	}
	h.key("n", "ctrl+u")
	h.send(tea.PasteMsg{Content: "ab" + full})
	h.key("enter")
	if e, _ := h.store.Entry(id); e.Note != "ab"+full[:len(full)-len("\u0e01\u0e34")] {
		t.Errorf("a paste past the limit saved %q (%d runes)", e.Note, utf8.RuneCountInString(e.Note))
	}
}

func TestNoteIsBoundedWhileTyping(t *testing.T) {
	h := fixture(t, "dark")
	h.key("j", "n")
	h.key("ctrl+u")
	h.send(tea.PasteMsg{Content: strings.Repeat("é", 2*watchlist.NoteMaxRunes)})
	if n := utf8.RuneCountInString(h.m.input.Value()); n != watchlist.NoteMaxRunes {
		t.Fatalf("note input holds %d runes, want the limit %d", n, watchlist.NoteMaxRunes)
	}
	h.key("enter")
	if e, _ := h.store.Entry(jobIDs(2)[1]); e.Note != strings.Repeat("é", watchlist.NoteMaxRunes) {
		t.Errorf("saved note = %q (%d runes)", e.Note, utf8.RuneCountInString(e.Note))
	}
}

func TestInputLineFillsTheWidth(t *testing.T) {
	for _, w := range []int{20, 80, 200} {
		h := newHarness(t, Options{})
		h.send(teaSize(w, 24))
		h.key("a")
		for _, text := range []string{"", "br0012345h00001x", strings.Repeat("br0012345h00001x ", 20), "\u0301\u302e\U0001F1E6\u0d4e"} {
			h.send(tea.PasteMsg{Content: text})
			lines := strings.Split(h.m.View().Content, "\n")
			line := lines[len(lines)-2]
			if got := ansi.StringWidth(line); got != w {
				t.Errorf("width %d, value %d runes: input line is %d cells: %q", w, len(h.m.input.Value()), got, ansi.Strip(line))
			}
			if !strings.HasPrefix(ansi.Strip(line), "add: ") {
				t.Errorf("width %d: no prompt: %q", w, ansi.Strip(line))
			}
		}
	}
}
