package watchlist

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"faxwatch/api"
)

// AddToFile is `faxwatch watch add` without loading the list. Under the lock
// it reads the file and takes only each job's "id" (statuses, notes and
// histories are skipped, not decoded); when the file is a plain list of this
// version it writes the old bytes unchanged with the new jobs spliced in
// before the closing "]", by the same temp file, fsync, rename and folder
// fsync as Save. A one-line add to 200,000 jobs then costs a read, a scan and
// a write of the file instead of decoding and encoding every job (README,
// Performance).
//
// Anything out of the ordinary takes the whole-list path (Open, then Add or
// AddWithNote: merged, cleaned, a corrupt file moved aside as usual): no file
// yet, another schema version, a job record without a plain valid "id", an
// ID listed twice, or a note to set on a job already watched. With setNote,
// note is set on every given ID. warnings are Open's.
func AddToFile(opts Options, ids []api.JobID, note string, setNote bool) (added, duplicates []api.JobID, warnings []string, err error) {
	for _, id := range ids {
		if !validID(id) {
			return nil, nil, nil, fmt.Errorf("%q is not a job ID (want br… or JRI-…)", cleanLine(string(id), 80))
		}
	}
	if opts.Path != "" {
		var done bool
		added, duplicates, done, err = appendToFile(opts, ids, cleanNote(note), setNote)
		if err != nil || done {
			return added, duplicates, nil, err
		}
	}
	s, warnings, err := Open(opts)
	if err != nil {
		return nil, nil, nil, err
	}
	if setNote {
		added, duplicates, err = s.AddWithNote(note, ids...)
	} else {
		added, duplicates, err = s.Add(ids...)
	}
	if err != nil {
		err = &SaveError{Err: err}
	}
	return added, duplicates, warnings, err
}

// SaveError is AddToFile's failure to write the list once it was read: the
// file is as it was.
type SaveError struct{ Err error }

func (e *SaveError) Error() string { return e.Err.Error() }
func (e *SaveError) Unwrap() error { return e.Err }

// appendToFile is AddToFile's fast path; done is false when the whole-list
// path must run instead (nothing was written then).
func appendToFile(opts Options, ids []api.JobID, note string, setNote bool) (added, duplicates []api.JobID, done bool, err error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	if err := os.MkdirAll(filepath.Dir(opts.Path), 0o700); err != nil {
		return nil, nil, false, fmt.Errorf("create the watchlist folder: %w", err)
	}
	// A symlinked file is read and written at its target, as Open does.
	if opts.Path, err = resolveLink(opts.Path); err != nil {
		return nil, nil, false, err
	}
	s := &Store{opts: opts, lockPath: opts.Path + ".lock"}
	err = s.withLock(func() error {
		s.removeStaleTemps()
		data, _, err := readFileBytes(opts.Path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		list, plain := scanPlainList(data)
		if !plain {
			return nil
		}
		var jobs []byte
		jobs, added, duplicates = list.newJobs(ids, opts.Now(), cleanLine(opts.By, maxByBytes), note, setNote)
		if setNote && len(duplicates) > 0 {
			added, duplicates = nil, nil // a note to change in place: the whole list
			return nil
		}
		done = true
		if len(added) == 0 {
			return nil
		}
		_, err = replaceFile(opts.Path, data[:list.lastJobEnd], append(jobs, '\n'), data[list.closeAt:])
		if err != nil {
			added, duplicates = nil, nil
			return &SaveError{Err: err}
		}
		return nil
	})
	return added, duplicates, done, err
}

// newJobs encodes the jobs of ids the list lacks, each led by the comma
// and newline that put it after the list's last job; duplicates are the ids
// the list (or ids itself) already held. by is who added them ("" locally).
func (list *plainList) newJobs(ids []api.JobID, now time.Time, by, note string, setNote bool) (jobs []byte, added, duplicates []api.JobID) {
	for _, id := range ids {
		if _, ok := list.ids[id]; ok {
			duplicates = append(duplicates, id)
			continue
		}
		list.ids[id] = struct{}{}
		e := &Entry{ID: id, AddedAt: now, AddedBy: by, Last: Status{State: StatePending}}
		if setNote && note != "" {
			e.Note, e.NoteAt, e.NoteBy = note, now, by
		}
		if list.jobs > 0 || len(added) > 0 {
			jobs = append(jobs, ',')
		}
		jobs = appendJob(append(jobs, '\n'), e)
		added = append(added, id)
	}
	return jobs, added, duplicates
}

// plainList is what the fast add needs of a file: its IDs, how many jobs it
// lists, where the last job (or the "[") ends and where the closing "]" is.
type plainList struct {
	ids        map[api.JobID]struct{}
	jobs       int
	lastJobEnd int
	closeAt    int
}

// errNotPlain stops the scan: the whole-list path will decide.
var errNotPlain = errors.New("not a plain list")

// scanPlainList reads the top level and every job's "id", skipping the rest
// (its syntax is still checked). plain is false for anything the full
// decoder would reject, warn about or rewrite in another form: another
// version, "jobs" twice or not an array, a job without a single valid,
// normalised "id", an ID listed twice, trailing data.
func scanPlainList(data []byte) (list plainList, plain bool) {
	r := &jsonReader{b: data}
	list.ids = make(map[api.JobID]struct{}, min(len(data)/256, 1<<18))
	versionOK, jobsSeen := false, false
	err := r.object(func(k []byte) error {
		switch string(k) {
		case "version":
			v, err := r.integer()
			if err != nil || v != SchemaVersion {
				return errNotPlain
			}
			versionOK = true
		case "jobs":
			if jobsSeen || r.peek() != '[' {
				return errNotPlain
			}
			jobsSeen = true
			list.lastJobEnd = r.i + 1
			err := r.array(func() error {
				if r.peek() != '{' {
					return errNotPlain
				}
				id, err := jobID(r)
				if err != nil {
					return err
				}
				if _, dup := list.ids[id]; dup {
					return errNotPlain
				}
				list.ids[id] = struct{}{}
				list.jobs++
				list.lastJobEnd = r.i
				return nil
			})
			list.closeAt = r.i - 1
			return err
		default:
			return r.skip()
		}
		return nil
	})
	if err != nil || r.peek() != 0 || !versionOK || !jobsSeen || data[list.closeAt] != ']' {
		return plainList{}, false
	}
	return list, true
}

// jobID reads one job object, returning its "id" when it has exactly one
// that is a valid job ID as this version writes it.
func jobID(r *jsonReader) (api.JobID, error) {
	var id api.JobID
	seen := false
	err := r.object(func(k []byte) error {
		if string(k) != "id" {
			return r.skip()
		}
		s, err := r.str()
		if err != nil || seen || !validID(api.JobID(s)) {
			return errNotPlain
		}
		id, seen = api.JobID(s), true
		return nil
	})
	if err == nil && !seen {
		err = errNotPlain
	}
	return id, err
}
