package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"faxwatch/api"
)

// Config mirrors the config file (config.example.toml) key for key.
type Config struct {
	API    APIConfig    `toml:"api"`
	Auth   AuthConfig   `toml:"auth"`
	Watch  WatchConfig  `toml:"watch"`
	UI     UIConfig     `toml:"ui"`
	Notify NotifyConfig `toml:"notify"`
	Serve  ServeConfig  `toml:"serve"`

	// Path is the file the values came from; "" when none was read.
	Path string `toml:"-"`
	// where names the source of each key set by the file, the environment or
	// a flag ("config /p/config.toml:12", "FAXWATCH_ENDPOINT", "--method"),
	// so a validation error can say where to fix it.
	where map[string]string
	// Warnings are one-line notes about the file that do not stop it being
	// used (a deprecated key).
	Warnings []string
	// overriddenSecretEnv are *_env names a FAXWATCH_* variable replaced:
	// no longer read, but their variables still hold a secret.
	overriddenSecretEnv []string
}

// APIConfig is the [api] table.
type APIConfig struct {
	Endpoint    string   `toml:"endpoint"`
	UserID      string   `toml:"user_id"`
	Format      string   `toml:"format"`
	Method      string   `toml:"method"`
	Timeout     Duration `toml:"timeout"`
	BatchSize   int      `toml:"batch_size"`
	Concurrency int      `toml:"concurrency"`
}

// AuthConfig is the [auth] table.
type AuthConfig struct {
	Mode            string   `toml:"mode"`
	TokenURL        string   `toml:"token_url"`
	ClientID        string   `toml:"client_id"`
	ClientSecret    string   `toml:"client_secret"`
	ClientSecretEnv string   `toml:"client_secret_env"`
	ClientSecretCmd string   `toml:"client_secret_cmd"`
	Scopes          []string `toml:"scopes"`
	Token           string   `toml:"token"`
	TokenEnv        string   `toml:"token_env"`
	TokenCmd        string   `toml:"token_cmd"`
	PIN             string   `toml:"pin"`
	PINEnv          string   `toml:"pin_env"`
	PINCmd          string   `toml:"pin_cmd"`
}

// WatchConfig is the [watch] table.
type WatchConfig struct {
	Interval  Duration `toml:"interval"`
	File      string   `toml:"file"`
	KeepFinal Duration `toml:"keep_final"`
}

// UIConfig is the [ui] table.
type UIConfig struct {
	Theme string `toml:"theme"`
	Bell  bool   `toml:"bell"` // deprecated: notify.bell; read into it with a warning
}

// NotifyConfig is the [notify] table: which changes alert and where.
type NotifyConfig struct {
	On         []string `toml:"on"`
	Bell       bool     `toml:"bell"`
	Desktop    string   `toml:"desktop"`
	Command    []string `toml:"command"`
	StaleAfter Duration `toml:"stale_after"`
}

// Duration is a TOML string such as "20s" parsed by time.ParseDuration.
type Duration struct{ time.Duration }

// UnmarshalText makes the decoder report a bad duration with its key and line.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("invalid duration %q; write it like \"20s\", \"1m30s\" or \"0s\"", string(b))
	}
	d.Duration = v
	return nil
}

// maxConfigBytes bounds the config file read; real ones are a few hundred bytes.
const maxConfigBytes = 1 << 20

// Default returns every key at its documented default.
func Default() Config {
	return Config{
		API: APIConfig{
			Endpoint:    api.DefaultEndpoint,
			Format:      string(api.FormatSOAP11),
			Method:      string(api.MethodGetFaxStatus),
			Timeout:     Duration{api.DefaultTimeout},
			BatchSize:   api.DefaultBatchSize,
			Concurrency: api.DefaultConcurrency,
		},
		Auth:   AuthConfig{Mode: string(api.AuthOAuth2), Scopes: []string{}},
		UI:     UIConfig{Theme: "auto", Bell: true},
		Notify: NotifyConfig{Bell: true, Command: []string{}}, // on, desktop, stale_after: ui/alert's defaults, filled by the command line
		Serve:  DefaultServe(),
		where:  map[string]string{},
	}
}

// Error is one line that names where the problem is and what to do.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func Errorf(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// Location says which file to read and whether the user asked for it
// explicitly (then a missing file is an error for every command).
type Location struct {
	Path     string
	Explicit bool
	Origin   string // "--config", "FAXWATCH_CONFIG" or "default"
}

// Locate applies --config, then $FAXWATCH_CONFIG, then the XDG default.
func Locate(flagPath string, env func(string) string) (Location, error) {
	if flagPath != "" {
		return Location{Path: flagPath, Explicit: true, Origin: "--config"}, nil
	}
	if p := env("FAXWATCH_CONFIG"); p != "" {
		return Location{Path: p, Explicit: true, Origin: "FAXWATCH_CONFIG"}, nil
	}
	dir := env("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := homeDir(env)
		if err != nil {
			return Location{}, Errorf("cannot find the config file: %v; pass --config PATH", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return Location{Path: filepath.Join(dir, "faxwatch", "config.toml"), Origin: "default"}, nil
}

// ExpandHome resolves a leading "~/" the way a shell would.
func ExpandHome(p string, env func(string) string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	home, err := homeDir(env)
	if err != nil {
		return "", Errorf("cannot expand %q: %v; write the full path", p, err)
	}
	return filepath.Join(home, p[1:]), nil
}

func homeDir(env func(string) string) (string, error) {
	if h := env("HOME"); h != "" {
		return h, nil
	}
	return os.UserHomeDir()
}

// errNoConfig marks a missing file at the default place: fine for commands
// that do not talk to the service.
var errNoConfig = errors.New("no config file")

// Load reads the file (if any), applies the environment and checks
// every value, after overrides (command-line flags, may be nil) are applied.
// It does not resolve secrets: see ResolveAuth.
func Load(loc Location, env func(string) string, overrides func(*Config)) (Config, error) {
	cfg := Default()
	err := cfg.readFile(loc)
	switch {
	case errors.Is(err, errNoConfig):
		// Defaults plus the environment; commands that need the service say
		// how to create a file when what they need is missing.
	case err != nil:
		return cfg, err
	}
	cfg.applyEnv(env)
	if overrides != nil {
		overrides(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

func (c *Config) readFile(loc Location) error {
	f, err := os.Open(loc.Path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if loc.Explicit {
				return Errorf("config %s (from %s): no such file; check the path, or create it with: faxwatch config init", loc.Path, loc.Origin)
			}
			return errNoConfig
		}
		return Errorf("config %s: cannot open: %v", loc.Path, unwrapPathError(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Errorf("config %s: cannot stat: %v", loc.Path, unwrapPathError(err))
	}
	if info.IsDir() {
		return Errorf("config %s: is a directory; point --config at the file", loc.Path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return Errorf("config %s: cannot read: %v", loc.Path, unwrapPathError(err))
	}
	if len(data) > maxConfigBytes {
		return Errorf("config %s: larger than 1 MiB; is this the right file?", loc.Path)
	}
	if err := c.decode(loc.Path, data); err != nil {
		return err
	}
	// Like ssh with a private key: a file holding a secret must be the
	// user's alone. Checked on the open file, so no swap in between.
	if c.Auth.ClientSecret != "" || c.Auth.Token != "" || c.Auth.PIN != "" {
		if problem, fix := secretFileProblem(info, loc.Path); problem != "" {
			return Errorf("config %s holds a secret and %s; run: %s", loc.Path, problem, fix)
		}
	}
	// A command faxwatch runs must not be editable by anyone else.
	if c.Auth.ClientSecretCmd != "" || c.Auth.TokenCmd != "" || c.Auth.PINCmd != "" {
		if perm := info.Mode().Perm(); perm&0o022 != 0 {
			return Errorf("config %s names a command to run and is writable by others (mode %04o); run: chmod go-w %s", loc.Path, perm, shellQuote(loc.Path))
		}
	}
	return nil
}

// decode applies the TOML in data on top of c, rejecting unknown keys.
func (c *Config) decode(path string, data []byte) error {
	c.Path = path
	md, err := toml.Decode(string(data), c)
	if err != nil {
		return decodeError(path, err)
	}
	text := string(data)
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		k := undecoded[0]
		where := fileWhere(path, keyLine(text, k))
		if md.Type(k...) == "Hash" {
			return Errorf("%s: unknown table [%s]; the tables are [api], [auth], [watch], [ui], [notify] and [serve] (see config.example.toml)", where, k)
		}
		return Errorf("%s: unknown key %q; check the spelling against config.example.toml", where, k.String())
	}
	for _, k := range md.Keys() {
		if md.Type(k...) != "Hash" {
			c.where[k.String()] = fileWhere(path, keyLine(text, k))
		}
	}
	c.moveDeprecatedBell(md)
	return nil
}

// moveDeprecatedBell keeps ui.bell working: its value moves to notify.bell
// unless that is set too, and a warning says what to change.
func (c *Config) moveDeprecatedBell(md toml.MetaData) {
	if !md.IsDefined("ui", "bell") {
		return
	}
	where := c.where["ui.bell"]
	if md.IsDefined("notify", "bell") {
		c.Warnings = append(c.Warnings, where+": ui.bell is ignored because notify.bell is set; delete ui.bell")
		return
	}
	c.Notify.Bell = c.UI.Bell
	c.where["notify.bell"] = where
	c.Warnings = append(c.Warnings, where+": ui.bell is deprecated; move it to [notify] as bell")
}

func fileWhere(path string, line int) string {
	if line > 0 {
		return fmt.Sprintf("config %s:%d", path, line)
	}
	return "config " + path
}

// decodeError turns the decoder's messages into one line naming file and line.
func decodeError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := firstLine(pe.Message)
		if pe.LastKey != "" && strings.Contains(msg, "duration") {
			return Errorf("%s: %s: %s", fileWhere(path, pe.Position.Line), pe.LastKey, msg)
		}
		return Errorf("%s: %s; fix the TOML syntax (see config.example.toml)", fileWhere(path, pe.Position.Line), msg)
	}
	// Type mismatches come as "toml: line N (last key "k"): incompatible types: ...".
	msg := strings.TrimPrefix(firstLine(err.Error()), "toml: ")
	var line int
	var key, rest string
	if n, _ := fmt.Sscanf(msg, "line %d (last key %q): ", &line, &key); n == 2 {
		if i := strings.Index(msg, "): "); i >= 0 {
			rest = msg[i+3:]
		}
		return Errorf("%s: %s: %s; see config.example.toml for the expected type", fileWhere(path, line), key, rest)
	}
	return Errorf("config %s: %s; see config.example.toml", path, msg)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// envOverrides lists the environment variables that beat the file.
var envOverrides = []struct {
	name string
	key  string
	set  func(c *Config, v string)
}{
	{"FAXWATCH_ENDPOINT", "api.endpoint", func(c *Config, v string) { c.API.Endpoint = v }},
	{"FAXWATCH_USER_ID", "api.user_id", func(c *Config, v string) { c.API.UserID = v }},
	{"FAXWATCH_CLIENT_SECRET", "auth.client_secret", func(c *Config, v string) {
		c.overrideSecretEnv(c.Auth.ClientSecretEnv)
		c.Auth.ClientSecret, c.Auth.ClientSecretEnv, c.Auth.ClientSecretCmd = v, "", ""
	}},
	{"FAXWATCH_TOKEN", "auth.token", func(c *Config, v string) {
		c.overrideSecretEnv(c.Auth.TokenEnv)
		c.Auth.Token, c.Auth.TokenEnv, c.Auth.TokenCmd = v, "", ""
	}},
	{"FAXWATCH_PIN", "auth.pin", func(c *Config, v string) {
		c.overrideSecretEnv(c.Auth.PINEnv)
		c.Auth.PIN, c.Auth.PINEnv, c.Auth.PINCmd = v, "", ""
	}},
}

func (c *Config) overrideSecretEnv(name string) {
	if name != "" {
		c.overriddenSecretEnv = append(c.overriddenSecretEnv, name)
	}
}

func (c *Config) applyEnv(env func(string) string) {
	for _, o := range envOverrides {
		if v := env(o.name); v != "" {
			o.set(c, v)
			c.where[o.key] = "environment " + o.name
		}
	}
}

// origin names where key's value came from, for error messages.
func (c *Config) origin(key string) string {
	if w, ok := c.where[key]; ok {
		return w
	}
	if c.Path != "" {
		return "config " + c.Path
	}
	return "default"
}

func (c *Config) fail(key, format string, args ...any) error {
	return Errorf("%s: %s: %s", c.origin(key), key, fmt.Sprintf(format, args...))
}

// KeyError is err, a broken rule another package owns, said about key with
// where its value came from (file and line, variable or flag).
func (c *Config) KeyError(key string, err error) error {
	return c.fail(key, "%v", err)
}

// SetBy records that source (a flag such as "--interval") set key, for
// KeyError's messages.
func (c *Config) SetBy(key, source string) {
	if c.where == nil {
		c.where = map[string]string{}
	}
	c.where[key] = source
}

// IsSet reports whether the file, the environment or a flag gave key.
func (c *Config) IsSet(key string) bool {
	_, ok := c.where[key]
	return ok
}

// Describe names the config for an error that is not about one key.
func (c *Config) Describe() string {
	if c.Path != "" {
		return "config " + c.Path
	}
	return "config (defaults and environment)"
}

// Validate checks every value that does not depend on the command, except
// watch.interval (see Default).
func (c *Config) Validate() error {
	if !api.Format(c.API.Format).Valid() {
		return c.fail("api.format", "%q is not a format; use soap11, soap12 or json", c.API.Format)
	}
	if !api.Operation(c.API.Method).IsStatusList() {
		return c.fail("api.method", "%q is not a status method; use GetFaxStatus, GetRealTimeFaxStatus, GetRealTimeFaxStatusEx or GetRealTimeFaxStatusEx2", c.API.Method)
	}
	if c.API.Endpoint != "" {
		if err := api.CheckServiceURL(c.API.Endpoint); err != nil {
			return c.KeyError("api.endpoint", err)
		}
	}
	if c.Auth.TokenURL != "" {
		if err := api.CheckServiceURL(c.Auth.TokenURL); err != nil {
			return c.KeyError("auth.token_url", err)
		}
	}
	if err := api.CheckTimeout(c.API.Timeout.Duration); err != nil {
		return c.KeyError("api.timeout", err)
	}
	if err := api.CheckBatchSize(c.API.BatchSize); err != nil {
		return c.KeyError("api.batch_size", err)
	}
	if err := api.CheckConcurrency(c.API.Concurrency); err != nil {
		return c.KeyError("api.concurrency", err)
	}
	switch api.AuthMode(c.Auth.Mode) {
	case api.AuthOAuth2, api.AuthToken, api.AuthPIN:
	default:
		return c.fail("auth.mode", "%q is not an auth mode; use oauth2, token or pin", c.Auth.Mode)
	}
	for i, s := range c.Auth.Scopes {
		if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t\r\n") {
			return c.fail("auth.scopes", "scope %d (%q) is empty or has spaces; list each scope as its own string", i+1, s)
		}
	}
	if err := c.checkSecretSources(); err != nil {
		return err
	}
	if d := c.Watch.KeepFinal.Duration; d < 0 {
		return c.fail("watch.keep_final", "%s is negative; use \"0s\" to keep final jobs or a positive duration", d)
	}
	switch c.UI.Theme {
	case "auto", "dark", "light":
	default:
		return c.fail("ui.theme", "%q is not a theme; use auto, dark or light", c.UI.Theme)
	}
	if err := c.validateServe(); err != nil {
		return err
	}
	return c.validateNotify()
}

// validateNotify checks what config can see of [notify]; the alert kinds,
// desktop styles and stale_after range are ui/alert's rules, which config
// may not import: the command line checks those with KeyError.
func (c *Config) validateNotify() error {
	if len(c.Notify.Command) > 0 && strings.TrimSpace(c.Notify.Command[0]) == "" {
		return c.fail("notify.command", "the program name is blank; write it as a list such as [\"notify-send\", \"faxwatch\"], or [] for none")
	}
	return nil
}

// SecretEnvNames are the variables the *_env keys name, including those a
// FAXWATCH_* override replaced (they still hold a secret): a program faxwatch
// starts (the notify command) must not inherit them.
func (c *Config) SecretEnvNames() []string {
	names := slices.Clone(c.overriddenSecretEnv)
	for _, s := range c.secretSpecs() {
		if s.envName != "" {
			names = append(names, s.envName)
		}
	}
	return names
}

// checkSecretSources allows at most one of value, *_env and *_cmd per secret.
func (c *Config) checkSecretSources() error {
	for _, s := range c.secretSpecs() {
		n := 0
		for _, v := range []string{s.value, s.envName, s.cmd} {
			if v != "" {
				n++
			}
		}
		if n > 1 {
			return c.fail(s.key, "set only one of %s, %s_env and %s_cmd", s.key, s.key, s.key)
		}
	}
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// shellQuote quotes a path for a command the user may paste.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r == '~' || r == '+' || r == ',' || r == ':' || r == '@' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
