// Command faxwatch watches Concord fax jobs: a terminal dashboard, one-shot
// status look-ups for scripts, watchlist editing and a protocol simulator.
//
// main only sets up signals and hands over to the command line, ui/cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"faxwatch/ui/cli"
)

func main() {
	// HUP: the terminal closed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}
