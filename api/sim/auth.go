package sim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Credentials are the simulated account's: obviously fake, derived from the
// seed unless Options set them.
type Credentials struct {
	UserID, ClientID, ClientSecret, PIN string
}

func defaultCredentials(seed int64) Credentials {
	rng := mrand.New(mrand.NewPCG(uint64(seed), 0x63726564))
	return Credentials{
		UserID:       fmt.Sprintf("mbx%010d", rng.Int64N(1e10)),
		ClientID:     fmt.Sprintf("sim-client-%08x", rng.Uint32()),
		ClientSecret: fmt.Sprintf("sim-secret-%016x", rng.Uint64()),
		PIN:          fmt.Sprintf("sim%06d", rng.IntN(1e6)),
	}
}

// maxTokens bounds the token table; the oldest are dropped first.
const maxTokens = 10000

// tokenStore holds issued bearer tokens and their expiry.
type tokenStore struct {
	mu     sync.Mutex
	expiry map[string]time.Time
	order  []string
}

func (ts *tokenStore) issue(now time.Time, lifetime time.Duration) string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	tok := "sim_" + base64.RawURLEncoding.EncodeToString(b[:])
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.expiry == nil {
		ts.expiry = map[string]time.Time{}
	}
	for len(ts.order) > 0 && (len(ts.order) >= maxTokens || !now.Before(ts.expiry[ts.order[0]])) {
		delete(ts.expiry, ts.order[0])
		ts.order = ts.order[1:]
	}
	ts.expiry[tok] = now.Add(lifetime)
	ts.order = append(ts.order, tok)
	return tok
}

func (ts *tokenStore) valid(tok string, now time.Time) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	exp, ok := ts.expiry[tok]
	return ok && now.Before(exp)
}

// handleToken is the OAuth 2.0 client-credentials grant (RFC 6749 §4.4),
// with the client authenticated by HTTP Basic or by the form body.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	s.tokenCalls.Add(1)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	if !equal(id, s.creds.ClientID) || !equal(secret, s.creds.ClientSecret) {
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="faxwatch-sim"`)
		}
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	lifetime := s.opts.TokenLifetime
	tok := s.tokens.issue(s.clock.Now(), lifetime)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   int64(lifetime / time.Second),
	})
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// checkBearer answers 401 and reports false when the request carries an
// Authorization header that is not a live bearer token. No header at all is
// the legacy PIN mode and passes here.
func (s *Server) checkBearer(w http.ResponseWriter, r *http.Request, revoked bool) (bearer, ok bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return false, true
	}
	scheme, tok, _ := strings.Cut(h, " ")
	switch {
	case !strings.EqualFold(scheme, "Bearer") || tok == "":
		w.Header().Set("WWW-Authenticate", `Bearer realm="faxwatch-sim"`)
		http.Error(w, "Unauthorized: bearer token required", http.StatusUnauthorized)
		return true, false
	case revoked || !s.tokens.valid(strings.TrimSpace(tok), s.clock.Now()):
		w.Header().Set("WWW-Authenticate", `Bearer realm="faxwatch-sim", error="invalid_token", error_description="the access token expired or was revoked"`)
		http.Error(w, "Unauthorized: invalid or expired token", http.StatusUnauthorized)
		return true, false
	}
	return true, true
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
