package cli

import (
	"fmt"
	"strings"
	"time"

	mango "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"faxwatch/ui"
)

// commands builds the command tree; the help (help.go), the completions
// (cobra's) and the man page are generated from it, so they cannot drift
// from what is parsed.
func (r *runner) commands() *cobra.Command {
	var interval time.Duration
	root := &cobra.Command{
		Use:   "faxwatch",
		Short: "Watch Concord fax jobs: a dashboard, one-shot look-ups for scripts, and a protocol simulator.",
		Long: `faxwatch watches Concord fax jobs.

Without a command it opens the dashboard. Try it without an account: faxwatch --demo

Exit codes: 0 answered, 1 the service could not be asked or refused,
2 bad usage, bad config or no valid job ID, 130 interrupted.`,
		Example: `faxwatch --demo
faxwatch status br0012345h00001x --format json
pbpaste | faxwatch watch add --note "ACME ticket 4411" -`,
		Args: unknownCommand,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return r.dashboard(interval)
		},
		SilenceErrors: true,
		SilenceUsage:  true,
		// cobra applies its default distance only on its own error path.
		SuggestionsMinimumDistance: 2,
	}
	root.Version = buildVersion()
	root.SetVersionTemplate("faxwatch {{.Version}}\n")
	root.SetHelpFunc(r.showHelp)
	pf := root.PersistentFlags()
	pf.StringVar(&r.global.config, "config", "", "config file (default $FAXWATCH_CONFIG, else $XDG_CONFIG_HOME/faxwatch/config.toml)")
	pf.BoolVar(&r.global.demo, "demo", false, "use an in-process simulator and a throw-away demo watchlist; your config and watchlist are not touched")
	pf.StringVar(&r.global.debug, "debug", "", "append structured debug logs (JSON) to FILE; secrets are redacted")
	root.Flags().DurationVar(&interval, "interval", 0, fmt.Sprintf("dashboard refresh period, e.g. 10s (default [watch] interval; at least %s)", ui.MinInterval))
	root.Flags().Lookup("interval").DefValue = ""            // the help says where the default comes from; "(0s)" would mislead
	root.Flags().Bool("version", false, "print the version") // no -v: that stays an unknown flag
	root.SetFlagErrorFunc(flagError)
	root.SetHelpCommand(helpCommand())
	root.AddCommand(r.statusCommand(), r.watchCommand(), r.configCommand(), r.simCommand(), r.serveCommand(), versionCommand(), manCommand())
	return root
}

// unknownCommand refuses positional arguments where only sub-commands may
// follow, suggesting the nearest command.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	where := ""
	if cmd.HasParent() {
		where = cmd.Name() + ": "
	}
	msg := fmt.Sprintf("%sunknown command %q", where, args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return usageErrorf("%s", msg)
}

// noArgs refuses arguments for commands that take none.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", commandPath(cmd), args[0])
	}
	return nil
}

// commandPath is the command as typed after "faxwatch" ("watch ls").
func commandPath(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// flagError words pflag's errors as one line that names the flag as
// written and the command it was given to.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: "); ok && name == "--interval" && cmd.HasParent() {
		return usageErrorf("--interval applies to the dashboard only, not to %q", commandPath(cmd))
	}
	forCmd := ""
	if cmd.HasParent() {
		forCmd = " for " + commandPath(cmd)
	}
	for _, p := range []struct{ prefix, format string }{
		{"unknown flag: ", "unknown flag %s%s"},
		{"unknown shorthand flag: ", "unknown flag %s%s"},
		{"flag needs an argument: ", "%s needs a value%s"},
	} {
		if flag, ok := strings.CutPrefix(msg, p.prefix); ok {
			// pflag names a shorthand as "'v' in -v"; say it as written.
			if i := strings.Index(flag, "' in -"); i >= 0 {
				flag = flag[i+len("' in "):]
			}
			return usageErrorf(p.format, flag, forCmd)
		}
	}
	if cmd.HasParent() {
		msg = commandPath(cmd) + ": " + msg
	}
	return usageErrorf("%s", msg)
}

// oneDashLongFlags rewrites -name and -name=value to --name for the long
// flags the tree knows, so the single-dash spelling Go's flag package took
// keeps working; anything else (-h, -v, -frob) is left for pflag to judge.
func oneDashLongFlags(root *cobra.Command, args []string) []string {
	long := map[string]bool{}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		add := func(f *pflag.Flag) { long[f.Name] = true }
		c.Flags().VisitAll(add)
		c.PersistentFlags().VisitAll(add)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "--" {
			copy(out[i:], args[i:])
			break
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(name) > 1 && long[name] {
			out[i] = "-" + a
		}
	}
	return out
}

// helpCommand is `faxwatch help [COMMAND ...]`; an unknown topic is bad
// usage, not an empty success.
func helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "Help about any command",
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return unknownCommand(cmd.Root(), args[len(args)-max(len(rest), 1):])
			}
			return target.Help()
		},
	}
}

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version (same as --version)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "faxwatch %s\n", buildVersion())
			return err
		},
	}
}

// manCommand writes the man page (section 1) built from the command tree.
func manCommand() *cobra.Command {
	return &cobra.Command{
		Use:    "man",
		Short:  "Print the man page",
		Hidden: true,
		Args:   noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := mango.NewManPage(1, cmd.Root())
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), page.Build(roff.NewDocument()))
			return err
		},
	}
}
