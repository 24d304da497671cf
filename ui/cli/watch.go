package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/watchlist"
)

func (a *app) cmdWatch(args []string) int {
	fs := a.newFlagSet("watch")
	note := fs.String("note", "", "(add) a short `TEXT` shown with the jobs")
	format := fs.String("format", "", "(ls) output `format`: table, json or csv")
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		return a.usageError("watch: say what to do: add, rm, ls or clear")
	}
	action, pos := pos[0], pos[1:]
	// Each flag belongs to one action; say so rather than ignore it.
	var misplaced string
	fs.Visit(func(f *flag.Flag) {
		if (f.Name == "note" && action != "add") || (f.Name == "format" && action != "ls") {
			misplaced = f.Name
		}
	})
	if misplaced != "" {
		return a.usageError("watch %s: --%s does not apply here", action, misplaced)
	}
	switch action {
	case "add", "rm", "ls", "clear":
	default:
		return a.usageError("watch: unknown action %q; use add, rm, ls or clear", action)
	}
	if (action == "ls" || action == "clear") && len(pos) > 0 {
		return a.usageError("watch %s takes no arguments", action)
	}
	if action == "ls" {
		if *format == "" {
			*format = defaultFormat(a.stdout)
		}
		if *format != formatTable && *format != formatJSON && *format != formatCSV {
			return a.usageError("watch ls: --format %q: use table, json or csv", *format)
		}
	}
	if err := a.setup(); err != nil {
		return a.fail(err)
	}
	store, err := a.openWatchlist()
	if err != nil {
		return a.fail(err)
	}
	switch action {
	case "add":
		return a.watchAdd(store, pos, *note, isFlagSet(fs, "note"))
	case "rm":
		return a.watchRemove(store, pos)
	case "ls":
		return a.watchList(store, *format)
	default:
		n := store.Len()
		if err := store.Clear(); err != nil {
			return a.fail(fmt.Errorf("cannot clear the watchlist: %w", err))
		}
		fmt.Fprintf(a.stdout, "removed %d job(s)\n", n)
		return exitOK
	}
}

// openWatchlist opens the configured watchlist (the demo's with --demo) and
// passes its warnings on.
func (a *app) openWatchlist() (*watchlist.Store, error) {
	cfg, err := a.loadSettings(nil)
	if err != nil {
		return nil, err
	}
	path, err := a.watchlistPath(cfg)
	if err != nil {
		return nil, err
	}
	a.log.Debug("watchlist", "path", path)
	store, warnings, err := watchlist.Open(watchlist.Options{Path: path, KeepFinal: cfg.Watch.KeepFinal.Duration})
	if err != nil {
		return nil, watchlistError(path, err)
	}
	for _, w := range warnings {
		a.errorf("warning: %s", w)
	}
	return store, nil
}

func (a *app) watchAdd(store *watchlist.Store, args []string, note string, withNote bool) int {
	ids, _, err := a.readJobIDs(args)
	if err != nil {
		return a.fail(err)
	}
	if len(ids) == 0 {
		a.errorf("no valid job ID given; pass IDs such as br0012345h00001x as arguments or on standard input")
		return exitUsage
	}
	add := store.Add
	if withNote { // one save for the IDs and their notes
		add = func(ids ...api.JobID) ([]api.JobID, []api.JobID, error) { return store.AddWithNote(note, ids...) }
	}
	added, dups, err := add(ids...)
	if err != nil {
		return a.fail(fmt.Errorf("cannot save the watchlist: %w", err))
	}
	fmt.Fprintf(a.stdout, "added %d job(s)", len(added))
	if len(dups) > 0 {
		fmt.Fprintf(a.stdout, "; already watched: %s", joinIDs(dups))
	}
	fmt.Fprintln(a.stdout)
	return exitOK
}

func (a *app) watchRemove(store *watchlist.Store, args []string) int {
	if len(args) == 0 {
		return a.usageError("watch rm: give the job IDs to remove (or - to read them from standard input)")
	}
	ids, _, err := a.readJobIDs(args)
	if err != nil {
		return a.fail(err)
	}
	if len(ids) == 0 {
		a.errorf("no valid job ID given")
		return exitUsage
	}
	removed, err := store.Remove(ids...)
	if err != nil {
		return a.fail(fmt.Errorf("cannot save the watchlist: %w", err))
	}
	fmt.Fprintf(a.stdout, "removed %d job(s)\n", len(removed))
	if missing := len(ids) - len(removed); missing > 0 {
		gone := map[api.JobID]bool{}
		for _, id := range removed {
			gone[id] = true
		}
		var not []api.JobID
		for _, id := range ids {
			if !gone[id] {
				not = append(not, id)
			}
		}
		a.errorf("not on the watchlist: %s", joinIDs(not))
	}
	return exitOK
}

// watchJobJSON is a status job plus what the watchlist knows about it.
type watchJobJSON struct {
	jobJSON
	Note        string  `json:"note"`
	AddedAt     string  `json:"added_at"`
	CheckedAt   *string `json:"checked_at"`
	ChangedAt   *string `json:"changed_at"`
	Stale       bool    `json:"stale"`
	StaleReason string  `json:"stale_reason,omitempty"`
}

func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func watchJob(e watchlist.Entry) watchJobJSON {
	st := e.Last
	state := st.State
	if state == "" {
		state = watchlist.StatePending
	}
	final := state.Final() && !st.Stale
	j := watchJobJSON{
		jobJSON:     jobFields(e.ID, st.FaxJobID, st.StatusID, state, st.Description, st.Error, final, st.Details),
		Note:        api.Sanitize(e.Note),
		CheckedAt:   rfc3339(st.CheckedAt),
		ChangedAt:   rfc3339(st.ChangedAt),
		Stale:       st.Stale,
		StaleReason: api.Sanitize(st.StaleReason),
	}
	if added := rfc3339(e.AddedAt); added != nil {
		j.AddedAt = *added
	}
	return j
}

func (a *app) watchList(store *watchlist.Store, format string) int {
	entries := store.Entries()
	var err error
	if format == formatJSON {
		out := struct {
			Jobs []watchJobJSON `json:"jobs"`
		}{Jobs: make([]watchJobJSON, 0, len(entries))}
		for _, e := range entries {
			out.Jobs = append(out.Jobs, watchJob(e))
		}
		err = writeJSON(a.stdout, out)
	} else if format == formatCSV {
		err = writeWatchCSV(a.stdout, entries)
	} else {
		w, colour := colourWriter(a.stdout, a.getenv)
		err = writeWatchTable(w, colour, entries, time.Now())
	}
	if err != nil {
		a.errorf("cannot write the output: %v", err)
		return exitFailed
	}
	return exitOK
}

func writeWatchTable(w io.Writer, colour bool, entries []watchlist.Entry, now time.Time) error {
	if len(entries) == 0 {
		_, err := io.WriteString(w, "The watchlist is empty; add jobs with: faxwatch watch add ID ...\n")
		return err
	}
	t := table{header: []string{"JOB ID", "STATE", "NOTE", "LAST CHANGE"}}
	for _, e := range entries {
		j := watchJob(e)
		state, c := stateCell(j.State)
		if j.Stale {
			state += " (stale)"
		}
		t.rows = append(t.rows, []cell{{text: j.JobID}, {text: state, color: c}, {text: j.Note}, {text: ui.RelTime(now, e.Last.ChangedAt)}})
	}
	return t.write(w, colour)
}

func isFlagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}
