package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/ui/cli/config"
	"faxwatch/watchlist"
)

// dashboard runs the Bubble Tea dashboard until the user quits. interval is
// --interval (0: the config's).
func (r *runner) dashboard(interval time.Duration) error {
	log, redact, err := r.openDebugLog()
	if err != nil {
		return fail(err)
	}
	if !isTerminal(r.stdio.Out) || !isTerminal(r.stdio.In) {
		return &exitError{code: ExitUsage, msg: "the dashboard needs a terminal; for scripts use: faxwatch status (see faxwatch help status)"}
	}
	s, err := r.loadSettings(log, func(c *config.Config) {
		if interval != 0 {
			c.Watch.Interval = config.Duration{Duration: interval}
			c.SetBy("watch.interval", "--interval")
		}
	})
	if err != nil {
		return fail(err)
	}
	// The terminal is about to belong to the dashboard: api's notices (the
	// PIN deprecation) go to the log, and to the dashboard as warnings below.
	svc, err := r.openService(s, log, redact, func(msg string) { log.Warn(msg) }, nil)
	if err != nil {
		return fail(err)
	}
	// The list is read after the first frame (README: Performance); a file
	// that cannot be opened ends the dashboard with the same one-line error.
	load := func() (store *watchlist.Store, warnings []string, err error) {
		withoutGC(func() {
			store, warnings, err = watchlist.Open(watchlist.Options{Path: svc.watchPath, KeepFinal: s.cfg.Watch.KeepFinal.Duration, OwnerSaves: true})
		})
		return store, warnings, err
	}
	warnings := slices.Clone(s.cfg.Warnings)
	if svc.auth.Mode == api.AuthPIN {
		warnings = append(warnings, "auth.mode pin is deprecated by Concord; switch to oauth2 when you can")
	}

	demoCtx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	if s.demo != nil {
		go s.demo.feed(demoCtx, demoFeedEvery, func(msg string, args ...any) { log.Debug(msg, args...) })
	}
	m := ui.New(ui.Options{
		Source:   svc.client,
		Load:     load,
		Host:     svc.client.Host(),
		UserID:   s.cfg.API.UserID,
		AuthMode: s.cfg.Auth.Mode,
		Method:   api.Method(s.cfg.API.Method),
		Interval: s.cfg.Watch.Interval.Duration,
		Theme:    s.cfg.UI.Theme,
		Notify:   s.notify,
		Demo:     s.demo != nil,
		Warnings: warnings,
		Logger:   log.With(slog.String("component", "ui")),
	})
	if err := r.runDashboard(m, log); err != nil {
		return err
	}
	if err := m.LoadErr(); err != nil {
		return fail(watchlistError(svc.watchPath, err))
	}
	return nil
}

// runDashboard runs m until the user quits or a signal asks it to stop.
// Signals end the dashboard through its own quit path, not by killing the
// program: a removal made a moment before the terminal closed must reach the
// file (README: Reliability).
func (r *runner) runDashboard(m *ui.Model, log *slog.Logger) error {
	progCtx, kill := context.WithCancel(context.Background())
	defer kill()
	opts := []tea.ProgramOption{tea.WithContext(progCtx), tea.WithoutSignalHandler(), tea.WithInput(r.stdio.In), tea.WithOutput(r.stdio.Out)}
	if p, ok := knownProfile(r.stdio.Out); ok {
		opts = append(opts, tea.WithColorProfile(p))
	}
	prog := tea.NewProgram(m, opts...)
	var lastSaveErr error
	run := func() error {
		_, err := prog.Run()
		// However the program ended (an input error after a hang-up, say),
		// what is still unsaved gets one more try.
		if store := m.Store(); store.Dirty() {
			lastSaveErr = store.Save()
		}
		return err
	}
	end := superviseDashboard(r.ctx, shutdownGrace, time.After, run, func(reason string) { prog.Send(ui.ShutdownMsg{Reason: reason}) }, kill)
	if end.timedOut {
		// The store may still be in use: report what the quit path knew.
		r.stderr.Printf("%s", saveTimedOut(end.signal, m.Unsaved()))
		return exitWith(ExitInterrupted)
	}
	if store := m.Store(); store.Dirty() {
		r.stderr.Printf("%s", saveFailed(store.UnsavedSummary(), lastSaveErr))
	}
	switch {
	case end.signal != "", errors.Is(end.err, tea.ErrInterrupted):
		return exitWith(ExitInterrupted)
	case end.err == nil:
		return nil
	default:
		log.Error("dashboard stopped", "err", end.err)
		return failed("the dashboard stopped: %v", end.err)
	}
}

// saveTimedOut says what a signal's quit path left unsaved when it ran out
// of time; unsaved is what it knew ("" when it had not said yet).
func saveTimedOut(signal, unsaved string) string {
	if unsaved == "" {
		unsaved = "changes since the last save"
	}
	return fmt.Sprintf("stopped by %s; the watchlist save did not finish within %s; not saved: %s", signal, shutdownGrace, unsaved)
}

// saveFailed says what the file lacks after the last save failed (err may
// be nil when the dashboard ended before it could try).
func saveFailed(unsaved string, err error) string {
	why := ""
	if err != nil {
		why = " (" + firstLine(err.Error()) + ")"
	}
	return fmt.Sprintf("the watchlist was not saved%s; not saved: %s", why, unsaved)
}

// startupMemoryLimit bounds the heap while withoutGC holds the collector
// back: past it the collector runs anyway.
const startupMemoryLimit = 512 << 20

// withoutGC runs load with the collector paused. Loading a long list keeps
// nearly all it allocates, so collecting while the heap grows only marks the
// same entries again and again: at 100,000 jobs that was about a tenth of
// the time to the first frame, for no smaller peak (README: Performance).
func withoutGC(load func()) {
	limit := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(min(limit, startupMemoryLimit)))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	load()
}

// shutdownGrace bounds the quit path after a signal: finishing the save in
// flight and one more.
const shutdownGrace = 5 * time.Second

// dashboardEnd is how a supervised dashboard ended.
type dashboardEnd struct {
	err      error  // what run returned
	signal   string // the signal that asked it to stop; "" if none
	timedOut bool   // it did not finish within the grace period
}

// superviseDashboard runs run until it returns. When sigCtx ends first (a
// signal), it asks the dashboard to stop with stop and waits at most grace
// (measured with after) before it calls kill and gives up waiting.
func superviseDashboard(sigCtx context.Context, grace time.Duration, after func(time.Duration) <-chan time.Time,
	run func() error, stop func(reason string), kill func()) dashboardEnd {
	done := make(chan error, 1)
	go func() { done <- run() }()
	select {
	case err := <-done:
		return dashboardEnd{err: err}
	case <-sigCtx.Done():
	}
	reason := signalName(sigCtx)
	go stop(reason) // Send blocks until the program reads it, or ends
	select {
	case err := <-done:
		return dashboardEnd{err: err, signal: reason}
	case <-after(grace):
		kill()
		return dashboardEnd{signal: reason, timedOut: true}
	}
}

// signalName names what ended ctx: os/signal's cause reads "hangup signal
// received".
func signalName(ctx context.Context) string {
	cause := context.Cause(ctx)
	if cause == nil || cause == context.Canceled {
		return "a stop request"
	}
	return strings.TrimSuffix(cause.Error(), " signal received")
}
