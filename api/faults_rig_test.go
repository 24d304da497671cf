package api_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"faxwatch/api"
	"faxwatch/api/sim"
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

// newFaultSuite is the secret-hygiene check over every scenario, with the
// fixed credentials (and the Basic header made of two of them) in play; the
// rigs add each access token the token endpoint hands out.
func newFaultSuite() *sim.LeakCheck {
	suite := sim.NewLeakCheck()
	suite.Secret(e2eClientSecret, e2ePIN, e2eStaticToken, e2eClientID+":"+e2eClientSecret)
	return suite
}

// apiFault answers a request in place of the healthy server; false falls
// through to the healthy answer.
type apiFault func(w http.ResponseWriter, r *http.Request, req api.Request) bool

// tokenFault answers a token request in place of the healthy endpoint.
type tokenFault func(w http.ResponseWriter, r *http.Request) bool

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

// faultRig is the real api.Client pointed at a Concord stand-in whose
// answers a scenario replaces, plus a client-credentials endpoint, on a
// fake clock. poll makes one Status call and keeps what it returned.
type faultRig struct {
	t      *testing.T
	suite  *sim.LeakCheck
	opts   rigOptions
	clock  *sim.ManualClock // the client's: it moves only when a scenario says
	ids    []api.JobID
	client *api.Client
	api    *httptest.Server
	token  *httptest.Server
	res    *api.Result // the last poll's
	err    error

	fault    atomic.Pointer[apiFault]
	tokFault atomic.Pointer[tokenFault]
	apiCalls atomic.Int32
	tokCalls atomic.Int32

	mu        sync.Mutex
	valid     map[string]bool // bearer tokens the API accepts
	refuseAll bool
	waits     []time.Duration
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
	r := &faultRig{t: t, suite: suite, opts: o, clock: sim.NewManualClock(faultT0), ids: faultIDs, valid: map[string]bool{}}
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
	client, err := api.New(api.Options{
		Endpoint: r.api.URL + "/fax/v5", UserID: e2eUserID, Format: o.format, Timeout: o.timeout,
		MaxBodyBytes: o.maxBody, Auth: auth, Transport: o.transport,
		Now: r.clock.Now, Sleep: r.sleep, Logger: suite.Logger().With("component", "api"),
	})
	if err != nil {
		t.Fatal(err)
	}
	r.client = client
	return r
}

// recordResult keeps every text a caller of the client could show or log.
func recordResult(s *sim.LeakCheck, res *api.Result, err error) {
	if err != nil {
		s.Record(err.Error(), fmt.Sprintf("%v %+v", err, err))
	}
	if res == nil {
		return
	}
	for _, c := range res.Calls {
		s.Record(c.Err, c.ActivityID)
	}
	for _, j := range res.Jobs {
		s.Record(j.Description, j.Error.Message, j.FaxJobID, j.Call.Call.Err, j.Call.WSError.Message)
		if j.Err != nil {
			s.Record(j.Err.Error())
		}
	}
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
	if fp := r.tokFault.Load(); fp != nil && (*fp)(w, req) {
		return
	}
	tok := fmt.Sprintf("at-E2E-SECRET-%d-%d", r.tokCalls.Load(), time.Now().UnixNano())
	r.suite.Secret(tok)
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

// breakAPI and breakToken install a fault from the next request on.
func (r *faultRig) breakAPI(f apiFault)     { r.fault.Store(&f) }
func (r *faultRig) breakToken(f tokenFault) { r.tokFault.Store(&f) }

// revokeTokens makes the API refuse every token issued so far.
func (r *faultRig) revokeTokens() {
	r.mu.Lock()
	clear(r.valid)
	r.mu.Unlock()
}

// start makes one healthy poll, so a scenario starts from a working client
// with a cached token.
func (r *faultRig) start() {
	r.t.Helper()
	r.pollNow()
	if !r.opts.tls { // an untrusted server fails from the first poll
		r.expectFresh()
	}
	r.apiCalls.Store(0)
	r.tokCalls.Store(0)
	r.mu.Lock()
	r.waits = nil
	r.mu.Unlock()
}

// poll lets the interval pass and makes the next call; it returns the wall
// time the call took.
func (r *faultRig) poll() time.Duration {
	r.t.Helper()
	r.clock.Advance(20 * time.Second)
	return r.pollNow()
}

func (r *faultRig) pollNow() time.Duration {
	start := time.Now()
	r.res, r.err = r.client.Status(r.t.Context(), r.ids)
	took := time.Since(start)
	recordResult(r.suite, r.res, r.err)
	return took
}

func (r *faultRig) sleeps() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

// expectFresh: the last poll worked: every job has a fresh answer.
func (r *faultRig) expectFresh() {
	r.t.Helper()
	if r.err != nil || r.res == nil {
		r.t.Fatalf("a good poll failed: %v", r.err)
	}
	for _, j := range r.res.Jobs {
		if !j.Fresh() || j.State != api.StateProcessing {
			r.t.Fatalf("%s after a good poll: %+v", j.JobID, j)
		}
	}
}

// failureLine is what a caller shows of a failed poll: the first batch's
// error, else the call's, sanitised to one line.
func failureLine(res *api.Result, err error) string {
	if res != nil && len(res.Failures) > 0 {
		err = res.Failures[0].Err
	}
	if err == nil {
		return ""
	}
	return api.Sanitize(err.Error())
}

// expectFailed: the poll failed as a whole, no job got a fresh answer, and
// the error reads as wants say. It returns the line.
func (r *faultRig) expectFailed(wants ...string) string {
	r.t.Helper()
	line := failureLine(r.res, r.err)
	if line == "" {
		r.t.Fatalf("the poll did not fail: %+v", r.res)
	}
	r.t.Logf("the caller sees: %s", line)
	for _, w := range wants {
		if !strings.Contains(line, w) {
			r.t.Errorf("error lacks %q:\n%s", w, line)
		}
	}
	if strings.ContainsRune(line, '\n') {
		r.t.Errorf("error of more than one line: %q", line)
	}
	if r.res != nil {
		for _, j := range r.res.Jobs {
			if j.Fresh() {
				r.t.Errorf("%s got a fresh answer from a failed poll: %+v", j.JobID, j)
			}
		}
	}
	return line
}

// expectRequests checks how many API requests and token fetches the failed
// poll made.
func (r *faultRig) expectRequests(apiCalls, tokenCalls int) {
	r.t.Helper()
	if got := int(r.apiCalls.Load()); got != apiCalls {
		r.t.Errorf("%d API requests, want %d", got, apiCalls)
	}
	if got := int(r.tokCalls.Load()); got != tokenCalls {
		r.t.Errorf("%d token fetches, want %d", got, tokenCalls)
	}
}

// faultT0 is where the clock starts; it moves with $FAXWATCH_TEST_EPOCH.
var faultT0 = sim.Epoch(time.Date(2026, 11, 27, 10, 42, 1, 0, time.UTC))

// faultIDs are the rig's watched jobs.
var faultIDs = []api.JobID{"br0000000h00001x", "br0000001h00001x", "br0000002h00001x"}
