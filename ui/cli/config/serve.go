package config

import (
	"net"
	"strconv"
	"time"
)

// ServeConfig is the [serve] table: faxwatch serve, one SSH server for a
// team. ui/serve owns the same defaults for zero values; a test in ui/cli
// keeps the two equal.
type ServeConfig struct {
	Listen         string   `toml:"listen"`
	HostKey        string   `toml:"host_key"`        // "": ssh_host_ed25519_key in the state folder
	AuthorizedKeys string   `toml:"authorized_keys"` // required to start serve
	Editors        []string `toml:"editors"`
	IdleTimeout    Duration `toml:"idle_timeout"`
	MaxSessions    int      `toml:"max_sessions"`
	MetricsListen  string   `toml:"metrics_listen"` // "": off
}

// Defaults of [serve]: loopback only until someone decides otherwise.
const (
	DefaultServeListen = "127.0.0.1:2222"
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxSessions = 64
	maxMaxSessions     = 1024
)

// DefaultServe is [serve] at its defaults.
func DefaultServe() ServeConfig {
	return ServeConfig{Listen: DefaultServeListen, Editors: []string{}, IdleTimeout: Duration{DefaultIdleTimeout}, MaxSessions: DefaultMaxSessions}
}

// validateServe checks [serve]'s values; whether authorized_keys exists and
// is safe is checked when serve starts (the dashboard never needs it).
func (c *Config) validateServe() error {
	s := &c.Serve
	if err := checkHostPort(s.Listen); err != nil {
		return c.fail("serve.listen", "%q: %v; write it like \"127.0.0.1:2222\" or \":2222\" (every address)", s.Listen, err)
	}
	if s.MetricsListen != "" {
		if err := checkHostPort(s.MetricsListen); err != nil {
			return c.fail("serve.metrics_listen", "%q: %v; write it like \"127.0.0.1:9464\", or \"\" for off", s.MetricsListen, err)
		}
	}
	if d := s.IdleTimeout.Duration; d < time.Minute || d > 24*time.Hour {
		return c.fail("serve.idle_timeout", "%s is outside 1m to 24h; the default is \"30m\"", d)
	}
	if s.MaxSessions < 1 || s.MaxSessions > maxMaxSessions {
		return c.fail("serve.max_sessions", "%d is outside 1 to %d; the default is %d", s.MaxSessions, maxMaxSessions, DefaultMaxSessions)
	}
	for _, e := range s.Editors {
		if e == "" || len(e) > 64 {
			return c.fail("serve.editors", "%q is not a name; list the names that end the keys' lines in authorized_keys", e)
		}
	}
	return nil
}

func checkHostPort(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return &Error{Msg: "the port must be a number from 0 to 65535"}
	}
	return nil
}
