package ui

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/watchlist"
)

// TestFaults is what the dashboard shows when things go wrong: the real
// api.Client and the dashboard model against api/sim (its fault knobs, or a
// scenario's own answer), one subtest per kind of failure. Each first polls a healthy server (so the
// rows have data), then breaks it, polls again and checks what the user sees
// and that nothing was lost. Then the quit that must not wait, the files
// shared or broken; the last subtest checks that no credential reached a
// log or the screen in any of them.
func TestFaults(t *testing.T) {
	suite := newFaultSuite()
	ran := 0
	for _, sc := range dashboardFaults() {
		t.Run(sc.name, func(t *testing.T) {
			ran++
			r := newFaultRig(t, suite, sc.opts)
			r.start()
			sc.run(t, r)
			for range r.ids { // each detail pane shows its job's call record and errors
				r.h.key("enter")
				r.view()
				r.h.key("esc", "j")
			}
		})
	}
	t.Run("server never answers while the user quits", func(t *testing.T) { blackHoleQuit(t, suite) })
	t.Run("two dashboards and a shell script editing one watchlist", twoDashboardsAndAScript)
	t.Run("crash mid-write", crashMidWrite)
	t.Run("corrupt watchlist", corruptWatchlist)
	t.Run("no secret in logs or on the screen", func(t *testing.T) {
		if ran < len(dashboardFaults()) {
			t.Skip("checks what the whole suite showed: run all of TestFaults")
		}
		if err := suite.Verify(50, 10); err != nil {
			t.Error(err)
		}
	})
}

type clientFault struct {
	name string
	opts rigOptions
	run  func(t *testing.T, r *faultRig)
}

// answerWith answers with a fixed status, content type, body and headers.
func answerWith(code int, contentType, body string, header ...string) apiFault {
	return func(w http.ResponseWriter, _ *http.Request, _ api.Request) bool {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
		return true
	}
}

// dashboardFaults are client failures as the user meets them: one of each
// kind of line the header can show. The client's own handling of these and
// many more is api's TestClientFaults.
func dashboardFaults() []clientFault {
	return append(soapStackFaults(), []clientFault{
		{"no answer in time", rigOptions{timeout: 250 * time.Millisecond}, func(t *testing.T, r *faultRig) {
			r.breakSim(sim.Faults{Hang: true})
			r.poll()
			r.expectStale("network: no answer within 250ms", "retrying in 40s")
		}},
		{"an error body echoing the token", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(func(w http.ResponseWriter, req *http.Request, _ api.Request) bool {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte("rejected " + req.Header.Get("Authorization")))
				return true
			})
			r.poll()
			r.expectStale("HTTP 400 Bad Request: rejected Bearer [REDACTED]")
		}},
		{"a rate limit of a day", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakSim(sim.Faults{RateLimitRate: 1, RetryAfter: 24 * time.Hour})
			r.poll()
			r.expectStale("rate limited until ", "retrying in 1h") // capped at an hour
		}},
		{"the token refused again after the replay", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakSim(sim.Faults{RevokeTokens: true})
			r.poll()
			r.expectStale("authentication failed: the server refused the OAuth token (HTTP 401)")
		}},
		{"a server fault", rigOptions{format: api.FormatSOAP12}, func(t *testing.T, r *faultRig) {
			r.breakSim(sim.Faults{SOAPFault: true})
			r.poll()
			r.expectStale("server fault (Receiver): ")
		}},
		{"status texts with terminal escapes", rigOptions{format: api.FormatJSON}, hostileTexts},
		{"a TLS certificate that does not verify", rigOptions{tls: true, mode: api.AuthPIN}, func(t *testing.T, r *faultRig) {
			r.poll() // start() was a poll too: it already failed
			v := r.view()
			if !strings.Contains(v, "stale since") || !strings.Contains(v, "TLS failed (not retried): x509: certificate signed by unknown authority") {
				t.Errorf("no TLS error on screen:\n%s", v)
			}
		}},
	}...)
}

// ansiSGR is the only escape sequence the dashboard itself writes (colours).
var ansiSGR = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// hostileTexts: every class of terminal escape arrives in status texts, an
// error message, a header and an error body; the screen shows them as
// visible escapes and carries no foreign control sequence.
func hostileTexts(t *testing.T, r *faultRig) {
	texts := []string{
		"CSI \x1b[2J\x1b[31mred\x1b[0m",
		"OSC0 \x1b]0;pwned title\x07 OSC8 \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
		"OSC52 \x1b]52;c;ZXZpbA==\x07 DCS \x1bP1$qm\x1b\\ C1 \u009b2J \u0090x\u009c",
		"CR overwrite\rOK bidi \u202egnp.exe\u202c \u2066iso\u2069 zw\u200bsp",
	}
	r.breakAPI(func(w http.ResponseWriter, _ *http.Request, a api.Request) bool {
		resp := api.Response{Op: a.Op, Return: true}
		for _, id := range a.JobIDs {
			resp.Items = append(resp.Items, api.WireItem{FaxJobID: id})
		}
		for i := range resp.Items {
			resp.Items[i].Description = texts[i%len(texts)]
			resp.Items[i].StatusID = api.StatusFailed
			resp.Items[i].Error = api.WSError{Code: 2008, Message: texts[(i+1)%len(texts)]}
		}
		body, _ := api.EncodeResponse(api.FormatJSON, resp)
		w.Header().Set("Content-Type", api.FormatJSON.ContentType())
		w.Header().Set("x-ch-activity-id", "act\u009b2J\u202e")
		_, _ = w.Write(body)
		return true
	})
	r.poll()
	checkScreen := func(when string) {
		raw := r.h.m.View().Content
		r.suite.Record(raw)
		foreign := ansiSGR.ReplaceAllString(raw, "")
		if i := strings.IndexFunc(foreign, func(c rune) bool {
			return c == 0x1b || c == 0x07 || c == '\r' || (c >= 0x80 && c < 0xa0) || c == 0x202e || c == 0x2066 || c == 0x200b
		}); i >= 0 || !utf8.ValidString(raw) {
			t.Errorf("%s: foreign control on screen at %d: %q", when, i, foreign[max(0, i-20):min(len(foreign), i+20)])
		}
	}
	checkScreen("table")
	v := r.view()
	for _, want := range []string{`\x1b[2J`, `\x1b]0;pwned`} {
		if !strings.Contains(v, want) {
			t.Errorf("the table does not show %q escaped:\n%s", want, v)
		}
	}
	details := ""
	for i := range r.ids {
		r.h.key("enter")
		checkScreen(fmt.Sprint("detail ", i))
		details += r.view()
		r.h.key("esc", "j")
	}
	for _, want := range []string{`\u{009B}2J`, `\u{202E}gnp.exe`, `\x1bP1$qm`, `overwrite\rOK`, `act\u{009B}2J\u{202E}`} {
		if !strings.Contains(details, want) {
			t.Errorf("the detail panes do not show %q escaped:\n%s", want, details)
		}
	}
	// An error body with invalid UTF-8 and escapes lands in the stale line
	// (R: the jobs are final now, only a full refresh asks again).
	r.breakAPI(answerWith(http.StatusBadRequest, "text/plain", "bad \xff\xfe request \x1b[2J\r\u009b"))
	r.h.key("R")
	checkScreen("stale line")
	v = r.view()
	if !strings.Contains(v, `HTTP 400 Bad Request: bad \xff\xfe request \x1b[2J \u{009B}`) {
		t.Errorf("stale line does not show the body escaped:\n%s", v)
	}
}

// blackHoleQuit: a server accepts the connection and never says a word;
// the user presses q; the program ends within a second and the request is
// cancelled on the wire.
func blackHoleQuit(t *testing.T, suite *sim.LeakCheck) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		for c := range accepted {
			_ = c.Close()
		}
	})
	client, err := api.New(api.Options{Endpoint: "http://" + ln.Addr().String() + "/fax/v5", UserID: e2eUserID,
		Timeout: time.Minute, Auth: api.Auth{Mode: api.AuthToken, Token: api.NewSecret(e2eStaticToken)}, Logger: suite.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	clock := newClock()
	store, _, err := watchlist.Open(watchlist.Options{Now: clock.Now, OwnerSaves: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Add(jobIDs(2)...); err != nil {
		t.Fatal(err)
	}
	m := New(Options{Source: client, Store: store, Now: clock.Now, Theme: "dark", Logger: suite.Logger()})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	var conn net.Conn
	select {
	case conn = <-accepted: // Init's poll is on the wire and waiting
	case <-time.After(5 * time.Second):
		t.Fatal("the first poll never connected")
	}
	// Read the whole request, so q is pressed while the call is truly in
	// flight: sent, and waiting for an answer that never comes.
	wire := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	req, err := http.ReadRequest(wire)
	if err != nil {
		t.Fatalf("the first poll's request: %v", err)
	}
	if _, err := io.Copy(io.Discard, req.Body); err != nil {
		t.Fatalf("the first poll's request body: %v", err)
	}
	tm.Send(keyMsg("q"))
	// The call's own timeout is a minute: a quit that waited for it fails here.
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	// The client hung up: the held connection reads EOF (or a reset) soon.
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 4096)
	for {
		if _, err := wire.Read(buf); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Error("the request was not cancelled on the wire")
			}
			break
		}
	}
	_ = conn.Close()
	final := tm.FinalModel(t).(*Model)
	suite.Record(final.View().Content)
}

// twoDashboardsAndAScript: two dashboards on one watchlist file and a third
// writer (what `faxwatch watch add` does: open, Add, which saves under the
// lock) add different jobs between polls; after the next tick every job is
// in both dashboards and on disk, with the answers the polls brought.
func twoDashboardsAndAScript(t *testing.T) {
	path := filepath.Join(t.TempDir(), "watchlist.json")
	open := func(h *harness) *watchlist.Store {
		s, warnings, err := watchlist.Open(watchlist.Options{Path: path, Now: h.clock.Now})
		if err != nil || len(warnings) > 0 {
			t.Fatal(err, warnings)
		}
		return s
	}
	dash := func() *harness {
		h, err := newFileHarness(t, Options{Interval: 20 * time.Second}, path)
		if err != nil || len(h.m.opts.Warnings) > 0 {
			t.Fatal(err, h.m.opts.Warnings)
		}
		h.start()
		return h
	}
	a, b := dash(), dash()
	ids := jobIDs(30)
	for _, h := range []*harness{a, b} {
		h.src.set(status(ids[0], api.StatusSucceeded, "Job completed", 0, ""))
	}
	for round := 0; round < 10; round++ {
		a.send(tea.PasteMsg{Content: "please watch " + string(ids[3*round])})
		b.send(tea.PasteMsg{Content: string(ids[3*round+1]) + "\n"})
		script, _, err := watchlist.Open(watchlist.Options{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := script.Add(ids[3*round+2]); err != nil {
			t.Fatal(err)
		}
		for _, h := range []*harness{a, b} {
			h.clock.Advance(20 * time.Second)
			h.fire(tickMsg{})
		}
	}
	a.clock.Advance(20 * time.Second)
	a.fire(tickMsg{}) // a picks up b's last save
	disk := open(a)
	for name, s := range map[string]*watchlist.Store{"dashboard A": a.store, "dashboard B": b.store, "disk": disk} {
		for _, id := range ids {
			if _, ok := s.Entry(id); !ok {
				t.Errorf("%s lost %s", name, id)
			}
		}
	}
	if e, _ := disk.Entry(ids[0]); e.Last.State != api.StateSucceeded {
		t.Errorf("a poll's answer was lost in the merge: %+v", e.Last)
	}
	if v := b.plain(); !strings.Contains(v, "30 jobs") {
		t.Errorf("dashboard B does not show all 30 jobs:\n%s", v)
	}
}

// crashMidWrite: a writer died after writing half a temp file (the rename
// never happened). The dashboard starts with the last good list, the temp is
// gone, and the next save is whole. The kill itself is exercised across
// processes by watchlist's TestKilledMidSaveLosesNothingSaved and
// TestKilledBeforeRenameKeepsOldFile.
func crashMidWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "watchlist.json")
	ids := jobIDs(3)
	first, _, err := watchlist.Open(watchlist.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := first.Add(ids[:2]...); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	temp := filepath.Join(dir, ".watchlist.json.tmp-crashed")
	if err := os.WriteFile(temp, good[:len(good)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	crashed := t0.Add(-2 * time.Minute) // the writer died two minutes before the dashboard started
	if err := os.Chtimes(temp, crashed, crashed); err != nil {
		t.Fatal(err)
	}
	h, err := newFileHarness(t, Options{}, path)
	if err != nil || len(h.m.opts.Warnings) != 0 {
		t.Fatalf("open after a crash: %v %v", err, h.m.opts.Warnings)
	}
	if v := h.plain(); !strings.Contains(v, "2 jobs") || !strings.Contains(v, string(ids[1])) {
		t.Errorf("the dashboard lost the last good list:\n%s", v)
	}
	if _, err := os.Stat(temp); !os.IsNotExist(err) {
		t.Errorf("the crashed writer's temp file is still there: %v", err)
	}
	h.send(tea.PasteMsg{Content: string(ids[2])})
	again, _, err := watchlist.Open(watchlist.Options{Path: path})
	if err != nil || again.Len() != 3 {
		t.Fatalf("after the next save: %v, %d jobs", err, again.Len())
	}
}

// corruptWatchlist: the file is garbage. The dashboard starts empty with a
// warning saying where the old file went; the file is kept, not overwritten;
// adding works.
func corruptWatchlist(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":        "{\"version\":1,\"jobs\":[{\"id\":\x1b[2J",
		"empty":          "",
		"future version": `{"version":99,"jobs":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "watchlist.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			h, err := newFileHarness(t, Options{}, path)
			if err != nil {
				// A newer version is refused and left alone: say so in one line.
				kept, _ := os.ReadFile(path)
				if name == "future version" && strings.Contains(err.Error(), "upgrade faxwatch") &&
					!strings.Contains(err.Error(), "\n") && string(kept) == content {
					return
				}
				t.Fatalf("open: %v", err)
			}
			h.send(tea.WindowSizeMsg{Width: 200, Height: 40})
			v := h.plain()
			if content != "" && !strings.Contains(v, "was unreadable") {
				t.Errorf("no warning on screen:\n%s", v)
			}
			if strings.ContainsRune(v, 0x1b) {
				t.Errorf("raw escape from the file on screen")
			}
			moved, _ := filepath.Glob(path + ".corrupt-*")
			if content != "" && len(moved) != 1 {
				t.Fatalf("corrupt file not kept aside: %v", moved)
			}
			if len(moved) == 1 {
				if kept, _ := os.ReadFile(moved[0]); string(kept) != content {
					t.Errorf("the corrupt copy was changed: %q", kept)
				}
			}
			h.send(tea.PasteMsg{Content: string(jobIDs(1)[0])})
			again, warnings, err := watchlist.Open(watchlist.Options{Path: path})
			if err != nil || len(warnings) != 0 || again.Len() != 1 {
				t.Errorf("after adding: %v %v, %d jobs", err, warnings, again.Len())
			}
		})
	}
}
