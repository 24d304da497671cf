//go:build unix

package cli

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"

	"faxwatch/api/sim"
)

// terminalQuery matches the questions a program may ask its terminal, each
// of which waits for an answer that a silent terminal never gives: an OSC
// colour query (OSC 10/11 ";?"), device attributes and status reports (CSI …
// c, CSI … n), mode reports (CSI … $p), the version and keyboard-protocol
// queries (CSI > q, CSI ? u), and DCS capability and setting requests.
var terminalQuery = regexp.MustCompile(`\x1b\]\d+;\?|\x1b\[[?>=]?[\d;]*[cn]|\x1b\[\??[\d;]*\$p|\x1b\[>\d*q|\x1b\[\?u|\x1bP[+$]q`)

// askedTerminal names the first query found in what a program wrote.
func askedTerminal(written string) string {
	return terminalQuery.FindString(written)
}

// TestAskedTerminal: the detector the pty tests lean on knows a question
// from ordinary output.
func TestAskedTerminal(t *testing.T) {
	for _, q := range []string{"\x1b]11;?\x07", "\x1b]10;?\x1b\\", ansi.RequestPrimaryDeviceAttributes, "\x1b[>c",
		"\x1b[6n", "\x1b[?996n", "\x1b[?2026$p", ansi.RequestNameVersion, "\x1b[?u", "\x1bP+q544e\x1b\\", "\x1bP$qm\x1b\\"} {
		if got := askedTerminal("text " + q + " more"); got == "" || !strings.HasPrefix(q, got) {
			t.Errorf("%q is a question, not recognised", q)
		}
	}
	for _, s := range []string{"\x1b[31mred\x1b[0m", "\x1b[?25l\x1b[?1049h\x1b[2J\x1b[H", "\x1b]0;faxwatch\x07", "\x1b]8;;https://x\x1b\\", "plain; ? c n"} {
		if q := askedTerminal(s); q != "" {
			t.Errorf("%q taken for the question %q", s, q)
		}
	}
}

// silentTerminal starts cmd on a pseudo-terminal that never answers, and
// collects what cmd writes to it.
func silentTerminal(t *testing.T, cmd *exec.Cmd) (*os.File, *terminalOutput, chan struct{}) {
	t.Helper()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 100})
	if err != nil {
		t.Skip("no pseudo-terminal here:", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = tty.Close()
	})
	out := &terminalOutput{}
	drained := make(chan struct{})
	go func() { _, _ = io.Copy(out, tty); close(drained) }()
	return tty, out, drained
}

// TestHelpAndUsageErrorsNeverQueryTheTerminal: on a terminal that does not
// answer colour queries (a serial console, some multiplexers), help and a
// usage error write no question to it, so they never wait for an answer.
// Before, each took about 4 s, waiting out the colour query's timeouts.
func TestHelpAndUsageErrorsNeverQueryTheTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds faxwatch and runs it on a pseudo-terminal")
	}
	bin := buildFaxwatch(t)
	tests := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"status", "--bogus"}, ExitUsage, "unknown flag --bogus for status"},
		{[]string{"help"}, ExitOK, "watch"},
		{[]string{"status", "--help"}, ExitOK, "--format"},
		{[]string{"-h"}, ExitOK, "status"},
		{[]string{"wacth"}, ExitUsage, `did you mean "watch"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
				"XDG_STATE_HOME=" + filepath.Join(dir, "state"), "TERM=xterm-256color", "COLORTERM=truecolor"}
			_, out, drained := silentTerminal(t, cmd)
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				code := 0
				if ee, ok := errors.AsType[*exec.ExitError](err); ok {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if code != tt.code {
					t.Errorf("exit %d, want %d", code, tt.code)
				}
			case <-time.After(30 * time.Second): // a hang guard; a query is caught below
				t.Fatalf("still running after 30 s; the terminal shows %q", out)
			}
			select {
			case <-drained:
			case <-time.After(10 * time.Second):
				t.Fatal("the terminal stays open after the exit")
			}
			if q := askedTerminal(out.String()); q != "" {
				t.Errorf("faxwatch asked the terminal %q:\n%q", q, out)
			}
			if !strings.Contains(ansi.Strip(out.String()), tt.says) {
				t.Errorf("the terminal shows %q, want %q in it", out, tt.says)
			}
		})
	}
}

// TestHelpOverSSHLeavesTheServersTerminalAlone: help and a usage error run
// over SSH in the server's process. They never ask the SSH client's terminal
// or the one the server itself runs on (which here never answers).
func TestHelpOverSSHLeavesTheServersTerminalAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds faxwatch and runs it on a pseudo-terminal")
	}
	bin := buildFaxwatch(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	w := servedConfig(t, srv, running)
	cmd := exec.Command(bin, "--config", w.cfg, "serve")
	cmd.Env = []string{"HOME=" + w.env["HOME"], "XDG_STATE_HOME=" + w.env["XDG_STATE_HOME"], "TERM=xterm-256color"}
	_, out, _ := silentTerminal(t, cmd)
	listening := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(20 * time.Second); w.addr == ""; time.Sleep(10 * time.Millisecond) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			w.addr = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %q", out)
		}
	}
	for _, tt := range []struct {
		command string
		code    int
		says    string
	}{
		{"help", ExitOK, "status"},
		{"help watch", ExitOK, "watch"},
		{"status --bogus", ExitUsage, "unknown flag --bogus for status"},
	} {
		t.Run(tt.command, func(t *testing.T) {
			o := w.ssh(t, "bob", tt.command)
			if o.code != tt.code || !strings.Contains(o.stdout+o.stderr, tt.says) {
				t.Errorf("exit %d stdout %q stderr %q; want %d and %q", o.code, o.stdout, o.stderr, tt.code, tt.says)
			}
			if q := askedTerminal(o.stdout + o.stderr); q != "" {
				t.Errorf("the SSH client was asked %q", q)
			}
		})
	}
	if q := askedTerminal(out.String()); q != "" {
		t.Errorf("the server's own terminal was asked %q:\n%q", q, out)
	}
}
