package main

import (
	"context"
	"errors"
	"log/slog"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/watchlist"
)

// cmdDashboard runs the Bubble Tea dashboard until the user quits.
func (a *app) cmdDashboard() int {
	if err := a.setup(); err != nil {
		return a.fail(err)
	}
	if !isTerminal(a.stdout) || !isTerminal(a.stdin) {
		a.errorf("the dashboard needs a terminal; for scripts use: faxwatch status (see faxwatch help status)")
		return exitUsage
	}
	overrides := func(c *Config) {
		if a.interval != 0 {
			c.Watch.Interval = Duration{a.interval}
			c.where["watch.interval"] = "--interval"
		}
	}
	// The terminal is about to belong to the dashboard: api's notices (the
	// PIN deprecation) go to the log, and to the dashboard as warnings below.
	a.quietWarnings = true
	svc, err := a.openService(overrides)
	if err != nil {
		return a.fail(err)
	}
	store, warnings, err := watchlist.Open(watchlist.Options{Path: svc.watchPath, KeepFinal: svc.cfg.Watch.KeepFinal.Duration})
	if err != nil {
		return a.fail(watchlistError(svc.watchPath, err))
	}
	if svc.auth.Mode == api.AuthPIN {
		warnings = append(warnings, "auth.mode pin is deprecated by Concord; switch to oauth2 when you can")
	}

	ctx, cancel := context.WithCancel(a.ctx)
	defer cancel()
	if svc.demo != nil {
		go svc.demo.feed(ctx, demoFeedEvery, func(msg string, args ...any) { a.log.Debug(msg, args...) })
	}
	m := ui.New(ui.Options{
		Source:   svc.client,
		Store:    store,
		Host:     svc.client.Host(),
		UserID:   svc.cfg.API.UserID,
		AuthMode: svc.cfg.Auth.Mode,
		Method:   api.Method(svc.cfg.API.Method),
		Interval: svc.cfg.Watch.Interval.Duration,
		Theme:    svc.cfg.UI.Theme,
		Bell:     svc.cfg.UI.Bell,
		Demo:     svc.demo != nil,
		Warnings: warnings,
		Logger:   a.log.With(slog.String("component", "ui")),
	})
	_, err = tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(a.stdin), tea.WithOutput(a.stdout)).Run()
	a.quietWarnings = false
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, tea.ErrInterrupted), a.ctx.Err() != nil:
		return exitInterrupted
	default:
		a.log.Error("dashboard stopped", "err", err)
		a.errorf("the dashboard stopped: %v", err)
		return exitFailed
	}
}
