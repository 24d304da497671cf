package sim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"faxwatch/api"
)

// token asks the token endpoint; basic chooses HTTP Basic over the form body.
func token(t *testing.T, s *Server, id, secret string, basic bool) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	if !basic {
		form.Set("client_id", id)
		form.Set("client_secret", secret)
	}
	r := httptest.NewRequest(http.MethodPost, "/oauth2/token", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("token answer is not JSON: %v: %s", err, w.Body.String())
	}
	return w, body
}

func bearerCall(t *testing.T, s *Server, tok string) *httptest.ResponseRecorder {
	t.Helper()
	c := s.Credentials()
	body, _ := api.EncodeRequest(api.FormatSOAP11, api.Request{Op: api.OpGetFaxStatus, UserID: c.UserID, JobIDs: idStrings(s.JobIDs()[:2])})
	return post(t, s, api.FormatSOAP11.ContentType(), body, http.Header{"Authorization": {"Bearer " + tok}})
}

func TestTokenEndpoint(t *testing.T) {
	s, _ := newSim(t, Options{Seed: 9, TokenLifetime: 10 * time.Minute})
	c := s.Credentials()
	tests := []struct {
		name         string
		id, secret   string
		basic        bool
		status       int
		wantErrorKey string
	}{
		{"form body", c.ClientID, c.ClientSecret, false, 200, ""},
		{"basic", c.ClientID, c.ClientSecret, true, 200, ""},
		{"wrong secret form", c.ClientID, "nope", false, 401, "invalid_client"},
		{"wrong secret basic", c.ClientID, "nope", true, 401, "invalid_client"},
		{"wrong id", "someone", c.ClientSecret, false, 401, "invalid_client"},
		{"nothing", "", "", false, 401, "invalid_client"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, body := token(t, s, tc.id, tc.secret, tc.basic)
			if w.Code != tc.status {
				t.Fatalf("HTTP %d, want %d: %v", w.Code, tc.status, body)
			}
			if tc.wantErrorKey != "" {
				if body["error"] != tc.wantErrorKey || body["access_token"] != nil {
					t.Errorf("error body %v", body)
				}
				if strings.Contains(w.Body.String(), c.ClientSecret) {
					t.Error("error body echoes the secret")
				}
				return
			}
			if body["token_type"] != "Bearer" || body["expires_in"] != float64(600) || body["access_token"] == "" {
				t.Errorf("token body %v", body)
			}
			if got := bearerCall(t, s, body["access_token"].(string)); got.Code != 200 {
				t.Errorf("issued token refused: HTTP %d", got.Code)
			}
		})
	}
}

func TestTokenRequestShapeErrors(t *testing.T) {
	s, _ := newSim(t, Options{})
	c := s.Credentials()
	for _, tc := range []struct {
		name, method, body string
		status             int
		errKey             string
	}{
		{"GET", http.MethodGet, "", 405, "invalid_request"},
		{"password grant", http.MethodPost, "grant_type=password&client_id=" + c.ClientID + "&client_secret=" + c.ClientSecret, 400, "unsupported_grant_type"},
		{"no grant", http.MethodPost, "client_id=" + c.ClientID, 400, "unsupported_grant_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/oauth2/token", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			var body map[string]string
			_ = json.Unmarshal(w.Body.Bytes(), &body)
			if w.Code != tc.status || body["error"] != tc.errKey {
				t.Errorf("HTTP %d %v, want %d %s", w.Code, body, tc.status, tc.errKey)
			}
		})
	}
}

func TestTokensExpireByTheClockAndCanBeRevoked(t *testing.T) {
	s, clk := newSim(t, Options{TokenLifetime: time.Minute})
	c := s.Credentials()
	_, body := token(t, s, c.ClientID, c.ClientSecret, false)
	tok := body["access_token"].(string)
	if w := bearerCall(t, s, tok); w.Code != 200 {
		t.Fatalf("fresh token: HTTP %d", w.Code)
	}
	s.SetFaults(Faults{RevokeTokens: true})
	if w := bearerCall(t, s, tok); w.Code != 401 || !strings.Contains(w.Header().Get("WWW-Authenticate"), "invalid_token") {
		t.Fatalf("revoked: HTTP %d %q", w.Code, w.Header().Get("WWW-Authenticate"))
	}
	s.SetFaults(Faults{})
	clk.Advance(59 * time.Second)
	if w := bearerCall(t, s, tok); w.Code != 200 {
		t.Fatalf("revocation cleared, token unexpired: HTTP %d", w.Code)
	}
	clk.Advance(time.Second)
	if w := bearerCall(t, s, tok); w.Code != 401 {
		t.Fatalf("expired token: HTTP %d", w.Code)
	}
	for _, bad := range []string{"sim_unknown", ""} {
		if w := bearerCall(t, s, bad); w.Code != 401 {
			t.Errorf("token %q: HTTP %d", bad, w.Code)
		}
	}
}

func TestLegacyPINAndUserID(t *testing.T) {
	s, _ := newSim(t, Options{})
	c := s.Credentials()
	_, tb := token(t, s, c.ClientID, c.ClientSecret, false)
	tok := tb["access_token"].(string)
	ids := idStrings(s.JobIDs()[:3])
	tests := []struct {
		name, user, pin, bearer string
		wantReturn              bool
	}{
		{"pin", c.UserID, c.PIN, "", true},
		{"wrong pin", c.UserID, "0000", "", false},
		{"wrong user", "mbx0000000000", c.PIN, "", false},
		{"no pin", c.UserID, "", "", false},
		{"bearer, empty pin", c.UserID, "", tok, true},
		{"bearer, wrong user", "mbx0000000000", "", tok, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []api.Format{api.FormatSOAP11, api.FormatSOAP12, api.FormatJSON} {
				body, _ := api.EncodeRequest(f, api.Request{Op: api.OpGetFaxStatus, UserID: tc.user, PIN: tc.pin, JobIDs: ids})
				h := http.Header{}
				if tc.bearer != "" {
					h.Set("Authorization", "Bearer "+tc.bearer)
				}
				w := post(t, s, f.ContentType(), body, h)
				resp, err := api.DecodeResponse(api.OpGetFaxStatus, w.Header().Get("Content-Type"), w.Body.Bytes())
				if err != nil || w.Code != 200 {
					t.Fatalf("%s: HTTP %d %v", f, w.Code, err)
				}
				if resp.Return != tc.wantReturn {
					t.Fatalf("%s: return=%v", f, resp.Return)
				}
				if !tc.wantReturn && (resp.WSError != errAuthFailed || len(resp.Items) != 0) {
					t.Errorf("%s: refused call answered %v with %d items", f, resp.WSError, len(resp.Items))
				}
				if tc.wantReturn && len(resp.Items) != len(ids) {
					t.Errorf("%s: %d items for %d ids", f, len(resp.Items), len(ids))
				}
			}
		})
	}
}
