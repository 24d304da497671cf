package main

import (
	"fmt"
	"strings"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// service is what a command that talks to Concord needs: the settings, the
// client, and where the watchlist lives.
type service struct {
	cfg       Config
	auth      api.Auth
	client    *api.Client
	watchPath string
	demo      *demoEnv // nil unless --demo
}

// loadSettings gives the config for this run: the user's file and environment,
// or, with --demo, defaults pointed at the simulator (the user's config is
// never read). overrides applies command-line flags before validation.
func (a *app) loadSettings(overrides func(*Config)) (Config, error) {
	if a.global.demo {
		d, err := a.startDemo()
		if err != nil {
			return Config{}, err
		}
		cfg := d.config()
		if overrides != nil {
			overrides(&cfg)
		}
		return cfg, cfg.validate()
	}
	loc, err := locateConfig(a.global.config, a.getenv)
	if err != nil {
		return Config{}, err
	}
	cfg, err := loadConfig(loc, a.getenv, overrides)
	if err != nil {
		return cfg, err
	}
	a.log.Debug("config loaded", "path", cfg.Path, "endpoint", cfg.API.Endpoint, "format", cfg.API.Format,
		"method", cfg.API.Method, "auth_mode", cfg.Auth.Mode)
	if cfg.Path == "" {
		a.noConfigAt = loc.Path
	}
	return cfg, nil
}

// watchlistPath is [watch] file, else the XDG state default, read from the
// injected environment so tests never reach the real one.
func (a *app) watchlistPath(cfg Config) (string, error) {
	if cfg.Watch.File != "" {
		return expandHome(cfg.Watch.File, a.getenv)
	}
	path, err := watchlist.DefaultPathFrom(a.getenv)
	if err != nil {
		return "", configErrorf("%v", err)
	}
	return path, nil
}

// watchlistError names the watchlist file in err unless err already does
// (a VersionError, a LockError, most I/O errors), so no path is said twice.
func watchlistError(path string, err error) error {
	if strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("watchlist %s: %w", path, err)
}

// openService loads the settings, resolves the one secret the auth mode needs
// and builds the client.
func (a *app) openService(overrides func(*Config)) (*service, error) {
	cfg, err := a.loadSettings(overrides)
	if err != nil {
		return nil, err
	}
	auth, err := cfg.resolveAuth(a.ctx, a.getenv)
	if err != nil {
		if a.noConfigAt != "" {
			return nil, configErrorf("no config file at %s; copy config.example.toml there, fill in your account and run chmod 600 on it, or try: faxwatch --demo", a.noConfigAt)
		}
		return nil, err
	}
	a.redact.add(auth.ClientSecret.Reveal(), auth.Token.Reveal(), auth.PIN.Reveal())
	path, err := a.watchlistPath(cfg)
	if err != nil {
		return nil, err
	}
	client, err := api.New(api.Options{
		Endpoint:    cfg.API.Endpoint,
		UserID:      cfg.API.UserID,
		Format:      api.Format(cfg.API.Format),
		Method:      api.Method(cfg.API.Method),
		Timeout:     cfg.API.Timeout.Duration,
		BatchSize:   cfg.API.BatchSize,
		Concurrency: cfg.API.Concurrency,
		Auth:        auth,
		Logger:      a.log,
		Warn:        a.warn,
	})
	if err != nil {
		return nil, configErrorf("%s: %v", cfg.describe(), err)
	}
	return &service{cfg: cfg, auth: auth, client: client, watchPath: path, demo: a.demo}, nil
}

// describe names the config for an error that is not about one key.
func (c *Config) describe() string {
	if c.Path != "" {
		return "config " + c.Path
	}
	return "config (defaults and environment)"
}

// warn is api's channel for one-line notices (the PIN deprecation). On the
// dashboard they go to the log instead of the screen the UI draws on.
func (a *app) warn(msg string) {
	a.log.Warn(msg)
	if a.quietWarnings {
		return
	}
	a.errorf("warning: %s", msg)
}
