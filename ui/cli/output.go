package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"faxwatch/api"
	"faxwatch/ui/style"
	"faxwatch/watchlist"
)

// Output formats of status and watch ls.
const (
	formatTable = "table"
	formatJSON  = "json"
	formatCSV   = "csv"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// formatUsage is the --format flag's help for status and watch ls.
const formatUsage = "output format: table, json or csv (default table on a terminal, json otherwise)"

// parseFormat checks --format; "" is table for people, json for pipes.
func parseFormat(format string, stdout io.Writer) (string, error) {
	switch format {
	case "":
		if isTerminal(stdout) {
			return formatTable, nil
		}
		return formatJSON, nil
	case formatTable, formatJSON, formatCSV:
		return format, nil
	}
	return "", usageErrorf("--format %q: use table, json or csv", format)
}

// completeFormats offers --format's values to the shell.
func completeFormats(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return []cobra.Completion{formatTable, formatJSON, formatCSV}, cobra.ShellCompDirectiveNoFileComp
}

// jobJSON is one job in the README's `status --format json` shape. Every string has passed
// api.Sanitize; the rich fields appear only when the method asked for them.
type jobJSON struct {
	JobID        string  `json:"job_id"`
	FaxJobID     string  `json:"fax_job_id"`
	StatusID     int     `json:"status_id"`
	State        string  `json:"state"`
	Description  string  `json:"description"`
	ErrorCode    int     `json:"error_code"`
	ErrorMessage string  `json:"error_message"`
	Final        bool    `json:"final"`
	PagesSent    *int    `json:"pages_sent,omitempty"`
	PagesTotal   *int    `json:"pages_total,omitempty"`
	DeliveredAt  *string `json:"delivered_at,omitempty"`
	DurationS    *int    `json:"duration_s,omitempty"`
	RemoteCSID   *string `json:"remote_csid,omitempty"`
	ReferenceID  *string `json:"reference_id,omitempty"`
	// Error says why this job has no fresh answer (its batch failed).
	Error string `json:"error,omitempty"`
}

type wsErrorJSON struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type callJSON struct {
	RequestID   string `json:"request_id"`
	ActivityID  string `json:"activity_id"`
	ExecutionMS int    `json:"execution_ms"`
	Jobs        int    `json:"jobs"`
}

type statusJSON struct {
	Jobs    []jobJSON   `json:"jobs"`
	WSError wsErrorJSON `json:"ws_error"`
	Calls   []callJSON  `json:"calls"`
}

// jobFields fills the fields shared by status and watch ls.
func jobFields(id api.JobID, faxJobID string, statusID int, state api.State, desc string, e api.WSError, final bool, d *api.Details) jobJSON {
	j := jobJSON{
		JobID:        api.Sanitize(id.String()),
		FaxJobID:     api.Sanitize(faxJobID),
		StatusID:     statusID,
		State:        api.Sanitize(string(state)),
		Description:  api.Sanitize(desc),
		ErrorCode:    e.Code,
		ErrorMessage: api.Sanitize(e.Message),
		Final:        final,
	}
	if d != nil {
		sent, total := d.PagesSent, d.PagesTotal
		j.PagesSent, j.PagesTotal = &sent, &total
		if d.HasDelivery() {
			at, dur, csid := api.Sanitize(d.DeliveredAt), d.DurationS, api.Sanitize(d.RemoteCSID)
			j.DeliveredAt, j.DurationS, j.RemoteCSID = &at, &dur, &csid
		}
		if d.HasReference() {
			ref := api.Sanitize(d.ReferenceID)
			j.ReferenceID = &ref
		}
	}
	return j
}

// statusJob is one JobStatus for output; a job whose batch failed is
// "no_answer" with the reason, since nothing about it is fresh.
func statusJob(s api.JobStatus) jobJSON {
	if s.Err != nil {
		j := jobFields(s.JobID, "", 0, api.StateNoAnswer, "", api.WSError{}, false, nil)
		j.Error = api.Sanitize(firstLine(s.Err.Error()))
		return j
	}
	if s.State == api.StateNoAnswer { // the service answered, but not for this job
		j := jobFields(s.JobID, "", 0, api.StateNoAnswer, "", api.WSError{}, false, nil)
		j.Error = "no answer for this job"
		return j
	}
	return jobFields(s.JobID, s.FaxJobID, s.StatusID, s.State, s.Description, s.Error, s.Final(), s.Details)
}

func writeStatusJSON(w io.Writer, res *api.Result) error {
	out := statusJSON{
		Jobs:    make([]jobJSON, 0, len(res.Jobs)),
		WSError: wsErrorJSON{Code: res.WSError.Code, Message: api.Sanitize(res.WSError.Message)},
		Calls:   make([]callJSON, 0, len(res.Calls)),
	}
	for _, s := range res.Jobs {
		out.Jobs = append(out.Jobs, statusJob(s))
	}
	for _, c := range res.Calls {
		out.Calls = append(out.Calls, callJSON{
			RequestID:   api.Sanitize(c.RequestID),
			ActivityID:  api.Sanitize(c.ActivityID),
			ExecutionMS: c.ExecutionMS,
			Jobs:        c.Jobs,
		})
	}
	return writeJSON(w, out)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// csvHeader is the README's CSV header, one row a job after it.
var csvHeader = []string{"job_id", "status_id", "state", "description", "error_code", "error_message"}

func writeStatusCSV(w io.Writer, res *api.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, s := range res.Jobs {
		j := statusJob(s)
		msg := j.ErrorMessage
		if j.Error != "" {
			msg = j.Error
		}
		if err := cw.Write([]string{j.JobID, strconv.Itoa(j.StatusID), j.State, j.Description, strconv.Itoa(j.ErrorCode), msg}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeWatchCSV is the status CSV with the watchlist's columns after it
// (times RFC 3339, empty when not yet).
func writeWatchCSV(w io.Writer, entries []watchlist.Entry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(slices.Clone(csvHeader), "note", "added_at", "checked_at", "changed_at")); err != nil {
		return err
	}
	orEmpty := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	for _, e := range entries {
		j := watchJob(e)
		row := []string{j.JobID, strconv.Itoa(j.StatusID), j.State, j.Description, strconv.Itoa(j.ErrorCode), j.ErrorMessage,
			j.Note, orEmpty(j.AddedAt), orEmpty(j.CheckedAt), orEmpty(j.ChangedAt)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// tablePalette is the dashboard's palette for the tables, or nil when the
// output cannot show colour. [ui] theme light picks the light one.
func tablePalette(colour bool, theme string) *style.Palette {
	if !colour {
		return nil
	}
	p := style.NewPalette(theme != "light")
	return &p
}

// stateCell is glyph and word, coloured as the dashboard colours the state,
// so state never rests on colour alone; the state text has passed Sanitize.
func stateCell(state string) cell {
	return cell{text: style.Glyph(api.State(state)) + " " + state, state: api.State(state)}
}

// table lays out rows in aligned columns; a state cell is coloured when the
// output can show colour (palette not nil).
type table struct {
	header []string
	rows   [][]cell
}

type cell struct {
	text  string
	state api.State // "" for plain text
}

// maxCellWidth keeps one hostile or verbose cell from wrapping every row.
const maxCellWidth = 60

func (t *table) write(w io.Writer, palette *style.Palette) error {
	widths := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = lipgloss.Width(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			r[i].text = clipWidth(c.text, maxCellWidth)
			widths[i] = max(widths[i], lipgloss.Width(r[i].text))
		}
	}
	headStyle := lipgloss.NewStyle().Bold(true)
	var out strings.Builder
	line := func(cells []cell, head bool) {
		var b strings.Builder
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-lipgloss.Width(c.text))
			text := c.text
			switch {
			case palette != nil && head:
				text = headStyle.Render(text)
			case palette != nil && c.state != "":
				text = palette.StateStyle(c.state).Render(text)
			}
			b.WriteString(text)
			if i < len(cells)-1 {
				b.WriteString(pad + "  ")
			}
		}
		out.WriteString(strings.TrimRight(b.String(), " "))
		out.WriteByte('\n')
	}
	head := make([]cell, len(t.header))
	for i, h := range t.header {
		head[i] = cell{text: h}
	}
	line(head, true)
	for _, r := range t.rows {
		line(r, false)
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// clipWidth cuts s to n display cells, marking the cut.
func clipWidth(s string, n int) string {
	return ansi.Truncate(s, n, "…") // grapheme-aware, unlike a rune-by-rune count
}

// colourWriter decides whether the table may use colour (a terminal, NO_COLOR
// unset, TERM not dumb) and returns a writer that downsamples to what the
// terminal supports.
func colourWriter(stdout io.Writer, env func(string) string) (io.Writer, bool) {
	if !isTerminal(stdout) {
		return stdout, false
	}
	var environ []string
	for _, k := range []string{"TERM", "COLORTERM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TMUX", "WT_SESSION"} {
		if v := env(k); v != "" {
			environ = append(environ, k+"="+v)
		}
	}
	p := colorprofile.Detect(stdout, environ)
	if p < colorprofile.ANSI {
		return stdout, false
	}
	return &colorprofile.Writer{Forward: stdout, Profile: p}, true
}

func writeStatusTable(w io.Writer, palette *style.Palette, res *api.Result) error {
	t := table{header: []string{"JOB ID", "STATE", "STATUS", "DESCRIPTION", "ERROR"}}
	for _, s := range res.Jobs {
		j := statusJob(s)
		errText := ""
		switch {
		case j.Error != "":
			errText = j.Error
		case j.ErrorCode != 0 || j.ErrorMessage != "":
			errText = strings.TrimSpace(fmt.Sprintf("%d %s", j.ErrorCode, j.ErrorMessage))
		}
		status := ""
		if s.Err == nil {
			status = strconv.Itoa(j.StatusID)
		}
		id := j.JobID
		if j.FaxJobID != "" && j.FaxJobID != j.JobID {
			id += " → " + j.FaxJobID
		}
		t.rows = append(t.rows, []cell{{text: id}, stateCell(j.State), {text: status}, {text: j.Description}, {text: errText}})
	}
	return t.write(w, palette)
}
