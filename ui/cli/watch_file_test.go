package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Errors that already name a path or address say it once.
func TestErrorsNameThePathOnce(t *testing.T) {
	w := newWorld(t)
	path := filepath.Join(w.env["XDG_STATE_HOME"], "faxwatch", "watchlist.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"version": 99, "jobs": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(w.dir, "a-folder") // a folder where the file should be
	if err := os.Mkdir(unreadable, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, w.dir, "c.toml", "[watch]\nfile = \""+unreadable+"\"\n", 0o644)
	cases := []struct {
		name, said string
		args       []string
		want       string
	}{
		{"newer schema", path, []string{"watch", "ls"}, "schema version 99"},
		{"sim address", "0.0.0.0:0", []string{"sim", "--listen", "0.0.0.0:0"}, "not loopback"},
		{"other watchlist error", unreadable, []string{"watch", "ls", "--config", cfg}, "watchlist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := w.run("", c.args...)
			if o.code == ExitOK || !strings.Contains(o.stderr, c.want) {
				t.Fatalf("%+v; want a failure saying %q", o, c.want)
			}
			if n := strings.Count(o.stderr, c.said); n != 1 {
				t.Errorf("%q said %d times: %s", c.said, n, o.stderr)
			}
		})
	}
}

func TestWatchAddNoteOnNewAndWatchedJobs(t *testing.T) {
	w := newWorld(t)
	a, b := "br0012345h00001x", "br0012345h00002y"
	if o := w.run("", "watch", "add", a); o.code != ExitOK {
		t.Fatalf("%+v", o)
	}
	o := w.run("", "watch", "add", "--note", "ACME renewal", a, b)
	if o.code != ExitOK || !strings.Contains(o.stdout, "added 1 job(s); already watched: "+a) {
		t.Fatalf("%+v", o)
	}
	for _, j := range w.watchLS().Jobs {
		if j["note"] != "ACME renewal" {
			t.Errorf("%s: note %q", j["job_id"], j["note"])
		}
	}
}

// Without XDG_STATE_HOME the watchlist goes under the injected HOME.
func TestWatchlistDefaultPathFromInjectedHome(t *testing.T) {
	w := newWorld(t)
	delete(w.env, "XDG_STATE_HOME")
	if o := w.run("", "watch", "add", "br0012345h00001x"); o.code != ExitOK {
		t.Fatalf("%+v", o)
	}
	if _, err := os.Stat(filepath.Join(w.env["HOME"], ".local", "state", "faxwatch", "watchlist.json")); err != nil {
		t.Fatalf("watchlist not under $HOME/.local/state: %v", err)
	}
}
