package ui

import (
	"strings"
	"testing"
)

// Narrow terminals drop columns in dropOrder: the job ID stays whole; at 80
// columns STATUS goes before DESCRIPTION is cut below "Sending page 2 of 5";
// the header keeps the job count.
func TestColumnsGiveWayInOrder(t *testing.T) {
	cases := []struct {
		w           int
		want, never []string
	}{
		{40, []string{"br0000000h00001x", "JRI-REF-2026-0042", "✓ succeeded"}, []string{"br000…", "JRI-REF-20…"}},
		{60, []string{"br0000000h00001x", "STATE", "Sending page"}, nil},
		{80, []string{"Sending page 2 of 5", "DESCRIPTION", "10 jobs"}, []string{"STATUS", "Sending page …"}},
		{120, []string{"STATUS", "Sending page 2 of 5", "NOTE", "10 jobs"}, nil},
	}
	for _, c := range cases {
		h := fixture(t, "dark")
		h.send(teaSize(c.w, 24))
		view := checkFrame(t, h, c.w, 24)
		for _, s := range c.want {
			if !strings.Contains(view, s) {
				t.Errorf("%d columns: %q missing:\n%s", c.w, s, view)
			}
		}
		for _, s := range c.never {
			if strings.Contains(view, s) {
				t.Errorf("%d columns: %q shown:\n%s", c.w, s, view)
			}
		}
	}
}
