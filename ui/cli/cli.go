// Package cli is faxwatch's command line: one file per command (the
// dashboard, status, watch, sim), the usage built from the command
// definitions (cobra, with help laid out as fang does: help.go), the output
// formats, the --demo environment and the debug log.
//
// It is the composition root: it loads the config (ui/cli/config), builds
// the api client or starts the simulator (api/sim), opens the watchlist and
// hands them to the dashboard (ui) or runs a one-shot command. Each command
// takes what it needs as explicit values; nothing changes behind its back.
//
// cli may import ui, ui/style, ui/cli/config, watchlist, api and api/sim.
// Only main imports cli.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"faxwatch/api"
	"faxwatch/ui/cli/config"
)

// Exit codes, as the README's "Exit codes" section defines them.
const (
	ExitOK          = 0   // the look-up was answered
	ExitFailed      = 1   // the service could not be asked or refused
	ExitUsage       = 2   // bad usage, bad config, no valid job ID
	ExitInterrupted = 130 // SIGINT/SIGTERM before the work finished
)

// Stdio is the program's standard streams.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// Run is the whole program with its world passed in, so tests drive it
// in-process. It returns the exit code.
func Run(ctx context.Context, args []string, stdio Stdio, getenv func(string) string, opts ...Option) int {
	r := &runner{ctx: ctx, stdio: stdio, getenv: getenv, stderr: &reporter{w: stdio.Err}}
	for _, o := range opts {
		o(r)
	}
	defer r.close()
	root := r.commands()
	root.SetArgs(oneDashLongFlags(root, args))
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	// cobra runs the tree itself: fang.Execute would ask the terminal for
	// its background colour before any help or error (see help.go).
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		r.reportError(cmd, err)
	}
	return exitCode(err)
}

// Option gives Run what the command line cannot find for itself.
type Option func(*runner)

// WithExampleConfig is the documented example config (config.example.toml,
// embedded by main), which `faxwatch config init` writes.
func WithExampleConfig(text []byte) Option {
	return func(r *runner) { r.exampleConfig = text }
}

// runner is one run of the program: its I/O, environment, global flags and
// the things to undo at the end. It holds no modes: each command passes what
// it decided to the functions it calls.
type runner struct {
	ctx     context.Context
	stdio   Stdio
	getenv  func(string) string
	stderr  *reporter
	global  globalFlags
	closers []func()

	exampleConfig []byte  // for config init; nil when main gave none
	preset        *preset // set for a command run over SSH (remote.go)
}

// globalFlags are accepted before or after any sub-command.
type globalFlags struct {
	config string
	demo   bool
	debug  string
}

// close undoes whatever the commands registered, newest first.
func (r *runner) close() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
	r.closers = nil
}

func (r *runner) onClose(f func()) { r.closers = append(r.closers, f) }

// reporter writes sanitised one-line messages to standard error; api's
// warnings may arrive from its goroutines, hence the lock. On a terminal it
// may also hold a status line (see progress), which a message moves below it.
type reporter struct {
	mu     sync.Mutex
	w      io.Writer
	status string // the status line on screen, "" for none
}

// eraseLine returns the cursor to the start of the line and clears it.
const eraseLine = "\r\x1b[2K"

func (p *reporter) Printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.status != "" {
		io.WriteString(p.w, eraseLine)
	}
	fmt.Fprintf(p.w, "faxwatch: %s\n", api.Sanitize(fmt.Sprintf(format, args...)))
	if p.status != "" {
		io.WriteString(p.w, p.status)
	}
}

// setStatus replaces the status line; "" erases it. The caller has made
// sure that standard error is a terminal.
func (p *reporter) setStatus(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if line == p.status {
		return
	}
	if p.status != "" || line != "" {
		io.WriteString(p.w, eraseLine+line)
	}
	p.status = line
}

// exitError ends the run with code. msg, when set, is printed as one line;
// usage ends it with where the command's help is.
type exitError struct {
	code  int
	msg   string
	usage bool
}

func (e *exitError) Error() string { return e.msg }

// usageErrorf is bad usage: one line that ends with where the help is, exit
// code 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, msg: fmt.Sprintf(format, args...), usage: true}
}

// exitWith ends the run with code; the command has said why already.
func exitWith(code int) error {
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code}
}

// failed is a failure the user cannot fix by retyping: one line, exit 1.
func failed(format string, args ...any) error {
	return &exitError{code: ExitFailed, msg: fmt.Sprintf(format, args...)}
}

// reportError prints what ended the run, in one line; cmd is the command
// that was run (or that cobra could not parse the flags of).
func (r *runner) reportError(cmd *cobra.Command, err error) {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		if ee.msg != "" && ee.usage {
			r.stderr.Printf("%s", withHelpHint(ee.msg, cmd))
		} else if ee.msg != "" {
			r.stderr.Printf("%s", ee.msg)
		}
	case isCobraUsageError(err):
		r.stderr.Printf("%s", withHelpHint(err.Error(), cmd))
	default:
		r.stderr.Printf("%s", firstLine(err.Error()))
	}
}

// withHelpHint ends a usage error with the help of the command it is about:
// "…; see faxwatch watch add --help".
func withHelpHint(msg string, cmd *cobra.Command) string {
	hint := "faxwatch --help"
	if cmd != nil && cmd.HasParent() && cmd.Name() != "help" {
		hint = "faxwatch " + commandPath(cmd) + " --help"
	}
	if strings.HasSuffix(msg, "?") { // "did you mean …?"
		return msg + " See " + hint
	}
	return msg + "; see " + hint
}

// exitCode maps what ended the run to the documented exit codes.
func exitCode(err error) int {
	var ee *exitError
	var ce *config.Error
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ce), isCobraUsageError(err):
		return ExitUsage
	}
	return ExitFailed
}

// isCobraUsageError recognises the errors cobra makes itself: an unknown
// command and the argument-count checks. Flag errors come through
// flagError already, as usage errors.
func isCobraUsageError(err error) bool {
	s := err.Error()
	for _, prefix := range []string{"unknown command", "accepts ", "requires "} {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// fail reports err in the words its kind calls for: a config mistake is
// exit code 2, anything else 1.
func fail(err error) error {
	var ce *config.Error
	var ee *exitError
	if errors.As(err, &ee) {
		return ee
	}
	if errors.As(err, &ce) {
		return &exitError{code: ExitUsage, msg: ce.Msg}
	}
	return &exitError{code: ExitFailed, msg: err.Error()}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
