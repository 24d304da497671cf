package cli

import (
	"errors"
	"flag"
	"fmt"

	"github.com/spf13/cobra"

	"faxwatch/api/sim"
)

const defaultSimListen = "127.0.0.1:8099"

func (r *runner) simCommand() *cobra.Command {
	var listen string
	var opts sim.Options
	cmd := &cobra.Command{
		Use:   "sim [flags]",
		Short: "Run the protocol simulator until interrupted",
		Long: `Serves the Concord protocol simulator until interrupted (Ctrl+C). The first
lines on standard output are "key: value" pairs: endpoint, token_url, user_id,
client_id, client_secret, pin and jobs, for scripts to read.`,
		Example: `faxwatch sim --listen 127.0.0.1:0 --jobs 5`,
		Args:    noArgs,
		RunE:    func(*cobra.Command, []string) error { return r.sim(listen, opts) },
	}
	cmd.Flags().StringVar(&listen, "listen", defaultSimListen, "ADDR to listen on; port 0 picks a free one")
	// The simulator registers its own knobs (jobs, seed, faults) on a Go
	// FlagSet; pflag takes them over, so they are parsed and documented here.
	gofs := flag.NewFlagSet("sim", flag.ContinueOnError)
	opts.RegisterFlags(gofs)
	cmd.Flags().AddGoFlagSet(gofs)
	return cmd
}

// sim serves the simulator until interrupted. Its first lines are the
// contract scripts read (WriteBanner).
func (r *runner) sim(listen string, opts sim.Options) error {
	if r.global.demo {
		return usageErrorf("sim is the simulator already; drop --demo")
	}
	log, _, err := r.openDebugLog()
	if err != nil {
		return fail(err)
	}
	srv := sim.New(opts)
	running, err := srv.Start(listen)
	if _, bad := errors.AsType[*sim.AddressError](err); bad { // usage: the address can never work
		return &exitError{code: ExitUsage, msg: fmt.Sprintf("sim: %v", err)}
	}
	if err != nil { // the simulator's error names the address already
		return failed("sim: %v; pick another address with --listen", err)
	}
	log.Info("sim serving", "endpoint", running.Endpoint())
	if err := srv.WriteBanner(r.stdio.Out, running.URL); err != nil {
		_ = running.Close()
		return failed("sim: cannot write to standard output: %v", err)
	}
	<-r.ctx.Done()
	if err := running.Close(); err != nil {
		return failed("sim: shutting down: %v", err)
	}
	fmt.Fprintln(r.stdio.Err, "faxwatch: sim stopped")
	return nil
}
