package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	"faxwatch/ui"
)

// Defaults of [serve] (README: For a team).
const (
	DefaultListen      = "127.0.0.1:2222"
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxSessions = 64
	// A burst of connections per address, then one per connRefill.
	connBurst  = 10
	connRefill = 6 * time.Second
	// The renderer's frame rate per session. 30 costs a third less idle
	// CPU with 50 sessions but adds up to 33 ms to every key (README:
	// Performance).
	sessionFPS = 60
)

// RestartingMessage is what every session reads when the server stops.
const RestartingMessage = "faxwatch is restarting; reconnect in a moment"

// Options configures a Server.
type Options struct {
	Listen         string
	HostKey        gossh.Signer
	AuthorizedKeys AuthorizedKeys
	Editors        []string      // names allowed to change the list
	IdleTimeout    time.Duration // 0: DefaultIdleTimeout
	MaxSessions    int           // 0: DefaultMaxSessions
	Hub            *Hub
	// Dashboard is the template of each session's ui.Options (host, theme,
	// notify…); Shared, User and ReadOnly are set per session.
	Dashboard ui.Options
	// Command runs an SSH command (ssh host status …); nil refuses them.
	Command func(ctx context.Context, c CommandRequest) int
	Logger  *slog.Logger
	Now     func() time.Time
	// AfterFunc arms each session's idle timer; nil: time.AfterFunc.
	AfterFunc func(d time.Duration, f func()) IdleTimer
	// ConnBurst connections per address at once, then one per ConnRefill;
	// zero: 10 and 6 s.
	ConnBurst  int
	ConnRefill time.Duration
}

// IdleTimer is the part of *time.Timer a session's idle timeout uses.
type IdleTimer interface {
	Reset(d time.Duration) bool
	Stop() bool
}

// CommandRequest is one SSH command: who asked, with what role, the words,
// and the session's streams.
type CommandRequest struct {
	User   string
	Editor bool
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// Server is faxwatch serve's SSH side.
type Server struct {
	opts    Options
	log     *slog.Logger
	srv     *ssh.Server
	limiter *connLimiter
	editors map[string]bool

	mu       sync.Mutex
	sessions map[*session]struct{}
	closing  bool
	wg       sync.WaitGroup
}

// session is one open dashboard.
type session struct {
	prog  *tea.Program
	ready chan struct{} // closed once prog is set
	idle  atomic.Bool   // ended by the idle timeout
}

// NewServer checks the options and builds the SSH server; Serve runs it.
func NewServer(opts Options) (*Server, error) {
	if opts.HostKey == nil || len(opts.AuthorizedKeys) == 0 || opts.Hub == nil {
		return nil, errors.New("serve: a host key, authorized keys and a hub are required")
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = DefaultMaxSessions
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.AfterFunc == nil {
		opts.AfterFunc = func(d time.Duration, f func()) IdleTimer { return time.AfterFunc(d, f) }
	}
	s := &Server{opts: opts, log: opts.Logger, sessions: map[*session]struct{}{}, editors: map[string]bool{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, e := range opts.Editors {
		s.editors[e] = true
	}
	if opts.ConnBurst <= 0 {
		opts.ConnBurst = connBurst
	}
	if opts.ConnRefill <= 0 {
		opts.ConnRefill = connRefill
	}
	s.limiter = newConnLimiter(opts.ConnBurst, opts.ConnRefill, opts.Now)
	srv, err := wish.NewServer(
		wish.WithAddress(opts.Listen),
		// Our key, given before NewServer looks: it would otherwise write
		// a key of its own into the working directory.
		func(srv *ssh.Server) error { srv.AddHostKey(opts.HostKey); return nil },
		wish.WithPublicKeyAuth(s.authorize),
		wish.WithMiddleware(func(ssh.Handler) ssh.Handler { return s.handle }),
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	srv.ConnCallback = s.admit
	// Only "session" channels; no shell but ours, no subsystem, no port,
	// agent or X11 forwarding (their callbacks stay nil: refused).
	srv.SessionRequestCallback = func(_ ssh.Session, kind string) bool { return kind == "shell" || kind == "exec" }
	srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
	srv.HandshakeTimeout = 10 * time.Second
	s.srv = srv
	return s, nil
}

// admit applies the per-address connection rate limit before the handshake.
func (s *Server) admit(_ ssh.Context, conn net.Conn) net.Conn {
	if !s.limiter.Allow(conn.RemoteAddr()) {
		s.log.Warn("connection refused: rate limit", "addr", conn.RemoteAddr().String())
		return nil
	}
	return conn
}

// authorize takes a key from authorized_keys; its comment is the user.
func (s *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	p, ok := s.opts.AuthorizedKeys.Lookup(key)
	if !ok {
		s.log.Info("key refused", "fingerprint", gossh.FingerprintSHA256(key), "addr", ctx.RemoteAddr().String(), "ssh_user", ctx.User())
		return false
	}
	perms := ctx.Permissions()
	perms.Extensions = map[string]string{"faxwatch-user": p.Name, "faxwatch-fp": p.Fingerprint}
	return true
}

// Serve accepts connections on l until Shutdown.
func (s *Server) Serve(l net.Listener) error {
	err := s.srv.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on Options.Listen.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.opts.Listen)
	if err != nil {
		return fmt.Errorf("serve: cannot listen on %s: %w; pick another [serve] listen", s.opts.Listen, err)
	}
	return s.Serve(l)
}

// handle is every session: the dashboard with a terminal, a command without.
func (s *Server) handle(sess ssh.Session) {
	ext := sess.Permissions().Extensions
	user, fp := ext["faxwatch-user"], ext["faxwatch-fp"]
	addr := sess.RemoteAddr().String()
	start := s.opts.Now()
	cmd := sess.Command()
	s.log.Info("connect", "user", user, "fingerprint", fp, "addr", addr, "command", len(cmd) > 0)
	code := 0
	if len(cmd) > 0 {
		code = s.command(sess, user, cmd)
	} else {
		code = s.dashboard(sess, user)
	}
	s.log.Info("disconnect", "user", user, "fingerprint", fp, "addr", addr, "seconds", int(s.opts.Now().Sub(start).Seconds()), "exit", code)
	_ = sess.Exit(code)
}

// command runs an SSH command through Options.Command.
func (s *Server) command(sess ssh.Session, user string, args []string) int {
	if s.opts.Command == nil {
		wish.Errorln(sess, "faxwatch: this server runs no commands; connect without one for the dashboard")
		return 2
	}
	return s.opts.Command(sess.Context(), CommandRequest{
		User: user, Editor: s.editors[user], Args: slices.Clone(args),
		Stdin: sess, Stdout: sess, Stderr: sess.Stderr(),
	})
}

// open counts a dashboard in, unless the server is full or stopping.
func (s *Server) open() (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing || len(s.sessions) >= s.opts.MaxSessions {
		return nil, false
	}
	ses := &session{ready: make(chan struct{})}
	s.sessions[ses] = struct{}{}
	s.wg.Add(1)
	return ses, true
}

func (s *Server) close(ses *session) {
	s.mu.Lock()
	delete(s.sessions, ses)
	s.mu.Unlock()
	s.wg.Done()
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// Sessions is the number of dashboards open.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Shutdown is SIGTERM: every dashboard is told RestartingMessage and ends,
// no new connection is taken, then the hub stops and saves the watchlist.
// Sessions that do not end by ctx's deadline are cut.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	open := make([]*session, 0, len(s.sessions))
	for ses := range s.sessions {
		open = append(open, ses)
	}
	s.mu.Unlock()
	for _, ses := range open {
		go func() {
			<-ses.ready
			ses.prog.Send(ui.ShutdownMsg{Reason: "server stopping"})
		}()
	}
	ended := make(chan struct{})
	go func() { s.wg.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-ctx.Done():
		s.log.Warn("sessions still open at the shutdown deadline; cutting them", "open", s.Sessions())
	}
	_ = s.srv.Close()
	return s.opts.Hub.Stop()
}
