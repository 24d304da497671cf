package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"faxwatch/api/sim"
	"faxwatch/ui/cli/config"
	"faxwatch/ui/serve"
	"faxwatch/watchlist"
)

// servedWorld runs faxwatch serve in-process for alice (an editor) and bob.
type servedWorld struct {
	*world
	cfg    string
	addr   string
	keys   map[string]gossh.Signer
	stop   context.CancelFunc
	code   chan int
	out    *sim.LockedBuffer
	stderr *sim.LockedBuffer
}

func newServedWorld(t *testing.T, srv *sim.Server, running *sim.Running) *servedWorld {
	t.Helper()
	w := servedConfig(t, srv, running)
	w.start(t, "--config", w.cfg, "serve")
	return w
}

// servedConfig writes the config and the keys of alice (an editor) and bob,
// for a server the test starts itself.
func servedConfig(t *testing.T, srv *sim.Server, running *sim.Running) *servedWorld {
	t.Helper()
	w := &servedWorld{world: newWorld(t), keys: map[string]gossh.Signer{}, code: make(chan int, 1), out: &sim.LockedBuffer{}, stderr: &sim.LockedBuffer{}}
	var ak strings.Builder
	for _, name := range []string{"alice", "bob"} {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if w.keys[name], err = gossh.NewSignerFromKey(priv); err != nil {
			t.Fatal(err)
		}
		ak.WriteString(strings.TrimSpace(string(gossh.MarshalAuthorizedKey(w.keys[name].PublicKey()))) + " " + name + "\n")
	}
	akPath := writeFile(t, w.dir, "authorized_keys", ak.String(), 0o600)
	w.cfg = w.configFor(srv, running, "[serve]\nlisten = \"127.0.0.1:0\"\nauthorized_keys = \""+akPath+"\"\neditors = [\"alice\"]\n")
	return w
}

// start runs faxwatch with args (a serve command) until the test ends, and
// waits for it to listen.
func (w *servedWorld) start(t *testing.T, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w.stop = cancel
	go func() {
		w.code <- Run(ctx, args, Stdio{In: strings.NewReader(""), Out: w.out, Err: w.stderr}, envOf(w.env))
	}()
	listening := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(10 * time.Second)
	for w.addr == "" {
		if m := listening.FindStringSubmatch(w.out.String()); m != nil {
			w.addr = m[1]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %q %q", w.out.String(), w.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-w.code: // SIGTERM's path: exit 0, list saved
			if code != ExitOK || !strings.Contains(w.stderr.String(), `"msg":"stopped"`) {
				t.Errorf("serve ended with %d; stderr %q", code, w.stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
}

// ssh runs one command as name; code is its exit status.
func (w *servedWorld) ssh(t *testing.T, name, command string) outcome {
	t.Helper()
	client, err := gossh.Dial("tcp", w.addr, &gossh.ClientConfig{
		User: name, Auth: []gossh.AuthMethod{gossh.PublicKeys(w.keys[name])},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	sess.Stdout, sess.Stderr, sess.Stdin = &out, &errb, strings.NewReader("")
	code := 0
	if err := sess.Run(command); err != nil {
		var exit *gossh.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("%s: %v", command, err)
		}
		code = exit.ExitStatus()
	}
	return outcome{code, out.String(), errb.String()}
}

// status over SSH prints the same JSON document, job for job, and exits
// with the same code as the local command.
func TestServeStatusOverSSHMatchesLocal(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7})
	w := newServedWorld(t, srv, running)
	asked := ids(srv, 5)
	command := "status --format json " + strings.Join(asked, " ")
	remote := w.ssh(t, "bob", command)
	local := w.run("", append([]string{"--config", w.cfg, "status", "--format", "json"}, asked...)...)
	if remote.code != local.code {
		t.Fatalf("exit over SSH %d, locally %d; stderr %q", remote.code, local.code, remote.stderr)
	}
	var rdoc, ldoc map[string]any
	for _, d := range []struct {
		text string
		doc  *map[string]any
	}{{remote.stdout, &rdoc}, {local.stdout, &ldoc}} {
		if err := json.Unmarshal([]byte(d.text), d.doc); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, d.text)
		}
	}
	if !reflect.DeepEqual(keysOf(rdoc), keysOf(ldoc)) {
		t.Fatalf("top-level keys %v over SSH, %v locally", keysOf(rdoc), keysOf(ldoc))
	}
	rjobs, ljobs := rdoc["jobs"].([]any), ldoc["jobs"].([]any)
	if len(rjobs) != len(ljobs) {
		t.Fatalf("%d jobs over SSH, %d locally", len(rjobs), len(ljobs))
	}
	for i := range rjobs {
		rj, lj := rjobs[i].(map[string]any), ljobs[i].(map[string]any)
		if !reflect.DeepEqual(keysOf(rj), keysOf(lj)) || rj["job_id"] != lj["job_id"] {
			t.Errorf("job %d: %v over SSH, %v locally", i, rj, lj)
		}
		if lj["final"] == true && !reflect.DeepEqual(rj, lj) { // a final job's answer never changes
			t.Errorf("final job %d: %v over SSH, %v locally", i, rj, lj)
		}
	}
}

// watch over SSH: an editor's add reaches the shared list; a viewer's is
// refused and says why; the server's own flags are refused.
func TestServeWatchOverSSHChecksRoles(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7})
	w := newServedWorld(t, srv, running)
	id := ids(srv, 1)[0]
	tests := []struct {
		name, user, command string
		code                int
		stderr              string
	}{
		{"viewer add", "bob", "watch add " + id, ExitFailed, "read-only"},
		{"viewer debug flag", "bob", "status --debug /tmp/x " + id, ExitUsage, "--debug is the server's"},
		{"unknown command", "bob", "sim", ExitUsage, "the commands are status and watch"},
		{"editor add", "alice", "watch add " + id, ExitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := w.ssh(t, tt.user, tt.command)
			if o.code != tt.code || !strings.Contains(o.stderr, tt.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", o.code, o.stderr, tt.code, tt.stderr)
			}
		})
	}
	ls := w.ssh(t, "bob", "watch ls --format csv")
	if ls.code != ExitOK || !strings.Contains(ls.stdout, id) {
		t.Fatalf("watch ls over SSH: exit %d, %q; want %s listed", ls.code, ls.stdout, id)
	}
}

// An SSH watch command records who ran it, as the dashboard's keys do: the
// new job's added_by, and note_by for a note set with it.
func TestServeWatchOverSSHRecordsWho(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7})
	w := newServedWorld(t, srv, running)
	both := ids(srv, 2)
	if o := w.ssh(t, "alice", "watch add "+both[0]); o.code != ExitOK {
		t.Fatalf("add: exit %d, %q", o.code, o.stderr)
	}
	if o := w.ssh(t, "alice", `watch add --note "ticket 4411" `+both[1]); o.code != ExitOK {
		t.Fatalf("add with a note: exit %d, %q", o.code, o.stderr)
	}
	path, err := watchlist.DefaultPathFrom(envOf(w.env))
	if err != nil {
		t.Fatal(err)
	}
	entries, _, err := watchlist.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]watchlist.Entry{}
	for _, e := range entries {
		got[e.ID.String()] = e
	}
	tests := []struct{ id, addedBy, note, noteBy string }{
		{both[0], "alice", "", ""},
		{both[1], "alice", "ticket 4411", "alice"},
	}
	for _, tt := range tests {
		e, ok := got[tt.id]
		if !ok {
			t.Fatalf("%s is not in the file: %v", tt.id, entries)
		}
		if e.AddedBy != tt.addedBy || e.Note != tt.note || e.NoteBy != tt.noteBy {
			t.Errorf("%s: added_by %q, note %q by %q; want %q, %q by %q", tt.id, e.AddedBy, e.Note, e.NoteBy, tt.addedBy, tt.note, tt.noteBy)
		}
	}
}

// An SSH watch command tells the server what it did, in its user's name,
// before it returns: every session's toast and the log line say it.
func TestServeWatchOverSSHTellsTheTeam(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7})
	w := newServedWorld(t, srv, running)
	two := ids(srv, 2)
	for _, step := range []struct{ command, logged string }{
		{"watch add " + two[0] + " " + two[1], "alice added 2 jobs with a watch command"},
		{"watch rm " + two[0], "alice removed " + two[0] + " with a watch command"},
		{`watch add --note "ticket 4411" ` + two[1], "alice changed notes with a watch command"},
		{"watch clear", "alice removed " + two[1] + " with a watch command"},
	} {
		if o := w.ssh(t, "alice", step.command); o.code != ExitOK {
			t.Fatalf("%s: exit %d, %q", step.command, o.code, o.stderr)
		}
		if !strings.Contains(w.stderr.String(), `"what":"`+step.logged) {
			t.Fatalf("after %q the server's log lacks %q:\n%s", step.command, step.logged, w.stderr.String())
		}
	}
}

// serve refuses to start without a safe authorized_keys file.
func TestServeRefusesUnsafeAuthorizedKeys(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7})
	tests := []struct {
		name  string
		perm  uint32
		write bool
		want  string
	}{
		{"missing", 0o600, false, "no such file"},
		{"group-writable", 0o620, true, "can be written by others"},
		{"empty", 0o600, true, "has no key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			path := w.dir + "/authorized_keys"
			if tt.write {
				writeFile(t, w.dir, "authorized_keys", "# nobody yet\n", fsMode(tt.perm))
			}
			cfg := w.configFor(srv, running, "[serve]\nlisten = \"127.0.0.1:0\"\nauthorized_keys = \""+path+"\"\n")
			o := w.run("", "--config", cfg, "serve")
			if o.code != ExitUsage || !strings.Contains(o.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", o.code, o.stderr, ExitUsage, tt.want)
			}
		})
	}
}

// The config's [serve] defaults are the server's.
func TestServeDefaultsAgree(t *testing.T) {
	d := config.DefaultServe()
	if d.Listen != serve.DefaultListen || d.IdleTimeout.Duration != serve.DefaultIdleTimeout || d.MaxSessions != serve.DefaultMaxSessions {
		t.Fatalf("config %+v; serve %s %s %d", d, serve.DefaultListen, serve.DefaultIdleTimeout, serve.DefaultMaxSessions)
	}
}

func fsMode(p uint32) os.FileMode { return os.FileMode(p) }

// `faxwatch --demo serve` is the one-line try-out: the ssh command it prints
// connects with the throw-away key it made, and the person behind it is an
// editor whose adds reach the server's list and are recorded as theirs.
func TestDemoServePrintsAWorkingSSHCommand(t *testing.T) {
	w := &servedWorld{world: newWorld(t), keys: map[string]gossh.Signer{}, code: make(chan int, 1), out: &sim.LockedBuffer{}, stderr: &sim.LockedBuffer{}}
	w.start(t, "--demo", "serve")
	m := regexp.MustCompile(`ssh -p \d+ -i (\S+) .* (\w+)@127\.0\.0\.1`).FindStringSubmatch(w.out.String())
	if m == nil {
		t.Fatalf("no ssh command printed: %q", w.out.String())
	}
	keyPath, user := m[1], m[2]
	pem, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if w.keys[user], err = gossh.ParsePrivateKey(pem); err != nil {
		t.Fatal(err)
	}
	id := "br0099999h00001z"
	add := w.ssh(t, user, "watch add "+id)
	if add.code != ExitOK || !strings.Contains(add.stdout, "added 1 job(s)") || strings.Contains(add.stderr, "throw-away") {
		t.Fatalf("watch add over SSH: exit %d, %q, %q", add.code, add.stdout, add.stderr)
	}
	ls := w.ssh(t, user, "watch ls --format json")
	var doc watchDoc
	if err := json.Unmarshal([]byte(ls.stdout), &doc); err != nil || !slices.Contains(jobIDs(doc), id) {
		t.Fatalf("watch ls over SSH: %v; %q", err, ls.stdout)
	}
}
