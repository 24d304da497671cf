package sim

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"faxwatch/api"
)

const (
	env11 = "http://schemas.xmlsoap.org/soap/envelope/"
	env12 = "http://www.w3.org/2003/05/soap-envelope"
)

// rootNS is the namespace of a document's root element.
func rootNS(t *testing.T, body []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("no root element: %v\n%s", err, body)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Space
		}
	}
}

func TestAnswersInTheFormAsked(t *testing.T) {
	s, _ := newSim(t, Options{})
	c := s.Credentials()
	tests := []struct {
		name, contentType string
		format            api.Format
		wantCT, wantEnv   string
	}{
		{"soap 1.1", "text/xml; charset=utf-8", api.FormatSOAP11, "text/xml", env11},
		{"soap 1.2", "application/soap+xml; charset=utf-8", api.FormatSOAP12, "application/soap+xml", env12},
		{"soap 1.2 by default", "", api.FormatSOAP12, "application/soap+xml", env12},
		{"json", "application/json", api.FormatJSON, "application/json", ""},
	}
	for _, tc := range tests {
		for _, op := range []api.Operation{api.OpGetFaxStatus, api.OpGetRealTimeFaxStatus, api.OpGetRealTimeFaxStatusEx, api.OpGetRealTimeFaxStatusEx2, api.OpSimpleGetFaxStatus, api.OpCheckService} {
			t.Run(tc.name+"/"+string(op), func(t *testing.T) {
				ids := idStrings(s.JobIDs()[:4])
				if op == api.OpSimpleGetFaxStatus {
					ids = ids[:1]
				}
				body, err := api.EncodeRequest(tc.format, api.Request{Op: op, UserID: c.UserID, PIN: c.PIN, JobIDs: ids})
				if err != nil {
					t.Fatal(err)
				}
				w := post(t, s, tc.contentType, body, nil)
				if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), tc.wantCT) {
					t.Fatalf("HTTP %d %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
				}
				if tc.wantEnv != "" && rootNS(t, w.Body.Bytes()) != tc.wantEnv {
					t.Errorf("envelope %q, want %q", rootNS(t, w.Body.Bytes()), tc.wantEnv)
				}
				resp, err := api.DecodeResponse(op, w.Header().Get("Content-Type"), w.Body.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				switch op {
				case api.OpCheckService:
					if resp.CheckValue == "" {
						t.Error("empty CheckService answer")
					}
				case api.OpSimpleGetFaxStatus:
					if resp.SimpleValue != api.StatusSucceeded {
						t.Errorf("SimpleGetFaxStatus of a finished job = %d", resp.SimpleValue)
					}
				default:
					if !resp.Return || len(resp.Items) != 4 || resp.Items[0].FaxJobID != ids[0] {
						t.Errorf("return=%v items=%v", resp.Return, resp.Items)
					}
				}
			})
		}
	}
}

func TestSimpleGetFaxStatusValues(t *testing.T) {
	s, _ := newSim(t, Options{})
	for id, want := range map[string]int64{string(s.JobIDs()[1]): 2, string(s.JobIDs()[2]): 3, s.unknown: -5019, string(s.JobIDs()[6]): statusHeld} {
		if got := ask(t, s, api.FormatSOAP11, api.OpSimpleGetFaxStatus, id).SimpleValue; got != want {
			t.Errorf("%s: %d, want %d", id, got, want)
		}
	}
	c := s.Credentials()
	body, _ := api.EncodeRequest(api.FormatJSON, api.Request{Op: api.OpSimpleGetFaxStatus, UserID: c.UserID, PIN: "bad", JobIDs: []string{string(s.JobIDs()[0])}})
	resp, _ := api.DecodeResponse(api.OpSimpleGetFaxStatus, "application/json", post(t, s, "application/json", body, nil).Body.Bytes())
	if resp.SimpleValue != int64(errAuthFailed.Code) {
		t.Errorf("wrong PIN: %d", resp.SimpleValue)
	}
}

func TestBadRequestsGetFaultsOfTheirVersion(t *testing.T) {
	s, _ := newSim(t, Options{})
	unknownOp11 := `<s:Envelope xmlns:s="` + env11 + `" xmlns:u="urn:FaxWS"><s:Body><u:SendFax/></s:Body></s:Envelope>`
	unknownOp12 := `<s:Envelope xmlns:s="` + env12 + `" xmlns:u="urn:FaxWS"><s:Body><u:DeleteEverything/></s:Body></s:Envelope>`
	tests := []struct {
		name, contentType, body string
		status                  int
		wantEnv, wantCode       string
	}{
		{"unknown op 1.1", "text/xml", unknownOp11, 500, env11, "Client"},
		{"unknown op 1.2", "application/soap+xml", unknownOp12, 400, env12, "Sender"},
		{"malformed 1.1", "text/xml", "<s:Envelope xmlns:s='" + env11 + "'><s:Body>", 500, env11, "Client"},
		{"malformed 1.2", "application/soap+xml", "not xml at all", 400, env12, "Sender"},
		{"version mismatch", "text/xml", unknownOp12, 500, env11, "Client"},
		{"unknown json op", "application/json", `{"SendFax":{}}`, 400, "", "Client"},
		{"malformed json", "application/json", `{"GetFaxStatus":`, 400, "", "Client"},
		{"unsupported type", "text/plain", "hello", 415, env12, "Sender"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := post(t, s, tc.contentType, []byte(tc.body), nil)
			if w.Code != tc.status {
				t.Errorf("HTTP %d, want %d", w.Code, tc.status)
			}
			if tc.wantEnv != "" && rootNS(t, w.Body.Bytes()) != tc.wantEnv {
				t.Errorf("fault envelope %q, want %q", rootNS(t, w.Body.Bytes()), tc.wantEnv)
			}
			_, err := api.DecodeResponse(api.OpGetFaxStatus, w.Header().Get("Content-Type"), w.Body.Bytes())
			var fault *api.SOAPFault
			if !asFault(err, &fault) || fault.Code != tc.wantCode {
				t.Errorf("decoded as %v, want a %s fault:\n%s", err, tc.wantCode, w.Body.String())
			}
		})
	}
}

func TestEveryAnswerCarriesTraceHeaders(t *testing.T) {
	s, _ := newSim(t, Options{})
	for _, tc := range []struct{ method, path, ct, body string }{
		{"POST", "/fax/v5", "text/xml", "garbage"},
		{"GET", "/fax/v5", "", ""},
		{"GET", "/fax/v5/faxws.wsdl", "", ""},
		{"POST", "/oauth2/token", "application/x-www-form-urlencoded", "grant_type=client_credentials"},
		{"GET", "/nowhere", "", ""},
		{"POST", "/fax/v5", "text/xml", ""},
	} {
		r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
		r.Header.Set("Content-Type", tc.ct)
		r.Header.Set("Authorization", "Bearer nope")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Header().Get("x-ch-activity-id") == "" {
			t.Errorf("%s %s: no x-ch-activity-id", tc.method, tc.path)
		}
		if _, err := strconv.Atoi(w.Header().Get("x-ch-execution-time")); err != nil {
			t.Errorf("%s %s: x-ch-execution-time %q", tc.method, tc.path, w.Header().Get("x-ch-execution-time"))
		}
	}
}

func TestWSDLPointsAtTheSimulator(t *testing.T) {
	s, _ := newSim(t, Options{})
	for _, path := range []string{"/fax/v5/faxws.wsdl", "/fax/v5?wsdl"} {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.Host = "127.0.0.1:8099"
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, `location="http://127.0.0.1:8099/fax/v5"`) || strings.Contains(body, "ws.concordfax.com/fax/v5\"") {
			t.Errorf("%s: HTTP %d, address not rewritten", path, w.Code)
		}
		if len(body) < len(faxWSDL)-100 {
			t.Errorf("%s: WSDL cut short", path)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/fax/v5/faxws.wsdl", nil)
	r.Host = `evil"><x`
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if strings.Contains(w.Body.String(), "evil") {
		t.Error("a hostile Host header reached the WSDL")
	}
}
