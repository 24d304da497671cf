package api_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"faxwatch/api"
)

// TestClientFaults is the client's fault suite: the real api.Client against
// plain httptest servers, one subtest per fault. Each first polls a healthy
// server (so a token is cached), then breaks it, polls again and checks the
// one-line error a caller shows, how many requests and waits it cost, and
// what it allocated. The last subtest checks that no credential reached a
// log, an error, a call record or a status text in any of them. What the
// dashboard makes of such failures is ui's TestFaultsOnScreen.
func TestClientFaults(t *testing.T) {
	suite := newFaultSuite()
	ran := 0
	for _, sc := range clientFaults() {
		t.Run(sc.name, func(t *testing.T) {
			ran++
			r := newFaultRig(t, suite, sc.opts)
			r.start()
			sc.run(t, r)
		})
	}
	t.Run("no secret in logs, errors or results", func(t *testing.T) {
		if ran < len(clientFaults()) {
			t.Skip("checks what the whole suite showed: run all of TestClientFaults")
		}
		// The four fixed credentials and at least five access tokens.
		if err := suite.Verify(100, 4+5); err != nil {
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

// failTimes answers with fault for the first n requests, then healthily.
func failTimes(n int32, fault apiFault) apiFault {
	var seen atomic.Int32
	return func(w http.ResponseWriter, r *http.Request, req api.Request) bool {
		return seen.Add(1) <= n && fault(w, r, req)
	}
}

// hijack takes the raw connection and lets fn write bytes and close.
func hijack(fn func(c net.Conn)) apiFault {
	return func(w http.ResponseWriter, _ *http.Request, _ api.Request) bool {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		_ = buf.Flush()
		fn(conn)
		return true
	}
}

func soapEnvelope(inner string) string {
	return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` + inner + `</soap:Body></soap:Envelope>`
}

func clientFaults() []clientFault {
	fast := rigOptions{timeout: 250 * time.Millisecond}
	return []clientFault{
		{"slow headers", fast, func(t *testing.T, r *faultRig) {
			r.breakAPI(func(_ http.ResponseWriter, req *http.Request, _ api.Request) bool {
				waitGone(req) // no status line until the client gives up
				return true
			})
			if took := r.poll(); took > 5*time.Second {
				t.Errorf("the poll took %v", took)
			}
			r.expectFailed("network: no answer within 250ms")
			r.expectRequests(api.DefaultMaxAttempts, 0)
		}},
		{"a body that trickles", fast, func(t *testing.T, r *faultRig) {
			r.breakAPI(func(w http.ResponseWriter, req *http.Request, _ api.Request) bool {
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(http.StatusOK)
				rc := http.NewResponseController(w)
				for _, b := range []byte(soapEnvelope("<GetFaxStatusResponse>")) {
					if _, err := w.Write([]byte{b}); err != nil || rc.Flush() != nil {
						return true
					}
					select {
					case <-req.Context().Done():
						return true
					case <-time.After(20 * time.Millisecond):
					}
				}
				return true
			})
			r.poll()
			r.expectFailed("network: no answer within 250ms")
			r.expectRequests(api.DefaultMaxAttempts, 0)
		}},
		{"reset before the answer", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(hijack(func(c net.Conn) {
				_ = c.(*net.TCPConn).SetLinger(0) // RST, not FIN
				_ = c.Close()
			}))
			r.poll()
			r.expectFailed("network: ")
			r.expectRequests(api.DefaultMaxAttempts, 0)
		}},
		{"truncated body", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(hijack(func(c net.Conn) {
				_, _ = fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 10240\r\n\r\n%s", soapEnvelope(strings.Repeat(" ", 2048)))
				_ = c.Close()
			}))
			r.poll()
			r.expectFailed("network: the answer was cut off")
			r.expectRequests(api.DefaultMaxAttempts, 0)
		}},
		{"502 503 then success", rigOptions{}, func(t *testing.T, r *faultRig) {
			var n atomic.Int32
			r.breakAPI(func(w http.ResponseWriter, req *http.Request, a api.Request) bool {
				switch n.Add(1) {
				case 1:
					return answerWith(http.StatusBadGateway, "text/html", "<html><title>Bad gateway</title></html>")(w, req, a)
				case 2:
					return answerWith(http.StatusServiceUnavailable, "text/plain", "busy")(w, req, a)
				}
				return false
			})
			r.poll()
			r.expectFresh()
			r.expectRequests(3, 0)
			// Full jitter: the n-th wait lies in (0, min(10s, 500ms·2^(n-1))].
			if w := r.sleeps(); len(w) != 2 || w[0] <= 0 || w[0] > 500*time.Millisecond || w[1] <= 0 || w[1] > time.Second {
				t.Errorf("backoff waits %v", w)
			}
		}},
		{"400 one attempt", rigOptions{}, func(t *testing.T, r *faultRig) {
			// The body echoes the request's bearer token: it must not reach the screen.
			r.breakAPI(func(w http.ResponseWriter, req *http.Request, _ api.Request) bool {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte("rejected " + req.Header.Get("Authorization")))
				return true
			})
			r.poll()
			line := r.expectFailed("HTTP 400 Bad Request: rejected Bearer [REDACTED]")
			r.expectRequests(1, 0)
			if len(r.sleeps()) != 0 {
				t.Errorf("waited %v before giving up on a 400: %s", r.sleeps(), line)
			}
		}},
		{"404 one attempt", rigOptions{mode: api.AuthPIN}, func(t *testing.T, r *faultRig) {
			// The body echoes the credentials it was sent.
			r.breakAPI(func(w http.ResponseWriter, _ *http.Request, a api.Request) bool {
				return answerWith(http.StatusNotFound, "text/plain", "no such endpoint for "+a.UserID+"/"+a.PIN)(w, nil, a)
			})
			r.poll()
			r.expectFailed("HTTP 404 Not Found: no such endpoint for " + e2eUserID + "/[REDACTED]")
			r.expectRequests(1, 0)
		}},
		{"501 one attempt", rigOptions{mode: api.AuthToken}, func(t *testing.T, r *faultRig) {
			r.breakAPI(answerWith(http.StatusNotImplemented, "text/plain", "GetFaxStatus is not implemented here"))
			r.poll()
			r.expectFailed("HTTP 501 Not Implemented: GetFaxStatus is not implemented here")
			r.expectRequests(1, 0)
		}},
		{"SOAP 1.1 Fault one attempt", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(answerWith(http.StatusInternalServerError, "text/xml; charset=utf-8",
				string(api.EncodeFault(api.FormatSOAP11, api.Fault{Code: "Client", Reason: "Invalid job list"}))))
			r.poll()
			r.expectFailed("server fault (Client): Invalid job list")
			r.expectRequests(1, 0)
		}},
		{"SOAP 1.2 Fault one attempt", rigOptions{format: api.FormatSOAP12}, func(t *testing.T, r *faultRig) {
			r.breakAPI(answerWith(http.StatusBadRequest, "application/soap+xml; charset=utf-8",
				string(api.EncodeFault(api.FormatSOAP12, api.Fault{Code: "Sender", Reason: "Malformed FaxJobId"}))))
			r.poll()
			r.expectFailed("server fault (Sender): Malformed FaxJobId")
			r.expectRequests(1, 0)
		}},
		{"429 with Retry-After 2", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(failTimes(1, answerWith(http.StatusTooManyRequests, "text/plain", "slow down", "Retry-After", "2")))
			r.poll()
			r.expectFresh()
			r.expectRequests(2, 0)
			if w := r.sleeps(); len(w) != 1 || w[0] != 2*time.Second {
				t.Errorf("waits %v, want exactly the 2s asked", w)
			}
		}},
		{"Retry-After of a day", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(answerWith(http.StatusTooManyRequests, "text/plain", "quota", "Retry-After", "86400"))
			r.poll()
			// Capped at an hour; the date shows only when the hour crosses midnight.
			until := r.clock.Now().Add(api.MaxHoldOff).Local().Format("15:04:05")
			r.expectFailed("rate limited until " + until)
			r.expectRequests(1, 0)
			if len(r.sleeps()) != 0 {
				t.Errorf("slept %v for a Retry-After beyond the 30s cap", r.sleeps())
			}
		}},
		{"Retry-After of a century", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(answerWith(http.StatusTooManyRequests, "text/plain", "quota", "Retry-After", "99999999999999999999"))
			r.poll()
			r.expectFailed("rate limited until " + r.clock.Now().Add(api.MaxHoldOff).Local().Format("15:04:05"))
			r.expectRequests(1, 0)
		}},
		{"Retry-After an HTTP date far ahead", rigOptions{}, func(t *testing.T, r *faultRig) {
			far := r.clock.Now().Add(20*time.Second + 3*time.Hour).UTC() // poll() first lets 20 s pass
			r.breakAPI(answerWith(http.StatusServiceUnavailable, "text/plain", "maintenance", "Retry-After", far.Format(http.TimeFormat)))
			r.poll()
			r.expectFailed("rate limited until " + r.clock.Now().Add(api.MaxHoldOff).Local().Format("15:04:05"))
			r.expectRequests(1, 0)
			if len(r.sleeps()) != 0 {
				t.Errorf("slept %v", r.sleeps())
			}
		}},
		{"Retry-After an HTTP date in 2099", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(answerWith(http.StatusServiceUnavailable, "text/plain", "maintenance", "Retry-After", "Fri, 06 Nov 2099 19:49:34 GMT"))
			r.poll()
			r.expectFailed("rate limited until " + r.clock.Now().Add(api.MaxHoldOff).Local().Format("15:04:05"))
		}},
		{"garbage Retry-After", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(failTimes(2, answerWith(http.StatusServiceUnavailable, "text/plain", "busy", "Retry-After", "soon-ish")))
			r.poll()
			r.expectFresh()
			r.expectRequests(3, 0)
			if w := r.sleeps(); len(w) != 2 || w[0] > 500*time.Millisecond || w[1] > time.Second {
				t.Errorf("waits %v: a garbage Retry-After must fall back to the normal backoff", w)
			}
		}},
		{"401 with a cached token", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.revokeTokens() // the cached token is still unexpired
			r.poll()
			r.expectFresh()
			r.expectRequests(2, 1) // one refetch, one replay
		}},
		{"401 again after the replay", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.mu.Lock()
			r.refuseAll = true
			r.mu.Unlock()
			r.poll()
			r.expectFailed("authentication failed: the server refused the OAuth token (HTTP 401): token not accepted")
			r.expectRequests(2, 1) // no loop
			r.poll()
			r.expectRequests(4, 2) // the next poll tries once more, no more
		}},
		{"token endpoint slow", rigOptions{timeout: 250 * time.Millisecond}, func(t *testing.T, r *faultRig) {
			r.revokeTokens()
			r.breakToken(func(_ http.ResponseWriter, req *http.Request) bool {
				waitGone(req)
				return true
			})
			if took := r.poll(); took > 5*time.Second {
				t.Errorf("the poll took %v", took)
			}
			r.expectFailed("authentication failed: token endpoint unreachable")
			r.expectRequests(1, 1)
		}},
		{"token endpoint failing", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.revokeTokens()
			r.breakToken(func(w http.ResponseWriter, _ *http.Request) bool {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte("<html><title>IdP down for " + e2eClientSecret + "</title>" + strings.Repeat("x", 100000) + "</html>"))
				return true
			})
			r.poll()
			line := r.expectFailed("authentication failed: token endpoint answered HTTP Internal Server Error: HTML page IdP down for [REDACTED]")
			r.expectRequests(1, 1)
			if len(line) > 400 {
				t.Errorf("stale line of %d bytes", len(line))
			}
		}},
		{"token endpoint refusing the client", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.revokeTokens()
			r.breakToken(func(w http.ResponseWriter, req *http.Request) bool {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"secret ` + e2eClientSecret + ` expired (` + req.Header.Get("Authorization") + `)"}`))
				return true
			})
			r.poll()
			r.expectFailed("authentication failed: token endpoint answered HTTP Unauthorized: invalid_client: secret [REDACTED] expired (Basic [REDACTED])")
			r.expectRequests(1, 1)
		}},
		{"token endpoint answering garbage", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.revokeTokens()
			r.breakToken(func(w http.ResponseWriter, _ *http.Request) bool {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte("\x1b]52;c;Z2FyYmFnZQ==\x07{{{"))
				return true
			})
			r.poll()
			line := r.expectFailed(`authentication failed: token endpoint answer unusable: oauth2: cannot parse json: invalid character '\x1b'`)
			r.expectRequests(1, 1)
			if strings.ContainsAny(line, "\x1b\a") {
				t.Errorf("raw escapes in %q", line)
			}
		}},
		{"token without expires_in", rigOptions{noExpiry: true, tokenLife: time.Minute}, func(t *testing.T, r *faultRig) {
			// A 1-minute default lifetime is inside the 60 s early refresh:
			// every poll fetches again, so the default is applied, not "forever".
			r.poll()
			r.poll()
			r.expectFresh()
			r.expectRequests(2, 2)
		}},
		{"token without expires_in keeps the default lifetime", rigOptions{noExpiry: true}, func(t *testing.T, r *faultRig) {
			r.poll()
			r.poll()
			r.expectFresh()
			r.expectRequests(2, 0) // the 30-minute default: the first token still serves
		}},
		{"redirect to another host", rigOptions{}, func(t *testing.T, r *faultRig) {
			var victimCalls, victimSawAuth atomic.Int32
			victim := newVictim(t, &victimCalls, &victimSawAuth)
			r.breakAPI(func(w http.ResponseWriter, req *http.Request, _ api.Request) bool {
				http.Redirect(w, req, victim+"/steal", http.StatusTemporaryRedirect)
				return true
			})
			r.poll()
			r.expectFailed("HTTP 307 Temporary Redirect: redirect to localhost")
			r.expectRequests(1, 0)
			if victimCalls.Load() != 0 || victimSawAuth.Load() != 0 {
				t.Errorf("the redirect was followed: %d calls, %d with a token", victimCalls.Load(), victimSawAuth.Load())
			}
		}},
		{"token endpoint redirect to another host", rigOptions{}, func(t *testing.T, r *faultRig) {
			var victimCalls, victimSawAuth atomic.Int32
			victim := newVictim(t, &victimCalls, &victimSawAuth)
			r.revokeTokens()
			r.breakToken(func(w http.ResponseWriter, req *http.Request) bool {
				http.Redirect(w, req, victim+"/token", http.StatusTemporaryRedirect)
				return true
			})
			r.poll()
			r.expectFailed("authentication failed: token endpoint ")
			r.expectRequests(1, 1)
			if victimCalls.Load() != 0 || victimSawAuth.Load() != 0 {
				t.Errorf("the token request followed the redirect: %d calls, %d with credentials", victimCalls.Load(), victimSawAuth.Load())
			}
		}},
		{"a 50 MiB answer", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(func(w http.ResponseWriter, _ *http.Request, _ api.Request) bool {
				w.Header().Set("Content-Type", "text/xml")
				chunk := bytes.Repeat([]byte("<a>0</a>"), 8192)
				for sent := 0; sent < 50<<20; sent += len(chunk) {
					if _, err := w.Write(chunk); err != nil {
						return true
					}
				}
				return true
			})
			grew := allocatedBy(func() { r.poll() })
			r.expectFailed("response too large (over 4 MiB)")
			r.expectRequests(1, 0)
			// Reading to the 4 MiB cap costs about twice that (buffer growth);
			// race instrumentation adds more. Nowhere near the 50 MiB sent.
			if grew > 24<<20 {
				t.Errorf("the poll allocated %d MiB", grew>>20)
			}
		}},
		{"a gzip bomb", rigOptions{}, func(t *testing.T, r *faultRig) {
			bomb := gzipBomb(16 << 20) // four times the cap
			r.breakAPI(func(w http.ResponseWriter, _ *http.Request, _ api.Request) bool {
				w.Header().Set("Content-Type", "text/xml")
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(bomb)
				return true
			})
			grew := allocatedBy(func() { r.poll() })
			r.expectFailed("response too large (over 4 MiB)")
			r.expectRequests(1, 0)
			if grew > 24<<20 {
				t.Errorf("a %d KiB bomb made the poll allocate %d MiB", len(bomb)>>10, grew>>20)
			}
		}},
		{"an HTML page with status 200", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(func(w http.ResponseWriter, req *http.Request, a api.Request) bool {
				page := "<!DOCTYPE html><html><head><title>Sign in \x1b[5m(" + req.Header.Get("Authorization") + ")</title></head><body>portal</body></html>"
				return answerWith(http.StatusOK, "text/html; charset=utf-8", page)(w, req, a)
			})
			r.poll()
			r.expectFailed(`HTML page instead of an API answer (HTTP 200): Sign in \x1b[5m(Bearer [REDACTED])`)
			r.expectRequests(1, 0)
		}},
		{"XML with entities", rigOptions{}, func(t *testing.T, r *faultRig) {
			var defs strings.Builder
			defs.WriteString(`<!ENTITY l0 "lol">`)
			for i := 1; i < 10; i++ {
				fmt.Fprintf(&defs, `<!ENTITY l%d "%s">`, i, strings.Repeat(fmt.Sprintf("&l%d;", i-1), 10))
			}
			body := `<?xml version="1.0"?><!DOCTYPE Envelope [` + defs.String() + `]>` + statusListXML("&l9;")
			r.breakAPI(answerWith(http.StatusOK, "text/xml", body))
			took := r.poll()
			line := r.expectFailed("malformed answer (HTTP 200)")
			r.expectRequests(1, 0)
			if took > 2*time.Second || strings.Contains(line, "lollol") {
				t.Errorf("entities expanded? %v: %s", took, line)
			}
		}},
		{"XML with external entities", rigOptions{}, func(t *testing.T, r *faultRig) {
			canary := filepath.Join(t.TempDir(), "canary")
			if err := os.WriteFile(canary, []byte("CANARY-FILE-CONTENT"), 0o600); err != nil {
				t.Fatal(err)
			}
			body := `<?xml version="1.0"?><!DOCTYPE Envelope [<!ENTITY xxe SYSTEM "file://` + canary + `">]>` + statusListXML("&xxe;")
			r.breakAPI(answerWith(http.StatusOK, "text/xml", body))
			r.poll()
			line := r.expectFailed("malformed answer (HTTP 200)")
			r.expectRequests(1, 0)
			if strings.Contains(line, "CANARY") || strings.Contains(r.suite.Log(), "CANARY") {
				t.Errorf("the external entity was read: %s", line)
			}
		}},
		{"XML with 100000 levels of nesting", rigOptions{}, func(t *testing.T, r *faultRig) {
			deep := strings.Repeat("<x>", 100000) + strings.Repeat("</x>", 100000)
			// In the SOAP body instead of the answer: refused.
			r.breakAPI(answerWith(http.StatusOK, "text/xml", soapEnvelope(deep)))
			var took time.Duration
			grew := allocatedBy(func() { took = r.poll() })
			r.expectFailed("answer (HTTP 200): ")
			r.expectRequests(1, 0)
			if took > 2*time.Second || grew > 16<<20 {
				t.Errorf("deep nesting took %v and %d MiB", took, grew>>20)
			}
			// Inside a status text: the markup is skipped, the answer used.
			// (encoding/xml keeps a name stack: about 25 bytes allocated per
			// byte of nesting, bounded by the 4 MiB body cap.)
			r.breakAPI(answerWith(http.StatusOK, "text/xml", `<?xml version="1.0"?>`+statusListXML("Sending"+deep)))
			grew = allocatedBy(func() { took = r.poll() })
			if took > 2*time.Second || grew > 32<<20 {
				t.Errorf("deep nesting in a field took %v and %d MiB", took, grew>>20)
			}
			r.expectFresh()
			if d := r.res.Jobs[0].Description; strings.Contains(d, "<x>") {
				t.Errorf("nested markup in a field kept: %.40q", d)
			}
		}},
		{"a TLS certificate that does not verify", rigOptions{tls: true, mode: api.AuthToken}, func(t *testing.T, r *faultRig) {
			// start() is a poll too: it already failed. Poll once more and time it.
			took := r.poll()
			r.expectFailed("TLS failed (not retried): x509: certificate signed by unknown authority")
			if took > 2*time.Second || r.apiCalls.Load() != 0 || len(r.sleeps()) != 0 {
				t.Errorf("took %v, %d handled requests, waits %v: want fast, no retry", took, r.apiCalls.Load(), r.sleeps())
			}
			// And there is no way to switch the check off.
			_, err := api.New(api.Options{Endpoint: r.api.URL, UserID: e2eUserID, Auth: api.Auth{Mode: api.AuthToken, Token: api.NewSecret(e2eStaticToken)},
				Transport: r.api.Client().Transport.(*http.Transport).Clone()})
			insecure := r.api.Client().Transport.(*http.Transport).Clone()
			insecure.TLSClientConfig.InsecureSkipVerify = true
			_, err2 := api.New(api.Options{Endpoint: r.api.URL, UserID: e2eUserID, Auth: api.Auth{Mode: api.AuthToken, Token: api.NewSecret(e2eStaticToken)}, Transport: insecure})
			if err != nil || err2 == nil || !strings.Contains(err2.Error(), "must not skip TLS verification") {
				t.Errorf("trusted transport: %v; InsecureSkipVerify: %v", err, err2)
			}
		}},
	}
}

// waitGone blocks until the client hangs up (bounded, so a bug fails the
// test instead of hanging it).
func waitGone(req *http.Request) {
	select {
	case <-req.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

// statusListXML is a well-formed SOAP 1.1 GetFaxStatus answer whose first
// description is the raw XML given (without the XML declaration, so a DTD
// can go in front).
func statusListXML(description string) string {
	var asked []string
	for _, id := range faultIDs {
		asked = append(asked, string(id))
	}
	resp := healthyAnswer(api.Request{Op: api.OperationOf(api.MethodGetFaxStatus), JobIDs: asked})
	resp.Items[0].Description = "DESCRIPTION-HERE"
	body, err := api.EncodeResponse(api.FormatSOAP11, resp)
	if err != nil || !bytes.Contains(body, []byte("DESCRIPTION-HERE")) {
		panic(fmt.Sprint("cannot build the answer: ", err))
	}
	s := strings.Replace(string(body), "DESCRIPTION-HERE", description, 1)
	if strings.HasPrefix(s, "<?xml") {
		s = s[strings.Index(s, "?>")+2:]
	}
	return s
}

func gzipBomb(inflated int) []byte {
	var packed bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&packed, gzip.BestCompression)
	_, _ = zw.Write([]byte(`<?xml version="1.0"?>`))
	zeros := make([]byte, 1<<20)
	for i := 0; i < inflated>>20; i++ {
		_, _ = zw.Write(zeros)
	}
	_ = zw.Close()
	return packed.Bytes()
}

// allocatedBy is the bytes fn allocated (all goroutines: the server's too).
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// newVictim is a server on another host name ("localhost" rather than
// 127.0.0.1) that counts the requests reaching it.
func newVictim(t *testing.T, calls, withAuth *atomic.Int32) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("Authorization") != "" {
			withAuth.Add(1)
		}
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return "http://localhost:" + port
}
