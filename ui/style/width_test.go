package style

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestTruncateNeverOverflows: also for text whose clusters x/ansi's Truncate
// and StringWidth measure differently.
func TestTruncateNeverOverflows(t *testing.T) {
	for _, s := range []string{"br0012345h00001x", "漢字漢字漢字", "a \ufe0f b \ufe0f c", " \ufe0f \ufe0f \ufe0f \ufe0f",
		"\u1100\u11a8\u1100\u11a8 x", "x\U0001F1E6\U0001F1E7\U0001F1E8 y", "\x1b[31mred \ufe0f text\x1b[0m"} {
		for w := 1; w <= 12; w++ {
			got := Truncate(s, w)
			if n := ansi.StringWidth(got); n > w {
				t.Errorf("Truncate(%q, %d) is %d cells: %q", s, w, n, got)
			}
			if ansi.StringWidth(s) > w && ansi.StringWidth(got) < w-2 {
				t.Errorf("Truncate(%q, %d) cut too much: %q", s, w, got)
			}
		}
	}
	if got := Truncate("abc", 0); got != "" {
		t.Errorf("Truncate to 0 cells = %q", got)
	}
}
