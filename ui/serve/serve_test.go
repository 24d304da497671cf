package serve

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"faxwatch/api"
	"faxwatch/ui"
	"faxwatch/watchlist"
)

// One editor pastes; the other session shows the job, and who added it,
// and both headers count two people watching.
func TestTwoSessionsOnePastesTheOtherSees(t *testing.T) {
	r := newRig(t)
	alice, _ := r.openTerm(t, "alice", 120, 30, true)
	carol, _ := r.openTerm(t, "carol", 120, 30, true)
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.Watching == 2 })
	carol.waitFor(t, "2 watching", 5*time.Second)
	id := testJob(1)
	alice.paste(t, string(id))
	carol.waitFor(t, string(id), 5*time.Second)
	carol.waitFor(t, "alice added "+string(id), 5*time.Second)
	// Read through the published state: the store belongs to the hub's goroutine.
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool {
		for i := range st.List.Len() {
			if e := st.List.At(i); e.ID == id {
				return e.AddedBy == "alice"
			}
		}
		return false
	})
}

// A viewer's change keys do nothing and say why; the list is unchanged.
func TestViewerIsRefusedAChange(t *testing.T) {
	r := newRig(t, testJob(1))
	tests := []struct{ name, keys string }{
		{"add key", "a"},
		{"remove key", "x"},
		{"paste", "\x1b[200~" + string(testJob(2)) + "\x1b[201~"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bob, _ := r.openTerm(t, "bob", 120, 30, true)
			bob.waitFor(t, string(testJob(1)), 5*time.Second)
			bob.send(t, tt.keys)
			bob.waitFor(t, "read-only", 5*time.Second)
		})
	}
	if n := r.hub.State().List.Len(); n != 1 {
		t.Fatalf("a viewer changed the list: %d jobs", n)
	}
}

// A key that is not in authorized_keys gets no session; neither does a
// password or keyboard-interactive, even for a known name.
func TestUnknownKeyIsRefused(t *testing.T) {
	r := newRig(t)
	asked := false
	answer := func(string, string, []string, []bool) ([]string, error) {
		asked = true
		return []string{"alice's password"}, nil
	}
	tests := []struct {
		name, user string
		auth       gossh.AuthMethod
	}{
		{"unknown key", "mallory", gossh.PublicKeys(r.keys["mallory"])},
		{"password", "alice", gossh.Password("alice's password")},
		{"keyboard-interactive", "alice", gossh.KeyboardInteractive(answer)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.dialWith(t, tt.user, tt.auth)
			if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
				t.Fatalf("err = %v; want refused", err)
			}
		})
	}
	if asked {
		t.Fatal("the server asked a keyboard-interactive question; it offers public keys only")
	}
}

// clientWindow is what golang.org/x/crypto/ssh lets a channel receive
// unread: 64 packets of 32 KiB. A server that has written this much to a
// client that reads nothing has a session whose next frame cannot go out.
const clientWindow = 64 << 15

// A client that stops reading (its SSH window fills, its session's writes
// block) delays neither the hub nor another session: the others get every
// change and the poller keeps polling.
func TestStalledReaderDelaysNoOne(t *testing.T) {
	var clock *fakeClock
	// Rows as wide as the screen, in wide characters of 3 bytes each, make
	// each frame large.
	src := &fakeSource{batchSize: 50, says: strings.Repeat("传真正在发送第一页共九页", 20)}
	r := newRigWith(t, src, func(o *HubOptions) {
		clock = newFakeClock(t)
		o.Now, o.After, o.Interval = clock.Now, clock.After, 20*time.Second
	}, nil, jobs(300)...)
	t.Cleanup(clock.stop) // before the rig's Shutdown, which waits for the hub's timers
	settledAfterTick(t, r.hub, r.src, clock, 1)
	stalled, stalledConn := r.openTerm(t, "bob", 400, 200, false)
	carol, _ := r.openTerm(t, "carol", 120, 30, true)
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.Watching == 2 })
	carol.waitFor(t, string(testJob(0)), 5*time.Second)

	// Each resize of the unread session is a full 400×200 frame of 200
	// rows; one at a time, so none is merged with the next, until the
	// client's window is spent.
	sent := r.sentTo(t, stalledConn)
	for i := 0; sent.Load() < clientWindow; i++ {
		before := sent.Load()
		if err := stalled.sess.WindowChange(200, 399+i%2); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, 5*time.Second, "a frame for the unread session", func() bool { return sent.Load() > before })
	}
	if err := stalled.sess.WindowChange(200, 400); err != nil { // a frame that cannot fit: its write blocks
		t.Fatal(err)
	}

	for i := range 10 {
		polls := r.src.polls.Load()
		clock.Advance(20 * time.Second)
		clock.fireAll()
		waitUntil(t, 5*time.Second, "poll "+itoa(int(polls+1))+" (the poller stopped)", func() bool {
			st := r.hub.State()
			return r.src.polls.Load() > polls && !st.Poll.InFlight && st.Poll.NextPoll.After(clock.Now())
		})

		id := testJob(1000 + i)
		addWithin(t, r.hub, 2*time.Second, "alice", id)
		carol.waitShows(t, 2*time.Second, "alice added "+string(id))
	}
	// The stall was real: the unread client got no more than its window.
	if n := sent.Load(); n > clientWindow+64<<10 {
		t.Fatalf("the server wrote %d bytes to a client that read nothing; its writes never blocked", n)
	}

	// Its terminal is resized while it is stalled (each a window-change
	// request the server's connection reader hands over), then the
	// connection drops: the server notices, and the session ends.
	for i := range 40 {
		if err := stalled.sess.WindowChange(100+i%2, 300); err != nil {
			t.Fatal(err)
		}
	}
	_ = stalledConn.Close()
	waitUntil(t, 5*time.Second, "end of the stalled session after its connection closed", func() bool { return r.hub.State().Watching == 1 })
}

// addWithin adds id for by, failing the test if the hub takes longer than
// within (a hub stuck behind a session would never return).
func addWithin(t *testing.T, h *Hub, within time.Duration, by string, id api.JobID) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, _, err := h.Add(by, []api.JobID{id})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(within):
		t.Fatalf("adding %s took over %s: the hub waits for a session", id, within)
	}
}

// A connection cut in the middle of a frame ends that session only: the
// count drops and the others keep getting frames.
func TestConnectionKilledMidFrame(t *testing.T) {
	r := newRig(t)
	_, conn := r.openTerm(t, "bob", 300, 100, true)
	carol, _ := r.openTerm(t, "carol", 120, 30, true)
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.Watching == 2 })
	var ids []api.JobID
	for i := range 200 {
		ids = append(ids, testJob(i))
	}
	if _, _, err := r.hub.Add("alice", ids); err != nil { // a big frame on its way
		t.Fatal(err)
	}
	_ = conn.Close()
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.Watching == 1 })
	id := testJob(999)
	if _, _, err := r.hub.Add("alice", []api.JobID{id}); err != nil {
		t.Fatal(err)
	}
	carol.waitFor(t, string(id), 5*time.Second)
}

// SIGTERM's path: every open session reads that faxwatch is restarting,
// the watchlist is saved, and Shutdown reports success (exit 0).
func TestShutdownWithSessionsOpen(t *testing.T) {
	r := newRig(t)
	alice, _ := r.openTerm(t, "alice", 120, 30, true)
	bob, _ := r.openTerm(t, "bob", 120, 30, true)
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.Watching == 2 })
	id := testJob(7)
	alice.paste(t, string(id))
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.List.Len() == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	alice.waitFor(t, RestartingMessage, 5*time.Second)
	bob.waitFor(t, RestartingMessage, 5*time.Second)
	if err := <-r.serve; err != nil {
		t.Fatalf("Serve after Shutdown: %v", err)
	}
	saved, _, err := watchlist.Open(watchlist.Options{Path: r.path})
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := saved.Entry(id); !ok || e.AddedBy != "alice" {
		t.Fatalf("saved entry %+v, %v; want %s added by alice", e, ok, id)
	}
}

// Past the session cap the next dashboard is told to come back later; a
// dashboard without a key press for idle_timeout is closed and told why. The
// idle timer is the test's: a key press re-arms it, and firing it is the
// timeout.
func TestSessionCapAndIdleTimeout(t *testing.T) {
	armed := make(chan *fakeIdleTimer, 4)
	r := newRigWith(t, nil, nil, func(o *Options) {
		o.MaxSessions, o.IdleTimeout = 1, 30*time.Minute
		o.AfterFunc = func(d time.Duration, f func()) IdleTimer {
			ft := &fakeIdleTimer{d: d, fire: f, resets: make(chan time.Duration, 16)}
			armed <- ft
			return ft
		}
	})
	first, _ := r.openTerm(t, "alice", 80, 24, true)
	idle := <-armed
	if idle.d != 30*time.Minute {
		t.Fatalf("idle timer armed for %v; want idle_timeout", idle.d)
	}
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.Watching == 1 })
	second, _ := r.openTerm(t, "carol", 80, 24, false)
	var exit *gossh.ExitError
	if err := second.sess.Wait(); !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Fatalf("a session past the cap: %v; want exit status 1", err)
	}
	for len(idle.resets) > 0 { // only the key below may count
		<-idle.resets
	}
	first.send(t, "j")
	select {
	case d := <-idle.resets:
		if d != 30*time.Minute {
			t.Fatalf("a key press re-armed the timer for %v", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a key press did not re-arm the idle timer")
	}
	idle.fire()
	first.waitFor(t, "closed after 30m0s without a key press", 5*time.Second)
	waitHub(t, r.hub, 5*time.Second, func(st *ui.SharedState) bool { return st.Watching == 0 })
}

// fakeIdleTimer is a session's idle timer that fires when the test says.
type fakeIdleTimer struct {
	d      time.Duration
	fire   func()
	resets chan time.Duration
}

func (f *fakeIdleTimer) Reset(d time.Duration) bool {
	select {
	case f.resets <- d:
	default:
	}
	return true
}

func (f *fakeIdleTimer) Stop() bool { return true }
