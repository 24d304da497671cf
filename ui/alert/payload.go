package alert

import (
	"encoding/json"
	"time"

	"faxwatch/api"
)

// jobJSON is one job on the command's standard input: the fields of
// `faxwatch status --format json` (see the README), plus the note and the
// states before and after. A test in the main package keeps the two shapes
// in step.
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
	Note         string  `json:"note"`
	OldState     string  `json:"old_state"`
	NewState     string  `json:"new_state"`
}

type staleJSON struct {
	Since   string `json:"since"`
	Seconds int    `json:"seconds"`
	Reason  string `json:"reason"`
}

// payload is the whole standard input. text is the one-line summary, so a
// Slack incoming webhook can take it as it is.
type payload struct {
	Text  string     `json:"text"`
	At    string     `json:"at"`
	Total int        `json:"total"` // jobs in the alert; jobs lists at most MaxJobs
	Jobs  []jobJSON  `json:"jobs"`
	Stale *staleJSON `json:"stale,omitempty"`
}

// JSON is what the command reads on standard input. Every string has passed
// api.Sanitize.
func (a Alert) JSON() []byte {
	p := payload{Text: "faxwatch: " + a.Summary(), At: a.At.UTC().Format(time.RFC3339), Total: a.total(),
		Jobs: make([]jobJSON, 0, len(a.Jobs))}
	for _, j := range a.Jobs {
		p.Jobs = append(p.Jobs, jobFields(j))
	}
	if s := a.Stale; s != nil {
		p.Stale = &staleJSON{Since: s.Since.UTC().Format(time.RFC3339), Seconds: int(s.For / time.Second), Reason: api.Sanitize(s.Reason)}
	}
	out, err := json.Marshal(p)
	if err != nil { // only strings, ints and bools: cannot happen
		panic("alert: " + err.Error())
	}
	return append(out, '\n')
}

func jobFields(j Job) jobJSON {
	e := &j.Entry
	last := &e.Last
	out := jobJSON{
		JobID:        api.Sanitize(e.ID.String()),
		FaxJobID:     api.Sanitize(last.FaxJobID),
		StatusID:     last.StatusID,
		State:        api.Sanitize(string(last.State)),
		Description:  api.Sanitize(last.Description),
		ErrorCode:    last.Error.Code,
		ErrorMessage: api.Sanitize(last.Error.Message),
		Final:        last.State.Final(),
		Note:         api.Sanitize(e.Note),
		OldState:     api.Sanitize(string(j.From)),
		NewState:     api.Sanitize(string(last.State)),
	}
	if d := last.Details; d != nil {
		sent, total := d.PagesSent, d.PagesTotal
		out.PagesSent, out.PagesTotal = &sent, &total
		if d.HasDelivery() {
			at, dur, csid := api.Sanitize(d.DeliveredAt), d.DurationS, api.Sanitize(d.RemoteCSID)
			out.DeliveredAt, out.DurationS, out.RemoteCSID = &at, &dur, &csid
		}
		if d.HasReference() {
			ref := api.Sanitize(d.ReferenceID)
			out.ReferenceID = &ref
		}
	}
	return out
}
