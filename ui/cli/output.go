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
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"faxwatch/api"
	"faxwatch/ui/jobjson"
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
	Jobs    []jobjson.Job `json:"jobs"`
	WSError wsErrorJSON   `json:"ws_error"`
	Calls   []callJSON    `json:"calls"`
}

// statusJob is one JobStatus for output; a job whose batch failed is
// "no_answer" with the reason, since nothing about it is fresh.
func statusJob(s api.JobStatus) jobjson.Job {
	if s.Err != nil {
		j := jobjson.New(jobjson.Fields{ID: s.JobID, State: api.StateNoAnswer})
		j.Error = api.Sanitize(firstLine(s.Err.Error()))
		return j
	}
	if s.State == api.StateNoAnswer { // the service answered, but not for this job
		j := jobjson.New(jobjson.Fields{ID: s.JobID, State: api.StateNoAnswer})
		j.Error = "no answer for this job"
		return j
	}
	return jobjson.New(jobjson.Fields{ID: s.JobID, FaxJobID: s.FaxJobID, StatusID: s.StatusID, State: s.State,
		Description: s.Description, Error: s.Error, Final: s.Final(), Details: s.Details, Conflict: s.Conflict})
}

func writeStatusJSON(w io.Writer, res *api.Result) error {
	out := statusJSON{
		Jobs:    make([]jobjson.Job, 0, len(res.Jobs)),
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
// output cannot show colour; darkBackground picks light or dark.
func tablePalette(colour bool, theme string, getenv func(string) string) *style.Palette {
	if !colour {
		return nil
	}
	p := style.NewPalette(darkBackground(theme, getenv))
	return &p
}

// darkBackground decides light or dark without asking the terminal: [ui]
// theme when it says, else COLORFGBG (set by rxvt, Konsole and others as
// "fg;bg" or "fg;default;bg"), else dark, the common case.
func darkBackground(theme string, getenv func(string) string) bool {
	switch theme {
	case "dark":
		return true
	case "light":
		return false
	}
	fields := strings.Split(getenv("COLORFGBG"), ";")
	bg, err := strconv.Atoi(fields[len(fields)-1])
	if err != nil || bg < 0 || bg > 15 {
		return true
	}
	// The 16 ANSI colours: white (7) and the bright ones but dark grey (8)
	// are light backgrounds.
	return bg < 7 || bg == 8
}

// stateCell is glyph and word, coloured as the dashboard colours the state,
// so state never rests on colour alone; the state text has passed Sanitize.
// The word is the dashboard's ("no answer"), not the JSON's no_answer.
func stateCell(state string) cell {
	st := api.State(state)
	return cell{text: style.Glyph(st) + " " + style.Word(st), state: st}
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
			r[i].text = style.Truncate(c.text, maxCellWidth)
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

// knownProfile is the colour profile lipgloss detected for standard output
// when the process started, when out is standard output: detecting it again
// runs `tmux info` inside tmux, tens of milliseconds.
func knownProfile(out io.Writer) (colorprofile.Profile, bool) {
	if out != io.Writer(os.Stdout) {
		return 0, false
	}
	return lipgloss.Writer.Profile, true
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
	p, known := knownProfile(stdout)
	if !known {
		p = colorprofile.Detect(stdout, environ)
	}
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
