package cli

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/ui/alert"
	"faxwatch/ui/cli/config"
	"faxwatch/watchlist"
)

// settings is the config for this run and where it came from.
type settings struct {
	cfg config.Config
	// noConfigAt is the default config path when no file was there: a
	// command that needs the service then says how to create one.
	noConfigAt string
	demo       *demoEnv // nil unless --demo
	notify     alert.Config
}

// loadSettings gives the config for this run: the user's file and
// environment, or, with --demo, defaults pointed at a simulator started here
// (the user's config is never read). overrides applies command-line flags
// before validation and may be nil.
func (r *runner) loadSettings(log *slog.Logger, overrides func(*config.Config)) (settings, error) {
	var s settings
	if r.preset != nil {
		return r.preset.settings, nil
	}
	if r.global.demo {
		d, err := r.startDemo(log)
		if err != nil {
			return s, err
		}
		s.demo, s.cfg = d, d.config()
		if overrides != nil {
			overrides(&s.cfg)
		}
		if err := s.cfg.Validate(); err != nil {
			return s, err
		}
	} else {
		loc, err := config.Locate(r.global.config, r.getenv)
		if err != nil {
			return s, err
		}
		if s.cfg, err = config.Load(loc, r.getenv, overrides); err != nil {
			return s, err
		}
		if s.cfg.Path == "" {
			s.noConfigAt = loc.Path
		}
		log.Debug("config loaded", "path", s.cfg.Path, "endpoint", s.cfg.API.Endpoint, "format", s.cfg.API.Format,
			"method", s.cfg.API.Method, "auth_mode", s.cfg.Auth.Mode)
	}
	// The refresh interval is the dashboard's rule, which config may not import.
	if !s.cfg.IsSet("watch.interval") && s.cfg.Watch.Interval.Duration == 0 {
		s.cfg.Watch.Interval.Duration = ui.DefaultInterval
	}
	if err := ui.CheckInterval(s.cfg.Watch.Interval.Duration); err != nil {
		return s, s.cfg.KeyError("watch.interval", err)
	}
	notify, err := notifySettings(s.cfg, os.Environ(), r.getenv)
	if err != nil {
		return s, err
	}
	s.notify = notify
	return s, nil
}

// watchlistPath is [watch] file, else the XDG state default, read from the
// injected environment so tests never reach the real one.
func (r *runner) watchlistPath(cfg config.Config) (string, error) {
	if cfg.Watch.File != "" {
		return config.ExpandHome(cfg.Watch.File, r.getenv)
	}
	path, err := watchlist.DefaultPathFrom(r.getenv)
	if err != nil {
		return "", config.Errorf("%v", err)
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

// service is what a command that talks to Concord needs: the client, the
// credentials' mode and where the watchlist lives.
type service struct {
	cfg       config.Config
	auth      api.Auth
	client    *api.Client
	watchPath string
}

// openService resolves the one secret the auth mode needs and builds the
// client. warn receives api's one-line notices (the PIN deprecation);
// onAttempt, when not nil, hears of each HTTP request as it starts.
func (r *runner) openService(s settings, log *slog.Logger, redact *redactor, warn func(string), onAttempt func(api.Call)) (*service, error) {
	if r.preset != nil {
		return r.preset.svc, nil
	}
	auth, err := r.resolveAuth(s, redact)
	if err != nil {
		return nil, err
	}
	return r.newService(s, auth, log, warn, onAttempt)
}

// resolveAuth fetches the one secret the auth mode needs (running a secret
// command at most once) and hands it to the debug log's redactor.
func (r *runner) resolveAuth(s settings, redact *redactor) (api.Auth, error) {
	auth, err := s.cfg.ResolveAuth(r.ctx, r.getenv)
	if err != nil {
		if s.noConfigAt != "" {
			return api.Auth{}, errNoConfigFile(s.noConfigAt)
		}
		return api.Auth{}, err
	}
	redact.add(auth.ClientSecret.Reveal(), auth.Token.Reveal(), auth.PIN.Reveal())
	return auth, nil
}

// errNoConfigFile says how a first run gets a config.
func errNoConfigFile(path string) error {
	return config.Errorf("no config file at %s; create one with: faxwatch config init (then fill in your account), or try: faxwatch --demo", path)
}

// newService builds the client for the resolved credentials.
func (r *runner) newService(s settings, auth api.Auth, log *slog.Logger, warn func(string), onAttempt func(api.Call)) (*service, error) {
	path, err := r.watchlistPath(s.cfg)
	if err != nil {
		return nil, err
	}
	client, err := api.New(api.Options{
		Endpoint:    s.cfg.API.Endpoint,
		UserID:      s.cfg.API.UserID,
		Format:      api.Format(s.cfg.API.Format),
		Method:      api.Method(s.cfg.API.Method),
		Timeout:     s.cfg.API.Timeout.Duration,
		BatchSize:   s.cfg.API.BatchSize,
		Concurrency: s.cfg.API.Concurrency,
		Auth:        auth,
		Logger:      log,
		Warn:        warn,
		OnAttempt:   onAttempt,
	})
	if err != nil {
		return nil, config.Errorf("%s: %v", s.cfg.Describe(), err)
	}
	return &service{cfg: s.cfg, auth: auth, client: client, watchPath: path}, nil
}

// warnOnStderr is the warn for one-shot commands: the log and standard error.
func (r *runner) warnOnStderr(log *slog.Logger) func(string) {
	return func(msg string) {
		log.Warn(msg)
		r.stderr.Printf("warning: %s", msg)
	}
}
