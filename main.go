// Command faxwatch watches Concord fax jobs: a terminal dashboard, one-shot
// status look-ups for scripts, watchlist editing and a protocol simulator.
//
// main only sets up signals and hands over to the command line, ui/cli,
// with the example config (a package cannot embed a file above it).
package main

import (
	"context"
	_ "embed"
	"os"
	"os/signal"
	"syscall"

	"faxwatch/ui/cli"
)

// exampleConfig is what `faxwatch config init` writes.
//
//go:embed config.example.toml
var exampleConfig []byte

func main() {
	// HUP: the terminal closed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv,
		cli.WithExampleConfig(exampleConfig))
	stop()
	os.Exit(code)
}
