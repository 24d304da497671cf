package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"faxwatch/api"
	"faxwatch/ui/alert"
)

// fixture is a dashboard with a job in every state, notes, a JRI look-up,
// a stale row and a fresh change, on the fake clock.
func fixture(t *testing.T, theme string) *harness {
	t.Helper()
	ref := api.JobID("JRI-REF-2026-0042")
	ids := append(jobIDs(9), ref)
	h := newHarness(t, Options{Theme: theme, Host: "ws.concordfax.com", UserID: "mbx1234567890",
		AuthMode: "oauth2", Method: api.MethodGetRealTimeFaxStatusEx, Interval: 20 * time.Second, Notify: alert.Config{Bell: true, On: alert.DefaultOn()}}, ids...)
	h.src.set(
		status(ids[0], api.StatusSucceeded, "Job completed", 0, ""),
		status(ids[1], api.StatusFailed, "Fax failed: remote busy after 3 attempts", 2008, "Line busy"),
		status(ids[2], api.StatusProcessing, "Sending page 2 of 5", 0, ""),
		status(ids[3], api.StatusInvalidJob, "Invalid job ID", api.StatusInvalidJob, "Job not found"),
		status(ids[4], 7, "Queued at carrier", 0, ""),
		status(ids[5], api.StatusSucceeded, "Job completed", 0, ""),
		status(ids[6], api.StatusFailed, "Fax failed: no fax tone", 2011, "No fax tone detected on the remote line"),
		status(ids[7], api.StatusProcessing, "Converting document", 0, ""),
		api.JobStatus{JobID: ids[8], State: api.StateNoAnswer},
	)
	jri := status(ref, api.StatusSucceeded, "Job completed", 0, "")
	jri.FaxJobID = "br0077777h00009z"
	h.src.set(jri)
	h.start()
	_ = h.store.SetNote(ids[1], "customer called twice")
	_ = h.store.SetNote(ids[2], "urgent")
	h.clock.Advance(3 * time.Minute)
	h.src.set(status(ids[7], api.StatusFailed, "Fax failed: remote hung up", 2010, "Remote hung up"))
	h.fire(tickMsg{})
	h.store.MarkStale(ids[2:3], "HTTP 503", h.clock.Now())
	h.clock.Advance(4 * time.Second)
	h.send(clockMsg{})
	return h
}

func TestGoldenViews(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		for _, theme := range []string{"dark", "light"} {
			t.Run(fmt.Sprintf("%dx%d_%s", size[0], size[1], theme), func(t *testing.T) {
				h := fixture(t, theme)
				h.send(teaSize(size[0], size[1]))
				golden.RequireEqual(t, []byte(atBaseEpoch(checkFrame(t, h, size[0], size[1]))))
			})
		}
	}
}

func TestGoldenDetailAndHelp(t *testing.T) {
	cases := []struct {
		name string
		w, h int
		keys []string
	}{
		{"detail_failed_80x24", 80, 24, []string{"j", "enter"}},
		{"detail_failed_200x50", 200, 50, []string{"j", "enter"}},
		{"detail_jri_120x40", 120, 40, []string{"G", "enter"}},
		{"help_80x24", 80, 24, []string{"?"}},
		{"filter_120x40", 120, 40, []string{"/", "f", "a", "i", "l"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := fixture(t, "dark")
			h.send(teaSize(c.w, c.h))
			h.key(c.keys...)
			golden.RequireEqual(t, []byte(atBaseEpoch(checkFrame(t, h, c.w, c.h))))
		})
	}
}

// checkFrame returns the stripped view after checking it fills the screen
// exactly: every line w cells, h lines.
func checkFrame(t *testing.T, h *harness, w, hh int) string {
	t.Helper()
	view := h.plain()
	lines := strings.Split(view, "\n")
	if len(lines) != hh {
		t.Errorf("view has %d lines, want %d", len(lines), hh)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d cells wide, want %d: %q", i, got, w, l)
		}
	}
	return view
}
