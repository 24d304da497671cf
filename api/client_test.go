package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestFormatsAndMethods(t *testing.T) {
	asked := ids("br0012345h00001x", "BR0012345H00002Y")
	methods := []Method{MethodGetFaxStatus, MethodGetRealTimeFaxStatus, MethodGetRealTimeFaxStatusEx, MethodGetRealTimeFaxStatusEx2}
	for _, f := range allFormats {
		for _, m := range methods {
			t.Run(string(f)+"/"+string(m), func(t *testing.T) {
				srv := newAPIServer(t, nil)
				c, _ := newTestClient(t, srv.URL, func(o *Options) { o.Format = f; o.Method = m })
				res, err := c.Status(context.Background(), asked)
				if err != nil {
					t.Fatal(err)
				}
				seen := srv.seen()
				if len(seen) != 1 || seen[0].Format != f || seen[0].Req.Op != Operation(m) {
					t.Fatalf("server saw %+v", seen)
				}
				h := seen[0].Header
				if got := h.Get("Content-Type"); got != f.ContentType() {
					t.Errorf("Content-Type %q", got)
				}
				if _, present := h["Soapaction"]; present != (f == FormatSOAP11) || (present && h.Get("SOAPAction") != `""`) {
					t.Errorf("SOAPAction %q present=%v", h.Get("SOAPAction"), present)
				}
				if _, err := uuid.Parse(h.Get("x-ch-request-id")); err != nil {
					t.Errorf("request id %q", h.Get("x-ch-request-id"))
				}
				if len(res.Jobs) != 2 || res.Jobs[0].JobID != asked[0] || res.Jobs[1].JobID != asked[1] || !res.Return {
					t.Fatalf("jobs %+v", res.Jobs)
				}
				for _, j := range res.Jobs {
					if j.State != StateSucceeded || !j.Final() || j.Description != "Sent" {
						t.Errorf("job %+v", j)
					}
					if (j.Details != nil) != (m != MethodGetFaxStatus) {
						t.Errorf("details %+v", j.Details)
					}
					if j.Details.HasReference() && j.Details.ReferenceID != "R-"+string(j.JobID) {
						t.Errorf("reference %q", j.Details.ReferenceID)
					}
				}
				call := res.Calls[0]
				if len(res.Calls) != 1 || call.ActivityID != "act-42" || call.ExecutionMS != 12 || call.HTTPStatus != 200 ||
					call.Jobs != 2 || call.Attempt != 1 || call.RequestID != h.Get("x-ch-request-id") || !call.At.Equal(testNow) {
					t.Errorf("call %+v", res.Calls)
				}
				if res.Jobs[0].Call.Call.RequestID != call.RequestID {
					t.Errorf("job call info %+v", res.Jobs[0].Call)
				}
			})
		}
	}
}

func TestSimpleAndCheckService(t *testing.T) {
	srv := newAPIServer(t, nil)
	c, _ := newTestClient(t, srv.URL, nil)
	js, err := c.SimpleGetFaxStatus(context.Background(), ids("br0012345h00001x")[0])
	if err != nil || js.StatusID != 3 || js.State != StateProcessing || js.Final() {
		t.Fatalf("%+v %v", js, err)
	}
	s, err := c.CheckService(context.Background())
	if err != nil || s != "Service OK" {
		t.Fatalf("%q %v", s, err)
	}
	if ops := srv.seen(); ops[0].Req.Op != OpSimpleGetFaxStatus || ops[1].Req.Op != OpCheckService {
		t.Fatalf("%+v", ops)
	}
}

func TestAuthModes(t *testing.T) {
	tok := newTokenServer(t, 3600)
	cases := []struct {
		name       string
		auth       Auth
		wantHeader string
		wantPIN    string
		wantWarn   int
	}{
		{"pin", Auth{Mode: AuthPIN, PIN: NewSecret(testPIN)}, "", testPIN, 1},
		{"token", Auth{Mode: AuthToken, Token: NewSecret(testToken)}, "Bearer " + testToken, "", 0},
		{"oauth2", Auth{Mode: AuthOAuth2, TokenURL: tok.URL, ClientID: "client-1", ClientSecret: NewSecret(testClientSecret)}, "Bearer tok-1", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newAPIServer(t, nil)
			var warns []string
			c, _ := newTestClient(t, srv.URL, func(o *Options) { o.Auth = tc.auth; o.Warn = func(s string) { warns = append(warns, s) } })
			for range 2 {
				if _, err := c.GetFaxStatus(context.Background(), ids("br00000001")); err != nil {
					t.Fatal(err)
				}
			}
			for _, s := range srv.seen() {
				if got := s.Header.Get("Authorization"); got != tc.wantHeader {
					t.Errorf("Authorization %q, want %q", got, tc.wantHeader)
				}
				if s.Req.PIN != tc.wantPIN || s.Req.UserID != "mbx1234567890" {
					t.Errorf("body user %q pin %q", s.Req.UserID, s.Req.PIN)
				}
			}
			if len(warns) != tc.wantWarn {
				t.Errorf("warnings %q", warns)
			}
		})
	}
	if n := tok.fetches.Load(); n != 1 {
		t.Errorf("token fetched %d times for two calls", n)
	}
}

func TestOAuth401RefreshAndReplay(t *testing.T) {
	for _, always := range []bool{false, true} {
		t.Run(fmt.Sprintf("always401=%v", always), func(t *testing.T) {
			tok := newTokenServer(t, 3600)
			srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request, req Request, n int) bool {
				if always || r.Header.Get("Authorization") == "Bearer tok-1" {
					w.WriteHeader(http.StatusUnauthorized)
					return true
				}
				return false
			})
			c, sl := newTestClient(t, srv.URL, func(o *Options) {
				o.Auth = Auth{Mode: AuthOAuth2, TokenURL: tok.URL, ClientID: "client-1", ClientSecret: NewSecret(testClientSecret)}
			})
			res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
			if got := len(srv.seen()); got != 2 {
				t.Fatalf("API requests %d, want 2 (one replay)", got)
			}
			if got := tok.fetches.Load(); got != 2 {
				t.Fatalf("token fetches %d, want 2", got)
			}
			if len(sl.got()) != 0 {
				t.Fatalf("slept %v before a replay", sl.got())
			}
			var ae *AuthError
			if always {
				if !errors.As(err, &ae) || ae.HTTPStatus != 401 || len(res.Calls) != 2 {
					t.Fatalf("got %v, calls %d", err, len(res.Calls))
				}
				return
			}
			if err != nil || res.Jobs[0].State != StateSucceeded || res.Calls[1].Attempt != 2 {
				t.Fatalf("got %v %+v", err, res)
			}
		})
	}
}

func TestStaticAuthRejectedOnce(t *testing.T) {
	for _, mode := range []AuthMode{AuthToken, AuthPIN} {
		srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
			w.WriteHeader(http.StatusForbidden)
			return true
		})
		c, _ := newTestClient(t, srv.URL, func(o *Options) {
			if mode == AuthPIN {
				o.Auth = Auth{Mode: AuthPIN, PIN: NewSecret(testPIN)}
			}
		})
		_, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
		var ae *AuthError
		if !errors.As(err, &ae) || len(srv.seen()) != 1 || Retryable(err) {
			t.Fatalf("%s: %v after %d requests", mode, err, len(srv.seen()))
		}
	}
}

func TestRedirectRefused(t *testing.T) {
	var victimAuth atomic.Int32
	var victimHits atomic.Int32
	victim := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		victimHits.Add(1)
		if r.Header.Get("Authorization") != "" {
			victimAuth.Add(1)
		}
	}))
	defer victim.Close()
	_, port, _ := net.SplitHostPort(victim.Listener.Addr().String())
	target := "http://localhost:" + port + "/steal"

	tok := newTokenServer(t, 3600)
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request, _ Request, _ int) bool {
			http.Redirect(w, r, target, status)
			return true
		})
		for _, auth := range []Auth{
			{Mode: AuthToken, Token: NewSecret(testToken)},
			{Mode: AuthOAuth2, TokenURL: tok.URL, ClientID: "client-1", ClientSecret: NewSecret(testClientSecret)},
		} {
			c, _ := newTestClient(t, srv.URL, func(o *Options) { o.Auth = auth })
			_, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
			var he *HTTPError
			if !errors.As(err, &he) || he.Status != status || !strings.Contains(err.Error(), "refused") || Retryable(err) {
				t.Fatalf("got %v", err)
			}
		}
	}
	if victimHits.Load() != 0 || victimAuth.Load() != 0 {
		t.Fatalf("second host got %d requests, %d with Authorization", victimHits.Load(), victimAuth.Load())
	}
}

func TestBatchingOrderAndConcurrency(t *testing.T) {
	var inflight, peak atomic.Int32
	release := make(chan struct{})
	var once sync.Once
	srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request, req Request, n int) bool {
		cur := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if cur <= p || peak.CompareAndSwap(p, cur) {
				break
			}
		}
		if cur == 2 {
			once.Do(func() { close(release) })
		}
		select { // hold the first calls until two overlap, so the bound is exercised
		case <-release:
		case <-time.After(2 * time.Second):
		}
		// Answer in reverse order to prove the merge re-orders.
		resp := echoAnswer(req)
		for i, j := 0, len(resp.Items)-1; i < j; i, j = i+1, j-1 {
			resp.Items[i], resp.Items[j] = resp.Items[j], resp.Items[i]
		}
		writeAnswer(w, FormatSOAP11, resp)
		return true
	})
	c, _ := newTestClient(t, srv.URL, func(o *Options) { o.Concurrency = 2 })
	var asked []JobID
	for i := range 250 {
		asked = append(asked, JobID(fmt.Sprintf("br%08d", i)))
	}
	res, err := c.GetFaxStatus(context.Background(), asked)
	if err != nil {
		t.Fatal(err)
	}
	seen := srv.seen()
	if len(seen) != 3 || len(res.Calls) != 3 {
		t.Fatalf("%d calls", len(seen))
	}
	sizes := map[int]int{}
	for _, s := range seen {
		sizes[len(s.Req.JobIDs)]++
	}
	if sizes[100] != 2 || sizes[50] != 1 {
		t.Fatalf("batch sizes %v", sizes)
	}
	if p := peak.Load(); p != 2 {
		t.Fatalf("peak concurrency %d, want 2", p)
	}
	for i, j := range res.Jobs {
		if j.JobID != asked[i] || j.FaxJobID != string(asked[i]) || j.State != StateSucceeded {
			t.Fatalf("job %d: %+v", i, j)
		}
	}
}

func TestOneFailedBatch(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, req Request, _ int) bool {
		if req.JobIDs[0] == "br00000002" {
			w.WriteHeader(http.StatusBadRequest)
			return true
		}
		return false
	})
	c, _ := newTestClient(t, srv.URL, func(o *Options) { o.BatchSize = 2 })
	asked := ids("br00000000", "br00000001", "br00000002", "br00000003", "br00000004")
	res, err := c.GetFaxStatus(context.Background(), asked)
	if err != nil {
		t.Fatalf("partial failure returned %v", err)
	}
	if len(res.Failures) != 1 || len(res.Failures[0].IDs) != 2 || res.Failures[0].IDs[0] != "br00000002" {
		t.Fatalf("failures %+v", res.Failures)
	}
	for i, j := range res.Jobs {
		failed := i == 2 || i == 3
		if j.JobID != asked[i] || (j.Err != nil) != failed || j.Fresh() == failed {
			t.Fatalf("job %d %+v", i, j)
		}
	}
	var he *HTTPError
	if !errors.As(res.Jobs[2].Err, &he) || he.Status != 400 {
		t.Fatalf("err %v", res.Jobs[2].Err)
	}

	// Every batch failing returns the Result and the first batch's error.
	srv2 := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
		w.WriteHeader(http.StatusNotFound)
		return true
	})
	c2, _ := newTestClient(t, srv2.URL, func(o *Options) { o.BatchSize = 2 })
	res, err = c2.GetFaxStatus(context.Background(), asked)
	if !errors.As(err, &he) || he.Status != 404 || len(res.Failures) != 3 || len(res.Jobs) != 5 || res.Return {
		t.Fatalf("got %v %+v", err, res)
	}
	if _, err := c2.GetFaxStatus(context.Background(), nil); err == nil {
		t.Fatal("no IDs accepted")
	}
}

func TestRetryPolicy(t *testing.T) {
	farDate := testNow.Add(48 * time.Hour).Format(http.TimeFormat)
	type step struct {
		status     int
		retryAfter string
	}
	cases := []struct {
		name      string
		steps     []step // answers in order; after them: 200
		requests  int
		waits     func([]time.Duration) bool
		errCheck  func(error) bool
		wantState State
	}{
		{"429 retry-after 2", []step{{429, "2"}}, 2, func(w []time.Duration) bool { return len(w) == 1 && w[0] >= 2*time.Second }, nil, StateSucceeded},
		{"503 then 200", []step{{503, ""}}, 2, func(w []time.Duration) bool { return len(w) == 1 && w[0] > 0 && w[0] <= backoffBase }, nil, StateSucceeded},
		{"502 504 then 200", []step{{502, ""}, {504, ""}}, 3, func(w []time.Duration) bool { return len(w) == 2 && w[1] <= 2*backoffBase }, nil, StateSucceeded},
		{"garbage retry-after", []step{{429, "soon"}}, 2, func(w []time.Duration) bool { return len(w) == 1 && w[0] <= backoffBase }, nil, StateSucceeded},
		{"negative retry-after", []step{{503, "-5"}}, 2, func(w []time.Duration) bool { return len(w) == 1 && w[0] <= backoffBase }, nil, StateSucceeded},
		{"past date retry-after", []step{{503, testNow.Add(-time.Hour).Format(http.TimeFormat)}}, 2, func(w []time.Duration) bool { return len(w) == 1 && w[0] <= backoffBase }, nil, StateSucceeded},
		{"retry-after 86400 capped at an hour", []step{{429, "86400"}}, 1, func(w []time.Duration) bool { return len(w) == 0 }, func(err error) bool {
			var rl *RateLimitError
			return errors.As(err, &rl) && rl.Until.Equal(testNow.Add(MaxHoldOff)) && strings.HasPrefix(err.Error(), "rate limited until ")
		}, ""},
		{"retry-after of a century capped", []step{{429, "99999999999999999999"}}, 1, func(w []time.Duration) bool { return len(w) == 0 }, func(err error) bool {
			var rl *RateLimitError
			return errors.As(err, &rl) && rl.Until.Equal(testNow.Add(MaxHoldOff))
		}, ""},
		{"far http-date capped", []step{{503, farDate}}, 1, func(w []time.Duration) bool { return len(w) == 0 }, func(err error) bool {
			var rl *RateLimitError
			return errors.As(err, &rl) && rl.Until.Equal(testNow.Add(MaxHoldOff))
		}, ""},
		{"http-date in 2099 capped", []step{{503, "Fri, 06 Nov 2099 19:49:34 GMT"}}, 1, func(w []time.Duration) bool { return len(w) == 0 }, func(err error) bool {
			var rl *RateLimitError
			return errors.As(err, &rl) && rl.Until.Equal(testNow.Add(MaxHoldOff)) && !strings.Contains(err.Error(), "2099")
		}, ""},
		{"500 three times", []step{{500, ""}, {500, ""}, {500, ""}}, 3, func(w []time.Duration) bool { return len(w) == 2 }, func(err error) bool {
			var he *HTTPError
			return errors.As(err, &he) && he.Status == 500
		}, ""},
	}
	for _, code := range []int{400, 404, 409, 501, 505} {
		cases = append(cases, struct {
			name      string
			steps     []step
			requests  int
			waits     func([]time.Duration) bool
			errCheck  func(error) bool
			wantState State
		}{fmt.Sprint(code, " once"), []step{{code, "1"}}, 1, func(w []time.Duration) bool { return len(w) == 0 }, func(err error) bool {
			var he *HTTPError
			return errors.As(err, &he) && he.Status == code && !Retryable(err)
		}, ""})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, n int) bool {
				if n < len(tc.steps) {
					if tc.steps[n].retryAfter != "" {
						w.Header().Set("Retry-After", tc.steps[n].retryAfter)
					}
					w.Header().Set("Content-Type", "text/plain")
					w.WriteHeader(tc.steps[n].status)
					_, _ = w.Write([]byte("try later"))
					return true
				}
				return false
			})
			var attempts []int // as OnAttempt heard of them
			c, sl := newTestClient(t, srv.URL, func(o *Options) {
				o.OnAttempt = func(call Call) { attempts = append(attempts, call.Attempt) }
			})
			res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
			if got := len(srv.seen()); got != tc.requests {
				t.Fatalf("%d requests, want %d (err %v)", got, tc.requests, err)
			}
			for i, n := range attempts {
				if n != i+1 {
					t.Fatalf("OnAttempt heard %v for %d requests", attempts, tc.requests)
				}
			}
			if len(attempts) != tc.requests {
				t.Fatalf("OnAttempt heard %v for %d requests", attempts, tc.requests)
			}
			if !tc.waits(sl.got()) {
				t.Fatalf("waits %v", sl.got())
			}
			if tc.errCheck != nil {
				if !tc.errCheck(err) {
					t.Fatalf("error %T %v", err, err)
				}
				return
			}
			if err != nil || res.Jobs[0].State != tc.wantState || len(res.Calls) != tc.requests {
				t.Fatalf("got %v %+v", err, res)
			}
			ids := map[string]bool{}
			for i, call := range res.Calls {
				if call.Attempt != i+1 || ids[call.RequestID] {
					t.Fatalf("calls %+v", res.Calls)
				}
				ids[call.RequestID] = true
				if i < len(res.Calls)-1 && call.Err == "" {
					t.Fatalf("failed attempt without Err: %+v", call)
				}
			}
		})
	}
}

func TestCancelledContextStops(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
		w.WriteHeader(503)
		return true
	})
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := newTestClient(t, srv.URL, func(o *Options) {
		o.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	})
	_, err := c.GetFaxStatus(ctx, ids("br00000001"))
	if !errors.Is(err, context.Canceled) || len(srv.seen()) != 1 {
		t.Fatalf("got %v after %d requests", err, len(srv.seen()))
	}
	_, err = c.GetFaxStatus(ctx, ids("br00000001"))
	if !errors.Is(err, context.Canceled) || len(srv.seen()) != 1 {
		t.Fatalf("cancelled call went out: %v", err)
	}
}

func TestFailureShapes(t *testing.T) {
	good, _ := EncodeResponse(FormatSOAP11, echoAnswer(Request{Op: OpGetFaxStatus, JobIDs: []string{"br00000001"}}))
	cases := []struct {
		name     string
		status   int
		ct       string
		body     []byte
		requests int
		check    func(error) bool
	}{
		{"soap11 client fault", 500, "text/xml", EncodeFault(FormatSOAP11, Fault{Code: "Client", Reason: "bad job list"}), 1, func(err error) bool {
			var f *SOAPFault
			return errors.As(err, &f) && f.Version == "1.1" && f.HTTPStatus == 500 && err.Error() == "server fault (Client): bad job list"
		}},
		{"soap12 receiver fault retried", 500, "application/soap+xml", EncodeFault(FormatSOAP12, Fault{Code: "Receiver", Reason: "db down"}), 3, func(err error) bool {
			var f *SOAPFault
			return errors.As(err, &f) && f.Version == "1.2" && f.Code == "Receiver"
		}},
		{"fault with 200", 200, "text/xml", EncodeFault(FormatSOAP11, Fault{Code: "Server", Reason: "x"}), 1, func(err error) bool {
			var f *SOAPFault
			return errors.As(err, &f)
		}},
		{"html with 200", 200, "text/html", []byte("<html><head><title>Proxy \x1b[31mError</title></head></html>"), 1, func(err error) bool {
			var p *ProtocolError
			return errors.As(err, &p) && p.Kind == KindHTML && err.Error() == `HTML page instead of an API answer (HTTP 200): Proxy \x1b[31mError`
		}},
		{"html 502", 502, "text/html", []byte("<!DOCTYPE html><title>Bad gateway</title>"), 3, func(err error) bool {
			var he *HTTPError
			return errors.As(err, &he) && he.Snippet == "Bad gateway"
		}},
		{"truncated document", 200, "text/xml", good[:len(good)-30], 1, func(err error) bool {
			var p *ProtocolError
			return errors.As(err, &p) && p.Kind == KindTruncated
		}},
		{"malformed", 200, "text/xml", []byte("<soap:Envelope xmlns:soap=\"" + nsSOAP11 + "\"><soap:Body></soap:Envelop>"), 1, func(err error) bool {
			var p *ProtocolError
			return errors.As(err, &p) && p.Kind == KindMalformed
		}},
		{"wrong content type", 200, "image/png", good, 1, func(err error) bool {
			var p *ProtocolError
			return errors.As(err, &p) && p.Kind == KindContentType
		}},
		{"empty", 200, "text/xml", nil, 1, func(err error) bool {
			var p *ProtocolError
			return errors.As(err, &p) && p.Kind == KindEmpty
		}},
		{"oversize", 200, "text/xml", append(good[:len(good):len(good)], bytes.Repeat([]byte(" "), 2<<10)...), 1, func(err error) bool {
			var tl *TooLargeError
			return errors.As(err, &tl) && err.Error() == "response too large (over 2 KiB)"
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
				w.Header().Set("Content-Type", tc.ct)
				w.WriteHeader(tc.status)
				_, _ = w.Write(tc.body)
				return true
			})
			c, _ := newTestClient(t, srv.URL, func(o *Options) { o.MaxBodyBytes = 2 << 10 })
			_, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
			if !tc.check(err) || len(srv.seen()) != tc.requests {
				t.Fatalf("got %T %q after %d requests", err, err, len(srv.seen()))
			}
			if strings.ContainsAny(err.Error(), "\x1b\n\r") || len(err.Error()) > 300 {
				t.Fatalf("error line not clean: %q", err)
			}
		})
	}
}

func TestReturnFalse(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, req Request, _ int) bool {
		writeAnswer(w, FormatSOAP11, Response{Op: req.Op, Return: false, WSError: WSError{Code: 1001, Message: "Invalid\u202e credentials"}})
		return true
	})
	c, _ := newTestClient(t, srv.URL, nil)
	res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
	var ce *CallError
	if !errors.As(err, &ce) || ce.WSError.Code != 1001 || err.Error() != `call failed: error 1001 Invalid\u{202E} credentials` {
		t.Fatalf("got %v", err)
	}
	j := res.Jobs[0]
	if res.Return || res.WSError.Code != 1001 || j.Err == nil || j.Call.Return || j.Call.WSError.Code != 1001 || j.Call.Call.ActivityID != "act-42" || len(srv.seen()) != 1 {
		t.Fatalf("result %+v", res)
	}
}

func TestTruncatedInTransitRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Length", "10000")
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(200)
			_, _ = w.Write([]byte("<soap:Envelope"))
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
			return
		}
		body, _ := EncodeResponse(FormatSOAP11, echoAnswer(Request{Op: OpGetFaxStatus, JobIDs: []string{"br00000001"}}))
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, sl := newTestClient(t, srv.URL, nil)
	res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
	if err != nil || n.Load() != 2 || len(sl.got()) != 1 || !strings.Contains(res.Calls[0].Err, "cut off") {
		t.Fatalf("got %v after %d requests, calls %+v", err, n.Load(), res.Calls)
	}
}

func TestMatching(t *testing.T) {
	item := func(id string, status int) WireItem { return WireItem{FaxJobID: id, StatusID: status} }
	cases := []struct {
		name   string
		asked  []JobID
		items  []WireItem
		states []State
		faxIDs []string
	}{
		{"fewer", ids("br00000001", "br00000002"), []WireItem{item("br00000002", 2)}, []State{StateNoAnswer, StateFailed}, []string{"", "br00000002"}},
		{"more", ids("br00000001"), []WireItem{item("br00000001", 1), item("br00000009", 2)}, []State{StateSucceeded}, []string{"br00000001"}},
		{"other", ids("br00000001"), []WireItem{item("br00000009", 1)}, []State{StateNoAnswer}, []string{""}},
		{"reordered, upper case", ids("br00000001", "br00000002"), []WireItem{item("BR00000002", 3), item("br00000001", 1)}, []State{StateSucceeded, StateProcessing}, []string{"br00000001", "BR00000002"}},
		{"JRI resolved", ids("br00000001", "JRI-REF1", "JRI-REF2"), []WireItem{item("br00000077", 3), item("br00000001", 1), item("br00000088", 2)},
			[]State{StateSucceeded, StateProcessing, StateFailed}, []string{"br00000001", "br00000077", "br00000088"}},
		{"JRI echoed", ids("JRI-REF1", "br00000001"), []WireItem{item("br00000001", 1), item("JRI-REF1", -5019)}, []State{StateInvalid, StateSucceeded}, []string{"JRI-REF1", "br00000001"}},
		{"unknown status", ids("br00000001"), []WireItem{{FaxJobID: "br00000001", StatusID: 42, Description: "Weird"}}, []State{StateUnknown}, []string{"br00000001"}},
		{"invalid by error code", ids("br00000001"), []WireItem{{FaxJobID: "br00000001", StatusID: 0, Error: WSError{Code: -5019}}}, []State{StateInvalid}, []string{"br00000001"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := statusAnswered(t, tc.asked, tc.items)
			for i, j := range res.Jobs {
				if j.JobID != tc.asked[i] || j.State != tc.states[i] || j.FaxJobID != tc.faxIDs[i] || !j.Fresh() {
					t.Errorf("job %d: %+v", i, j)
				}
			}
		})
	}
}

func TestHostileStringsSanitised(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, req Request, _ int) bool {
		w.Header().Set("x-ch-activity-id", "act\x1b[2J")
		writeAnswer(w, FormatJSON, Response{Op: req.Op, Return: true, Items: []WireItem{{
			FaxJobID: "br00000001", StatusID: 3, Description: "\x1b]52;c;aGk=\x07" + strings.Repeat("x", 5000),
			Error: WSError{Code: 5, Message: "\u009b31m red"},
		}}})
		return true
	})
	c, _ := newTestClient(t, srv.URL, func(o *Options) { o.Format = FormatJSON })
	res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
	if err != nil {
		t.Fatal(err)
	}
	j := res.Jobs[0]
	for _, s := range []string{j.Description, j.Error.Message, j.Call.Call.ActivityID} {
		if Sanitize(s) != s || len(s) > maxFieldText {
			t.Fatalf("unsafe %q", s)
		}
	}
}

func TestUntrustedTLSNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	srv.Config.ErrorLog = discardLogger()
	c, sl := newTestClient(t, srv.URL, nil)
	res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
	var te *TLSError
	if !errors.As(err, &te) || Retryable(err) || len(res.Calls) != 1 || len(sl.got()) != 0 || hits.Load() != 0 {
		t.Fatalf("got %v, %d calls, waits %v", err, len(res.Calls), sl.got())
	}
	if !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("message %q", err)
	}
	// With the test server's roots the request gets through (its empty body
	// is then a protocol error): verification stays on, the CA is trusted.
	c2, _ := newTestClient(t, srv.URL, func(o *Options) { o.Transport = srv.Client().Transport })
	var pe *ProtocolError
	if _, err := c2.GetFaxStatus(context.Background(), ids("br00000001")); !errors.As(err, &pe) || pe.Kind != KindEmpty || hits.Load() != 1 {
		t.Fatalf("trusted TLS: %v, hits %d", err, hits.Load())
	}
}

func TestTokenLifetime(t *testing.T) {
	cases := []struct {
		name      string
		expiresIn int
		lifetime  time.Duration
		fetches   int32
	}{
		{"no expires_in, default lifetime kept", 0, 30 * time.Minute, 1},
		{"no expires_in, short default refreshed", 0, 30 * time.Second, 3},
		{"expires_in honoured", 3600, 30 * time.Second, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := newTokenServer(t, tc.expiresIn)
			srv := newAPIServer(t, nil)
			c, _ := newTestClient(t, srv.URL, func(o *Options) {
				o.Auth = Auth{Mode: AuthOAuth2, TokenURL: tok.URL, ClientID: "client-1", ClientSecret: NewSecret(testClientSecret), DefaultTokenLifetime: tc.lifetime}
			})
			for range 3 {
				if _, err := c.GetFaxStatus(context.Background(), ids("br00000001")); err != nil {
					t.Fatal(err)
				}
			}
			if got := tok.fetches.Load(); got != tc.fetches {
				t.Fatalf("fetches %d, want %d", got, tc.fetches)
			}
		})
	}
}

func TestSecretsNeverShown(t *testing.T) {
	tok := newTokenServer(t, 3600)
	tok.fail = func(w http.ResponseWriter) bool {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"secret ` + testClientSecret + ` is wrong"}`))
		return true
	}
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, req Request, _ int) bool {
		w.WriteHeader(500)
		_, _ = w.Write(EncodeFault(FormatSOAP11, Fault{Code: "Client", Reason: "PIN " + req.PIN + " rejected"}))
		return true
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var texts []string
	for _, auth := range []Auth{
		{Mode: AuthOAuth2, TokenURL: tok.URL, ClientID: "client-1", ClientSecret: NewSecret(testClientSecret)},
		{Mode: AuthPIN, PIN: NewSecret(testPIN)},
		{Mode: AuthToken, Token: NewSecret(testToken)},
	} {
		var o Options
		c, _ := newTestClient(t, srv.URL, func(opts *Options) { opts.Auth = auth; opts.Logger = logger; o = *opts })
		res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
		if err == nil {
			t.Fatal("expected an error")
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err))
		for _, call := range res.Calls {
			texts = append(texts, call.Err)
		}
		for _, v := range []any{o, auth, c, *c} {
			texts = append(texts, fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprint(v))
		}
		if auth.Mode == AuthOAuth2 {
			var ae *AuthError
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), "invalid_request") {
				t.Fatalf("token failure: %v", err)
			}
		}
	}
	texts = append(texts, logs.String())
	for _, text := range texts {
		for _, secret := range []string{testClientSecret, testPIN, testToken, "tok-1"} {
			if strings.Contains(text, secret) {
				t.Fatalf("secret %q shown in %q", secret, text)
			}
		}
	}
}

func TestNewValidation(t *testing.T) {
	ok := Options{Endpoint: "https://ws.example.test/fax/v5", UserID: "mbx1", Auth: Auth{Mode: AuthToken, Token: NewSecret("t")}}
	cases := map[string]func(o *Options){
		"http remote": func(o *Options) { o.Endpoint = "http://ws.example.test/fax/v5" },
		"userinfo":    func(o *Options) { o.Endpoint = "https://u:p@ws.example.test/" },
		"relative":    func(o *Options) { o.Endpoint = "/fax" },
		"no user":     func(o *Options) { o.UserID = "" },
		"format":      func(o *Options) { o.Format = "xml" },
		"method":      func(o *Options) { o.Method = "SendFax" },
		"batch":       func(o *Options) { o.BatchSize = 1001 },
		"concurrency": func(o *Options) { o.Concurrency = 17 },
		"body":        func(o *Options) { o.MaxBodyBytes = 10 },
		"attempts":    func(o *Options) { o.MaxAttempts = -1 },
		"no mode":     func(o *Options) { o.Auth.Mode = "" },
		"oauth no secret": func(o *Options) {
			o.Auth = Auth{Mode: AuthOAuth2, TokenURL: "https://id.example.test/token", ClientID: "c"}
		},
		"oauth http": func(o *Options) {
			o.Auth = Auth{Mode: AuthOAuth2, TokenURL: "http://id.example.test/token", ClientID: "c", ClientSecret: NewSecret("s")}
		},
		"token newline": func(o *Options) { o.Auth.Token = NewSecret("a\nb") },
		"pin empty":     func(o *Options) { o.Auth = Auth{Mode: AuthPIN} },
		"insecure transport": func(o *Options) {
			tr := http.DefaultTransport.(*http.Transport).Clone()
			tr.TLSClientConfig.InsecureSkipVerify = true
			o.Transport = tr
		},
	}
	if _, err := New(ok); err != nil {
		t.Fatalf("valid options refused: %v", err)
	}
	for _, loop := range []string{"http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]:9/x"} {
		o := ok
		o.Endpoint = loop
		if _, err := New(o); err != nil {
			t.Fatalf("%s refused: %v", loop, err)
		}
	}
	for name, mutate := range cases {
		o := ok
		mutate(&o)
		if _, err := New(o); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v", name, err)
		}
	}
}
