package watchlist

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"faxwatch/api"
)

// errCorrupt marks a file that is not a watchlist at all.
var errCorrupt = errors.New("corrupt")

var errTrailing = errors.New("data after the top-level value")

// readWindow is how much of the file the decoder holds at once (it grows
// only for a single job, or an unknown value, larger than that): a 100,000-job
// file is never in memory whole next to its decoded entries.
const readWindow = 512 << 10

// decoded is what a file holds: the valid entries in order and their IDs.
type decoded struct {
	entries []*Entry
	ids     map[api.JobID]struct{}
	dropped []string // notes on the jobs left out
}

// decodeFrom parses a file read from src, sizeHint bytes long, window bytes
// at a time (readWindow; tests use tiny ones). It returns
// the entries that are valid, notes on those it dropped, a *VersionError for
// a newer schema (whatever its jobs look like), an error wrapping errCorrupt
// when the bytes are not a version-1 watchlist, or a read error. A job of the
// wrong shape is dropped, not fatal.
func decodeFrom(path string, src io.Reader, sizeHint int64, window int) (decoded, error) {
	r := &jsonReader{b: make([]byte, 0, max(window, 1)), src: src, pool: map[string]string{}}
	version, versionOK, jobsOK := 0, false, false
	var l *loader
	err := r.streamObject(func(k string) error {
		switch k {
		case "version":
			var v int
			var bad bool
			err := r.unit(func(start int) (err error) {
				v, err = r.integer()
				bad, err = r.recover(start, err)
				return err
			})
			if bad || err != nil {
				versionOK = false
				return err
			}
			version, versionOK = v, true
		case "jobs":
			l, jobsOK = newLoader(int(min(sizeHint/256, 1<<18))), true
			if ok, err := r.streamJobs(l); !ok || err != nil {
				jobsOK = false
				return err
			}
		default:
			return r.unit(func(int) error { return r.skip() })
		}
		return nil
	})
	if err == nil {
		err = r.unit(func(int) error {
			if r.peek() != 0 {
				return errTrailing
			}
			return nil
		})
	}
	var te *typeError
	var re *readError
	switch {
	case errors.As(err, &re):
		return decoded{}, fmt.Errorf("read the watchlist: %w", re.err)
	case errors.As(err, &te):
		return decoded{}, fmt.Errorf("%w: not a JSON object", errCorrupt)
	case err != nil:
		return decoded{}, fmt.Errorf("%w: %v", errCorrupt, err)
	case versionOK && version > SchemaVersion:
		return decoded{}, &VersionError{Path: path, Version: version}
	case !versionOK || version < 1:
		return decoded{}, fmt.Errorf("%w: missing or bad \"version\"", errCorrupt)
	case !jobsOK:
		return decoded{}, fmt.Errorf("%w: missing or bad \"jobs\"", errCorrupt)
	}
	return decoded{entries: l.entries, ids: l.seen, dropped: l.dropped}, nil
}

// streamObject is object for the top level, read a unit at a time: each key,
// then fn, which reads its value in units of its own.
func (r *jsonReader) streamObject(fn func(key string) error) error {
	empty := false
	err := r.unit(func(int) error {
		var err error
		empty, err = r.openObject()
		return err
	})
	if err != nil || empty {
		return err
	}
	for {
		var k string
		if err := r.unit(func(int) error {
			raw, err := r.key()
			k = string(raw)
			return err
		}); err != nil {
			return err
		}
		if err := fn(k); err != nil {
			return err
		}
		more, err := r.next('}')
		if err != nil || !more {
			return err
		}
	}
}

// next is sep as one unit: it may wait for the window's next read.
func (r *jsonReader) next(closing byte) (more bool, err error) {
	err = r.unit(func(int) error {
		var sepErr error
		more, sepErr = r.sep(closing)
		return sepErr
	})
	return more, err
}

// streamJobs reads the "jobs" value into l, one job a unit. ok is false
// when the value is not an array (it is skipped); err is a syntax error.
func (r *jsonReader) streamJobs(l *loader) (ok bool, err error) {
	var empty, notArray bool
	err = r.unit(func(start int) error {
		var openErr error
		empty, openErr = r.openArray()
		notArray, openErr = r.recover(start, openErr) // another type: skipped
		return openErr
	})
	switch {
	case err != nil:
		return false, err
	case notArray:
		return false, nil
	case empty:
		return true, nil
	}
	for n := 1; ; n++ {
		var j fileJob
		var why string
		if err := r.unit(func(start int) error {
			j, why = fileJob{}, ""
			bad, err := r.recover(start, decodeJob(r, &j))
			if bad {
				why = jobErr(r.b, start)
			}
			return err
		}); err != nil {
			return false, err
		}
		if why != "" {
			l.drop(fmt.Sprintf("job #%d: %s", n, why))
		} else {
			l.add(&j)
		}
		more, err := r.next(']')
		if err != nil || !more {
			return err == nil, err
		}
	}
}

// recover turns a type error into "skip this value": it rewinds to start and
// skips the value, so only a syntax error stays fatal.
func (r *jsonReader) recover(start int, err error) (bad bool, fatal error) {
	var te *typeError
	if !errors.As(err, &te) {
		return false, err
	}
	r.i = start
	return true, r.skip()
}

// jobErr names a dropped job by its id when it has a readable one.
func jobErr(data []byte, start int) string {
	r := &jsonReader{b: data, i: start}
	id := ""
	_ = r.object(func(k []byte) error {
		if string(k) == "id" && id == "" {
			if s, err := r.str(); err == nil {
				id = s
				return nil
			}
		}
		return r.skip()
	})
	if id == "" {
		return "not a job record"
	}
	return fmt.Sprintf("%q has a field of the wrong type", cleanLine(id, 40))
}

func decodeJob(r *jsonReader, j *fileJob) error {
	return r.object(func(k []byte) (err error) {
		switch string(k) {
		case "id":
			j.ID, err = r.str()
		case "added_at":
			j.AddedAt, err = r.timestamp()
		case "added_by":
			j.AddedBy, err = r.shared()
		case "note_by":
			j.NoteBy, err = r.shared()
		case "note":
			j.Note, err = r.shared()
		case "note_at":
			j.NoteAt, err = r.timestamp()
		case "status":
			j.Status, j.HasStatus = fileStatus{}, false
			if isNull, err := r.null(); isNull || err != nil {
				return err
			}
			j.HasStatus = true
			err = decodeStatus(r, &j.Status)
		case "history":
			r.history = r.history[:0]
			err = r.array(func() error {
				var t Transition
				if err := decodeTransition(r, &t); err != nil {
					return err
				}
				r.history = append(r.history, t)
				return nil
			})
			j.History = nil
			if err == nil && len(r.history) > 0 {
				j.History = slices.Clone(r.history)
			}
		default:
			err = r.skip()
		}
		return err
	})
}

func decodeStatus(r *jsonReader, s *fileStatus) error {
	return r.object(func(k []byte) (err error) {
		switch string(k) {
		case "status_id":
			s.StatusID, err = r.integer()
		case "state":
			s.State, err = r.shared()
		case "description":
			s.Description, err = r.shared()
		case "error_code":
			s.ErrorCode, err = r.integer()
		case "error_message":
			s.ErrorMessage, err = r.shared()
		case "fax_job_id":
			s.FaxJobID, err = r.str()
		case "details":
			if isNull, err := r.null(); isNull || err != nil {
				s.Details = nil
				return err
			}
			s.Details = &fileDetails{}
			err = decodeDetails(r, s.Details)
		case "call":
			s.Call, s.HasCall = fileCall{}, false
			if isNull, err := r.null(); isNull || err != nil {
				return err
			}
			s.HasCall = true
			err = decodeCall(r, &s.Call)
		case "checked_at":
			s.CheckedAt, err = r.timestamp()
		case "changed_at":
			s.ChangedAt, err = r.timestamp()
		case "stale":
			s.Stale, err = r.boolean()
		case "stale_since":
			s.StaleSince, err = r.timestamp()
		case "stale_reason":
			s.StaleReason, err = r.shared()
		case "conflict":
			s.Conflict, err = r.shared()
		default:
			err = r.skip()
		}
		return err
	})
}

func decodeDetails(r *jsonReader, d *fileDetails) error {
	return r.object(func(k []byte) (err error) {
		switch string(k) {
		case "method":
			d.Method, err = r.shared()
		case "recipient_state":
			d.RecipientState, err = r.integer()
		case "pages_sent":
			d.PagesSent, err = r.integer()
		case "pages_total":
			d.PagesTotal, err = r.integer()
		case "delivered_at":
			d.DeliveredAt, err = r.str()
		case "duration_s":
			d.DurationS, err = r.integer()
		case "remote_csid":
			d.RemoteCSID, err = r.str()
		case "reference_id":
			d.ReferenceID, err = r.str()
		default:
			err = r.skip()
		}
		return err
	})
}

func decodeCall(r *jsonReader, c *fileCall) error {
	return r.object(func(k []byte) (err error) {
		switch string(k) {
		case "return":
			c.Return, err = r.boolean()
		case "ws_error_code":
			c.WSErrorCode, err = r.integer()
		case "ws_error_message":
			c.WSErrorMsg, err = r.shared()
		case "request_id":
			c.RequestID, err = r.shared()
		case "activity_id":
			c.ActivityID, err = r.shared()
		case "execution_ms":
			c.ExecutionMS, err = r.integer()
		case "http_status":
			c.HTTPStatus, err = r.integer()
		case "round_trip_ms":
			c.RoundTripMS, err = r.integer()
		case "at":
			c.At, err = r.timestamp()
		case "attempt":
			c.Attempt, err = r.integer()
		case "jobs":
			c.Jobs, err = r.integer()
		case "error":
			c.ErrorExplain, err = r.shared()
		default:
			err = r.skip()
		}
		return err
	})
}

func decodeTransition(r *jsonReader, t *Transition) error {
	return r.object(func(k []byte) (err error) {
		switch string(k) {
		case "at":
			t.At, err = r.timestamp()
		case "from":
			var v string
			v, err = r.shared()
			t.From = api.State(v)
		case "to":
			var v string
			v, err = r.shared()
			t.To = api.State(v)
		case "description":
			t.Description, err = r.shared()
		default:
			err = r.skip()
		}
		return err
	})
}
