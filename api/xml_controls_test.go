package api

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// controlText carries C0 controls (ESC, BEL, NUL, a vertical tab), a C1
// CSI, and a real U+F8FF, which the tolerant reader uses as its own mark.
const controlText = "Sending \x1b]0;pwned\x07 page 2\x00\x0b \u009b31m \uF8FF\uF8FF end"

func TestControlCharsDecodeInEveryForm(t *testing.T) {
	for _, f := range []Format{FormatSOAP11, FormatSOAP12} {
		for _, cc := range []ControlChars{ControlsRaw, ControlsRef, ControlsBoth} {
			for _, op := range []Operation{OpGetFaxStatus, OpGetRealTimeFaxStatus, OpGetRealTimeFaxStatusEx, OpGetRealTimeFaxStatusEx2} {
				t.Run(fmt.Sprintf("%s/%s/%s", f, cc, op), func(t *testing.T) {
					item := WireItem{FaxJobID: "br0012345h00001x", StatusID: 3, Description: controlText, DeliveredAt: "t\x01", RemoteCSID: "CSID\x1b[2J",
						ReferenceID: "R\x02", Error: WSError{Code: 0, Message: "e\x1f"}}
					body, _ := EncodeResponse(f, Response{Op: op, Return: true, Items: []WireItem{item}, WSError: WSError{Code: 7, Message: "w\x1b"}, Controls: cc})
					if cc == ControlsRef && bytes.ContainsAny(body, "\x1b\x07\x00") || cc == ControlsRaw && bytes.Contains(body, []byte("&#x1B;")) {
						t.Fatalf("encoder did not write the %s form:\n%q", cc, body)
					}
					got, err := DecodeResponse(op, f.ContentType(), body)
					if err != nil {
						t.Fatalf("%v\n%q", err, body)
					}
					want := trimFor(op, []WireItem{item})
					if !reflect.DeepEqual(got.Items, want) || got.WSError.Message != "w\x1b" {
						t.Fatalf("got %+v\nwant %+v", got.Items, want)
					}
				})
			}
		}
	}
}

func TestControlCharsReachSanitizeAsEscapes(t *testing.T) {
	body, _ := EncodeResponse(FormatSOAP11, Response{Op: OpGetFaxStatus, Return: true, Controls: ControlsBoth,
		Items: []WireItem{{FaxJobID: "br0012345h00001x", StatusID: 1, Description: controlText}}})
	got, err := DecodeResponse(OpGetFaxStatus, "text/xml", body)
	if err != nil {
		t.Fatal(err)
	}
	shown := Sanitize(got.Items[0].Description)
	want := `Sending \x1b]0;pwned\x07 page 2\x00\x0b \u{009B}31m \u{F8FF}\u{F8FF} end`
	if shown != want {
		t.Fatalf("shown %q\nwant  %q", shown, want)
	}
}

// Hand-written documents: references in decimal and hex, in CDATA, in an
// attribute, in Faults of both versions and the other methods' answers.
func TestControlCharsDecodeHandWritten(t *testing.T) {
	env := func(ns, body string) string {
		return `<?xml version="1.0"?><e:Envelope xmlns:e="` + ns + `" xmlns:f="urn:FaxWS"><e:Body>` + body + `</e:Body></e:Envelope>`
	}
	list := func(desc string) string {
		return env(nsSOAP11, `<f:FaxStatusResponse><f:return>true</f:return><f:FaxStatusList><f:item a="x&#x7;y`+"\x1b"+`">`+
			`<f:FaxJobId>br0012345h00001x</f:FaxJobId><f:FaxJobStatusId>3</f:FaxJobStatusId><f:StatusDescription>`+desc+
			`</f:StatusDescription></f:item></f:FaxStatusList></f:FaxStatusResponse>`)
	}
	cases := []struct {
		name, body string
		op         Operation
		check      func(Response, error) string // the decoded text
	}{
		{"decimal ref", list("a&#27;b&#0;c"), OpGetFaxStatus, itemText},
		{"hex ref, both cases", list("a&#x1b;b&#x1B;c&#x001b;"), OpGetFaxStatus, itemText},
		{"raw", list("a\x1bb\x00c"), OpGetFaxStatus, itemText},
		// XML allows leading zeros, as many as a writer likes.
		{"leading zeros", list("a&#x0001B;b&#0027;c&#x00000000000000000001B;d&#000000000000000000000007;e&#x00000000000000000041;"), OpGetFaxStatus, itemText},
		{"cdata", list("<![CDATA[a\x1b<b>]]>&#x7;"), OpGetFaxStatus, itemText},
		{"real mark kept", list("\uF8FF&#xF8FF;&#x1b;\uF8FF\uF700"), OpGetFaxStatus, itemText},
		{"fault 1.1", env(nsSOAP11, `<e:Fault><faultcode>e:Server</faultcode><faultstring>down&#x1B;[2J`+"\x07"+`</faultstring></e:Fault>`), OpGetFaxStatus, faultText},
		{"fault 1.2", env(nsSOAP12, `<e:Fault><e:Code><e:Value>e:Receiver</e:Value></e:Code><e:Reason><e:Text xml:lang="en&#x1;">down&#x1B;`+"\x07"+`</e:Text></e:Reason></e:Fault>`), OpGetFaxStatus, faultText},
		{"check service", env(nsSOAP12, `<f:CheckServiceResponse><f:return>OK&#x1b;</f:return></f:CheckServiceResponse>`), OpCheckService,
			func(r Response, err error) string { return fmt.Sprint(r.CheckValue, err) }},
		{"call-level WSError", env(nsSOAP11, `<f:FaxStatusResponse><f:return>false</f:return><f:FaxStatusList/><f:WSError><f:ErrorCode>-5003</f:ErrorCode><f:ErrorString>no&#x1B;</f:ErrorString></f:WSError></f:FaxStatusResponse>`), OpGetFaxStatus,
			func(r Response, err error) string { return fmt.Sprint(r.WSError.Message, err) }},
	}
	want := map[string]string{
		"decimal ref":         "a\x1bb\x00c",
		"hex ref, both cases": "a\x1bb\x1bc\x1b",
		"raw":                 "a\x1bb\x00c",
		"leading zeros":       "a\x1bb\x1bc\x1bd\x07eA",
		"cdata":               "a\x1b<b>\x07",
		"real mark kept":      "\uF8FF\uF8FF\x1b\uF8FF\uF700",
		"fault 1.1":           `server fault (Server): down\x1b[2J\x07`,
		"fault 1.2":           `server fault (Receiver): down\x1b\x07`,
		"check service":       "OK\x1b<nil>",
		"call-level WSError":  "no\x1b<nil>",
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.check(DecodeResponse(tc.op, "text/xml", []byte(tc.body)))
			if got != want[tc.name] {
				t.Fatalf("got  %q\nwant %q", got, want[tc.name])
			}
		})
	}
}

func itemText(r Response, err error) string {
	if err != nil || len(r.Items) != 1 {
		return fmt.Sprint(err, r.Items)
	}
	return r.Items[0].Description
}

func faultText(_ Response, err error) string {
	var fe *SOAPFault
	if !errors.As(err, &fe) {
		return fmt.Sprint("not a fault: ", err)
	}
	return err.Error()
}

// Tolerance stops at text: every other well-formedness error stays one.
func TestControlCharsElsewhereStayErrors(t *testing.T) {
	good, _ := EncodeResponse(FormatSOAP11, Response{Op: OpGetFaxStatus, Return: true, Items: sampleItems(), Controls: ControlsRef})
	with := func(old, new string) string {
		if !strings.Contains(string(good), old) {
			t.Fatalf("%q not in the answer", old)
		}
		return strings.Replace(string(good), old, new, 1)
	}
	cases := map[string]string{
		"control in a tag name":                with("<FaxWS:StatusDescription>", "<FaxWS:Status\x1bDescription>"),
		"control between attributes":           with("<soap:Body>", "<soap:Body \x1b>"),
		"control before the root":              "\x1b" + string(good),
		"reference without semicolon":          with("Invalid job", "Invalid &#x1B job"),
		"unknown entity":                       with("Invalid job", "Invalid &esc; job"),
		"reference to U+FFFE":                  with("Invalid job", "Invalid &#xFFFE; job"),
		"leading zeros, no semicolon":          with("Invalid job", "Invalid &#x0001B job"),
		"leading zeros past U+10FFFF":          with("Invalid job", "Invalid &#x000110000; job"),
		"reference overflowing 64 bits to ESC": with("Invalid job", "Invalid &#x10000000000000001B; job"),
		"reference with a sign":                with("Invalid job", "Invalid &#+27; job"),
		"hex marker in capitals":               with("Invalid job", "Invalid &#X1B; job"),
		"unbalanced tags":                      with("</FaxWS:StatusDescription>", "</FaxWS:Status>"),
		"truncated":                            string(good[:len(good)-40]) + "&#x1B;",
		"invalid UTF-8":                        with("Invalid job", "Invalid \xff job"),
		"bare ampersand":                       with("Invalid job", "Invalid & job"),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeResponse(OpGetFaxStatus, "text/xml", []byte(body))
			var pe *ProtocolError
			if !errors.As(err, &pe) || (pe.Kind != KindMalformed && pe.Kind != KindTruncated) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// FuzzXMLControls: the rewrite is invisible when there is nothing to do, its
// pairs restore exactly, and a document encoding/xml reads as it is yields
// the same tokens through the tolerant reader.
func FuzzXMLControls(f *testing.F) {
	f.Add([]byte(`<a b="x&#x1B;">t&#27;<![CDATA[` + "\x1b" + `]]><!-- c --><?p x?></a>`))
	f.Add([]byte("<a>\uF8FF\x07&#xF8FF;</a>"))
	f.Add([]byte(`<a>&#x1B</a>`))
	f.Add([]byte(`<a b="&#x0001B;">&#0027;&#x00000000000000000041;&#x10000000000000001B;</a>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		escaped, changed := escapeControls(body)
		if !changed && !bytes.Equal(escaped, body) {
			t.Fatal("unchanged but different")
		}
		// Whole-document restoring holds only without a real U+F8FF: one in
		// markup (a comment, a broken tag) is copied as it is, and the token
		// reader restores text and attribute values only (checked below and
		// in TestControlCharacters).
		if !bytes.Contains(body, []byte("&#")) && !bytes.Contains(body, []byte(ctlMarkUTF8)) &&
			restoreControls(string(escaped)) != string(body) {
			t.Fatalf("pairs do not restore:\n%q\n%q", body, escaped)
		}
		plain := xml.NewDecoder(bytes.NewReader(body))
		want, err := allTokens(plain)
		if err != nil {
			return
		}
		d, err := newXMLDecoder("", body)
		if err != nil {
			return // a charset the declaration names
		}
		got, err := allTokens(d)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("tolerant reader differs on a well-formed document: %v\n%#v\n%#v", err, got, want)
		}
	})
}

func allTokens(d *xml.Decoder) ([]xml.Token, error) {
	var out []xml.Token
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, xml.CopyToken(tok))
	}
}
