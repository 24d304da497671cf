package ui

import (
	"fmt"
	"strings"
	"testing"
)

// Y copies, as plain text, what Concord's support asks for.
func TestCopyEscalationBundle(t *testing.T) {
	h := fixture(t, "dark")
	h.key("j") // the failed job with a note
	_, _, raw := collect(press(h.m, "Y"))
	if len(raw) != 1 {
		t.Fatalf("Y sent %d terminal messages, want the clipboard", len(raw))
	}
	got := fmt.Sprint(raw[0])
	for _, want := range []string{
		"job ID: br0000001h00001x\n", "FaxJobId: br0000001h00001x\n", "state: failed\n",
		"status: 2 Fax failed: remote busy after 3 attempts\n", "error: 2008 Line busy\n",
		"request ID: 7d3f0c7e-0000-4000-8000-000000000001\n", "activity ID: act-42\n",
		"server time: 12 ms\n", "call time: " + t0.UTC().Format("2006-01-02 15:04:05") + " UTC\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("bundle lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("bundle holds escape sequences: %q", got)
	}
}
