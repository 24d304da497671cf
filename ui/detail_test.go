package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/viewport"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
)

func TestElapsed(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "—"},
		{40 * time.Microsecond, "< 0.1 ms"},
		{400 * time.Microsecond, "0.4 ms"},
		{3450 * time.Microsecond, "3.5 ms"},
		{12 * time.Millisecond, "12 ms"},
		{999 * time.Millisecond, "999 ms"},
		{1300 * time.Millisecond, "1.3 s"},
		{42 * time.Second, "42 s"},
		{125 * time.Second, "2m05s"},
		{time.Hour + 2*time.Minute, "1h02m00s"},
	}
	for _, c := range cases {
		if got := elapsed(c.d); got != c.want {
			t.Errorf("elapsed(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// A sub-millisecond round trip and a 0 ms server time used to read "0s" and
// "0 ms": the pane must say how small they were.
func TestDetailShowsSmallDurations(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{Method: api.MethodGetRealTimeFaxStatusEx}, ids...)
	js := status(ids[0], api.StatusSucceeded, "Job completed", 0, "")
	js.Call.Call.RoundTrip = 400 * time.Microsecond
	js.Call.Call.ExecutionMS = 0
	js.Details = &api.Details{Method: api.MethodGetRealTimeFaxStatusEx, PagesSent: 1, PagesTotal: 1, DurationS: 3600}
	h.src.set(js)
	h.start()
	h.send(teaSize(120, 60))
	h.key("enter")
	view := h.plain()
	for _, want := range []string{"round trip      0.4 ms", "server time     < 1 ms", "duration        1h00m00s"} {
		if !strings.Contains(view, want) {
			t.Errorf("detail lacks %q:\n%s", want, view)
		}
	}
}

// Beside the table the pane keeps a space between the table's right-aligned
// last column and its rule.
func TestDetailPaneKeepsAGapFromTheTable(t *testing.T) {
	for _, w := range []int{wideDetail, 200, 260} {
		h := fixture(t, "dark")
		h.send(teaSize(w, 40))
		h.key("enter")
		lines := strings.Split(h.plain(), "\n")
		rows := 0
		for _, l := range lines[3:] {
			i := strings.Index(l, "│")
			if i < 0 {
				continue
			}
			rows++
			if i == 0 || l[i-1] != ' ' {
				t.Errorf("width %d: nothing between the table and the pane: %q", w, l)
			}
		}
		if rows == 0 {
			t.Fatalf("width %d: no pane beside the table:\n%s", w, h.plain())
		}
	}
}

func TestHangIndentsContinuationLines(t *testing.T) {
	d := detailModel{vp: viewport.New()}
	d.vp.SetWidth(30)
	lines := d.hang("  label       ", "one two three four five six seven")
	if len(lines) < 2 {
		t.Fatalf("did not wrap: %q", lines)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, strings.Repeat(" ", 14)) || ansi.StringWidth(l) > 30 {
			t.Errorf("continuation %q not indented under the value or too wide", l)
		}
	}
}

// Two items for one job that disagreed: the pane says so and which one it
// shows; the next clean answer takes the line away.
func TestDetailSaysTheAnswerDisagreed(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{}, ids...)
	js := status(ids[0], api.StatusFailed, "Busy", 0, "")
	js.Conflict = "2 items in the answer disagreed: failed (shown), processing"
	h.src.set(js)
	h.start()
	h.send(teaSize(200, 60))
	h.key("enter")
	view := h.plain()
	for _, want := range []string{"answer          2 items in the answer disagreed: failed (shown),", "the more final is shown"} {
		if !strings.Contains(view, want) {
			t.Errorf("detail lacks %q:\n%s", want, view)
		}
	}
	h.src.set(status(ids[0], api.StatusFailed, "Busy", 0, ""))
	h.key("R") // the job is final: R asks again
	if view := h.plain(); strings.Contains(view, "disagreed") {
		t.Errorf("the line outlived a clean answer:\n%s", view)
	}
}

// An answer with no SOAP envelope (an HTML error page) carries no WSError:
// the pane says so instead of return false / ErrorCode 0.
func TestDetailForAnAnswerWithoutWSError(t *testing.T) {
	ids := jobIDs(1)
	h := newHarness(t, Options{}, ids...)
	h.src.setAnswer(func(ids []api.JobID) (*api.Result, error) {
		call := api.Call{RequestID: "req-9", HTTPStatus: 502, Attempt: 1, At: t0, Err: "HTTP 502: an HTML page, not SOAP"}
		return &api.Result{Jobs: []api.JobStatus{{JobID: ids[0], Err: errors.New(call.Err),
			Call: api.CallInfo{Call: call}}}, Calls: []api.Call{call}}, nil
	})
	h.start()
	h.key("enter")
	view := squeeze(h.plain())
	if !strings.Contains(view, "WSError no WSError in the answer") || strings.Contains(view, "ErrorCode 0") {
		t.Errorf("detail for an HTML answer:\n%s", h.plain())
	}
}
