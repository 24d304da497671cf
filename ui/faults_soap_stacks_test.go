package ui

import (
	"net/http"
	"strings"
	"testing"

	"faxwatch/api"
)

// What other SOAP stacks send, end to end through the dashboard: control
// characters raw and as references (node-soap, gSOAP), and one item the
// client cannot use among good ones. R asks for every job, in list order.
func soapStackFaults() []clientFault {
	return []clientFault{
		{"SOAP answers with control characters, raw and referenced", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(func(w http.ResponseWriter, _ *http.Request, a api.Request) bool {
				resp := healthyAnswer(a)
				for i := range resp.Items {
					resp.Items[i].Description = "Sending page 1 of 2 \x1b]0;FAX\x07\x1b[2J"
				}
				resp.Controls = api.ControlsBoth
				writeResponse(w, api.FormatSOAP11, resp)
				return true
			})
			r.h.key("R")
			r.h.key("enter")
			raw := r.h.m.View().Content
			r.suite.Record(raw)
			if i := strings.IndexFunc(ansiSGR.ReplaceAllString(raw, ""), func(c rune) bool { return c == 0x1b || c == 0x07 }); i >= 0 {
				t.Errorf("a control reached the screen at %d", i)
			}
			if v := r.view(); !strings.Contains(v, `\x1b]0;FAX\x07\x1b[2J`) || strings.Contains(v, "stale") {
				t.Errorf("the escapes are not shown, or the poll failed:\n%s", v)
			}
		}},
		{"one unusable item among good ones", rigOptions{}, func(t *testing.T, r *faultRig) {
			r.breakAPI(func(w http.ResponseWriter, _ *http.Request, a api.Request) bool {
				resp := healthyAnswer(a)
				for i := range resp.Items {
					resp.Items[i].StatusID = api.StatusSucceeded
				}
				body, _ := api.EncodeResponse(api.FormatSOAP11, resp)
				// The second item's status is not a number.
				at := strings.Index(string(body), "<FaxWS:FaxJobStatusId>1<")
				at += 1 + strings.Index(string(body[at+1:]), "<FaxWS:FaxJobStatusId>1<")
				bad := string(body[:at]) + strings.Replace(string(body[at:]), ">1<", ">one<", 1)
				w.Header().Set("Content-Type", api.FormatSOAP11.ContentType())
				_, _ = w.Write([]byte(bad))
				return true
			})
			r.h.key("R")
			for i, id := range r.ids {
				e, _ := r.h.store.Entry(id)
				if i == 1 {
					if !e.Last.Stale || e.Last.State != r.shown[id].state || !strings.Contains(e.Last.StaleReason, `FaxJobStatusId is not valid: "one"`) {
						t.Errorf("the unusable job: %+v", e.Last)
					}
					continue
				}
				if e.Last.Stale || e.Last.State != api.StateSucceeded {
					t.Errorf("job %d was not applied: %+v", i, e.Last)
				}
			}
			r.h.key("j", "enter")
			if v := r.view(); !strings.Contains(v, "stale since") || !strings.Contains(v, "unusable answer for this job:") || !strings.Contains(v, `FaxJobStatusId is not valid: "one"`) {
				t.Errorf("the detail pane does not say why:\n%s", v)
			}
		}},
	}
}
