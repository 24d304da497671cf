package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// apiServer is a small test-only Concord: it decodes whatever format it is
// sent and, unless a scenario overrides it, answers every ID with status 1.
type apiServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []seenRequest
	// scenario may write its own answer; returning false falls back to the default.
	scenario func(w http.ResponseWriter, r *http.Request, req Request, n int) bool
}

type seenRequest struct {
	Header http.Header
	Req    Request
	Format Format
}

func newAPIServer(t *testing.T, scenario func(w http.ResponseWriter, r *http.Request, req Request, n int) bool) *apiServer {
	t.Helper()
	s := &apiServer{scenario: scenario}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *apiServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f, ok := FormatFromContentType(r.Header.Get("Content-Type"))
	var req Request
	var err error
	if ok {
		req, err = DecodeRequest(f, body)
	}
	s.mu.Lock()
	n := len(s.requests)
	s.requests = append(s.requests, seenRequest{Header: r.Header.Clone(), Req: req, Format: f})
	s.mu.Unlock()
	if !ok || err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(EncodeFault(FormatSOAP11, Fault{Code: "Client", Reason: fmt.Sprint("bad request: ", err)}))
		return
	}
	if s.scenario != nil && s.scenario(w, r, req, n) {
		return
	}
	writeAnswer(w, f, echoAnswer(req))
}

func (s *apiServer) seen() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.requests...)
}

func echoAnswer(req Request) Response {
	resp := Response{Op: req.Op, Return: true}
	for _, id := range req.JobIDs {
		resp.Items = append(resp.Items, WireItem{FaxJobID: id, StatusID: 1, Description: "Sent", PagesSent: 1, PagesTotal: 1, ReferenceID: "R-" + id})
	}
	resp.CheckValue = "Service OK"
	resp.SimpleValue = 3
	return resp
}

// statusAnswered makes one GetFaxStatus call for asked against a JSON
// server that answers items, and fails t unless every asked job has a result.
func statusAnswered(t *testing.T, asked []JobID, items []WireItem) *Result {
	t.Helper()
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, req Request, _ int) bool {
		writeAnswer(w, FormatJSON, Response{Op: req.Op, Return: true, Items: items})
		return true
	})
	c, _ := newTestClient(t, srv.URL, func(o *Options) { o.Format = FormatJSON })
	res, err := c.GetFaxStatus(context.Background(), asked)
	if err != nil || len(res.Jobs) != len(asked) {
		t.Fatalf("got %v %+v", err, res)
	}
	return res
}

func writeAnswer(w http.ResponseWriter, f Format, resp Response) {
	body, err := EncodeResponse(f, resp)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("x-ch-activity-id", "act-42")
	w.Header().Set("x-ch-execution-time", "12.4")
	_, _ = w.Write(body)
}

// tokenServer is a client-credentials endpoint issuing tok-1, tok-2, …
type tokenServer struct {
	*httptest.Server
	fetches   atomic.Int32
	expiresIn int // 0: no expires_in in the answer
	fail      func(w http.ResponseWriter) bool
}

func newTokenServer(t *testing.T, expiresIn int) *tokenServer {
	t.Helper()
	ts := &tokenServer{expiresIn: expiresIn}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		_ = r.ParseForm()
		if !ok || id != "client-1" || secret != testClientSecret || r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_secret") != "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"invalid_client"}`))
			return
		}
		if ts.fail != nil && ts.fail(w) {
			return
		}
		n := ts.fetches.Add(1)
		ans := map[string]any{"access_token": fmt.Sprintf("tok-%d", n), "token_type": "Bearer"}
		if ts.expiresIn > 0 {
			ans["expires_in"] = ts.expiresIn
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(ans)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// Deliberately fake-looking credentials.
const (
	testClientSecret = "test-client-secret-000"
	testToken        = "test-static-token-000"
	testPIN          = "test-pin-0000"
)

// fakeSleep records waits and returns at once.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeSleep) got() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// testNow moves with $FAXWATCH_TEST_EPOCH like sim.Epoch (which api's own
// tests cannot import: sim imports api).
var testNow = func() time.Time {
	base := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	shift, err := time.ParseDuration(os.Getenv("FAXWATCH_TEST_EPOCH"))
	if err != nil && os.Getenv("FAXWATCH_TEST_EPOCH") != "" {
		panic(err)
	}
	return base.Add(shift)
}()

func newTestClient(t *testing.T, endpoint string, mutate func(*Options)) (*Client, *fakeSleep) {
	t.Helper()
	sl := &fakeSleep{}
	o := Options{
		Endpoint: endpoint,
		UserID:   "mbx1234567890",
		Auth:     Auth{Mode: AuthToken, Token: NewSecret(testToken)},
		Timeout:  5 * time.Second,
		Now:      func() time.Time { return testNow },
		Sleep:    sl.Sleep,
	}
	if mutate != nil {
		mutate(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, sl
}

func ids(list ...string) []JobID {
	out := make([]JobID, len(list))
	for i, s := range list {
		id, ok := ParseJobID(s)
		if !ok {
			panic("bad test id " + s)
		}
		out[i] = id
	}
	return out
}

func discardLogger() *log.Logger { return log.New(io.Discard, "", 0) }
