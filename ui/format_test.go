package ui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestShortDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{20 * time.Second, "20s"},
		{90 * time.Second, "1m30s"},
		{5 * time.Minute, "5m"},
		{time.Hour, "1h"},
		{119*time.Minute + 59*time.Second, "2h"},
		{time.Hour + 59*time.Minute, "1h59m"},
		{26 * time.Hour, "26h"},
	} {
		if got := shortDuration(c.d); got != c.want {
			t.Errorf("shortDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// TestFitNeverOverflows: a cell is exactly as wide as asked, also for text
// whose clusters x/ansi's Truncate and StringWidth measure differently
// (style.Truncate's own test covers the cut).
func TestFitNeverOverflows(t *testing.T) {
	for _, s := range []string{"br0012345h00001x", "漢字漢字漢字", "a \ufe0f b \ufe0f c", " \ufe0f \ufe0f \ufe0f \ufe0f", "\u1100\u11a8\u1100\u11a8 x", "x\U0001F1E6\U0001F1E7\U0001F1E8 y"} {
		for w := 1; w <= 12; w++ {
			if got := ansi.StringWidth(truncate(s, w)); got > w {
				t.Errorf("truncate(%q, %d) is %d cells: %q", s, w, got, truncate(s, w))
			}
			if got := ansi.StringWidth(fit(s, w)); got != w {
				t.Errorf("fit(%q, %d) is %d cells", s, w, got)
			}
		}
	}
}
