package watchlist

import (
	"errors"
	"fmt"
	"time"

	"faxwatch/api"
)

// SchemaVersion is the version of the file this package writes and reads.
const SchemaVersion = 1

// ErrNewerVersion is wrapped by the error for a file from a newer faxwatch.
var ErrNewerVersion = errors.New("watchlist file is from a newer faxwatch")

// VersionError refuses a file written with a newer schema; the file is left
// untouched.
type VersionError struct {
	Path    string
	Version int
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("watchlist %s has schema version %d, this faxwatch reads version %d: upgrade faxwatch (the file was left untouched)",
		e.Path, e.Version, SchemaVersion)
}

func (e *VersionError) Unwrap() error { return ErrNewerVersion }

// The on-disk form, one job a line, zero values left out:
//
//	{"version":1,"jobs":[
//	{"id":"br…","added_at":RFC3339,"added_by":"…","note":"…","note_at":RFC3339,"note_by":"…",
//	 "status":{"state":"failed","status_id":2,"description":"…","error_code":0,"error_message":"…",
//	   "fax_job_id":"…","details":{"method":"…","recipient_state":0,"pages_sent":0,"pages_total":0,
//	     "delivered_at":"…","duration_s":0,"remote_csid":"…","reference_id":"…"},
//	   "call":{"return":true,"ws_error_code":0,"ws_error_message":"…","request_id":"…","activity_id":"…",
//	     "execution_ms":0,"http_status":0,"round_trip_ms":0,"at":RFC3339,"attempt":0,"jobs":0,"error":"…"},
//	   "checked_at":RFC3339,"changed_at":RFC3339,"stale":true,"stale_since":RFC3339,"stale_reason":"…",
//	   "conflict":"…"},
//	 "history":[{"from":"pending","to":"processing","at":RFC3339,"description":"…"}]}
//	]}
//
// Times are written in UTC and read back in local time. Unknown keys are
// skipped, so version 1 can grow fields. The file* types are what the reader
// fills before validate checks them.
type fileJob struct {
	ID        string
	AddedAt   time.Time
	AddedBy   string
	Note      string
	NoteAt    time.Time
	NoteBy    string
	Status    fileStatus
	HasStatus bool
	History   []Transition // From, To and Description still unchecked
}

type fileStatus struct {
	StatusID     int
	State        string
	Description  string
	ErrorCode    int
	ErrorMessage string
	FaxJobID     string
	Details      *fileDetails
	Call         fileCall
	HasCall      bool
	CheckedAt    time.Time
	ChangedAt    time.Time
	Stale        bool
	StaleSince   time.Time
	StaleReason  string
	Conflict     string
}

type fileDetails struct {
	Method         string
	RecipientState int
	PagesSent      int
	PagesTotal     int
	DeliveredAt    string
	DurationS      int
	RemoteCSID     string
	ReferenceID    string
}

// fileCall keeps what the detail pane shows of the call behind the status.
type fileCall struct {
	Return       bool
	WSErrorCode  int
	WSErrorMsg   string
	RequestID    string
	ActivityID   string
	ExecutionMS  int
	HTTPStatus   int
	RoundTripMS  int
	At           time.Time
	Attempt      int
	Jobs         int
	ErrorExplain string
}

// loader turns untrusted file records into entries one at a time: IDs
// checked and de-duplicated, strings cleaned and bounded, states checked,
// history bounded.
type loader struct {
	entries []*Entry
	block   []Entry // where the next entries go: allocated a block at a time, never copied to grow
	seen    map[api.JobID]struct{}
	dropped []string
}

// loadBlock is how many entries are allocated together.
const loadBlock = 512

func newLoader(sizeHint int) *loader {
	return &loader{entries: make([]*Entry, 0, sizeHint), seen: make(map[api.JobID]struct{}, sizeHint)}
}

func (l *loader) add(j *fileJob) {
	id, ok := api.ParseJobID(j.ID)
	if !ok {
		l.drop(fmt.Sprintf("%q is not a job ID", cleanLine(j.ID, 40)))
		return
	}
	if _, dup := l.seen[id]; dup {
		l.drop(fmt.Sprintf("%s is listed twice", id))
		return
	}
	l.seen[id] = struct{}{}
	if len(l.block) == cap(l.block) {
		l.block = make([]Entry, 0, loadBlock)
	}
	l.block = l.block[:len(l.block)+1]
	e := &l.block[len(l.block)-1]
	fillFromFile(e, id, j)
	l.entries = append(l.entries, e)
}

// drop notes an unusable record for the warning.
func (l *loader) drop(why string) {
	l.dropped = append(l.dropped, why)
}

// fillFromFile sets *e, a zero Entry, from j.
func fillFromFile(e *Entry, id api.JobID, j *fileJob) {
	*e = Entry{ID: id, AddedAt: j.AddedAt, AddedBy: cleanLine(j.AddedBy, maxByBytes), Note: cleanNote(j.Note), NoteAt: j.NoteAt,
		NoteBy: cleanLine(j.NoteBy, maxByBytes), Last: Status{State: StatePending}}
	if j.HasStatus {
		fs := &j.Status
		st := Status{
			StatusID: fs.StatusID, State: loadedState(fs.State, fs.StatusID, fs.ErrorCode),
			Description: cleanLine(fs.Description, maxTextBytes),
			Error:       api.WSError{Code: fs.ErrorCode, Message: cleanLine(fs.ErrorMessage, maxTextBytes)},
			FaxJobID:    sameAs(cleanLine(fs.FaxJobID, maxShortBytes), string(id)),
			CheckedAt:   fs.CheckedAt, ChangedAt: fs.ChangedAt,
			Stale: fs.Stale, StaleSince: fs.StaleSince, StaleReason: cleanLine(fs.StaleReason, maxReasonBytes),
			Conflict: cleanLine(fs.Conflict, maxReasonBytes),
		}
		if d := fs.Details; d != nil {
			st.Details = &api.Details{
				Method: api.Method(cleanLine(d.Method, maxShortBytes)), RecipientState: d.RecipientState,
				PagesSent: d.PagesSent, PagesTotal: d.PagesTotal,
				DeliveredAt: cleanLine(d.DeliveredAt, maxShortBytes), DurationS: d.DurationS,
				RemoteCSID: cleanLine(d.RemoteCSID, maxShortBytes), ReferenceID: cleanLine(d.ReferenceID, maxShortBytes),
			}
		}
		if fs.HasCall {
			c := &fs.Call
			st.Call = api.CallInfo{
				Return:  c.Return,
				WSError: api.WSError{Code: c.WSErrorCode, Message: cleanLine(c.WSErrorMsg, maxTextBytes)},
				Call: api.Call{
					RequestID: cleanLine(c.RequestID, maxShortBytes), ActivityID: cleanLine(c.ActivityID, maxShortBytes),
					ExecutionMS: c.ExecutionMS, HTTPStatus: c.HTTPStatus,
					RoundTrip: time.Duration(max(0, min(c.RoundTripMS, 1<<30))) * time.Millisecond,
					Attempt:   c.Attempt, Jobs: c.Jobs, At: c.At, Err: cleanLine(c.ErrorExplain, maxReasonBytes),
				},
			}
		}
		e.Last = st
	}
	h := j.History
	if len(h) > HistoryLimit {
		h = append([]Transition(nil), h[len(h)-HistoryLimit:]...)
	}
	for i := range h {
		t := &h[i]
		t.From, t.To = loadedState(string(t.From), 0, 0), loadedState(string(t.To), 0, 0)
		t.Description = cleanLine(t.Description, maxTextBytes)
	}
	if len(h) > 0 {
		e.History = h
	}
}

// sameAs is s, sharing like's memory when they are equal (a job's FaxJobID
// is almost always its ID).
func sameAs(s, like string) string {
	if s == like {
		return like
	}
	return s
}

// loadedState trusts a known state name and otherwise derives one.
func loadedState(s string, statusID, errorCode int) api.State {
	if st := api.State(s); knownState(st) {
		return st
	}
	if s == "" && statusID == 0 && errorCode == 0 {
		return StatePending
	}
	return api.StateOf(statusID, errorCode)
}
