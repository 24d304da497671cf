// Package api speaks the Concord Fax Web Services status protocol and nothing
// else: the wire formats (SOAP 1.1, SOAP 1.2, JSON) in both directions, auth
// (OAuth 2.0 client credentials, a static bearer token, the legacy PIN),
// batching with bounded concurrency, retries with capped backoff, body size
// limits, typed errors, job-ID parsing and the one Sanitize function that makes
// network text safe for a terminal.
//
// It must not import Bubble Tea, Lip Gloss, the watchlist or anything that
// touches files: callers own presentation and persistence.
package api
