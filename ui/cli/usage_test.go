package cli

import (
	"os"
	"strings"
	"testing"
	"time"

	"faxwatch/api/sim"
	"faxwatch/ui"
	"faxwatch/ui/style"
)

// TestUsageFromCommandDefinitions: what cobra and help.go generate from the
// command tree, and the errors that suggest a fix.
func TestUsageFromCommandDefinitions(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		args       []string
		code       int
		stdout     []string // substrings of standard output
		stderr     string   // substring of standard error
		stdoutOnly bool     // nothing on standard error
	}{
		{args: []string{"wacth"}, code: ExitUsage, stderr: `unknown command "wacth"; did you mean "watch"?`},
		{args: []string{"stauts", "br0012345h00001x"}, code: ExitUsage, stderr: `did you mean "status"?`},
		{args: []string{"watch", "lss"}, code: ExitUsage, stderr: `watch: unknown action "lss"; did you mean "ls"?`},
		{args: []string{"help", "nope"}, code: ExitUsage, stderr: `unknown command "nope"`},
		{args: []string{"version"}, code: ExitOK, stdout: []string{"faxwatch "}, stdoutOnly: true},
		{args: []string{"--version"}, code: ExitOK, stdout: []string{"faxwatch "}, stdoutOnly: true},
		{args: []string{"watch", "ls", "-h"}, code: ExitOK, stdout: []string{"table|json|csv", "--format"}, stdoutOnly: true},
		// The floor in --interval's help is ui's, never a copy of it.
		{args: []string{"help"}, code: ExitOK, stdout: []string{"--interval", "at least " + ui.MinInterval.String() + ")"}, stdoutOnly: true},
		{args: []string{"help", "status"}, code: ExitOK, stdout: []string{"--timeout", "--format", "--method"}, stdoutOnly: true},
		{args: []string{"completion", "bash"}, code: ExitOK, stdout: []string{"__start_faxwatch"}, stdoutOnly: true},
		{args: []string{"completion", "zsh"}, code: ExitOK, stdout: []string{"#compdef faxwatch"}, stdoutOnly: true},
		{args: []string{"completion", "fish"}, code: ExitOK, stdout: []string{"complete -c faxwatch"}, stdoutOnly: true},
		{args: []string{"man"}, code: ExitOK, stdout: []string{".TH FAXWATCH 1", "status"}, stdoutOnly: true},
		{args: []string{"__complete", "watch", "ls", "--format", ""}, code: ExitOK, stdout: []string{"table\n", "json\n", "csv\n"}},
		{args: []string{"sim", "--demo"}, code: ExitUsage, stderr: "drop --demo"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			o := w.run("", tt.args...)
			if o.code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", o.code, tt.code, o.stdout, o.stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(o.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, o.stdout)
				}
			}
			if !strings.Contains(o.stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", o.stderr, tt.stderr)
			}
			if tt.stdoutOnly && o.stderr != "" {
				t.Errorf("stderr not empty: %q", o.stderr)
			}
			if tt.code == ExitUsage && (strings.Count(o.stderr, "\n") != 1 || !strings.Contains(o.stderr, " --help")) {
				t.Errorf("usage error is not one line ending with where the help is: %q", o.stderr)
			}
		})
	}
}

// TestGlobalFlagsAnywhere: --demo and --config before or after the command.
func TestGlobalFlagsAnywhere(t *testing.T) {
	w := newWorld(t)
	for _, args := range [][]string{
		{"--demo", "watch", "ls", "--format", "csv"},
		{"watch", "--demo", "ls", "--format", "csv"},
		{"watch", "ls", "--format", "csv", "--demo"},
		{"watch", "ls", "-demo", "-format=csv"},
	} {
		o := w.run("", args...)
		if o.code != ExitOK || !strings.HasPrefix(o.stdout, "job_id,") || strings.Count(o.stdout, "\n") < 2 {
			t.Errorf("%v: exit %d stdout %q stderr %q; want the demo watchlist as CSV", args, o.code, o.stdout, o.stderr)
		}
	}
}

func TestDemoWatchAddSaysItIsThrownAway(t *testing.T) {
	w := newWorld(t)
	o := w.run("", "--demo", "watch", "add", "br0012345h00001x")
	if o.code != ExitOK || !strings.Contains(o.stderr, "throw-away watchlist") {
		t.Errorf("exit %d stderr %q; want 0 and a note that the demo watchlist is thrown away", o.code, o.stderr)
	}
	if o := w.run("", "watch", "add", "br0012345h00001x"); strings.Contains(o.stderr, "throw-away") {
		t.Errorf("without --demo: stderr %q", o.stderr)
	}
}

func TestStatusTimeout(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7, Faults: sim.Faults{Latency: 10 * time.Second}})
	cfg := w.configFor(srv, running, "")
	id := ids(srv, 1)[0]
	o := w.run("", "status", "--config", cfg, "--timeout", "200ms", "--format", "json", id)
	if o.code != ExitFailed || !strings.Contains(o.stderr, "no answer within --timeout 200ms") {
		t.Errorf("exit %d stderr %q; want 1 and the timeout named", o.code, o.stderr)
	}
	if o := w.run("", "status", "--config", cfg, "--timeout", "-1s", id); o.code != ExitUsage {
		t.Errorf("negative timeout: exit %d stderr %q", o.code, o.stderr)
	}
}

// TestIntervalFloorNamesTheLine: the floor is ui's rule; the message still
// names the config file and line, or the flag.
func TestIntervalFloorNamesTheLine(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "[watch]\ninterval = \"2s\"\n")
	o := w.run("", "status", "--config", cfg, "--format", "json", ids(srv, 1)[0])
	want := cfg + ":11: watch.interval: 2s is below the floor of 5s"
	if o.code != ExitUsage || !strings.Contains(o.stderr, want) {
		t.Errorf("exit %d stderr %q; want 2 and %q", o.code, o.stderr, want)
	}
}

func TestMainIsTheOnlyRootGoFile(t *testing.T) {
	entries, err := os.ReadDir("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") && e.Name() != "main.go" {
			t.Errorf("%s at the repository root; only main.go belongs there", e.Name())
		}
	}
}

// TestFlagErrorsNameTheFlagAsWritten: one line naming the flag as the user
// typed it and the command, ending with where that command's help is; exit
// code 2.
func TestFlagErrorsNameTheFlagAsWritten(t *testing.T) {
	w := newWorld(t)
	for args, want := range map[string]string{
		"--bogus":          "faxwatch: unknown flag --bogus; see faxwatch --help\n",
		"status --bogus":   "faxwatch: unknown flag --bogus for status; see faxwatch status --help\n",
		"status --format":  "faxwatch: --format needs a value for status; see faxwatch status --help\n",
		"status -f":        "faxwatch: unknown flag -f for status; see faxwatch status --help\n",
		"--interval x":     "faxwatch: invalid argument \"x\" for \"--interval\" flag: time: invalid duration \"x\"; see faxwatch --help\n",
		"watch ls --nope":  "faxwatch: unknown flag --nope for watch ls; see faxwatch watch ls --help\n",
		"status -frob br1": "faxwatch: unknown flag -frob for status; see faxwatch status --help\n",
		"-v":               "faxwatch: unknown flag -v; see faxwatch --help\n",
		"wacth":            "faxwatch: unknown command \"wacth\"; did you mean \"watch\"? See faxwatch --help\n",
		"help nope":        "faxwatch: unknown command \"nope\"; see faxwatch --help\n",
		"watch ls extra":   "faxwatch: watch ls takes no arguments, got \"extra\"; see faxwatch watch ls --help\n",
	} {
		o := w.run("", strings.Fields(args)...)
		if o.code != ExitUsage || o.stderr != want {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", args, o.code, o.stderr, want)
		}
	}
}

// TestHelpColoursWithoutAskingTheTerminal: light or dark comes from [ui]
// theme, else COLORFGBG, else dark; nothing is asked of any terminal. The
// status and watch tables pick their palette by the same rule.
func TestHelpColoursWithoutAskingTheTerminal(t *testing.T) {
	tests := []struct {
		theme, colorfgbg string
		dark             bool
	}{
		{"auto", "", true},
		{"auto", "15;0", true},
		{"auto", "0;15", false},
		{"auto", "0;7", false},
		{"auto", "7;8", true},
		{"auto", "0;default;15", false},
		{"auto", "default;default", true},
		{"auto", "0;99", true},
		{"light", "15;0", false},
		{"dark", "0;15", true},
	}
	for _, tt := range tests {
		env := map[string]string{"COLORFGBG": tt.colorfgbg}
		if got := darkBackground(tt.theme, envOf(env)); got != tt.dark {
			t.Errorf("theme %q COLORFGBG %q: dark %v, want %v", tt.theme, tt.colorfgbg, got, tt.dark)
		}
		if got := tablePalette(true, tt.theme, envOf(env)); *got != style.NewPalette(tt.dark) {
			t.Errorf("theme %q COLORFGBG %q: the tables' palette is not the dark=%v one", tt.theme, tt.colorfgbg, tt.dark)
		}
	}
}

// TestHelpOffATerminalIsPlain: piped help holds no escape sequence.
func TestHelpOffATerminalIsPlain(t *testing.T) {
	w := newWorld(t)
	for _, args := range [][]string{{"help"}, {"status", "--help"}, {"help", "watch", "add"}} {
		o := w.run("", args...)
		if o.code != ExitOK || strings.Contains(o.stdout, "\x1b") || !strings.Contains(o.stdout, "USAGE") {
			t.Errorf("%v: exit %d stdout %q", args, o.code, o.stdout)
		}
	}
}
