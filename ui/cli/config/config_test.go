package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"faxwatch/api"
)

// envOf is an injected environment: nothing leaks in from the real one.
func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func writeFile(t *testing.T, dir, name, content string, perm os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, perm); err != nil { // umask-proof
		t.Fatal(err)
	}
	return p
}

func loadFrom(t *testing.T, content string, env map[string]string) (Config, string, error) {
	t.Helper()
	p := writeFile(t, t.TempDir(), "config.toml", content, 0o600)
	cfg, err := Load(Location{Path: p, Explicit: true, Origin: "--config"}, envOf(env), nil)
	return cfg, p, err
}

// exampleConfig is the repository root's config.example.toml.
const exampleConfig = "../../../config.example.toml"

func TestExampleConfigLoadsAsDefaults(t *testing.T) {
	cfg, err := Load(Location{Path: exampleConfig, Explicit: true}, envOf(nil), nil)
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	want := Default()
	want.Path = exampleConfig
	want.Watch.Interval = Duration{20 * time.Second} // ui.DefaultInterval, which config may not import
	// ui/alert's defaults, which config may not import either (TestExampleNotifyIsAlertDefaults in ui/cli).
	want.Notify.On, want.Notify.Desktop, want.Notify.StaleAfter = []string{"failed"}, "off", Duration{5 * time.Minute}
	cfg.where, want.where = nil, nil
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("config.example.toml differs from the defaults:\n got %+v\nwant %+v", cfg, want)
	}
}

// TestExampleConfigHasEveryKey keeps the example complete: every toml tag of
// Config appears as a key in it.
func TestExampleConfigHasEveryKey(t *testing.T) {
	data, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			tag := f.Tag.Get("toml")
			if tag == "" || tag == "-" {
				continue
			}
			if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(Duration{}) {
				if !strings.Contains(text, "["+tag+"]") {
					t.Errorf("config.example.toml lacks the table [%s]", tag)
				}
				walk(tag+".", f.Type)
				continue
			}
			if !strings.Contains(text, "\n"+tag+" = ") {
				t.Errorf("config.example.toml lacks the key %s%s", prefix, tag)
			}
		}
	}
	walk("", reflect.TypeOf(Config{}))
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		env     map[string]string
		want    []string // substrings of the one-line message
	}{
		{"unknown key", "[api]\nformat = \"soap11\"\nendpont = \"https://x\"\n", nil,
			[]string{":3: unknown key \"api.endpont\"", "config.example.toml"}},
		{"unknown dotted key", "api.endpoint = \"https://a.example\"\napi.colour = 1\n", nil,
			[]string{":2: unknown key \"api.colour\""}},
		{"unknown table", "[api]\n\n[apii]\nx = 1\n", nil, []string{":3: unknown table [apii]"}},
		{"unknown top-level key", "bell = true\n", nil, []string{":1: unknown key \"bell\""}},
		{"syntax", "[api]\nformat = soap11\n", nil, []string{":2:", "TOML syntax"}},
		{"bad duration", "[watch]\ninterval = \"20\"\n", nil, []string{":2: watch.interval: invalid duration \"20\"", "\"20s\""}},
		{"duration as number", "[api]\n\ntimeout = 20\n", nil, []string{":3: api.timeout: invalid duration \"20\""}},
		{"timeout zero", "[api]\ntimeout = \"0s\"\n", nil, []string{":2: api.timeout: 0s is out of range"}},
		{"keep_final negative", "[watch]\nkeep_final = \"-1h\"\n", nil, []string{"watch.keep_final: -1h0m0s is negative"}},
		{"batch too small", "[api]\nbatch_size = 0\n", nil, []string{":2: api.batch_size: 0 is out of range; use 1 to 1000"}},
		{"batch too big", "[api]\nbatch_size = 1001\n", nil, []string{"api.batch_size: 1001 is out of range"}},
		{"concurrency", "[api]\nconcurrency = 17\n", nil, []string{"api.concurrency: 17 is out of range; use 1 to 16"}},
		{"wrong type", "[api]\nbatch_size = \"ten\"\n", nil, []string{":2: api.batch_size: incompatible types"}},
		{"format", "[api]\nformat = \"xml\"\n", nil, []string{"api.format: \"xml\" is not a format; use soap11, soap12 or json"}},
		{"method", "[api]\nmethod = \"GetStatus\"\n", nil, []string{"api.method: \"GetStatus\" is not a status method"}},
		{"mode", "[auth]\nmode = \"basic\"\n", nil, []string{"auth.mode: \"basic\" is not an auth mode"}},
		{"theme", "[ui]\ntheme = \"pink\"\n", nil, []string{":2: ui.theme: \"pink\" is not a theme"}},
		{"http endpoint", "[api]\nendpoint = \"http://ws.example.com/fax/v5\"\n", nil,
			[]string{":2: api.endpoint: http:// is refused for ws.example.com", "use https://"}},
		{"http token url", "[auth]\ntoken_url = \"http://10.0.0.1/token\"\n", nil,
			[]string{":2: auth.token_url: http:// is refused for 10.0.0.1"}},
		{"ftp endpoint", "[api]\nendpoint = \"ftp://x.example\"\n", nil, []string{"api.endpoint: scheme \"ftp\" is not supported"}},
		{"no host", "[api]\nendpoint = \"https:///fax\"\n", nil, []string{"api.endpoint: \"https:///fax\" has no host"}},
		{"userinfo in URL", "[api]\nendpoint = \"https://u:p@x.example/\"\n", nil, []string{"credentials in the URL are not allowed"}},
		{"scope with space", "[auth]\nscopes = [\"a b\"]\n", nil, []string{"auth.scopes: scope 1"}},
		{"two secret sources", "[auth]\nclient_secret_env = \"X\"\nclient_secret_cmd = \"pass x\"\n", nil,
			[]string{"set only one of auth.client_secret, auth.client_secret_env and auth.client_secret_cmd"}},
		{"notify.desktop bool", "[notify]\ndesktop = true\n", nil, []string{":2: notify.desktop: incompatible types"}},
		{"notify.command blank", "[notify]\ncommand = [\"\", \"x\"]\n", nil, []string{":2: notify.command: the program name is blank"}},
		{"notify.command string", "[notify]\ncommand = \"curl -d @- x\"\n", nil, []string{":2: notify.command: incompatible types"}},
		{"env endpoint http", "", map[string]string{"FAXWATCH_ENDPOINT": "http://evil.example/fax"},
			[]string{"environment FAXWATCH_ENDPOINT: api.endpoint: http:// is refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, err := loadFrom(t, tt.content, tt.env)
			if err == nil {
				t.Fatal("loaded without error")
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not a Error: %v", err, err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("message has more than one line: %q", msg)
			}
			if tt.env == nil && !strings.Contains(msg, path) {
				t.Errorf("message does not name the file %s: %q", path, msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestConfigAcceptsLoopbackHTTP(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8099/fax/v5", "http://localhost/fax/v5", "http://[::1]:80/x", "http://127.1.2.3/"} {
		if _, _, err := loadFrom(t, "[api]\nendpoint = \""+u+"\"\n[auth]\ntoken_url = \""+u+"\"\n", nil); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}

func TestConfigMissingFile(t *testing.T) {
	dir := t.TempDir()
	// At the default place: not an error, defaults apply.
	cfg, err := Load(Location{Path: filepath.Join(dir, "none.toml")}, envOf(nil), nil)
	if err != nil || cfg.Path != "" || cfg.API.BatchSize != 100 {
		t.Fatalf("missing default file: cfg.Path=%q err=%v", cfg.Path, err)
	}
	// Asked for explicitly: an error naming it and where the name came from.
	p := filepath.Join(dir, "asked.toml")
	_, err = Load(Location{Path: p, Explicit: true, Origin: "FAXWATCH_CONFIG"}, envOf(nil), nil)
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "FAXWATCH_CONFIG") {
		t.Fatalf("explicit missing file: %v", err)
	}
	// A directory is not a config.
	_, err = Load(Location{Path: dir, Explicit: true}, envOf(nil), nil)
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("directory: %v", err)
	}
}

func TestConfigPrecedence(t *testing.T) {
	file := `[api]
endpoint = "https://file.example/fax/v5"
user_id = "mbxfile"
method = "GetRealTimeFaxStatus"
batch_size = 7
[auth]
mode = "token"
token_env = "MY_TOKEN"
`
	p := writeFile(t, t.TempDir(), "c.toml", file, 0o600)
	loc := Location{Path: p, Explicit: true}
	env := map[string]string{"MY_TOKEN": "from-token-env"}

	// defaults < file
	cfg, err := Load(loc, envOf(env), nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.API.Endpoint != "https://file.example/fax/v5" || cfg.API.BatchSize != 7 || cfg.API.Concurrency != 4 {
		t.Fatalf("file over defaults: %+v", cfg.API)
	}

	// file < environment, secrets included (the env var beats *_env)
	env["FAXWATCH_ENDPOINT"] = "https://env.example/fax/v5"
	env["FAXWATCH_USER_ID"] = "mbxenv"
	env["FAXWATCH_TOKEN"] = "from-faxwatch-token"
	cfg, err = Load(loc, envOf(env), nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.API.Endpoint != "https://env.example/fax/v5" || cfg.API.UserID != "mbxenv" {
		t.Fatalf("environment over file: %+v", cfg.API)
	}
	auth, err := cfg.ResolveAuth(context.Background(), envOf(env))
	if err != nil || auth.Token.Reveal() != "from-faxwatch-token" {
		t.Fatalf("FAXWATCH_TOKEN over token_env: %v", err)
	}

	// environment < flags
	cfg, err = Load(loc, envOf(env), func(c *Config) {
		c.API.Method = "GetFaxStatus"
		c.API.Endpoint = "https://flag.example/fax/v5"
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.API.Method != "GetFaxStatus" || cfg.API.Endpoint != "https://flag.example/fax/v5" {
		t.Fatalf("flags over environment: %+v", cfg.API)
	}
}

func TestLocateConfig(t *testing.T) {
	tests := []struct {
		name, flag string
		env        map[string]string
		want       string
		explicit   bool
	}{
		{"flag wins", "/f.toml", map[string]string{"FAXWATCH_CONFIG": "/e.toml", "XDG_CONFIG_HOME": "/x"}, "/f.toml", true},
		{"env next", "", map[string]string{"FAXWATCH_CONFIG": "/e.toml", "XDG_CONFIG_HOME": "/x"}, "/e.toml", true},
		{"xdg", "", map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/x/faxwatch/config.toml", false},
		{"home", "", map[string]string{"HOME": "/h"}, "/h/.config/faxwatch/config.toml", false},
		{"relative xdg ignored", "", map[string]string{"XDG_CONFIG_HOME": "rel", "HOME": "/h"}, "/h/.config/faxwatch/config.toml", false},
	}
	for _, tt := range tests {
		loc, err := Locate(tt.flag, envOf(tt.env))
		if err != nil || loc.Path != tt.want || loc.Explicit != tt.explicit {
			t.Errorf("%s: got %+v, %v; want %s explicit=%v", tt.name, loc, err, tt.want, tt.explicit)
		}
	}
}

func TestConfigPermissions(t *testing.T) {
	withSecret := "[auth]\nclient_secret = \"s3cr3t-value\"\n"
	tests := []struct {
		name    string
		content string
		perm    os.FileMode
		refused string
	}{
		{"secret 0644 refused", withSecret, 0o644, "readable by others (mode 0644); run: chmod 600 "},
		{"secret 0640 refused", withSecret, 0o640, "readable by others (mode 0640)"},
		{"secret 0620 refused", withSecret, 0o620, "writable or executable by others"},
		{"token 0604 refused", "[auth]\ntoken = \"abcd\"\n", 0o604, "chmod 600"},
		{"pin 0644 refused", "[auth]\npin = \"1234\"\n", 0o644, "chmod 600"},
		{"secret 0600 fine", withSecret, 0o600, ""},
		{"secret 0400 fine", withSecret, 0o400, ""},
		{"no secret 0644 fine", "[auth]\nclient_secret_env = \"X\"\n", 0o644, ""},
		{"command 0644 fine", "[auth]\nclient_secret_cmd = \"pass x\"\n", 0o644, ""},
		{"command 0664 refused", "[auth]\nclient_secret_cmd = \"pass x\"\n", 0o664, "names a command to run and is writable by others (mode 0664); run: chmod go-w "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "config.toml", tt.content, tt.perm)
			_, err := Load(Location{Path: p, Explicit: true}, envOf(nil), nil)
			if tt.refused == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.refused) || !strings.HasPrefix(msg, "config "+p+" ") || !strings.HasSuffix(msg, " "+p) {
				t.Errorf("message %q", msg)
			}
			if strings.Contains(msg, "s3cr3t") {
				t.Errorf("message reveals the secret: %q", msg)
			}
		})
	}
}

// secretScript writes an executable script into dir and returns its path.
func secretScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	return writeFile(t, dir, name, "#!/bin/sh\n"+body+"\n", 0o700)
}

func TestResolveAuthSecretSources(t *testing.T) {
	dir := t.TempDir()
	ok := secretScript(t, dir, "ok.sh", `printf '  from-cmd-secret \n\n'`)
	fails := secretScript(t, dir, "fails.sh", `echo "vault sealed: token=leaky" >&2; exit 3`)
	failsPlain := secretScript(t, dir, "fails-plain.sh", `echo; echo "vault is sealed; run: vault operator unseal" >&2; echo second line >&2; exit 4`)
	silent := secretScript(t, dir, "silent.sh", `true`)
	withArgs := secretScript(t, dir, "args.sh", `printf '%s|%s' "$1" "$2"`)
	big := secretScript(t, dir, "big.sh", `head -c 70000 /dev/zero | tr '\0' x`)

	base := "[api]\nuser_id = \"mbx1\"\n[auth]\ntoken_url = \"https://t.example/token\"\nclient_id = \"cid\"\n"
	tests := []struct {
		name    string
		auth    string
		env     map[string]string
		want    string // the secret, or "" when an error is expected
		errPart []string
	}{
		{"value", "client_secret = \"lit\"", nil, "lit", nil},
		{"env", "client_secret_env = \"CS\"", map[string]string{"CS": "from-env"}, "from-env", nil},
		{"env unset", "client_secret_env = \"CS\"", nil, "", []string{"auth.client_secret_env: names $CS, which is empty or not set"}},
		{"cmd trimmed", "client_secret_cmd = \"" + ok + "\"", nil, "from-cmd-secret", nil},
		{"cmd with quoted args", "client_secret_cmd = \"" + withArgs + " 'a b' \\\"c d\\\"\"", nil, "a b|c d", nil},
		{"cmd missing", "client_secret_cmd = \"/nonexistent/pass show x\"", nil, "",
			[]string{"auth.client_secret_cmd:", "\"/nonexistent/pass\""}},
		{"cmd not on PATH", "client_secret_cmd = \"no-such-faxwatch-helper show\"", nil, "",
			[]string{"auth.client_secret_cmd:", "was not found"}},
		{"cmd fails", "client_secret_cmd = \"" + fails + "\"", nil, "",
			[]string{"auth.client_secret_cmd:", "exit status 3", "not shown"}},
		{"cmd fails with a plain line", "client_secret_cmd = \"" + failsPlain + "\"", nil, "",
			[]string{"exit status 4: vault is sealed; run: vault operator unseal"}},
		{"cmd prints nothing", "client_secret_cmd = \"" + silent + "\"", nil, "", []string{"printed nothing"}},
		{"cmd prints too much", "client_secret_cmd = \"" + big + "\"", nil, "", []string{"more than 64 KiB"}},
		{"cmd bad quoting", "client_secret_cmd = \"pass 'x\"", nil, "", []string{"unterminated quote"}},
		{"none", "", nil, "", []string{"auth.client_secret: is not set", "FAXWATCH_CLIENT_SECRET"}},
		{"FAXWATCH_CLIENT_SECRET beats cmd", "client_secret_cmd = \"" + fails + "\"",
			map[string]string{"FAXWATCH_CLIENT_SECRET": "env-wins"}, "env-wins", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := loadFrom(t, base+tt.auth+"\n", tt.env)
			if err != nil {
				t.Fatal(err)
			}
			auth, err := cfg.ResolveAuth(context.Background(), envOf(tt.env))
			if tt.want != "" {
				if err != nil || auth.ClientSecret.Reveal() != tt.want {
					t.Fatalf("got %q, %v; want %q", auth.ClientSecret.Reveal(), err, tt.want)
				}
				if auth.Mode != api.AuthOAuth2 || auth.ClientID != "cid" || auth.TokenURL != "https://t.example/token" {
					t.Fatalf("auth %+v", auth)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("more than one line: %q", msg)
			}
			if strings.Contains(msg, "leaky") || strings.Contains(msg, "second line") {
				t.Errorf("message shows more of the command's error output than one safe line: %q", msg)
			}
			for _, w := range tt.errPart {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestSecretCommandTimeout(t *testing.T) {
	slow := secretScript(t, t.TempDir(), "slow.sh", `exec sleep 30`)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := runSecretCommand(ctx, slow, nil)
	if err == nil {
		t.Fatal("no error")
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("took %s", time.Since(start))
	}
}

// TestOnlyTheModesSecretIsResolved: with mode=token, the client-secret
// command must not run (a password manager would prompt for nothing).
func TestOnlyTheModesSecretIsResolved(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	script := secretScript(t, dir, "mark.sh", "touch "+marker+"; echo x")
	cfg, _, err := loadFrom(t, "[api]\nuser_id = \"mbx1\"\n[auth]\nmode = \"token\"\ntoken = \"tok\"\nclient_secret_cmd = \""+script+"\"\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := cfg.ResolveAuth(context.Background(), envOf(nil))
	if err != nil || auth.Token.Reveal() != "tok" || !auth.ClientSecret.IsEmpty() {
		t.Fatalf("auth %v, %v", auth, err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the client secret command ran in token mode")
	}
}

func TestResolveAuthRequiredKeys(t *testing.T) {
	tests := []struct{ content, want string }{
		{"[api]\nendpoint = \"\"\n", "api.endpoint: is empty"},
		{"[api]\nuser_id = \"\"\n", "api.user_id: is empty"},
		{"[api]\nuser_id = \"m\"\n", "auth.token_url: is empty"},
		{"[api]\nuser_id = \"m\"\n[auth]\ntoken_url = \"https://t.example\"\n", "auth.client_id: is empty"},
		{"[api]\nuser_id = \"m\"\n[auth]\nmode = \"token\"\n", "auth.token: is not set"},
		{"[api]\nuser_id = \"m\"\n[auth]\nmode = \"pin\"\n", "auth.pin: is not set"},
	}
	for _, tt := range tests {
		cfg, _, err := loadFrom(t, tt.content, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfg.ResolveAuth(context.Background(), envOf(nil))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v; want %q", tt.content, err, tt.want)
		}
	}
}

func TestSplitCommandLine(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		bad  bool
	}{
		{"pass show concord", []string{"pass", "show", "concord"}, false},
		{"  a\t b  ", []string{"a", "b"}, false},
		{`a 'b c' "d e"`, []string{"a", "b c", "d e"}, false},
		{`a "say \"hi\"" 'it''s'`, []string{"a", `say "hi"`, "its"}, false},
		{`a\ b c`, []string{"a b", "c"}, false},
		{`a '' b`, []string{"a", "", "b"}, false},
		{`$HOME ; rm -rf /`, []string{"$HOME", ";", "rm", "-rf", "/"}, false},
		{"", nil, false},
		{`a 'b`, nil, true},
		{`a "b`, nil, true},
		{`a \`, nil, true},
	}
	for _, tt := range tests {
		got, err := splitCommandLine(tt.in)
		if (err != nil) != tt.bad || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitCommandLine(%q) = %q, %v; want %q bad=%v", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

func TestKeyLine(t *testing.T) {
	text := "# c\n[api]\nendpoint = 1\n\"user_id\" = 2\n[auth]\nmode=3\n[ui]\n  theme  =  4\n"
	tests := []struct {
		key  []string
		want int
	}{
		{[]string{"api"}, 2},
		{[]string{"api", "endpoint"}, 3},
		{[]string{"api", "user_id"}, 4},
		{[]string{"auth", "mode"}, 6},
		{[]string{"ui", "theme"}, 8},
		{[]string{"watch", "file"}, 0},
	}
	for _, tt := range tests {
		if got := keyLine(text, tt.key); got != tt.want {
			t.Errorf("keyLine(%v) = %d; want %d", tt.key, got, tt.want)
		}
	}
}

func TestDeprecatedUIBell(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantBell bool
		warning  string // "" for none
	}{
		{"default", "", true, ""},
		{"notify.bell", "[notify]\nbell = false\n", false, ""},
		{"ui.bell still works", "[ui]\ntheme = \"dark\"\nbell = false\n", false, ":3: ui.bell is deprecated; move it to [notify] as bell"},
		{"notify.bell wins", "[ui]\nbell = false\n[notify]\nbell = true\n", true, ":2: ui.bell is ignored because notify.bell is set; delete ui.bell"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, path, err := loadFrom(t, tt.content, nil)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Notify.Bell != tt.wantBell {
				t.Errorf("notify.bell = %v, want %v", cfg.Notify.Bell, tt.wantBell)
			}
			switch {
			case tt.warning == "" && len(cfg.Warnings) > 0:
				t.Errorf("warnings %q, want none", cfg.Warnings)
			case tt.warning != "" && (len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], path+tt.warning)):
				t.Errorf("warnings %q, want one with %q", cfg.Warnings, path+tt.warning)
			}
		})
	}
}
