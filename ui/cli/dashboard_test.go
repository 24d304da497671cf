package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
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
