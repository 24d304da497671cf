package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"faxwatch/api"
)

// app is one run of the program: its I/O, environment, global flags and the
// things to undo at the end.
type app struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string

	global   globalFlags
	interval time.Duration // --interval, dashboard only

	log       *slog.Logger // never nil after setup
	redact    *redactor
	closers   []func()
	setUpDone bool

	demo          *demoEnv // set by startDemo
	noConfigAt    string   // the default config path, when no file was there
	quietWarnings bool     // the dashboard owns the terminal
	errMu         sync.Mutex
}

// globalFlags are accepted before or after any sub-command.
type globalFlags struct {
	config string
	demo   bool
	debug  string
}

func (a *app) addGlobalFlags(fs *flag.FlagSet) {
	fs.StringVar(&a.global.config, "config", a.global.config, "read the config from `PATH`")
	fs.BoolVar(&a.global.demo, "demo", a.global.demo, "use an in-process simulator and a throw-away watchlist")
	fs.StringVar(&a.global.debug, "debug", a.global.debug, "write structured debug logs to `FILE` (secrets redacted)")
}

// newFlagSet returns a silent FlagSet with the global flags: errors are
// reported by parse as one line.
func (a *app) newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a.addGlobalFlags(fs)
	return fs
}

// parseTop reads the flags before the command word and returns the command
// ("" for the dashboard) and what follows it. ok is false when run should
// return code at once.
func (a *app) parseTop(args []string) (cmd string, rest []string, code int, ok bool) {
	fs := a.newFlagSet("faxwatch")
	version := fs.Bool("version", false, "print the version and exit")
	fs.DurationVar(&a.interval, "interval", 0, "dashboard refresh `period` (overrides [watch] interval; at least 5s)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.printUsage("")
			return "", nil, exitOK, false
		}
		return "", nil, a.usageError("%s", flagError(err)), false
	}
	if *version {
		fmt.Fprintf(a.stdout, "faxwatch %s\n", buildVersion())
		return "", nil, exitOK, false
	}
	rest = fs.Args()
	if len(rest) == 0 {
		return "", nil, 0, true
	}
	cmd, rest = rest[0], rest[1:]
	if _, known := usages[cmd]; !known || cmd == "" {
		return "", nil, a.usageError("unknown command %q", cmd), false
	}
	if a.interval != 0 && cmd != "help" {
		return "", nil, a.usageError("--interval applies to the dashboard only, not to %q", cmd), false
	}
	return cmd, rest, 0, true
}

// parse reads a sub-command's flags wherever they are among its arguments
// (flags after positional arguments included; "--" ends the flags) and
// returns the positional arguments. ok false means return code.
func (a *app) parse(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				a.printUsage(fs.Name())
				return nil, exitOK, false
			}
			return nil, a.usageError("%s: %s", fs.Name(), flagError(err)), false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, true
		}
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError prints one line and the hint to -h; exit code 2.
func (a *app) usageError(format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(a.stderr, "faxwatch: %s\n", api.Sanitize(msg))
	fmt.Fprintln(a.stderr, "Run 'faxwatch help' for usage.")
	return exitUsage
}

// errorf prints one sanitised line on standard error.
func (a *app) errorf(format string, args ...any) {
	a.errMu.Lock()
	defer a.errMu.Unlock()
	fmt.Fprintf(a.stderr, "faxwatch: %s\n", api.Sanitize(fmt.Sprintf(format, args...)))
}

// fail reports err and returns the exit code its kind calls for.
func (a *app) fail(err error) int {
	var ce *ConfigError
	if errors.As(err, &ce) {
		a.errorf("%s", ce.Msg)
		return exitUsage
	}
	a.errorf("%v", err)
	return exitFailed
}

// close undoes whatever setup and the commands registered, newest first.
func (a *app) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

func (a *app) onClose(f func()) { a.closers = append(a.closers, f) }

func (a *app) cmdHelp(args []string) int {
	fs := a.newFlagSet("help")
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		a.printUsage("")
		return exitOK
	}
	if _, known := usages[pos[0]]; !known || pos[0] == "" {
		return a.usageError("help: unknown command %q", pos[0])
	}
	a.printUsage(pos[0])
	return exitOK
}

func (a *app) printUsage(cmd string) {
	fmt.Fprint(a.stdout, strings.TrimLeft(usages[cmd], "\n"))
	if cmd == "sim" {
		printSimFlags(a.stdout)
	}
	fmt.Fprint(a.stdout, globalUsage)
}

const globalUsage = `
Global flags (before or after the command):
  --config PATH   config file (default $FAXWATCH_CONFIG, else
                  $XDG_CONFIG_HOME/faxwatch/config.toml)
  --demo          use an in-process simulator with demo jobs and a throw-away
                  watchlist; your config and watchlist are not read or touched
  --debug FILE    append structured debug logs (JSON) to FILE; secrets redacted
  -h, --help      this help
`

// usages holds each command's help; "" is the top level.
var usages = map[string]string{
	"": `
faxwatch watches Concord fax jobs.

Usage:
  faxwatch [flags]                 the dashboard
  faxwatch status [ID ...]         look up jobs once and print them
  faxwatch watch add|rm|ls|clear   edit or list the saved watchlist
  faxwatch sim                     run the protocol simulator
  faxwatch help [COMMAND]          help for a command
  faxwatch --version               print the version

Dashboard flags:
  --interval PERIOD   refresh period, e.g. 10s (default [watch] interval; at least 5s)

Try it without an account:  faxwatch --demo

Exit codes: 0 answered, 1 the service could not be asked or refused,
2 bad usage, bad config or no valid job ID, 130 interrupted.
`,
	"status": `
Usage: faxwatch status [flags] [ID ...]

Looks the jobs up once and prints their status. IDs come from the arguments,
or from standard input when there are none or one of them is "-"; any mix of
spaces, commas and newlines works, so does text pasted from a ticket. Tokens
that look like job IDs but are not valid ones are reported on standard error
and skipped. With --demo and no IDs (standard input a terminal or empty),
the demo jobs are looked up.

Flags:
  --format FORMAT   table, json or csv (default table on a terminal, json otherwise)
  --method METHOD   GetFaxStatus, GetRealTimeFaxStatus, GetRealTimeFaxStatusEx or
                    GetRealTimeFaxStatusEx2 (default [api] method)

Exit codes:
  0  the look-up was answered, whatever the jobs' states
  1  the service could not be asked or refused the call (network, HTTP, auth,
     return=false); when only some batches failed, the answered jobs are
     printed, the failures reported on standard error, and the code is still 1
  2  bad usage, bad config, or no valid job ID given
`,
	"watch": `
Usage:
  faxwatch watch add [--note TEXT] ID ...   add jobs (IDs as for status, "-" reads stdin)
  faxwatch watch rm ID ...                  remove jobs
  faxwatch watch ls [--format table|json]   list jobs with their last known state
  faxwatch watch clear                      remove every job

The watchlist is [watch] file in the config (default
$XDG_STATE_HOME/faxwatch/watchlist.json); a running dashboard picks changes up.

Flags:
  --note TEXT       (add) a short note shown with the jobs
  --format FORMAT   (ls) table or json (default table on a terminal, json otherwise)
`,
	"sim": `
Usage: faxwatch sim [flags]

Serves the Concord protocol simulator until interrupted (Ctrl+C). The first
lines on standard output are "key: value" pairs: endpoint, token_url, user_id,
client_id, client_secret, pin and jobs, for scripts to read.

Flags:
  --listen ADDR   address to listen on (default 127.0.0.1:8099; port 0 picks a free one)
`,
	"help": `
Usage: faxwatch help [COMMAND]
`,
}

// setup runs once the command line is parsed: it opens the debug log.
func (a *app) setup() error {
	if a.setUpDone {
		return nil
	}
	a.setUpDone = true
	a.redact = &redactor{}
	log, closer, err := openDebugLog(a.global.debug, a.redact)
	if err != nil {
		a.log = slog.New(slog.DiscardHandler)
		return err
	}
	a.log = log
	a.onClose(func() { _ = closer.Close() })
	a.log.Debug("start", "version", buildVersion(), "demo", a.global.demo)
	return nil
}

// flagError restates the flag package's errors with the double dash this
// tool's help uses ("-bogus" reads as a different flag from "--bogus").
func flagError(err error) string {
	msg := err.Error()
	for _, prefix := range []string{"flag provided but not defined: -", "flag needs an argument: -"} {
		if rest, ok := strings.CutPrefix(msg, prefix); ok {
			return strings.TrimSuffix(prefix, "-") + "--" + rest
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok { // invalid value "x" for flag -format: ...
		return "invalid value " + strings.Replace(rest, " for flag -", " for flag --", 1)
	}
	return msg
}
