package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

type watchDoc struct {
	Jobs []map[string]any `json:"jobs"`
}

func (w *world) watchLS() watchDoc {
	w.t.Helper()
	o := w.run("", "watch", "ls", "--format", "json")
	if o.code != ExitOK {
		w.t.Fatalf("watch ls: %+v", o)
	}
	var doc watchDoc
	if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil {
		w.t.Fatalf("watch ls JSON: %v\n%s", err, o.stdout)
	}
	return doc
}

func jobIDs(doc watchDoc) []string {
	var ids []string
	for _, j := range doc.Jobs {
		ids = append(ids, j["job_id"].(string))
	}
	return ids
}

func TestWatchCommands(t *testing.T) {
	w := newWorld(t)
	a, b, c := "br0012345h00001x", "br0012345h00002y", "JRI-REF1234"

	// add: ticket text on stdin, a bad token reported, a note.
	o := w.run("please watch "+strings.ToUpper(a)+" and "+b+", not br12.\n", "watch", "add", "--note", "ACME renewal")
	if o.code != ExitOK || !strings.Contains(o.stdout, "added 2 job(s)") || !strings.Contains(o.stderr, `skipped "br12"`) {
		t.Fatalf("add: %+v", o)
	}
	o = w.run("", "watch", "add", b, c)
	if o.code != ExitOK || !strings.Contains(o.stdout, "added 1 job(s); already watched: "+b) {
		t.Fatalf("add again: %+v", o)
	}
	// It landed in $XDG_STATE_HOME, the default place.
	if _, err := os.Stat(filepath.Join(w.env["XDG_STATE_HOME"], "faxwatch", "watchlist.json")); err != nil {
		t.Fatalf("watchlist not at the XDG default: %v", err)
	}

	doc := w.watchLS()
	if got := jobIDs(doc); !reflect.DeepEqual(got, []string{a, b, c}) {
		t.Fatalf("ls order %v", got)
	}
	want := sorted(append(append([]string{}, jobKeys...), "note", "added_at", "checked_at", "changed_at", "stale")...)
	j := doc.Jobs[0]
	if got := keysOf(j); !reflect.DeepEqual(got, want) {
		t.Errorf("ls keys %v; want %v", got, want)
	}
	if j["state"] != "pending" || j["checked_at"] != nil || j["note"] != "ACME renewal" || doc.Jobs[2]["note"] != "" {
		t.Errorf("first entry %v", j)
	}
	if _, err := time.Parse(time.RFC3339, j["added_at"].(string)); err != nil {
		t.Errorf("added_at: %v", err)
	}

	// table off a terminal only when asked for.
	o = w.run("", "watch", "ls", "--format", "table")
	if o.code != ExitOK || !strings.Contains(o.stdout, "· pending") || !strings.Contains(o.stdout, "ACME renewal") || strings.ContainsRune(o.stdout, 0x1b) {
		t.Errorf("ls table: %+v", o)
	}

	// rm: one watched, one not.
	o = w.run("", "watch", "rm", a, "br0099999z00009q")
	if o.code != ExitOK || !strings.Contains(o.stdout, "removed 1 job(s)") || !strings.Contains(o.stderr, "not on the watchlist: br0099999z00009q") {
		t.Errorf("rm: %+v", o)
	}
	if got := jobIDs(w.watchLS()); !reflect.DeepEqual(got, []string{b, c}) {
		t.Errorf("after rm: %v", got)
	}

	o = w.run("", "watch", "clear")
	if o.code != ExitOK || !strings.Contains(o.stdout, "removed 2 job(s)") {
		t.Errorf("clear: %+v", o)
	}
	if got := w.watchLS(); len(got.Jobs) != 0 {
		t.Errorf("after clear: %v", got)
	}
}

func TestWatchUsageErrors(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"watch"}, "add, rm, ls or clear"},
		{[]string{"watch", "list"}, `unknown action "list"`},
		{[]string{"watch", "ls", "--note", "x"}, "unknown flag --note for watch ls; see faxwatch watch ls --help"},
		{[]string{"watch", "add", "--format", "json", "br0012345h00001x"}, "unknown flag --format for watch add; see faxwatch watch add --help"},
		{[]string{"watch", "ls", "--format", "xml"}, "use table, json or csv"},
		{[]string{"watch", "ls", "extra"}, "takes no arguments"},
		{[]string{"watch", "rm"}, "give the job IDs"},
		{[]string{"watch", "add", "nothing"}, "no valid job ID"},
	}
	for _, tt := range tests {
		o := w.run("", tt.args...)
		if o.code != ExitUsage || !strings.Contains(o.stderr, tt.want) {
			t.Errorf("%v: %+v; want exit 2 and %q", tt.args, o, tt.want)
		}
	}
}

func TestWatchUsesConfiguredFile(t *testing.T) {
	w := newWorld(t)
	list := filepath.Join(w.dir, "elsewhere", "list.json")
	cfg := writeFile(t, w.dir, "c.toml", "[watch]\nfile = \""+list+"\"\n", 0o644)
	if o := w.run("", "watch", "add", "--config", cfg, "br0012345h00001x"); o.code != ExitOK {
		t.Fatalf("%+v", o)
	}
	if _, err := os.Stat(list); err != nil {
		t.Fatalf("configured file not written: %v", err)
	}
	if _, err := os.Stat(filepath.Join(w.env["XDG_STATE_HOME"], "faxwatch", "watchlist.json")); err == nil {
		t.Fatal("the default watchlist was written too")
	}
}

// TestWatchLsWorksWithoutConfig: listing needs no account.
func TestWatchLsWorksWithoutConfig(t *testing.T) {
	w := newWorld(t)
	o := w.run("", "watch", "ls")
	if o.code != ExitOK || !strings.Contains(o.stdout, `"jobs": []`) {
		t.Errorf("%+v", o)
	}
	// A reader creates nothing: not even the state folder.
	if _, err := os.Stat(w.env["XDG_STATE_HOME"]); !os.IsNotExist(err) {
		t.Errorf("watch ls made %s: %v", w.env["XDG_STATE_HOME"], err)
	}
}

// watch ls needs no lock: a dashboard holding it (for a slow save, say)
// does not make it wait, and it leaves no lock file of its own.
func TestWatchLsDoesNotWaitForTheLock(t *testing.T) {
	w := newWorld(t)
	if o := w.run("", "watch", "add", "br0012345h00001x"); o.code != ExitOK {
		t.Fatalf("add: %+v", o)
	}
	lock := filepath.Join(w.env["XDG_STATE_HOME"], "faxwatch", "watchlist.json.lock")
	holder := flock.New(lock)
	if ok, err := holder.TryLock(); !ok || err != nil {
		t.Fatalf("TryLock = %v, %v", ok, err)
	}
	defer holder.Unlock()
	// A reader that locked would wait 5 s, then fail with "another faxwatch
	// is holding the watchlist lock".
	if o := w.run("", "watch", "ls", "--format", "csv"); o.code != ExitOK || !strings.Contains(o.stdout, "br0012345h00001x,") {
		t.Fatalf("%+v", o)
	}
}

// TestWatchLsAddedAtNullWhenUnknown: a job the file holds without added_at
// is listed with "added_at": null, never "".
func TestWatchLsAddedAtNullWhenUnknown(t *testing.T) {
	w := newWorld(t)
	dir := filepath.Join(w.env["XDG_STATE_HOME"], "faxwatch")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	file := `{"version": 1, "jobs": [{"id": "br0012345h00001x"}]}`
	if err := os.WriteFile(filepath.Join(dir, "watchlist.json"), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	o := w.run("", "watch", "ls", "--format", "json")
	if o.code != ExitOK || !strings.Contains(o.stdout, `"added_at": null`) || strings.Contains(o.stdout, `"added_at": ""`) {
		t.Fatalf("watch ls: %+v", o)
	}
}

// --note on jobs already watched replaces their notes and says so, with the
// notes they had, so none is lost without a word.
func TestWatchAddNoteOnWatchedJobs(t *testing.T) {
	a, b, c := "br0012345h00001x", "br0012345h00002y", "br0012345h00003z"
	tests := []struct {
		name       string
		args       []string
		wantStdout []string
		notStdout  string
		wantNotes  map[string]string
	}{
		{
			name: "new note on two watched jobs, one new",
			args: []string{"--note", "ticket 4412", a, b, c},
			wantStdout: []string{
				"added 1 job(s); already watched: " + a + " " + b + "\n",
				"note replaced on 2 job(s) already watched; their previous notes:\n",
				"  " + a + `  "ACME renewal"` + "\n",
				"  " + b + "  (none)\n",
			},
			wantNotes: map[string]string{a: "ticket 4412", b: "ticket 4412", c: "ticket 4412"},
		},
		{
			name:       "the same note again changes nothing and says nothing about notes",
			args:       []string{"--note", "ACME renewal", a},
			wantStdout: []string{"added 0 job(s); already watched: " + a + "\n"},
			notStdout:  "note replaced",
			wantNotes:  map[string]string{a: "ACME renewal", b: ""},
		},
		{
			name:       "an empty note clears and says what was there",
			args:       []string{"--note", "", a},
			wantStdout: []string{"note replaced on 1 job(s)", "  " + a + `  "ACME renewal"`},
			wantNotes:  map[string]string{a: ""},
		},
		{
			name:       "without --note, notes stay",
			args:       []string{a, b},
			wantStdout: []string{"added 0 job(s); already watched: " + a + " " + b + "\n"},
			notStdout:  "note",
			wantNotes:  map[string]string{a: "ACME renewal", b: ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if o := w.run("", "watch", "add", "--note", "ACME renewal", a); o.code != ExitOK {
				t.Fatalf("setup: %+v", o)
			}
			if o := w.run("", "watch", "add", b); o.code != ExitOK {
				t.Fatalf("setup: %+v", o)
			}
			o := w.run("", append([]string{"watch", "add"}, tt.args...)...)
			if o.code != ExitOK {
				t.Fatalf("exit %d: %+v", o.code, o)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(o.stdout, want) {
					t.Errorf("stdout %q lacks %q", o.stdout, want)
				}
			}
			if tt.notStdout != "" && strings.Contains(o.stdout[strings.Index(o.stdout, "\n"):], tt.notStdout) {
				t.Errorf("stdout %q says %q", o.stdout, tt.notStdout)
			}
			notes := map[string]string{}
			for _, j := range w.watchLS().Jobs {
				notes[j["job_id"].(string)] = j["note"].(string)
			}
			for id, want := range tt.wantNotes {
				if notes[id] != want {
					t.Errorf("note of %s is %q; want %q", id, notes[id], want)
				}
			}
		})
	}
}
