package ui

import (
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// maxAddText bounds one add, typed or pasted: a ticket, not a database dump.
const maxAddText = 64 << 10

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
// The editing itself is bubbles' textinput; this adds the modes and keeps
// the line exactly as wide as the screen.
type inputModel struct {
	c           *common
	mode        inputMode
	placeholder string
	ti          textinput.Model
	width       int
	limit       int // runes of the text as typed; see Update
}

func newInput(c *common) inputModel {
	ti := textinput.New()
	// A terminal paste arrives as a PasteMsg; ctrl+v would instead run a
	// clipboard tool on this machine, the wrong one over SSH.
	ti.KeyMap.Paste.SetEnabled(false)
	in := inputModel{c: c, ti: ti}
	in.applyStyles()
	return in
}

// applyStyles wires our theme into textinput; the root calls it whenever the
// styles change.
func (in *inputModel) applyStyles() {
	st := in.c.styles
	s := textinput.DefaultStyles(st.Dark)
	s.Focused.Prompt, s.Blurred.Prompt = st.Prompt, st.Prompt
	s.Focused.Placeholder, s.Blurred.Placeholder = st.Placeholder, st.Placeholder
	s.Focused.Text = st.Value
	s.Cursor.Color = st.Cursor.GetForeground()
	s.Cursor.Blink = false // calm, and no timer to keep running
	in.ti.SetStyles(s)
}

// SetSize sets the width; the prompt is one line.
func (in *inputModel) SetSize(w, _ int) {
	in.width = w
	in.fitWidth()
}

// fitWidth sizes the editable part so prompt, text and cursor fill the line.
func (in *inputModel) fitWidth() {
	room := max(1, in.width-ansi.StringWidth(in.ti.Prompt)-1)
	in.ti.SetWidth(room)
	in.ti.Placeholder = truncate(in.placeholder, room)
}

func (in *inputModel) Open() bool { return in.mode != inputNone }

// open focuses the input for mode, prefilled with value.
func (in *inputModel) open(mode inputMode, value string) tea.Cmd {
	in.mode = mode
	switch mode {
	case inputAdd:
		in.ti.Prompt, in.placeholder, in.limit = "add: ", "job IDs, any mix of spaces, commas and newlines", maxAddText
	case inputNote:
		in.ti.Prompt, in.placeholder, in.limit = "note: ", "a short note for this job", watchlist.NoteMaxRunes
	case inputFilter:
		in.ti.Prompt, in.placeholder, in.limit = "/", "words; state:failed note:acme error:4001 -state:succeeded", 200
	}
	in.fitWidth()
	in.ti.Reset()
	in.ti.CharLimit = in.limit
	in.ti.SetValue(ansi.Strip(value))
	in.ti.CharLimit = 0
	in.ti.CursorEnd()
	in.showJoinersEscaped()
	return in.ti.Focus()
}

func (in *inputModel) close() {
	in.mode = inputNone
	in.ti.Reset()
	in.ti.Blur()
}

// Value is the text as typed or pasted: runes the line shows escaped (see
// Update) are given back.
func (in *inputModel) Value() string { return api.UnescapeEditable(in.ti.Value()) }

// Line is the text as the line shows it, joiners escaped: what the filter
// matches against rows keyed the same way (appendSearchKey).
func (in *inputModel) Line() string { return in.ti.Value() }

// Update edits the line. Escape sequences in a paste are dropped whole, not
// just their ESC byte; textinput turns newlines and tabs into spaces. What
// the line then holds passes api.SanitizeEditable: textinput moves by rune,
// and a combining mark or a joiner split from its cluster tears the line.
//
// The length limit counts the text as typed, not the escapes it is shown
// with (\u{0E34} is 8 runes for one): textinput's own CharLimit is raised by
// the escapes' extra runes for the one update, so it still ignores a key past
// the limit and cuts a paste to fit, as it does for plain text.
func (in *inputModel) Update(msg tea.Msg) tea.Cmd {
	if p, ok := msg.(tea.PasteMsg); ok {
		msg = tea.PasteMsg{Content: ansi.Strip(p.Content)}
	}
	shown := in.ti.Value()
	in.ti.CharLimit = in.limit + utf8.RuneCountInString(shown) - utf8.RuneCountInString(api.UnescapeEditable(shown))
	var cmd tea.Cmd
	in.ti, cmd = in.ti.Update(msg)
	in.ti.CharLimit = 0
	in.showJoinersEscaped()
	return cmd
}

// showJoinersEscaped passes what the line holds through
// api.SanitizeEditable, keeping the cursor after the text it followed.
func (in *inputModel) showJoinersEscaped() {
	v := in.ti.Value()
	if safe := api.SanitizeEditable(v); safe != v {
		beforeCursor := string([]rune(v)[:in.ti.Position()])
		in.ti.SetValue(safe)
		in.ti.SetCursor(utf8.RuneCountInString(api.SanitizeEditable(beforeCursor)))
	}
}

// View is the prompt and the visible part of the line, exactly width cells.
func (in *inputModel) View() string {
	return fit(in.ti.View(), in.width)
}
