package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/ui/alert"
	"faxwatch/ui/cli/config"
	"faxwatch/watchlist"
)

// Demo pacing: a refresh the eye can follow, and a trickle of new jobs.
const (
	demoInterval   = 5 * time.Second
	demoFeedEvery  = 20 * time.Second
	demoFeedJobs   = 2
	demoListenAddr = "127.0.0.1:0"
)

// demoEnv is --demo's world: a simulator on a loopback port and a watchlist in
// a fresh temporary directory, both gone when the run ends. The user's config
// and watchlist are never opened.
type demoEnv struct {
	srv       *sim.Server
	running   *sim.Running
	dir       string
	watchPath string
}

// startDemo starts the simulator and seeds the temporary watchlist with its
// demo jobs (every state represented); both go when the run ends.
func (r *runner) startDemo(log *slog.Logger) (*demoEnv, error) {
	srv := sim.New(sim.Options{})
	running, err := srv.Start(demoListenAddr)
	if err != nil {
		return nil, fmt.Errorf("demo: cannot start the simulator on %s: %v", demoListenAddr, err)
	}
	r.onClose(func() { _ = running.Close() })
	dir, err := os.MkdirTemp("", "faxwatch-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo: cannot create a temporary directory: %v; check $TMPDIR", err)
	}
	r.onClose(func() { _ = os.RemoveAll(dir) })
	d := &demoEnv{srv: srv, running: running, dir: dir, watchPath: filepath.Join(dir, "watchlist.json")}
	store, _, err := watchlist.Open(watchlist.Options{Path: d.watchPath})
	if err != nil {
		return nil, fmt.Errorf("demo: cannot create the demo watchlist: %v", err)
	}
	if _, _, err := store.Add(srv.DemoWatchlist()...); err != nil {
		return nil, fmt.Errorf("demo: cannot seed the demo watchlist: %v", err)
	}
	log.Debug("demo started", "endpoint", running.Endpoint(), "watchlist", d.watchPath)
	return d, nil
}

// config is the default config pointed at the simulator with its credentials.
func (d *demoEnv) config() config.Config {
	creds := d.srv.Credentials()
	cfg := config.Default()
	cfg.Path = ""
	cfg.API.Endpoint = d.running.Endpoint()
	cfg.API.UserID = creds.UserID
	cfg.Auth.Mode = string(api.AuthOAuth2)
	cfg.Auth.TokenURL = d.running.TokenURL()
	cfg.Auth.ClientID = creds.ClientID
	cfg.Auth.ClientSecret = creds.ClientSecret
	cfg.Watch.Interval = config.Duration{Duration: demoInterval}
	cfg.Watch.File = d.watchPath
	// Show what an alert looks like: the demo's jobs fail now and then.
	cfg.Notify.Desktop = alert.DesktopOSC9
	cfg.SetBy("api.endpoint", "demo")
	return cfg
}

// feed adds a few new simulator jobs to the demo watchlist every period until
// ctx ends, through a Store of its own on the same file, the way a shell's
// `faxwatch watch add` would: the dashboard picks them up when it reloads.
func (d *demoEnv) feed(ctx context.Context, every time.Duration, logf func(msg string, args ...any)) {
	store, _, err := watchlist.Open(watchlist.Options{Path: d.watchPath})
	if err != nil {
		logf("demo feed: cannot open the watchlist", "err", err)
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			ids := d.srv.AddJobs(demoFeedJobs)
			if _, _, err := store.Add(ids...); err != nil {
				logf("demo feed: cannot add jobs", "err", err)
				continue
			}
			logf("demo feed: added jobs", "ids", fmt.Sprint(ids))
		}
	}
}
