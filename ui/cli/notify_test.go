package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/ui/alert"
	"faxwatch/ui/cli/config"
	"faxwatch/ui/jobjson"
	"faxwatch/watchlist"
)

// loadConfig loads content as a config file, as --config would.
func loadConfig(t *testing.T, content string) (config.Config, string, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Location{Path: p, Explicit: true, Origin: "--config"}, func(string) string { return "" }, nil)
	return cfg, p, err
}

// The [notify] rules ui/alert owns, said with the file and line.
func TestNotifySettingsErrors(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"notify.on", "[notify]\non = [\"failed\", \"exploded\"]\n",
			":2: notify.on: \"exploded\" is not something that alerts; use any of failed, invalid, unknown, succeeded, stale"},
		{"notify.desktop", "[notify]\ndesktop = \"yes\"\n", ":2: notify.desktop: \"yes\" is not a desktop style; use off, osc9 or osc777"},
		{"notify.stale_after", "[notify]\nstale_after = \"10s\"\n", ":2: notify.stale_after: 10s is out of range; use 30s to 24h0m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, path, err := loadConfig(t, tt.content)
			if err != nil {
				t.Fatal(err)
			}
			_, err = notifySettings(cfg, nil, func(string) string { return "" })
			if err == nil || !strings.Contains(err.Error(), path+tt.want) {
				t.Fatalf("error %v, want %q", err, path+tt.want)
			}
		})
	}
}

// config.example.toml documents ui/alert's defaults.
func TestExampleNotifyIsAlertDefaults(t *testing.T) {
	cfg, err := config.Load(config.Location{Path: "../../config.example.toml", Explicit: true}, func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := notifySettings(cfg, nil, func(string) string { return "" })
	if err != nil || !reflect.DeepEqual(nc.On, alert.DefaultOn()) || nc.StaleAfter != alert.DefaultStaleAfter || nc.Desktop.On() {
		t.Fatalf("example [notify] = %+v, %v; want ui/alert's defaults", nc, err)
	}
}

// With nothing in [notify], ui/alert's defaults apply.
func TestNotifySettingsDefaults(t *testing.T) {
	cfg, _, err := loadConfig(t, "")
	if err != nil {
		t.Fatal(err)
	}
	nc, err := notifySettings(cfg, nil, func(string) string { return "" })
	if err != nil || !reflect.DeepEqual(nc.On, alert.DefaultOn()) || nc.StaleAfter != alert.DefaultStaleAfter ||
		!nc.Bell || nc.Desktop.On() || nc.Command != nil {
		t.Fatalf("defaults %+v, %v", nc, err)
	}
}

func TestNotifyConfig(t *testing.T) {
	cfg, _, err := loadConfig(t, `[auth]
client_secret_env = "VAULT_CONCORD"
[notify]
on = ["failed", "stale"]
desktop = "osc777"
command = ["sh", "-c", "env > \"$1\"", "sh", "OUT"]
stale_after = "2m"
`)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "env")
	cfg.Notify.Command[len(cfg.Notify.Command)-1] = out
	environ := []string{"PATH=" + os.Getenv("PATH"), "VAULT_CONCORD=vault-7f7f", "FAXWATCH_TOKEN=tok-3c3c", "LANG=C.UTF-8"}

	dumb, err := notifySettings(cfg, environ, envOf(map[string]string{"TERM": "dumb"}))
	if err != nil {
		t.Fatal(err)
	}
	if dumb.Desktop.On() {
		t.Error("desktop notifications on under TERM=dumb")
	}
	nc, err := notifySettings(cfg, environ, envOf(map[string]string{"TERM": "foot"}))
	if err != nil {
		t.Fatal(err)
	}
	if !nc.Desktop.On() || !reflect.DeepEqual(nc.On, []alert.Kind{alert.Failed, alert.Stale}) || nc.StaleAfter != 2*time.Minute || !nc.Bell {
		t.Errorf("resolved %+v", nc)
	}
	env := commandEnv(t, nc, out)
	if strings.Contains(env, "vault-7f7f") || strings.Contains(env, "tok-3c3c") || !strings.Contains(env, "LANG=C.UTF-8") {
		t.Errorf("the command's environment:\n%s", env)
	}
}

// commandEnv runs the notify command once (it writes its environment to out)
// and returns what it wrote.
func commandEnv(t *testing.T, nc alert.Config, out string) string {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	a := alert.Alert{At: time.Unix(0, 0), Stale: &alert.StaleNews{For: time.Hour}}
	if err := nc.Command.Run(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	env, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(env)
}

// A FAXWATCH_* override replaces a *_env key, but the variable that key
// named still holds a secret: the command must not inherit it either.
func TestNotifyCommandEnvironmentAfterAnOverride(t *testing.T) {
	tests := []struct{ override, key, variable string }{
		{"FAXWATCH_CLIENT_SECRET", "client_secret_env", "VAULT_CONCORD"},
		{"FAXWATCH_TOKEN", "token_env", "VAULT_TOKEN"},
		{"FAXWATCH_PIN", "pin_env", "VAULT_PIN"},
	}
	for _, tt := range tests {
		t.Run(tt.override, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "env")
			p := filepath.Join(t.TempDir(), "config.toml")
			text := "[auth]\n" + tt.key + " = \"" + tt.variable + "\"\n[notify]\ncommand = [\"sh\", \"-c\", \"env > \\\"$1\\\"\", \"sh\", \"" + out + "\"]\n"
			if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			getenv := envOf(map[string]string{tt.override: "override-1a1a"})
			cfg, err := config.Load(config.Location{Path: p, Explicit: true, Origin: "--config"}, getenv, nil)
			if err != nil {
				t.Fatal(err)
			}
			environ := []string{"PATH=" + os.Getenv("PATH"), tt.variable + "=vault-7f7f", tt.override + "=override-1a1a"}
			nc, err := notifySettings(cfg, environ, getenv)
			if err != nil {
				t.Fatal(err)
			}
			if env := commandEnv(t, nc, out); strings.Contains(env, "vault-7f7f") || strings.Contains(env, "override-1a1a") {
				t.Errorf("the command inherited a secret:\n%s", env)
			}
		})
	}
}

// The command's jobs keep the shape of status --format json (plus three).
func TestAlertJSONHasTheStatusShape(t *testing.T) {
	d := &api.Details{Method: api.MethodGetRealTimeFaxStatusEx2, PagesSent: 1, PagesTotal: 2, DeliveredAt: "x", RemoteCSID: "y", ReferenceID: "z"}
	e := watchlist.Entry{ID: "br0012345h00001x", Last: watchlist.Status{State: api.StateFailed, Details: d,
		Conflict: "2 items in the answer disagreed: failed (shown), processing"}}
	a := alert.Alert{At: time.Unix(0, 0), Jobs: []alert.Job{{Entry: e, From: api.StateProcessing}}, Counts: map[alert.Kind]int{alert.Failed: 1}}
	var got struct{ Jobs []map[string]any }
	if err := json.Unmarshal(a.JSON(), &got); err != nil || len(got.Jobs) != 1 {
		t.Fatalf("%v %v", err, got)
	}
	typ := reflect.TypeOf(jobjson.Job{})
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if _, ok := got.Jobs[0][name]; !ok && name != "error" {
			t.Errorf("the command's job lacks %q", name)
		}
	}
	for _, extra := range []string{"note", "old_state", "new_state"} {
		if _, ok := got.Jobs[0][extra]; !ok {
			t.Errorf("the command's job lacks %q", extra)
		}
	}
}

// The notify command's failure message never quotes a secret the config
// holds literally (ui/alert cannot see the config; notifySettings hands the
// values over).
func TestNotifyCommandFailureQuotesNoConfigSecret(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	cfg, _, err := loadConfig(t, `[auth]
mode = "token"
token = "correct horse staple"
[notify]
command = ["sh", "-c", "echo refused correct horse staple >&2; exit 9"]
`)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := notifySettings(cfg, nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	err = nc.Command.Run(context.Background(), alert.Alert{At: time.Unix(0, 0), Stale: &alert.StaleNews{For: time.Hour}})
	if err == nil || strings.Contains(err.Error(), "correct horse staple") || !strings.Contains(err.Error(), "exit status 9 "+api.StderrWithheld) {
		t.Errorf("error %v: want exit status 9 and the line withheld", err)
	}
}
