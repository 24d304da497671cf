package ui

import (
	"testing"
	"time"
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
