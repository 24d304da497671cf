package api

import (
	"errors"
	"strings"
	"testing"
)

func TestDeclaredCharset(t *testing.T) {
	answer := func(decl, desc string) []byte {
		body, _ := EncodeResponse(FormatSOAP11, Response{Op: OpGetFaxStatus, Return: true,
			Items: []WireItem{{FaxJobID: "br0012345h00001x", StatusID: 1, Description: "DESC"}}})
		s := strings.Replace(string(body), "DESC", desc, 1)
		return []byte(strings.Replace(s, `encoding="utf-8"`, decl, 1))
	}
	cases := []struct {
		name, ct string
		body     []byte
		want     string
	}{
		{"ISO-8859-1 in Content-Type", "text/xml; charset=ISO-8859-1", answer(`encoding="utf-8"`, "Z\xfcrich"), "Zürich"},
		{"windows-1252 in the declaration", "text/xml", answer(`encoding="windows-1252"`, "\x80 5 \x93ok\x94"), "€ 5 “ok”"},
		{"latin1 alias, single quotes", "application/soap+xml", answer(`encoding='latin1'`, "caf\xe9"), "café"},
		{"Content-Type wins over the declaration", "text/xml; charset=utf-8", answer(`encoding="ISO-8859-1"`, "Zürich"), "Zürich"},
		{"no charset at all", "text/xml", answer(``, "Zürich"), "Zürich"},
		{"no Content-Type", "", answer(``, "Zürich"), "Zürich"},
		{"latin1 with a control reference", "text/xml; charset=iso-8859-1", answer(``, "\xe9&#x1B;"), "é\x1b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeResponse(OpGetFaxStatus, tc.ct, tc.body)
			if err != nil || len(got.Items) != 1 || got.Items[0].Description != tc.want {
				t.Fatalf("got %+v %v, want %q", got.Items, err, tc.want)
			}
		})
	}
}

func TestUnknownCharsetIsAClearError(t *testing.T) {
	for _, ct := range []string{"text/xml; charset=x-klingon", "text/xml; charset=\"\x1b[2J\""} {
		_, err := DecodeResponse(OpGetFaxStatus, ct, []byte(`<?xml version="1.0"?><a/>`))
		var pe *ProtocolError
		if !errors.As(err, &pe) || pe.Kind != KindCharset || !strings.HasPrefix(err.Error(), "answer in an unknown character set: ") || strings.Contains(err.Error(), "\x1b") {
			t.Fatalf("%q: got %v", ct, err)
		}
	}
}

func FuzzDeclaredEncoding(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`))
	f.Add([]byte(`<?xml encoding = 'x' ?>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		label := declaredEncoding(body)
		if len(label) > len(body) {
			t.Fatal("label longer than the body")
		}
		if _, err := toUTF8("", body); err != nil {
			var pe *ProtocolError
			if !errors.As(err, &pe) || pe.Kind != KindCharset {
				t.Fatalf("untyped error %v", err)
			}
		}
	})
}
