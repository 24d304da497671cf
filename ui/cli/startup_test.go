package cli

import (
	"bytes"
	"io"
	"os"
	"runtime/debug"
	"testing"

	"charm.land/lipgloss/v2"
)

// TestKnownProfile: the dashboard hands the program the profile detected at
// start only for standard output; for any other writer the program detects.
func TestKnownProfile(t *testing.T) {
	tests := []struct {
		name string
		out  io.Writer
		ok   bool
	}{
		{"standard output", os.Stdout, true},
		{"standard error", os.Stderr, false},
		{"a buffer", &bytes.Buffer{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := knownProfile(tt.out)
			if ok != tt.ok || ok && p != lipgloss.Writer.Profile {
				t.Fatalf("knownProfile = %v, %v; want ok %v and lipgloss's %v", p, ok, tt.ok, lipgloss.Writer.Profile)
			}
		})
	}
}

// TestWithoutGC: the collector is off during the load, with a memory limit
// no looser than before, and both settings come back afterwards.
func TestWithoutGC(t *testing.T) {
	tests := []struct {
		name             string
		percent          int
		limit, wantLimit int64
	}{
		{"defaults", 100, 1<<63 - 1, startupMemoryLimit},
		{"a tighter limit set by the user", 50, 64 << 20, 64 << 20},
		{"collector already off", -1, 1 << 40, startupMemoryLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer debug.SetGCPercent(debug.SetGCPercent(tt.percent))
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(tt.limit))
			var during int
			var duringLimit int64
			withoutGC(func() {
				during = debug.SetGCPercent(-1)
				duringLimit = debug.SetMemoryLimit(-1)
			})
			if during != -1 || duringLimit != tt.wantLimit {
				t.Errorf("during the load: GC percent %d, limit %d; want -1, %d", during, duringLimit, tt.wantLimit)
			}
			if got := debug.SetGCPercent(tt.percent); got != tt.percent {
				t.Errorf("GC percent after = %d, want %d", got, tt.percent)
			}
			if got := debug.SetMemoryLimit(-1); got != tt.limit {
				t.Errorf("memory limit after = %d, want %d", got, tt.limit)
			}
		})
	}
}
