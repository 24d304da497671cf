package ui

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
)

func TestPasteAddsEveryIDWithAToast(t *testing.T) {
	h := newHarness(t, Options{})
	h.start()
	paste := "Ticket #4411: please check BR0012345H00001X, br0012345h00002x\n" +
		"job_id,state\nbr0012345h00003x,failed\nthe brown fox; br12 looks wrong; JRI-REF1234."
	h.send(tea.PasteMsg{Content: paste})

	want := []api.JobID{"br0012345h00001x", "br0012345h00002x", "br0012345h00003x", "JRI-REF1234"}
	if got := h.visibleIDs(); !slices.Equal(got, want) {
		t.Fatalf("rows after paste = %v, want %v", got, want)
	}
	if got := h.toast(); got != "added 4, skipped 1 not a job ID: br12" {
		t.Errorf("toast = %q", got)
	}
	if got := h.src.lastCall(); !slices.Equal(got, want) {
		t.Errorf("new jobs were not polled at once: last call %v", got)
	}

	h.send(tea.PasteMsg{Content: "br0012345h00001x br0012345h00002x br0012345h00009x"})
	if got := h.toast(); got != "added 1, 2 already watched" {
		t.Errorf("toast after a paste with duplicates = %q", got)
	}
	if got := h.src.lastCall(); len(got) != 1 || got[0] != "br0012345h00009x" {
		t.Errorf("only the new job should be polled, got %v", got)
	}

	h.send(tea.PasteMsg{Content: "nothing to see here"})
	if !strings.HasPrefix(h.toast(), "no job ID found") {
		t.Errorf("toast for a paste without IDs = %q", h.toast())
	}
}

func TestPasteDuringPollIsQueued(t *testing.T) {
	h := newHarness(t, Options{}, jobIDs(1)...)
	h.src.block = make(chan struct{})
	h.src.started = make(chan struct{}, 2)
	wait := h.startAsync()
	<-h.src.started
	h.send(tea.PasteMsg{Content: "br0012345h00007x"})
	if h.src.callCount() != 1 {
		t.Fatal("a second poll started while one was in flight")
	}
	close(h.src.block)
	wait()
	if got := h.src.lastCall(); len(got) != 1 || got[0] != "br0012345h00007x" {
		t.Errorf("the pasted job was not polled right after: %v", got)
	}
}

func TestAddInputAndQuitKeyIsText(t *testing.T) {
	h := newHarness(t, Options{})
	h.start()
	h.key("a")
	h.typeText("br0012345h00001x q d r")
	if !h.m.input.Open() {
		t.Fatal("typing q closed the input")
	}
	// A paste inside the input goes into the input, not the watchlist.
	h.send(tea.PasteMsg{Content: ", br0012345h00002x"})
	if h.store.Len() != 0 {
		t.Fatal("a paste into the input added jobs before enter")
	}
	h.key("enter")
	if got := h.visibleIDs(); len(got) != 2 {
		t.Fatalf("enter added %v, want two jobs", got)
	}
	if !strings.HasPrefix(h.toast(), "added 2") {
		t.Errorf("toast = %q", h.toast())
	}
	cmd := press(h.m, "ctrl+c")
	if cmd == nil || cmd() != tea.Quit() {
		t.Error("ctrl+c did not quit")
	}
}

func TestFilterNarrowsKeepsAndClears(t *testing.T) {
	h := fixture(t, "dark")
	total := len(h.visibleIDs())
	h.key("/")
	h.typeText("LINE BUSY")
	if got := h.visibleIDs(); len(got) != 1 || got[0] != jobIDs(2)[1] {
		t.Fatalf("filter on the error text: %v", got)
	}
	h.key("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	h.typeText("invalid")
	if got := h.visibleIDs(); len(got) != 1 {
		t.Fatalf("filter on the state word: %v", got)
	}
	h.key("enter")
	if h.m.input.Open() || len(h.visibleIDs()) != 1 || !strings.Contains(h.plain(), "filter: invalid (1/10)") {
		t.Fatalf("enter did not keep the filter:\n%s", h.plain())
	}
	h.key("esc")
	if got := len(h.visibleIDs()); got != total {
		t.Errorf("esc left %d of %d rows", got, total)
	}
	h.key("/")
	h.typeText("zzz")
	if !strings.Contains(h.plain(), "No watched job matches") {
		t.Errorf("empty filter result not explained:\n%s", h.plain())
	}
	h.key("esc")
	if h.m.input.Open() || len(h.visibleIDs()) != total {
		t.Error("esc in the filter input did not clear it")
	}
}

func TestSortKeepsSelection(t *testing.T) {
	h := fixture(t, "dark")
	target := jobIDs(8)[5] // a succeeded job in the middle
	for h.selectedID() != target {
		h.key("j")
	}
	wantOrder := []string{"by state", "by last change", "by job ID", "by status", "by description", "by error",
		"by note", "as added", "as added, reversed"}
	for _, w := range wantOrder {
		if strings.HasSuffix(w, "reversed") {
			h.key("S")
		} else {
			h.key("s")
		}
		if h.selectedID() != target {
			t.Fatalf("sort %s moved the selection to %s", w, h.selectedID())
		}
		if !strings.Contains(h.plain(), "sort: "+w) {
			t.Errorf("header does not say sort: %s", w)
		}
		if w == "by state" {
			first, _ := h.store.Entry(h.visibleIDs()[0])
			if first.Last.State != api.StateFailed {
				t.Errorf("by state starts with %s, want failures first", first.Last.State)
			}
		}
		if first := h.visibleIDs()[0]; w == "by last change" && first != jobIDs(8)[7] {
			t.Errorf("by last change starts with %s, want the newest change", first)
		}
	}
	// A refresh keeps it too.
	h.key("R")
	if h.selectedID() != target {
		t.Errorf("refresh moved the selection to %s", h.selectedID())
	}
}

func TestRemoveAndUndo(t *testing.T) {
	h := fixture(t, "dark")
	h.key("j")
	victim := h.selectedID()
	h.key("d")
	if slices.Contains(h.visibleIDs(), victim) {
		t.Fatal("d did not remove the selected job")
	}
	if got := h.toast(); got != "removed "+string(victim)+" · u to undo" {
		t.Errorf("toast = %q", got)
	}
	if h.selectedID() == "" || h.selectedID() == victim {
		t.Errorf("selection after remove = %q", h.selectedID())
	}
	h.key("u")
	if !slices.Contains(h.visibleIDs(), victim) || h.selectedID() != victim {
		t.Errorf("undo did not bring %s back selected (selected %s)", victim, h.selectedID())
	}
	if e, _ := h.store.Entry(victim); e.Note != "customer called twice" {
		t.Errorf("undo lost the note: %q", e.Note)
	}
	h.key("x", "u")
	if !slices.Contains(h.visibleIDs(), victim) {
		t.Error("x then u did not restore")
	}
}

func TestDetailOfFailedJob(t *testing.T) {
	h := fixture(t, "dark")
	id := jobIDs(2)[1]
	h.clock.Advance(time.Second)
	// The call that covered it said return=false with a call-level error.
	js := status(id, api.StatusFailed, "Fax failed: remote busy after 3 attempts", 2008, "Line busy")
	js.Call = api.CallInfo{Return: false, WSError: api.WSError{Code: 1101, Message: "Partial batch"},
		Call: api.Call{RequestID: "req-abc", ActivityID: "act-xyz", ExecutionMS: 34, HTTPStatus: 200,
			RoundTrip: 120 * time.Millisecond, Attempt: 2, At: h.clock.Now()}}
	h.src.set(js)
	h.key("R")
	h.send(teaSize(120, 60))
	h.key("g", "j", "enter")
	view := h.plain()
	for _, want := range []string{
		"Job br0000001h00001x", "✗ failed", "2008 Line busy", "Fax failed: remote busy after 3 attempts",
		"WSError", "return          false", "ErrorCode       1101", "ErrorString     Partial batch",
		"request ID      req-abc", "activity ID     act-xyz", "server time     34 ms", "HTTP status     200",
		"round trip      120 ms", "(attempt 2)", "History", "pending → ✗ failed", "added", "last checked",
		"customer called twice",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(view)
	}
	h.key("esc")
	if h.m.showDetail {
		t.Error("esc did not close the detail pane")
	}
}

func TestNoteEdit(t *testing.T) {
	h := fixture(t, "dark")
	h.key("j", "n")
	if h.m.input.Value() != "customer called twice" {
		t.Fatalf("note input not prefilled: %q", h.m.input.Value())
	}
	h.key("ctrl+u")
	h.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	h.typeText("called back 11:00")
	h.key("enter")
	if e, _ := h.store.Entry(jobIDs(2)[1]); e.Note != "called back 11:00" {
		t.Errorf("note = %q", e.Note)
	}
	h.key("n", "esc")
	if h.m.input.Open() {
		t.Error("esc did not close the note input")
	}
}

func TestHostileTextNeverReachesTheView(t *testing.T) {
	const evil = "\x1b]0;pwned\a\x1b[2J\x1b[31mRED\x1b[0m\r\nnext\x9b1m\x07"
	ids := jobIDs(1)
	h := newHarness(t, Options{Method: api.MethodGetRealTimeFaxStatusEx2}, ids...)
	js := status(ids[0], api.StatusFailed, "desc "+evil, 9, "err "+evil)
	js.FaxJobID = "br0000000h00001x" + evil
	js.Details = &api.Details{Method: api.MethodGetRealTimeFaxStatusEx2, RemoteCSID: evil, ReferenceID: evil, DeliveredAt: evil}
	js.Call.Call.ActivityID = evil
	js.Call.WSError = api.WSError{Code: 1, Message: evil}
	h.src.set(js)
	h.start()
	h.send(tea.PasteMsg{Content: "br12" + evil})
	h.key("n")
	h.send(tea.PasteMsg{Content: evil})
	h.key("enter")
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		h.send(teaSize(size[0], size[1]))
		for _, open := range []bool{false, true} {
			if h.m.showDetail != open {
				h.key("enter")
			}
			view := h.m.View()
			if view.WindowTitle != "faxwatch" {
				t.Errorf("window title %q", view.WindowTitle)
			}
			stripped := []byte(h.plain())
			for _, bad := range []byte{0x1b, 0x07, '\r', 0x9b} {
				if slices.Contains(stripped, bad) {
					t.Errorf("%dx%d detail=%v: control byte %#x reached the view", size[0], size[1], open, bad)
				}
			}
			for _, bad := range []string{"\x1b]", "\x1b[2J", "\x1b[31mRED", "\x07"} {
				if strings.Contains(view.Content, bad) {
					t.Errorf("%dx%d detail=%v: %q reached the view", size[0], size[1], open, bad)
				}
			}
		}
	}
}

func TestStartupWarningsAndTheme(t *testing.T) {
	h := newHarness(t, Options{Theme: "auto", Warnings: []string{"watchlist moved aside: corrupt", "PIN auth is deprecated"}})
	if got := h.toast(); got != "watchlist moved aside: corrupt" {
		t.Errorf("first warning toast = %q", got)
	}
	h.clock.Advance(warningFor)
	h.send(clockMsg{})
	if got := h.toast(); got != "PIN auth is deprecated" {
		t.Errorf("second warning toast = %q", got)
	}
	h.clock.Advance(warningFor)
	h.send(clockMsg{})
	if _, ok := h.m.status.Current(); ok {
		t.Error("toasts did not expire")
	}
	gen := h.m.c.styleGen
	h.send(tea.BackgroundColorMsg{Color: lightGrey{}})
	if h.m.c.styles.Dark || h.m.c.styleGen == gen {
		t.Error("a light background did not rebuild the styles")
	}
}

type lightGrey struct{}

func (lightGrey) RGBA() (r, g, b, a uint32) { return 0xeeee, 0xeeee, 0xeeee, 0xffff }

func TestCopyAndHelpAndEmpty(t *testing.T) {
	h := newHarness(t, Options{})
	h.start()
	if !strings.Contains(h.plain(), "No jobs watched yet") {
		t.Errorf("empty dashboard says nothing helpful:\n%s", h.plain())
	}
	h.send(tea.PasteMsg{Content: "br0012345h00001x"})
	cmd := press(h.m, "y")
	_, _, raw := collect(cmd)
	if len(raw) != 1 || h.toast() != "copied br0012345h00001x" {
		t.Errorf("y: %d clipboard messages, toast %q", len(raw), h.toast())
	}
	h.key("?")
	if !strings.Contains(h.plain(), "refresh, final too") || !strings.Contains(h.plain(), "close help") {
		t.Errorf("help overlay incomplete:\n%s", h.plain())
	}
	h.key("j") // ignored under the overlay
	h.key("esc")
	if h.m.showHelp {
		t.Error("esc did not close help")
	}
}

func TestPasteNamesHiddenCharacters(t *testing.T) {
	for _, into := range []string{"the dashboard", "the add line"} {
		t.Run(into, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.start()
			if into == "the add line" {
				h.key("a")
			}
			h.send(tea.PasteMsg{Content: "br0038226h\u200b00001i br0012345h00001x"})
			if into == "the add line" {
				h.key("enter")
			}
			if got := h.visibleIDs(); !slices.Equal(got, []api.JobID{"br0012345h00001x"}) {
				t.Fatalf("rows after paste = %v", got)
			}
			if got := h.toast(); !strings.Contains(got, "skipped 1 not a job ID: ") || !strings.Contains(got, "(contains U+200B)") {
				t.Errorf("toast = %q", got)
			}
		})
	}
}

// While nothing on screen changes, View hands the renderer the very same
// string, so its 60-a-second comparison with the last frame is a pointer
// check; a change gives a new frame.
func TestViewHandsBackTheSameFrameWhileUnchanged(t *testing.T) {
	h := newHarness(t, Options{}, "br0012345h00001x", "br0012345h00002x")
	h.start()
	first := h.m.View().Content
	second := h.m.View().Content
	if unsafe.StringData(first) != unsafe.StringData(second) {
		t.Fatal("an unchanged screen gave a new string: the renderer compares it byte by byte every tick")
	}
	h.key("down")
	if moved := h.m.View().Content; moved == first {
		t.Fatal("moving the selection did not change the frame")
	}
}

// The footer is kept between frames, so each thing it depends on must
// rebuild it: the mode's keys, the width, and the keys back again.
func TestFooterFollowsModeAndWidth(t *testing.T) {
	h := newHarness(t, Options{}, "br0012345h00001x")
	h.start()
	footer := func() string {
		lines := strings.Split(h.m.View().Content, "\n")
		return lines[len(lines)-1]
	}
	table := footer()
	steps := []struct {
		name string
		do   func()
		want func(got string) bool
	}{
		{"help open", func() { h.key("?") }, func(got string) bool { return strings.Contains(got, "close help") }},
		{"help closed", func() { h.key("esc") }, func(got string) bool { return got == table }},
		{"narrower", func() { h.send(tea.WindowSizeMsg{Width: 60, Height: 40}) }, func(got string) bool {
			return got != table && ansi.StringWidth(got) <= 60
		}},
	}
	for _, s := range steps {
		s.do()
		if got := footer(); !s.want(got) {
			t.Fatalf("%s: footer %q (table's was %q)", s.name, got, table)
		}
	}
}
