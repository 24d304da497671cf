// Package jobjson owns the JSON shape of one job that faxwatch prints for
// scripts: `status --format json`, `watch ls --format json` and the notify
// command's standard input (see the README). One type, so the three cannot
// drift apart. It imports only api; every string it holds has passed
// api.Sanitize.
package jobjson

import "faxwatch/api"

// Job is one job. The rich fields appear only when the method asked for them.
type Job struct {
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
	// Conflict: the answer held items for this job that disagreed; the more
	// final was taken (README, status in scripts).
	Conflict string `json:"conflict,omitempty"`
}

// Fields is what is known of a job, from an answer or the watchlist.
type Fields struct {
	ID          api.JobID
	FaxJobID    string
	StatusID    int
	State       api.State
	Description string
	Error       api.WSError
	Final       bool
	Details     *api.Details
	Conflict    string
}

// New sanitises f into a Job.
func New(f Fields) Job {
	j := Job{
		JobID:        api.Sanitize(f.ID.String()),
		FaxJobID:     api.Sanitize(f.FaxJobID),
		StatusID:     f.StatusID,
		State:        api.Sanitize(string(f.State)),
		Description:  api.Sanitize(f.Description),
		ErrorCode:    f.Error.Code,
		ErrorMessage: api.Sanitize(f.Error.Message),
		Final:        f.Final,
		Conflict:     api.Sanitize(f.Conflict),
	}
	if d := f.Details; d != nil {
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
