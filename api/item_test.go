package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// One unusable item costs only its own job; the call's other items apply.
func TestUnusableItemsAreIsolated(t *testing.T) {
	long := strings.Repeat("d", maxWireText+1)
	xmlItem := func(id, status, desc, code string) string {
		s := `<f:item>`
		if id != "" {
			s += `<f:FaxJobId>` + id + `</f:FaxJobId>`
		}
		return s + `<f:FaxJobStatusId>` + status + `</f:FaxJobStatusId><f:StatusDescription>` + desc +
			`</f:StatusDescription><f:Error><f:ErrorCode>` + code + `</f:ErrorCode><f:ErrorString/></f:Error></f:item>`
	}
	soap := `<s:Envelope xmlns:s="` + nsSOAP11 + `" xmlns:f="urn:FaxWS"><s:Body><f:FaxStatusResponse><f:return>true</f:return><f:FaxStatusList>` +
		xmlItem("br00000001", "1", "Sent", "0") + xmlItem("br00000002", "abc", "x", "0") + xmlItem("", "1", "no id", "0") +
		xmlItem("br00000004", "3", long, "0") + xmlItem("br00000005", "1", "x", "E1") + xmlItem("br00000006", " 2 ", "Failed", "0") +
		xmlItem(strings.Repeat("b", maxWireID+1), "1", "long id", "0") +
		`</f:FaxStatusList><f:WSError><f:ErrorCode>0</f:ErrorCode><f:ErrorString/></f:WSError></f:FaxStatusResponse></s:Body></s:Envelope>`
	jsonItem := func(id, status, desc, code string) string {
		s := `{`
		if id != "" {
			s += `"FaxJobId":"` + id + `",`
		}
		return s + `"FaxJobStatusId":` + status + `,"StatusDescription":"` + desc + `","Error":{"ErrorCode":` + code + `}}`
	}
	json := `{"FaxStatusResponse":{"return":true,"FaxStatusList":[` + strings.Join([]string{
		jsonItem("br00000001", "1", "Sent", "0"), jsonItem("br00000002", `"abc"`, "x", "0"), jsonItem("", "1", "no id", "0"),
		jsonItem("br00000004", "3", long, "0"), jsonItem("br00000005", "1", "x", `"E1"`), jsonItem("br00000006", `" 2 "`, "Failed", "0"),
		`{"FaxJobId":7,"FaxJobStatusId":1}`,
	}, ",") + `]}}`
	wantReason := []string{
		"",
		`FaxJobStatusId is not valid: "abc"`,
		"the item has no FaxJobId",
		"StatusDescription is longer than 4096 bytes",
		`ErrorCode is not valid: "E1"`,
		"",
	}
	for _, tc := range []struct {
		name, ct, body string
	}{{"soap", "text/xml; charset=utf-8", soap}, {"json", "application/json", json}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
				w.Header().Set("Content-Type", tc.ct)
				_, _ = w.Write([]byte(tc.body))
				return true
			})
			c, _ := newTestClient(t, srv.URL, nil)
			res, err := c.GetFaxStatus(context.Background(), ids("br00000001", "br00000002", "br00000003", "br00000004", "br00000005", "br00000006"))
			if err != nil || len(res.Failures) != 0 || !res.Return {
				t.Fatalf("the call failed: %v %+v", err, res)
			}
			for i, js := range res.Jobs {
				var ie *ItemError
				if wantReason[i] == "" {
					if !js.Fresh() || js.State.Final() != true {
						t.Errorf("job %d not applied: %+v", i, js)
					}
					continue
				}
				if js.State != StateNoAnswer || !errors.As(js.Err, &ie) || !strings.Contains(ie.Reason, wantReason[i]) {
					t.Errorf("job %d: got %v (%s), want no_answer because %s", i, js.Err, js.State, wantReason[i])
				}
			}
		})
	}
}

func TestUnusableItemReasonIsSanitised(t *testing.T) {
	body, _ := EncodeResponse(FormatSOAP11, Response{Op: OpGetFaxStatus, Return: true, Items: []WireItem{{FaxJobID: "br00000001"}}})
	body = []byte(strings.Replace(string(body), "<FaxWS:FaxJobStatusId>0<", "<FaxWS:FaxJobStatusId>\x1b[2J&#x7;<", 1))
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
		_, _ = w.Write(body)
		return true
	})
	c, _ := newTestClient(t, srv.URL, nil)
	res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
	if err != nil {
		t.Fatal(err)
	}
	msg := res.Jobs[0].Err.Error()
	if msg != `unusable answer for this job: FaxJobStatusId is not valid: "\\x1b[2J\\x07"` {
		t.Fatalf("got %q", msg)
	}
}
