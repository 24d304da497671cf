package serve

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/ui/alert"
	"faxwatch/watchlist"
)

// ManualRefreshEvery is the team's limit on r and R: at most one manual
// refresh per period, whoever asks.
const ManualRefreshEvery = 5 * time.Second

// HubOptions configures a Hub.
type HubOptions struct {
	Source ui.StatusSource
	// Store is the shared watchlist, opened with watchlist.Options.OwnerSaves:
	// the hub saves off its lock.
	Store    *watchlist.Store
	Interval time.Duration
	// Notify decides what alerts; its Command runs once here for the team,
	// its bell and desktop notification in each session.
	Notify  alert.Config
	Now     func() time.Time // nil: time.Now
	Logger  *slog.Logger     // nil: discard
	Metrics *Metrics         // nil: none
	// After schedules a timer message; nil: real timers that stop with the
	// hub. Tests pass one they fire themselves.
	After func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// Hub is the one poller and the one list behind every session. Its methods
// are safe from any goroutine; its state is published as one immutable
// ui.SharedState after every change.
type Hub struct {
	opts HubOptions
	log  *slog.Logger
	now  func() time.Time

	ctx    context.Context
	cancel context.CancelFunc
	msgs   chan tea.Msg
	wg     sync.WaitGroup

	mu         sync.Mutex // guards everything below
	store      *watchlist.Store
	poller     *ui.Poller
	tracker    *alert.Tracker
	gate       alert.Gate
	saving     bool
	lastManual time.Time
	event      string
	eventBy    string
	eventSeq   uint64
	alert      alert.Alert
	alertSeq   uint64
	// notifyFailed is the notify command's last failure, "" once a run works.
	notifyFailed string
	subs         map[*Subscription]struct{}

	state atomic.Pointer[ui.SharedState]
}

// Subscription is one session's mailbox: C holds at most one "something
// changed"; the session then reads Hub.State, the latest.
type Subscription struct {
	C chan struct{}
}

// NewHub builds a hub; Start runs it.
func NewHub(opts HubOptions) *Hub {
	h := &Hub{opts: opts, log: opts.Logger, now: opts.Now, store: opts.Store, subs: map[*Subscription]struct{}{}}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.msgs = make(chan tea.Msg, 64)
	if h.opts.After == nil {
		h.opts.After = h.timer
	}
	h.poller = ui.NewPoller(ui.PollerOptions{
		Source: opts.Metrics.timed(opts.Source, h.now), Interval: opts.Interval, Now: h.now, Logger: h.log, After: h.opts.After,
		Due: func(full bool) []api.JobID { return h.store.Due(h.now(), full) },
	})
	h.tracker = alert.NewTracker(opts.Notify.On, opts.Notify.StaleAfter, h.now())
	h.publishLocked()
	return h
}

// timer is a real timer that gives nothing once the hub stopped.
func (h *Hub) timer(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case now := <-t.C:
			return fn(now)
		case <-h.ctx.Done():
			return nil
		}
	}
}

// Start runs the hub's loop and its first poll.
func (h *Hub) Start() {
	h.wg.Add(1)
	go h.loop()
	h.exec(h.poller.Init())
}

func (h *Hub) loop() {
	defer h.wg.Done()
	for {
		select {
		case <-h.ctx.Done():
			return
		case msg := <-h.msgs:
			h.handle(msg)
		}
	}
}

// exec runs a command off the lock and feeds its message back to the loop.
func (h *Hub) exec(cmd tea.Cmd) {
	if cmd == nil || h.ctx.Err() != nil {
		return
	}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		h.post(cmd())
	}()
}

func (h *Hub) post(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.exec(c)
		}
	default:
		select {
		case h.msgs <- msg:
		case <-h.ctx.Done():
		}
	}
}

type (
	saveDone    struct{ res watchlist.SaveResult }
	commandDone struct{ err error }
)

func (h *Hub) handle(msg tea.Msg) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch msg := msg.(type) {
	case saveDone:
		h.saving = false
		if err := h.store.FinishSave(msg.res); err != nil {
			h.log.Warn("save failed", "err", err.Error())
		}
	case commandDone:
		// Every session's header shows the failure until a run works.
		h.notifyFailed = ""
		if msg.err != nil {
			h.notifyFailed = msg.err.Error() // one sanitised line, no secret (alert.Command.Run)
			h.log.Warn("notify command failed", "err", h.notifyFailed)
		}
		if next, ok := h.gate.Done(); ok {
			h.runCommand(next)
		}
	default:
		due, ans := h.poller.Handle(msg)
		switch {
		case due:
			// Another process (faxwatch watch add on this machine) may have
			// changed the file: its jobs are polled at once.
			if _, err := h.store.Reload(); err != nil {
				h.log.Warn("reload failed", "err", err.Error())
			}
			h.exec(h.poller.PollDue())
		case ans != nil:
			h.onAnswer(ans)
		}
	}
	for _, w := range h.store.TakeWarnings() { // a damaged file moved aside, a removal elsewhere
		h.log.Warn("watchlist", "text", w)
	}
	h.saveIfDirty()
	h.publishLocked()
}

// onAnswer applies an answer, reports it to the poller and alerts.
func (h *Hub) onAnswer(ans *ui.PollAnswer) {
	now := h.now()
	out := ui.OutcomeOf(ans)
	var ch watchlist.Changes
	if ans.Result == nil {
		h.store.MarkStale(ans.IDs, out.Reason, now)
	} else {
		var err error
		if ch, err = h.store.Apply(ans.Result, now); err != nil {
			h.log.Warn("apply failed", "err", err.Error())
		}
	}
	h.opts.Metrics.observePoll(ans, out, now)
	h.opts.Metrics.observeChanges(ch)
	h.exec(h.poller.Finish(ans, out))
	st := h.poller.Status()
	a := h.tracker.Observe(alert.Poll{Now: now, Changes: ch, Entry: h.store.Entry, StaleSince: st.StaleSince, StaleReason: st.LastErr})
	if a.Empty() {
		return
	}
	h.log.Info("alert", "summary", a.Summary())
	h.alert, h.alertSeq = a, h.alertSeq+1
	if h.opts.Notify.Command != nil {
		if run, ok := h.gate.Offer(a); ok {
			h.runCommand(run)
		}
	}
}

func (h *Hub) runCommand(a alert.Alert) {
	cmd, ctx := h.opts.Notify.Command, h.ctx
	h.exec(func() tea.Msg { return commandDone{err: cmd.Run(ctx, a)} })
}

// saveIfDirty saves off the lock, one save at a time.
func (h *Hub) saveIfDirty() {
	if h.saving || !h.store.Dirty() {
		return
	}
	p := h.store.PrepareSave()
	if p == nil {
		return
	}
	h.saving = true
	h.exec(func() tea.Msg { return saveDone{res: p.Run()} })
}

// publishLocked makes the state every session reads, and tells each.
func (h *Hub) publishLocked() {
	st := &ui.SharedState{
		List: watchlist.ViewOfSnapshot(h.store.Snapshot()), Version: h.store.Version(),
		Poll: h.poller.Status(), Watching: len(h.subs),
		Event: h.event, EventBy: h.eventBy, EventSeq: h.eventSeq,
		Alert: h.alert, AlertSeq: h.alertSeq, NotifyFailed: h.notifyFailed,
	}
	st.KeepRows(h.state.Load())
	h.state.Store(st)
	h.opts.Metrics.observeState(st)
	for s := range h.subs {
		select {
		case s.C <- struct{}{}:
		default: // already told: the session reads the latest state when it gets to it
		}
	}
}

// State is the latest shared state.
func (h *Hub) State() *ui.SharedState { return h.state.Load() }

// Subscribe opens a session's mailbox; the header's count follows.
func (h *Hub) Subscribe() *Subscription {
	s := &Subscription{C: make(chan struct{}, 1)}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.subs[s] = struct{}{}
	h.publishLocked()
	return s
}

// Unsubscribe closes a session's mailbox.
func (h *Hub) Unsubscribe(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, s)
	h.publishLocked()
}

// changed records who did what, saves and tells everyone.
func (h *Hub) changed(by, what string) {
	h.eventSeq++
	h.event, h.eventBy = what, by
	h.log.Info("list changed", "user", by, "what", what)
	h.saveIfDirty()
	h.publishLocked()
}

// Add adds ids for by and polls the new ones at once.
func (h *Hub) Add(by string, ids []api.JobID) (added, dups []api.JobID, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	added, dups, err = h.store.AddAs(by, ids...)
	if err != nil || len(added) == 0 {
		return added, dups, err
	}
	h.exec(h.poller.Add(added))
	h.changed(by, by+" "+ui.DidTo("added", added)+" "+h.now().Format("15:04"))
	return added, dups, nil
}

// Remove removes ids for by.
func (h *Hub) Remove(by string, ids ...api.JobID) ([]api.JobID, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	removed, err := h.store.RemoveAs(by, ids...)
	if err != nil || len(removed) == 0 {
		return removed, err
	}
	h.changed(by, by+" "+ui.DidTo("removed", removed)+" "+h.now().Format("15:04"))
	return removed, nil
}

// Undo brings back the team's last removal.
func (h *Hub) Undo(by string) ([]api.JobID, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	restored, err := h.store.UndoRemoveAs(by)
	if err != nil || len(restored) == 0 {
		return restored, err
	}
	what := by + " " + ui.DidTo("restored", restored) + " " + h.now().Format("15:04")
	if e, ok := h.store.Entry(restored[0]); ok && e.Restored != nil {
		what += " (" + ui.RemovalText(e.Restored) + ")"
	}
	h.changed(by, what)
	return restored, nil
}

// SetNote sets id's note for by.
func (h *Hub) SetNote(by string, id api.JobID, note string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.store.SetNoteAs(by, id, note); err != nil {
		return err
	}
	h.changed(by, by+" noted "+string(id)+" "+h.now().Format("15:04"))
	return nil
}

// Refresh is r and R from any session: one shared poll, at most one per
// ManualRefreshEvery for the whole team.
func (h *Hub) Refresh(by string, full bool) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	if wait := h.lastManual.Add(ManualRefreshEvery).Sub(now); !h.lastManual.IsZero() && wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		return "the team refreshed moments ago: one refresh per 5s for everyone; try again in " + itoa(secs) + "s"
	}
	outcome, cmd := h.poller.Refresh(full)
	switch outcome {
	case ui.RefreshNothing:
		return "nothing due: every job is final"
	case ui.RefreshQueued:
		h.lastManual = now
		return "refresh queued after the poll in flight"
	}
	h.lastManual = now
	h.exec(cmd)
	h.log.Info("refresh", "user", by, "full", full)
	h.publishLocked()
	return "refreshing for everyone"
}

// Stop ends polling, waits for the hub's goroutines and saves what is
// unsaved. It reports a failed save.
func (h *Hub) Stop() error {
	h.mu.Lock()
	h.poller.Stop()
	h.mu.Unlock()
	h.cancel()
	h.wg.Wait()
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.store.Save(); err != nil {
		return errors.New("the watchlist was not saved: " + err.Error() + "; not saved: " + h.store.UnsavedSummary())
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// WatchChange is what one SSH watch command did to the list.
type WatchChange struct {
	Added, Removed []api.JobID
	Noted          []api.JobID // already watched; --note replaced their notes
}

// ReloadNow reads the file after an SSH watch command run as by changed it,
// names by on the removals it made (whether this reload or the hub's own
// save merged them), tells every session at once and polls the jobs that
// are new. A local faxwatch watch reaches the hub at its next reload
// instead.
func (h *Hub) ReloadNow(by string, did WatchChange) {
	h.mu.Lock()
	defer h.mu.Unlock()
	before := map[api.JobID]struct{}{}
	for _, e := range h.store.Snapshot() {
		before[e.ID] = struct{}{}
	}
	changed, err := h.store.Reload()
	if err != nil {
		h.log.Warn("reload failed", "err", err.Error())
		return
	}
	var added []api.JobID
	for _, e := range h.store.Snapshot() {
		if _, ok := before[e.ID]; !ok {
			added = append(added, e.ID)
		}
	}
	if len(added) > 0 {
		h.exec(h.poller.Add(added))
	}
	h.store.CreditRemovals(by, did.Removed...)
	switch {
	case len(did.Added)+len(did.Removed)+len(did.Noted) > 0:
		h.changed(by, watchCommandEvent(by, did.Added, did.Removed)+" "+h.now().Format("15:04"))
	case changed: // another process's change came with it
		h.saveIfDirty()
		h.publishLocked()
	}
}

// watchCommandEvent says what a watch command did to the list, as the
// dashboard's own edits are told: "alice added br…", "bob removed 3 jobs".
func watchCommandEvent(by string, added, removed []api.JobID) string {
	var did []string
	if len(added) > 0 {
		did = append(did, ui.DidTo("added", added))
	}
	if len(removed) > 0 {
		did = append(did, ui.DidTo("removed", removed))
	}
	if len(did) == 0 {
		did = append(did, "changed notes")
	}
	return by + " " + strings.Join(did, " and ") + " with a watch command"
}
