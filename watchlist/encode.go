package watchlist

import (
	"strconv"

	"faxwatch/api"
)

// encodeEntries renders entries as the file; see encodeList.
func encodeEntries(entries []Entry, sizeHint int) []byte {
	return encodeList(pointersTo(entries), sizeHint)
}

// encodeList renders the file (the form is documented in format.go).
// sizeHint, the size of the last file, saves the buffer regrowing.
func encodeList(entries []*Entry, sizeHint int) []byte {
	b := make([]byte, 0, max(sizeHint+sizeHint/8, 64+len(entries)*768))
	b = append(b, `{"version":`...)
	b = strconv.AppendInt(b, SchemaVersion, 10)
	b = append(b, `,"jobs":[`...)
	for i := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = appendJob(b, entries[i])
	}
	return append(b, "\n]}\n"...)
}

func appendJob(b []byte, e *Entry) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, string(e.ID))
	b = appendTimeField(b, "added_at", e.AddedAt)
	b = appendStrField(b, "added_by", e.AddedBy)
	b = appendStrField(b, "note", e.Note)
	b = appendTimeField(b, "note_at", e.NoteAt)
	b = appendStrField(b, "note_by", e.NoteBy)
	if st := &e.Last; st.State != StatePending || st.Stale || !st.CheckedAt.IsZero() {
		b = appendStatus(b, st)
	}
	if len(e.History) > 0 {
		b = append(b, `,"history":[`...)
		for i, t := range e.History {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"from":`...)
			b = appendString(b, string(t.From))
			b = append(b, `,"to":`...)
			b = appendString(b, string(t.To))
			b = appendTimeField(b, "at", t.At)
			b = appendStrField(b, "description", t.Description)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendStatus(b []byte, st *Status) []byte {
	b = append(b, `,"status":{"state":`...)
	b = appendString(b, string(st.State))
	b = appendIntField(b, "status_id", int64(st.StatusID))
	b = appendStrField(b, "description", st.Description)
	b = appendIntField(b, "error_code", int64(st.Error.Code))
	b = appendStrField(b, "error_message", st.Error.Message)
	b = appendStrField(b, "fax_job_id", st.FaxJobID)
	if d := st.Details; d != nil {
		b = append(b, `,"details":{`...)
		mark := len(b)
		b = appendStrField(b, "method", string(d.Method))
		b = appendIntField(b, "recipient_state", int64(d.RecipientState))
		b = appendIntField(b, "pages_sent", int64(d.PagesSent))
		b = appendIntField(b, "pages_total", int64(d.PagesTotal))
		b = appendStrField(b, "delivered_at", d.DeliveredAt)
		b = appendIntField(b, "duration_s", int64(d.DurationS))
		b = appendStrField(b, "remote_csid", d.RemoteCSID)
		b = appendStrField(b, "reference_id", d.ReferenceID)
		b = closeObject(b, mark)
	}
	if c := st.Call; c != (api.CallInfo{}) {
		b = append(b, `,"call":{`...)
		mark := len(b)
		b = appendBoolField(b, "return", c.Return)
		b = appendIntField(b, "ws_error_code", int64(c.WSError.Code))
		b = appendStrField(b, "ws_error_message", c.WSError.Message)
		b = appendStrField(b, "request_id", c.Call.RequestID)
		b = appendStrField(b, "activity_id", c.Call.ActivityID)
		b = appendIntField(b, "execution_ms", int64(c.Call.ExecutionMS))
		b = appendIntField(b, "http_status", int64(c.Call.HTTPStatus))
		b = appendIntField(b, "round_trip_ms", c.Call.RoundTrip.Milliseconds())
		b = appendTimeField(b, "at", c.Call.At)
		b = appendIntField(b, "attempt", int64(c.Call.Attempt))
		b = appendIntField(b, "jobs", int64(c.Call.Jobs))
		b = appendStrField(b, "error", c.Call.Err)
		b = closeObject(b, mark)
	}
	b = appendTimeField(b, "checked_at", st.CheckedAt)
	b = appendTimeField(b, "changed_at", st.ChangedAt)
	b = appendBoolField(b, "stale", st.Stale)
	b = appendTimeField(b, "stale_since", st.StaleSince)
	b = appendStrField(b, "stale_reason", st.StaleReason)
	b = appendStrField(b, "conflict", st.Conflict)
	return append(b, '}')
}

// closeObject ends an object whose fields were each written with a leading
// comma, dropping the first one.
func closeObject(b []byte, mark int) []byte {
	if len(b) > mark && b[mark] == ',' {
		b = append(b[:mark], b[mark+1:]...)
	}
	return append(b, '}')
}
