package serve

import (
	"strings"
	"testing"
	"time"

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
		{"screen TERM (tmux before 3.5)", "screen-256color", nil, tmuxStart},
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
