package alert

import (
	"encoding/json"
	"time"

	"faxwatch/api"
	"faxwatch/ui/jobjson"
)

// jobJSON is one job on the command's standard input: a job as
// `faxwatch status --format json` prints it, plus the note and the states
// before and after.
type jobJSON struct {
	jobjson.Job
	Note     string `json:"note"`
	OldState string `json:"old_state"`
	NewState string `json:"new_state"`
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
	return jobJSON{
		Job: jobjson.New(jobjson.Fields{ID: e.ID, FaxJobID: last.FaxJobID, StatusID: last.StatusID, State: last.State,
			Description: last.Description, Error: last.Error, Final: last.State.Final(), Details: last.Details, Conflict: last.Conflict}),
		Note:     api.Sanitize(e.Note),
		OldState: api.Sanitize(string(j.From)),
		NewState: api.Sanitize(string(last.State)),
	}
}
