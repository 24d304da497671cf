package serve

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"faxwatch/ui"
	"faxwatch/ui/alert"
)

const (
	osc9Start = "\x1b]9;faxwatch: "
	tmuxStart = "\x1bPtmux;\x1b\x1b]9;faxwatch: "
)

// getenvOf is a getenv holding the name, value pairs kv.
func getenvOf(kv ...string) func(string) string {
	return func(k string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1]
			}
		}
		return ""
	}
}

// A watched job fails: each viewer's terminal gets the desktop notification
// its own pty calls for, whatever terminal the server runs in (tmux here).
func TestDesktopNotificationFollowsEachViewersTerminal(t *testing.T) {
	id := testJob(1)
	fromServer := alert.NewDesktop(alert.DesktopOSC9, getenvOf("TERM", "tmux-256color", "TMUX", "/tmp/tmux-0/default,1,0"))
	r := newRigWith(t, nil, func(o *HubOptions) {
		o.Notify = alert.Config{On: alert.DefaultOn(), StaleAfter: alert.DefaultStaleAfter}
	}, func(o *Options) {
		o.Dashboard.Notify = alert.Config{On: alert.DefaultOn(), StaleAfter: alert.DefaultStaleAfter, Desktop: fromServer}
	}, id)
	settled(t, r.hub, r.src, 1) // the first answer, processing, is no news

	tests := []struct {
		name, termType string
		env            []string // sent by the client, as SendEnv does
		want           string   // how the notification starts; "" none at all
	}{
		{"TERM=dumb", "dumb", nil, ""},
		{"xterm", "xterm-256color", nil, osc9Start},
		{"tmux TERM", "tmux-256color", nil, tmuxStart},
		{"screen TERM: maybe GNU screen, so unwrapped", "screen-256color", nil, osc9Start},
		{"TMUX sent by the client", "xterm-256color", []string{"TMUX", "/tmp/tmux-1000/default,7,0"}, tmuxStart},
	}
	terms := make([]*term, len(tests))
	for i, tt := range tests {
		terms[i], _ = r.openTermOn(t, "alice", tt.termType, tt.env, 120, 30, true)
		terms[i].waitFor(t, "1 processing", 5*time.Second)
	}
	r.src.fail(id)
	if got := r.hub.Refresh("test", false); got != "refreshing for everyone" {
		t.Fatalf("refresh: %q", got)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := terms[i]
			tm.waitFor(t, "Line busy", 5*time.Second) // the session took the failed poll
			// A key's answer comes after the alert's output, if any.
			tm.send(t, "p")
			tm.waitFor(t, "polling is shared by everyone", 5*time.Second)
			out := tm.output()
			if tt.want == "" {
				if strings.Contains(out, "]9;") || strings.Contains(out, "]777;") {
					t.Fatalf("a %s terminal got a desktop notification: %q", tt.termType, out)
				}
				return
			}
			at := strings.Index(out, tt.want)
			if at < 0 {
				t.Fatalf("no notification starting %q in %q", tt.want, out)
			}
			if tt.want == osc9Start && strings.Contains(out, "Ptmux;") {
				t.Fatalf("a terminal outside tmux got tmux's wrapper: %q", out)
			}
			if !strings.Contains(out[at:], string(id)+" failed (4001 Line busy)") {
				t.Errorf("the notification does not name the job: %q", out[at:])
			}
		})
	}
}

// The notify command runs once, in the server: when it fails, every open
// session's header says so, and a viewer's too; a run that works clears it.
func TestNotifyCommandFailureShownInEverySession(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on this machine")
	}
	fixed := filepath.Join(t.TempDir(), "fixed")
	cmd, err := alert.NewCommand([]string{"sh", "-c", `[ -e "$1" ] && exit 0; echo "webhook said no" >&2; exit 2`, "sh", fixed}, os.Environ(), nil)
	if err != nil {
		t.Fatal(err)
	}
	first, second := testJob(1), testJob(2)
	var clock *fakeClock
	r := newRigWith(t, nil, func(o *HubOptions) {
		clock = newFakeClock(t)
		o.Now, o.After, o.Interval = clock.Now, clock.After, 20*time.Second
		o.Notify = alert.Config{On: alert.DefaultOn(), StaleAfter: alert.DefaultStaleAfter, Command: cmd}
	}, nil, first, second)
	t.Cleanup(clock.stop) // before the server's shutdown waits for the hub's timers
	polls := int64(1)
	settledAfterTick(t, r.hub, r.src, clock, polls)
	poll := func() {
		t.Helper()
		clock.Advance(20 * time.Second)
		clock.fireAll()
		polls++
		settledAfterTick(t, r.hub, r.src, clock, polls)
	}

	alice, _ := r.openTerm(t, "alice", 120, 30, true)
	bob, _ := r.openTerm(t, "bob", 120, 30, true) // a viewer
	sessions := map[string]*term{"alice": alice, "bob": bob}
	for _, tm := range sessions {
		tm.waitFor(t, "2 processing", 5*time.Second)
	}

	r.src.fail(first)
	poll()
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.NotifyFailed != "" })
	if got, want := r.hub.State().NotifyFailed, `notify command "sh" failed: exit status 2: webhook said no`; got != want {
		t.Fatalf("published failure %q, want %q", got, want)
	}
	for name, tm := range sessions {
		t.Run(name+" sees the failure", func(t *testing.T) {
			tm.waitFor(t, "⚠ notify command failed", 5*time.Second)
			tm.waitFor(t, "webhook said no", 5*time.Second) // the toast says why
		})
	}

	if err := os.WriteFile(fixed, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r.src.fail(second)
	poll()
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.NotifyFailed == "" })
	// A change after the clear: once a session shows it, it has read a
	// state without the failure.
	if err := r.hub.SetNote("carol", first, "called the customer"); err != nil {
		t.Fatal(err)
	}
	for name, tm := range sessions {
		t.Run(name+" sees it cleared", func(t *testing.T) {
			tm.waitFor(t, "called the c", 5*time.Second) // the note, in its column
			// A new width repaints the whole screen, from the header down
			// to the footer's help.
			since := len(tm.output())
			if err := tm.sess.WindowChange(30, 121); err != nil {
				t.Fatal(err)
			}
			tm.waitForSince(t, since, "quit", 5*time.Second)
			if repaint := tm.output()[since:]; strings.Contains(repaint, "notify command failed") {
				t.Fatalf("the header still shows the failure after a run that worked: %q", repaint)
			}
		})
	}
}
