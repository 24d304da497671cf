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
	b.WriteString(rule + " " + fit(title, d.width-2))
	for i := 0; i < d.height-1; i++ {
		b.WriteByte('\n')
		line := ""
		if i < len(body) {
			line = body[i]
		}
		b.WriteString(rule + " " + fit(line, d.width-2))
	}
	return b.String()
}

// lines is the pane's content: Status, WSError, Times, History, Note.
func (d *detailModel) lines(e *watchlist.Entry, now time.Time) []string {
	p := &paneText{d: d}
	d.statusSection(p, e)
	d.callSection(p, e)
	p.section("Times")
	p.field("added", stamp(e.AddedAt)+ago(now, e.AddedAt)+byWhom(e.AddedBy))
	if r := e.Restored; r != nil { // u brought it back: who took it away
		p.field("removed", stamp(r.RemovedAt)+ago(now, r.RemovedAt)+removedBy(r))
		p.field("restored", stamp(r.RestoredAt)+ago(now, r.RestoredAt)+byWhom(r.RestoredBy))
	}
	p.field("last checked", stamp(e.Last.CheckedAt)+ago(now, e.Last.CheckedAt))
	p.field("change seen", stamp(e.Last.ChangedAt)+ago(now, e.Last.ChangedAt)) // by faxwatch, not the service
	d.historySection(p, e)
	p.section("Note")
	if e.Note == "" {
		p.dim("none · n edits it")
	} else {
		p.out = append(p.out, d.hang("  ", clean(e.Note))...)
		if e.NoteBy != "" {
			p.dim("by " + clean(e.NoteBy) + " " + e.NoteAt.Format("15:04"))
		}
	}
	return p.out
}

// paneText gathers the pane's lines: sections of labelled fields.
type paneText struct {
	d   *detailModel
	out []string
}

func (p *paneText) section(name string) {
	if len(p.out) > 0 {
		p.out = append(p.out, "")
	}
	p.out = append(p.out, p.d.c.styles.Section.Render(name))
}

func (p *paneText) field(label, value string) {
	st := p.d.c.styles
	if value == "" {
		value = "—"
	}
	p.out = append(p.out, p.d.hang("  "+st.Label.Render(fit(label, 16)), st.Value.Render(value))...)
}

func (p *paneText) dim(text string) {
	p.out = append(p.out, "  "+p.d.c.styles.Dim.Render(text))
}

// statusSection is what the job's last answer said.
func (d *detailModel) statusSection(p *paneText, e *watchlist.Entry) {
	st := d.c.styles
	last := e.Last
	state := stateOf(e)
	p.section("Status")
	p.field("asked as", clean(string(e.ID)))
	if last.FaxJobID != "" {
		fid := clean(last.FaxJobID)
		if !strings.EqualFold(last.FaxJobID, string(e.ID)) {
			fid += st.Warn.Render("  (differs from asked")
			if e.ID.IsReference() {
				fid += st.Warn.Render(": resolved from the reference")
			}
			fid += st.Warn.Render(")")
		}
		p.field("FaxJobId", fid)
	}
	p.field("state", st.StateStyle(state).Render(style.Glyph(state)+" "+stateWord(state, last.StatusID)))
	if state != watchlist.StatePending && state != api.StateNoAnswer {
		p.field("status ID", itoa(last.StatusID))
	}
	p.field("description", clean(last.Description))
	p.field("error", errText(last.Error))
	if last.Conflict != "" {
		// Two items for one job that disagree: the more final was taken.
		p.field("answer", st.Warn.Render(clean(last.Conflict)+"; the more final is shown"))
	}
	d.richFields(p.field, last.Details)
}

// callSection is the last call that covered the job, refused ones too.
func (d *detailModel) callSection(p *paneText, e *watchlist.Entry) {
	st := d.c.styles
	p.section("WSError (last call for this job)")
	call := e.Last.Call
	if call.Call.RequestID == "" && call.Call.At.IsZero() {
		p.dim("no call has covered this job yet")
	} else {
		if !call.Return && call.WSError.IsZero() {
			// An HTML page or a cut-off body: false and 0 would be ours, not the server's.
			p.field("WSError", "no WSError in the answer")
		} else {
			p.field("return", boolWord(call.Return))
			p.field("ErrorCode", itoa(call.WSError.Code))
			p.field("ErrorString", clean(call.WSError.Message))
		}
		p.field("request ID", clean(call.Call.RequestID))
		p.field("activity ID", clean(call.Call.ActivityID))
		p.field("server time", serverTime(call.Call.ExecutionMS))
		http := "no response"
		if call.Call.HTTPStatus != 0 {
			http = itoa(call.Call.HTTPStatus)
		}
		p.field("HTTP status", http)
		p.field("round trip", elapsed(call.Call.RoundTrip))
		p.field("called at", stamp(call.Call.At)+attemptText(call.Call))
		if call.Call.Err != "" {
			p.field("call error", st.Error.Render(clean(call.Call.Err)))
		}
	}
	if e.Last.Stale {
		p.field("stale since", st.Warn.Render(stamp(e.Last.StaleSince)+": "+clean(e.Last.StaleReason)))
	}
}

// serverTime is the execution time the server reported, in whole ms.
func serverTime(ms int) string {
	switch {
	case ms == 0:
		return "< 1 ms" // the server counts whole milliseconds
	case ms > 0:
		return elapsed(time.Duration(ms) * time.Millisecond)
	}
	return "—"
}

// historySection lists the transitions, newest first.
func (d *detailModel) historySection(p *paneText, e *watchlist.Entry) {
	st := d.c.styles
	p.section("History")
	if len(e.History) == 0 {
		p.dim("no transitions yet")
	}
	for i := len(e.History) - 1; i >= 0; i-- {
		h := e.History[i]
		body := st.StateStyle(h.From).Render(style.Glyph(h.From)+" "+stateWord(h.From, 0)) + " → " +
			st.StateStyle(h.To).Render(style.Glyph(h.To)+" "+stateWord(h.To, 0))
		if h.Description != "" {
			body += "  " + st.Dim.Render(clean(h.Description))
		}
		p.out = append(p.out, d.hang("  "+st.Label.Render(stamp(h.At))+"  ", body)...)
	}
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

// byWhom names who did something in faxwatch serve ("" when done locally).
func byWhom(name string) string {
	if name == "" {
		return ""
	}
	return " by " + clean(name)
}
