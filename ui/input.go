package ui

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// inputMode says what the open text input is for.
type inputMode int

const (
	inputNone inputMode = iota
	inputAdd
	inputNote
	inputFilter
)

// inputModel is the one-line prompt at the bottom: add IDs, edit a note, or
// filter. While it is open every key is text except enter, esc and ctrl+c.
//
// It is a small line editor of its own: bubbles/textinput pulls in a
// clipboard module this repository's go.sum does not carry.
type inputModel struct {
	c           *common
	mode        inputMode
	prompt      string
	placeholder string
	limit       int // runes
	value       []rune
	pos         int
	width       int
}

func newInput(c *common) inputModel { return inputModel{c: c} }

func (in *inputModel) SetSize(w int) { in.width = w }

func (in inputModel) Open() bool { return in.mode != inputNone }

// open focuses the input for mode, prefilled with value.
func (in *inputModel) open(mode inputMode, value string) tea.Cmd {
	in.mode = mode
	switch mode {
	case inputAdd:
		in.prompt, in.placeholder, in.limit = "add: ", "job IDs, any mix of spaces, commas and newlines", 64<<10
	case inputNote:
		in.prompt, in.placeholder, in.limit = "note: ", "a short note for this job", 200
	case inputFilter:
		in.prompt, in.placeholder, in.limit = "/", "ID, state, description or error", 200
	}
	in.value = nil
	in.insert(value)
	return nil
}

func (in *inputModel) close() {
	in.mode, in.value, in.pos = inputNone, nil, 0
}

func (in inputModel) Value() string { return string(in.value) }

// insert adds text at the cursor: control characters (escape sequences in
// a paste, say) are dropped, newlines and tabs become spaces.
func (in *inputModel) insert(s string) {
	s = ansi.Strip(s)
	add := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			r = ' '
		case unicode.IsControl(r) || r == unicode.ReplacementChar:
			continue
		}
		add = append(add, r)
	}
	if room := in.limit - len(in.value); len(add) > room {
		add = add[:max(0, room)]
	}
	v := make([]rune, 0, len(in.value)+len(add))
	v = append(v, in.value[:in.pos]...)
	v = append(v, add...)
	v = append(v, in.value[in.pos:]...)
	in.value = v
	in.pos += len(add)
}

// Update edits the line.
func (in inputModel) Update(msg tea.Msg) (inputModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		in.insert(msg.Content)
	case tea.KeyPressMsg:
		switch msg.String() {
		case "left", "ctrl+b":
			in.pos = max(0, in.pos-1)
		case "right", "ctrl+f":
			in.pos = min(len(in.value), in.pos+1)
		case "home", "ctrl+a":
			in.pos = 0
		case "end", "ctrl+e":
			in.pos = len(in.value)
		case "backspace", "ctrl+h":
			if in.pos > 0 {
				in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
				in.pos--
			}
		case "delete", "ctrl+d":
			if in.pos < len(in.value) {
				in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
			}
		case "ctrl+u":
			in.value = append([]rune(nil), in.value[in.pos:]...)
			in.pos = 0
		case "ctrl+k":
			in.value = in.value[:in.pos]
		case "ctrl+w", "alt+backspace":
			start := in.pos
			for start > 0 && in.value[start-1] == ' ' {
				start--
			}
			for start > 0 && in.value[start-1] != ' ' {
				start--
			}
			in.value = append(in.value[:start], in.value[in.pos:]...)
			in.pos = start
		case "space":
			in.insert(" ")
		default:
			if msg.Text != "" && msg.Mod&^(tea.ModShift|tea.ModCapsLock) == 0 {
				in.insert(msg.Text)
			}
		}
	}
	return in, nil
}

// View shows the prompt and the part of the line around the cursor.
func (in inputModel) View() string {
	st := in.c.styles
	prompt := st.Prompt.Render(in.prompt)
	room := max(4, in.width-ansi.StringWidth(in.prompt)-1)
	if len(in.value) == 0 {
		return padLine(prompt+st.Cursor.Render(" ")+st.Placeholder.Render(truncate(in.placeholder, room-1)), in.width)
	}
	// Scroll horizontally so the cursor stays in view.
	start := 0
	if in.pos >= room {
		start = in.pos - room + 1
	}
	end := min(len(in.value), start+room)
	var b strings.Builder
	b.WriteString(prompt)
	b.WriteString(string(in.value[start:in.pos]))
	if in.pos < len(in.value) {
		b.WriteString(st.Cursor.Render(string(in.value[in.pos])))
		b.WriteString(string(in.value[in.pos+1 : end]))
	} else {
		b.WriteString(st.Cursor.Render(" "))
	}
	return padLine(b.String(), in.width)
}
