package alert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"slices"
	"strings"
	"time"

	"faxwatch/api"
)

// Limits on the notify command.
const (
	DefaultCommandTimeout = 10 * time.Second
	// maxStderrKept is how much of the command's standard error is kept to
	// explain a failure; its standard output is counted and thrown away.
	maxStderrKept = 4 << 10
	// waitDelay is how long a child holding the pipes open (a background
	// grandchild) may delay the end of a run past its timeout.
	waitDelay = time.Second
)

// SecretEnv are the environment variables that carry faxwatch's secrets
// whatever the config says; a command never sees them.
var SecretEnv = []string{"FAXWATCH_CLIENT_SECRET", "FAXWATCH_TOKEN", "FAXWATCH_PIN"}

// Command is notify.command: a program and its arguments, run without a
// shell, once per alert, with the alert's JSON on standard input.
type Command struct {
	argv    []string
	env     []string
	secrets []string // values no failure message may quote
	timeout time.Duration
}

// NewCommand prepares argv to run with environ minus the secrets: every name
// in SecretEnv and in secretNames (the variables the *_env keys name). The
// values of those variables are kept only to keep them out of messages.
func NewCommand(argv, environ, secretNames []string) (*Command, error) {
	if len(argv) == 0 || strings.TrimSpace(argv[0]) == "" {
		return nil, errors.New("names no program; give a list such as [\"notify-send\", \"faxwatch\"]")
	}
	return &Command{argv: slices.Clone(argv), env: ScrubEnv(environ, secretNames),
		secrets: secretValues(environ, secretNames), timeout: DefaultCommandTimeout}, nil
}

// WithSecrets returns a copy whose failure messages also never quote one of
// values (the config's literal secrets, say).
func (c *Command) WithSecrets(values []string) *Command {
	out := *c
	out.secrets = append(slices.Clone(c.secrets), values...)
	return &out
}

// WithTimeout returns a copy that stops the program after d.
func (c *Command) WithTimeout(d time.Duration) *Command {
	out := *c
	out.timeout = d
	return &out
}

// Name is the program, sanitised, for messages.
func (c *Command) Name() string { return api.Sanitize(c.argv[0]) }

// ScrubEnv returns environ without the secret variables. An empty name in
// secretNames is ignored.
func ScrubEnv(environ, secretNames []string) []string {
	drop := secretNameSet(secretNames)
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !drop[name] {
			out = append(out, kv)
		}
	}
	return out
}

// secretValues are the values of the secret variables in environ.
func secretValues(environ, secretNames []string) []string {
	secret := secretNameSet(secretNames)
	var out []string
	for _, kv := range environ {
		if name, value, _ := strings.Cut(kv, "="); secret[name] && value != "" {
			out = append(out, value)
		}
	}
	return out
}

func secretNameSet(secretNames []string) map[string]bool {
	set := map[string]bool{}
	for _, n := range append(slices.Clone(SecretEnv), secretNames...) {
		if n != "" {
			set[n] = true
		}
	}
	return set
}

// Run runs the command once for a, waiting at most the timeout (plus a
// second for pipes a grandchild holds). The error is one sanitised line
// that names the program; of its standard error it quotes at most the line
// api.ScrubStderrLine lets through, the same rule as a secret command's.
// The command's output never stops faxwatch.
func (c *Command) Run(ctx context.Context, a Alert) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.argv[0], c.argv[1:]...)
	cmd.Env = append([]string{}, c.env...) // never nil: nil would mean our own environment
	cmd.Stdin = bytes.NewReader(a.JSON())
	stderr := &headWriter{max: maxStderrKept}
	// Nobody reads standard output: a command printing megabytes costs only
	// the copy into nothing.
	cmd.Stdout, cmd.Stderr = io.Discard, stderr
	cmd.WaitDelay = waitDelay
	ownProcessGroup(cmd) // a timeout stops the program's children too
	err := cmd.Run()
	name := c.Name()
	switch {
	case err == nil:
		return nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("notify command %q did not finish within %s and was stopped", name, c.timeout)
	case ctx.Err() != nil:
		return fmt.Errorf("notify command %q was stopped: faxwatch is quitting", name)
	case errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("notify command %q was not found; check notify.command and PATH", name)
	}
	msg := fmt.Sprintf("notify command %q failed: %s", name, api.Sanitize(firstLine(err.Error())))
	if e, withheld := api.ScrubStderrLine(stderr.String(), c.secrets); e != "" {
		msg += ": " + e
	} else if withheld {
		msg += " " + api.StderrWithheld
	}
	return errors.New(msg)
}

// headWriter keeps the first max bytes written and drops the rest.
type headWriter struct {
	buf bytes.Buffer
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - w.buf.Len(); room > 0 {
		w.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (w *headWriter) String() string { return w.buf.String() }

func firstLine(s string) string {
	s = strings.TrimLeft(s, "\r\n")
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}
