package alert

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/watchlist"
)

// shCommand runs script with sh, the way a user's notify.command may.
func shCommand(t *testing.T, script string, environ []string, secretNames ...string) *Command {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on this machine")
	}
	c, err := NewCommand([]string{"sh", "-c", script, "sh", filepath.Join(t.TempDir(), "out")}, environ, secretNames)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func failedAlert(n int) Alert {
	a := Alert{At: t0}
	for _, id := range ids(n) {
		a.add(Job{Entry: watchlist.Entry{ID: id, Note: "acme", Last: watchlist.Status{
			State: api.StateFailed, StatusID: 2, FaxJobID: string(id), Description: "Busy",
			Error: api.WSError{Code: 4001, Message: "line busy"}}}, From: api.StateProcessing}, Failed)
	}
	return a
}

func TestCommandGetsTheJSON(t *testing.T) {
	c := shCommand(t, `cat > "$1"`, os.Environ())
	if err := c.Run(context.Background(), failedAlert(2)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(c.argv[len(c.argv)-1])
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Text  string           `json:"text"`
		Total int              `json:"total"`
		Jobs  []map[string]any `json:"jobs"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("stdin is not JSON: %v\n%s", err, data)
	}
	if got.Text != "faxwatch: 2 jobs failed: br1000001x, br1000002x" || got.Total != 2 || len(got.Jobs) != 2 {
		t.Fatalf("payload text %q total %d jobs %d", got.Text, got.Total, len(got.Jobs))
	}
	j := got.Jobs[0]
	for k, want := range map[string]any{"job_id": "br1000001x", "fax_job_id": "br1000001x", "status_id": 2.0,
		"state": "failed", "description": "Busy", "error_code": 4001.0, "error_message": "line busy", "final": true,
		"note": "acme", "old_state": "processing", "new_state": "failed"} {
		if j[k] != want {
			t.Errorf("job %s = %v, want %v", k, j[k], want)
		}
	}
}

func TestCommandFailures(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		timeout time.Duration
		want    []string // substrings of the error; nil: no error
	}{
		{"exit status and first stderr line", `echo "boom \033[2J here" >&2; echo second >&2; exit 3`, 0,
			[]string{`notify command "sh" failed: exit status 3: boom \x1b[2J here`}},
		{"hangs", `sleep 30`, 300 * time.Millisecond, []string{"did not finish within 300ms and was stopped"}},
		{"hangs with a child holding the pipes", `sleep 30 & sleep 30`, 300 * time.Millisecond, []string{"did not finish within 300ms"}},
		{"prints megabytes then succeeds", `head -c 30000000 /dev/zero; head -c 30000000 /dev/zero >&2`, 0, nil},
		{"prints megabytes then fails", `head -c 30000000 /dev/zero | tr '\0' x >&2; exit 1`, 0, []string{"exit status 1: xxxx", "…"}},
		{"never reads its input", `exit 0`, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := shCommand(t, tt.script, os.Environ())
			if tt.timeout > 0 {
				c = c.WithTimeout(tt.timeout)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			err := c.Run(context.Background(), failedAlert(MaxJobs))
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if tt.want == nil && err != nil {
				t.Fatalf("error %v, want none", err)
			}
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Fatalf("error %v, want it to contain %q", err, w)
				}
			}
			if err != nil && (len(err.Error()) > 300 || strings.ContainsAny(err.Error(), "\x1b\n\r")) {
				t.Errorf("error is not one short clean line: %q", err)
			}
			// The bound that matters: a hung command costs its timeout plus
			// the pipe grace, not the 30 s it asked for.
			if limit := c.timeout + waitDelay + 3*time.Second; took > limit {
				t.Errorf("run took %s, want under %s", took, limit)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
				t.Errorf("the run allocated %d MiB; output must not be kept", grew>>20)
			}
		})
	}
}

func TestCommandNotFound(t *testing.T) {
	c, err := NewCommand([]string{"faxwatch-no-such-program-here"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(context.Background(), failedAlert(1)); err == nil || !strings.Contains(err.Error(), "was not found") {
		t.Fatalf("error %v, want was not found", err)
	}
	if _, err := NewCommand([]string{" "}, nil, nil); err == nil {
		t.Error("a blank program was accepted")
	}
}

func TestCommandEnvironmentHoldsNoSecret(t *testing.T) {
	secrets := map[string]string{
		"FAXWATCH_CLIENT_SECRET": "cs-0f1e2d3c",
		"FAXWATCH_TOKEN":         "tok-9a8b7c6d",
		"FAXWATCH_PIN":           "pin-424242",
		"VAULT_CONCORD_SECRET":   "vault-5e5e5e", // named by client_secret_env
		"CONCORD_TOKEN":          "named-71717",  // named by token_env
	}
	environ := []string{"PATH=" + os.Getenv("PATH"), "KEEP_ME=visible", "FAXWATCH_CONFIG=/etc/faxwatch.toml"}
	for k, v := range secrets {
		environ = append(environ, k+"="+v)
	}
	c := shCommand(t, `env > "$1"; cat >> "$1"`, environ, "VAULT_CONCORD_SECRET", "CONCORD_TOKEN", "")
	if err := c.Run(context.Background(), failedAlert(3)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(c.argv[len(c.argv)-1])
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range secrets {
		if strings.Contains(string(data), v) || strings.Contains(string(data), name+"=") {
			t.Errorf("the command saw %s", name)
		}
	}
	for _, keep := range []string{"KEEP_ME=visible", "FAXWATCH_CONFIG=/etc/faxwatch.toml"} {
		if !strings.Contains(string(data), keep) {
			t.Errorf("the command lost %s: its environment is more than the secrets short", keep)
		}
	}
}

// A notify command's failure message quotes its standard error only through
// api.ScrubStderrLine, the rule secret commands follow: never a secret the
// environment or the config holds, never a label and its value, never a
// token-like word.
func TestCommandFailureShowsNoSecret(t *testing.T) {
	environ := []string{"PATH=" + os.Getenv("PATH"), "FAXWATCH_PIN=pin-value-4242", "VAULT_CONCORD=vault-value-77"}
	tests := []struct {
		name, script string
		literal      []string // the config's literal secrets
		hidden       []string
		want         string
	}{
		{"label and value", `echo "token: s3cr3t" >&2; exit 3`, nil,
			[]string{"s3cr3t", "token:"}, `failed: exit status 3 ` + api.StderrWithheld},
		{"an exported FAXWATCH_ secret", `echo "rejected pin-value-4242" >&2; exit 4`, nil,
			[]string{"pin-value-4242"}, "exit status 4 " + api.StderrWithheld},
		{"a variable an *_env key names", `echo "vault said vault-value-77" >&2; exit 5`, nil,
			[]string{"vault-value-77"}, "exit status 5 " + api.StderrWithheld},
		{"a literal config secret", `echo "webhook refused hunter2-literal" >&2; exit 6`, []string{"hunter2-literal"},
			[]string{"hunter2-literal"}, "exit status 6 " + api.StderrWithheld},
		{"a token-like word", `echo "bad key 9f86d081884c7d659a2feaa0c55ad015" >&2; exit 7`, nil,
			[]string{"9f86d081884c7d659a2feaa0c55ad015"}, "exit status 7 " + api.StderrWithheld},
		{"a plain line is shown", `echo "webhook answered 502" >&2; exit 8`, []string{"hunter2-literal"},
			nil, "exit status 8: webhook answered 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := shCommand(t, tt.script, environ, "VAULT_CONCORD").WithSecrets(tt.literal)
			err := c.Run(context.Background(), failedAlert(1))
			if err == nil {
				t.Fatal("no error")
			}
			for _, h := range tt.hidden {
				if strings.Contains(err.Error(), h) {
					t.Errorf("message shows %q: %s", h, err)
				}
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q lacks %q", err, tt.want)
			}
		})
	}
}
