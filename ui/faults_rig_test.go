package ui

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
	"faxwatch/api/sim"
	"faxwatch/watchlist"
)

// Credentials of the black-hole case, which needs no simulator: distinctive,
// so any leak is found by a plain substring search, and obviously fake.
const (
	e2eUserID      = "mbx1234567890"
	e2eStaticToken = "st-E2E-SECRET-4c2e8a6b0d"
)

// newFaultSuite is the secret-hygiene check over every scenario, with the
// black-hole case's token in play; the rigs add the simulator's credentials
// and each access token they see.
func newFaultSuite() *sim.LeakCheck {
	suite := sim.NewLeakCheck()
	suite.Secret(e2eStaticToken)
	return suite
}

// apiFault answers a /fax/v5 request in place of the simulator; false falls
// through to it.
type apiFault func(w http.ResponseWriter, r *http.Request, req api.Request) bool

// rigOptions shape one scenario's client.
type rigOptions struct {
	mode    api.AuthMode  // default oauth2
	format  api.Format    // default soap11
	timeout time.Duration // per request; default 5s
	tls     bool          // serve over TLS with an untrusted certificate
}

// faultRig is one dashboard (the real Model through the test harness) on
// the real api.Client, pointed at api/sim on the dashboard's clock. A
// scenario breaks it with the simulator's fault knobs, or answers a request
// itself (breakAPI).
type faultRig struct {
	t      *testing.T
	suite  *sim.LeakCheck
	opts   rigOptions
	h      *harness
	sim    *sim.Server
	srv    *httptest.Server
	ids    []api.JobID
	before map[api.JobID]watchlistRow // after the healthy poll: the jobs a tick polls
	shown  map[api.JobID]watchlistRow // after the healthy poll: every job

	fault atomic.Pointer[apiFault]
}

// watchlistRow is what a row showed: a failed poll must not change it.
type watchlistRow struct {
	state api.State
	desc  string
}

func newFaultRig(t *testing.T, suite *sim.LeakCheck, o rigOptions) *faultRig {
	t.Helper()
	if o.mode == "" {
		o.mode = api.AuthOAuth2
	}
	if o.format == "" {
		o.format = api.FormatSOAP11
	}
	if o.timeout == 0 {
		o.timeout = 5 * time.Second
	}
	r := &faultRig{t: t, suite: suite, opts: o}
	clock := newClock()
	r.sim = sim.New(sim.Options{Seed: 14, Jobs: 6, Clock: clock})
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	r.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	if o.tls {
		r.srv.StartTLS()
	} else {
		r.srv.Start()
	}
	t.Cleanup(r.srv.Close)
	creds := r.sim.Credentials()
	suite.Secret(creds.ClientSecret, creds.PIN)
	auth := api.Auth{Mode: o.mode}
	switch o.mode {
	case api.AuthOAuth2:
		auth.TokenURL, auth.ClientID, auth.ClientSecret = r.srv.URL+"/oauth2/token", creds.ClientID, api.NewSecret(creds.ClientSecret)
	case api.AuthPIN:
		auth.PIN = api.NewSecret(creds.PIN)
	}
	client, err := api.New(api.Options{
		Endpoint: r.srv.URL + "/fax/v5", UserID: creds.UserID, Format: o.format, Timeout: o.timeout, Auth: auth,
		Now: clock.Now, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		Logger: suite.Logger().With("component", "api"),
	})
	if err != nil {
		t.Fatal(err)
	}
	r.ids = r.sim.JobIDs()
	store, _, _ := watchlist.Open(watchlist.Options{Now: clock.Now, OwnerSaves: true})
	if _, _, err := store.Add(r.ids...); err != nil {
		t.Fatal(err)
	}
	r.h = harnessOn(t, Options{Source: client, Interval: 20 * time.Second, Host: "127.0.0.1", UserID: creds.UserID,
		AuthMode: string(o.mode), Logger: suite.Logger().With("component", "ui")}, clock, store)
	r.h.send(tea.WindowSizeMsg{Width: 200, Height: 30}) // room for the whole stale line
	return r
}

// serve hands every request to the simulator unless a scenario's fault
// answers it; it remembers the access tokens it sees. The body is read
// first: the server notices a client hanging up only after it, and a hung
// answer must end when the client gives up.
func (r *faultRig) serve(w http.ResponseWriter, req *http.Request) {
	if tok, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok {
		r.suite.Secret(tok)
	}
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	req.Body = io.NopCloser(bytes.NewReader(body))
	if fp := r.fault.Load(); fp != nil && req.URL.Path == "/fax/v5" {
		f, _ := api.FormatFromContentType(req.Header.Get("Content-Type"))
		if areq, err := api.DecodeRequest(f, body); err == nil && (*fp)(w, req, areq) {
			return
		}
	}
	r.sim.ServeHTTP(w, req)
}

// breakAPI installs a fault from the next request on.
func (r *faultRig) breakAPI(f apiFault) { r.fault.Store(&f) }

// healthyAnswer is every asked job in progress.
func healthyAnswer(areq api.Request) api.Response {
	resp := api.Response{Op: areq.Op, Return: true}
	for _, id := range areq.JobIDs {
		resp.Items = append(resp.Items, api.WireItem{FaxJobID: id, StatusID: api.StatusProcessing, Description: "Sending page 1 of 2", PagesSent: 1, PagesTotal: 2})
	}
	return resp
}

func writeResponse(w http.ResponseWriter, f api.Format, resp api.Response) {
	body, err := api.EncodeResponse(f, resp)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", f.ContentType())
	_, _ = w.Write(body)
}

// breakSim sets the simulator's fault knobs.
func (r *faultRig) breakSim(f sim.Faults) { r.sim.SetFaults(f) }

// start runs Init: one healthy poll, so the rows have data to keep.
func (r *faultRig) start() {
	r.t.Helper()
	r.h.start()
	if !r.opts.tls { // an untrusted server fails from the first poll
		r.expectFresh()
	}
	r.before, r.shown = map[api.JobID]watchlistRow{}, map[api.JobID]watchlistRow{}
	for _, id := range r.ids {
		e, _ := r.h.store.Entry(id)
		r.shown[id] = watchlistRow{e.Last.State, e.Last.Description}
		if !e.Last.State.Final() {
			r.before[id] = r.shown[id]
		}
	}
	if len(r.before) == 0 && !r.opts.tls {
		r.t.Fatal("every simulated job is final: a failed poll would test nothing")
	}
}

// poll lets the interval pass and runs the next poll to its end.
func (r *faultRig) poll() {
	r.t.Helper()
	r.h.clock.Advance(20 * time.Second)
	if !r.h.fire(tickMsg{}) {
		r.t.Fatal("no interval timer armed")
	}
}

// view is the screen as the user reads it, recorded for the hygiene check
// together with the styled bytes.
func (r *faultRig) view() string {
	raw := r.h.m.View().Content
	r.suite.Record(raw)
	return ansi.Strip(raw)
}

// expectFresh: the last poll worked; no stale line, nothing stale.
func (r *faultRig) expectFresh() {
	r.t.Helper()
	v := r.view()
	if strings.Contains(v, "stale since") || strings.Contains(v, " stale") {
		r.t.Fatalf("a good poll left the dashboard stale:\n%s", v)
	}
	for _, id := range r.ids {
		if e, ok := r.h.store.Entry(id); !ok || e.Last.Stale || e.Last.State == "" {
			r.t.Fatalf("%s after a good poll: %+v", id, e.Last)
		}
	}
}

// expectStale: the poll failed; the header says why in one readable line,
// every polled row keeps its last answer and is marked stale, nothing was
// lost. It returns the line.
func (r *faultRig) expectStale(wants ...string) string {
	r.t.Helper()
	v := r.view()
	line := ""
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "⚠ stale since ") {
			line = l
		}
	}
	if line == "" {
		r.t.Fatalf("no stale line in the header:\n%s", v)
	}
	r.t.Logf("the user sees: %s", strings.TrimSpace(line))
	for _, w := range wants {
		if !strings.Contains(line, w) {
			r.t.Errorf("stale line lacks %q:\n%s", w, line)
		}
	}
	if !strings.Contains(v, "~ "+itoa(len(r.before))+" stale") {
		r.t.Errorf("the %d polled rows are not marked stale:\n%s", len(r.before), v)
	}
	if r.h.store.Len() != len(r.ids) {
		r.t.Errorf("watchlist has %d jobs, want %d", r.h.store.Len(), len(r.ids))
	}
	for id, was := range r.before {
		e, ok := r.h.store.Entry(id)
		if !ok || !e.Last.Stale || (watchlistRow{e.Last.State, e.Last.Description}) != was {
			r.t.Errorf("%s lost its last answer %+v or is not stale: %+v", id, was, e.Last)
		}
	}
	return line
}
