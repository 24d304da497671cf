package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"faxwatch/api"
	"faxwatch/api/sim"
)

type statusDoc struct {
	Jobs []struct {
		JobID       string `json:"job_id"`
		State       string `json:"state"`
		StatusID    int    `json:"status_id"`
		Description string `json:"description"`
		Error       string `json:"error"`
	} `json:"jobs"`
	WSError struct {
		Code int `json:"code"`
	} `json:"ws_error"`
	Calls []struct {
		RequestID string `json:"request_id"`
		Jobs      int    `json:"jobs"`
	} `json:"calls"`
}

// When no call could be used, status still prints its document (each job
// no_answer with its error, the calls made) and exits 1, or 130 when
// interrupted. A look-up the user ended (--timeout, Ctrl+C) says so in the
// same words in each job's error as on stderr, not "context deadline
// exceeded".
func TestStatusPrintsItsDocumentWhenNoCallWasUsable(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7})
	asked := ids(srv, 3)
	for _, tc := range []struct {
		name      string
		faults    sim.Faults
		args      []string
		interrupt bool // cancel the run once the request reaches the server
		reason    string
		code      int
	}{
		{name: "HTML page", faults: sim.Faults{HTML: true}, reason: "HTML page instead of an API answer", code: ExitFailed},
		{name: "malformed answer", faults: sim.Faults{Malformed: true}, reason: "malformed answer", code: ExitFailed},
		{name: "--timeout", faults: sim.Faults{Hang: true}, args: []string{"--timeout", "200ms"}, reason: "no answer within --timeout 200ms", code: ExitFailed},
		{name: "Ctrl+C", faults: sim.Faults{Hang: true}, interrupt: true, reason: "interrupted", code: ExitInterrupted},
	} {
		for _, format := range []string{"json", "csv", "table"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				w := newWorld(t)
				cfg := w.configFor(srv, running, "")
				srv.SetFaults(tc.faults)
				defer srv.SetFaults(sim.Faults{})
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if tc.interrupt {
					cfg = cancelOnFirstCall(t, w, srv, running, cancel)
				}
				o := w.runCtx(ctx, "", append(append([]string{"status", "--config", cfg, "--format", format}, tc.args...), asked...)...)
				if o.code != tc.code || !strings.Contains(o.stderr, tc.reason) || strings.Count(strings.TrimRight(o.stderr, "\n"), "\n") > 1 {
					t.Fatalf("exit %d, stderr %q", o.code, o.stderr)
				}
				if strings.Contains(o.stdout, "context ") {
					t.Fatalf("Go's context error reached the output: %q", o.stdout)
				}
				switch format {
				case "json":
					var doc statusDoc
					if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil {
						t.Fatalf("%v: %q", err, o.stdout)
					}
					if len(doc.Jobs) != len(asked) || len(doc.Calls) != 1 || doc.Calls[0].RequestID == "" || doc.Calls[0].Jobs != len(asked) {
						t.Fatalf("document %+v", doc)
					}
					for i, j := range doc.Jobs {
						if j.JobID != asked[i] || j.State != "no_answer" || !strings.Contains(j.Error, tc.reason) {
							t.Errorf("job %d: %+v", i, j)
						}
					}
				case "csv":
					rows, err := csv.NewReader(strings.NewReader(o.stdout)).ReadAll()
					if err != nil || len(rows) != 1+len(asked) || rows[0][0] != "job_id" {
						t.Fatalf("%v: %q", err, o.stdout)
					}
					for i, r := range rows[1:] {
						if r[0] != asked[i] || r[2] != "no_answer" || !strings.Contains(r[5], tc.reason) {
							t.Errorf("row %d: %q", i, r)
						}
					}
				default:
					lines := strings.Split(strings.TrimRight(o.stdout, "\n"), "\n")
					if len(lines) != 1+len(asked) {
						t.Fatalf("%q", o.stdout)
					}
					for i, l := range lines[1:] {
						if !strings.Contains(l, asked[i]) || !strings.Contains(l, "· no answer") || strings.Contains(l, "no_answer") || !strings.Contains(l, tc.reason) {
							t.Errorf("line %d: %q", i, l)
						}
					}
				}
			})
		}
	}
}

// cancelOnFirstCall rewrites w's config to reach srv through a relay that
// calls cancel when the first status call arrives, as a user pressing
// Ctrl+C while it hangs.
func cancelOnFirstCall(t *testing.T, w *world, srv *sim.Server, running *sim.Running, cancel func()) string {
	t.Helper()
	var once sync.Once
	relay := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		// Read the body first: only then does net/http notice the client
		// leaving and end the hung handler's context.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if strings.HasPrefix(running.URL+r.URL.Path, running.Endpoint()) {
			once.Do(cancel)
		}
		srv.ServeHTTP(rw, r)
	}))
	t.Cleanup(relay.Close)
	text := strings.ReplaceAll(mustRead(t, w.configFor(srv, running, "")), running.URL, relay.URL)
	return writeFile(t, w.dir, "config.toml", text, 0o600)
}

// Control characters in SOAP answers, raw or referenced, reach every output
// format as visible escapes and never as bytes.
func TestStatusShowsControlCharsAsEscapes(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7})
	asked := ids(srv, 5)
	for _, soap := range []string{"soap11", "soap12"} {
		for _, form := range []api.ControlChars{api.ControlsRaw, api.ControlsRef} {
			for _, format := range []string{"json", "csv", "table"} {
				t.Run(fmt.Sprintf("%s/%s/%s", soap, form, format), func(t *testing.T) {
					w := newWorld(t)
					cfg := strings.Replace(mustRead(t, w.configFor(srv, running, "")), `format = "json"`, `format = "`+soap+`"`, 1)
					writeFile(t, w.dir, "config.toml", cfg, 0o600)
					srv.SetFaults(sim.Faults{ControlChars: form})
					defer srv.SetFaults(sim.Faults{})
					o := w.run("", append([]string{"status", "--config", w.dir + "/config.toml", "--format", format}, asked...)...)
					if o.code != ExitOK {
						t.Fatalf("exit %d: %s", o.code, o.stderr)
					}
					want := `\x1b]0;FAX-01\x07\x1b[31mFAX-01`
					if format == "json" {
						want = strings.ReplaceAll(want, `\`, `\\`)
					}
					if !strings.Contains(o.stdout, want) {
						t.Errorf("no visible escape %s in\n%s", want, o.stdout)
					}
					for _, r := range o.stdout {
						if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) {
							t.Fatalf("raw control %U in output:\n%q", r, o.stdout)
						}
					}
				})
			}
		}
	}
}

// One unusable item costs only its own job: the others are printed as
// answered, that one is no_answer with the reason, and the look-up counts
// as answered (exit 0).
func TestStatusOneUnusableItem(t *testing.T) {
	const good, bad = "br0000001a00001a", "br0000002a00002b"
	body := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:f="urn:FaxWS"><s:Body><f:FaxStatusResponse><f:return>true</f:return><f:FaxStatusList>` +
		`<f:item><f:FaxJobId>` + good + `</f:FaxJobId><f:FaxJobStatusId>1</f:FaxJobStatusId><f:StatusDescription>Sent</f:StatusDescription></f:item>` +
		`<f:item><f:FaxJobId>` + bad + `</f:FaxJobId><f:FaxJobStatusId>three</f:FaxJobStatusId></f:item>` +
		`</f:FaxStatusList></f:FaxStatusResponse></s:Body></s:Envelope>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	w := newWorld(t)
	cfg := writeFile(t, w.dir, "c.toml", fmt.Sprintf("[api]\nendpoint = %q\nuser_id = \"mbx1\"\nformat = \"soap11\"\n[auth]\nmode = \"pin\"\npin = \"pin-0000\"\n", srv.URL+"/fax/v5"), 0o600)
	o := w.run("", "status", "--config", cfg, "--format", "json", good, bad)
	var doc statusDoc
	if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil || o.code != ExitOK || len(doc.Jobs) != 2 {
		t.Fatalf("exit %d %v: %q %q", o.code, err, o.stdout, o.stderr)
	}
	if j := doc.Jobs[0]; j.State != "succeeded" || j.Error != "" {
		t.Errorf("good job: %+v", j)
	}
	if j := doc.Jobs[1]; j.State != "no_answer" || j.Error != `unusable answer for this job: FaxJobStatusId is not valid: "three"` {
		t.Errorf("bad job: %+v", j)
	}
}

// Two items for one job that disagree: status prints the more final and an
// additive "conflict" field; a job without one has no such field.
func TestStatusNamesDisagreeingItems(t *testing.T) {
	const twice, once = "br0000001a00001a", "br0000002a00002b"
	item := func(id, status, desc string) string {
		return `<f:item><f:FaxJobId>` + id + `</f:FaxJobId><f:FaxJobStatusId>` + status + `</f:FaxJobStatusId><f:StatusDescription>` + desc + `</f:StatusDescription></f:item>`
	}
	body := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:f="urn:FaxWS"><s:Body><f:FaxStatusResponse><f:return>true</f:return><f:FaxStatusList>` +
		item(twice, "3", "Sending") + item(once, "1", "Sent") + item(twice, "2", "Busy") +
		`</f:FaxStatusList></f:FaxStatusResponse></s:Body></s:Envelope>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	w := newWorld(t)
	cfg := writeFile(t, w.dir, "c.toml", fmt.Sprintf("[api]\nendpoint = %q\nuser_id = \"mbx1\"\nformat = \"soap11\"\n[auth]\nmode = \"pin\"\npin = \"pin-0000\"\n", srv.URL+"/fax/v5"), 0o600)
	o := w.run("", "status", "--config", cfg, "--format", "json", twice, once)
	var doc struct{ Jobs []map[string]any }
	if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil || o.code != ExitOK || len(doc.Jobs) != 2 {
		t.Fatalf("exit %d %v: %q %q", o.code, err, o.stdout, o.stderr)
	}
	if j := doc.Jobs[0]; j["state"] != "failed" || j["description"] != "Busy" ||
		j["conflict"] != "2 items in the answer disagreed: failed (shown), processing" {
		t.Errorf("job answered twice: %v", j)
	}
	if j := doc.Jobs[1]; j["state"] != "succeeded" {
		t.Errorf("job answered once: %v", j)
	} else if _, ok := j["conflict"]; ok {
		t.Errorf("a job answered once has a conflict field: %v", j)
	}
}
