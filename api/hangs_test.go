package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Servers that never answer: every wait ends at a deadline, and the
// caller's cancel ends it at once.

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
