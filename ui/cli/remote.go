package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"faxwatch/ui/serve"
)

// preset is what a command run over SSH inherits from the server: its
// settings and client (no config read, no second simulator), and a status
// source that answers from the shared poller where it is fresh.
type preset struct {
	settings settings
	svc      *service
	source   serve.CacheSource
	by       string // the SSH user: recorded as added_by and note_by
	// tell hands the server what a watch command did once it is saved, so
	// every session sees it at once, named as by's.
	tell func(serve.WatchChange)
}

// remoteCommands are what `ssh host COMMAND` may run, and which of them a
// viewer may.
var (
	remoteCommands = []string{"status", "watch", "help"}
	viewerWatch    = []string{"ls"}
)

// remoteCommand runs `ssh host status …` and `ssh host watch …` through the
// same command tree as the local commands, so output and exit codes match.
func (r *runner) remoteCommand(s settings, svc *service, hub *serve.Hub) func(context.Context, serve.CommandRequest) int {
	p := &preset{settings: s, svc: svc, source: serve.CacheSource{Hub: hub, Fallback: svc.client, Fresh: s.cfg.Watch.Interval.Duration}}
	return func(ctx context.Context, req serve.CommandRequest) int {
		args := req.Args
		if !slices.Contains(remoteCommands, args[0]) {
			fmt.Fprintf(req.Stderr, "faxwatch: over SSH the commands are status and watch add|rm|ls; connect without one for the dashboard\n")
			return ExitUsage
		}
		if bad := serverOnlyFlag(args); bad != "" {
			fmt.Fprintf(req.Stderr, "faxwatch: %s is the server's to set, not a client's; drop it\n", bad)
			return ExitUsage
		}
		changes := args[0] == "watch" && len(args) > 1 && !slices.Contains(viewerWatch, args[1])
		if changes && !req.Editor {
			fmt.Fprintf(req.Stderr, "faxwatch: read-only: only the editors in the server's [serve] editors can change the list; status and watch ls work\n")
			return ExitFailed
		}
		asUser := *p
		asUser.by = req.User
		asUser.tell = func(did serve.WatchChange) { hub.ReloadNow(req.User, did) }
		return Run(ctx, args, Stdio{In: req.Stdin, Out: req.Stdout, Err: req.Stderr}, r.getenv, func(rr *runner) { rr.preset = &asUser })
	}
}

// serverOnlyFlag finds a global flag a client must not pass: --debug would
// write to a file on the server, --config and --demo pick its world.
func serverOnlyFlag(args []string) string {
	for _, a := range args {
		if a == "--" {
			return ""
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && slices.Contains([]string{"debug", "config", "demo"}, name) {
			return "--" + name
		}
	}
	return ""
}
