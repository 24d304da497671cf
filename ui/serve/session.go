package serve

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"

	"faxwatch/ui"
)

// readOnlyReason is what a viewer's change keys say.
const readOnlyReason = "read-only: only the editors in the server's [serve] editors can change the list"

// dashboard runs one person's dashboard on the shared hub until they quit,
// go idle, disconnect or the server stops.
func (s *Server) dashboard(sess ssh.Session, user string) int {
	pty, windows, ok := sess.Pty()
	if !ok {
		wish.Errorln(sess, "faxwatch: the dashboard needs a terminal; connect with ssh -t, or run a command: status, watch ls")
		return 2
	}
	ses, ok := s.open()
	if !ok {
		wish.Errorln(sess, "faxwatch: the server is full ("+itoa(s.opts.MaxSessions)+" sessions); try again later")
		return 1
	}
	defer s.close(ses)

	opts := s.opts.Dashboard
	opts.Shared, opts.User = s.opts.Hub, user
	// Desktop notifications go to this viewer's terminal, not the server's.
	opts.Notify.Desktop = opts.Notify.Desktop.For(viewerEnv(pty.Term, sess.Environ()))
	opts.Store, opts.Source = nil, nil
	if !s.editors[user] {
		opts.ReadOnly = readOnlyReason
	}
	m := ui.New(opts)
	var idle IdleTimer // started once the program exists; the filter runs only after
	popts := append(bubbletea.MakeOptions(sess),
		tea.WithWindowSize(pty.Window.Width, pty.Window.Height),
		tea.WithFPS(sessionFPS),
		tea.WithoutSignalHandler(),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			switch msg.(type) {
			case tea.KeyPressMsg, tea.PasteMsg, tea.MouseClickMsg, tea.MouseWheelMsg:
				idle.Reset(s.opts.IdleTimeout)
			case tea.SuspendMsg:
				return tea.ResumeMsg{} // no job control over SSH
			}
			return msg
		}))
	ses.prog = tea.NewProgram(m, popts...)
	close(ses.ready)
	idle = s.opts.AfterFunc(s.opts.IdleTimeout, func() { ses.idle.Store(true); ses.prog.Quit() })
	defer idle.Stop()

	sub := s.opts.Hub.Subscribe()
	defer s.opts.Hub.Unsubscribe(sub)
	done := make(chan struct{})
	defer close(done)
	go forward(sess.Context(), ses.prog, sub, windows, done)

	_, err := ses.prog.Run()
	ses.prog.Kill()
	switch {
	case s.isClosing():
		wish.Println(sess, "\r\n"+RestartingMessage+"\r")
	case ses.idle.Load():
		wish.Println(sess, "\r\nfaxwatch: closed after "+s.opts.IdleTimeout.String()+" without a key press\r")
	case err != nil && sess.Context().Err() == nil:
		s.log.Warn("dashboard ended", "user", user, "err", err.Error())
		return 1
	}
	return 0
}

// viewerEnv is a getenv for the viewer's terminal: TERM from the pty, the
// rest (TMUX if the client sends it) from the session's environment, the
// last value of a name winning.
func viewerEnv(term string, environ []string) func(string) string {
	return func(name string) string {
		if name == "TERM" {
			return term
		}
		value := ""
		for _, kv := range environ {
			if k, v, ok := strings.Cut(kv, "="); ok && k == name {
				value = v
			}
		}
		return value
	}
}

// forward hands the session the hub's news and the window's size, and ends
// the program when the connection goes. Send waits for a stalled session;
// only this goroutine waits with it. Window sizes are taken as they come,
// by latestWindow: the SSH connection's reader hands each window-change
// over and waits until it is taken, so a stalled session that is resized
// would otherwise stop that reader, and with it the server's notice that
// the connection closed.
func forward(ctx context.Context, p *tea.Program, sub *Subscription, windows <-chan ssh.Window, done <-chan struct{}) {
	sizes := make(chan ssh.Window, 1)
	go latestWindow(windows, sizes, done)
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			p.Quit()
			return
		case <-sub.C:
			p.Send(ui.SharedMsg{})
		case w := <-sizes:
			p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		}
	}
}

// latestWindow takes every window size from in at once and keeps the latest
// one not yet sent in out (capacity 1), replacing an older one.
func latestWindow(in <-chan ssh.Window, out chan ssh.Window, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case w, ok := <-in:
			if !ok {
				return
			}
			select {
			case <-out: // superseded
			default:
			}
			out <- w // only this goroutine sends: the slot is free
		}
	}
}
