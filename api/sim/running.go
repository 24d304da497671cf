package sim

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"
)

// Running is a Server listening on a loopback address.
type Running struct {
	URL string // http://127.0.0.1:PORT

	srv  *http.Server
	done chan error
}

// AddressError is a listen address Start refuses outright (not host:port, or
// not loopback), as opposed to one that is merely busy.
type AddressError struct{ Addr, Reason string }

func (e *AddressError) Error() string { return fmt.Sprintf("listen address %q %s", e.Addr, e.Reason) }

// Start listens on addr, which must be a loopback address ("127.0.0.1:0"
// picks a free port), and serves until Close.
func (s *Server) Start(addr string) (*Running, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &AddressError{addr, "is not host:port, such as 127.0.0.1:8099"}
	}
	if !loopbackHost(host) {
		return nil, &AddressError{addr, "is not loopback: the simulator serves 127.0.0.1, ::1 or localhost only"}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	base := "http://" + ln.Addr().String()
	s.baseURL.Store(&base)
	r := &Running{
		URL: base,
		// net/http's own log (for example the aborted writes the Truncate
		// and Oversize faults cause) must not reach a dashboard's terminal.
		srv:  &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)},
		done: make(chan error, 1),
	}
	go func() { r.done <- r.srv.Serve(ln) }()
	return r, nil
}

// Endpoint is the SOAP/JSON endpoint URL.
func (r *Running) Endpoint() string { return r.URL + "/fax/v5" }

// TokenURL is the OAuth 2.0 token endpoint URL.
func (r *Running) TokenURL() string { return r.URL + "/oauth2/token" }

// Close stops listening and drops every connection, hung ones included.
func (r *Running) Close() error {
	err := r.srv.Close()
	if serveErr := <-r.done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}

func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WriteBanner writes the start-up lines the README's "The simulator" section specifies, in order, one
// "key: value" a line, so scripts can read them.
func (s *Server) WriteBanner(w io.Writer, baseURL string) error {
	baseURL = strings.TrimRight(baseURL, "/")
	ids := s.JobIDs()
	jobs := make([]string, len(ids))
	for i, id := range ids {
		jobs[i] = string(id)
	}
	c := s.creds
	_, err := fmt.Fprintf(w, "endpoint: %s/fax/v5\ntoken_url: %s/oauth2/token\nuser_id: %s\nclient_id: %s\nclient_secret: %s\npin: %s\njobs: %s\n",
		baseURL, baseURL, c.UserID, c.ClientID, c.ClientSecret, c.PIN, strings.Join(jobs, " "))
	return err
}
