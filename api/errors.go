package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Every error the client returns is one of the types below (or wraps a
// context error). Error() is one short human line with server text already
// sanitised and truncated; none of them can carry a secret.

// ProtocolKind says what was wrong with an answer's body.
type ProtocolKind string

const (
	KindHTML            ProtocolKind = "html"             // a proxy's HTML page
	KindContentType     ProtocolKind = "content-type"     // neither XML nor JSON
	KindEmpty           ProtocolKind = "empty"            // no body at all
	KindTruncated       ProtocolKind = "truncated"        // body or document ended early
	KindMalformed       ProtocolKind = "malformed"        // not parseable / bad field
	KindUnexpected      ProtocolKind = "unexpected"       // parseable but not the expected answer
	KindVersionMismatch ProtocolKind = "version-mismatch" // SOAP envelope version differs (server side)
	KindCharset         ProtocolKind = "charset"          // a declared character set faxwatch cannot read
)

// ProtocolError is an answer that could not be used.
type ProtocolError struct {
	Kind       ProtocolKind
	Detail     string // sanitised
	HTTPStatus int    // 0 when not known (codec level)
}

func (e *ProtocolError) Error() string {
	status := ""
	if e.HTTPStatus != 0 {
		status = fmt.Sprintf(" (HTTP %d)", e.HTTPStatus)
	}
	var s string
	switch e.Kind {
	case KindHTML:
		s = "HTML page instead of an API answer" + status
	case KindContentType:
		s = "unexpected content type" + status
	case KindEmpty:
		s = "empty answer" + status
	case KindTruncated:
		s = "truncated answer" + status
	case KindMalformed:
		s = "malformed answer" + status
	case KindVersionMismatch:
		s = "SOAP version mismatch"
	case KindCharset:
		s = "answer in an unknown character set" + status
	default:
		s = "unexpected answer" + status
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// SOAPFault is a SOAP Fault of either version, or its JSON equivalent.
type SOAPFault struct {
	Version    string // "1.1", "1.2" or "json"
	Code       string // local part: Client, Server, Sender, Receiver, …
	Reason     string // sanitised, truncated
	HTTPStatus int
}

func newSOAPFault(version, code, reason string) *SOAPFault {
	if i := strings.LastIndexByte(code, ':'); i >= 0 {
		code = code[i+1:]
	}
	return &SOAPFault{Version: version, Code: clean(strings.TrimSpace(code), 40), Reason: clean(strings.TrimSpace(reason), maxSnippet)}
}

func (e *SOAPFault) Error() string {
	code := e.Code
	if code == "" {
		code = "unknown"
	}
	reason := e.Reason
	if reason == "" {
		reason = "no reason given"
	}
	return fmt.Sprintf("server fault (%s): %s", code, reason)
}

// senderFault reports whether the fault blames the request (never retried).
func (e *SOAPFault) senderFault() bool {
	return strings.EqualFold(e.Code, "Client") || strings.EqualFold(e.Code, "Sender") || strings.EqualFold(e.Code, "VersionMismatch")
}

// CallError is an answer with return=false: the whole call was refused.
type CallError struct {
	WSError WSError // sanitised
}

func (e *CallError) Error() string {
	if e.WSError.IsZero() {
		return "call failed: the server said return=false without an error"
	}
	return "call failed: error " + e.WSError.String()
}

// ItemError is an answer's item for one job that could not be used; the
// call's other items are applied.
type ItemError struct {
	Reason string // sanitised
}

func (e *ItemError) Error() string { return "unusable answer for this job: " + e.Reason }

// HTTPError is a non-success HTTP status without a usable body.
type HTTPError struct {
	Status  int
	Snippet string // sanitised excerpt of the body
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
	if e.Snippet != "" {
		s += ": " + e.Snippet
	}
	return strings.TrimSpace(s)
}

// TooLargeError is an answer over Options.MaxBodyBytes.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return "response too large (over " + formatBytes(e.Limit) + ")"
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// RateLimitError is a Retry-After longer than Options.MaxRetryWait: the
// client gives up rather than block. Until is at most MaxHoldOff ahead.
type RateLimitError struct {
	Until      time.Time
	HTTPStatus int
	now        time.Time // the client's clock when the server answered
}

// Error names the time, with the date when it is not today and the year
// when it is not this year, so it never reads as a time already past.
func (e *RateLimitError) Error() string {
	until := e.Until.Local()
	now := until
	if !e.now.IsZero() {
		now = e.now.Local()
	}
	layout := "15:04:05"
	switch {
	case until.Year() != now.Year():
		layout = "Jan 2 2006 15:04:05"
	case until.YearDay() != now.YearDay():
		layout = "Jan 2 15:04:05"
	}
	return "rate limited until " + until.Format(layout)
}

// AuthError is a failed token fetch, or a rejection after the one replay.
type AuthError struct {
	HTTPStatus int    // of the API answer, or of the token endpoint; 0 if none
	Reason     string // sanitised, truncated, secret-free
}

func (e *AuthError) Error() string { return "authentication failed: " + e.Reason }

// TLSError is a certificate or handshake failure; never retried.
type TLSError struct{ Detail string }

func (e *TLSError) Error() string { return "TLS failed (not retried): " + e.Detail }

// TransportError is a network failure before a complete answer arrived.
type TransportError struct {
	Detail  string
	Timeout bool
	err     error
}

func (e *TransportError) Error() string { return "network: " + e.Detail }

// errAttemptTimeout stands in for the attempt's own deadline, so that a
// context error from the client always means the caller's context.
var errAttemptTimeout = errors.New("attempt timed out")

func (e *TransportError) Unwrap() error { return e.err }

// Retryable reports whether an attempt that failed with err may be repeated:
// transport errors (a body cut off in transit included), 408/429/500/502/503/504 and server-side
// faults. Context cancellation, TLS, auth, other 4xx, client faults,
// return=false and oversize answers are not.
func Retryable(err error) bool {
	var (
		te *TransportError
		he *HTTPError
		fe *SOAPFault
	)
	switch {
	case err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return false // the caller's context: transportError returns it bare
	case errors.As(err, &te):
		return true
	case errors.As(err, &he):
		return retryableStatus(he.Status)
	case errors.As(err, &fe):
		return !fe.senderFault() && retryableStatus(fe.HTTPStatus)
	}
	return false
}

func retryableStatus(status int) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
