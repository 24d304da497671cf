package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"faxwatch/api/sim"
)

const defaultSimListen = "127.0.0.1:8099"

// cmdSim serves the simulator until interrupted. Its first lines are the
// contract scripts read (WriteBanner).
func (a *app) cmdSim(args []string) int {
	fs := a.newFlagSet("sim")
	listen := fs.String("listen", defaultSimListen, "`ADDR` to listen on; port 0 picks a free one")
	var opts sim.Options
	opts.RegisterFlags(fs)
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return a.usageError("sim takes no arguments, got %q", pos[0])
	}
	if a.global.demo {
		return a.usageError("sim is the simulator already; drop --demo")
	}
	if err := a.setup(); err != nil {
		return a.fail(err)
	}
	srv := sim.New(opts)
	running, err := srv.Start(*listen)
	if _, bad := errors.AsType[*sim.AddressError](err); bad { // usage: the address can never work
		a.errorf("sim: %v", err)
		return exitUsage
	}
	if err != nil { // the simulator's error names the address already
		a.errorf("sim: %v; pick another address with --listen", err)
		return exitFailed
	}
	a.log.Info("sim serving", "endpoint", running.Endpoint())
	if err := srv.WriteBanner(a.stdout, running.URL); err != nil {
		_ = running.Close()
		a.errorf("sim: cannot write to standard output: %v", err)
		return exitFailed
	}
	<-a.ctx.Done()
	if err := running.Close(); err != nil {
		a.errorf("sim: shutting down: %v", err)
		return exitFailed
	}
	fmt.Fprintln(a.stderr, "faxwatch: sim stopped")
	return exitOK
}

// printSimFlags lists the simulator's own flags (jobs, seed, fault knobs)
// for `sim -h`, from the simulator's own registration.
func printSimFlags(w io.Writer) {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	var opts sim.Options
	opts.RegisterFlags(fs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		if name == "value" {
			name = "N"
		}
		fmt.Fprintf(tw, "  --%s %s\t%s", f.Name, name, usage)
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "0s" {
			fmt.Fprintf(tw, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(tw)
	})
	_ = tw.Flush()
}
