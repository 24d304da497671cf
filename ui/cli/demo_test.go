package cli

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// snapshotTree records every file under root with its bytes and mtime.
func snapshotTree(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		val := info.Mode().String() + " " + info.ModTime().Format(time.RFC3339Nano)
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			val += " " + string(b)
		}
		files[p] = val
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDemoLeavesTheUsersFilesAlone: with --demo, a config that would fail to
// load and a watchlist that would be moved aside as corrupt stay exactly as
// they were, nothing is added beside them, and the demo's temp dir is gone.
func TestDemoLeavesTheUsersFilesAlone(t *testing.T) {
	w := newWorld(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, f := range []struct{ path, content string }{
		{filepath.Join(w.env["XDG_CONFIG_HOME"], "faxwatch", "config.toml"), "this is [[[ not toml\n"},
		{filepath.Join(w.env["XDG_STATE_HOME"], "faxwatch", "watchlist.json"), "{not json"},
		{filepath.Join(w.dir, "explicit.toml"), "[api]\nendpont = 1\n"},
	} {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Dir(f.path), filepath.Base(f.path), f.content, 0o600)
	}
	w.env["FAXWATCH_CONFIG"] = filepath.Join(w.dir, "explicit.toml")
	before := snapshotTree(t, w.dir)

	o := w.run("", "--demo", "status", "--format", "json")
	if o.code != ExitOK {
		t.Fatalf("demo status: %+v", o)
	}
	var doc struct{ Jobs []struct{ State string } }
	if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	states := map[string]bool{}
	for _, j := range doc.Jobs {
		states[j.State] = true
	}
	for _, s := range []string{"succeeded", "failed", "processing", "invalid"} {
		if !states[s] {
			t.Errorf("demo jobs lack the state %s: %v", s, states)
		}
	}

	if o := w.run("", "watch", "ls", "--demo"); o.code != ExitOK || len(o.stdout) < 100 {
		t.Errorf("demo watch ls: %+v", o)
	}
	if o := w.run("", "watch", "add", "br0012345h00001x", "--demo"); o.code != ExitOK {
		t.Errorf("demo watch add: %+v", o)
	}
	if o := w.run("", "--demo", "watch", "clear"); o.code != ExitOK {
		t.Errorf("demo watch clear: %+v", o)
	}

	if after := snapshotTree(t, w.dir); !reflect.DeepEqual(before, after) {
		t.Errorf("--demo touched the user's files:\nbefore %v\nafter  %v", before, after)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("demo left %d entries in TMPDIR", len(left))
	}
}
