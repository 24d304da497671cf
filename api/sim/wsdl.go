package sim

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"net/http"
	"strconv"
)

// faxWSDL is the vendor's public WSDL (2015), kept byte for byte.
//
//go:embed testdata/FaxWS.wsdl
var faxWSDL []byte

const vendorAddress = `location="https://ws.concordfax.com/fax/v5"`

// WSDL returns the WSDL with its service address pointing at baseURL + "/fax/v5".
func WSDL(baseURL string) []byte {
	var loc bytes.Buffer
	_ = xml.EscapeText(&loc, []byte(baseURL+"/fax/v5"))
	return bytes.Replace(faxWSDL, []byte(vendorAddress), []byte(`location="`+loc.String()+`"`), 1)
}

// handleWSDL serves GET /fax/v5/faxws.wsdl (and /fax/v5?wsdl).
func (s *Server) handleWSDL(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	body := WSDL(s.base(r))
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

// base is the URL the simulator is reached at: the listener's when Start
// made it, else the request's Host if it looks like host[:port].
func (s *Server) base(r *http.Request) string {
	if p := s.baseURL.Load(); p != nil {
		return *p
	}
	if plainHost(r.Host) {
		return "http://" + r.Host
	}
	return "http://127.0.0.1"
}

func plainHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	return true
}
