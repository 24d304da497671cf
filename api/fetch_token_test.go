package api

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// FetchToken fetches in oauth2 mode only, keeps the token for the calls
// after it, and fails as a call would: an *AuthError naming no secret.
func TestFetchToken(t *testing.T) {
	tok := newTokenServer(t, 3600)
	tests := []struct {
		name        string
		auth        Auth
		wantFetched bool
		wantFetches int32 // at the token URL, after FetchToken and one call
		wantAuthErr bool
	}{
		{"oauth2", Auth{Mode: AuthOAuth2, TokenURL: tok.URL, ClientID: "client-1", ClientSecret: NewSecret(testClientSecret)}, true, 1, false},
		{"oauth2 wrong secret", Auth{Mode: AuthOAuth2, TokenURL: tok.URL, ClientID: "client-1", ClientSecret: NewSecret("wrong-secret-123")}, false, 0, true},
		{"token", Auth{Mode: AuthToken, Token: NewSecret(testToken)}, false, 0, false},
		{"pin", Auth{Mode: AuthPIN, PIN: NewSecret(testPIN)}, false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tok.fetches.Load()
			srv := newAPIServer(t, nil)
			c, _ := newTestClient(t, srv.URL, func(o *Options) { o.Auth = tt.auth })
			fetched, err := c.FetchToken(context.Background())
			if fetched != tt.wantFetched {
				t.Errorf("fetched = %v", fetched)
			}
			if _, ok := errors.AsType[*AuthError](err); ok != tt.wantAuthErr || (err != nil && !tt.wantAuthErr) {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				if strings.Contains(err.Error(), "wrong-secret-123") {
					t.Errorf("the secret in the error: %v", err)
				}
				if len(srv.seen()) != 0 {
					t.Errorf("the service was called")
				}
				return
			}
			if len(srv.seen()) != 0 {
				t.Errorf("FetchToken called the service")
			}
			if _, err := c.GetFaxStatus(context.Background(), ids("br00000001")); err != nil {
				t.Fatal(err)
			}
			if n := tok.fetches.Load() - before; n != tt.wantFetches {
				t.Errorf("%d token fetches; want %d (the call reuses the token)", n, tt.wantFetches)
			}
		})
	}
}
