package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Secrets stay out of what a caller shows: echoed tokens, clipped echoes,
// the request's own text.

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

func TestRequestFormatHidesPIN(t *testing.T) {
	req := Request{Op: OpGetFaxStatus, UserID: "mbx1", PIN: testPIN, JobIDs: []string{"br00000001"}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		got := fmt.Sprintf(verb, req)
		if strings.Contains(got, testPIN) || !strings.Contains(got, "mbx1") || !strings.Contains(got, redacted) {
			t.Errorf("%s: %s", verb, got)
		}
	}
}
