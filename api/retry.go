package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Full-jitter backoff bounds between retries.
const (
	backoffBase = 500 * time.Millisecond
	backoffCap  = 10 * time.Second
)

// outcome is what one attempt learnt beyond its error.
type outcome struct {
	resp         Response
	answered     bool          // a status answer was decoded (return may be false)
	unauthorized bool          // HTTP 401/403
	gen          uint64        // token generation used
	retryAfter   time.Duration // -1 when absent or ignored
}

// call runs one request with retries: at most MaxAttempts tries for
// retryable failures, plus one replay with a fresh token after a 401/403 in
// OAuth mode. Every attempt gets its own request ID and Call record. The
// returned Response is also set for return=false (with a *CallError).
func (c *Client) call(ctx context.Context, op Operation, jobs []string, rec *callRecorder) (Response, Call, error) {
	req := Request{Op: op, UserID: c.opts.UserID, PIN: c.pin, JobIDs: jobs}
	body, err := EncodeRequest(c.opts.Format, req)
	if err != nil {
		return Response{}, Call{ExecutionMS: -1}, err
	}
	replayed := false
	tries := 0
	var call Call
	for n := 1; ; n++ {
		tries++
		var out outcome
		call, out, err = c.attempt(ctx, op, body, len(jobs), n, rec)
		if err == nil || out.answered {
			return out.resp, call, err
		}
		if ctx.Err() != nil {
			return Response{}, call, ctx.Err()
		}
		if out.unauthorized {
			if c.bearer.refreshable() && !replayed {
				replayed = true
				tries--
				c.bearer.invalidate(out.gen)
				continue
			}
			return Response{}, call, err
		}
		if !Retryable(err) {
			return Response{}, call, err // a Retry-After on a 400 is no reason to wait
		}
		if out.retryAfter > c.opts.MaxRetryWait {
			now := c.opts.Now()
			return Response{}, call, &RateLimitError{Until: now.Add(out.retryAfter), HTTPStatus: call.HTTPStatus, now: now}
		}
		if tries >= c.opts.MaxAttempts {
			return Response{}, call, err
		}
		wait := out.retryAfter
		if wait < 0 {
			wait = jitter(tries)
		}
		c.opts.Logger.Debug("concord retry", "op", string(op), "attempt", n, "wait", wait, "err", err.Error())
		if serr := c.opts.Sleep(ctx, wait); serr != nil {
			return Response{}, call, serr
		}
	}
}

// jitter is full-jitter exponential backoff before retry n (1-based).
func jitter(n int) time.Duration {
	ceil := backoffCap
	if n < 16 {
		ceil = min(backoffCap, backoffBase<<(n-1))
	}
	return rand.N(ceil) + 1
}

// attempt makes one HTTP request and classifies its result.
func (c *Client) attempt(ctx context.Context, op Operation, body []byte, jobs, n int, rec *callRecorder) (Call, outcome, error) {
	call := Call{RequestID: uuid.NewString(), Attempt: n, Jobs: jobs, At: c.opts.Now(), ExecutionMS: -1}
	idx := rec.start(call)
	if c.opts.OnAttempt != nil {
		c.opts.OnAttempt(call)
	}
	out := outcome{retryAfter: -1}
	err := c.exchange(ctx, op, body, &call, &out)
	if err != nil {
		call.Err = err.Error()
	}
	rec.finish(idx, call)
	c.opts.Logger.Debug("concord call", "op", string(op), "request_id", call.RequestID, "attempt", n,
		"status", call.HTTPStatus, "activity_id", call.ActivityID, "round_trip", call.RoundTrip, "err", call.Err)
	return call, out, err
}

func (c *Client) exchange(ctx context.Context, op Operation, body []byte, call *Call, out *outcome) error {
	// The token comes first, bounded by the caller's context (and the token
	// client's own timeout), so the request still gets its whole Timeout.
	auth, err := c.authorization(ctx, out)
	if err != nil {
		return err
	}
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := c.newRequest(actx, body, call.RequestID, auth)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := c.http.Do(req)
	if err != nil {
		call.RoundTrip = time.Since(start)
		return c.transportError(ctx, err)
	}
	defer res.Body.Close()
	call.HTTPStatus = res.StatusCode
	call.ActivityID = clean(c.scrub(res.Header.Get("x-ch-activity-id")), maxIDText)
	call.ExecutionMS = parseExecutionMS(res.Header.Get("x-ch-execution-time"))
	data, err := readCapped(res.Body, c.opts.MaxBodyBytes)
	call.RoundTrip = time.Since(start)
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return err
		}
		return c.transportError(ctx, err)
	}
	out.retryAfter = -1
	if v := res.Header.Get("Retry-After"); v != "" && res.StatusCode >= 400 {
		if d, ok := parseRetryAfter(v, c.opts.Now()); ok {
			out.retryAfter = d
		}
	}
	return c.classify(op, res, data, out)
}

// authorization is the Authorization header's value ("" without a bearer
// token); out records the token's generation for the 401 replay.
func (c *Client) authorization(ctx context.Context, out *outcome) (string, error) {
	if c.bearer == nil {
		return "", nil
	}
	tok, gen, err := c.bearer.token(ctx)
	out.gen = gen
	if err == nil {
		return "Bearer " + tok, nil
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	var ae *AuthError
	if errors.As(err, &ae) {
		return "", ae
	}
	return "", &AuthError{Reason: clean(c.scrub(err.Error()), maxSnippet)}
}

// newRequest builds one POST of body in the configured format.
func (c *Client) newRequest(ctx context.Context, body []byte, requestID, auth string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint.String(), bytes.NewReader(body))
	if err != nil {
		return nil, &TransportError{Detail: "cannot build the request", err: err}
	}
	f := c.opts.Format
	req.Header.Set("Content-Type", f.ContentType())
	req.Header.Set("Accept", strings.SplitN(f.ContentType(), ";", 2)[0])
	if f == FormatSOAP11 {
		req.Header.Set("SOAPAction", `""`)
	}
	req.Header.Set("User-Agent", "faxwatch")
	req.Header.Set("x-ch-request-id", requestID)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req, nil
}

// classify turns a complete HTTP answer into a Response or a typed error.
func (c *Client) classify(op Operation, res *http.Response, data []byte, out *outcome) error {
	status := res.StatusCode
	ct := res.Header.Get("Content-Type")
	switch {
	case status >= 200 && status < 300:
		if !looksLikeHTML(ct, data) && !answerType(ct) {
			return &ProtocolError{Kind: KindContentType, HTTPStatus: status, Detail: clean(ct, 80)}
		}
		resp, err := DecodeResponse(op, ct, data)
		if err != nil {
			return withStatus(err, status, c.scrub)
		}
		out.resp = resp
		if op.IsStatusList() {
			out.answered = true
			if !resp.Return {
				return &CallError{WSError: WSError{Code: resp.WSError.Code, Message: clean(c.scrub(resp.WSError.Message), maxFieldText)}}
			}
		}
		return nil
	case status >= 300 && status < 400:
		where := "elsewhere"
		if loc, err := res.Location(); err == nil {
			where = "to " + clean(loc.Host, 80)
		}
		return &HTTPError{Status: status, Snippet: "redirect " + where + " refused"}
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		out.unauthorized = true
		reason := fmt.Sprintf("the server refused the %s (HTTP %d)", c.credentialName(), status)
		var fe *SOAPFault
		if _, err := DecodeResponse(op, ct, data); errors.As(err, &fe) && fe.Reason != "" {
			reason += ": " + clean(c.scrub(fe.Reason), maxSnippet)
		}
		return &AuthError{HTTPStatus: status, Reason: reason}
	}
	// Other failures: a fault body says more than the status line.
	if _, err := DecodeResponse(op, ct, data); err != nil {
		var fe *SOAPFault
		if errors.As(err, &fe) {
			return withStatus(fe, status, c.scrub)
		}
	}
	snip := ""
	if looksLikeHTML(ct, data) {
		snip = c.scrub(htmlTitle(data))
	} else {
		snip = clean(c.scrub(snippet(data)), maxSnippet)
	}
	return &HTTPError{Status: status, Snippet: snip}
}

func (c *Client) credentialName() string {
	switch c.opts.Auth.Mode {
	case AuthPIN:
		return "user ID and PIN"
	case AuthToken:
		return "bearer token"
	}
	return "OAuth token"
}

// answerType reports whether a Content-Type can carry an API answer
// (XML or JSON); a missing one is left to sniffing.
func answerType(ct string) bool {
	if strings.TrimSpace(ct) == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "text/xml" || mt == "application/xml" || mt == "application/json" ||
		strings.HasSuffix(mt, "+xml") || strings.HasSuffix(mt, "+json")
}

// withStatus attaches the HTTP status to codec errors and scrubs their text.
func withStatus(err error, status int, scrub func(string) string) error {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		cp := *pe
		cp.HTTPStatus = status
		cp.Detail = scrub(cp.Detail)
		return &cp
	}
	var fe *SOAPFault
	if errors.As(err, &fe) {
		cp := *fe
		cp.HTTPStatus = status
		cp.Reason = scrub(cp.Reason)
		return &cp
	}
	return err
}

// transportError classifies a failed round trip: the caller's cancellation
// as is, TLS failures as *TLSError, everything else as *TransportError.
func (c *Client) transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		inner = ue.Err
	}
	var (
		cve *tls.CertificateVerificationError
		uae x509.UnknownAuthorityError
		hne x509.HostnameError
		cie x509.CertificateInvalidError
		rhe tls.RecordHeaderError
		ale tls.AlertError
	)
	switch {
	case errors.As(err, &cve):
		return &TLSError{Detail: clean(cve.Err.Error(), maxSnippet)}
	case errors.As(err, &uae), errors.As(err, &hne), errors.As(err, &cie), errors.As(err, &ale):
		return &TLSError{Detail: clean(inner.Error(), maxSnippet)}
	case errors.As(err, &rhe):
		return &TLSError{Detail: "the server does not speak TLS"}
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return &TransportError{Detail: "no answer within " + c.opts.Timeout.String(), Timeout: true, err: errAttemptTimeout}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &TransportError{Detail: "the answer was cut off", err: err}
	}
	return &TransportError{Detail: clean(c.scrub(inner.Error()), maxSnippet), err: err}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// readCapped reads at most max bytes; more is a *TooLargeError.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if int64(len(data)) > max {
		return nil, &TooLargeError{Limit: max}
	}
	if err != nil {
		return nil, err
	}
	return data, nil
}

// MaxHoldOff is the longest a server's Retry-After is obeyed: an hour is the
// longest any documented API asks for, and a larger value (a century, an
// HTTP date in 2099) must not silence monitoring.
const MaxHoldOff = time.Hour

// parseRetryAfter reads delta-seconds or an HTTP-date, capped at MaxHoldOff;
// negative, garbage and past values are ignored.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
				return MaxHoldOff, true
			}
			return 0, false
		}
		return time.Duration(min(secs, uint64(MaxHoldOff/time.Second))) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d <= 0 {
		return 0, false
	}
	return min(d, MaxHoldOff), true
}

// parseExecutionMS reads x-ch-execution-time ("12" or "12.5"); -1 if absent.
func parseExecutionMS(v string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 1e9 || f != f {
		return -1
	}
	return int(f + 0.5)
}
