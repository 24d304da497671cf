package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"faxwatch/api"
	"faxwatch/ui/cli/config"
)

func (r *runner) configCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config init|check",
		Short: "Write the example config, or check that the config works",
		Long: `config init writes the documented example config (every key with its default
and a comment) to the config path: --config PATH, else $FAXWATCH_CONFIG, else
$XDG_CONFIG_HOME/faxwatch/config.toml. The file is created 0600 and its folder
0700; an existing file is never overwritten.

config check loads the config, fetches the secret and (auth.mode oauth2) a token,
and calls CheckService, one line per step with ✓ or ✗ and the reason.
Exit codes: 0 all works; 1 the service (or its token URL) could not be reached
or refused; 2 the config is wrong.`,
		Example: `faxwatch config init && $EDITOR ~/.config/faxwatch/config.toml
faxwatch config check
faxwatch --demo config check`,
		Args: unknownCommand,
		RunE: func(*cobra.Command, []string) error {
			return usageErrorf("config: say what to do: init or check")
		},
		SuggestionsMinimumDistance: 2,
	}
	initCmd := &cobra.Command{
		Use:   "init",
		Short: "Write the documented example config to the config path (never over a file)",
		Args:  noArgs,
		RunE:  func(*cobra.Command, []string) error { return r.configInit() },
	}
	check := &cobra.Command{
		Use:   "check",
		Short: "Load the config, fetch a token, call CheckService and say what works",
		Args:  noArgs,
		RunE:  func(*cobra.Command, []string) error { return r.configCheck() },
	}
	cmd.AddCommand(initCmd, check)
	return cmd
}

// configInit writes the example config where faxwatch will look for it.
func (r *runner) configInit() error {
	if r.global.demo {
		return usageErrorf("config init: --demo uses no config file and never writes yours; drop --demo")
	}
	if len(r.exampleConfig) == 0 {
		return failed("config init: this faxwatch was built without the example config; copy config.example.toml from its source instead")
	}
	loc, err := config.Locate(r.global.config, r.getenv)
	if err != nil {
		return fail(err)
	}
	path := loc.Path
	if _, err := os.Lstat(path); err == nil {
		return &exitError{code: ExitUsage, msg: fmt.Sprintf("config init: %s already exists and was left as it is; edit it (faxwatch config check tests it), or move it away and run config init again", path)}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return failed("config init: cannot check %s: %v", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return failed("config init: cannot create the folder for %s: %v", path, err)
	}
	if err := writeNewFile(path, r.exampleConfig); err != nil {
		if errors.Is(err, fs.ErrExist) { // created meanwhile by someone else
			return &exitError{code: ExitUsage, msg: fmt.Sprintf("config init: %s already exists and was left as it is", path)}
		}
		return failed("config init: cannot write %s: %v", path, err)
	}
	fmt.Fprintf(r.stdio.Out, "wrote %s (mode 0600): every key with its default and a comment\n", path)
	fmt.Fprintf(r.stdio.Out, "next: set api.user_id and the [auth] keys for your login, then run: faxwatch config check\n")
	return nil
}

// writeNewFile creates path 0600 with data, never over an existing file; a
// failed write removes what it created, so no half-written file is left.
func writeNewFile(path string, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(path)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// checkLine is one step of config check: ✓ or ✗ and what it found.
func (r *runner) checkLine(ok bool, format string, args ...any) {
	mark := "✗"
	if ok {
		mark = "✓"
	}
	fmt.Fprintf(r.stdio.Out, "%s %s\n", mark, api.Sanitize(fmt.Sprintf(format, args...)))
}

// configCheck tries each thing the dashboard needs, in order, and stops at
// the first that fails.
func (r *runner) configCheck() error {
	log, redact, err := r.openDebugLog()
	if err != nil {
		return fail(err)
	}
	s, err := r.loadSettings(log, nil)
	if err != nil {
		r.checkLine(false, "%s", configMessage(err))
		return exitWith(ExitUsage)
	}
	switch {
	case s.demo != nil:
		r.checkLine(true, "config: none needed with --demo (the built-in simulator)")
	case s.noConfigAt != "":
		r.checkLine(false, "%s", configMessage(errNoConfigFile(s.noConfigAt)))
		return exitWith(ExitUsage)
	default:
		r.checkLine(true, "config %s", s.cfg.Path)
	}

	auth, err := r.resolveAuth(s, redact)
	if err != nil {
		r.checkLine(false, "%s", configMessage(err))
		return exitWith(ExitUsage)
	}
	svc, err := r.newService(s, auth, log, r.warnOnStderr(log), nil)
	if err != nil {
		r.checkLine(false, "%s", configMessage(err))
		return exitWith(ExitUsage)
	}
	r.checkLine(true, "credentials: auth.mode %s, user %s%s", auth.Mode, s.cfg.API.UserID, credentialSaid(auth))

	if fetched, err := svc.client.FetchToken(r.ctx); err != nil {
		return r.checkFailed(fmt.Sprintf("token from %s", auth.TokenURL), err, svc)
	} else if fetched {
		r.checkLine(true, "token from %s", auth.TokenURL)
	}
	answer, err := svc.client.CheckService(r.ctx)
	where := fmt.Sprintf("CheckService at %s (%s)", s.cfg.API.Endpoint, s.cfg.API.Format)
	if err != nil {
		return r.checkFailed(where, err, svc)
	}
	said := ""
	if answer != "" {
		said = fmt.Sprintf(": %q", answer)
	}
	r.checkLine(true, "%s answered%s", where, said)
	fmt.Fprintln(r.stdio.Out, "all works: faxwatch status and the dashboard can reach Concord")
	return nil
}

// checkFailed says why a step that talks to the network failed: exit 1, or
// 130 when the user interrupted it.
func (r *runner) checkFailed(step string, err error, svc *service) error {
	if r.ctx.Err() != nil && errors.Is(err, r.ctx.Err()) {
		return errInterrupted
	}
	r.checkLine(false, "%s: %s%s", step, firstLine(err.Error()), errorHint(err, svc))
	return exitWith(ExitFailed)
}

// credentialSaid names what was found for the mode, never the secret.
func credentialSaid(a api.Auth) string {
	switch a.Mode {
	case api.AuthOAuth2:
		return fmt.Sprintf(", client ID %s, client secret found", a.ClientID)
	case api.AuthToken:
		return ", token found"
	case api.AuthPIN:
		return ", PIN found (deprecated by Concord: prefer oauth2)"
	}
	return ""
}

// configMessage is a config error's one line.
func configMessage(err error) string {
	var ce *config.Error
	if errors.As(err, &ce) {
		return ce.Msg
	}
	return firstLine(err.Error())
}
