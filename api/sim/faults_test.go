package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"faxwatch/api"
)

func asFault(err error, f **api.SOAPFault) bool { return errors.As(err, f) }

// TestFaultKnobsOnTheWire shows each knob's effect on raw HTTP, before any
// client interprets it (client_test.go shows the client's side).
func TestFaultKnobsOnTheWire(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		check  func(t *testing.T, w *httptest.ResponseRecorder, f api.Format, ids []api.JobID)
	}{
		{"error rate", Faults{ErrorRate: 1}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			if w.Code != 500 && w.Code != 503 {
				t.Errorf("HTTP %d", w.Code)
			}
		}},
		{"rate limit", Faults{RateLimitRate: 1, RetryAfter: 1500 * time.Millisecond}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			if w.Code != 429 || w.Header().Get("Retry-After") != "2" {
				t.Errorf("HTTP %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
			}
		}},
		{"truncate", Faults{Truncate: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			if cl := w.Header().Get("Content-Length"); cl == "" || cl == "0" || len(w.Body.Bytes())*2 > atoi(cl)+1 {
				t.Errorf("Content-Length %s, sent %d", cl, w.Body.Len())
			}
		}},
		{"malformed", Faults{Malformed: true}, func(t *testing.T, w *httptest.ResponseRecorder, f api.Format, ids []api.JobID) {
			if f == api.FormatJSON && json.Valid(w.Body.Bytes()) {
				t.Error("JSON is valid")
			}
			if _, err := api.DecodeResponse(api.OpGetFaxStatus, w.Header().Get("Content-Type"), w.Body.Bytes()); err == nil {
				t.Error("malformed body decoded")
			}
		}},
		{"html", Faults{HTML: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || !strings.Contains(w.Body.String(), "<html>") {
				t.Errorf("HTTP %d %q", w.Code, w.Header().Get("Content-Type"))
			}
		}},
		{"soap fault", Faults{SOAPFault: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			_, err := api.DecodeResponse(api.OpGetFaxStatus, w.Header().Get("Content-Type"), w.Body.Bytes())
			var fault *api.SOAPFault
			if w.Code != 500 || !asFault(err, &fault) || (fault.Code != "Server" && fault.Code != "Receiver") {
				t.Errorf("HTTP %d, %v", w.Code, err)
			}
		}},
		{"return false", Faults{ReturnFalse: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			resp, err := api.DecodeResponse(api.OpGetFaxStatus, w.Header().Get("Content-Type"), w.Body.Bytes())
			if err != nil || resp.Return || resp.WSError != errService {
				t.Errorf("%+v %v", resp, err)
			}
		}},
		{"oversize", Faults{Oversize: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			if w.Body.Len() <= 4<<20 {
				t.Errorf("body %d bytes", w.Body.Len())
			}
			// The answer stays well-formed: padding is trailing JSON
			// whitespace or one XML comment after the root element.
			if tail := bytes.TrimRight(w.Body.Bytes(), " \n"); !bytes.HasSuffix(tail, []byte("-->")) && !bytes.HasSuffix(tail, []byte("}}")) {
				t.Errorf("padding is not trailing whitespace or a comment")
			}
		}},
		{"omit items", Faults{OmitItems: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			resp, _ := api.DecodeResponse(api.OpGetFaxStatus, w.Header().Get("Content-Type"), w.Body.Bytes())
			if len(resp.Items) != 2 {
				t.Errorf("%d items for 4 ids", len(resp.Items))
			}
		}},
		{"reorder items", Faults{ReorderItems: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			resp, _ := api.DecodeResponse(api.OpGetFaxStatus, w.Header().Get("Content-Type"), w.Body.Bytes())
			if len(resp.Items) != 4 || resp.Items[0].FaxJobID != string(ids[3]) {
				t.Errorf("items %v", resp.Items)
			}
		}},
		{"hostile", Faults{Hostile: true}, func(t *testing.T, w *httptest.ResponseRecorder, f api.Format, ids []api.JobID) {
			resp, err := api.DecodeResponse(api.OpGetFaxStatus, w.Header().Get("Content-Type"), w.Body.Bytes())
			if err != nil || len(resp.Items) != 4 {
				t.Fatalf("%v", err)
			}
			d := resp.Items[0].Description
			if !strings.Contains(d, "\u009b") || !strings.Contains(d, "\u202e") || !strings.Contains(d, "\r") {
				t.Errorf("hostile text lost its C1/bidi/CR: %q", d)
			}
			if f == api.FormatJSON && !strings.Contains(d, "\x1b]52;") {
				t.Errorf("JSON should carry the OSC 52 escape: %q", d)
			}
			if !strings.Contains(w.Header().Get("x-ch-activity-id"), "\u202e") {
				t.Error("activity ID not hostile")
			}
		}},
		{"hostile SOAP uses both forms", Faults{Hostile: true}, func(t *testing.T, w *httptest.ResponseRecorder, f api.Format, ids []api.JobID) {
			if f != api.FormatJSON && (!bytes.Contains(w.Body.Bytes(), []byte("&#x1B;")) || !bytes.Contains(w.Body.Bytes(), []byte("\x1b"))) {
				t.Errorf("hostile SOAP lacks raw or referenced controls:\n%q", w.Body.Bytes())
			}
		}},
		{"control chars raw", Faults{ControlChars: api.ControlsRaw}, controlCharsCheck(api.ControlsRaw)},
		{"control chars ref", Faults{ControlChars: api.ControlsRef}, controlCharsCheck(api.ControlsRef)},
		{"redirect", Faults{Redirect: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			if w.Code != 307 || !strings.HasPrefix(w.Header().Get("Location"), "http://localhost") {
				t.Errorf("HTTP %d Location %q", w.Code, w.Header().Get("Location"))
			}
		}},
		{"empty body", Faults{EmptyBody: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			if w.Code != 200 || w.Body.Len() != 0 {
				t.Errorf("HTTP %d with %d bytes", w.Code, w.Body.Len())
			}
		}},
		{"wrong content type", Faults{WrongContentType: true}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
				t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
			}
		}},
		{"latency", Faults{Latency: 20 * time.Millisecond}, func(t *testing.T, w *httptest.ResponseRecorder, _ api.Format, ids []api.JobID) {
			if atoi(w.Header().Get("x-ch-execution-time")) < 20 {
				t.Errorf("execution time %s ms", w.Header().Get("x-ch-execution-time"))
			}
		}},
	}
	for _, tc := range tests {
		for _, f := range []api.Format{api.FormatSOAP11, api.FormatSOAP12, api.FormatJSON} {
			t.Run(tc.name+"/"+string(f), func(t *testing.T) {
				s, _ := newSim(t, Options{Faults: tc.faults})
				ids := s.JobIDs()[:4]
				c := s.Credentials()
				body, _ := api.EncodeRequest(f, api.Request{Op: api.OpGetFaxStatus, UserID: c.UserID, PIN: c.PIN, JobIDs: idStrings(ids)})
				tc.check(t, post(t, s, f.ContentType(), body, nil), f, ids)
				if s.Calls() != 1 {
					t.Errorf("Calls() = %d", s.Calls())
				}
			})
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func TestReorderReversesAndOmitDropsEveryOther(t *testing.T) {
	s, _ := newSim(t, Options{})
	ids := idStrings(s.JobIDs()[:5])
	s.SetFaults(Faults{ReorderItems: true})
	got := ask(t, s, api.FormatSOAP11, api.OpGetFaxStatus, ids...).Items
	for i := range got {
		if got[i].FaxJobID != ids[len(ids)-1-i] {
			t.Fatalf("reordered items %v", got)
		}
	}
	s.SetFaults(Faults{OmitItems: true})
	got = ask(t, s, api.FormatSOAP11, api.OpGetFaxStatus, ids...).Items
	if len(got) != 2 || got[0].FaxJobID != ids[1] || got[1].FaxJobID != ids[3] {
		t.Fatalf("omitted items %v", got)
	}
}

func TestHangEndsWithTheRequestContext(t *testing.T) {
	s, _ := newSim(t, Options{Faults: Faults{Hang: true}})
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequest(http.MethodPost, "/fax/v5", strings.NewReader("x")).WithContext(ctx)
	done := make(chan struct{})
	w := httptest.NewRecorder()
	go func() { s.ServeHTTP(w, r); close(done) }()
	select {
	case <-done:
		t.Fatal("answered while hanging")
	case <-time.After(20 * time.Millisecond):
	}
	cancel()
	<-done
	if w.Body.Len() != 0 {
		t.Errorf("hang wrote %q", w.Body.String())
	}
}

func TestHostileTextIsReallyHostile(t *testing.T) {
	for _, want := range []string{"\x1b[2J", "\x1b]52;", "\x1b]0;", "\r", "\u009b", "\u202e"} {
		if !strings.Contains(hostileText, want) {
			t.Errorf("hostileText lacks %q", want)
		}
	}
	if utf8.ValidString(hostileText) {
		t.Error("hostileText should carry invalid UTF-8")
	}
}

func TestFaultsEndpoint(t *testing.T) {
	s, _ := newSim(t, Options{})
	call := func(method, body, remote string) (*httptest.ResponseRecorder, Faults) {
		r := httptest.NewRequest(method, "/sim/faults", strings.NewReader(body))
		r.RemoteAddr = remote
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		var f Faults
		if w.Code == 200 {
			if err := json.Unmarshal(w.Body.Bytes(), &f); err != nil {
				t.Fatalf("GET answer does not read back: %v", err)
			}
		}
		return w, f
	}
	if w, _ := call("GET", "", "192.0.2.7:5000"); w.Code != 403 {
		t.Errorf("non-loopback peer: HTTP %d", w.Code)
	}
	w, f := call("POST", `{"error_rate":0.25,"latency":"300ms","hostile":true}`, "127.0.0.1:5000")
	if w.Code != 200 || f.ErrorRate != 0.25 || f.Latency != 300*time.Millisecond || !f.Hostile || s.Faults() != f {
		t.Fatalf("POST: HTTP %d %+v", w.Code, f)
	}
	if _, f = call("POST", `{"hostile":false}`, "[::1]:5000"); f.Hostile || f.ErrorRate != 0.25 {
		t.Errorf("POST did not merge: %+v", f)
	}
	if _, f = call("POST", `{"control_chars":"ref"}`, "127.0.0.1:5000"); f.ControlChars != api.ControlsRef || f.ErrorRate != 0.25 {
		t.Errorf("control_chars: %+v", f)
	}
	for _, bad := range []string{`{"control_chars":"both"}`, `{"error_rate":2}`, `{"latency":"soon"}`, `{"nonsense":true}`, `[`, `{} {}`} {
		if w, _ := call("POST", bad, "127.0.0.1:1"); w.Code != 400 {
			t.Errorf("%s: HTTP %d", bad, w.Code)
		}
	}
	if s.Faults().ErrorRate != 0.25 {
		t.Error("a refused POST changed the faults")
	}
	if _, f = call("DELETE", "", "127.0.0.1:1"); f != (Faults{}) {
		t.Errorf("DELETE left %+v", f)
	}
}

// controlCharsCheck: the status texts carry controls in the chosen form on
// the wire, and a client reads them.
func controlCharsCheck(form api.ControlChars) func(t *testing.T, w *httptest.ResponseRecorder, f api.Format, ids []api.JobID) {
	return func(t *testing.T, w *httptest.ResponseRecorder, f api.Format, ids []api.JobID) {
		body := w.Body.Bytes()
		raw, ref := bytes.Contains(body, []byte("\x1b]0;")), bytes.Contains(body, []byte("&#x1B;]0;"))
		if f != api.FormatJSON && (raw != (form == api.ControlsRaw) || ref != (form == api.ControlsRef)) {
			t.Errorf("%s: raw %v, ref %v:\n%q", form, raw, ref, body)
		}
		resp, err := api.DecodeResponse(api.OpGetFaxStatus, w.Header().Get("Content-Type"), body)
		if err != nil || len(resp.Items) != 4 || !strings.Contains(resp.Items[0].Description, controlSuffix) {
			t.Fatalf("%v %+v", err, resp.Items)
		}
	}
}

func TestJobsEndpoint(t *testing.T) {
	s, _ := newSim(t, Options{Jobs: 3})
	r := httptest.NewRequest("POST", "/sim/jobs?n=2", nil)
	r.RemoteAddr = "127.0.0.1:1"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var got struct{ Jobs []string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Jobs) != 2 || len(s.JobIDs()) != 5 {
		t.Fatalf("HTTP %d %s", w.Code, w.Body.String())
	}
}

func TestRegisterFlags(t *testing.T) {
	var o Options
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	o.RegisterFlags(fs)
	if o.Jobs != 40 || o.TokenLifetime != time.Hour {
		t.Fatalf("defaults %+v", o)
	}
	args := []string{"--jobs", "0", "--seed", "9", "--token-lifetime", "5m", "--latency", "50ms", "--jitter", "10ms",
		"--error-rate", "0.1", "--rate-limit-rate", "0.2", "--retry-after", "2s", "--hang", "--truncate", "--malformed",
		"--html", "--soap-fault", "--return-false", "--oversize", "--omit-items", "--reorder-items", "--hostile", "--revoke-tokens", "--redirect", "--empty-body", "--wrong-content-type", "--control-chars", "ref"}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	want := Faults{Latency: 50 * time.Millisecond, Jitter: 10 * time.Millisecond, ErrorRate: 0.1, RateLimitRate: 0.2,
		RetryAfter: 2 * time.Second, Hang: true, Truncate: true, Malformed: true, HTML: true, SOAPFault: true,
		ReturnFalse: true, Oversize: true, OmitItems: true, ReorderItems: true, Hostile: true, RevokeTokens: true,
		Redirect: true, EmptyBody: true, WrongContentType: true, ControlChars: api.ControlsRef}
	if o.Faults != want || o.Seed != 9 || o.TokenLifetime != 5*time.Minute || o.Jobs >= 0 {
		t.Errorf("parsed %+v", o)
	}
	if s := New(o); len(s.JobIDs()) != 0 {
		t.Errorf("--jobs 0 created %d jobs", len(s.JobIDs()))
	}
	for _, bad := range [][]string{{"--error-rate", "1.5"}, {"--jobs", "-3"}, {"--rate-limit-rate", "x"}, {"--control-chars", "both"}, {"--control-chars", "yes"}} {
		fs := flag.NewFlagSet("sim", flag.ContinueOnError)
		fs.SetOutput(&bytes.Buffer{})
		(&Options{}).RegisterFlags(fs)
		if err := fs.Parse(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
