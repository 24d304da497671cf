package cli

import (
	"fmt"

	"faxwatch/ui/alert"
	"faxwatch/ui/cli/config"
)

// notifySettings resolves [notify] with ui/alert's rules (config may not
// import them): the kinds that alert, the desktop style for the terminal
// getenv describes, and a command whose environment (environ) holds none of
// the secret variables, FAXWATCH_* or those the *_env keys name, and whose
// failure messages quote none of the config's secrets.
func notifySettings(cfg config.Config, environ []string, getenv func(string) string) (alert.Config, error) {
	n := cfg.Notify
	out := alert.Config{Bell: n.Bell, On: alert.DefaultOn(), StaleAfter: alert.DefaultStaleAfter}
	if cfg.IsSet("notify.on") {
		out.On = nil
		for _, s := range n.On {
			k, err := alert.ParseKind(s)
			if err != nil {
				return out, cfg.KeyError("notify.on", err)
			}
			out.On = append(out.On, k)
		}
	}
	if err := alert.ParseDesktop(n.Desktop); n.Desktop != "" && err != nil {
		return out, cfg.KeyError("notify.desktop", err)
	}
	out.Desktop = alert.NewDesktop(n.Desktop, getenv)
	if cfg.IsSet("notify.stale_after") {
		d := n.StaleAfter.Duration
		if d < alert.MinStaleAfter || d > alert.MaxStaleAfter {
			return out, cfg.KeyError("notify.stale_after", fmt.Errorf("%s is out of range; use %s to %s, such as \"5m\"", d, alert.MinStaleAfter, alert.MaxStaleAfter))
		}
		out.StaleAfter = d
	}
	if len(n.Command) > 0 {
		cmd, err := alert.NewCommand(n.Command, environ, cfg.SecretEnvNames())
		if err != nil {
			return out, cfg.KeyError("notify.command", err)
		}
		// A failing command's message never quotes a configured secret.
		out.Command = cmd.WithSecrets(cfg.KnownSecrets(getenv))
	}
	return out, nil
}
