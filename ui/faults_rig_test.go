package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"faxwatch/api"
)

// The fault suite's credentials: distinctive, so any leak is found by a
// plain substring search, and obviously fake.
const (
	e2eUserID       = "mbx1234567890"
	e2eClientID     = "faxwatch-e2e-client"
	e2eClientSecret = "cs-E2E-SECRET-9f3b7c1d5a"
	e2ePIN          = "pin-E2E-SECRET-7319"
	e2eStaticToken  = "st-E2E-SECRET-4c2e8a6b0d"
)

// faultSuite collects, across every scenario, what the user and the logs
// could see, for the secret-hygiene check at the end.
type faultSuite struct {
	logBuf lockedBuffer
	logger *slog.Logger

	mu     sync.Mutex
	seen   []string // views, errors, call records
	issued []string // access tokens the token endpoints handed out
}

func newFaultSuite() *faultSuite {
	s := &faultSuite{}
	// The --debug handler shape (JSON, debug level) without main's redactor:
	// api and ui must not hand it a secret in the first place.
	s.logger = slog.New(slog.NewJSONHandler(&s.logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return s
}

func (s *faultSuite) record(text ...string) {
	s.mu.Lock()
	s.seen = append(s.seen, text...)
	s.mu.Unlock()
}

func (s *faultSuite) remember(tok string) {
	s.mu.Lock()
	s.issued = append(s.issued, tok)
	s.mu.Unlock()
}

// secrets returns every credential value and its usual encodings.
func (s *faultSuite) secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	base := append([]string{e2eClientSecret, e2ePIN, e2eStaticToken}, s.issued...)
	var out []string
	for _, v := range base {
		out = append(out, v, base64.StdEncoding.EncodeToString([]byte(v)), url.QueryEscape(v+"/"))
	}
	basic := e2eClientID + ":" + e2eClientSecret
	return append(out, base64.StdEncoding.EncodeToString([]byte(basic)))
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// apiFault answers a request in place of the healthy server; false falls
// through to the healthy answer.
type apiFault func(w http.ResponseWriter, r *http.Request, req api.Request) bool

// rigOptions shape one scenario's client.
type rigOptions struct {
	mode      api.AuthMode  // default oauth2
	format    api.Format    // default soap11
	timeout   time.Duration // per request; default 5s
	noExpiry  bool          // token answers without expires_in
	tokenLife time.Duration // api.Auth.DefaultTokenLifetime
	tls       bool          // serve the API over TLS with an untrusted certificate
	maxBody   int64
	transport http.RoundTripper
}

// faultRig is one dashboard (the real Model through the test harness) on the
// real api.Client, pointed at a Concord stand-in whose answers a scenario
// replaces, plus a client-credentials endpoint.
type faultRig struct {
	t      *testing.T
	suite  *faultSuite
	opts   rigOptions
	h      *harness
	ids    []api.JobID
	client *api.Client
	api    *httptest.Server
	token  *httptest.Server

	fault    atomic.Pointer[apiFault]
	apiCalls atomic.Int32
	tokCalls atomic.Int32

	mu        sync.Mutex
	valid     map[string]bool // bearer tokens the API accepts
	refuseAll bool
	waits     []time.Duration
}

func newFaultRig(t *testing.T, suite *faultSuite, o rigOptions) *faultRig {
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
	r := &faultRig{t: t, suite: suite, opts: o, ids: jobIDs(3), valid: map[string]bool{}}
	r.api = httptest.NewUnstartedServer(http.HandlerFunc(r.serveAPI))
	r.api.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	if o.tls {
		r.api.StartTLS()
	} else {
		r.api.Start()
	}
	t.Cleanup(r.api.Close)
	r.token = httptest.NewServer(http.HandlerFunc(r.serveToken))
	t.Cleanup(r.token.Close)

	auth := api.Auth{Mode: o.mode, DefaultTokenLifetime: o.tokenLife}
	switch o.mode {
	case api.AuthOAuth2:
		auth.TokenURL, auth.ClientID, auth.ClientSecret = r.token.URL+"/oauth2/token", e2eClientID, api.NewSecret(e2eClientSecret)
	case api.AuthPIN:
		auth.PIN = api.NewSecret(e2ePIN)
	case api.AuthToken:
		auth.Token = api.NewSecret(e2eStaticToken)
	}
	src := &recordingSource{suite: suite}
	r.h = newHarness(t, Options{Source: src, Interval: 20 * time.Second, Host: "127.0.0.1", UserID: e2eUserID,
		AuthMode: string(o.mode), Logger: suite.logger.With("component", "ui")}, r.ids...)
	client, err := api.New(api.Options{
		Endpoint: r.api.URL + "/fax/v5", UserID: e2eUserID, Format: o.format, Timeout: o.timeout,
		MaxBodyBytes: o.maxBody, Auth: auth, Transport: o.transport,
		Now: r.h.clock.Now, Sleep: r.sleep, Logger: suite.logger.With("component", "api"),
	})
	if err != nil {
		t.Fatal(err)
	}
	r.client = client
	src.client = client
	r.h.send(tea.WindowSizeMsg{Width: 200, Height: 30}) // room for the whole stale line
	return r
}

// recordingSource passes polls to the client and keeps every error text.
type recordingSource struct {
	client *api.Client
	suite  *faultSuite
}

func (s *recordingSource) Status(ctx context.Context, ids []api.JobID) (*api.Result, error) {
	res, err := s.client.Status(ctx, ids)
	if err != nil {
		s.suite.record(err.Error(), fmt.Sprintf("%v %+v", err, err))
	}
	if res != nil {
		for _, c := range res.Calls {
			s.suite.record(c.Err, c.ActivityID)
		}
		for _, j := range res.Jobs {
			s.suite.record(j.Description, j.Error.Message)
			if j.Err != nil {
				s.suite.record(j.Err.Error())
			}
		}
	}
	return res, err
}

// sleep is the client's backoff clock: it records the wait and returns.
func (r *faultRig) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.mu.Unlock()
	return ctx.Err()
}

func (r *faultRig) serveAPI(w http.ResponseWriter, req *http.Request) {
	r.apiCalls.Add(1)
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	f, ok := api.FormatFromContentType(req.Header.Get("Content-Type"))
	var areq api.Request
	var err error
	if ok {
		areq, err = api.DecodeRequest(f, body)
	}
	if !ok || err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if !r.authorised(req, areq) {
		w.Header().Set("Content-Type", f.ContentType())
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write(api.EncodeFault(f, api.Fault{Code: "Client", Reason: "token not accepted"}))
		return
	}
	if fp := r.fault.Load(); fp != nil && (*fp)(w, req, areq) {
		return
	}
	writeHealthy(w, f, areq)
}

func (r *faultRig) authorised(req *http.Request, areq api.Request) bool {
	switch r.opts.mode {
	case api.AuthPIN:
		return areq.PIN == e2ePIN
	case api.AuthToken:
		return req.Header.Get("Authorization") == "Bearer "+e2eStaticToken
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	tok, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	return !r.refuseAll && r.valid[tok]
}

// healthyAnswer is every asked job in progress.
func healthyAnswer(areq api.Request) api.Response {
	resp := api.Response{Op: areq.Op, Return: true}
	for _, id := range areq.JobIDs {
		resp.Items = append(resp.Items, api.WireItem{FaxJobID: id, StatusID: api.StatusProcessing, Description: "Sending page 1 of 2", PagesSent: 1, PagesTotal: 2})
	}
	return resp
}

func writeHealthy(w http.ResponseWriter, f api.Format, areq api.Request) {
	writeResponse(w, f, healthyAnswer(areq))
}

func writeResponse(w http.ResponseWriter, f api.Format, resp api.Response) {
	body, err := api.EncodeResponse(f, resp)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("x-ch-activity-id", "act-e2e")
	_, _ = w.Write(body)
}

func (r *faultRig) serveToken(w http.ResponseWriter, req *http.Request) {
	r.tokCalls.Add(1)
	_, _ = io.Copy(io.Discard, io.LimitReader(req.Body, 64<<10)) // the server notices a hang-up only after the body
	id, secret, ok := req.BasicAuth()
	if !ok || id != e2eClientID || secret != e2eClientSecret {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client"}`))
		return
	}
	tok := fmt.Sprintf("at-E2E-SECRET-%d-%d", r.tokCalls.Load(), time.Now().UnixNano())
	r.suite.remember(tok)
	r.mu.Lock()
	r.valid[tok] = true
	r.mu.Unlock()
	ans := fmt.Sprintf(`{"access_token":%q,"token_type":"Bearer"`, tok)
	if !r.opts.noExpiry {
		ans += `,"expires_in":3600`
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(ans + "}"))
}

// breakAPI installs a fault from the next request on.
func (r *faultRig) breakAPI(f apiFault) { r.fault.Store(&f) }

// start runs Init: one healthy poll, so the rows have data to keep.
func (r *faultRig) start() {
	r.t.Helper()
	r.h.start()
	if !r.opts.tls { // an untrusted server fails from the first poll
		r.expectFresh()
	}
	r.apiCalls.Store(0)
	r.tokCalls.Store(0)
	r.mu.Lock()
	r.waits = nil
	r.mu.Unlock()
}

// poll lets the interval pass and runs the next poll to its end; it returns
// the wall time the poll took.
func (r *faultRig) poll() time.Duration {
	r.t.Helper()
	r.h.clock.Advance(20 * time.Second)
	start := time.Now()
	if !r.h.fire(tickMsg{}) {
		r.t.Fatal("no interval timer armed")
	}
	return time.Since(start)
}

// view is the screen as the user reads it, recorded for the hygiene check
// together with the styled bytes.
func (r *faultRig) view() string {
	raw := r.h.m.View().Content
	r.suite.record(raw)
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
		e, ok := r.h.store.Entry(id)
		if !ok || e.Last.Stale || e.Last.State != api.StateProcessing {
			r.t.Fatalf("%s after a good poll: %+v", id, e.Last)
		}
	}
}

// expectStale: the poll failed; the header says why in one readable line,
// every row keeps its last answer and is marked stale, nothing was lost.
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
	if !strings.Contains(v, "~ 3 stale") || strings.Count(v, "⟳ processing") < 3 {
		r.t.Errorf("rows blanked or not marked stale:\n%s", v)
	}
	if r.h.store.Len() != len(r.ids) {
		r.t.Errorf("watchlist has %d jobs, want %d", r.h.store.Len(), len(r.ids))
	}
	for _, id := range r.ids {
		e, ok := r.h.store.Entry(id)
		if !ok || !e.Last.Stale || e.Last.State != api.StateProcessing || e.Last.Description != "Sending page 1 of 2" {
			r.t.Errorf("%s lost its last answer or is not stale: %+v", id, e.Last)
		}
	}
	return line
}
