package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"faxwatch/api/sim"
)

// world is a sandbox for one in-process run: HOME and the XDG dirs point into
// a temp dir, so nothing reaches the real user's files.
type world struct {
	t   *testing.T
	dir string
	env map[string]string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	dir := t.TempDir()
	w := &world{t: t, dir: dir, env: map[string]string{
		"HOME":            filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state"),
		"TMPDIR":          os.TempDir(),
	}}
	return w
}

type outcome struct {
	code           int
	stdout, stderr string
}

func (w *world) run(stdin string, args ...string) outcome {
	w.t.Helper()
	return w.runCtx(context.Background(), stdin, args...)
}

// runCtx is run with a context the test may cancel, as Ctrl+C does.
func (w *world) runCtx(ctx context.Context, stdin string, args ...string) outcome {
	w.t.Helper()
	var out, errb bytes.Buffer
	code := Run(ctx, args, Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb}, envOf(w.env))
	return outcome{code, out.String(), errb.String()}
}

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

// simFor starts a simulator for one test.
func simFor(t *testing.T, opts sim.Options) (*sim.Server, *sim.Running) {
	t.Helper()
	srv := sim.New(opts)
	running, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = running.Close() })
	return srv, running
}

// configFor writes a 0600 config pointing at the simulator and returns its path.
func (w *world) configFor(srv *sim.Server, running *sim.Running, extra string) string {
	w.t.Helper()
	c := srv.Credentials()
	text := fmt.Sprintf(`[api]
endpoint = %q
user_id = %q
format = "json"
[auth]
mode = "oauth2"
token_url = %q
client_id = %q
client_secret = %q
%s`, running.Endpoint(), c.UserID, running.TokenURL(), c.ClientID, c.ClientSecret, extra)
	return writeFile(w.t, w.dir, "config.toml", text, 0o600)
}

func ids(srv *sim.Server, n int) []string {
	var out []string
	for _, id := range srv.DemoWatchlist()[:n] {
		out = append(out, id.String())
	}
	return out
}

var jobKeys = []string{"job_id", "fax_job_id", "status_id", "state", "description", "error_code", "error_message", "final"}

func keysOf(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

func sorted(s ...string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestStatusJSONShape(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "")
	asked := ids(srv, 5)
	// Ask in reverse order, with a duplicate: the output keeps the asked order, once each.
	args := []string{"status", "--config", cfg, "--format", "json"}
	for i := len(asked) - 1; i >= 0; i-- {
		args = append(args, asked[i])
	}
	args = append(args, asked[0])
	o := w.run("", args...)
	if o.code != ExitOK {
		t.Fatalf("exit %d, stderr %q", o.code, o.stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, o.stdout)
	}
	if got := keysOf(doc); !reflect.DeepEqual(got, sorted("jobs", "ws_error", "calls")) {
		t.Fatalf("top-level keys %v", got)
	}
	jobs := doc["jobs"].([]any)
	if len(jobs) != len(asked) {
		t.Fatalf("%d jobs for %d distinct IDs", len(jobs), len(asked))
	}
	states := map[string]bool{"succeeded": true, "failed": true, "processing": true, "invalid": true, "unknown": true, "no_answer": true}
	for i, j := range jobs {
		job := j.(map[string]any)
		if got := keysOf(job); !reflect.DeepEqual(got, sorted(jobKeys...)) {
			t.Fatalf("job keys %v", got)
		}
		if job["job_id"] != asked[len(asked)-1-i] {
			t.Errorf("job %d is %v; want %s (asked order)", i, job["job_id"], asked[len(asked)-1-i])
		}
		if !states[job["state"].(string)] {
			t.Errorf("state %v", job["state"])
		}
	}
	if got := keysOf(doc["ws_error"].(map[string]any)); !reflect.DeepEqual(got, sorted("code", "message")) {
		t.Errorf("ws_error keys %v", got)
	}
	calls := doc["calls"].([]any)
	if len(calls) == 0 {
		t.Fatal("no calls")
	}
	if got := keysOf(calls[0].(map[string]any)); !reflect.DeepEqual(got, sorted("request_id", "activity_id", "execution_ms", "jobs")) {
		t.Errorf("call keys %v", got)
	}
}

func TestStatusRichMethodAddsFields(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "")
	tests := []struct {
		method string
		extra  []string
	}{
		{"GetFaxStatus", nil},
		{"GetRealTimeFaxStatus", []string{"pages_sent", "pages_total"}},
		{"GetRealTimeFaxStatusEx", []string{"pages_sent", "pages_total", "delivered_at", "duration_s", "remote_csid"}},
		{"GetRealTimeFaxStatusEx2", []string{"pages_sent", "pages_total", "delivered_at", "duration_s", "remote_csid", "reference_id"}},
	}
	for _, tt := range tests {
		o := w.run("", "status", "--config", cfg, "--method", tt.method, ids(srv, 1)[0])
		if o.code != ExitOK {
			t.Fatalf("%s: exit %d %s", tt.method, o.code, o.stderr)
		}
		var doc struct{ Jobs []map[string]any }
		if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil {
			t.Fatal(err)
		}
		want := sorted(append(slices.Clone(jobKeys), tt.extra...)...)
		if got := keysOf(doc.Jobs[0]); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: keys %v; want %v", tt.method, got, want)
		}
	}
}

func TestStatusCSVAndTable(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "")
	asked := ids(srv, 6)

	o := w.run("", append([]string{"status", "--config", cfg, "--format", "csv"}, asked...)...)
	if o.code != ExitOK {
		t.Fatalf("csv: exit %d %s", o.code, o.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(o.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[0], csvHeader) || strings.Join(rows[0], ",") != "job_id,status_id,state,description,error_code,error_message" {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows) != len(asked)+1 {
		t.Fatalf("%d rows for %d jobs", len(rows)-1, len(asked))
	}
	for i, r := range rows[1:] {
		if r[0] != asked[i] {
			t.Errorf("row %d is %s; want %s", i, r[0], asked[i])
		}
	}

	o = w.run("", append([]string{"status", "--config", cfg, "--format", "table"}, asked...)...)
	if o.code != ExitOK {
		t.Fatalf("table: exit %d %s", o.code, o.stderr)
	}
	lines := strings.Split(strings.TrimRight(o.stdout, "\n"), "\n")
	if len(lines) != len(asked)+1 || !strings.HasPrefix(lines[0], "JOB ID") {
		t.Fatalf("table:\n%s", o.stdout)
	}
	if strings.ContainsRune(o.stdout, 0x1b) {
		t.Error("colour in a table that is not on a terminal")
	}
	if !strings.Contains(o.stdout, "✓ succeeded") && !strings.Contains(o.stdout, "✗ failed") {
		t.Errorf("no glyph+word state:\n%s", o.stdout)
	}
}

func TestStatusDefaultFormatIsJSONOffTerminal(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	o := w.run("", "status", "--config", w.configFor(srv, running, ""), ids(srv, 1)[0])
	if o.code != ExitOK || !json.Valid([]byte(o.stdout)) {
		t.Fatalf("exit %d, output %q", o.code, o.stdout)
	}
}

func TestStatusReadsTicketTextFromStdin(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "")
	asked := ids(srv, 3)
	ticket := fmt.Sprintf("Hi team,\nthe faxes %s, %s failed?\nAlso br9x and (%s).\nThanks, brown\n", asked[0], strings.ToUpper(asked[1]), asked[2])
	for _, args := range [][]string{{"status", "--config", cfg}, {"status", "--config", cfg, "-"}} {
		o := w.run(ticket, args...)
		if o.code != ExitOK {
			t.Fatalf("%v: exit %d %s", args, o.code, o.stderr)
		}
		var doc struct {
			Jobs []struct {
				JobID string `json:"job_id"`
			}
		}
		if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, j := range doc.Jobs {
			got = append(got, j.JobID)
		}
		if !reflect.DeepEqual(got, asked) {
			t.Errorf("%v: jobs %v; want %v", args, got, asked)
		}
		if !strings.Contains(o.stderr, `skipped "br9x": not a job ID`) {
			t.Errorf("stderr %q lacks the skipped token", o.stderr)
		}
		if strings.Contains(o.stderr, "brown") {
			t.Errorf("prose reported as a bad ID: %q", o.stderr)
		}
	}
}

func TestStatusInvalidArgumentsReported(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "")
	o := w.run("", "status", "--config", cfg, "hello", ids(srv, 1)[0], "br1")
	if o.code != ExitOK {
		t.Fatalf("exit %d: %s", o.code, o.stderr)
	}
	for _, tok := range []string{`skipped "hello"`, `skipped "br1"`} {
		if !strings.Contains(o.stderr, tok) {
			t.Errorf("stderr %q lacks %s", o.stderr, tok)
		}
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestStatusExitCodes(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7})
	id := ids(srv, 1)[0]
	closed := freePort(t)

	tests := []struct {
		name   string
		setup  func(w *world) []string // returns args
		faults sim.Faults
		code   int
		stderr string
	}{
		{"answered", func(w *world) []string { return []string{"status", "--config", w.configFor(srv, running, ""), id} }, sim.Faults{}, 0, ""},
		{"invalid job still answered", func(w *world) []string {
			return []string{"status", "--config", w.configFor(srv, running, ""), "br0000000x99999q"}
		}, sim.Faults{}, 0, ""},
		{"closed port", func(w *world) []string {
			return []string{"status", "--config", w.configFor(srv, running, ""), id}
		}, sim.Faults{}, 1, "connection refused"},
		{"return=false", func(w *world) []string { return []string{"status", "--config", w.configFor(srv, running, ""), id} },
			sim.Faults{ReturnFalse: true}, 1, "return=false"},
		{"auth refused", func(w *world) []string {
			return []string{"status", "--config", w.configFor(srv, running, ""), id}
		}, sim.Faults{}, 1, "authentication failed"},
		{"no valid ID", func(w *world) []string {
			return []string{"status", "--config", w.configFor(srv, running, ""), "nothing-here"}
		}, sim.Faults{}, 2, "no valid job ID"},
		{"bad flag", func(w *world) []string { return []string{"status", "--frobnicate", id} }, sim.Faults{}, 2, "unknown flag --frobnicate for status; see faxwatch status --help"},
		{"bad format", func(w *world) []string { return []string{"status", "--format", "xml", id} }, sim.Faults{}, 2, "use table, json or csv"},
		{"unknown command", func(w *world) []string { return []string{"stauts"} }, sim.Faults{}, 2, `unknown command "stauts"`},
		{"bad config", func(w *world) []string {
			return []string{"status", "--config", writeFile(t, w.dir, "bad.toml", "[api]\nbatch_size = 0\n", 0o600), id}
		}, sim.Faults{}, 2, "api.batch_size"},
		{"no config at the default place", func(w *world) []string { return []string{"status", id} }, sim.Faults{}, 2, "try: faxwatch --demo"},
		{"help", func(w *world) []string { return []string{"status", "-h"} }, sim.Faults{}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			args := tt.setup(w)
			switch tt.name {
			case "closed port":
				cfg := strings.ReplaceAll(mustRead(t, args[2]), strings.TrimPrefix(running.URL, "http://"), closed)
				writeFile(t, w.dir, "config.toml", cfg, 0o600)
			case "auth refused":
				cfg := strings.ReplaceAll(mustRead(t, args[2]), srv.Credentials().ClientSecret, "wrong-secret")
				writeFile(t, w.dir, "config.toml", cfg, 0o600)
			}
			srv.SetFaults(tt.faults)
			defer srv.SetFaults(sim.Faults{})
			o := w.run("", args...)
			if o.code != tt.code {
				t.Fatalf("exit %d; want %d (stderr %q)", o.code, tt.code, o.stderr)
			}
			if !strings.Contains(o.stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", o.stderr, tt.stderr)
			}
			if tt.code != 0 && strings.Count(strings.TrimRight(o.stderr, "\n"), "\n") > 1 {
				t.Errorf("more than a line and a hint on stderr: %q", o.stderr)
			}
		})
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStatusPartialFailure: some batches answered, others not: the answered
// jobs are printed, the failure reported, exit 1. A proxy in front of the
// simulator refuses (HTTP 400, not retried) every batch holding one job.
func TestStatusPartialFailure(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	asked := ids(srv, 4)
	target, _ := url.Parse(running.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte(asked[1])) {
			http.Error(rw, "refused", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(rw, r)
	}))
	defer front.Close()
	c := srv.Credentials()
	cfg := writeFile(t, w.dir, "partial.toml", fmt.Sprintf("[api]\nendpoint = %q\nuser_id = %q\nformat = \"json\"\nbatch_size = 1\n[auth]\nmode = \"pin\"\npin = %q\n",
		front.URL+"/fax/v5", c.UserID, c.PIN), 0o600)
	o := w.run("", append([]string{"status", "--config", cfg}, asked...)...)
	if o.code != ExitFailed {
		t.Fatalf("exit %d; want 1 (stderr %q)", o.code, o.stderr)
	}
	if !strings.Contains(o.stderr, "1 job(s) got no answer: HTTP 400") {
		t.Errorf("stderr %q", o.stderr)
	}
	var doc struct {
		Jobs []struct {
			JobID string `json:"job_id"`
			State string `json:"state"`
			Error string `json:"error"`
		}
	}
	if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil {
		t.Fatalf("%v: %q", err, o.stdout)
	}
	if len(doc.Jobs) != len(asked) {
		t.Fatalf("%d jobs printed for %d asked", len(doc.Jobs), len(asked))
	}
	for i, j := range doc.Jobs {
		failed := i == 1
		if failed != (j.State == "no_answer" && j.Error != "") {
			t.Errorf("job %d: %+v", i, j)
		}
	}
}

// TestStatusSanitisesServerText: hostile status texts reach no output format
// as raw control characters.
func TestStatusSanitisesServerText(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "")
	srv.SetFaults(sim.Faults{Hostile: true})
	for _, format := range []string{"table", "csv", "json"} {
		o := w.run("", append([]string{"status", "--config", cfg, "--format", format}, ids(srv, 10)...)...)
		if o.code != ExitOK {
			t.Fatalf("%s: exit %d %s", format, o.code, o.stderr)
		}
		for _, r := range o.stdout {
			if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) || r == 0x202e || r == 0x200b {
				t.Fatalf("%s: raw control %U in output:\n%q", format, r, o.stdout)
			}
		}
	}
}

func TestFlagsBeforeOrAfterCommand(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	cfg := w.configFor(srv, running, "")
	id := ids(srv, 1)[0]
	for _, args := range [][]string{
		{"--config", cfg, "status", "--format", "csv", id},
		{"status", id, "--format", "csv", "--config", cfg},
		{"status", "--format=csv", id, "-config=" + cfg},
		{"--config=" + cfg, "status", "--format", "csv", "--", id},
	} {
		o := w.run("", args...)
		if o.code != ExitOK || !strings.HasPrefix(o.stdout, "job_id,") {
			t.Errorf("%v: exit %d stdout %q stderr %q", args, o.code, o.stdout, o.stderr)
		}
	}
	// After "--" nothing is a flag.
	o := w.run("", "status", "--config", cfg, "--", "--format")
	if o.code != ExitUsage || !strings.Contains(o.stderr, `skipped "--format"`) {
		t.Errorf("after --: exit %d stderr %q", o.code, o.stderr)
	}
}

func TestVersionAndHelp(t *testing.T) {
	w := newWorld(t)
	o := w.run("", "--version")
	if o.code != 0 || !strings.HasPrefix(o.stdout, "faxwatch ") {
		t.Errorf("--version: %+v", o)
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"help", "status"}, {"watch", "-h"}, {"sim", "-h"}, {"help", "sim"}} {
		o := w.run("", args...)
		if o.code != 0 || !strings.Contains(o.stdout, "USAGE") || o.stderr != "" {
			t.Errorf("%v: %+v", args, o)
		}
	}
	if o := w.run("", "sim", "-h"); !strings.Contains(o.stdout, "--jobs") {
		t.Errorf("sim -h lacks the simulator's flags:\n%s", o.stdout)
	}
	if o := w.run("", "help", "nope"); o.code != ExitUsage {
		t.Errorf("help nope: %+v", o)
	}
	if o := w.run("", "--interval", "5s", "status"); o.code != ExitUsage || !strings.Contains(o.stderr, "dashboard only") {
		t.Errorf("--interval with status: %+v", o)
	}
}

func TestDashboardNeedsATerminal(t *testing.T) {
	w := newWorld(t)
	o := w.run("", "--demo")
	if o.code != ExitUsage || !strings.Contains(o.stderr, "needs a terminal") {
		t.Errorf("%+v", o)
	}
}

// TestDebugLogRedactsSecrets runs a PIN-mode look-up with --debug and checks
// the log exists, is private, has records and holds no secret.
func TestDebugLogRedactsSecrets(t *testing.T) {
	w := newWorld(t)
	srv, running := simFor(t, sim.Options{Seed: 7})
	c := srv.Credentials()
	cfg := writeFile(t, w.dir, "pin.toml", fmt.Sprintf("[api]\nendpoint = %q\nuser_id = %q\n[auth]\nmode = \"pin\"\npin_env = \"MY_PIN\"\n",
		running.Endpoint(), c.UserID), 0o600)
	w.env["MY_PIN"] = c.PIN
	logPath := filepath.Join(w.dir, "debug.log")
	o := w.run("", append([]string{"status", "--config", cfg, "--debug", logPath}, ids(srv, 3)...)...)
	if o.code != ExitOK {
		t.Fatalf("exit %d %s", o.code, o.stderr)
	}
	info, err := os.Stat(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v", info.Mode().Perm())
	}
	log := mustRead(t, logPath)
	if strings.Count(log, "\n") < 2 {
		t.Errorf("log has too few records:\n%s", log)
	}
	if strings.Contains(log, c.PIN) || strings.Contains(o.stderr, c.PIN) || strings.Contains(o.stdout, c.PIN) {
		t.Error("the PIN leaked")
	}
	if !strings.Contains(o.stderr, "deprecated") && !strings.Contains(log, "deprecated") {
		t.Log("no PIN deprecation notice seen (api decides)")
	}
}

func TestDebugLogUnwritable(t *testing.T) {
	w := newWorld(t)
	o := w.run("", "watch", "ls", "--debug", filepath.Join(w.dir, "no", "such", "dir", "log"))
	if o.code != ExitUsage || !strings.Contains(o.stderr, "--debug") {
		t.Errorf("%+v", o)
	}
}

func TestSimCommandBanner(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	var errb bytes.Buffer
	go func() {
		done <- Run(ctx, []string{"sim", "--listen", "127.0.0.1:0", "--jobs", "5", "--seed", "3"}, Stdio{In: strings.NewReader(""), Out: pw, Err: &errb}, envOf(w.env))
		pw.Close()
	}()
	buf := make([]byte, 0, 4096)
	tmp := make([]byte, 4096)
	for strings.Count(string(buf), "\n") < 7 {
		n, err := pr.Read(tmp)
		if err != nil {
			t.Fatalf("read banner: %v (have %q)", err, buf)
		}
		buf = append(buf, tmp[:n]...)
	}
	lines := strings.Split(strings.TrimRight(string(buf), "\n"), "\n")
	want := []string{"endpoint", "token_url", "user_id", "client_id", "client_secret", "pin", "jobs"}
	for i, k := range want {
		if !strings.HasPrefix(lines[i], k+": ") {
			t.Fatalf("line %d is %q; want %s: ...", i, lines[i], k)
		}
	}
	if !strings.HasPrefix(lines[0], "endpoint: http://127.0.0.1:") || len(strings.Fields(lines[6])) != 6 {
		t.Errorf("banner:\n%s", buf)
	}
	// The banner is enough to talk to it.
	endpoint := strings.TrimPrefix(lines[0], "endpoint: ")
	cfg := fmt.Sprintf("[api]\nendpoint = %q\nuser_id = %q\n[auth]\ntoken_url = %q\nclient_id = %q\nclient_secret = %q\n",
		endpoint, strings.TrimPrefix(lines[2], "user_id: "), strings.TrimPrefix(lines[1], "token_url: "),
		strings.TrimPrefix(lines[3], "client_id: "), strings.TrimPrefix(lines[4], "client_secret: "))
	p := writeFile(t, w.dir, "c.toml", cfg, 0o600)
	if o := w.run("", "status", "--config", p, strings.Fields(lines[6])[1]); o.code != ExitOK {
		t.Errorf("status against the sim command: %+v", o)
	}
	cancel()
	if code := <-done; code != ExitOK {
		t.Errorf("sim exit %d: %s", code, errb.String())
	}
}

func TestSimRefusesNonLoopback(t *testing.T) {
	w := newWorld(t)
	o := w.run("", "sim", "--listen", "0.0.0.0:0")
	if o.code == ExitOK || !strings.Contains(o.stderr, "loopback") {
		t.Errorf("%+v", o)
	}
}
