package cli

import (
	"slices"
	"strings"
	"testing"

	"faxwatch/api/sim"
)

// TestHiddenCharactersNamedNotCut: an ID with a zero-width space or a
// Cyrillic letter inside is named on stderr and skipped, never looked up or
// watched as the shorter ID before the odd character.
func TestHiddenCharactersNamedNotCut(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "")
	good := ids(srv, 1)[0]
	tests := []struct {
		name, token string
		line        string // the whole stderr line, as the README shows it
	}{
		{"zero-width space", "br0038226h\u200b00001i", `faxwatch: skipped "br0038226h\u{200B}00001i": not a job ID: contains U+200B`},
		{"cyrillic a", "br0038226h\u043000001i", "faxwatch: skipped \"br0038226h\u043000001i\": not a job ID: contains U+0430"},
	}
	hasLine := func(stderr, line string) bool {
		return slices.Contains(strings.Split(stderr, "\n"), line)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := w.run("", "status", "--config", cfg, tt.token)
			if o.code != ExitUsage || !hasLine(o.stderr, tt.line) || strings.Contains(o.stdout, "br0038226h") {
				t.Fatalf("status %q alone: exit %d, stdout %q, stderr %q", tt.token, o.code, o.stdout, o.stderr)
			}
			o = w.run("", "status", "--config", cfg, tt.token, good)
			if o.code != ExitOK || !hasLine(o.stderr, tt.line) || strings.Contains(o.stdout, `"br0038226h"`) {
				t.Fatalf("status with a good ID: exit %d, stdout %q, stderr %q", o.code, o.stdout, o.stderr)
			}
			o = w.run("ticket: "+tt.token+"\n", "watch", "add")
			if !hasLine(o.stderr, tt.line) {
				t.Fatalf("watch add: %+v", o)
			}
			for _, id := range jobIDs(w.watchLS()) {
				if strings.HasPrefix(id, "br0038226h") {
					t.Fatalf("watch add kept %q, a piece of %q", id, tt.token)
				}
			}
		})
	}
}

// An argument with nothing like a job ID in it is named bounded, as a
// token is: a pasted paragraph does not come back whole on stderr.
func TestSkippedArgumentIsBounded(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "")
	o := w.run("", "status", "--config", cfg, strings.Repeat("lorem ipsum ", 500))
	line, _, _ := strings.Cut(o.stderr, "\n")
	if o.code != ExitUsage || !strings.HasPrefix(line, `faxwatch: skipped "lorem ipsum`) || len([]rune(line)) > 160 {
		t.Fatalf("exit %d, stderr %q", o.code, o.stderr)
	}
}
