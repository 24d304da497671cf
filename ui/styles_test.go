package ui

import (
	"image/color"
	"math"
	"testing"

	"charm.land/lipgloss/v2"
)

// luminance is the WCAG relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// Text people must read stays readable on a plain black or white terminal:
// the help overlay (4.5:1, WCAG AA) and the footer and other dim text (3:1).
func TestStylesAreReadable(t *testing.T) {
	for _, dark := range []bool{true, false} {
		bg := color.Color(color.White)
		if dark {
			bg = color.Black
		}
		st := NewStyles(dark)
		cases := []struct {
			name  string
			style lipgloss.Style
			min   float64
		}{
			{"help key", st.Help.FullKey, 4.5},
			{"help description", st.Help.FullDesc, 4.5},
			{"footer key", st.Help.ShortKey, 3},
			{"footer description", st.Help.ShortDesc, 3},
			{"dim", st.Dim, 3},
			{"label", st.Label, 4.5},
			{"value", st.Value, 4.5},
			{"placeholder", st.Placeholder, 3},
			{"warning", st.Warn, 3},
			{"error toast", st.ToastError, 4.5},
		}
		for _, c := range cases {
			fg := c.style.GetForeground()
			if fg == nil {
				t.Errorf("dark=%v %s: no colour", dark, c.name)
				continue
			}
			if r := contrast(fg, bg); r < c.min {
				t.Errorf("dark=%v %s: contrast %.2f:1, want at least %.1f:1", dark, c.name, r, c.min)
			}
		}
	}
}
