package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"faxwatch/api/sim"
)

// runWithExample is w.run with the example config main embeds.
func (w *world) runWithExample(example []byte, args ...string) outcome {
	w.t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}, envOf(w.env), WithExampleConfig(example))
	return outcome{code, out.String(), errb.String()}
}

func exampleConfig(t *testing.T) []byte {
	t.Helper()
	text, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func TestConfigInit(t *testing.T) {
	example := exampleConfig(t)
	w := newWorld(t)
	path := filepath.Join(w.env["XDG_CONFIG_HOME"], "faxwatch", "config.toml")

	o := w.runWithExample(example, "config", "init")
	if o.code != ExitOK || !strings.Contains(o.stdout, "wrote "+path+" (mode 0600)") || !strings.Contains(o.stdout, "faxwatch config check") {
		t.Fatalf("init: %+v", o)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, example) {
		t.Fatalf("the file is not the example (%v)", err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if info, err := os.Stat(p); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %04o", p, info.Mode().Perm(), err, want)
		}
	}

	// Never over a file: the user's edits stay.
	if err := os.WriteFile(path, []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o = w.runWithExample(example, "config", "init")
	if o.code != ExitUsage || !strings.Contains(o.stderr, path+" already exists and was left as it is; edit it") {
		t.Errorf("init over a file: %+v", o)
	}
	if got, _ := os.ReadFile(path); string(got) != "# mine\n" {
		t.Errorf("the file was overwritten: %q", got)
	}

	// --config names the path; its folder is created.
	other := filepath.Join(w.dir, "elsewhere", "fw.toml")
	if o := w.runWithExample(example, "config", "init", "--config", other); o.code != ExitOK {
		t.Errorf("init --config: %+v", o)
	} else if info, err := os.Stat(other); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v %v", other, info, err)
	}

	// --demo never writes the user's config.
	w2 := newWorld(t)
	o = w2.runWithExample(example, "--demo", "config", "init")
	if o.code != ExitUsage || !strings.Contains(o.stderr, "drop --demo") {
		t.Errorf("--demo init: %+v", o)
	}
	if _, err := os.Stat(w2.env["XDG_CONFIG_HOME"]); !os.IsNotExist(err) {
		t.Errorf("--demo init created %s", w2.env["XDG_CONFIG_HOME"])
	}

	// A build without the example says so.
	if o := w2.runWithExample(nil, "config", "init"); o.code != ExitFailed || !strings.Contains(o.stderr, "built without the example config") {
		t.Errorf("no example: %+v", o)
	}
}

// config check against the simulator: one line per step, stopping at the
// first that fails, with the documented exit code, and never a secret.
func TestConfigCheck(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7})
	creds := srv.Credentials()
	ok := func(lines ...string) []string { return lines }
	tests := []struct {
		name   string
		args   func(w *world) []string
		faults sim.Faults
		code   int
		lines  []string // the lines of standard output, by prefix
	}{
		{
			name: "oauth2 works",
			args: func(w *world) []string { return []string{"--config", w.configFor(srv, running, "")} },
			code: ExitOK,
			lines: ok("✓ config ", "✓ credentials: auth.mode oauth2, user "+creds.UserID+", client ID "+creds.ClientID+", client secret found",
				"✓ token from "+running.TokenURL(), "✓ CheckService at "+running.Endpoint()+" (json) answered: ", "all works"),
		},
		{
			name:  "--demo works",
			args:  func(*world) []string { return []string{"--demo"} },
			code:  ExitOK,
			lines: ok("✓ config: none needed with --demo", "✓ credentials: auth.mode oauth2", "✓ token from http://127.0.0.1:", "✓ CheckService at http://127.0.0.1:", "all works"),
		},
		{
			name: "a wrong client secret stops at the token",
			args: func(w *world) []string {
				return []string{"--config", writeFile(t, w.dir, "c.toml", strings.Replace(readText(t, w.configFor(srv, running, "")), creds.ClientSecret, "not-the-secret-42", 1), 0o600)}
			},
			code:  ExitFailed,
			lines: ok("✓ config ", "✓ credentials: ", "✗ token from "+running.TokenURL()+": authentication failed"),
		},
		{
			name:   "a proxy's HTML page instead of the service",
			args:   func(w *world) []string { return []string{"--config", w.configFor(srv, running, "")} },
			faults: sim.Faults{HTML: true},
			code:   ExitFailed,
			lines:  ok("✓ config ", "✓ credentials: ", "✓ token from ", "✗ CheckService at "+running.Endpoint()+" (json): HTML page instead of an API answer"),
		},
		{
			name: "a static token the service refuses",
			args: func(w *world) []string {
				text := fmt.Sprintf("[api]\nendpoint = %q\nuser_id = %q\n[auth]\nmode = \"token\"\ntoken = \"expired-token-77\"\n", running.Endpoint(), creds.UserID)
				return []string{"--config", writeFile(t, w.dir, "t.toml", text, 0o600)}
			},
			code:  ExitFailed,
			lines: ok("✓ config ", "✓ credentials: auth.mode token, user "+creds.UserID+", token found", "✗ CheckService at "+running.Endpoint()+" (soap11): "),
		},
		{
			name:  "no config file",
			args:  func(*world) []string { return nil },
			code:  ExitUsage,
			lines: ok("✗ no config file at "),
		},
		{
			name: "the example as written: the account is missing",
			args: func(w *world) []string {
				return []string{"--config", writeFile(t, w.dir, "ex.toml", string(exampleConfig(t)), 0o600)}
			},
			code:  ExitUsage,
			lines: ok("✓ config ", "✗ config "),
		},
		{
			name: "a mistake in the file",
			args: func(w *world) []string {
				return []string{"--config", writeFile(t, w.dir, "bad.toml", "[api]\nendpont = \"x\"\n", 0o600)}
			},
			code:  ExitUsage,
			lines: ok("✗ config "),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			srv.SetFaults(tt.faults)
			defer srv.SetFaults(sim.Faults{})
			o := w.run("", append([]string{"config", "check"}, tt.args(w)...)...)
			got := strings.Split(strings.TrimRight(o.stdout, "\n"), "\n")
			if o.code != tt.code || len(got) != len(tt.lines) {
				t.Fatalf("exit %d (want %d), stdout:\n%s\nstderr: %s", o.code, tt.code, o.stdout, o.stderr)
			}
			for i, prefix := range tt.lines {
				if !strings.HasPrefix(got[i], prefix) {
					t.Errorf("line %d %q; want it to start %q", i, got[i], prefix)
				}
			}
			for _, secret := range []string{creds.ClientSecret, "not-the-secret-42", "expired-token-77", creds.PIN} {
				if strings.Contains(o.stdout+o.stderr, secret) {
					t.Errorf("a secret in the output: %q", o.stdout+o.stderr)
				}
			}
		})
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A first run is told how to get a config, whether the path was given or not.
func TestMissingConfigPointsToConfigInit(t *testing.T) {
	w := newWorld(t)
	for _, args := range [][]string{
		{"status", "br0012345h00001x"},
		{"status", "--config", filepath.Join(w.dir, "none.toml"), "br0012345h00001x"},
	} {
		if o := w.run("", args...); o.code != ExitUsage || !strings.Contains(o.stderr, "faxwatch config init") {
			t.Errorf("%v: %+v", args, o)
		}
	}
}
