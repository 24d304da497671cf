package api

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ---- encoding ----

// xmlBuf writes elements with a fixed prefix; text is escaped, and the
// control characters XML 1.0 cannot carry are written as controls says.
type xmlBuf struct {
	bytes.Buffer
	prefix   string
	controls ControlChars
	written  int // controls written so far, for ControlsBoth
}

func (w *xmlBuf) open(name string) {
	w.WriteByte('<')
	w.WriteString(w.prefix)
	w.WriteString(name)
	w.WriteByte('>')
}

func (w *xmlBuf) close(name string) {
	w.WriteString("</")
	w.WriteString(w.prefix)
	w.WriteString(name)
	w.WriteByte('>')
}

func (w *xmlBuf) text(name, value string) {
	w.open(name)
	switch {
	case xmlPlain(value):
		w.WriteString(value)
	case w.controls == ControlsReplaced:
		_ = xml.EscapeText(w, []byte(value))
	default:
		w.textWithControls(value)
	}
	w.close(name)
}

// textWithControls escapes value but writes its illegal controls raw or as
// character references, as other SOAP stacks do.
func (w *xmlBuf) textWithControls(value string) {
	start := 0
	for i := 0; i < len(value); i++ {
		if !illegalControl(rune(value[i])) {
			continue
		}
		_ = xml.EscapeText(w, []byte(value[start:i]))
		ref := w.controls == ControlsRef || (w.controls == ControlsBoth && w.written%2 == 0)
		if ref {
			fmt.Fprintf(w, "&#x%X;", value[i])
		} else {
			w.WriteByte(value[i])
		}
		w.written++
		start = i + 1
	}
	_ = xml.EscapeText(w, []byte(value[start:]))
}

func (w *xmlBuf) int(name string, v int64) {
	w.open(name)
	var num [20]byte
	w.Write(strconv.AppendInt(num[:0], v, 10))
	w.close(name)
}

// xmlPlain reports whether s needs no escaping (the common case for IDs).
func xmlPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '&' || c == '\'' || c == '"' {
			return false
		}
	}
	return true
}

func envelopeNS(f Format) string {
	if f == FormatSOAP12 {
		return nsSOAP12
	}
	return nsSOAP11
}

// envelope writes the envelope around body; bodyPrefix is the urn:FaxWS prefix.
func envelope(f Format, bodyPrefix string, body func(w *xmlBuf)) []byte {
	w := &xmlBuf{prefix: bodyPrefix + ":"}
	w.Grow(512)
	w.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	w.WriteString(`<soap:Envelope xmlns:soap="`)
	w.WriteString(envelopeNS(f))
	w.WriteString(`" xmlns:`)
	w.WriteString(bodyPrefix)
	w.WriteString(`="` + nsFaxWS + `"><soap:Body>`)
	body(w)
	w.WriteString(`</soap:Body></soap:Envelope>`)
	return w.Bytes()
}

func encodeXMLRequest(f Format, req Request) []byte {
	return envelope(f, "urn", func(w *xmlBuf) {
		op := string(req.Op)
		if req.Op == OpCheckService {
			w.WriteString("<urn:CheckService/>")
			return
		}
		w.open(op)
		w.text("UserID", req.UserID)
		w.text("strPIN", req.PIN)
		if req.Op == OpSimpleGetFaxStatus {
			w.text("JobId", req.JobIDs[0])
		} else {
			w.open("FaxJobIds")
			for _, id := range req.JobIDs {
				w.open("item")
				w.text("JobId", id)
				w.close("item")
			}
			w.close("FaxJobIds")
		}
		w.close(op)
	})
}

func encodeXMLResponse(f Format, resp Response) []byte {
	return envelope(f, "FaxWS", func(w *xmlBuf) {
		w.controls = resp.Controls
		wrapper := resp.Op.ResponseElement()
		w.open(wrapper)
		switch resp.Op {
		case OpCheckService:
			w.text("return", resp.CheckValue)
		case OpSimpleGetFaxStatus:
			w.int("return", resp.SimpleValue)
		default:
			w.text("return", strconv.FormatBool(resp.Return))
			w.open("FaxStatusList")
			for i := range resp.Items {
				writeXMLItem(w, resp.Op, &resp.Items[i])
			}
			w.close("FaxStatusList")
			writeXMLWSError(w, "WSError", resp.WSError)
		}
		w.close(wrapper)
	})
}

func writeXMLItem(w *xmlBuf, op Operation, it *WireItem) {
	w.open("item")
	w.text("FaxJobId", it.FaxJobID)
	w.int("FaxJobStatusId", int64(it.StatusID))
	w.text("StatusDescription", it.Description)
	if op.hasPages() {
		w.int("RecipientState", int64(it.RecipientState))
		w.int("RecipientCurrentPageCount", int64(it.PagesSent))
		w.int("RecipientTotalPageCount", int64(it.PagesTotal))
	}
	if op.hasDelivery() {
		w.text("FaxDeliveryDateTime", it.DeliveredAt)
		w.int("FaxDeliveryDuration", int64(it.DurationS))
		w.text("RemoteFaxCSID", it.RemoteCSID)
	}
	if op.hasReference() {
		w.text("ReferenceId", it.ReferenceID)
	}
	writeXMLWSError(w, "Error", it.Error)
	w.close("item")
}

func writeXMLWSError(w *xmlBuf, name string, e WSError) {
	w.open(name)
	w.int("ErrorCode", int64(e.Code))
	w.text("ErrorString", e.Message)
	w.close(name)
}

// encodeXMLFault writes a Fault of f's SOAP version; codes are translated
// between the 1.1 (Client/Server) and 1.2 (Sender/Receiver) vocabularies.
func encodeXMLFault(f Format, fault Fault) []byte {
	code := faultCodeFor(f, fault.Code)
	w := &xmlBuf{}
	w.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	w.WriteString(`<soap:Envelope xmlns:soap="` + envelopeNS(f) + `"><soap:Body><soap:Fault>`)
	if f == FormatSOAP12 {
		w.WriteString(`<soap:Code><soap:Value>soap:` + code + `</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">`)
		_ = xml.EscapeText(w, []byte(fault.Reason))
		w.WriteString(`</soap:Text></soap:Reason>`)
	} else {
		w.WriteString(`<faultcode>soap:` + code + `</faultcode><faultstring>`)
		_ = xml.EscapeText(w, []byte(fault.Reason))
		w.WriteString(`</faultstring>`)
	}
	w.WriteString(`</soap:Fault></soap:Body></soap:Envelope>`)
	return w.Bytes()
}

func faultCodeFor(f Format, code string) string {
	client := strings.EqualFold(code, "Client") || strings.EqualFold(code, "Sender")
	switch {
	case f == FormatSOAP12 && client:
		return "Sender"
	case f == FormatSOAP12:
		return "Receiver"
	case client:
		return "Client"
	}
	return "Server"
}

// ---- decoding ----

type xmlWSError struct {
	Code    string `xml:"urn:FaxWS ErrorCode"`
	Message string `xml:"urn:FaxWS ErrorString"`
}

type xmlItem struct {
	FaxJobID       string     `xml:"urn:FaxWS FaxJobId"`
	StatusID       string     `xml:"urn:FaxWS FaxJobStatusId"`
	Description    string     `xml:"urn:FaxWS StatusDescription"`
	RecipientState string     `xml:"urn:FaxWS RecipientState"`
	PagesSent      string     `xml:"urn:FaxWS RecipientCurrentPageCount"`
	PagesTotal     string     `xml:"urn:FaxWS RecipientTotalPageCount"`
	DeliveredAt    string     `xml:"urn:FaxWS FaxDeliveryDateTime"`
	DurationS      string     `xml:"urn:FaxWS FaxDeliveryDuration"`
	RemoteCSID     string     `xml:"urn:FaxWS RemoteFaxCSID"`
	ReferenceID    string     `xml:"urn:FaxWS ReferenceId"`
	Error          xmlWSError `xml:"urn:FaxWS Error"`
}

type xmlItemList struct {
	Items []xmlItem `xml:"urn:FaxWS item"`
}

type xmlResponse struct {
	Return  *string     `xml:"urn:FaxWS return"`
	List    xmlItemList `xml:"urn:FaxWS FaxStatusList"`
	WSError xmlWSError  `xml:"urn:FaxWS WSError"`
}

type xmlJobID struct {
	JobID string `xml:"urn:FaxWS JobId"`
}

type xmlRequest struct {
	UserID string `xml:"urn:FaxWS UserID"`
	PIN    string `xml:"urn:FaxWS strPIN"`
	JobIDs struct {
		Items []xmlJobID `xml:"urn:FaxWS item"`
	} `xml:"urn:FaxWS FaxJobIds"`
	JobID string `xml:"urn:FaxWS JobId"`
}

// Faults: 1.1 children are unqualified, 1.2 ones are in the envelope
// namespace; tags without a namespace match either.
type xmlFault struct {
	Code11   string `xml:"faultcode"`
	String11 string `xml:"faultstring"`
	Code12   struct {
		Value string `xml:"Value"`
	} `xml:"Code"`
	Reason12 struct {
		Text []string `xml:"Text"`
	} `xml:"Reason"`
}

// xmlError classifies a decoder error: truncation or malformed XML.
func xmlError(err error) error {
	var pe *ProtocolError
	var fe *SOAPFault
	if errors.As(err, &pe) || errors.As(err, &fe) {
		return err
	}
	var se *xml.SyntaxError
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || (errors.As(err, &se) && se.Msg == "unexpected EOF") {
		return &ProtocolError{Kind: KindTruncated}
	}
	return &ProtocolError{Kind: KindMalformed, Detail: clip(Sanitize(err.Error()), maxSnippet)}
}

func isSpace(b []byte) bool { return len(bytes.TrimLeft(b, " \t\r\n")) == 0 }

// openBody walks to the first element inside the SOAP Body and returns it
// with the envelope namespace. DTDs and non-SOAP roots are refused.
func openBody(d *xml.Decoder) (xml.StartElement, string, error) {
	var envNS string
	depth := 0 // 0: before root, 1: in Envelope, 2: in Body
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, "", xmlError(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return xml.StartElement{}, "", &ProtocolError{Kind: KindMalformed, Detail: "a DTD is not allowed in a SOAP message"}
		case xml.CharData:
			if depth == 0 && !isSpace(t) {
				return xml.StartElement{}, "", &ProtocolError{Kind: KindMalformed, Detail: "text before the SOAP envelope"}
			}
		case xml.EndElement:
			if depth == 2 {
				return xml.StartElement{}, "", &ProtocolError{Kind: KindUnexpected, Detail: "the SOAP Body is empty"}
			}
			return xml.StartElement{}, "", &ProtocolError{Kind: KindUnexpected, Detail: "the SOAP envelope has no Body"}
		case xml.StartElement:
			switch depth {
			case 0:
				if t.Name.Local != "Envelope" || (t.Name.Space != nsSOAP11 && t.Name.Space != nsSOAP12) {
					return xml.StartElement{}, "", &ProtocolError{Kind: KindUnexpected, Detail: "not a SOAP envelope: <" + clip(Sanitize(t.Name.Local), 40) + ">"}
				}
				envNS = t.Name.Space
				depth = 1
			case 1:
				if t.Name.Space == envNS && t.Name.Local == "Body" {
					depth = 2
					continue
				}
				if err := d.Skip(); err != nil { // Header or extensions
					return xml.StartElement{}, "", xmlError(err)
				}
			default:
				return t, envNS, nil
			}
		}
	}
}

// closeEnvelope reads the rest of the document after the body element: other
// body children are skipped, anything after the envelope is refused.
func closeEnvelope(d *xml.Decoder) error {
	depth := 2
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if depth > 0 {
				return &ProtocolError{Kind: KindTruncated}
			}
			return nil
		}
		if err != nil {
			return xmlError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				return &ProtocolError{Kind: KindMalformed, Detail: "data after the SOAP envelope"}
			}
			if err := d.Skip(); err != nil {
				return xmlError(err)
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && !isSpace(t) {
				return &ProtocolError{Kind: KindMalformed, Detail: "data after the SOAP envelope"}
			}
		case xml.Directive:
			return &ProtocolError{Kind: KindMalformed, Detail: "a DTD is not allowed in a SOAP message"}
		}
	}
}

func versionOf(ns string) string {
	if ns == nsSOAP12 {
		return "1.2"
	}
	return "1.1"
}

// decodeXMLResponse reads a SOAP answer with encoding/xml, the one XML
// decoder of the client (README, Performance: a second one did not pay).
func decodeXMLResponse(op Operation, contentType string, body []byte) (Response, error) {
	d, err := newXMLDecoder(contentType, body)
	if err != nil {
		return Response{}, err
	}
	start, envNS, err := openBody(d)
	if err != nil {
		return Response{}, err
	}
	if start.Name.Local == "Fault" && (start.Name.Space == nsSOAP11 || start.Name.Space == nsSOAP12) {
		var f xmlFault
		if err := d.DecodeElement(&f, &start); err != nil {
			return Response{}, xmlError(err)
		}
		if f.Code11 != "" || f.String11 != "" {
			return Response{}, newSOAPFault("1.1", f.Code11, f.String11)
		}
		return Response{}, newSOAPFault(versionOf(envNS), f.Code12.Value, strings.Join(f.Reason12.Text, " "))
	}
	if start.Name.Space != nsFaxWS || !op.acceptsWrapper(start.Name.Local) {
		return Response{}, &ProtocolError{Kind: KindUnexpected, Detail: "expected " + op.ResponseElement() + ", got " + clip(Sanitize(start.Name.Local), 60)}
	}
	resp := Response{Op: op}
	var x xmlResponse
	if err := d.DecodeElement(&x, &start); err != nil {
		return Response{}, xmlError(err)
	}
	if x.Return == nil {
		return Response{}, &ProtocolError{Kind: KindMalformed, Detail: "the answer has no return element"}
	}
	switch op {
	case OpCheckService:
		resp.CheckValue = *x.Return
	case OpSimpleGetFaxStatus:
		v, err := strconv.ParseInt(strings.TrimSpace(*x.Return), 10, 64)
		if err != nil {
			return Response{}, badField("return", *x.Return)
		}
		resp.SimpleValue = v
	default:
		if resp.Return, err = parseWireBool(*x.Return); err != nil {
			return Response{}, err
		}
		if resp.WSError, err = x.WSError.decode(); err != nil {
			return Response{}, err
		}
		resp.Items = make([]WireItem, 0, len(x.List.Items))
		for i := range x.List.Items {
			resp.Items = append(resp.Items, x.List.Items[i].decode())
		}
	}
	if err := closeEnvelope(d); err != nil {
		return Response{}, err
	}
	return resp, nil
}

func (e xmlWSError) decode() (WSError, error) {
	code, err := parseWireInt("ErrorCode", e.Code)
	return WSError{Code: code, Message: e.Message}, err
}

// decode converts one item; an item that cannot be used keeps its FaxJobId
// (for matching) and says why in Problem, and costs only its own job.
func (x *xmlItem) decode() WireItem {
	it := WireItem{
		FaxJobID: x.FaxJobID, Description: x.Description, DeliveredAt: x.DeliveredAt,
		RemoteCSID: x.RemoteCSID, ReferenceID: x.ReferenceID,
	}
	var err error
	set := func(name, raw string, dst *int) {
		if err == nil {
			*dst, err = parseWireInt(name, raw)
		}
	}
	set("FaxJobStatusId", x.StatusID, &it.StatusID)
	set("RecipientState", x.RecipientState, &it.RecipientState)
	set("RecipientCurrentPageCount", x.PagesSent, &it.PagesSent)
	set("RecipientTotalPageCount", x.PagesTotal, &it.PagesTotal)
	set("FaxDeliveryDuration", x.DurationS, &it.DurationS)
	if err == nil {
		it.Error, err = x.Error.decode()
	}
	if err != nil {
		return unusableItem(x.FaxJobID, problemOf(err))
	}
	return checkItem(it)
}

// parseWireInt reads an xsd:int; an absent or empty element is 0.
func parseWireInt(name, s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, badField(name, s)
	}
	return int(v), nil
}

// parseWireBool reads an xsd:boolean (true/false/1/0).
func parseWireBool(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, badField("return", s)
}

func badField(name, value string) error {
	return &ProtocolError{Kind: KindMalformed, Detail: name + " is not valid: " + strconv.Quote(clip(Sanitize(value), 40))}
}

func decodeXMLRequest(f Format, body []byte) (Request, error) {
	d, err := newXMLDecoder("", body)
	if err != nil {
		return Request{}, err
	}
	start, envNS, err := openBody(d)
	if err != nil {
		return Request{}, err
	}
	if envNS != envelopeNS(f) {
		return Request{}, &ProtocolError{Kind: KindVersionMismatch, Detail: "SOAP " + versionOf(envNS) + " envelope sent as " + string(f)}
	}
	op := Operation(start.Name.Local)
	if start.Name.Space != nsFaxWS || !op.Valid() {
		return Request{}, &ProtocolError{Kind: KindUnexpected, Detail: "unknown operation " + clip(Sanitize(start.Name.Local), 60)}
	}
	var x xmlRequest
	if err := d.DecodeElement(&x, &start); err != nil {
		return Request{}, xmlError(err)
	}
	if err := closeEnvelope(d); err != nil {
		return Request{}, err
	}
	req := Request{Op: op, UserID: x.UserID, PIN: x.PIN}
	switch {
	case op == OpSimpleGetFaxStatus:
		req.JobIDs = []string{x.JobID}
	case op.IsStatusList():
		req.JobIDs = make([]string, 0, len(x.JobIDs.Items))
		for _, it := range x.JobIDs.Items {
			req.JobIDs = append(req.JobIDs, it.JobID)
		}
	}
	return req, nil
}
