package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"time"

	"faxwatch/api"
)

// Limits on a *_cmd secret command (the README states them).
const (
	SecretCmdTimeout   = 5 * time.Second
	SecretCmdMaxStdout = 64 << 10
	secretCmdMaxStderr = 4 << 10
)

// secretSpec is one secret's three possible sources in the config.
type secretSpec struct {
	key     string // "auth.client_secret"
	value   string
	envName string // *_env: the variable holding it
	cmd     string // *_cmd: the command printing it
}

func (c *Config) secretSpecs() []secretSpec {
	a := c.Auth
	return []secretSpec{
		{"auth.client_secret", a.ClientSecret, a.ClientSecretEnv, a.ClientSecretCmd},
		{"auth.token", a.Token, a.TokenEnv, a.TokenCmd},
		{"auth.pin", a.PIN, a.PINEnv, a.PINCmd},
	}
}

func (c *Config) secretSpec(key string) secretSpec {
	for _, s := range c.secretSpecs() {
		if s.key == key {
			return s
		}
	}
	panic("unknown secret key " + key)
}

// ResolveAuth checks what the chosen auth mode needs and fetches only that
// mode's secret: a password manager is never asked for a secret that goes
// unused.
func (c *Config) ResolveAuth(ctx context.Context, env func(string) string) (api.Auth, error) {
	if c.API.Endpoint == "" {
		return api.Auth{}, c.fail("api.endpoint", "is empty; set it to your Concord endpoint (https://...)")
	}
	if c.API.UserID == "" {
		return api.Auth{}, c.fail("api.user_id", "is empty; set it to your Concord user ID (mbx...)")
	}
	auth := api.Auth{Mode: api.AuthMode(c.Auth.Mode), Scopes: c.Auth.Scopes}
	var err error
	switch auth.Mode {
	case api.AuthOAuth2:
		if c.Auth.TokenURL == "" {
			return api.Auth{}, c.fail("auth.token_url", "is empty; oauth2 needs the token endpoint URL (or set auth.mode to token or pin)")
		}
		if c.Auth.ClientID == "" {
			return api.Auth{}, c.fail("auth.client_id", "is empty; oauth2 needs the client ID Concord issued")
		}
		auth.TokenURL, auth.ClientID = c.Auth.TokenURL, c.Auth.ClientID
		auth.ClientSecret, err = c.resolveSecret(ctx, c.secretSpec("auth.client_secret"), env)
	case api.AuthToken:
		auth.Token, err = c.resolveSecret(ctx, c.secretSpec("auth.token"), env)
	case api.AuthPIN:
		auth.PIN, err = c.resolveSecret(ctx, c.secretSpec("auth.pin"), env)
	}
	if err != nil {
		return api.Auth{}, err
	}
	return auth, nil
}

func (c *Config) resolveSecret(ctx context.Context, s secretSpec, env func(string) string) (api.Secret, error) {
	switch {
	case s.value != "":
		return api.NewSecret(s.value), nil
	case s.envName != "":
		v := env(s.envName)
		if v == "" {
			return api.Secret{}, c.fail(s.key+"_env", "names $%s, which is empty or not set; export it before running faxwatch", s.envName)
		}
		return api.NewSecret(v), nil
	case s.cmd != "":
		v, err := runSecretCommand(ctx, s.cmd, c.KnownSecrets(env))
		if err != nil {
			return api.Secret{}, c.fail(s.key+"_cmd", "%v", err)
		}
		return api.NewSecret(v), nil
	default:
		name := "FAXWATCH_" + strings.ToUpper(strings.TrimPrefix(s.key, "auth."))
		return api.Secret{}, c.fail(s.key, "is not set; give %s, %s_env or %s_cmd in the config, or export %s", s.key, s.key, s.key, name)
	}
}

// KnownSecrets lists every secret value the config and the environment
// give, so no message ever repeats one.
func (c *Config) KnownSecrets(env func(string) string) []string {
	var out []string
	for _, s := range c.secretSpecs() {
		out = append(out, s.value)
		if s.envName != "" {
			out = append(out, env(s.envName))
		}
	}
	for _, name := range []string{"FAXWATCH_CLIENT_SECRET", "FAXWATCH_TOKEN", "FAXWATCH_PIN"} {
		out = append(out, env(name))
	}
	return out
}

// runSecretCommand runs a password-manager command without a shell and
// returns its trimmed output. Errors never contain that output, nor any of
// known (see api.ScrubStderrLine).
func runSecretCommand(ctx context.Context, line string, known []string) (string, error) {
	argv, err := splitCommandLine(line)
	if err != nil {
		return "", err
	}
	if len(argv) == 0 {
		return "", errors.New("is blank; give a command such as \"pass show concord\"")
	}
	ctx, cancel := context.WithTimeout(ctx, SecretCmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	stdout := &cappedBuffer{max: SecretCmdMaxStdout}
	stderr := &cappedBuffer{max: secretCmdMaxStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A grandchild holding the pipes open must not hang us past the timeout.
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	name := api.Sanitize(argv[0])
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return "", fmt.Errorf("%q did not finish within %s; check that it runs without a prompt", name, SecretCmdTimeout)
	case errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("%q was not found; check the command or its PATH", name)
	case err != nil:
		msg := fmt.Sprintf("%q failed: %s", name, api.Sanitize(firstLine(err.Error())))
		if e, withheld := api.ScrubStderrLine(stderr.String(), append(known, stdout.String())); e != "" {
			msg += ": " + e
		} else if withheld {
			msg += " " + api.StderrWithheld
		}
		return "", errors.New(msg)
	case stdout.overflow:
		return "", fmt.Errorf("%q printed more than %d KiB; it should print only the secret", name, SecretCmdMaxStdout>>10)
	}
	v := strings.TrimSpace(stdout.String())
	if v == "" {
		return "", fmt.Errorf("%q printed nothing; it should print the secret on standard output", name)
	}
	return v, nil
}

// splitCommandLine splits like a shell without running one: spaces separate,
// quotes group, backslash escapes outside single quotes. No expansion.
func splitCommandLine(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inArg := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inArg = true, true
		case r == '\'' || r == '"':
			quote, inArg = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 || escaped {
		return nil, errors.New("has an unterminated quote or a trailing backslash")
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}

// cappedBuffer keeps the first max bytes and notes whether more came. It
// does not embed bytes.Buffer: its ReadFrom would bypass the cap.
type cappedBuffer struct {
	buf      bytes.Buffer
	max      int
	overflow bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room < len(p) {
		b.overflow = true
		if room > 0 {
			b.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *cappedBuffer) String() string { return b.buf.String() }
