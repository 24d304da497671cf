package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/ui/cli/config"
	"faxwatch/ui/serve"
	"faxwatch/watchlist"
)

// serveShutdownGrace bounds SIGTERM's path: sessions told, list saved.
const serveShutdownGrace = 10 * time.Second

func (r *runner) serveCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Serve one dashboard, poller and watchlist to a team over SSH",
		Long: `Runs an SSH server ([serve] in the config): everyone in authorized_keys opens
the dashboard with plain ssh, and shares one watchlist and one poller. The
editors may change the list; everyone else reads. Over SSH, "status" and
"watch add|rm|ls" work as they do here. SIGTERM tells every session that
faxwatch is restarting, saves the watchlist and exits 0.

With --demo it serves the simulator on a loopback port, makes a throw-away
client key and prints the ssh command to connect.`,
		Example: `faxwatch --demo serve
faxwatch serve
ssh -p 2222 alice@faxwatch-host`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return r.serve() },
	}
}

// serveSetup is what serve resolved before it listens.
type serveSetup struct {
	keys     serve.AuthorizedKeys
	editors  []string
	hostKey  string
	listen   string
	clientID string // with --demo: the throw-away key's file
}

// opened is what serve opened before it listens.
type opened struct {
	s        settings
	svc      *service
	setup    serveSetup
	signer   gossh.Signer
	created  bool // the host key was made now
	store    *watchlist.Store
	debugLog *slog.Logger
}

func (r *runner) serve() error {
	// Connects, disconnects and refusals are JSON lines on standard error,
	// for journald or a log shipper.
	log := slog.New(slog.NewJSONHandler(r.stdio.Err, &slog.HandlerOptions{Level: slog.LevelInfo}))
	o, err := r.openServed(log)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", o.setup.listen)
	if err != nil {
		return failed("serve: cannot listen on %s: %v; pick another [serve] listen", o.setup.listen, err)
	}
	metrics, stopMetrics, err := r.startMetrics(o.s.cfg.Serve.MetricsListen, log)
	if err != nil {
		_ = l.Close()
		return err
	}
	defer stopMetrics()
	hub, srv, err := r.newServer(o, metrics, log)
	if err != nil {
		_ = l.Close()
		return failed("%v", err)
	}
	hub.Start()
	if o.s.demo != nil {
		go o.s.demo.feed(r.ctx, demoFeedEvery, func(msg string, args ...any) { o.debugLog.Debug(msg, args...) })
	}
	r.printServing(l.Addr().String(), o.signer, o.created, o.setup)
	return r.serveUntilStopped(srv, hub, l, log)
}

// openServed loads the config, the client, [serve]'s keys and the shared
// watchlist; its errors are the run's.
func (r *runner) openServed(log *slog.Logger) (*opened, error) {
	debugLog, redact, err := r.openDebugLog()
	if err != nil {
		return nil, fail(err)
	}
	o := &opened{debugLog: debugLog}
	if o.s, err = r.loadSettings(debugLog, nil); err != nil {
		return nil, fail(err)
	}
	if o.svc, err = r.openService(o.s, debugLog, redact, func(msg string) { log.Warn(msg) }, nil); err != nil {
		return nil, fail(err)
	}
	if o.setup, err = r.serveSetup(o.s); err != nil {
		return nil, fail(err)
	}
	if o.signer, o.created, err = serve.LoadOrCreateHostKey(o.setup.hostKey); err != nil {
		return nil, fail(config.Errorf("%v", err))
	}
	var warnings []string
	o.store, warnings, err = watchlist.Open(watchlist.Options{Path: o.svc.watchPath, KeepFinal: o.s.cfg.Watch.KeepFinal.Duration, OwnerSaves: true})
	if err != nil {
		return nil, fail(watchlistError(o.svc.watchPath, err))
	}
	for _, msg := range append(warnings, o.s.cfg.Warnings...) {
		log.Warn(msg)
	}
	return o, nil
}

// newServer builds the shared poller (the hub) and the SSH server on it.
func (r *runner) newServer(o *opened, metrics *serve.Metrics, log *slog.Logger) (*serve.Hub, *serve.Server, error) {
	cfg := o.s.cfg
	hub := serve.NewHub(serve.HubOptions{Source: o.svc.client, Store: o.store, Interval: cfg.Watch.Interval.Duration,
		Notify: o.s.notify, Logger: log.With("component", "hub"), Metrics: metrics})
	srv, err := serve.NewServer(serve.Options{
		Listen: o.setup.listen, HostKey: o.signer, AuthorizedKeys: o.setup.keys, Editors: o.setup.editors,
		IdleTimeout: cfg.Serve.IdleTimeout.Duration, MaxSessions: cfg.Serve.MaxSessions, Hub: hub,
		Dashboard: ui.Options{Host: o.svc.client.Host(), UserID: cfg.API.UserID, AuthMode: cfg.Auth.Mode,
			Method: api.Method(cfg.API.Method), Interval: cfg.Watch.Interval.Duration, Theme: cfg.UI.Theme,
			Notify: o.s.notify, Demo: o.s.demo != nil},
		Command: r.remoteCommand(o.s, o.svc, hub),
		Logger:  log,
	})
	return hub, srv, err
}

// serveUntilStopped serves on l until a signal, then tells every session,
// saves the watchlist and returns, within serveShutdownGrace.
func (r *runner) serveUntilStopped(srv *serve.Server, hub *serve.Hub, l net.Listener, log *slog.Logger) error {
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Serve(l) }()
	select {
	case <-r.ctx.Done():
	case err := <-stopped:
		_ = hub.Stop()
		return failed("serve: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), serveShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return failed("serve: %v", err)
	}
	log.Info("stopped", "reason", signalName(r.ctx), "watchlist", "saved")
	return nil
}

// serveSetup reads [serve]: with --demo a throw-away client key and
// loopback, otherwise the authorized_keys file, which must be safe.
func (r *runner) serveSetup(s settings) (serveSetup, error) {
	cfg := s.cfg.Serve
	st := serveSetup{editors: cfg.Editors, listen: cfg.Listen}
	if s.demo != nil {
		st.listen, st.editors = "127.0.0.1:0", []string{"demo"}
		st.hostKey = filepath.Join(s.demo.dir, "ssh_host_ed25519_key")
		keys, path, err := demoClientKey(s.demo.dir)
		if err != nil {
			return st, err
		}
		st.keys, st.clientID = keys, path
		return st, nil
	}
	path, err := config.ExpandHome(cfg.AuthorizedKeys, r.getenv)
	if err != nil {
		return st, err
	}
	if st.keys, err = serve.LoadAuthorizedKeys(path); err != nil {
		return st, s.cfg.KeyError("serve.authorized_keys", err)
	}
	st.hostKey = cfg.HostKey
	if st.hostKey == "" {
		wl, err := watchlist.DefaultPathFrom(r.getenv)
		if err != nil {
			return st, err
		}
		st.hostKey = filepath.Join(filepath.Dir(wl), "ssh_host_ed25519_key")
	} else if st.hostKey, err = config.ExpandHome(st.hostKey, r.getenv); err != nil {
		return st, err
	}
	return st, nil
}

// demoClientKey writes a throw-away ed25519 client key ("demo", an editor)
// into the demo's folder, gone when the run ends.
func demoClientKey(dir string) (serve.AuthorizedKeys, string, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", err
	}
	block, err := gossh.MarshalPrivateKey(priv, "demo")
	if err != nil {
		return nil, "", err
	}
	keyPath := filepath.Join(dir, "demo_client_key")
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, "", fmt.Errorf("demo: cannot write the client key: %v", err)
	}
	sshPub, err := gossh.NewPublicKey(pub)
	if err != nil {
		return nil, "", err
	}
	akPath := filepath.Join(dir, "authorized_keys")
	line := append(gossh.MarshalAuthorizedKey(sshPub)[:len(gossh.MarshalAuthorizedKey(sshPub))-1], " demo\n"...)
	if err := os.WriteFile(akPath, line, 0o600); err != nil {
		return nil, "", fmt.Errorf("demo: cannot write authorized_keys: %v", err)
	}
	keys, err := serve.LoadAuthorizedKeys(akPath)
	return keys, keyPath, err
}

// printServing says where to connect and which host key to expect.
func (r *runner) printServing(addr string, signer gossh.Signer, created bool, st serveSetup) {
	fp := gossh.FingerprintSHA256(signer.PublicKey())
	made := ""
	if created {
		made = " (new: made at " + st.hostKey + ")"
	}
	fmt.Fprintf(r.stdio.Out, "faxwatch serve: listening on %s\nhost key: ed25519 %s%s\n", addr, fp, made)
	if st.clientID == "" {
		return
	}
	host, port, _ := net.SplitHostPort(addr)
	fmt.Fprintf(r.stdio.Out, "connect with:\n  ssh -p %s -i %s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null demo@%s\n", port, quotePath(st.clientID), host)
}

// startMetrics serves Prometheus metrics when [serve] metrics_listen is set.
func (r *runner) startMetrics(addr string, log *slog.Logger) (*serve.Metrics, func(), error) {
	if addr == "" {
		return nil, func() {}, nil
	}
	m := serve.NewMetrics()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, failed("serve: cannot listen on %s for metrics: %v; pick another [serve] metrics_listen", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("metrics server stopped", "err", err.Error())
		}
	}()
	log.Info("metrics", "url", "http://"+l.Addr().String()+"/metrics")
	return m, func() { _ = hs.Close() }, nil
}

// quotePath quotes a path for a shell command the user may paste.
func quotePath(p string) string {
	for _, c := range p {
		if !(c == '/' || c == '.' || c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
		}
	}
	return p
}
