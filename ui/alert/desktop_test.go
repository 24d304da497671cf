package alert

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// hostileAlert is one failed job whose every server string attacks the
// terminal: a title change, a screen clear, a carriage-return overwrite, an
// 8-bit CSI, a bidi override, a BEL that would end the OSC early, and a
// ';' that would split an OSC 777 into more fields; then 10,000 characters.
func hostileAlert() Alert {
	evil := "\x1b]0;pwned\a\x1b[2J\r\nfake line\x9b31m\u202eevil;field\x07" + strings.Repeat("A", 10000)
	e := watchlist.Entry{ID: jobID(1), Note: "note " + evil, Last: watchlist.Status{
		State: api.StateFailed, StatusID: 2, Description: evil, Error: api.WSError{Code: 4001, Message: evil},
	}}
	a := Alert{At: t0}
	a.add(Job{Entry: e, From: api.StateProcessing}, Failed)
	return a
}

// env is a getenv holding the name, value pairs kv.
func env(kv ...string) func(string) string {
	return func(k string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1]
			}
		}
		return ""
	}
}

const (
	osc9Start = "\x1b]9;faxwatch: "
	tmuxStart = "\x1bPtmux;\x1b\x1b]9;faxwatch: "
	tmuxEnd   = "\x07\x1b\\"
)

func TestDesktopSequence(t *testing.T) {
	tests := []struct {
		name         string
		style        string
		getenv       func(string) string
		prefix, tail string // "" prefix: no sequence at all
	}{
		{"osc9", DesktopOSC9, env("TERM", "xterm-256color"), osc9Start, "\x07"},
		{"osc777", DesktopOSC777, env("TERM", "foot"), "\x1b]777;notify;faxwatch;", "\x07"},
		{"inside tmux", DesktopOSC9, env("TERM", "tmux-256color", "TMUX", "/tmp/tmux-0/default,1,0"), tmuxStart, tmuxEnd},
		{"TMUX with an xterm TERM", DesktopOSC9, env("TERM", "xterm-256color", "TMUX", "/tmp/tmux-0/default,1,0"), tmuxStart, tmuxEnd},
		{"tmux TERM, TMUX not passed on", DesktopOSC9, env("TERM", "tmux-256color"), tmuxStart, tmuxEnd},
		{"screen TERM, TMUX not passed on: unwrapped", DesktopOSC9, env("TERM", "screen-256color"), osc9Start, "\x07"},
		{"GNU screen", DesktopOSC9, env("TERM", "screen", "STY", "4242.pts-0.host"), osc9Start, "\x07"},
		{"osc777 inside tmux", DesktopOSC777, env("TERM", "tmux"), "\x1bPtmux;\x1b\x1b]777;notify;faxwatch;", tmuxEnd},
		{"off", DesktopOff, env("TERM", "xterm"), "", ""},
		{"TERM=dumb", DesktopOSC9, env("TERM", "dumb"), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDesktop(tt.style, tt.getenv)
			seq := d.Sequence(hostileAlert())
			if tt.prefix == "" {
				if seq != "" || d.On() {
					t.Fatalf("sequence %q, want none", seq)
				}
				return
			}
			if !strings.HasPrefix(seq, tt.prefix) || !strings.HasSuffix(seq, tt.tail) {
				t.Fatalf("sequence %q, want %q … %q", seq, tt.prefix, tt.tail)
			}
			body := strings.TrimSuffix(strings.TrimPrefix(seq, tt.prefix), tt.tail)
			if !utf8.ValidString(body) {
				t.Errorf("body is not valid UTF-8: %q", body)
			}
			for _, r := range body {
				if !unicode.IsPrint(r) || r == ';' {
					t.Fatalf("body holds %U; want printable text with no ';': %q", r, body)
				}
			}
			if n := utf8.RuneCountInString(body); n > maxDesktopRunes+len("faxwatch: ") {
				t.Errorf("body is %d runes long, want at most %d", n, maxDesktopRunes)
			}
			if !strings.Contains(body, string(jobID(1))+" failed") {
				t.Errorf("body %q does not say which job failed", body)
			}
		})
	}
	if seq := NewDesktop(DesktopOSC9, env()).Sequence(Alert{At: t0}); seq != "" {
		t.Errorf("an empty alert gave %q", seq)
	}
}

// For aims the configured style at another terminal (a faxwatch serve
// viewer's): what this process's own terminal is does not carry over.
func TestDesktopFor(t *testing.T) {
	inTmux := env("TERM", "tmux-256color", "TMUX", "/tmp/tmux-0/default,1,0")
	tests := []struct {
		name        string
		built, used func(string) string
		want        string // the sequence's start; "" none
	}{
		{"built under TERM=dumb, for an xterm", env("TERM", "dumb"), env("TERM", "xterm-256color"), osc9Start},
		{"built in tmux, for an xterm", inTmux, env("TERM", "xterm-256color"), osc9Start},
		{"built in tmux, for TERM=dumb", inTmux, env("TERM", "dumb"), ""},
		{"built for an xterm, for tmux", env("TERM", "xterm-256color"), env("TERM", "tmux"), tmuxStart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := NewDesktop(DesktopOSC9, tt.built).For(tt.used).Sequence(hostileAlert())
			if tt.want == "" && seq != "" || !strings.HasPrefix(seq, tt.want) {
				t.Fatalf("sequence %q, want it to start %q", seq, tt.want)
			}
		})
	}
	if d := NewDesktop(DesktopOff, env("TERM", "xterm")).For(env("TERM", "xterm")); d.On() {
		t.Error("For turned an off style on")
	}
}

func TestParseDesktopAndKind(t *testing.T) {
	for _, s := range DesktopStyles {
		if err := ParseDesktop(s); err != nil {
			t.Errorf("ParseDesktop(%q): %v", s, err)
		}
	}
	if err := ParseDesktop("yes"); err == nil || !strings.Contains(err.Error(), "off, osc9 or osc777") {
		t.Errorf("ParseDesktop(yes) = %v, want an error listing the styles", err)
	}
	for _, k := range Kinds {
		if got, err := ParseKind(string(k)); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	if _, err := ParseKind("fail\x1b[2J"); err == nil || strings.Contains(err.Error(), "\x1b") || !strings.Contains(err.Error(), "failed, invalid") {
		t.Errorf("ParseKind of a bad value: %v", err)
	}
}
