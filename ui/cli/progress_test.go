package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"faxwatch/api"
	"faxwatch/api/sim"
)

// The progress line, driven by a fake clock: when it appears, what it says,
// that a message moves it and that stop erases it for good.
func TestProgressLine(t *testing.T) {
	const erase = "\r\x1b[2K"
	type step struct {
		after   time.Duration // the clock moves on by this much first
		attempt int           // an attempt starts (0: a tick)
		message string        // a message is printed instead
		stop    bool
	}
	tests := []struct {
		name   string
		jobs   int
		width  int
		steps  []step
		screen string
	}{
		{
			name:   "a quick answer shows nothing",
			jobs:   3,
			steps:  []step{{attempt: 1}, {after: 300 * time.Millisecond}, {stop: true}},
			screen: "",
		},
		{
			name:  "after a second it counts, and is erased at the end",
			jobs:  3,
			steps: []step{{attempt: 1}, {after: 500 * time.Millisecond}, {after: 500 * time.Millisecond}, {after: time.Second}, {stop: true}},
			screen: erase + "asking Concord for 3 jobs… 1s, attempt 1 of 3" +
				erase + "asking Concord for 3 jobs… 2s, attempt 1 of 3" + erase,
		},
		{
			name:   "a retry shows at once",
			jobs:   1,
			steps:  []step{{attempt: 1}, {after: 200 * time.Millisecond, attempt: 2}, {stop: true}},
			screen: erase + "asking Concord for 1 job… 0s, attempt 2 of 3" + erase,
		},
		{
			name:   "a replay with a fresh token beyond the attempts",
			jobs:   2,
			steps:  []step{{attempt: 4}, {stop: true}},
			screen: erase + "asking Concord for 2 jobs… 0s, attempt 4" + erase,
		},
		{
			name:  "a message goes above the line, which comes back",
			jobs:  2,
			steps: []step{{attempt: 2}, {message: "warning: x"}, {stop: true}},
			screen: erase + "asking Concord for 2 jobs… 0s, attempt 2 of 3" +
				erase + "faxwatch: warning: x\n" + "asking Concord for 2 jobs… 0s, attempt 2 of 3" + erase,
		},
		{
			name:   "clipped to the terminal so it never wraps",
			jobs:   3,
			width:  20,
			steps:  []step{{attempt: 2}, {stop: true}},
			screen: erase + "asking Concord for…" + erase,
		},
		{
			name:   "nothing after stop",
			jobs:   3,
			steps:  []step{{attempt: 2}, {stop: true}, {after: 5 * time.Second}, {attempt: 3}},
			screen: erase + "asking Concord for 3 jobs… 0s, attempt 2 of 3" + erase,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var screen bytes.Buffer
			clock := sim.Epoch(time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC))
			p := newProgress(&reporter{w: &screen}, tt.width, api.DefaultMaxAttempts, func() time.Time { return clock })
			p.begin(tt.jobs)
			for _, s := range tt.steps {
				clock = clock.Add(s.after)
				switch {
				case s.stop:
					p.stop()
				case s.message != "":
					p.out.Printf("%s", s.message)
				case s.attempt > 0:
					p.onAttempt(api.Call{Attempt: s.attempt})
				default:
					p.tick()
				}
			}
			if got := screen.String(); got != tt.screen {
				t.Errorf("screen\n got %q\nwant %q", got, tt.screen)
			}
		})
	}
}

// status against a server that never answers: on a terminal, standard error
// shows the attempts as they happen and ends with the count; standard output
// (and standard error off a terminal) carries no progress.
func TestStatusProgressWhileTheServerHangs(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7, Faults: sim.Faults{Hang: true}})
	asked := ids(srv, 3)
	for _, onTerminal := range []bool{true, false} {
		name := map[bool]string{true: "stderr a terminal", false: "stderr a pipe"}[onTerminal]
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			cfg := w.configFor(srv, running, "")
			text, err := os.ReadFile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, w.dir, "config.toml", strings.Replace(string(text), "[api]\n", "[api]\ntimeout = \"200ms\"\n", 1), 0o600)
			var stderr io.Writer
			var screen bytes.Buffer
			drained := make(chan struct{})
			if onTerminal {
				term, tty, err := pty.Open()
				if err != nil {
					t.Skipf("no pseudo-terminal here: %v", err)
				}
				defer term.Close()
				go func() { _, _ = io.Copy(&screen, term); close(drained) }()
				stderr = tty
				defer func() {
					tty.Close()
					<-drained // everything written has been read
					checkProgressScreen(t, screen.String())
				}()
			} else {
				stderr = &screen
				defer func() {
					if s := screen.String(); strings.Contains(s, "asking Concord") || strings.ContainsRune(s, 0x1b) ||
						!strings.Contains(s, "no answer within 200ms (3 attempts)") {
						t.Errorf("stderr off a terminal: %q", s)
					}
				}()
			}
			var stdout bytes.Buffer
			args := append([]string{"status", "--config", cfg, "--format", "json"}, asked...)
			code := Run(t.Context(), args, Stdio{In: strings.NewReader(""), Out: &stdout, Err: stderr}, envOf(w.env))
			var doc statusDoc
			if code != ExitFailed || json.Unmarshal(stdout.Bytes(), &doc) != nil || strings.Contains(stdout.String(), "asking") {
				t.Fatalf("exit %d, stdout %q", code, stdout.String())
			}
		})
	}
}

// checkProgressScreen: the retries were shown, the line was erased before
// the final message, which counts the attempts.
func checkProgressScreen(t *testing.T, s string) {
	t.Helper()
	for _, want := range []string{
		"\r\x1b[2Kasking Concord for 3 jobs… ", // the seconds depend on the backoff's jitter
		", attempt 2 of 3",
		", attempt 3 of 3",
		"\r\x1b[2Kfaxwatch: network: no answer within 200ms (3 attempts)",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the terminal lacks %q:\n%q", want, s)
		}
	}
	if i := strings.LastIndex(s, "faxwatch: "); i >= 0 && strings.Contains(s[i:], "asking") {
		t.Errorf("the progress line outlives the final message: %q", s)
	}
}
