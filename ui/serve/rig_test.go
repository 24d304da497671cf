package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/watchlist"
)

// fakeSource answers every job "processing" at once and counts the calls a
// real client would make (one per batch of batchSize).
type fakeSource struct {
	batchSize int
	final     bool             // answer succeeded (nothing left to poll) instead of processing
	says      string           // the description; "" is "Sending"
	now       func() time.Time // the answer's time; nil: the clock
	calls     atomic.Int64
	polls     atomic.Int64

	mu     sync.Mutex
	failed map[api.JobID]bool // answered failed, 4001 Line busy, from now on
}

// fail makes ids fail at the next poll.
func (f *fakeSource) fail(ids ...api.JobID) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failed == nil {
		f.failed = map[api.JobID]bool{}
	}
	for _, id := range ids {
		f.failed[id] = true
	}
}

func (f *fakeSource) Status(_ context.Context, ids []api.JobID) (*api.Result, error) {
	f.polls.Add(1)
	res := &api.Result{Return: true}
	now := time.Now()
	if f.now != nil {
		now = f.now()
	}
	for i := 0; i < len(ids); i += f.batchSize {
		f.calls.Add(1)
		res.Calls = append(res.Calls, api.Call{HTTPStatus: 200, At: now, Jobs: min(f.batchSize, len(ids)-i)})
	}
	statusID, state := api.StatusProcessing, api.StateProcessing
	if f.final {
		statusID, state = api.StatusSucceeded, api.StateSucceeded
	}
	says := f.says
	if says == "" {
		says = "Sending"
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		js := api.JobStatus{JobID: id, StatusID: statusID, State: state, Description: says, Call: api.CallInfo{Return: true}}
		if f.failed[id] {
			js.StatusID, js.State, js.Description = api.StatusFailed, api.StateFailed, "Busy"
			js.Error = api.WSError{Code: 4001, Message: "Line busy"}
		}
		res.Jobs = append(res.Jobs, js)
	}
	return res, nil
}

// rig is a loopback server with two editors (alice, carol) and a viewer
// (bob), each with a key of their own, and mallory's key unknown to it.
type rig struct {
	hub   *Hub
	srv   *Server
	addr  string
	src   *fakeSource
	path  string
	keys  map[string]gossh.Signer
	serve chan error
	// sent counts the bytes the server wrote to each connection, by the
	// client's address.
	sent sync.Map  // string -> *atomic.Int64
	logs *logLines // the hub's log, when a test keeps it
	// plainClients leaves out each client's terminal emulator: benchmarks
	// measure the server, and an emulator's screen and scrollback would
	// count as its memory and CPU.
	plainClients bool
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newRig(t testing.TB, seed ...api.JobID) *rig { return newRigWith(t, nil, nil, nil, seed...) }

// newRigWith is newRig with a source of its own (nil: processing jobs)
// and changes to the hub's and the server's options.
func newRigWith(t testing.TB, src *fakeSource, hubOpts func(*HubOptions), serverOpts func(*Options), seed ...api.JobID) *rig {
	t.Helper()
	return newRigOn(t, nil, src, hubOpts, serverOpts, seed...)
}

// newRigOn is newRigWith whose list takes its time from storeNow (nil:
// the clock).
func newRigOn(t testing.TB, storeNow func() time.Time, src *fakeSource, hubOpts func(*HubOptions), serverOpts func(*Options), seed ...api.JobID) *rig {
	t.Helper()
	dir := t.TempDir()
	r := &rig{src: &fakeSource{batchSize: 50}, path: filepath.Join(dir, "watchlist.json"), keys: map[string]gossh.Signer{}, serve: make(chan error, 1)}
	var authorized strings.Builder
	for _, name := range []string{"alice", "bob", "carol", "mallory"} {
		r.keys[name] = newSigner(t)
		if name != "mallory" {
			authorized.WriteString(strings.TrimSpace(string(gossh.MarshalAuthorizedKey(r.keys[name].PublicKey()))) + " " + name + "\n")
		}
	}
	akPath := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(akPath, []byte(authorized.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ak, err := LoadAuthorizedKeys(akPath)
	if err != nil {
		t.Fatal(err)
	}
	store, _, err := watchlist.Open(watchlist.Options{Path: r.path, OwnerSaves: true, Now: storeNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(seed) > 0 {
		if _, _, err := store.Add(seed...); err != nil {
			t.Fatal(err)
		}
	}
	if src != nil {
		r.src = src
	}
	ho := HubOptions{Source: r.src, Store: store, Interval: time.Hour}
	if hubOpts != nil {
		hubOpts(&ho)
	}
	r.hub = NewHub(ho)
	r.hub.Start()
	r.srv, err = newServerWith(Options{
		Listen: "127.0.0.1:0", HostKey: newSigner(t), AuthorizedKeys: ak, Editors: []string{"alice", "carol"},
		Hub: r.hub, Dashboard: ui.Options{Theme: "dark", Host: "test"}, ConnBurst: 200,
	}, serverOpts)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = l.Addr().String()
	go func() { r.serve <- r.srv.Serve(countingListener{l, r}) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.srv.Shutdown(ctx)
	})
	return r
}

// countingListener counts what the server writes to each connection.
type countingListener struct {
	net.Listener
	r *rig
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	n, _ := l.r.sent.LoadOrStore(c.RemoteAddr().String(), new(atomic.Int64))
	return countingConn{c, n.(*atomic.Int64)}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// sentTo is the count of bytes the server wrote to the client on conn
// (conn is the client's end, as dial gives it).
func (r *rig) sentTo(t testing.TB, conn net.Conn) *atomic.Int64 {
	t.Helper()
	n, ok := r.sent.Load(conn.LocalAddr().String())
	if !ok {
		t.Fatalf("the server has no connection from %s", conn.LocalAddr())
	}
	return n.(*atomic.Int64)
}

// dial connects as name with name's key; conn is the raw connection, for
// killing it.
func (r *rig) dial(t testing.TB, name string) (*gossh.Client, net.Conn, error) {
	t.Helper()
	return r.dialAuth(t, name, gossh.PublicKeys(r.keys[name]))
}

// dialWith connects as user with auth.
func (r *rig) dialWith(t testing.TB, user string, auth gossh.AuthMethod) (*gossh.Client, error) {
	t.Helper()
	c, _, err := r.dialAuth(t, user, auth)
	return c, err
}

func (r *rig) dialAuth(t testing.TB, user string, auth gossh.AuthMethod) (*gossh.Client, net.Conn, error) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", r.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &gossh.ClientConfig{
		User: user, Auth: []gossh.AuthMethod{auth},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	}
	c, chans, reqs, err := gossh.NewClientConn(conn, r.addr, cfg)
	if err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	client := gossh.NewClient(c, chans, reqs)
	t.Cleanup(func() { _ = client.Close() })
	return client, conn, nil
}

// term is one dashboard over SSH: what it printed, the screen that made
// (a terminal emulator, as the frames only carry what changed), and its
// keyboard.
type term struct {
	sess   *gossh.Session
	in     io.Writer
	mu     sync.Mutex
	out    bytes.Buffer
	screen *vt.Emulator
	more   chan struct{}
}

// openTerm opens the dashboard for name in an xterm. read false leaves the
// output unread: a stalled client.
func (r *rig) openTerm(t testing.TB, name string, w, h int, read bool) (*term, net.Conn) {
	t.Helper()
	return r.openTermOn(t, name, "xterm-256color", nil, w, h, read)
}

// openTermOn is openTerm on a pty of type termType, with env (name, value
// pairs) sent as ssh's SendEnv would.
func (r *rig) openTermOn(t testing.TB, name, termType string, env []string, w, h int, read bool) (*term, net.Conn) {
	t.Helper()
	client, conn, err := r.dial(t, name)
	if err != nil {
		t.Fatalf("dial as %s: %v", name, err)
	}
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	tm := &term{sess: sess, more: make(chan struct{}, 1)}
	if !r.plainClients {
		tm.screen = vt.NewEmulator(w, h)
		go func() { _, _ = io.Copy(io.Discard, tm.screen) }() // its answers to queries; the dashboard needs none
	}
	if tm.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(env); i += 2 {
		if err := sess.Setenv(env[i], env[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.RequestPty(termType, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	if read {
		go tm.pump(out)
	}
	return tm, conn
}

func (tm *term) pump(out io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := out.Read(buf)
		tm.mu.Lock()
		tm.out.Write(buf[:n])
		if tm.screen != nil {
			_, _ = tm.screen.Write(buf[:n])
		}
		tm.mu.Unlock()
		select {
		case tm.more <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// output is everything the session printed so far.
func (tm *term) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()
}

// waitFor waits (bounded) until the output holds text; it fails the test
// with the tail of the output otherwise.
func (tm *term) waitFor(t testing.TB, text string, within time.Duration) {
	t.Helper()
	tm.waitForSince(t, 0, text, within)
}

// waitForSince is waitFor on the output after its first since bytes.
func (tm *term) waitForSince(t testing.TB, since int, text string, within time.Duration) {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		tm.mu.Lock()
		found := bytes.Contains(tm.out.Bytes()[since:], []byte(text))
		tail := tm.out.String()
		tm.mu.Unlock()
		if found {
			return
		}
		select {
		case <-tm.more:
		case <-deadline.C:
			if len(tail) > 2000 {
				tail = tail[len(tail)-2000:]
			}
			t.Fatalf("no %q within %s; output ends %q", text, within, tail)
		}
	}
}

// waitScreen waits (bounded) until the screen, as plain text, satisfies
// ok; it fails the test with the screen otherwise.
func (tm *term) waitScreen(t testing.TB, within time.Duration, what string, ok func(screen string) bool) {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		tm.mu.Lock()
		screen := tm.screen.String()
		tm.mu.Unlock()
		if ok(screen) {
			return
		}
		select {
		case <-tm.more:
		case <-deadline.C:
			t.Fatalf("the screen did not show %s within %s:\n%s", what, within, screen)
		}
	}
}

// waitShows waits (bounded) until the screen shows text.
func (tm *term) waitShows(t testing.TB, within time.Duration, text string) {
	t.Helper()
	tm.waitScreen(t, within, strconv.Quote(text), func(screen string) bool { return strings.Contains(screen, text) })
}

func (tm *term) send(t testing.TB, s string) {
	t.Helper()
	if _, err := io.WriteString(tm.in, s); err != nil {
		t.Fatal(err)
	}
}

func (tm *term) paste(t testing.TB, s string) { tm.send(t, "\x1b[200~"+s+"\x1b[201~") }

// waitHub waits (bounded) until the hub's state satisfies ok.
func waitHub(t testing.TB, h *Hub, within time.Duration, ok func(*ui.SharedState) bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok(h.State()) {
		if time.Now().After(deadline) {
			t.Fatalf("hub state not reached within %s", within)
		}
		time.Sleep(time.Millisecond)
	}
}

func testJob(n int) api.JobID {
	return api.JobID(fmt.Sprintf("br7%06dx", n))
}

func newServerWith(o Options, change func(*Options)) (*Server, error) {
	if change != nil {
		change(&o)
	}
	return NewServer(o)
}

// waitUntil waits (bounded) until ok; it fails the test naming what did not
// happen.
func waitUntil(t testing.TB, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s", what, within)
		}
		time.Sleep(time.Millisecond)
	}
}
