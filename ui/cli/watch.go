package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"faxwatch/api"
	"faxwatch/ui/jobjson"
	"faxwatch/ui/serve"
	"faxwatch/ui/style"
	"faxwatch/watchlist"
)

func (r *runner) watchCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "watch add|rm|ls|clear",
		Short: "Edit or list the saved watchlist",
		Long: `Edits or lists the saved watchlist: [watch] file in the config (default
$XDG_STATE_HOME/faxwatch/watchlist.json). A running dashboard picks changes up.
With --demo the demo's throw-away watchlist is used.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			msg := fmt.Sprintf("watch: unknown action %q; use add, rm, ls or clear", args[0])
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg = fmt.Sprintf("watch: unknown action %q; did you mean %q?", args[0], s[0])
			}
			return usageErrorf("%s", msg)
		},
		RunE: func(*cobra.Command, []string) error {
			return usageErrorf("watch: say what to do: add, rm, ls or clear")
		},
		SuggestionsMinimumDistance: 2,
	}
	var note, format string
	add := &cobra.Command{
		Use:   "add [--note TEXT] ID ...",
		Short: `Add jobs (IDs as for status; "-" reads standard input)`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return r.watchAdd(args, note, cmd.Flags().Changed("note"))
		},
	}
	add.Flags().StringVar(&note, "note", "", "a short TEXT shown with the jobs")
	rm := &cobra.Command{
		Use:   "rm ID ...",
		Short: `Remove jobs ("-" reads standard input)`,
		RunE:  func(_ *cobra.Command, args []string) error { return r.watchRemove(args) },
	}
	ls := &cobra.Command{
		Use:   "ls [--format table|json|csv]",
		Short: "List jobs with their last known state",
		Args:  noArgs,
		RunE:  func(*cobra.Command, []string) error { return r.watchList(format) },
	}
	ls.Flags().StringVar(&format, "format", "", formatUsage)
	_ = ls.RegisterFlagCompletionFunc("format", completeFormats)
	clear := &cobra.Command{
		Use:   "clear",
		Short: "Remove every job",
		Args:  noArgs,
		RunE:  func(*cobra.Command, []string) error { return r.watchClear() },
	}
	cmd.AddCommand(add, rm, ls, clear)
	return cmd
}

// openWatchlist opens the configured watchlist (the demo's with --demo) and
// passes its warnings on.
func (r *runner) openWatchlist() (*watchlist.Store, settings, error) {
	opts, s, err := r.watchlistOptions()
	if err != nil {
		return nil, s, err
	}
	store, warnings, err := watchlist.Open(opts)
	if err != nil {
		return nil, s, watchlistError(opts.Path, err)
	}
	for _, w := range warnings {
		r.stderr.Printf("warning: %s", w)
	}
	return store, s, nil
}

// readWatchlist reads the configured watchlist without changing anything:
// no folder, lock file or lock (see watchlist.Read).
func (r *runner) readWatchlist() ([]watchlist.Entry, settings, error) {
	opts, s, err := r.watchlistOptions()
	if err != nil {
		return nil, s, err
	}
	entries, warnings, err := watchlist.Read(opts.Path)
	if err != nil {
		return nil, s, watchlistError(opts.Path, err)
	}
	for _, w := range warnings {
		r.stderr.Printf("warning: %s", w)
	}
	return entries, s, nil
}

// watchlistOptions are the settings and the watchlist's options for a watch
// sub-command.
func (r *runner) watchlistOptions() (watchlist.Options, settings, error) {
	log, _, err := r.openDebugLog()
	if err != nil {
		return watchlist.Options{}, settings{}, err
	}
	s, err := r.loadSettings(log, nil)
	if err != nil {
		return watchlist.Options{}, s, err
	}
	path, err := r.watchlistPath(s.cfg)
	if err != nil {
		return watchlist.Options{}, s, err
	}
	log.Debug("watchlist", "path", path)
	opts := watchlist.Options{Path: path, KeepFinal: s.cfg.Watch.KeepFinal.Duration}
	if r.preset != nil {
		opts.By = r.preset.by
	}
	return opts, s, nil
}

func (r *runner) watchAdd(args []string, note string, withNote bool) error {
	ids, _, err := r.readJobIDs(args)
	if err != nil {
		return fail(err)
	}
	if len(ids) == 0 {
		return errNoJobID
	}
	opts, s, err := r.watchlistOptions()
	if err != nil {
		return fail(err)
	}
	var replaced []replacedNote
	opts.OnNoteReplaced = func(id api.JobID, previous string) {
		replaced = append(replaced, replacedNote{id: id, previous: previous})
	}
	// Spliced into the file, not decoded and re-encoded whole: a one-line add
	// to a list of 200,000 jobs stays cheap (README, Performance).
	added, dups, warnings, err := watchlist.AddToFile(opts, ids, note, withNote)
	for _, w := range warnings {
		r.stderr.Printf("warning: %s", w)
	}
	var notSaved *watchlist.SaveError
	switch {
	case errors.As(err, &notSaved):
		return failed("cannot save the watchlist: %v", notSaved.Err)
	case err != nil:
		return fail(watchlistError(opts.Path, err))
	}
	fmt.Fprintf(r.stdio.Out, "added %d job(s)", len(added))
	if len(dups) > 0 {
		fmt.Fprintf(r.stdio.Out, "; already watched: %s", joinIDs(dups))
	}
	fmt.Fprintln(r.stdio.Out)
	writeReplacedNotes(r.stdio.Out, replaced)
	did := serve.WatchChange{Added: added}
	for _, n := range replaced {
		did.Noted = append(did.Noted, n.id)
	}
	r.tellServer(did)
	if s.demo != nil && r.preset == nil { // over SSH the list is the server's, for its lifetime
		r.stderr.Printf("note: --demo uses a throw-away watchlist, deleted when this command exits; drop --demo to add to yours")
	}
	return nil
}

// replacedNote is a note that --note replaced on a job already watched.
type replacedNote struct {
	id       api.JobID
	previous string
}

// writeReplacedNotes says, one job a line, which notes --note replaced and
// what they said; the README's watch section shows the form.
func writeReplacedNotes(w io.Writer, replaced []replacedNote) {
	if len(replaced) == 0 {
		return
	}
	fmt.Fprintf(w, "note replaced on %d job(s) already watched; their previous notes:\n", len(replaced))
	for _, n := range replaced {
		if n.previous == "" {
			fmt.Fprintf(w, "  %s  (none)\n", n.id)
			continue
		}
		fmt.Fprintf(w, "  %s  %q\n", n.id, api.Sanitize(n.previous))
	}
}

func (r *runner) watchRemove(args []string) error {
	if len(args) == 0 {
		return usageErrorf("watch rm: give the job IDs to remove (or - to read them from standard input)")
	}
	ids, _, err := r.readJobIDs(args)
	if err != nil {
		return fail(err)
	}
	if len(ids) == 0 {
		return errNoJobID
	}
	store, _, err := r.openWatchlist()
	if err != nil {
		return fail(err)
	}
	removed, err := store.Remove(ids...)
	if err != nil {
		return failed("cannot save the watchlist: %v", err)
	}
	fmt.Fprintf(r.stdio.Out, "removed %d job(s)\n", len(removed))
	r.tellServer(serve.WatchChange{Removed: removed})
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
		r.stderr.Printf("not on the watchlist: %s", joinIDs(not))
	}
	return nil
}

func (r *runner) watchClear() error {
	store, _, err := r.openWatchlist()
	if err != nil {
		return fail(err)
	}
	ids, err := store.Clear()
	if err != nil {
		return failed("cannot clear the watchlist: %v", err)
	}
	fmt.Fprintf(r.stdio.Out, "removed %d job(s)\n", len(ids))
	r.tellServer(serve.WatchChange{Removed: ids})
	return nil
}

// tellServer hands a watch command's change to the server it ran on, when
// it ran over SSH; locally there is no one to tell.
func (r *runner) tellServer(did serve.WatchChange) {
	if r.preset != nil && r.preset.tell != nil {
		r.preset.tell(did)
	}
}

// watchJobJSON is a status job plus what the watchlist knows about it.
type watchJobJSON struct {
	jobjson.Job
	Note        string  `json:"note"`
	AddedAt     *string `json:"added_at"` // null when the file lacks it
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
	state := e.State()
	final := state.Final() && !st.Stale
	j := watchJobJSON{
		Job: jobjson.New(jobjson.Fields{ID: e.ID, FaxJobID: st.FaxJobID, StatusID: st.StatusID, State: state,
			Description: st.Description, Error: st.Error, Final: final, Details: st.Details, Conflict: st.Conflict}),
		Note:        api.Sanitize(e.Note),
		CheckedAt:   rfc3339(st.CheckedAt),
		ChangedAt:   rfc3339(st.ChangedAt),
		Stale:       st.Stale,
		StaleReason: api.Sanitize(st.StaleReason),
	}
	j.AddedAt = rfc3339(e.AddedAt)
	return j
}

func (r *runner) watchList(format string) error {
	format, err := parseFormat(format, r.stdio.Out)
	if err != nil {
		return err
	}
	entries, s, err := r.readWatchlist()
	if err != nil {
		return fail(err)
	}
	switch format {
	case formatJSON:
		out := struct {
			Jobs []watchJobJSON `json:"jobs"`
		}{Jobs: make([]watchJobJSON, 0, len(entries))}
		for _, e := range entries {
			out.Jobs = append(out.Jobs, watchJob(e))
		}
		err = writeJSON(r.stdio.Out, out)
	case formatCSV:
		err = writeWatchCSV(r.stdio.Out, entries)
	default:
		w, colour := colourWriter(r.stdio.Out, r.getenv)
		err = writeWatchTable(w, tablePalette(colour, s.cfg.UI.Theme, r.getenv), entries, time.Now())
	}
	if err != nil {
		return failed("cannot write the output: %v", err)
	}
	return nil
}

func writeWatchTable(w io.Writer, palette *style.Palette, entries []watchlist.Entry, now time.Time) error {
	if len(entries) == 0 {
		_, err := io.WriteString(w, "The watchlist is empty; add jobs with: faxwatch watch add ID ...\n")
		return err
	}
	t := table{header: []string{"JOB ID", "STATE", "NOTE", "LAST CHANGE"}}
	for _, e := range entries {
		j := watchJob(e)
		state := stateCell(j.State)
		if j.Stale {
			state.text += " (stale)"
		}
		t.rows = append(t.rows, []cell{{text: j.JobID}, state, {text: j.Note}, {text: style.RelTime(now, e.Last.ChangedAt)}})
	}
	return t.write(w, palette)
}
