package api

import (
	"reflect"
	"strings"
	"testing"
)

// Decoders must never panic; whatever they accept must survive a re-encode
// unchanged, and no answer can hold more items than its body has bytes.
func FuzzDecodeSOAP(f *testing.F) {
	for _, f12 := range []Format{FormatSOAP11, FormatSOAP12} {
		body, _ := EncodeResponse(f12, Response{Op: OpGetRealTimeFaxStatusEx2, Return: true, Items: sampleItems()})
		f.Add(body)
		f.Add(EncodeFault(f12, Fault{Code: "Client", Reason: "r"}))
	}
	f.Add([]byte(vendorSOAP))
	f.Add([]byte(strings.ReplaceAll(vendorSOAP, "\n", "\r\n")))
	f.Add([]byte(`<e:Envelope xmlns:e="` + nsSOAP11 + `"><e:Body><FaxStatusResponse xmlns="urn:FaxWS" xmlns:a="x"><return>1</return>` +
		`<FaxStatusList><item><FaxJobId>a&amp;b&#x42;&#67;<a:i>z</a:i>c</FaxJobId><FaxJobId>b</FaxJobId><Error><ErrorCode>-7</ErrorCode></Error>` +
		`<Error><ErrorString>é</ErrorString></Error></item><item/></FaxStatusList></FaxStatusResponse></e:Body></e:Envelope>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, op := range []Operation{OpGetFaxStatus, OpGetRealTimeFaxStatusEx2} {
			resp, err := DecodeResponse(op, "text/xml", body)
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error text")
				}
				continue
			}
			checkStable(t, FormatSOAP11, resp, len(body))
		}
	})
}

func FuzzDecodeJSON(f *testing.F) {
	body, _ := EncodeResponse(FormatJSON, Response{Op: OpGetRealTimeFaxStatusEx2, Return: true, Items: sampleItems()})
	f.Add(body)
	f.Add(EncodeFault(FormatJSON, Fault{Code: "Server", Reason: "r"}))
	f.Add([]byte(`{"FaxStatusResponse":{"return":"1","FaxStatusList":{"item":{"FaxJobId":"br1","FaxJobStatusId":"3"}}}}`))
	f.Add([]byte(`{"Fault":{"Code":{"Value":"env:Sender"},"Reason":{"Text":[{"Value":"x"}]}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, op := range []Operation{OpGetFaxStatus, OpGetRealTimeFaxStatusEx2} {
			resp, err := DecodeResponse(op, "application/json", body)
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error text")
				}
				continue
			}
			checkStable(t, FormatJSON, resp, len(body))
		}
	})
}

func checkStable(t *testing.T, f Format, resp Response, size int) {
	t.Helper()
	if len(resp.Items) > size {
		t.Fatalf("%d items from %d bytes", len(resp.Items), size)
	}
	// Unusable items are not encoded back, and faxwatch's own SOAP encoder
	// writes U+FFFD for the controls XML 1.0 cannot carry.
	usable := resp.Items[:0:0]
	for _, it := range resp.Items {
		if it.Problem != "" {
			continue
		}
		if f != FormatJSON {
			for _, s := range []*string{&it.FaxJobID, &it.Description, &it.DeliveredAt, &it.RemoteCSID, &it.ReferenceID, &it.Error.Message} {
				*s = asEncoded(*s)
			}
		}
		usable = append(usable, it)
	}
	resp.Items = usable
	if f != FormatJSON {
		resp.WSError.Message, resp.CheckValue = asEncoded(resp.WSError.Message), asEncoded(resp.CheckValue)
	}
	again, err := EncodeResponse(f, resp)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeResponse(resp.Op, f.ContentType(), again)
	if err != nil {
		t.Fatalf("re-encoded answer does not decode: %v\n%s", err, again)
	}
	resp.Items = trimFor(resp.Op, resp.Items)
	if len(resp.Items) == 0 {
		resp.Items = back.Items[:0:0]
	}
	if len(back.Items) == 0 {
		back.Items = resp.Items[:0:0]
	}
	if !reflect.DeepEqual(back, resp) {
		t.Fatalf("unstable:\n%+v\n%+v", resp, back)
	}
}

// asEncoded is s as faxwatch's SOAP encoder writes it.
func asEncoded(s string) string {
	return strings.Map(func(r rune) rune {
		if illegalControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}
