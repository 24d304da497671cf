package api

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Answers recorded from independent SOAP stacks (gSOAP, node-soap) by
// scripts/record-peers.sh; api/testdata/peers/VERSIONS names the versions.
// Every recording is decoded here and every field checked, at the codec and
// through the client over a socket that replays the bytes as recorded
// (chunked bodies included).

const peerHostile = "\x1b]0;pwned\x07Sending page 2\r of 5 \u009b31m \u202eevil\x1b[2J"

var (
	peerSucceeded = WireItem{FaxJobID: "br1000001h00001x", StatusID: 1, Description: "Fax sent successfully"}
	peerFailed    = WireItem{FaxJobID: "br2000002h00002y", StatusID: 2, Description: "Failed: line busy", Error: WSError{Code: 4001, Message: "Line busy"}}
	peerSending   = WireItem{FaxJobID: "br3000003h00003z", StatusID: 3, Description: "Sending page 2 of 5"}
	peerInvalid   = WireItem{FaxJobID: "br4000004h00004w", StatusID: -5019, Description: "Invalid job ID", Error: WSError{Code: -5019, Message: "Invalid FaxJobId"}}
	peerHostileIt = WireItem{FaxJobID: "br9000009h00009q", StatusID: 3, Description: peerHostile, Error: WSError{Message: "CSID \x07\x1b[31m"}}
)

func withDetails(it WireItem, csid string) WireItem {
	it.RecipientState, it.PagesSent, it.PagesTotal = 2, 2, 5
	it.DeliveredAt, it.DurationS, it.RemoteCSID, it.ReferenceID = "2026-11-27T10:00:00Z", 61, csid, "REF-"+it.FaxJobID
	return it
}

// peerCases: what each recorded case must decode to.
var peerCases = map[string]struct {
	op    Operation
	items []WireItem
	fault string // the fault's reason as shown; "" when the answer is not a fault
}{
	"normal":      {OpGetFaxStatus, []WireItem{peerSucceeded, peerFailed, peerSending}, ""},
	"invalid":     {OpGetFaxStatus, []WireItem{peerInvalid}, ""},
	"hostile":     {OpGetFaxStatus, []WireItem{peerSucceeded, peerHostileIt}, ""},
	"fault":       {OpGetFaxStatus, nil, `Authentication failed for \x1b[2Jmbx\x07`},
	"ex2-hostile": {OpGetRealTimeFaxStatusEx2, []WireItem{withDetails(peerSending, "+1 555 0100"), withDetails(peerHostileIt, "CSID\x1b[2J\x07")}, ""},
}

type peerRecording struct {
	name, stack, version, kase string
	raw                        []byte
}

func peerRecordings(t *testing.T) []peerRecording {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "peers", "*.http"))
	var out []peerRecording
	seen := map[string]bool{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".http")
		parts := strings.SplitN(name, "-", 3) // stack-version-case
		if len(parts) != 3 {
			t.Fatalf("%s: not named stack-version-case", f)
		}
		if _, ok := peerCases[parts[2]]; !ok {
			t.Fatalf("%s: unknown case %q", f, parts[2])
		}
		seen[parts[0]+"-"+parts[1]] = true
		out = append(out, peerRecording{name: name, stack: parts[0], version: parts[1], kase: parts[2], raw: raw})
	}
	for _, want := range []string{"gsoap-soap11", "gsoap-soap12", "node-soap11", "node-soap12"} {
		if !seen[want] {
			t.Errorf("no %s recordings in testdata/peers", want)
		}
	}
	return out
}

func TestPeerRecordingsDecode(t *testing.T) {
	for _, rec := range peerRecordings(t) {
		t.Run(rec.name, func(t *testing.T) {
			res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(rec.raw)), nil)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			envNS := nsSOAP11
			if rec.version == "soap12" {
				envNS = nsSOAP12
			}
			if !bytes.Contains(body, []byte(`"`+envNS+`"`)) {
				t.Fatalf("recorded with the wrong SOAP version:\n%s", body)
			}
			want := peerCases[rec.kase]
			got, err := DecodeResponse(want.op, res.Header.Get("Content-Type"), body)
			if want.fault != "" {
				var fe *SOAPFault
				if !errors.As(err, &fe) || fe.Reason != want.fault || res.StatusCode != 500 {
					t.Fatalf("got %v (HTTP %d), want a fault saying %q", err, res.StatusCode, want.fault)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Return || got.WSError != (WSError{}) || !reflect.DeepEqual(got.Items, want.items) {
				t.Fatalf("got  %+v\nwant %+v", got, want.items)
			}
		})
	}
}

// replayServer answers every connection with the recorded bytes, as sent.
func replayServer(t *testing.T, raw []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				_, _ = conn.Write(raw)
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/fax/v5"
}

func TestPeerRecordingsThroughTheClient(t *testing.T) {
	for _, rec := range peerRecordings(t) {
		t.Run(rec.name, func(t *testing.T) {
			want := peerCases[rec.kase]
			f := FormatSOAP11
			if rec.version == "soap12" {
				f = FormatSOAP12
			}
			c, _ := newTestClient(t, replayServer(t, rec.raw), func(o *Options) { o.Format, o.MaxAttempts = f, 1 })
			asked := []JobID{"br1000001h00001x"}
			if want.items != nil {
				asked = asked[:0]
				for _, it := range want.items {
					asked = append(asked, JobID(it.FaxJobID))
				}
			}
			res, err := c.status(context.Background(), Method(want.op), asked)
			if want.fault != "" {
				var fe *SOAPFault
				if !errors.As(err, &fe) || fe.Reason != want.fault || res.Jobs[0].State != "" || res.Jobs[0].Err == nil {
					t.Fatalf("got %v %+v", err, res)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, js := range res.Jobs {
				it := want.items[i]
				if js.FaxJobID != it.FaxJobID || js.StatusID != it.StatusID || js.Description != Sanitize(it.Description) ||
					js.Error.Code != it.Error.Code || js.Error.Message != Sanitize(it.Error.Message) || !js.Fresh() {
					t.Errorf("job %d: %+v", i, js)
				}
				if d := js.Details; want.op == OpGetRealTimeFaxStatusEx2 && (d == nil || d.PagesSent != 2 || d.PagesTotal != 5 ||
					d.DurationS != 61 || d.RemoteCSID != Sanitize(it.RemoteCSID) || d.ReferenceID != it.ReferenceID || d.DeliveredAt != it.DeliveredAt) {
					t.Errorf("job %d details: %+v", i, d)
				}
				for _, s := range []string{js.Description, js.Error.Message} {
					if strings.ContainsAny(s, "\x1b\x07\r\u009b\u202e") {
						t.Errorf("job %d: a control reached the result: %q", i, s)
					}
				}
			}
		})
	}
}
