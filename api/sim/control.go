package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

// handleFaults is the run-time control of the fault knobs, for curl against
// a running `faxwatch sim`: GET shows them, POST merges the JSON keys given,
// DELETE clears them all. Only loopback peers may use it.
func (s *Server) handleFaults(w http.ResponseWriter, r *http.Request) {
	if !loopbackPeer(r) {
		http.Error(w, "Forbidden: /sim/faults answers loopback clients only", http.StatusForbidden)
		return
	}
	switch r.Method {
	case http.MethodGet:
	case http.MethodDelete:
		s.SetFaults(Faults{})
	case http.MethodPost, http.MethodPut:
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil {
			http.Error(w, "Bad Request: the body could not be read", http.StatusBadRequest)
			return
		}
		s.faultMu.Lock()
		f := s.faults
		err = json.Unmarshal(body, &f)
		if err == nil {
			s.faults = f
		}
		s.faultMu.Unlock()
		if err != nil {
			http.Error(w, "Bad Request: "+err.Error()+` (example: {"error_rate":0.2,"latency":"300ms"})`, http.StatusBadRequest)
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	writeJSON(w, s.Faults())
}

// handleJobs lists the jobs (GET) or adds ?n= new ones (POST, default 1).
func (s *Server) handleJobs(w http.ResponseWriter, r *http.Request) {
	if !loopbackPeer(r) {
		http.Error(w, "Forbidden: /sim/jobs answers loopback clients only", http.StatusForbidden)
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, map[string]any{"jobs": s.JobIDs()})
	case http.MethodPost:
		n := 1
		if q := r.URL.Query().Get("n"); q != "" {
			v, err := strconv.Atoi(q)
			if err != nil || v < 1 || v > 1000 {
				http.Error(w, "Bad Request: n must be a number from 1 to 1000", http.StatusBadRequest)
				return
			}
			n = v
		}
		writeJSON(w, map[string]any{"jobs": s.AddJobs(n)})
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
}

// loopbackPeer reports whether the request came from this machine. A
// handler used without a network (tests) has no address and passes.
func loopbackPeer(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr == "" || r.RemoteAddr == "pipe"
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// strictJSON decodes one JSON value, refusing unknown keys and trailing data.
func strictJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("not a valid faults object: %w", err)
	}
	if d.More() {
		return fmt.Errorf("data after the JSON object")
	}
	return nil
}
