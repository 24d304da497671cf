package watchlist

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"faxwatch/api"
)

// The multi-process tests re-run this test binary as a helper: the
// environment selects the mode, -test.run selects TestHelperProcess.
const (
	envMode  = "FAXWATCH_WATCHLIST_HELPER"
	envPath  = "FAXWATCH_WATCHLIST_PATH"
	envGroup = "FAXWATCH_WATCHLIST_GROUP"
	envCount = "FAXWATCH_WATCHLIST_COUNT"
)

// TestHelperProcess is not a test: it is the child of the tests below. It
// adds IDs one at a time, each with its own save, and prints "saved ID" once
// the save has returned.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(envMode)
	if mode == "" {
		t.Skip("helper process for the multi-process tests")
	}
	group, _ := strconv.Atoi(os.Getenv(envGroup))
	count, _ := strconv.Atoi(os.Getenv(envCount))
	s, _, err := Open(Options{Path: os.Getenv(envPath)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(3)
	}
	for i := 0; mode == "loop" || i < count || mode == "die-before-rename"; i++ {
		id := testID(group, i)
		if mode == "die-before-rename" && i == count {
			// Exit runs no deferred clean-up: the temp file stays, as after a kill.
			testHookBeforeRename = func() { os.Exit(137) }
		}
		add := func(id api.JobID) error { _, _, err := s.Add(id); return err }
		if mode == "append" { // faxwatch watch add: spliced into the file
			add = func(id api.JobID) error {
				_, _, _, err := AddToFile(Options{Path: s.Path()}, []api.JobID{id}, "", false)
				return err
			}
		}
		if err := add(id); err != nil {
			fmt.Fprintln(os.Stderr, "add:", err)
			os.Exit(3)
		}
		fmt.Printf("saved %s\n", id)
	}
	os.Exit(0)
}

func helper(t *testing.T, mode, path string, group, count int) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), envMode+"="+mode, envPath+"="+path,
		envGroup+"="+strconv.Itoa(group), envCount+"="+strconv.Itoa(count))
	cmd.Stderr = os.Stderr
	return cmd
}

func TestProcessesAddingAtOnceLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 8 processes")
	}
	const procs, each = 8, 50
	path := tempPath(t)
	var wg sync.WaitGroup
	errs := make([]error, procs)
	for p := range procs {
		wg.Go(func() {
			mode := "count"
			if p%2 == 1 { // half of them add as `faxwatch watch add` does
				mode = "append"
			}
			out, err := helper(t, mode, path, p+1, each).Output()
			if err == nil && strings.Count(string(out), "saved ") != each {
				err = fmt.Errorf("printed %d saves", strings.Count(string(out), "saved "))
			}
			errs[p] = err
		})
	}
	wg.Wait()
	for p, err := range errs {
		if err != nil {
			t.Fatalf("process %d: %v", p+1, err)
		}
	}
	s := openAt(t, path, nil)
	if s.Len() != procs*each {
		t.Fatalf("%d IDs in the file, want %d", s.Len(), procs*each)
	}
	for p := range procs {
		for i := range each {
			if _, ok := s.Entry(testID(p+1, i)); !ok {
				t.Fatalf("%s lost", testID(p+1, i))
			}
		}
	}
}

func TestKilledMidSaveLosesNothingSaved(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process and kills it")
	}
	path := tempPath(t)
	// A big file makes each save take long enough to be killed inside one.
	seed := openAt(t, path, nil)
	var want []api.JobID
	for i := range 5000 {
		want = append(want, testID(8, i))
	}
	mustAdd(t, seed, want...)

	for round := range 3 {
		cmd := helper(t, "loop", path, 10+round, 0)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killAfter := 10 + 7*round
		lines := bufio.NewScanner(stdout)
		n := 0
		for n < killAfter && lines.Scan() {
			if id, ok := strings.CutPrefix(lines.Text(), "saved "); ok {
				want = append(want, api.JobID(id))
				n++
			}
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no clean-up runs
			t.Fatal(err)
		}
		for lines.Scan() { // saves that returned before the kill landed
			if id, ok := strings.CutPrefix(lines.Text(), "saved "); ok {
				want = append(want, api.JobID(id))
			}
		}
		_ = cmd.Wait()
		if n < killAfter {
			t.Fatalf("round %d: child ended after %d saves", round, n)
		}
		checkFileHolds(t, path, want)
	}
}

func TestKilledBeforeRenameKeepsOldFile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process that kills itself")
	}
	path := tempPath(t)
	const saved = 5
	out, err := helper(t, "die-before-rename", path, 1, saved).Output()
	if err == nil {
		t.Fatal("child was meant to die")
	}
	if got := strings.Count(string(out), "saved "); got != saved {
		t.Fatalf("child printed %d saves, want %d", got, saved)
	}
	var want []api.JobID
	for i := range saved {
		want = append(want, testID(1, i))
	}
	checkFileHolds(t, path, want)
	temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPrefix(path)+"*"))
	if len(temps) != 1 {
		t.Fatalf("want the dead save's temp file left behind, found %v", temps)
	}
	// The next Open removes it once it is old enough: date it by the fake
	// clock, not by when the child happened to run.
	c := newClock()
	died := c.Now().Add(-2 * time.Minute)
	if err := os.Chtimes(temps[0], died, died); err != nil {
		t.Fatal(err)
	}
	s := openAt(t, path, c)
	if _, ok := s.Entry(testID(1, saved)); ok {
		t.Fatal("the ID whose save never returned is in the file")
	}
	if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPrefix(path)+"*")); len(temps) != 0 {
		t.Fatalf("stale temp files not removed: %v", temps)
	}
}

// checkFileHolds asserts the file parses, loads without warnings and holds
// every ID in want.
func checkFileHolds(t *testing.T, path string, want []api.JobID) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil || !json.Valid(data) {
		t.Fatalf("file is not valid JSON (%v)", err)
	}
	s := openAt(t, path, nil)
	for _, id := range want {
		if _, ok := s.Entry(id); !ok {
			t.Fatalf("%s was saved and is gone", id)
		}
	}
}
