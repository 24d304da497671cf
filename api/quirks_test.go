package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// Things other SOAP stacks do that the client must read through.
func TestSurvivesStackQuirks(t *testing.T) {
	const item1 = `<f:item><f:FaxJobId>br00000001</f:FaxJobId><f:FaxJobStatusId>1</f:FaxJobStatusId><f:StatusDescription>Sent</f:StatusDescription></f:item>`
	wrap := func(ns, list string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="` + ns + `" xmlns:f="urn:FaxWS"><s:Body><f:FaxStatusResponse>` +
			`<f:return>true</f:return><f:FaxStatusList>` + list + `</f:FaxStatusList></f:FaxStatusResponse></s:Body></s:Envelope>`
	}
	cases := []struct {
		name, ct, body string
		chunked        bool
		want           State // of br00000001
	}{
		{"xsi:type and xsi:nil", "text/xml", wrap(nsSOAP11, `<f:item xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xsi:type="f:FaxStatus">`+
			`<f:FaxJobId xsi:type="xsd:string">br00000001</f:FaxJobId><f:FaxJobStatusId xsi:type="xsd:int">2</f:FaxJobStatusId>`+
			`<f:StatusDescription xsi:nil="true"/><f:Error xsi:nil="true"/></f:item>`), false, StateFailed},
		{"empty FaxStatusList", "text/xml", wrap(nsSOAP11, ``), false, StateNoAnswer},
		{"self-closed FaxStatusList", "text/xml", strings.Replace(wrap(nsSOAP11, ``), `<f:FaxStatusList></f:FaxStatusList>`, `<f:FaxStatusList/>`, 1), false, StateNoAnswer},
		{"default namespace, other prefixes", "application/soap+xml", `<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + nsSOAP12 + `"><SOAP-ENV:Body>` +
			`<FaxStatusResponse xmlns="urn:FaxWS"><return>1</return><FaxStatusList><ns9:item xmlns:ns9="urn:FaxWS"><FaxJobId>br00000001</FaxJobId>` +
			`<ns9:FaxJobStatusId>3</ns9:FaxJobStatusId></ns9:item></FaxStatusList></FaxStatusResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`, false, StateProcessing},
		{"whitespace around numbers", "text/xml", wrap(nsSOAP11, `<f:item><f:FaxJobId> br00000001 </f:FaxJobId><f:FaxJobStatusId>`+"\n\t 1 \r\n"+`</f:FaxJobStatusId></f:item>`), false, StateSucceeded},
		{"elements in another order", "text/xml", `<s:Envelope xmlns:s="` + nsSOAP11 + `" xmlns:f="urn:FaxWS"><s:Body><f:FaxStatusResponse><f:WSError><f:ErrorString/><f:ErrorCode>0</f:ErrorCode></f:WSError>` +
			`<f:FaxStatusList><f:item><f:Error><f:ErrorString>x</f:ErrorString><f:ErrorCode>4001</f:ErrorCode></f:Error><f:StatusDescription>Busy</f:StatusDescription>` +
			`<f:FaxJobStatusId>2</f:FaxJobStatusId><f:FaxJobId>br00000001</f:FaxJobId></f:item></f:FaxStatusList><f:return>true</f:return></f:FaxStatusResponse></s:Body></s:Envelope>`, false, StateFailed},
		{"UTF-8 BOM", "text/xml; charset=utf-8", "\ufeff" + wrap(nsSOAP11, item1), false, StateSucceeded},
		{"chunked body", "text/xml; charset=utf-8", wrap(nsSOAP12, item1), true, StateSucceeded},
		{"no charset", "text/xml", wrap(nsSOAP11, item1), false, StateSucceeded},
		{"no Content-Type", "", wrap(nsSOAP11, item1), false, StateSucceeded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
				w.Header()["Content-Type"] = []string{tc.ct}
				if !tc.chunked {
					_, _ = w.Write([]byte(tc.body))
					return true
				}
				half := len(tc.body) / 2
				_, _ = w.Write([]byte(tc.body[:half]))
				w.(http.Flusher).Flush() // no Content-Length: the rest goes chunked
				_, _ = w.Write([]byte(tc.body[half:]))
				return true
			})
			c, _ := newTestClient(t, srv.URL, nil)
			res, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
			if err != nil || res.Jobs[0].State != tc.want || res.Jobs[0].Err != nil {
				t.Fatalf("got %v %+v, want %s", err, res.Jobs, tc.want)
			}
		})
	}
}
