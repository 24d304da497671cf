package watchlist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// FuzzLoad feeds any bytes to Open as the watchlist file: it must not panic,
// must decode the same in small windows as whole, and it either loads
// (entries valid, the file untouched), moves the file aside with a warning,
// or refuses a newer schema without touching the file.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"version":1,"jobs":[{"id":"br1000001x","note":"n","status":{"state":"failed","status_id":2}}]}`))
	// One folder per process, emptied each run: a fuzz worker runs inputs one
	// at a time, and a fresh TempDir per input made disk churn the bottleneck.
	dir := f.TempDir()
	path := filepath.Join(dir, "watchlist.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		names, _ := os.ReadDir(dir)
		for _, n := range names {
			if n.Name() != "watchlist.json.lock" {
				_ = os.Remove(filepath.Join(dir, n.Name()))
			}
		}
		// Read in small windows, the bytes must decode as they do whole.
		whole, wholeDropped, wholeErr := decodeWindowed(path, bytes.NewReader(data), len(data), len(data)+1)
		small, smallDropped, smallErr := decodeWindowed(path, bytes.NewReader(data), len(data), 7)
		if fmt.Sprint(wholeErr) != fmt.Sprint(smallErr) || !reflect.DeepEqual(whole, small) || !slices.Equal(wholeDropped, smallDropped) {
			t.Fatalf("7-byte windows decode differently:\n%v %v %q\n%v %v %q", small, smallErr, smallDropped, whole, wholeErr, wholeDropped)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c := newClock()
		s, warns, err := Open(Options{Path: path, Now: c.Now})
		if err != nil {
			if !json.Valid(data) {
				t.Fatalf("invalid JSON refused instead of moved aside: %v", err)
			}
			if !errors.Is(err, ErrNewerVersion) {
				t.Fatalf("Open failed with something other than a newer version: %v", err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
				t.Fatal("a refused file was modified")
			}
			return
		}
		aside := path + ".corrupt-" + c.Now().Format("20060102T150405")
		if got, err := os.ReadFile(aside); err == nil {
			if !bytes.Equal(got, data) || len(warns) != 1 || !strings.Contains(warns[0], "moved aside") || s.Len() != 0 {
				t.Fatalf("moved aside wrongly: %q, %d entries", warns, s.Len())
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Fatal("corrupt file still in place")
			}
			return
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
			t.Fatal("a loaded file was modified by Open")
		}
		if !json.Valid(data) {
			t.Fatal("the reader accepted bytes encoding/json calls invalid")
		}
		seen := map[string]bool{}
		for _, e := range s.Entries() {
			if !validID(e.ID) || seen[string(e.ID)] {
				t.Fatalf("bad or duplicate ID loaded: %q", e.ID)
			}
			seen[string(e.ID)] = true
			if len(e.History) > HistoryLimit || !knownState(e.Last.State) {
				t.Fatalf("unbounded history or unknown state: %d, %q", len(e.History), e.Last.State)
			}
			for _, str := range []string{e.Note, e.Last.Description, e.Last.Error.Message, e.Last.FaxJobID, e.Last.StaleReason} {
				if strings.ContainsFunc(str, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
					t.Fatalf("control characters survived loading: %q", str)
				}
			}
		}
		// What loaded must save and load back to the same bytes.
		first := encodeEntries(s.Entries(), 0)
		again, dropped, err := decodeEntries(path, first)
		if err != nil || len(dropped) > 0 {
			t.Fatalf("saved form does not load: %v, %v", err, dropped)
		}
		second := encodeEntries(again, 0)
		if !bytes.Equal(first, second) {
			t.Fatalf("save/load not stable:\n%s\n%s", first, second)
		}
	})
}
