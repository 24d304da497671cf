package ui

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/watchlist"
)

// baseT0 is the fake clock's start the goldens are written at; t0, where
// tests start, moves with $FAXWATCH_TEST_EPOCH (see the README, Testing).
var (
	baseT0 = time.Date(2026, 11, 27, 10, 42, 1, 0, time.UTC)
	t0     = sim.Epoch(baseT0)
)

var shownDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?`)

// atBaseEpoch writes the dates in a view as they read at baseT0, so goldens
// compare equal whatever the epoch.
func atBaseEpoch(view string) string {
	shift := t0.Sub(baseT0)
	if shift == 0 {
		return view
	}
	return shownDate.ReplaceAllStringFunc(view, func(s string) string {
		layout := time.DateOnly
		if len(s) > len(layout) {
			layout = time.DateTime
		}
		at, err := time.ParseInLocation(layout, s, time.Local)
		if err != nil {
			return s
		}
		return at.Add(-shift).Format(layout)
	})
}

// newClock is the tests' injectable clock, stopped at t0.
func newClock() *sim.ManualClock { return sim.NewManualClock(t0) }

// fakeSource answers from a table of statuses, can fail, and can block until
// released (or its context ends); it counts calls.
type fakeSource struct {
	mu       sync.Mutex
	statuses map[api.JobID]api.JobStatus
	err      error         // whole-call failure
	block    chan struct{} // non-nil: Status waits for close or ctx
	started  chan struct{} // receives once per call when set
	ended    chan error    // receives how each call ended, when set
	deaf     bool          // a blocked call ignores its context: its answer comes late
	calls    [][]api.JobID
	// answer, when set, is the whole answer: a refusal, a partial result.
	answer func(ids []api.JobID) (*api.Result, error)
}

func (f *fakeSource) setAnswer(answer func(ids []api.JobID) (*api.Result, error)) {
	f.mu.Lock()
	f.answer = answer
	f.mu.Unlock()
}

func newSource() *fakeSource { return &fakeSource{statuses: map[api.JobID]api.JobStatus{}} }

func (f *fakeSource) set(js ...api.JobStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, j := range js {
		f.statuses[j.JobID] = j
	}
}

func (f *fakeSource) setErr(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

func (f *fakeSource) Status(ctx context.Context, ids []api.JobID) (*api.Result, error) {
	f.mu.Lock()
	f.calls = append(f.calls, append([]api.JobID(nil), ids...))
	block, started, err := f.block, f.started, f.err
	done := ctx.Done()
	if f.deaf {
		done = nil
	}
	f.mu.Unlock()
	if started != nil {
		started <- struct{}{}
	}
	if block != nil {
		select {
		case <-block:
		case <-done:
			if f.ended != nil {
				f.ended <- ctx.Err()
			}
			return nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.answer != nil {
		return f.answer(ids)
	}
	res := &api.Result{Method: api.MethodGetFaxStatus, Return: true,
		Calls: []api.Call{{RequestID: "req-1", ActivityID: "act-1", ExecutionMS: 12, HTTPStatus: 200, Jobs: len(ids)}}}
	for _, id := range ids {
		js, ok := f.statuses[id]
		if !ok {
			js = status(id, api.StatusProcessing, "Job in progress", 0, "")
		}
		js.JobID = id
		res.Jobs = append(res.Jobs, js)
	}
	return res, nil
}

func (f *fakeSource) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *fakeSource) lastCall() []api.JobID {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		return nil
	}
	return f.calls[len(f.calls)-1]
}

// status builds a fresh answer for one job, as the api would.
func status(id api.JobID, statusID int, desc string, code int, msg string) api.JobStatus {
	return api.JobStatus{
		JobID: id, FaxJobID: string(id), StatusID: statusID, Description: desc,
		Error: api.WSError{Code: code, Message: msg}, State: api.StateOf(statusID, code),
		Call: api.CallInfo{Return: true, Call: api.Call{
			RequestID: "7d3f0c7e-0000-4000-8000-000000000001", ActivityID: "act-42", ExecutionMS: 12,
			HTTPStatus: 200, RoundTrip: 87 * time.Millisecond, Attempt: 1, Jobs: 1, At: t0,
		}},
	}
}

// timerMsg stands for a tea.Tick in tests: the test decides when it fires.
type timerMsg struct {
	d   time.Duration
	msg tea.Msg
}

// harness drives a Model through Update with a fake clock, a fake source and
// fake timers.
type harness struct {
	t      *testing.T
	m      *Model
	clock  *sim.ManualClock
	src    *fakeSource
	store  *watchlist.Store
	timers []timerMsg // scheduled, not fired
	raw    []tea.Msg  // every non-timer message the commands produced
}

func newHarness(t *testing.T, opts Options, ids ...api.JobID) *harness {
	t.Helper()
	clock := newClock()
	store, _, err := watchlist.Open(watchlist.Options{Path: "", Now: clock.Now, OwnerSaves: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) > 0 {
		if _, _, err := store.Add(ids...); err != nil {
			t.Fatal(err)
		}
	}
	return harnessOn(t, opts, clock, store)
}

// newFileHarness is a dashboard on the watchlist file at path, opened as
// main opens it; its warnings reach the dashboard. err is Open's.
func newFileHarness(t *testing.T, opts Options, path string) (*harness, error) {
	t.Helper()
	clock := newClock()
	store, warnings, err := watchlist.Open(watchlist.Options{Path: path, Now: clock.Now, OwnerSaves: true})
	if err != nil {
		return nil, err
	}
	opts.Warnings = append(opts.Warnings, warnings...)
	return harnessOn(t, opts, clock, store), nil
}

func harnessOn(t *testing.T, opts Options, clock *sim.ManualClock, store *watchlist.Store) *harness {
	t.Helper()
	h := &harness{t: t, clock: clock, src: newSource(), store: store}
	if opts.Source == nil {
		opts.Source = h.src
	}
	opts.Store, opts.Now, opts.After = store, h.clock.Now, h.after
	if opts.Theme == "" {
		opts.Theme = "dark"
	}
	h.m = New(opts)
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	return h
}

// after stands for tea.Tick: it records the timer when the dashboard arms
// it, and the test decides when it fires (fire).
func (h *harness) after(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	h.timers = append(h.timers, timerMsg{d: d, msg: fn(h.clock.Now())})
	return nil
}

// send delivers msg and runs the commands it returns until they settle.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// run executes cmd; timers are recorded, spinner frames and terminal-only
// messages kept aside, everything else fed back into Update.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	msgs, timers, raw := collect(cmd)
	h.timers = append(h.timers, timers...)
	h.raw = append(h.raw, raw...)
	for _, msg := range msgs {
		h.send(msg)
	}
}

// collect runs cmd and sorts what it produced; it touches no shared state,
// so a test may run it in a goroutine while a poll blocks.
func collect(cmd tea.Cmd) (msgs []tea.Msg, timers []timerMsg, raw []tea.Msg) {
	if cmd == nil {
		return nil, nil, nil
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			m, t, r := collect(c)
			msgs, timers, raw = append(msgs, m...), append(timers, t...), append(raw, r...)
		}
	case timerMsg:
		timers = append(timers, msg)
	default:
		if isSpinnerTick(msg) || isTerminalOnly(msg) {
			raw = append(raw, msg)
		} else {
			msgs = append(msgs, msg)
		}
	}
	return msgs, timers, raw
}

// start runs Init: the first poll happens at once.
func (h *harness) start() {
	h.t.Helper()
	h.run(h.m.Init())
}

// sendAsync delivers msg and runs its commands in a goroutine; wait feeds
// their messages back once they finish (a blocked poll, say).
func (h *harness) sendAsync(msg tea.Msg) (wait func()) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	type out struct {
		msgs   []tea.Msg
		timers []timerMsg
		raw    []tea.Msg
	}
	done := make(chan out, 1)
	go func() {
		m, t, r := collect(cmd)
		done <- out{m, t, r}
	}()
	return func() {
		h.t.Helper()
		select {
		case o := <-done:
			h.timers = append(h.timers, o.timers...)
			h.raw = append(h.raw, o.raw...)
			for _, msg := range o.msgs {
				h.send(msg)
			}
		case <-time.After(5 * time.Second):
			h.t.Fatal("commands did not finish")
		}
	}
}

func isSpinnerTick(msg tea.Msg) bool {
	return strings.HasSuffix(reflect.TypeOf(msg).String(), "spinner.TickMsg")
}

// isTerminalOnly is a message the program, not the model, acts on.
func isTerminalOnly(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.RawMsg, tea.BackgroundColorMsg:
		return true
	}
	return reflect.TypeOf(msg) == reflect.TypeOf(tea.SetClipboard("x")())
}

// fire delivers the latest timer of the given kind (e.g. tickMsg{}).
func (h *harness) fire(kind tea.Msg) bool {
	h.t.Helper()
	msg, ok := h.takeTimer(kind)
	if ok {
		h.send(msg)
	}
	return ok
}

// fireAsync fires the latest timer of kind and runs what it starts in a
// goroutine (a poll that blocks); wait feeds the results back.
func (h *harness) fireAsync(kind tea.Msg) (wait func()) {
	h.t.Helper()
	msg, ok := h.takeTimer(kind)
	if !ok {
		h.t.Fatalf("no %T timer armed", kind)
	}
	return h.sendAsync(msg)
}

// startAsync runs Init with the first poll in a goroutine.
func (h *harness) startAsync() (wait func()) {
	h.t.Helper()
	msgs, _, _ := collect(h.m.Init())
	if len(msgs) != 1 {
		h.t.Fatalf("Init produced %d messages, want the first tick", len(msgs))
	}
	return h.sendAsync(msgs[0])
}

func (h *harness) takeTimer(kind tea.Msg) (tea.Msg, bool) {
	for i := len(h.timers) - 1; i >= 0; i-- {
		if reflect.TypeOf(h.timers[i].msg) == reflect.TypeOf(kind) {
			tm := h.timers[i]
			h.timers = append(h.timers[:i], h.timers[i+1:]...)
			return tm.msg, true
		}
	}
	return nil, false
}

// lastTick is the newest interval timer and its delay.
func (h *harness) lastTick() (timerMsg, bool) {
	for i := len(h.timers) - 1; i >= 0; i-- {
		if _, ok := h.timers[i].msg.(tickMsg); ok {
			return h.timers[i], true
		}
	}
	return timerMsg{}, false
}

// key presses keys as a person does: each is read before the next (the
// hold-back timer fires), so none is taken for part of a burst.
func (h *harness) key(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyMsg(k))
		h.fire(holdMsg{})
	}
}

func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
		h.fire(holdMsg{})
	}
}

// press delivers a key to m and reads it at once, as the hold-back timer
// would: for tests that drive Update without a harness.
func press(m *Model, k string) tea.Cmd {
	_, held := m.Update(keyMsg(k))
	_, cmd := m.Update(holdMsg{gen: m.held.gen})
	return tea.Batch(held, cmd)
}

// keyMsg builds the key press a terminal would send for a key name.
func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+z":
		return tea.KeyPressMsg{Code: 'z', Mod: tea.ModCtrl}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+d":
		return tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// plain is the view without styles.
func (h *harness) plain() string { return ansi.Strip(h.m.View().Content) }

func (h *harness) toast() string {
	s, _ := h.m.status.Current()
	return s
}

func (h *harness) selectedID() api.JobID {
	if e, ok := h.m.table.Selected(); ok {
		return e.ID
	}
	return ""
}

// visibleIDs are the job IDs on screen, top to bottom.
func (h *harness) visibleIDs() []api.JobID {
	var out []api.JobID
	for _, line := range strings.Split(h.plain(), "\n") {
		if len(line) < markerWidth || line[0] == '\t' {
			continue
		}
		// A row is the marker (selection, change) then the ID column.
		f := strings.Fields(strings.TrimLeft(line, "▶•~+ "))
		if len(f) == 0 || !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "▶") && !strings.HasPrefix(line, "+") {
			continue
		}
		if ids, _ := api.ParseJobIDs(f[0]); len(ids) == 1 && string(ids[0]) == f[0] {
			out = append(out, ids[0])
		}
	}
	return out
}

// bells counts the BELs the dashboard sent to the terminal.
func (h *harness) bells() int {
	n := 0
	for _, msg := range h.raw {
		if reflect.TypeOf(msg) == reflect.TypeOf(tea.Raw("\a")()) && fmt.Sprint(msg) == fmt.Sprint(tea.Raw("\a")()) {
			n++
		}
	}
	return n
}

// jobIDs are valid, deterministic job IDs.
func jobIDs(n int) []api.JobID {
	out := make([]api.JobID, n)
	for i := range out {
		out[i] = api.JobID("br00" + pad5(i) + "h00001x")
	}
	return out
}

func pad5(i int) string {
	s := itoa(i)
	return strings.Repeat("0", max(0, 5-len(s))) + s
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func (m *Model) selectedID() api.JobID {
	if e, ok := m.table.Selected(); ok {
		return e.ID
	}
	return ""
}

// noTimers stands for tea.Tick where nothing fires.
func noTimers(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }

// nextAnswer makes m poll (R) with its fake source answering res, and
// returns the answer's message as the poll's command delivers it.
func nextAnswer(b testing.TB, m *Model, res *api.Result) tea.Msg {
	b.Helper()
	m.opts.Source.(*fakeSource).setAnswer(func([]api.JobID) (*api.Result, error) { return res, nil })
	msgs, _, _ := collect(press(m, "R"))
	for _, msg := range msgs {
		if _, ok := msg.(pollResultMsg); ok {
			return msg
		}
	}
	b.Fatal("R started no poll")
	return nil
}
