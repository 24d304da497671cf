package api

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// The ranges Options accepts. They are exported so a config file is checked
// against the same rules, with its own file and line added to the message.
const (
	MaxTimeout     = 10 * time.Minute
	MaxBatchSize   = 1000
	MaxConcurrency = 16
)

// CheckTimeout accepts a per-request timeout above zero and at most MaxTimeout.
func CheckTimeout(d time.Duration) error {
	if d <= 0 || d > MaxTimeout {
		return fmt.Errorf("%s is out of range; use a duration above 0s and at most %s, such as \"20s\"", d, shortDuration(MaxTimeout))
	}
	return nil
}

// CheckBatchSize accepts 1 to MaxBatchSize job IDs per call.
func CheckBatchSize(n int) error {
	if n < 1 || n > MaxBatchSize {
		return fmt.Errorf("%d is out of range; use 1 to %d", n, MaxBatchSize)
	}
	return nil
}

// CheckConcurrency accepts 1 to MaxConcurrency calls in flight.
func CheckConcurrency(n int) error {
	if n < 1 || n > MaxConcurrency {
		return fmt.Errorf("%d is out of range; use 1 to %d", n, MaxConcurrency)
	}
	return nil
}

// CheckServiceURL accepts https anywhere and http only to a loopback host
// (the simulator): credentials must never cross a network in clear text.
func CheckServiceURL(raw string) error {
	_, err := parseServiceURL(raw)
	return err
}

func parseServiceURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL; write it like https://host/path", Sanitize(raw))
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q has no host; write it like https://host/path", Sanitize(raw))
	}
	if u.User != nil {
		return nil, fmt.Errorf("credentials in the URL are not allowed; use the [auth] keys")
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if isLoopback(u.Hostname()) {
			return u, nil
		}
		return nil, fmt.Errorf("http:// is refused for %s (credentials would travel in clear text); use https://, http:// is only for loopback addresses", Sanitize(u.Hostname()))
	default:
		return nil, fmt.Errorf("scheme %q is not supported; use https://", Sanitize(u.Scheme))
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// shortDuration writes whole minutes as "10m" rather than time's "10m0s".
func shortDuration(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
