package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
	"faxwatch/ui/style"
	"faxwatch/watchlist"
)

// detailModel shows everything known about one job, scrollable.
type detailModel struct {
	c             *common
	method        api.Method
	width, height int
	vp            viewport.Model
	id            api.JobID
	built         detailKey
}

// detailKey says what the content was built from, so it is rebuilt only when
// the job, its data, the size or the second changes.
type detailKey struct {
	id      api.JobID
	version uint64
	width   int
	styles  int
	second  int64
}

func newDetail(c *common, method api.Method) detailModel {
	vp := viewport.New()
	vp.SoftWrap = true
	vp.KeyMap = viewport.KeyMap{} // scrolling keys are routed explicitly
	return detailModel{c: c, method: method, vp: vp}
}

func (d *detailModel) SetSize(w, h int) {
	d.width, d.height = w, h
	d.vp.SetWidth(max(1, w-2))  // left rule and a space
	d.vp.SetHeight(max(1, h-1)) // title line
}

// SetEntry (re)builds the content for e when anything it shows changed.
func (d *detailModel) SetEntry(e watchlist.Entry, version uint64) {
	now := d.c.now()
	k := detailKey{id: e.ID, version: version, width: d.width, styles: d.c.styleGen, second: now.Unix()}
	if k == d.built {
		return
	}
	if e.ID != d.id {
		d.vp.GotoTop()
	}
	d.id, d.built = e.ID, k
	d.vp.SetContentLines(d.lines(&e, now))
}

// Update scrolls the pane.
func (d *detailModel) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	keys := d.c.keys
	switch {
	case key.Matches(k, keys.DetailScrollDown):
		d.vp.HalfPageDown()
	case key.Matches(k, keys.DetailScrollUp):
		d.vp.HalfPageUp()
	}
	return nil
}

// scroll moves the content by n lines (negative: up); used when the pane
// replaces the table and the arrows scroll it.
func (d *detailModel) scroll(n int) {
	if n < 0 {
		d.vp.ScrollUp(-n)
	} else {
		d.vp.ScrollDown(n)
	}
}

func (d *detailModel) View() string {
	st := d.c.styles
	rule := st.Rule.Render("│")
	title := st.Section.Render("Job "+clean(string(d.id))) + st.Dim.Render("  esc closes")
	body := strings.Split(d.vp.View(), "\n")
	var b strings.Builder
	b.WriteString(rule + " " + padLine(title, d.width-2))
	for i := 0; i < d.height-1; i++ {
		b.WriteByte('\n')
		line := ""
		if i < len(body) {
			line = body[i]
		}
		b.WriteString(rule + " " + padLine(line, d.width-2))
	}
	return b.String()
}

// lines is the pane's content: Job, WSError, History, Times, Note.
func (d *detailModel) lines(e *watchlist.Entry, now time.Time) []string {
	st := d.c.styles
	var out []string
	section := func(name string) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, st.Section.Render(name))
	}
	field := func(label, value string) {
		if value == "" {
			value = "—"
		}
		out = append(out, d.hang("  "+st.Label.Render(fit(label, 16)), st.Value.Render(value))...)
	}
	last := e.Last
	state := stateOf(e)

	section("Status")
	field("asked as", clean(string(e.ID)))
	if last.FaxJobID != "" {
		fid := clean(last.FaxJobID)
		if !strings.EqualFold(last.FaxJobID, string(e.ID)) {
			fid += st.Warn.Render("  (differs from asked")
			if e.ID.IsReference() {
				fid += st.Warn.Render(": resolved from the reference")
			}
			fid += st.Warn.Render(")")
		}
		field("FaxJobId", fid)
	}
	field("state", st.StateStyle(state).Render(style.Glyph(state)+" "+stateWord(state, last.StatusID)))
	if state != watchlist.StatePending && state != api.StateNoAnswer {
		field("status ID", itoa(last.StatusID))
	}
	field("description", clean(last.Description))
	field("error", errText(last.Error))
	d.richFields(field, last.Details)

	section("WSError (last call for this job)")
	call := last.Call
	if call.Call.RequestID == "" && call.Call.At.IsZero() {
		out = append(out, "  "+st.Dim.Render("no call has covered this job yet"))
	} else {
		field("return", boolWord(call.Return))
		field("ErrorCode", itoa(call.WSError.Code))
		field("ErrorString", clean(call.WSError.Message))
		field("request ID", clean(call.Call.RequestID))
		field("activity ID", clean(call.Call.ActivityID))
		exec := "—"
		switch ms := call.Call.ExecutionMS; {
		case ms == 0:
			exec = "< 1 ms" // the server counts whole milliseconds
		case ms > 0:
			exec = elapsed(time.Duration(ms) * time.Millisecond)
		}
		field("server time", exec)
		http := "no response"
		if call.Call.HTTPStatus != 0 {
			http = itoa(call.Call.HTTPStatus)
		}
		field("HTTP status", http)
		field("round trip", elapsed(call.Call.RoundTrip))
		field("called at", stamp(call.Call.At)+attemptText(call.Call))
		if call.Call.Err != "" {
			field("call error", st.Error.Render(clean(call.Call.Err)))
		}
	}
	if last.Stale {
		field("stale since", st.Warn.Render(stamp(last.StaleSince)+": "+clean(last.StaleReason)))
	}

	section("Times")
	field("added", stamp(e.AddedAt)+ago(now, e.AddedAt))
	field("last checked", stamp(last.CheckedAt)+ago(now, last.CheckedAt))
	field("last change", stamp(last.ChangedAt)+ago(now, last.ChangedAt))

	section("History")
	if len(e.History) == 0 {
		out = append(out, "  "+st.Dim.Render("no transitions yet"))
	}
	for i := len(e.History) - 1; i >= 0; i-- { // newest first
		h := e.History[i]
		body := st.StateStyle(h.From).Render(style.Glyph(h.From)+" "+stateWord(h.From, 0)) + " → " +
			st.StateStyle(h.To).Render(style.Glyph(h.To)+" "+stateWord(h.To, 0))
		if h.Description != "" {
			body += "  " + st.Dim.Render(clean(h.Description))
		}
		out = append(out, d.hang("  "+st.Label.Render(stamp(h.At))+"  ", body)...)
	}

	section("Note")
	if e.Note == "" {
		out = append(out, "  "+st.Dim.Render("none · n edits it"))
	} else {
		out = append(out, d.hang("  ", clean(e.Note))...)
	}
	return out
}

// hang word-wraps body to the pane, its continuation lines indented under
// where it started, so a long value never runs back under the labels.
func (d *detailModel) hang(lead, body string) []string {
	indent := ansi.StringWidth(lead)
	room := d.vp.Width() - indent
	if room < 10 { // too narrow to indent: let the viewport wrap it
		return []string{lead + body}
	}
	lines := strings.Split(ansi.Wrap(body, room, " "), "\n")
	pad := strings.Repeat(" ", indent)
	for i := range lines {
		if i == 0 {
			lines[i] = lead + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return lines
}

// richFields shows the richer methods' fields the configured method asks for.
func (d *detailModel) richFields(field func(label, value string), det *api.Details) {
	if d.method == "" || d.method == api.MethodGetFaxStatus {
		return
	}
	if det == nil { // no answer of the richer method yet
		field("pages", "")
		return
	}
	field("recipient state", itoa(det.RecipientState))
	field("pages", itoa(det.PagesSent)+" of "+itoa(det.PagesTotal))
	if d.method == api.MethodGetRealTimeFaxStatus {
		return
	}
	field("delivered at", clean(det.DeliveredAt))
	dur := ""
	if det.DurationS > 0 {
		dur = elapsed(time.Duration(det.DurationS) * time.Second)
	}
	field("duration", dur)
	field("remote CSID", clean(det.RemoteCSID))
	if d.method == api.MethodGetRealTimeFaxStatusEx2 {
		field("reference ID", clean(det.ReferenceID))
	}
}

func errText(e api.WSError) string {
	if e.IsZero() {
		return "none"
	}
	return itoa(e.Code) + " " + clean(e.Message)
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func attemptText(c api.Call) string {
	if c.Attempt > 1 {
		return " (attempt " + itoa(c.Attempt) + ")"
	}
	return ""
}

func ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " (" + style.RelTime(now, t) + ")"
}
