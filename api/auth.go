package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// earlyRefresh is how long before expiry a cached token is replaced, so a
// token does not expire between fetch and use on a slow link.
const earlyRefresh = 60 * time.Second

// bearer supplies the Authorization header for the oauth2 and token modes.
// OAuth tokens are cached with early refresh; a 401 drops the cache once per
// token generation, so concurrent batches share one refetch.
type bearer struct {
	static string // AuthToken mode

	mu    sync.Mutex
	fetch oauth2.TokenSource // a fresh token per call
	cache oauth2.TokenSource // ReuseTokenSourceWithExpiry over fetch
	gen   uint64
}

func newBearer(o Options, base http.RoundTripper, sc *scrubber) *bearer {
	switch o.Auth.Mode {
	case AuthToken:
		return &bearer{static: o.Auth.Token.Reveal()}
	case AuthOAuth2:
		cfg := &clientcredentials.Config{
			ClientID:     o.Auth.ClientID,
			ClientSecret: o.Auth.ClientSecret.Reveal(),
			TokenURL:     o.Auth.TokenURL,
			Scopes:       o.Auth.Scopes,
			// Basic auth header (RFC 6749 §2.3.1 says servers must support
			// it); explicit so the secret is never re-sent a second way.
			AuthStyle: oauth2.AuthStyleInHeader,
		}
		// The token source keeps this context for every refresh: it must not
		// be request-scoped, and it carries a client with a timeout that
		// refuses redirects.
		tokenClient := &http.Client{Transport: base, Timeout: o.Timeout, CheckRedirect: refuseRedirect}
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, tokenClient)
		b := &bearer{fetch: &fetchSource{cfg: cfg, ctx: ctx, lifetime: o.Auth.DefaultTokenLifetime, scrub: sc}}
		b.cache = oauth2.ReuseTokenSourceWithExpiry(nil, b.fetch, earlyRefresh)
		return b
	}
	return nil
}

// token returns the access token and the cache generation it came from. It
// waits no longer than ctx: a fetch the caller gave up on finishes in the
// background under the token client's timeout (the token source holds its
// own lock meanwhile), so quitting never waits on a hung token endpoint.
func (b *bearer) token(ctx context.Context) (string, uint64, error) {
	if b.static != "" {
		return b.static, 0, nil
	}
	b.mu.Lock()
	src, gen := b.cache, b.gen
	b.mu.Unlock()
	type fetched struct {
		tok *oauth2.Token
		err error
	}
	done := make(chan fetched, 1) // buffered: the fetch never blocks on a gone caller
	go func() {
		tok, err := src.Token()
		done <- fetched{tok, err}
	}()
	select {
	case f := <-done:
		if f.err != nil {
			return "", gen, f.err
		}
		return f.tok.AccessToken, gen, nil
	case <-ctx.Done():
		return "", gen, ctx.Err()
	}
}

// FetchToken gets an OAuth 2.0 access token from the token URL (mode
// oauth2) and keeps it for the calls that follow, so a setup check can tell
// a refused login from a refused call. fetched is false in the other modes,
// which have no token to fetch. Errors are as a call's: *AuthError, or
// ctx's error.
func (c *Client) FetchToken(ctx context.Context) (fetched bool, err error) {
	if c.opts.Auth.Mode != AuthOAuth2 || !c.bearer.refreshable() {
		return false, nil
	}
	_, err = c.authorization(ctx, &outcome{})
	return err == nil, err
}

// refreshable reports whether a 401 can be answered with a new token.
func (b *bearer) refreshable() bool { return b != nil && b.fetch != nil }

// invalidate drops the cached token unless another caller already did.
func (b *bearer) invalidate(gen uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if gen == b.gen {
		b.gen++
		b.cache = oauth2.ReuseTokenSourceWithExpiry(nil, b.fetch, earlyRefresh)
	}
}

// fetchSource asks the token endpoint every time; tokens without expires_in
// get the configured default lifetime so they are refreshed at all.
type fetchSource struct {
	cfg      *clientcredentials.Config
	ctx      context.Context
	lifetime time.Duration
	scrub    *scrubber // learns each issued token, so server echoes of it are redacted
}

func (s *fetchSource) Token() (*oauth2.Token, error) {
	tok, err := s.cfg.Token(s.ctx)
	if err != nil {
		return nil, tokenError(err, s.scrub.scrub)
	}
	if tok.AccessToken == "" || !headerSafe(tok.AccessToken) {
		return nil, &AuthError{Reason: "the token endpoint returned an unusable access token"}
	}
	s.scrub.remember(tok.AccessToken)
	if tok.Expiry.IsZero() {
		tok.Expiry = time.Now().Add(s.lifetime) // the real clock: oauth2 checks expiry with it
	}
	return tok, nil
}

// tokenError turns an oauth2 failure into an AuthError with a short,
// sanitised reason: never the raw body in full, never a secret.
func tokenError(err error, scrub func(string) string) *AuthError {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		var reason string
		switch {
		case re.ErrorCode != "":
			reason = re.ErrorCode
			if re.ErrorDescription != "" {
				reason += ": " + re.ErrorDescription
			}
		case looksLikeHTML("", re.Body):
			reason = "HTML page " + htmlTitle(re.Body)
		default:
			reason = string(re.Body)
		}
		msg := "token endpoint answered"
		if status != 0 {
			msg += " HTTP " + http.StatusText(status)
		}
		reason = strings.Join(strings.Fields(reason), " ")
		if reason != "" {
			msg += ": " + reason
		}
		return &AuthError{HTTPStatus: status, Reason: clean(scrub(msg), maxSnippet)}
	}
	// Only a failed round trip is "unreachable"; an answer oauth2 could not
	// parse came from a reachable endpoint.
	msg := "token endpoint answer unusable: "
	var ue *url.Error
	if errors.As(err, &ue) {
		err, msg = ue.Err, "token endpoint unreachable: "
	}
	return &AuthError{Reason: clean(scrub(msg+err.Error()), maxSnippet)}
}

func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
