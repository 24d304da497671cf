// Command faxwatch watches Concord fax jobs: a terminal dashboard, one-shot
// status look-ups for scripts, watchlist editing and a protocol simulator.
//
// Package main only wires: it parses the command line and the config file,
// builds the api client (or an in-process simulator for --demo), the
// watchlist and the dashboard, and maps outcomes to exit codes. Protocol,
// domain state and drawing live in api, watchlist and ui.
package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, as interface.md defines them.
const (
	exitOK          = 0   // the look-up was answered
	exitFailed      = 1   // the service could not be asked or refused
	exitUsage       = 2   // bad usage, bad config, no valid job ID
	exitInterrupted = 130 // SIGINT/SIGTERM before the work finished
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP) // HUP: the terminal closed
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is the whole program with its world passed in, so tests drive it
// in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) int {
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: env, log: slog.New(slog.DiscardHandler)}
	defer a.close()

	cmd, rest, code, ok := a.parseTop(args)
	if !ok {
		return code
	}
	switch cmd {
	case "":
		return a.cmdDashboard()
	case "status":
		return a.cmdStatus(rest)
	case "watch":
		return a.cmdWatch(rest)
	case "sim":
		return a.cmdSim(rest)
	case "help":
		return a.cmdHelp(rest)
	}
	return a.usageError("unknown command %q", cmd)
}
