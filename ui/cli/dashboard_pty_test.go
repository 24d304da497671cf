//go:build unix

package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/watchlist"
)

// ptyJobs is the list size of the report: big enough that a save is
// still in flight when the signal comes.
const ptyJobs = 50_000

// TestDashboardSavesOnSignalInATerminal is the report as it was made: the real
// faxwatch binary on a pseudo-terminal with 50,000 jobs; `d` removes the
// selected job, and the moment the dashboard shows the removal (its save to
// the file is then just starting) the terminal goes away: SIGHUP, SIGTERM, or
// the terminal itself closed. The file must no longer hold the job.
func TestDashboardSavesOnSignalInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds faxwatch and runs it on a pseudo-terminal")
	}
	bin := buildFaxwatch(t)
	list, first := fiftyThousandJobs(t)
	cases := []struct {
		name string
		end  func(cmd *exec.Cmd, tty *os.File) error
	}{
		{"SIGHUP", func(cmd *exec.Cmd, _ *os.File) error { return cmd.Process.Signal(syscall.SIGHUP) }},
		{"SIGTERM", func(cmd *exec.Cmd, _ *os.File) error { return cmd.Process.Signal(syscall.SIGTERM) }},
		// The kernel sends SIGHUP itself, and the screen is gone for good.
		{"terminal closed", func(_ *exec.Cmd, tty *os.File) error { return tty.Close() }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path, cmd, tty, stderr := dashboardOnPty(t, bin, list)
			screen := readScreen(tty)
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			defer func() {
				_ = cmd.Process.Kill()
				_ = tty.Close()
			}()

			if !screen.waitFor(string(first), 20*time.Second) {
				t.Fatalf("no table on the screen:\n%s", screen.text())
			}
			mark := screen.len()
			if _, err := tty.Write([]byte("d")); err != nil {
				t.Fatal(err)
			}
			if !screen.waitForAfter(mark, "undo", 10*time.Second) {
				t.Fatalf("the removal never showed:\n%s", screen.text())
			}
			ending := screen.len()
			if err := tc.end(cmd, tty); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != ExitInterrupted {
					t.Errorf("faxwatch ended with %v, want exit code %d", err, ExitInterrupted)
				}
			case <-time.After(15 * time.Second): // the quit path is bounded to 5 s
				t.Fatalf("faxwatch did not exit:\n%s", screen.text())
			}
			// Asking the terminal anything on the way out would hold the exit
			// up to seconds where the terminal never answers.
			if strings.Contains(screen.rawFrom(ending), ansi.RequestPrimaryDeviceAttributes) {
				t.Error("faxwatch queried the terminal after the signal")
			}
			if strings.Contains(stderr.String(), "not saved") {
				t.Errorf("stderr: %s", stderr.String())
			}
			s, warnings, err := watchlist.Open(watchlist.Options{Path: path})
			if err != nil || len(warnings) > 0 {
				t.Fatalf("the file after the signal: %v %v", err, warnings)
			}
			if _, ok := s.Entry(first); ok || s.Len() != ptyJobs-1 {
				t.Fatalf("the file holds %d jobs (removed job still there: %v); want %d.\nstderr and screen:\n%s",
					s.Len(), ok, ptyJobs-1, screen.text())
			}
		})
	}
}

// dashboardOnPty starts the dashboard of bin on a 160×40 pseudo-terminal,
// its watchlist file holding list and its endpoint never asked (the test
// lists hold final jobs, or none). stderr is what faxwatch says apart from
// the screen.
func dashboardOnPty(t *testing.T, bin string, list []byte) (path string, cmd *exec.Cmd, tty *os.File, stderr *sim.LockedBuffer) {
	t.Helper()
	dir := t.TempDir()
	path = filepath.Join(dir, "watchlist.json")
	if err := os.WriteFile(path, list, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, dir, "config.toml", fmt.Sprintf("[api]\nendpoint = \"http://127.0.0.1:9/fax/v5\"\nuser_id = \"mbx1\"\n"+
		"[auth]\nmode = \"token\"\ntoken = \"pty-test-token\"\n[watch]\nfile = %q\n", path), 0o600)
	cmd = exec.Command(bin, "--config", cfg)
	cmd.Env = []string{"HOME=" + dir, "TERM=xterm-256color", "PATH=" + os.Getenv("PATH")}
	stderr = &sim.LockedBuffer{}
	cmd.Stderr = stderr
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Skip("no pseudo-terminal here:", err)
	}
	return path, cmd, tty, stderr
}

// buildFaxwatch builds the real binary once for the test.
func buildFaxwatch(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build faxwatch with")
	}
	bin := filepath.Join(t.TempDir(), "faxwatch")
	out, err := exec.Command(gobin, "build", "-o", bin, "faxwatch").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fiftyThousandJobs is a saved list of ptyJobs final jobs and its first ID.
func fiftyThousandJobs(t *testing.T) ([]byte, api.JobID) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "watchlist.json")
	s, _, err := watchlist.Open(watchlist.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]api.JobID, ptyJobs)
	res := &api.Result{Return: true, Jobs: make([]api.JobStatus, ptyJobs)}
	for i := range ids {
		ids[i] = api.JobID(fmt.Sprintf("br%07dh%05dx", i, i%99999))
		res.Jobs[i] = api.JobStatus{JobID: ids[i], FaxJobID: string(ids[i]), StatusID: api.StatusSucceeded,
			Description: "Job completed", State: api.StateSucceeded}
	}
	if _, _, err := s.Add(ids...); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(res, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data, ids[0]
}

// screen collects what the program wrote to its terminal, and answers its
// background-colour query as a terminal emulator would (a dark one): left
// unanswered, every query waits out its 2 s timeout.
type screen struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	answered int // bytes of buf searched for queries
	changed  chan struct{}
}

// queryAnswer answers OSC 11 and the DA1 request that ends the query.
const queryAnswer = "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;c"

func readScreen(tty *os.File) *screen {
	s := &screen{changed: make(chan struct{}, 1)}
	go func() {
		chunk := make([]byte, 32<<10)
		for {
			n, err := tty.Read(chunk)
			s.mu.Lock()
			s.buf.Write(chunk[:n])
			queries := bytes.Count(s.buf.Bytes()[s.answered:], []byte(ansi.RequestPrimaryDeviceAttributes))
			s.answered = max(s.answered, s.buf.Len()-len(ansi.RequestPrimaryDeviceAttributes)+1)
			s.mu.Unlock()
			for range queries {
				_, _ = tty.Write([]byte(queryAnswer))
			}
			select {
			case s.changed <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

func (s *screen) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Len()
}

func (s *screen) rawFrom(from int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.buf.Bytes()[from:])
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.Strip(s.buf.String())
}

func (s *screen) waitFor(text string, limit time.Duration) bool {
	return s.waitForAfter(0, text, limit)
}

// waitForAfter waits until text appears in what was written after the first
// from bytes, or limit passes.
func (s *screen) waitForAfter(from int, text string, limit time.Duration) bool {
	deadline := time.After(limit)
	for {
		s.mu.Lock()
		found := strings.Contains(ansi.Strip(string(s.buf.Bytes()[from:])), text)
		s.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-s.changed:
		case <-deadline:
			return false
		}
	}
}

// The list is read after the first frame; one that cannot be opened (a newer
// faxwatch wrote it) still ends the dashboard with the one-line error, the
// exit code and the file as they were before that change.
func TestDashboardRefusesANewerListInATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds faxwatch and runs it on a pseudo-terminal")
	}
	newer := []byte(`{"version":99,"jobs":[]}`)
	path, cmd, tty, stderr := dashboardOnPty(t, buildFaxwatch(t), newer)
	screen := readScreen(tty)
	defer func() {
		_ = cmd.Process.Kill()
		_ = tty.Close()
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != ExitFailed {
			t.Errorf("faxwatch ended with %v, want exit code %d", err, ExitFailed)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("faxwatch did not exit:\n%s", screen.text())
	}
	if got := strings.TrimSpace(stderr.String()); !strings.Contains(got, "schema version 99") || strings.Count(got, "\n") != 0 {
		t.Errorf("stderr %q; want one line naming the schema version", got)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, newer) {
		t.Errorf("the newer file was changed: %s", after)
	}
}
