package sim

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"faxwatch/api"
)

const (
	maxRequestBytes = 4 << 20 // a request of ~100k job IDs fits
	maxRequestJobs  = 100000
	oversizeBytes   = 5 << 20 // over the client's 4 MiB default cap
)

// Call-level WSErrors. Concord documents none; these read like its answers.
var (
	errAuthFailed = api.WSError{Code: -5003, Message: "Authentication failed: invalid UserID or PIN"}
	errTooMany    = api.WSError{Code: -5010, Message: "Too many FaxJobIds in one request"}
	errService    = api.WSError{Code: -5007, Message: "Service error: the request could not be processed, try again later"}
	errInvalidJob = api.WSError{Code: api.StatusInvalidJob, Message: "Invalid FaxJobId"}
)

// hostileText carries what a hostile or broken server could send: clear
// screen, OSC 52 clipboard write, OSC 0 title, carriage-return overwrite, C1
// CSI, a bidi override and invalid UTF-8. SOAP answers write the C0
// controls both raw and as references, as other stacks do; the encoder turns
// invalid UTF-8 into U+FFFD. JSON carries it all.
const hostileText = "\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07Job completed\rFAILED \u009b31m\u202edetpmoc\u200b \xff\xfe"

// controlSuffix is what the control_chars knob adds to status texts: a fax
// machine's CSID with a title-setting OSC and a stray bell, as they arrive.
const controlSuffix = " (CSID \x1b]0;FAX-01\x07\x1b[31mFAX-01\x1b[0m)"

// handleFax serves POST /fax/v5, applying the fault knobs in the order a
// real path would meet them: network, gateway, auth, then the service.
func (s *Server) handleFax(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.RawQuery != "" && strings.EqualFold(r.URL.RawQuery, "wsdl") {
		s.handleWSDL(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Method Not Allowed: POST a SOAP or JSON request", http.StatusMethodNotAllowed)
		return
	}
	s.calls.Add(1)
	f := s.Faults()
	if s.networkFault(w, r, f) {
		return
	}
	format, ok := api.FormatFromContentType(r.Header.Get("Content-Type"))
	if !ok {
		writeFault(w, api.FormatSOAP12, http.StatusUnsupportedMediaType, "Client",
			"unsupported Content-Type: send text/xml (SOAP 1.1), application/soap+xml (SOAP 1.2) or application/json")
		return
	}
	bearer, authOK := s.checkBearer(w, r, f.RevokeTokens)
	if !authOK {
		return
	}
	req, ok := readRequest(w, r, format)
	if !ok {
		return
	}
	switch {
	case f.SOAPFault:
		writeFault(w, format, http.StatusInternalServerError, "Server", "Internal error in FaxWS: the status service is unavailable (simulated)")
	case f.HTML:
		writeHTML(w)
	default:
		writeAnswer(w, format, s.answer(req, bearer, f), f)
	}
}

// networkFault plays the faults met before the service reads the request:
// latency, a hang, a rate limit, a redirect, a gateway error. It reports
// whether it answered.
func (s *Server) networkFault(w http.ResponseWriter, r *http.Request, f Faults) bool {
	ctx := r.Context()
	if err := sleepCtx(ctx, f.Latency+s.jitter(f.Jitter)); err != nil {
		return true
	}
	switch {
	case f.Hang:
		<-ctx.Done()
	case s.draw(f.RateLimitRate):
		secs := int64(math.Ceil(f.RetryAfter.Seconds()))
		if secs < 1 {
			secs = 1
		}
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
	case f.Redirect:
		w.Header().Set("Location", "http://"+otherHostName(r.Host)+"/fax/v5")
		http.Error(w, "Temporary Redirect", http.StatusTemporaryRedirect)
	case s.draw(f.ErrorRate):
		status := http.StatusInternalServerError
		if s.draw(0.5) {
			status = http.StatusServiceUnavailable
		}
		http.Error(w, http.StatusText(status), status)
	default:
		return false
	}
	return true
}

// readRequest reads and decodes the request body, bounded; on a bad one it
// answers a Client fault and reports false.
func readRequest(w http.ResponseWriter, r *http.Request, format api.Format) (api.Request, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	switch {
	case err != nil:
		writeFault(w, format, http.StatusBadRequest, "Client", "the request body could not be read")
		return api.Request{}, false
	case len(body) > maxRequestBytes:
		writeFault(w, format, http.StatusRequestEntityTooLarge, "Client", "the request body is larger than 4 MiB")
		return api.Request{}, false
	}
	req, err := api.DecodeRequest(format, body)
	if err != nil {
		writeFault(w, format, http.StatusBadRequest, "Client", "bad request: "+faultDetail(err))
		return api.Request{}, false
	}
	return req, true
}

// writeAnswer encodes resp and spoils it as the body faults ask.
func writeAnswer(w http.ResponseWriter, format api.Format, resp api.Response, f Faults) {
	out, err := api.EncodeResponse(format, resp)
	if err != nil {
		writeFault(w, format, http.StatusInternalServerError, "Server", "the answer could not be encoded")
		return
	}
	if f.EmptyBody {
		out = nil
	}
	if f.Oversize {
		out = oversize(out, format)
	}
	if f.Malformed {
		out = malform(out, format)
	}
	w.Header().Set("Content-Type", format.ContentType())
	if f.WrongContentType {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	if f.Truncate {
		// Promise the whole body, send half: net/http then closes the
		// connection and the client reads an unexpected EOF.
		out = out[:len(out)/2]
	}
	_, _ = w.Write(out)
}

// answer computes the service's reply to a decoded request.
func (s *Server) answer(req api.Request, bearer bool, f Faults) api.Response {
	resp := api.Response{Op: req.Op, Return: true}
	switch req.Op {
	case api.OpCheckService:
		resp.CheckValue = "FaxWS v5 is running (faxwatch simulator)"
		return resp
	case api.OpSimpleGetFaxStatus:
		if !s.authorised(req, bearer) {
			resp.SimpleValue = int64(errAuthFailed.Code)
			return resp
		}
		id := ""
		if len(req.JobIDs) > 0 {
			id = req.JobIDs[0]
		}
		resp.SimpleValue = int64(s.item(id, s.clock.Now()).StatusID)
		return resp
	}
	switch {
	case !s.authorised(req, bearer):
		resp.Return, resp.WSError = false, errAuthFailed
		return resp
	case f.ReturnFalse:
		resp.Return, resp.WSError = false, errService
		return resp
	case len(req.JobIDs) > maxRequestJobs:
		resp.Return, resp.WSError = false, errTooMany
		return resp
	}
	now := s.clock.Now()
	resp.Controls = f.ControlChars
	if f.Hostile && resp.Controls == api.ControlsReplaced {
		resp.Controls = api.ControlsBoth
	}
	resp.Items = make([]api.WireItem, 0, len(req.JobIDs))
	for i, id := range req.JobIDs {
		if f.OmitItems && i%2 == 0 {
			continue
		}
		it := s.item(id, now)
		if f.ControlChars != api.ControlsReplaced {
			it.Description += controlSuffix
			it.RemoteCSID += controlSuffix
		}
		if f.Hostile {
			it.Description = hostileText
			it.Error.Message = hostileText
			it.RemoteCSID = hostileText
		}
		resp.Items = append(resp.Items, it)
	}
	if f.ReorderItems {
		for i, j := 0, len(resp.Items)-1; i < j; i, j = i+1, j-1 {
			resp.Items[i], resp.Items[j] = resp.Items[j], resp.Items[i]
		}
	}
	return resp
}

// authorised: a valid bearer token (checked earlier) needs the right UserID;
// the legacy mode needs UserID and PIN.
func (s *Server) authorised(req api.Request, bearer bool) bool {
	if !equal(req.UserID, s.creds.UserID) {
		return false
	}
	return bearer || equal(req.PIN, s.creds.PIN)
}

// item is one FaxStatusList entry for a requested ID at time now.
func (s *Server) item(asked string, now time.Time) api.WireItem {
	key, isRef := normaliseJobID(asked)
	s.mu.RLock()
	var j *job
	if isRef {
		j = s.byRef[key]
	} else {
		j = s.byID[key]
	}
	s.mu.RUnlock()
	if j == nil {
		return api.WireItem{FaxJobID: asked, StatusID: api.StatusInvalidJob, Description: "Invalid job ID", Error: errInvalidJob}
	}
	snap := j.at(now)
	return api.WireItem{
		FaxJobID:       j.id,
		StatusID:       snap.statusID,
		Description:    snap.description,
		RecipientState: snap.recipient,
		PagesSent:      snap.sent,
		PagesTotal:     snap.total,
		DeliveredAt:    snap.deliveredAt,
		DurationS:      snap.durationS,
		RemoteCSID:     snap.csid,
		ReferenceID:    j.ref,
		Error:          api.WSError{Code: snap.errCode, Message: snap.errString},
	}
}

// writeFault answers a SOAP Fault of f's version (or the JSON equivalent).
// SOAP 1.1 sends every fault with 500; SOAP 1.2 and JSON blame the sender
// with 400-class codes.
func writeFault(w http.ResponseWriter, f api.Format, status int, code, reason string) {
	if f == api.FormatSOAP11 {
		status = http.StatusInternalServerError
	}
	body := api.EncodeFault(f, api.Fault{Code: code, Reason: reason})
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// faultDetail turns a decode error into a short reason; the codec's errors
// are already sanitised and clipped.
func faultDetail(err error) string {
	var pe *api.ProtocolError
	if errors.As(err, &pe) && pe.Kind == api.KindVersionMismatch {
		return "VersionMismatch: " + pe.Detail
	}
	msg := err.Error()
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return msg
}

const htmlPage = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>
<p>The upstream server did not answer in time. Reference #18.4e2f1b17.1764201600.9a3c</p>
</body></html>
`

// writeHTML is a proxy's error page sent with 200, as captive portals and
// misconfigured gateways do; clients must not take it for an answer.
func writeHTML(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(htmlPage)))
	_, _ = io.WriteString(w, htmlPage)
}

// oversize pads a well-formed answer past the client's cap: an XML comment
// after the root element, or trailing whitespace in JSON, both legal.
func oversize(out []byte, f api.Format) []byte {
	pad := bytes.Repeat([]byte("padding "), oversizeBytes/8)
	var b bytes.Buffer
	b.Grow(len(out) + len(pad) + 16)
	b.Write(out)
	if f == api.FormatJSON {
		b.Write(bytes.Repeat([]byte(" "), len(pad)))
		return b.Bytes()
	}
	b.WriteString("\n<!-- ")
	b.Write(pad)
	b.WriteString(" -->\n")
	return b.Bytes()
}

// malform breaks well-formedness the way broken servers do: an HTML entity
// XML does not define in the first text of the answer, a missing colon in
// JSON.
func malform(out []byte, f api.Format) []byte {
	if f == api.FormatJSON {
		if i := bytes.IndexByte(out, ':'); i >= 0 {
			return append(append(append([]byte{}, out[:i]...), ' '), out[i+1:]...)
		}
		return append([]byte("{"), out...)
	}
	at := 0
	if i := bytes.Index(out, []byte("Body>")); i >= 0 {
		if j := bytes.Index(out[i:], []byte("</")); j >= 0 {
			at = i + j
		}
	}
	return append(append(append([]byte{}, out[:at]...), []byte("&nbsp;")...), out[at:]...)
}

// otherHostName names this server differently (127.0.0.1 and localhost), so
// a redirect crosses hosts without leaving the machine.
func otherHostName(hostport string) string {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, ""
	}
	other := "localhost"
	if strings.EqualFold(host, "localhost") {
		other = "127.0.0.1"
	}
	if port == "" {
		return other
	}
	return net.JoinHostPort(other, port)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
