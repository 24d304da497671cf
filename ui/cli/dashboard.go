package cli

import (
	"context"
	"errors"
	"log/slog"
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
	svc, err := r.openService(s, log, redact, func(msg string) { log.Warn(msg) })
	if err != nil {
		return fail(err)
	}
	store, warnings, err := watchlist.Open(watchlist.Options{Path: svc.watchPath, KeepFinal: s.cfg.Watch.KeepFinal.Duration})
	if err != nil {
		return fail(watchlistError(svc.watchPath, err))
	}
	warnings = append(warnings, s.cfg.Warnings...)
	if svc.auth.Mode == api.AuthPIN {
		warnings = append(warnings, "auth.mode pin is deprecated by Concord; switch to oauth2 when you can")
	}

	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	if s.demo != nil {
		go s.demo.feed(ctx, demoFeedEvery, func(msg string, args ...any) { log.Debug(msg, args...) })
	}
	m := ui.New(ui.Options{
		Source:   svc.client,
		Store:    store,
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
	_, err = tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(r.stdio.In), tea.WithOutput(r.stdio.Out)).Run()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrInterrupted), r.ctx.Err() != nil:
		return exitWith(ExitInterrupted)
	default:
		log.Error("dashboard stopped", "err", err)
		return failed("the dashboard stopped: %v", err)
	}
}
