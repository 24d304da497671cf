package api

import (
	"bytes"
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"testing"
)

var allFormats = []Format{FormatSOAP11, FormatSOAP12, FormatJSON}

func sampleItems() []WireItem {
	return []WireItem{
		{FaxJobID: "br0012345h00001x", StatusID: 1, Description: "Sent <ok> & done", RecipientState: 4, PagesSent: 2, PagesTotal: 2,
			DeliveredAt: "2026-11-27T10:00:00Z", DurationS: 61, RemoteCSID: "+1 555 0100", ReferenceID: "REF1"},
		{FaxJobID: "br0012345h00002y", StatusID: -5019, Description: "Invalid job", Error: WSError{Code: -5019, Message: "bad id \"x\""}},
	}
}

// trimFor keeps only the fields op carries, as a round trip would.
func trimFor(op Operation, items []WireItem) []WireItem {
	out := make([]WireItem, len(items))
	for i, it := range items {
		o := WireItem{FaxJobID: it.FaxJobID, StatusID: it.StatusID, Description: it.Description, Error: it.Error}
		if op.hasPages() {
			o.RecipientState, o.PagesSent, o.PagesTotal = it.RecipientState, it.PagesSent, it.PagesTotal
		}
		if op.hasDelivery() {
			o.DeliveredAt, o.DurationS, o.RemoteCSID = it.DeliveredAt, it.DurationS, it.RemoteCSID
		}
		if op.hasReference() {
			o.ReferenceID = it.ReferenceID
		}
		out[i] = o
	}
	return out
}

func TestRequestRoundTrip(t *testing.T) {
	reqs := []Request{
		{Op: OpGetFaxStatus, UserID: "mbx1234567890", PIN: "p<&>\"", JobIDs: []string{"br0012345h00001x", "JRI-REF1"}},
		{Op: OpGetRealTimeFaxStatusEx2, UserID: "u", JobIDs: []string{}},
		{Op: OpSimpleGetFaxStatus, UserID: "u", PIN: "p", JobIDs: []string{"br0012345h00001x"}},
		{Op: OpCheckService},
	}
	for _, f := range allFormats {
		for _, req := range reqs {
			t.Run(string(f)+"/"+string(req.Op), func(t *testing.T) {
				body, err := EncodeRequest(f, req)
				if err != nil {
					t.Fatal(err)
				}
				got, err := DecodeRequest(f, body)
				if err != nil {
					t.Fatalf("decode: %v\n%s", err, body)
				}
				if req.Op == OpCheckService {
					req.JobIDs = nil
				}
				if !reflect.DeepEqual(got, req) {
					t.Fatalf("got %+v want %+v\n%s", got, req, body)
				}
			})
		}
	}
}

func TestEncodeRequestExactJSON(t *testing.T) {
	body, err := EncodeRequest(FormatJSON, Request{Op: OpGetFaxStatus, UserID: "mbx1", JobIDs: []string{"br0012345h00001x"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"GetFaxStatus":{"UserID":"mbx1","strPIN":"","FaxJobIds":[{"JobId":"br0012345h00001x"}]}}`
	if string(body) != want {
		t.Fatalf("got %s", body)
	}
}

// TestEncodeRequestWSDLOrder checks the SOAP request against the WSDL's
// sequence independently of our decoder.
func TestEncodeRequestWSDLOrder(t *testing.T) {
	for _, f := range []Format{FormatSOAP11, FormatSOAP12} {
		body, _ := EncodeRequest(f, Request{Op: OpGetFaxStatus, UserID: "u", PIN: "", JobIDs: []string{"br00123456", "br00123457"}})
		d := xml.NewDecoder(bytes.NewReader(body))
		var names []string
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if s, ok := tok.(xml.StartElement); ok {
				names = append(names, s.Name.Space+" "+s.Name.Local)
			}
		}
		env := envelopeNS(f)
		want := []string{env + " Envelope", env + " Body", "urn:FaxWS GetFaxStatus", "urn:FaxWS UserID", "urn:FaxWS strPIN",
			"urn:FaxWS FaxJobIds", "urn:FaxWS item", "urn:FaxWS JobId", "urn:FaxWS item", "urn:FaxWS JobId"}
		if !reflect.DeepEqual(names, want) {
			t.Fatalf("%s: got %v", f, names)
		}
	}
}

func TestResponseRoundTrip(t *testing.T) {
	ops := []Operation{OpGetFaxStatus, OpGetRealTimeFaxStatus, OpGetRealTimeFaxStatusEx, OpGetRealTimeFaxStatusEx2}
	for _, f := range allFormats {
		for _, op := range ops {
			t.Run(string(f)+"/"+string(op), func(t *testing.T) {
				resp := Response{Op: op, Return: true, Items: sampleItems(), WSError: WSError{Code: 7, Message: "warn"}}
				body, err := EncodeResponse(f, resp)
				if err != nil {
					t.Fatal(err)
				}
				got, err := DecodeResponse(op, f.ContentType(), body)
				if err != nil {
					t.Fatalf("decode: %v\n%s", err, body)
				}
				resp.Items = trimFor(op, resp.Items)
				if !reflect.DeepEqual(got, resp) {
					t.Fatalf("got %+v\nwant %+v\n%s", got, resp, body)
				}
			})
		}
		t.Run(string(f)+"/simple+check", func(t *testing.T) {
			for _, resp := range []Response{{Op: OpSimpleGetFaxStatus, SimpleValue: -5019}, {Op: OpCheckService, CheckValue: "OK 5.0"}} {
				body, _ := EncodeResponse(f, resp)
				got, err := DecodeResponse(resp.Op, "", body)
				if err != nil || !reflect.DeepEqual(got, resp) {
					t.Fatalf("got %+v, %v\n%s", got, err, body)
				}
			}
		})
	}
}

// vendorSOAP is the shape of the vendor's examples: other prefixes, a Header,
// a SOAP 1.2 envelope, whitespace everywhere.
const vendorSOAP = `<?xml version="1.0" encoding="utf-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:x="urn:FaxWS">
 <env:Header><x:Trace>abc</x:Trace></env:Header>
 <env:Body>
  <x:FaxStatusResponse>
   <x:return> true </x:return>
   <x:FaxStatusList>
    <x:item><x:FaxJobId>BR0012345H00001X</x:FaxJobId><x:FaxJobStatusId> 3 </x:FaxJobStatusId>
     <x:StatusDescription>Sending</x:StatusDescription><x:Unknown>skip me</x:Unknown>
     <x:Error><x:ErrorCode>0</x:ErrorCode><x:ErrorString/></x:Error></x:item>
    <x:item xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>
   </x:FaxStatusList>
   <x:WSError><x:ErrorCode>0</x:ErrorCode><x:ErrorString></x:ErrorString></x:WSError>
  </x:FaxStatusResponse>
 </env:Body>
</env:Envelope>
`

func TestDecodeVendorShapes(t *testing.T) {
	got, err := DecodeResponse(OpGetFaxStatus, "application/soap+xml", []byte(vendorSOAP))
	if err != nil {
		t.Fatal(err)
	}
	want := Response{Op: OpGetFaxStatus, Return: true, Items: []WireItem{{FaxJobID: "BR0012345H00001X", StatusID: 3, Description: "Sending"}, {Problem: "the item has no FaxJobId"}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	// GetFaxStatusResponse is tolerated as a wrapper name; wrong-namespace
	// fields are not read.
	alt := strings.ReplaceAll(vendorSOAP, "FaxStatusResponse>", "GetFaxStatusResponse>")
	alt = strings.Replace(alt, `<x:StatusDescription>Sending</x:StatusDescription>`, `<StatusDescription>Sending</StatusDescription>`, 1)
	got, err = DecodeResponse(OpGetFaxStatus, "text/xml", []byte(alt))
	if err != nil || got.Items[0].Description != "" {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestDecodeJSONShapes(t *testing.T) {
	item := `{"FaxJobId":"br0012345h00001x","FaxJobStatusId":"2","StatusDescription":"Failed","Error":{"ErrorCode":"12","ErrorString":"busy"}}`
	want := Response{Op: OpGetFaxStatus, Return: true, Items: []WireItem{{FaxJobID: "br0012345h00001x", StatusID: 2, Description: "Failed", Error: WSError{12, "busy"}}}}
	cases := map[string]string{
		"plain array":      `{"GetFaxStatusResponse":{"return":true,"FaxStatusList":[` + item + `],"WSError":{"ErrorCode":0,"ErrorString":""}}}`,
		"item array":       `{"FaxStatusResponse":{"return":"true","FaxStatusList":{"item":[` + item + `]}}}`,
		"single item":      `{"FaxStatusResponse":{"return":1,"FaxStatusList":{"item":` + item + `}}}`,
		"unwrapped":        `{"return":true,"FaxStatusList":[` + item + `]}`,
		"float-ish number": strings.Replace(`{"FaxStatusResponse":{"return":true,"FaxStatusList":[`+item+`]}}`, `"2"`, `2.0`, 1),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := DecodeResponse(OpGetFaxStatus, "application/json", []byte(body))
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
	}
}

func TestDecodeFailures(t *testing.T) {
	soap11Fault := EncodeFault(FormatSOAP11, Fault{Code: "Client", Reason: "bad \u202e request"})
	soap12Fault := EncodeFault(FormatSOAP12, Fault{Code: "Server", Reason: "down"})
	jsonFault := EncodeFault(FormatJSON, Fault{Code: "Sender", Reason: "nope"})
	good, _ := EncodeResponse(FormatSOAP11, Response{Op: OpGetFaxStatus, Return: true, Items: sampleItems()})
	cases := []struct {
		name, ct, body string
		fault          *SOAPFault
		kind           ProtocolKind
	}{
		{"soap11 fault", "text/xml", string(soap11Fault), &SOAPFault{Version: "1.1", Code: "Client", Reason: `bad \u{202E} request`}, ""},
		{"soap12 fault", "application/soap+xml", string(soap12Fault), &SOAPFault{Version: "1.2", Code: "Receiver", Reason: "down"}, ""},
		{"json fault", "application/json", string(jsonFault), &SOAPFault{Version: "json", Code: "Client", Reason: "nope"}, ""},
		{"json 1.2 fault", "application/json", `{"Fault":{"Code":{"Value":"env:Receiver"},"Reason":{"Text":"later"}}}`, &SOAPFault{Version: "json", Code: "Receiver", Reason: "later"}, ""},
		{"html by type", "text/html", "<p>hi</p>", nil, KindHTML},
		{"html by body", "text/xml", "\n<!DOCTYPE html><html><title>502 Bad Gateway</title>", nil, KindHTML},
		{"empty", "text/xml", "  ", nil, KindEmpty},
		{"truncated xml", "text/xml", string(good[:len(good)/2]), nil, KindTruncated},
		{"truncated json", "application/json", `{"FaxStatusResponse":{"return":true,"FaxStat`, nil, KindTruncated},
		{"malformed xml", "text/xml", `<soap:Envelope xmlns:soap="` + nsSOAP11 + `"><soap:Body><f:FaxStatusResponse xmlns:f="urn:FaxWS"><f:return>true</x></f:FaxStatusResponse></soap:Body></soap:Envelope>`, nil, KindMalformed},
		{"not soap", "text/xml", `<root/>`, nil, KindUnexpected},
		{"wrong wrapper", "text/xml", strings.ReplaceAll(string(good), "FaxStatusResponse", "OtherResponse"), nil, KindUnexpected},
		{"trailing garbage", "text/xml", string(good) + "<x/>", nil, KindMalformed},
		{"dtd", "text/xml", `<!DOCTYPE x [<!ENTITY a "b">]><soap:Envelope xmlns:soap="` + nsSOAP11 + `"/>`, nil, KindMalformed},
		{"no return", "application/json", `{"FaxStatusResponse":{"FaxStatusList":[]}}`, nil, KindMalformed},
		{"json trailing", "application/json", `{"return":true}{}`, nil, KindMalformed},
		{"neither", "text/plain", "hello", nil, KindMalformed},
		{"unknown charset declared", "text/xml", `<?xml version="1.0" encoding="x-klingon"?><a/>`, nil, KindCharset},
		{"unknown charset in content type", "text/xml; charset=x-klingon", string(good), nil, KindCharset},
		{"bad int outside items", "text/xml", strings.Replace(string(good), "<FaxWS:return>true<", "<FaxWS:return>yes<", 1), nil, KindMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeResponse(OpGetFaxStatus, tc.ct, []byte(tc.body))
			if err == nil {
				t.Fatal("no error")
			}
			if tc.fault != nil {
				var f *SOAPFault
				if !errors.As(err, &f) || !reflect.DeepEqual(f, tc.fault) {
					t.Fatalf("got %#v", err)
				}
				return
			}
			var pe *ProtocolError
			if !errors.As(err, &pe) || pe.Kind != tc.kind {
				t.Fatalf("got %T %v, want kind %s", err, err, tc.kind)
			}
			if strings.ContainsAny(err.Error(), "\x1b\n") {
				t.Fatalf("unsanitised error %q", err)
			}
		})
	}
}

func TestDecodeRequestVersionMismatch(t *testing.T) {
	body, _ := EncodeRequest(FormatSOAP12, Request{Op: OpGetFaxStatus, UserID: "u"})
	_, err := DecodeRequest(FormatSOAP11, body)
	var pe *ProtocolError
	if !errors.As(err, &pe) || pe.Kind != KindVersionMismatch {
		t.Fatalf("got %v", err)
	}
}

func TestFormatContentType(t *testing.T) {
	for _, f := range allFormats {
		got, ok := FormatFromContentType(f.ContentType())
		if !ok || got != f {
			t.Fatalf("%s: got %s %v", f, got, ok)
		}
	}
	cases := map[string]Format{"": FormatSOAP12, "TEXT/XML": FormatSOAP11, `application/soap+xml;charset=utf-8;action=""`: FormatSOAP12}
	for ct, want := range cases {
		if got, ok := FormatFromContentType(ct); !ok || got != want {
			t.Fatalf("%q: got %s", ct, got)
		}
	}
	if _, ok := FormatFromContentType("text/html"); ok {
		t.Fatal("text/html accepted")
	}
}
