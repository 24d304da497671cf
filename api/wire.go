package api

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
)

// Namespaces of the wire formats. Elements are matched by these, never by prefix.
const (
	nsFaxWS  = "urn:FaxWS"
	nsSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
	nsSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
)

// Operation names a request element.
type Operation string

const (
	OpGetFaxStatus            Operation = "GetFaxStatus"
	OpGetRealTimeFaxStatus    Operation = "GetRealTimeFaxStatus"
	OpGetRealTimeFaxStatusEx  Operation = "GetRealTimeFaxStatusEx"
	OpGetRealTimeFaxStatusEx2 Operation = "GetRealTimeFaxStatusEx2"
	OpSimpleGetFaxStatus      Operation = "SimpleGetFaxStatus"
	OpCheckService            Operation = "CheckService"
)

// Valid reports whether op is one the codec speaks.
func (op Operation) Valid() bool {
	return op.IsStatusList() || op == OpSimpleGetFaxStatus || op == OpCheckService
}

// IsStatusList reports whether op takes a list of job IDs and answers a FaxStatusList.
func (op Operation) IsStatusList() bool {
	switch op {
	case OpGetFaxStatus, OpGetRealTimeFaxStatus, OpGetRealTimeFaxStatusEx, OpGetRealTimeFaxStatusEx2:
		return true
	}
	return false
}

// ResponseElement is the WSDL name of op's response wrapper (note: GetFaxStatus
// answers FaxStatusResponse, not GetFaxStatusResponse).
func (op Operation) ResponseElement() string {
	switch op {
	case OpGetFaxStatus:
		return "FaxStatusResponse"
	case OpGetRealTimeFaxStatus:
		return "RealTimeFaxStatusResponse"
	case OpGetRealTimeFaxStatusEx:
		return "RealTimeFaxStatusExResponse"
	case OpGetRealTimeFaxStatusEx2:
		return "RealTimeFaxStatusEx2Response"
	case OpSimpleGetFaxStatus:
		return "SimpleFaxStatusResponse"
	case OpCheckService:
		return "CheckServiceResponse"
	}
	return ""
}

// acceptsWrapper reports whether name is a tolerated response wrapper of op:
// the WSDL name, or the operation name + "Response" that some clients expect.
func (op Operation) acceptsWrapper(name string) bool {
	return name == op.ResponseElement() || name == string(op)+"Response"
}

// hasPages etc. say which optional item fields op carries, in WSDL order.
func (op Operation) hasPages() bool {
	return op == OpGetRealTimeFaxStatus || op == OpGetRealTimeFaxStatusEx || op == OpGetRealTimeFaxStatusEx2
}
func (op Operation) hasDelivery() bool {
	return op == OpGetRealTimeFaxStatusEx || op == OpGetRealTimeFaxStatusEx2
}
func (op Operation) hasReference() bool { return op == OpGetRealTimeFaxStatusEx2 }

// OperationOf maps a status Method to its Operation.
func OperationOf(m Method) Operation { return Operation(m) }

// Request is a decoded request body of any operation.
type Request struct {
	Op     Operation
	UserID string
	PIN    string
	JobIDs []string // status methods; SimpleGetFaxStatus has one
}

// Format shows a Request without its PIN, so %v of one cannot leak it.
func (r Request) Format(f fmt.State, _ rune) {
	pin := ""
	if r.PIN != "" {
		pin = redacted
	}
	fmt.Fprintf(f, "{Op:%s UserID:%s PIN:%s JobIDs:%v}", r.Op, r.UserID, pin, r.JobIDs)
}

// WireItem is one FaxStatusList item as sent on the wire (unsanitised).
type WireItem struct {
	FaxJobID       string
	StatusID       int
	Description    string
	RecipientState int
	PagesSent      int
	PagesTotal     int
	DeliveredAt    string
	DurationS      int
	RemoteCSID     string
	ReferenceID    string
	Error          WSError
	// Problem says why a decoded item cannot be used (a field that is not
	// a number, too long, or no FaxJobId); empty when it can. Never encoded.
	Problem string
}

// Response is a decoded or to-be-encoded response of any operation.
type Response struct {
	Op          Operation
	Return      bool // status methods
	Items       []WireItem
	WSError     WSError
	SimpleValue int64  // SimpleFaxStatusResponse return
	CheckValue  string // CheckServiceResponse return
	// Controls says how EncodeResponse writes, in SOAP, the C0 controls XML
	// 1.0 cannot carry. Decoding leaves it zero.
	Controls ControlChars
}

// ControlChars is how an XML encoder writes the C0 controls XML 1.0 cannot
// carry. faxwatch replaces them; the simulator can answer as other SOAP
// stacks do, and the client reads every form.
type ControlChars string

const (
	ControlsReplaced ControlChars = ""     // U+FFFD, well-formed
	ControlsRaw      ControlChars = "raw"  // the bytes themselves (node-soap)
	ControlsRef      ControlChars = "ref"  // character references such as &#x1B; (gSOAP)
	ControlsBoth     ControlChars = "both" // alternately a reference and raw
)

// Valid reports whether c is a known form.
func (c ControlChars) Valid() bool {
	return c == ControlsReplaced || c == ControlsRaw || c == ControlsRef || c == ControlsBoth
}

// Fault is a SOAP Fault (or the JSON equivalent) to encode.
type Fault struct {
	Code   string // "Client"/"Server" (1.1) or "Sender"/"Receiver" (1.2)
	Reason string
}

// Valid reports whether f is a known format.
func (f Format) Valid() bool { return f == FormatSOAP11 || f == FormatSOAP12 || f == FormatJSON }

// ContentType is the request media type of a format.
func (f Format) ContentType() string {
	switch f {
	case FormatSOAP12:
		return "application/soap+xml; charset=utf-8"
	case FormatJSON:
		return "application/json; charset=utf-8"
	default:
		return "text/xml; charset=utf-8"
	}
}

// FormatFromContentType maps a request Content-Type to a format (missing: SOAP 1.2,
// the server's documented default). Unknown media types report false.
func FormatFromContentType(ct string) (Format, bool) {
	if strings.TrimSpace(ct) == "" {
		return FormatSOAP12, true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", false
	}
	switch mt {
	case "text/xml":
		return FormatSOAP11, true
	case "application/soap+xml":
		return FormatSOAP12, true
	case "application/json":
		return FormatJSON, true
	}
	return "", false
}

// EncodeRequest writes req in format f, elements in WSDL order.
func EncodeRequest(f Format, req Request) ([]byte, error) {
	if !f.Valid() {
		return nil, fmt.Errorf("unknown wire format %q", f)
	}
	if !req.Op.Valid() {
		return nil, fmt.Errorf("unknown operation %q", req.Op)
	}
	if req.Op == OpSimpleGetFaxStatus && len(req.JobIDs) != 1 {
		return nil, fmt.Errorf("SimpleGetFaxStatus takes exactly one job ID, got %d", len(req.JobIDs))
	}
	if f == FormatJSON {
		return encodeJSONRequest(req), nil
	}
	return encodeXMLRequest(f, req), nil
}

// DecodeRequest parses a request body (server side). SOAP bodies must use the
// envelope version of f, as a SOAP server answers VersionMismatch otherwise.
func DecodeRequest(f Format, body []byte) (Request, error) {
	switch f {
	case FormatJSON:
		return decodeJSONRequest(body)
	case FormatSOAP11, FormatSOAP12:
		return decodeXMLRequest(f, body)
	}
	return Request{}, fmt.Errorf("unknown wire format %q", f)
}

// EncodeResponse writes resp in format f, elements in WSDL order.
func EncodeResponse(f Format, resp Response) ([]byte, error) {
	if !f.Valid() {
		return nil, fmt.Errorf("unknown wire format %q", f)
	}
	if !resp.Op.Valid() {
		return nil, fmt.Errorf("unknown operation %q", resp.Op)
	}
	if f == FormatJSON {
		return encodeJSONResponse(resp), nil
	}
	return encodeXMLResponse(f, resp), nil
}

// EncodeFault writes a SOAP Fault of f's version, or the JSON fault shape
// {"Fault":{"faultcode":…,"faultstring":…}}.
func EncodeFault(f Format, fault Fault) []byte {
	switch f {
	case FormatJSON:
		return encodeJSONFault(fault)
	case FormatSOAP12:
		return encodeXMLFault(FormatSOAP12, fault)
	default:
		return encodeXMLFault(FormatSOAP11, fault)
	}
}

// DecodeResponse parses a response body of op by namespace, whichever SOAP
// version or JSON shape it is; contentType guides but does not bind. A fault
// comes back as *SOAPFault, an HTML page or unreadable body as *ProtocolError.
func DecodeResponse(op Operation, contentType string, body []byte) (Response, error) {
	if !op.Valid() {
		return Response{}, fmt.Errorf("unknown operation %q", op)
	}
	if looksLikeHTML(contentType, body) {
		return Response{}, &ProtocolError{Kind: KindHTML, Detail: htmlTitle(body)}
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return Response{}, &ProtocolError{Kind: KindEmpty}
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case trimmed[0] == '{' || trimmed[0] == '[':
		return decodeJSONResponse(op, trimmed)
	case trimmed[0] == '<':
		return decodeXMLResponse(op, contentType, trimmed)
	case mt == "application/json":
		return decodeJSONResponse(op, trimmed)
	}
	return Response{}, &ProtocolError{Kind: KindMalformed, Detail: "neither XML nor JSON: " + snippet(trimmed)}
}

// looksLikeHTML spots proxy error pages whatever they claim to be.
func looksLikeHTML(contentType string, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
		return true
	}
	head := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(head) > 64 {
		head = head[:64]
	}
	lower := bytes.ToLower(head)
	return bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html"))
}

// htmlTitle returns the page's <title> text, or "". The tags are found
// ASCII case-insensitively on the bytes themselves: bytes.ToLower can change
// the length of non-ASCII text, and its offsets would not fit body.
func htmlTitle(body []byte) string {
	if i := indexFoldASCII(body, "<title"); i >= 0 {
		if j := bytes.IndexByte(body[i:], '>'); j >= 0 {
			start := i + j + 1
			if k := indexFoldASCII(body[start:], "</title"); k >= 0 {
				if t := strings.Join(strings.Fields(string(body[start:start+k])), " "); t != "" {
					return clip(Sanitize(t), maxSnippet)
				}
			}
		}
	}
	return ""
}

// indexFoldASCII is bytes.Index ignoring ASCII case; pattern is lower case.
func indexFoldASCII(b []byte, pattern string) int {
	for i := 0; i+len(pattern) <= len(b); i++ {
		k := 0
		for k < len(pattern) && lowerASCII(b[i+k]) == pattern[k] {
			k++
		}
		if k == len(pattern) {
			return i
		}
	}
	return -1
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// snippet is a short one-line sanitised excerpt of untrusted bytes for an error.
func snippet(b []byte) string {
	if len(b) > 4*maxSnippet {
		b = b[:4*maxSnippet]
	}
	return clip(Sanitize(strings.Join(strings.Fields(string(b)), " ")), maxSnippet)
}
