package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/ui/cli/config"
	"faxwatch/watchlist"
)

// The end-to-end fault suite's config and secret scenarios, through Run
// as a user's shell would drive it. The client and dashboard scenarios are
// ui's TestFaults.

// Distinctive, obviously fake credentials for the simulator.
const (
	faultClientSecret = "cs-MAIN-SECRET-6a1f0e9d42"
	faultPIN          = "pin-MAIN-SECRET-8841"
)

// tokenTap serves a simulator and remembers every access token it issues.
type tokenTap struct {
	sim    *sim.Server
	srv    *httptest.Server
	mu     sync.Mutex
	issued []string
}

// echo modes: a server that repeats the credentials it was sent in its
// error answer, so the check below has something to catch.
const (
	echoNone  = ""
	echoAPI   = "api"   // 400 with the Authorization header and the request body (PIN)
	echoToken = "token" // the token endpoint's 401 repeats the client secret
)

func newTokenTap(t *testing.T, faults sim.Faults, echo ...string) *tokenTap {
	t.Helper()
	tap := &tokenTap{sim: sim.New(sim.Options{Seed: 11, ClientSecret: faultClientSecret, PIN: faultPIN, Faults: faults})}
	mode := echoNone
	if len(echo) > 0 {
		mode = echo[0]
	}
	tap.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fax/v5" && mode == echoAPI {
			body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, "rejected %s %s", r.Header.Get("Authorization"), strings.Join(strings.Fields(string(body)), " "))
			return
		}
		if r.URL.Path == "/oauth2/token" && mode == echoToken {
			_, secret, _ := r.BasicAuth()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = fmt.Fprintf(w, `{"error":"invalid_client","error_description":"secret %s is revoked (%s)"}`, secret, r.Header.Get("Authorization"))
			return
		}
		if r.URL.Path != "/oauth2/token" {
			tap.sim.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		tap.sim.ServeHTTP(rec, r)
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal(rec.Body.Bytes(), &tok) == nil && tok.AccessToken != "" {
			tap.mu.Lock()
			tap.issued = append(tap.issued, tok.AccessToken)
			tap.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(tap.srv.Close)
	return tap
}

// config writes a config for mode (oauth2 or pin) whose secret comes from
// the environment variable FAULT_SECRET, with the given format and extra lines.
func (tap *tokenTap) config(t *testing.T, w *world, name, mode, format, extra string) string {
	t.Helper()
	c := tap.sim.Credentials()
	text := fmt.Sprintf("[api]\nendpoint = %q\nuser_id = %q\nformat = %q\ntimeout = \"2s\"\n[auth]\nmode = %q\n",
		tap.srv.URL+"/fax/v5", c.UserID, format, mode)
	switch mode {
	case "oauth2":
		text += fmt.Sprintf("token_url = %q\nclient_id = %q\nclient_secret_env = \"FAULT_SECRET\"\n", tap.srv.URL+"/oauth2/token", c.ClientID)
		w.env["FAULT_SECRET"] = faultClientSecret
	case "pin":
		text += "pin_env = \"FAULT_PIN\"\n"
		w.env["FAULT_PIN"] = faultPIN
	}
	return writeFile(t, w.dir, name, text+extra, 0o600)
}

// faultJobIDs are well-formed job IDs the simulator does not know.
func faultJobIDs(n, group int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("br%02d%03dh00001x", group, i)
	}
	return out
}

func TestFaultsConfigAndSecrets(t *testing.T) {
	t.Run("a config readable by others", func(t *testing.T) {
		w := newWorld(t)
		tap := newTokenTap(t, sim.Faults{})
		c := tap.sim.Credentials()
		cfg := writeFile(t, w.dir, "loose.toml", fmt.Sprintf("[api]\nendpoint = %q\nuser_id = %q\n[auth]\ntoken_url = %q\nclient_id = %q\nclient_secret = %q\n",
			tap.srv.URL+"/fax/v5", c.UserID, tap.srv.URL+"/oauth2/token", c.ClientID, faultClientSecret), 0o644)
		o := w.run("", "status", "--config", cfg, "--format", "json", faultJobIDs(1, 0)[0])
		wantLine := "faxwatch: config " + cfg + " holds a secret and is readable by others (mode 0644); run: chmod 600 " + cfg + "\n"
		if o.code != ExitUsage || o.stderr != wantLine || o.stdout != "" {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", o.code, o.stdout, o.stderr, wantLine)
		}
		if tap.sim.Calls() != 0 || tap.sim.TokenCalls() != 0 {
			t.Errorf("the secret was used anyway: %d calls, %d token fetches", tap.sim.Calls(), tap.sim.TokenCalls())
		}
		if strings.Contains(o.stderr, faultClientSecret) {
			t.Error("the refusal shows the secret")
		}
	})
	t.Run("a missing secret command", func(t *testing.T) {
		w := newWorld(t)
		tap := newTokenTap(t, sim.Faults{})
		cfg := tap.config(t, w, "cmd.toml", "oauth2", "json", "")
		text := strings.Replace(mustRead(t, cfg), `client_secret_env = "FAULT_SECRET"`, `client_secret_cmd = "/nonexistent/faxwatch-vault get concord"`, 1)
		cfg = writeFile(t, w.dir, "cmd.toml", text, 0o600)
		o := w.run("", "status", "--config", cfg, faultJobIDs(1, 0)[0])
		if o.code != ExitUsage || strings.Count(o.stderr, "\n") != 1 ||
			!strings.Contains(o.stderr, "auth.client_secret_cmd") || !strings.Contains(o.stderr, "/nonexistent/faxwatch-vault") {
			t.Errorf("exit %d, stderr %q; want exit 2 and one line naming the key and the command", o.code, o.stderr)
		}
		if tap.sim.Calls() != 0 || tap.sim.TokenCalls() != 0 {
			t.Errorf("went to the network without a secret")
		}
	})
	t.Run("no way to switch TLS checks off", func(t *testing.T) {
		w := newWorld(t)
		tap := newTokenTap(t, sim.Faults{})
		for _, key := range []string{"insecure_skip_verify = true", "tls_verify = false", "insecure = true"} {
			cfg := tap.config(t, w, "tls.toml", "oauth2", "json", "")
			cfg = writeFile(t, w.dir, "tls.toml", strings.Replace(mustRead(t, cfg), "[auth]", key+"\n[auth]", 1), 0o600)
			o := w.run("", "status", "--config", cfg, faultJobIDs(1, 0)[0])
			if o.code != ExitUsage || !strings.Contains(o.stderr, "unknown key") {
				t.Errorf("%s: exit %d, stderr %q", key, o.code, o.stderr)
			}
		}
	})
	t.Run("two dashboards and a shell script editing one watchlist", func(t *testing.T) {
		// The dashboards' side (Reload, Apply, Save on ticks) is ui's
		// TestFaults; here the script is the real `faxwatch watch add`,
		// racing two stores that save after every add.
		w := newWorld(t)
		path, err := watchlist.DefaultPathFrom(envOf(w.env))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for g := 1; g <= 2; g++ {
			wg.Go(func() {
				s, _, err := watchlist.Open(watchlist.Options{Path: path})
				if err != nil {
					errs <- err
					return
				}
				for _, id := range faultJobIDs(15, g) {
					if _, _, err := s.Add(api.JobID(id)); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		for _, id := range faultJobIDs(15, 3) {
			if o := w.run("", "watch", "add", id); o.code != ExitOK {
				t.Errorf("watch add %s: %+v", id, o)
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got := map[string]bool{}
		for _, id := range jobIDs(w.watchLS()) {
			got[id] = true
		}
		for g := 1; g <= 3; g++ {
			for _, id := range faultJobIDs(15, g) {
				if !got[id] {
					t.Errorf("%s lost", id)
				}
			}
		}
	})
}

// TestSecretHygiene runs `faxwatch status` with --debug against every
// simulator fault, in OAuth and PIN mode, in JSON (and, for OAuth, table and CSV), and checks
// that no credential (client secret, PIN, issued access token, or their
// base64 and URL-encoded forms) is in the JSON, the table, stderr or the
// debug log. ui's TestFaults does the same for the dashboard's screen.
func TestSecretHygiene(t *testing.T) {
	type run struct {
		fault sim.Faults
		echo  string
	}
	runsOf := map[string]run{
		"healthy":                          {},
		"error rate":                       {fault: sim.Faults{ErrorRate: 1}},
		"rate limited":                     {fault: sim.Faults{RateLimitRate: 1, RetryAfter: time.Hour}},
		"truncate":                         {fault: sim.Faults{Truncate: true}},
		"malformed":                        {fault: sim.Faults{Malformed: true}},
		"html":                             {fault: sim.Faults{HTML: true}},
		"soap fault":                       {fault: sim.Faults{SOAPFault: true}},
		"return false":                     {fault: sim.Faults{ReturnFalse: true}},
		"oversize":                         {fault: sim.Faults{Oversize: true}},
		"omit items":                       {fault: sim.Faults{OmitItems: true}},
		"hostile":                          {fault: sim.Faults{Hostile: true}},
		"revoked tokens":                   {fault: sim.Faults{RevokeTokens: true}},
		"redirect":                         {fault: sim.Faults{Redirect: true}},
		"empty body":                       {fault: sim.Faults{EmptyBody: true}},
		"wrong content type":               {fault: sim.Faults{WrongContentType: true}},
		"server echoes the credentials":    {echo: echoAPI},
		"token endpoint echoes the secret": {echo: echoToken},
	}
	var (
		seen   []string
		issued []string
		runs   int
	)
	for name, r := range runsOf {
		for _, mode := range []string{"oauth2", "pin"} {
			format := map[string]string{"oauth2": "json", "pin": "soap11"}[mode]
			w := newWorld(t)
			tap := newTokenTap(t, r.fault, r.echo)
			cfg := tap.config(t, w, "config.toml", mode, format, "")
			logPath := filepath.Join(w.dir, "debug.log")
			args := append([]string{"status", "--config", cfg, "--debug", logPath, "--format", "json"}, ids(tap.sim, 4)...)
			o := w.run("", args...)
			runs++
			echoed := r.echo == echoAPI || r.echo == echoToken && mode == "oauth2"
			if o.code != ExitOK && o.code != ExitFailed || echoed && o.code == ExitOK {
				t.Errorf("%s/%s: exit %d: %s", name, mode, o.code, o.stderr)
			}
			seen = append(seen, o.stdout, o.stderr, mustRead(t, logPath))
			if mode == "oauth2" { // the human formats, once per fault
				for _, f := range []string{"table", "csv"} {
					out := w.run("", append([]string{"status", "--config", cfg, "--format", f}, ids(tap.sim, 2)...)...)
					seen = append(seen, out.stdout, out.stderr)
				}
			}
			tap.mu.Lock()
			issued = append(issued, tap.issued...)
			tap.mu.Unlock()
		}
	}
	if len(issued) < 10 {
		t.Fatalf("only %d tokens issued in %d runs: the OAuth runs did not happen", len(issued), runs)
	}
	if all := strings.Join(seen, ""); !strings.Contains(all, `"level":"DEBUG"`) || !strings.Contains(all, `"jobs"`) {
		t.Fatal("no debug records or no JSON output: the check would prove nothing")
	}
	secrets := []string{faultClientSecret, faultPIN}
	secrets = append(secrets, issued...)
	var forms []string
	for _, s := range secrets {
		forms = append(forms, s, base64.StdEncoding.EncodeToString([]byte(s)), url.QueryEscape(s+"/"))
	}
	c := sim.New(sim.Options{Seed: 11}).Credentials()
	forms = append(forms, base64.StdEncoding.EncodeToString([]byte(c.ClientID+":"+faultClientSecret)))
	for _, text := range seen {
		for _, s := range forms {
			if strings.Contains(text, s) {
				t.Errorf("secret %q leaked:\n%s", s, text)
			}
		}
	}
}

// TestDocumentedLimits pins the limits the README's Reliability section
// states; change both together.
func TestDocumentedLimits(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"response body cap", api.DefaultMaxBodyBytes, 4 << 20},
		{"attempts per call", api.DefaultMaxAttempts, 3},
		{"longest Retry-After waited for", api.DefaultMaxRetryWait, 30 * time.Second},
		{"per-request timeout", api.DefaultTimeout, 20 * time.Second},
		{"token lifetime without expires_in", api.DefaultTokenLifetime, 30 * time.Minute},
		{"watchlist lock wait", watchlist.DefaultLockTimeout, 5 * time.Second},
		{"history per job", watchlist.HistoryLimit, 50},
		{"secret command timeout", config.SecretCmdTimeout, 5 * time.Second},
		{"secret command output cap", config.SecretCmdMaxStdout, 64 << 10},
	} {
		if c.got != c.want {
			t.Errorf("%s is %v; the README says %v", c.name, c.got, c.want)
		}
	}
}
