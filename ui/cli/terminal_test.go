//go:build unix

package cli

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// terminalOutput collects what the program writes to its terminal.
type terminalOutput struct {
	mu   sync.Mutex
	text bytes.Buffer
	seen chan struct{} // closed when want appears
	want string
}

func (s *terminalOutput) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.text.Write(p)
	if s.seen != nil && strings.Contains(s.text.String(), s.want) {
		close(s.seen)
		s.seen = nil
	}
	return len(p), nil
}

func (s *terminalOutput) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text.String()
}

// Ctrl+C typed on a real terminal while status or watch add waits for IDs
// on it stops the command with 130; what was typed is nobody's input.
func TestCtrlCWhileReadingATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds faxwatch and runs it on a pseudo-terminal")
	}
	bin := buildFaxwatch(t) // the real main.go sets up the signals
	for _, args := range [][]string{{"status"}, {"watch", "add", "-"}, {"watch", "add", "--note", "ticket", "-"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(bin, args...)
			cmd.Env = []string{
				"HOME=" + filepath.Join(dir, "home"),
				"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
				"XDG_STATE_HOME=" + filepath.Join(dir, "state"),
				"TERM=dumb",
			}
			term, err := pty.Start(cmd)
			if err != nil {
				t.Skipf("no pseudo-terminal here: %v", err)
			}
			defer term.Close()
			prompt := make(chan struct{})
			out := &terminalOutput{seen: prompt, want: "end with Ctrl+D"}
			drained := make(chan struct{})
			go func() { _, _ = io.Copy(out, term); close(drained) }()
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()

			select {
			case <-prompt:
			case err := <-exited:
				t.Fatalf("exited before asking for input: %v\n%s", err, out)
			case <-time.After(20 * time.Second): // a deadline for a hang
				t.Fatalf("no prompt; the screen says %q", out)
			}
			// A line typed, then Ctrl+C: the terminal sends SIGINT.
			if _, err := term.Write([]byte("br0012345h00001x\n\x03")); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != 130 {
					t.Fatalf("exit %v; want 130\n%s", err, out)
				}
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("still running after Ctrl+C; the screen says %q", out)
			}
			select { // the terminal's last words, up to the program's exit
			case <-drained:
			case <-time.After(20 * time.Second):
				t.Fatal("the terminal stays open after the exit")
			}
			// No question to the terminal on the way out (fang asks for the
			// background colour when given an error): it would wait for a reply.
			if s := out.String(); !strings.Contains(s, "faxwatch: interrupted") || strings.Contains(s, "job ID given") || strings.Contains(s, "\x1b]11;?") {
				t.Errorf("the screen says %q", s)
			}
			if _, err := os.Stat(filepath.Join(dir, "state", "faxwatch", "watchlist.json")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a watchlist was written after Ctrl+C: %v", err)
			}
		})
	}
}
