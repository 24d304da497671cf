package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hungServer accepts requests and never answers until the test ends; arrived
// gets one value per request that reached the handler.
func hungServer(t *testing.T) (*httptest.Server, chan struct{}) {
	t.Helper()
	arrived := make(chan struct{}, 16)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: unblocks handlers so Close can return
	return srv, arrived
}

func TestUnresponsiveTokenEndpoint(t *testing.T) {
	tokenSrv, _ := hungServer(t)
	api := newAPIServer(t, nil)
	c, _ := newTestClient(t, api.URL, func(o *Options) {
		o.Timeout = 200 * time.Millisecond
		o.Auth = Auth{Mode: AuthOAuth2, TokenURL: tokenSrv.URL, ClientID: "client-1", ClientSecret: NewSecret(testClientSecret)}
	})
	done := make(chan error, 1)
	go func() {
		_, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
		done <- err
	}()
	select {
	case err := <-done:
		var ae *AuthError
		if !errors.As(err, &ae) || Retryable(err) || len(api.seen()) != 0 {
			t.Fatalf("got %T %v, %d API requests", err, err, len(api.seen()))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a hung token endpoint held the call past its 200ms timeout")
	}
}

// Quitting the dashboard cancels the poll: the caller must get control back
// at once even while the token fetch hangs (it ends later, on its own timeout).
func TestTokenFetchStopsWithCallerContext(t *testing.T) {
	tokenSrv, arrived := hungServer(t)
	api := newAPIServer(t, nil)
	c, _ := newTestClient(t, api.URL, func(o *Options) {
		o.Timeout = time.Minute
		o.Auth = Auth{Mode: AuthOAuth2, TokenURL: tokenSrv.URL, ClientID: "client-1", ClientSecret: NewSecret(testClientSecret)}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.GetFaxStatus(ctx, ids("br00000001", "br00000002"))
		done <- err
	}()
	<-arrived
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || len(api.seen()) != 0 {
			t.Fatalf("got %v, %d API requests", err, len(api.seen()))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancelled call still waiting on the token endpoint")
	}
}

// A server that accepts connections and never says a word: every attempt
// ends at Timeout, the call after MaxAttempts.
func TestBlackHoleServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan net.Conn, 8)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			held <- conn
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		close(held)
		for conn := range held {
			_ = conn.Close()
		}
	})
	c, sl := newTestClient(t, "http://"+ln.Addr().String()+"/fax/v5", func(o *Options) { o.Timeout = 100 * time.Millisecond })
	done := make(chan struct{})
	var res *Result
	go func() {
		defer close(done)
		res, err = c.GetFaxStatus(context.Background(), ids("br00000001"))
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("no bounded failure from a black-hole server")
	}
	var te *TransportError
	if !errors.As(err, &te) || !te.Timeout || len(res.Calls) != DefaultMaxAttempts || len(sl.got()) != DefaultMaxAttempts-1 {
		t.Fatalf("got %T %v, %d calls, waits %v", err, err, len(res.Calls), sl.got())
	}
	if !strings.Contains(res.Calls[0].Err, "no answer within 100ms") || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("call error %q; the attempt's own timeout must not read as the caller's deadline", res.Calls[0].Err)
	}
}

// A gzip bomb: the transport inflates transparently, so the cap must bound
// the inflated size, and memory with it.
func TestGzipBomb(t *testing.T) {
	const inflated = 32 << 20
	var packed bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&packed, gzip.BestCompression)
	_, _ = zw.Write([]byte(`<?xml version="1.0"?>`))
	_, _ = zw.Write(bytes.Repeat([]byte(" "), inflated))
	_ = zw.Close()
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(packed.Bytes())
		return true
	})
	c, _ := newTestClient(t, srv.URL, func(o *Options) { o.MaxBodyBytes = 1 << 20 })
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
	runtime.ReadMemStats(&after)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 1<<20 || Retryable(err) || len(srv.seen()) != 1 {
		t.Fatalf("got %T %v after %d requests (%d compressed bytes)", err, err, len(srv.seen()), packed.Len())
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Fatalf("allocated %d MiB for a 1 MiB cap", grew>>20)
	}
}

// Regression: bytes.ToLower changes the length of invalid UTF-8 and of some
// letters (K, İ), and htmlTitle sliced body with offsets into the lowered copy.
func TestHTMLTitleHostileBytes(t *testing.T) {
	cases := map[string]string{
		"<html><title>" + strings.Repeat("\xff", 100) + "</title>":   strings.Repeat(`\xff`, 50)[:maxSnippet-len("…")] + "…",
		"<html><TITLE>" + strings.Repeat("\u212a", 50) + "</Title>x": strings.Repeat("\u212a", 50),
		"<html><title>ok</title>":                                    "ok",
		"<html><title>open":                                          "",
		"<html>\x1ctitle>no</title>":                                 "",
	}
	for body, want := range cases {
		if got := htmlTitle([]byte(body)); got != want {
			t.Errorf("htmlTitle(%q) = %q, want %q", body, got, want)
		}
		_, err := DecodeResponse(OpGetFaxStatus, "text/html", []byte(body))
		var pe *ProtocolError
		if !errors.As(err, &pe) || pe.Kind != KindHTML {
			t.Errorf("%q: %v", body, err)
		}
	}
}

// An OAuth access token is a secret too: a server echoing the Authorization
// header must not get it onto the screen or into the log.
func TestIssuedTokenEchoScrubbed(t *testing.T) {
	tok := newTokenServer(t, 3600)
	fault := true
	srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request, req Request, _ int) bool {
		echo := "you sent " + r.Header.Get("Authorization")
		if fault {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(EncodeFault(FormatSOAP11, Fault{Code: "Client", Reason: echo}))
			return true
		}
		body, _ := EncodeResponse(FormatSOAP11, Response{Op: req.Op, Return: true, Items: []WireItem{{FaxJobID: req.JobIDs[0], StatusID: 3, Description: echo}}})
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("x-ch-activity-id", echo)
		_, _ = w.Write(body)
		return true
	})
	c, _ := newTestClient(t, srv.URL, func(o *Options) {
		o.Auth = Auth{Mode: AuthOAuth2, TokenURL: tok.URL, ClientID: "client-1", ClientSecret: NewSecret(testClientSecret)}
	})
	res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
	if err == nil {
		t.Fatal("want the fault")
	}
	texts := []string{err.Error(), res.Calls[0].Err}
	fault = false
	if res, err = c.GetFaxStatus(context.Background(), ids("br00000001")); err != nil {
		t.Fatal(err)
	}
	texts = append(texts, res.Jobs[0].Description, res.Calls[0].ActivityID)
	for _, s := range texts {
		if strings.Contains(s, "tok-1") || !strings.Contains(s, redacted) {
			t.Errorf("token not redacted in %q", s)
		}
	}
}

// Server text clipped right inside an echoed secret must not keep its start.
func TestScrubClippedSecret(t *testing.T) {
	const pin = "zq7-pin-value"
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, req Request, _ int) bool {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(EncodeFault(FormatSOAP11, Fault{Code: "Client", Reason: strings.Repeat("x", maxSnippet-8) + " " + req.PIN}))
		return true
	})
	c, _ := newTestClient(t, srv.URL, func(o *Options) { o.Auth = Auth{Mode: AuthPIN, PIN: NewSecret(pin)} })
	_, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
	var fe *SOAPFault
	if !errors.As(err, &fe) || strings.Contains(err.Error(), "zq7") || !strings.HasSuffix(err.Error(), "…") {
		t.Fatalf("got %v", err)
	}
	sc := newScrubber(Auth{PIN: NewSecret(pin)})
	for in, want := range map[string]string{
		"a zq7-pin…":           "a …",
		"a zq7-pin-value b":    "a " + redacted + " b",
		"z…b zq…":              "…b …",
		"nothing to hide here": "nothing to hide here",
	} {
		if got := sc.scrub(in); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
}

// A Retry-After on a status that is not retried is no rate limit.
func TestRetryAfterOnlyForRetryableStatus(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusNotFound} {
		srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(status)
			return true
		})
		c, sl := newTestClient(t, srv.URL, nil)
		_, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
		var he *HTTPError
		if !errors.As(err, &he) || he.Status != status || len(srv.seen()) != 1 || len(sl.got()) != 0 {
			t.Fatalf("%d: got %T %v", status, err, err)
		}
	}
}

func TestRequestFormatHidesPIN(t *testing.T) {
	req := Request{Op: OpGetFaxStatus, UserID: "mbx1", PIN: testPIN, JobIDs: []string{"br00000001"}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		got := fmt.Sprintf(verb, req)
		if strings.Contains(got, testPIN) || !strings.Contains(got, "mbx1") || !strings.Contains(got, redacted) {
			t.Errorf("%s: %s", verb, got)
		}
	}
}
