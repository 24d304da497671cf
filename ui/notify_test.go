package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"faxwatch/api"
	"faxwatch/ui/alert"
	"faxwatch/watchlist"
)

func xterm(k string) string {
	if k == "TERM" {
		return "xterm-256color"
	}
	return ""
}

// notifyHarness is a dashboard whose alerts ring, notify with OSC 9 and run
// script with sh, its standard input saved to the returned file.
func notifyHarness(t *testing.T, script string, ids ...api.JobID) (*harness, string) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on this machine")
	}
	out := filepath.Join(t.TempDir(), "stdin.json")
	cmd, err := alert.NewCommand([]string{"sh", "-c", script, "sh", out}, os.Environ(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := alert.Config{On: alert.DefaultOn(), Bell: true, Desktop: alert.NewDesktop(alert.DesktopOSC9, xterm), Command: cmd}
	h := newHarness(t, Options{Notify: cfg}, ids...)
	h.start()
	return h, out
}

// outputs counts what reached the terminal since the last call.
func (h *harness) outputs() (bells int, desktop []string) {
	for _, r := range h.raw {
		raw, ok := r.(tea.RawMsg)
		if !ok {
			continue
		}
		switch s := raw.Msg.(string); {
		case s == "\a":
			bells++
		case strings.HasPrefix(s, "\x1b]9;"):
			desktop = append(desktop, s)
		}
	}
	h.raw = nil
	return bells, desktop
}

func failAll(h *harness, ids ...api.JobID) {
	for _, id := range ids {
		h.src.set(status(id, api.StatusFailed, "Busy", 2008, "line busy"))
	}
}

func TestAlertReachesBellDesktopAndCommand(t *testing.T) {
	ids := jobIDs(3)
	h, out := notifyHarness(t, `cat > "$1"`, ids...)
	if bells, desk := h.outputs(); bells != 0 || len(desk) != 0 {
		t.Fatalf("first answers alerted: %d bells, %q", bells, desk)
	}
	failAll(h, ids...)
	h.key("r")
	bells, desk := h.outputs()
	if bells != 1 || len(desk) != 1 {
		t.Fatalf("three jobs failing in one poll: %d bells, %d notifications; want one of each", bells, len(desk))
	}
	want := "\x1b]9;faxwatch: 3 jobs failed: " + string(ids[0]) + ", " + string(ids[1]) + ", " + string(ids[2]) + "\a"
	if desk[0] != want {
		t.Errorf("notification %q, want %q", desk[0], want)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the command did not run: %v", err)
	}
	var got struct {
		Jobs []struct {
			JobID    string `json:"job_id"`
			OldState string `json:"old_state"`
			NewState string `json:"new_state"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(data, &got); err != nil || len(got.Jobs) != 3 ||
		got.Jobs[0].OldState != "processing" || got.Jobs[0].NewState != "failed" {
		t.Fatalf("command input %s (%v)", data, err)
	}
	h.key("R") // final jobs polled again, still failed: no news
	if bells, desk := h.outputs(); bells != 0 || len(desk) != 0 {
		t.Errorf("a re-poll with no change alerted: %d bells, %q", bells, desk)
	}
}

func TestMuteKey(t *testing.T) {
	ids := jobIDs(2)
	h, out := notifyHarness(t, `cat > "$1"`, ids...)
	h.key("N")
	if !strings.Contains(h.plain(), "muted until") || !strings.Contains(h.toast(), "alerts muted until") {
		t.Fatalf("N: header and toast do not say muted:\n%s", h.plain())
	}
	failAll(h, ids[0])
	h.key("r")
	if bells, desk := h.outputs(); bells != 0 || len(desk) != 0 {
		t.Errorf("muted, yet %d bells and %q", bells, desk)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("muted, yet the command ran (%v)", err)
	}
	// The hour passes: alerts come back by themselves.
	h.clock.Advance(alert.MuteFor)
	if strings.Contains(h.plain(), "muted") {
		t.Errorf("still muted after an hour:\n%s", h.plain())
	}
	failAll(h, ids[1])
	h.key("r")
	if bells, desk := h.outputs(); bells != 1 || len(desk) != 1 {
		t.Errorf("after the mute: %d bells, %d notifications; want one each", bells, len(desk))
	}
	// N twice is mute then unmute.
	h.key("N", "N")
	if strings.Contains(h.plain(), "muted") || h.toast() != "alerts on" {
		t.Errorf("N twice: toast %q\n%s", h.toast(), h.plain())
	}
	h.key("?")
	if !strings.Contains(h.plain(), "mute alerts 1h") {
		t.Errorf("N is not in the full help:\n%s", h.plain())
	}
}

func TestNotifyCommandFailureIsShownNotFatal(t *testing.T) {
	ids := jobIDs(2)
	h, _ := notifyHarness(t, `echo "webhook said no" >&2; exit 2`, ids...)
	failAll(h, ids[0])
	h.key("r")
	if !strings.Contains(h.plain(), "⚠ notify command failed") {
		t.Fatalf("the header does not show the failure:\n%s", h.plain())
	}
	var toasts []string
	for _, ts := range h.m.status.toasts {
		toasts = append(toasts, ts.text)
	}
	if !strings.Contains(strings.Join(toasts, "\n"), `notify command "sh" failed: exit status 2: webhook said no`) {
		t.Errorf("no toast says why: %q", toasts)
	}
	calls := h.src.callCount()
	failAll(h, ids[1])
	h.key("r")
	if h.src.callCount() != calls+1 || h.m.ctx.Err() != nil {
		t.Fatal("the dashboard stopped polling after the command failed")
	}
	// Fixed: the marker goes at the next run that works.
	cmd, err := alert.NewCommand([]string{"true"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.m.alerts.cfg.Command = cmd
	h.src.set(status(ids[0], api.StatusSucceeded, "Done", 0, ""))
	h.key("R")
	h.src.set(status(ids[0], api.StatusFailed, "Busy", 2008, "line busy"))
	h.key("R")
	if strings.Contains(h.plain(), "notify command failed") {
		t.Errorf("the marker stayed after a run that worked:\n%s", h.plain())
	}
}

func TestStaleAlert(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{Notify: alert.Config{On: []alert.Kind{alert.Stale}, StaleAfter: 5 * time.Minute, Bell: true}}, ids...)
	h.start()
	h.src.setErr(errors.New("dial tcp: connection refused"))
	for range 3 { // three failed polls, two minutes apart
		h.key("r")
		h.clock.Advance(2 * time.Minute)
	}
	if bells, _ := h.outputs(); bells != 0 {
		t.Fatalf("rang after 4 minutes of failures; stale_after is 5m")
	}
	h.key("r") // 6 minutes into the outage
	h.clock.Advance(2 * time.Minute)
	h.key("r")
	if bells, _ := h.outputs(); bells != 1 {
		t.Fatalf("%d bells for one outage past stale_after, want 1", bells)
	}
}

// The escape sequence reaches the terminal through a real program: the
// renderer writes it between frames, intact.
func TestDesktopNotificationInTerminalOutput(t *testing.T) {
	ids := jobIDs(2)
	src := newSource()
	clock := newClock()
	store, _, err := watchlist.Open(watchlist.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Add(ids...); err != nil {
		t.Fatal(err)
	}
	cfg := alert.Config{On: alert.DefaultOn(), Bell: true, Desktop: alert.NewDesktop(alert.DesktopOSC9, xterm)}
	m := New(Options{Source: src, Store: store, Now: clock.Now, Theme: "dark", Notify: cfg})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	var seen bytes.Buffer
	waitOut := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			seen.Write(b)
			return bytes.Contains(seen.Bytes(), []byte(what))
		}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitOut("Job in progress")
	src.set(status(ids[0], api.StatusFailed, "Busy \x1b]0;pwned\a", 2008, "line busy"))
	tm.Send(keyMsg("r"))
	want := "\x1b]9;faxwatch: " + string(ids[0]) + " failed (2008 line busy)\a"
	waitOut(want)
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	if bytes.Contains(seen.Bytes(), []byte("pwned\a")) {
		t.Error("the server's OSC reached the terminal")
	}
}
