package ui

import (
	"testing"
	"time"

	"faxwatch/watchlist"
)

func TestRemovalText(t *testing.T) {
	at := time.Date(2026, 3, 4, 10, 42, 0, 0, time.Local)
	tests := []struct {
		name string
		r    watchlist.Restoration
		want string
	}{
		{"by someone", watchlist.Restoration{RemovedAt: at, RemovedBy: "alice"}, "removed by alice 10:42"},
		{"here, without a name", watchlist.Restoration{RemovedAt: at}, "removed 10:42"},
		{"by another process", watchlist.Restoration{RemovedAt: at, Elsewhere: true}, "removed by another faxwatch 10:42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RemovalText(&tt.r); got != tt.want {
				t.Fatalf("RemovalText = %q; want %q", got, tt.want)
			}
		})
	}
}
