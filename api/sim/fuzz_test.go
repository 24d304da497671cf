package sim

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzServeHTTP: any body and Content-Type gets a 200 in a known format or
// a fault, never a panic.
func FuzzServeHTTP(f *testing.F) {
	s, _ := newSim(f, Options{Seed: 1, Jobs: 5})
	c := s.Credentials()
	id := string(s.JobIDs()[0])
	f.Add("text/xml", []byte(xmlRequest(env11, "GetFaxStatus", c.UserID, c.PIN, []string{id, "JRI-x"})))
	f.Add("", []byte(xmlRequest(env12, "GetRealTimeFaxStatusEx2", c.UserID, c.PIN, []string{id})))
	f.Add("application/json", []byte(jsonRequest("SimpleGetFaxStatus", c.UserID, c.PIN, []string{id})))
	f.Add("application/json", []byte(`{"GetFaxStatus":{"FaxJobIds":{"item":[{"JobId":1}]}}}`))
	f.Add("application/soap+xml; charset=latin1", []byte(`<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>`))
	f.Add("multipart/form-data; boundary=", []byte{0xff, 0xfe, 0})
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		w := post(t, s, contentType, body, nil)
		switch w.Code {
		case http.StatusOK:
			ct := w.Header().Get("Content-Type")
			if !strings.HasPrefix(ct, "text/xml") && !strings.HasPrefix(ct, "application/soap+xml") && !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("200 with Content-Type %q", ct)
			}
			if w.Body.Len() == 0 {
				t.Fatal("200 with no body")
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusInternalServerError:
			if w.Body.Len() == 0 {
				t.Fatalf("HTTP %d without a fault body", w.Code)
			}
		default:
			t.Fatalf("HTTP %d", w.Code)
		}
		if w.Header().Get("x-ch-activity-id") == "" {
			t.Fatal("no activity ID")
		}
	})
}
