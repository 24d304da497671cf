package sim

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"faxwatch/api"
)

var t0 = Epoch(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))

func newSim(t testing.TB, opts Options) (*Server, *ManualClock) {
	t.Helper()
	clk := NewManualClock(t0)
	opts.Clock = clk
	return New(opts), clk
}

// post sends body to /fax/v5 through the handler, no network.
func post(t testing.TB, h http.Handler, contentType string, body []byte, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/fax/v5", bytes.NewReader(body))
	r.RemoteAddr = "127.0.0.1:40000"
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// ask runs op for ids in format f with the legacy PIN and decodes the answer
// with api's codec.
func ask(t testing.TB, s *Server, f api.Format, op api.Operation, ids ...string) api.Response {
	t.Helper()
	c := s.Credentials()
	body, err := api.EncodeRequest(f, api.Request{Op: op, UserID: c.UserID, PIN: c.PIN, JobIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	w := post(t, s, f.ContentType(), body, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d: %s", f, op, w.Code, w.Body.String())
	}
	resp, err := api.DecodeResponse(op, w.Header().Get("Content-Type"), w.Body.Bytes())
	if err != nil {
		t.Fatalf("%s %s: decode: %v\n%s", f, op, err, w.Body.String())
	}
	return resp
}

func idStrings(ids []api.JobID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// items asks for ids with the richest method and returns the items by index.
func items(t testing.TB, s *Server, ids []string) []api.WireItem {
	t.Helper()
	resp := ask(t, s, api.FormatJSON, api.OpGetRealTimeFaxStatusEx2, ids...)
	if !resp.Return || len(resp.Items) != len(ids) {
		t.Fatalf("return=%v with %d items for %d ids (%v)", resp.Return, len(resp.Items), len(ids), resp.WSError)
	}
	return resp.Items
}
