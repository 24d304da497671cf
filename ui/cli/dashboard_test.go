package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// TestSuperviseDashboard: a signal asks the dashboard to stop through its
// own quit path and waits for it, bounded; without a signal the program's
// own ending passes through.
func TestSuperviseDashboard(t *testing.T) {
	errQuit := errors.New("program error")
	tests := []struct {
		name         string
		signal       bool
		finishOnStop bool // the dashboard ends once asked (its save completes)
		wantErr      error
		wantSignal   string
		wantTimeout  bool
		wantKill     bool
	}{
		{"ends by itself", false, false, errQuit, "", false, false},
		{"signal, quit path finishes", true, true, nil, "hangup", false, false},
		{"signal, quit path stuck", true, false, nil, "hangup", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigCtx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			stopped := make(chan string, 1)
			release := make(chan struct{})
			grace := make(chan time.Time) // fires only when the test says
			killed := false
			run := func() error {
				if !tt.signal {
					return errQuit
				}
				<-release
				return nil
			}
			stop := func(reason string) {
				stopped <- reason
				if tt.finishOnStop {
					close(release)
				}
			}
			kill := func() { killed = true; close(release) }
			var asked time.Duration
			after := func(d time.Duration) <-chan time.Time { asked = d; return grace }
			if tt.signal {
				cancel(errors.New("hangup signal received"))
				if !tt.finishOnStop {
					go func() { <-stopped; stopped <- "hangup"; grace <- time.Time{} }()
				}
			}
			end := superviseDashboard(sigCtx, shutdownGrace, after, run, stop, kill)
			if !errors.Is(end.err, tt.wantErr) || end.signal != tt.wantSignal || end.timedOut != tt.wantTimeout || killed != tt.wantKill {
				t.Fatalf("end = %+v, killed %v; want err %v, signal %q, timed out %v, killed %v",
					end, killed, tt.wantErr, tt.wantSignal, tt.wantTimeout, tt.wantKill)
			}
			if tt.signal {
				if got := <-stopped; got != "hangup" {
					t.Errorf("stop reason %q", got)
				}
				if asked != shutdownGrace {
					t.Errorf("waited %s, want %s", asked, shutdownGrace)
				}
			}
		})
	}
}

// TestSuperviseDashboardRealSignal: a real SIGHUP, caught the way main
// catches it, reaches the dashboard as a stop request named "hangup".
func TestSuperviseDashboardRealSignal(t *testing.T) {
	sigCtx, stopNotify := signal.NotifyContext(context.Background(), syscall.SIGHUP)
	defer stopNotify()
	release := make(chan struct{})
	run := func() error { <-release; return nil }
	var reason string
	stop := func(r string) { reason = r; close(release) }
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	never := func(time.Duration) <-chan time.Time { return nil }
	end := superviseDashboard(sigCtx, shutdownGrace, never, run, stop, func() { t.Error("killed") })
	if end.signal != "hangup" || end.timedOut || reason != "hangup" {
		t.Fatalf("end = %+v, stop reason %q", end, reason)
	}
}

// TestNotSavedReport: after a signal, what the file lacks is said in one
// line on standard error: when the quit path ran out of time, and when the
// last save failed. The words come from the store and say only what is
// really pending.
func TestNotSavedReport(t *testing.T) {
	kept := api.JobID("br0012345h00001x")
	removed := api.JobID("br0012345h00002x")
	// A store whose file can no longer be written: its folder became a file.
	brokenStore := func(t *testing.T, edit func(*watchlist.Store)) (*watchlist.Store, error) {
		dir := filepath.Join(t.TempDir(), "state")
		s, _, err := watchlist.Open(watchlist.Options{Path: filepath.Join(dir, "watchlist.json"), OwnerSaves: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Add(kept, removed); err != nil {
			t.Fatal(err)
		}
		if err := s.Save(); err != nil {
			t.Fatal(err)
		}
		edit(s)
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		err = s.Save()
		if err == nil {
			t.Fatal("the save succeeded with its folder gone")
		}
		return s, err
	}
	remove := func(s *watchlist.Store) {
		if _, err := s.Remove(removed); err != nil {
			t.Fatal(err)
		}
	}
	note := func(s *watchlist.Store) {
		if err := s.SetNote(kept, "ACME"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		line func(t *testing.T) string
		want string // with %s for the save's error, when there is one
	}{
		{"grace ran out, the quit path knew", func(*testing.T) string { return saveTimedOut("SIGHUP", "1 removal") },
			"faxwatch: stopped by SIGHUP; the watchlist save did not finish within 5s; not saved: 1 removal\n"},
		{"grace ran out before the quit path said", func(*testing.T) string { return saveTimedOut("SIGTERM", "") },
			"faxwatch: stopped by SIGTERM; the watchlist save did not finish within 5s; not saved: changes since the last save\n"},
		{"last save failed, a removal pending", func(t *testing.T) string {
			s, err := brokenStore(t, remove)
			return saveFailed(s.UnsavedSummary(), err)
		}, "faxwatch: the watchlist was not saved (%s); not saved: 1 removal\n"},
		{"last save failed, a note pending", func(t *testing.T) string {
			s, err := brokenStore(t, note)
			return saveFailed(s.UnsavedSummary(), err)
		}, "faxwatch: the watchlist was not saved (%s); not saved: note changes\n"},
		{"no save tried", func(*testing.T) string { return saveFailed("1 added job", nil) },
			"faxwatch: the watchlist was not saved; not saved: 1 added job\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			(&reporter{w: &buf}).Printf("%s", tt.line(t))
			got := buf.String()
			if strings.Contains(tt.want, "%s") {
				// The OS words the error; the line must carry its first line.
				before, after, _ := strings.Cut(tt.want, "%s")
				if !strings.HasPrefix(got, before) || !strings.HasSuffix(got, after) || len(got) <= len(before)+len(after) ||
					strings.Count(got, "\n") != 1 {
					t.Errorf("stderr %q, want %q", got, tt.want)
				}
				return
			}
			if got != tt.want {
				t.Errorf("stderr %q, want %q", got, tt.want)
			}
		})
	}
}
