package api

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for zero Options fields.
const (
	DefaultEndpoint      = "https://ws.concordfax.com/fax/v5"
	DefaultTimeout       = 20 * time.Second
	DefaultBatchSize     = 100
	DefaultConcurrency   = 4
	DefaultMaxBodyBytes  = 4 << 20
	DefaultMaxAttempts   = 3
	DefaultMaxRetryWait  = 30 * time.Second
	DefaultTokenLifetime = 30 * time.Minute
)

// Options configures a Client. Zero values take the documented defaults.
type Options struct {
	Endpoint     string        // https://ws.concordfax.com/fax/v5
	UserID       string        // sent in every mode
	Format       Format        // default FormatSOAP11
	Method       Method        // default MethodGetFaxStatus; used by Status
	Timeout      time.Duration // per HTTP request, default 20s
	BatchSize    int           // default 100
	Concurrency  int           // default 4
	MaxBodyBytes int64         // default 4 MiB
	MaxAttempts  int           // default 3
	MaxRetryWait time.Duration // longest Retry-After honoured, default 30s

	Auth Auth

	// Transport is the base RoundTripper (tests pass one with their TLS roots);
	// nil clones http.DefaultTransport with faxwatch's timeouts.
	Transport http.RoundTripper
	// Now and Sleep drive time in tests; nil means the real clock.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives debug records (never secrets); nil discards.
	Logger *slog.Logger
	// Warn receives one-line user-facing warnings (the PIN deprecation, once).
	Warn func(string)
	// OnAttempt, when set, is told as each HTTP request starts (Call.Attempt
	// says which try of its batch it is), for progress shown while a call
	// hangs or retries. Batches in flight call it from their own goroutines.
	OnAttempt func(Call)
}

// Auth holds the credentials for one AuthMode.
type Auth struct {
	Mode         AuthMode
	TokenURL     string
	ClientID     string
	ClientSecret Secret
	Scopes       []string
	Token        Secret // AuthToken
	PIN          Secret // AuthPIN
	// DefaultTokenLifetime applies when the token endpoint gives no expires_in
	// (default 30 minutes).
	DefaultTokenLifetime time.Duration
}

// withDefaults fills zero fields and checks the rest; errors say what to fix.
func (o Options) withDefaults() (Options, *url.URL, error) {
	if o.Endpoint == "" {
		o.Endpoint = DefaultEndpoint
	}
	if o.Format == "" {
		o.Format = FormatSOAP11
	}
	if o.Method == "" {
		o.Method = MethodGetFaxStatus
	}
	setDuration(&o.Timeout, DefaultTimeout)
	setInt(&o.BatchSize, DefaultBatchSize)
	setInt(&o.Concurrency, DefaultConcurrency)
	setInt(&o.MaxAttempts, DefaultMaxAttempts)
	setDuration(&o.MaxRetryWait, DefaultMaxRetryWait)
	setDuration(&o.Auth.DefaultTokenLifetime, DefaultTokenLifetime)
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Warn == nil {
		o.Warn = func(string) {}
	}
	u, err := checkURL("endpoint", o.Endpoint)
	if err != nil {
		return o, nil, err
	}
	return o, u, o.check()
}

// check applies the rules to options whose defaults are filled in.
func (o Options) check() error {
	checks := []struct {
		bad bool
		msg string
	}{
		{strings.TrimSpace(o.UserID) == "" || Sanitize(o.UserID) != o.UserID, "user_id is required (printable text, e.g. mbx1234567890)"},
		{!o.Format.Valid(), fmt.Sprintf("format %q is not one of soap11, soap12, json", Sanitize(string(o.Format)))},
		{!Operation(o.Method).IsStatusList(), fmt.Sprintf("method %q is not a status method (GetFaxStatus, GetRealTimeFaxStatus, GetRealTimeFaxStatusEx, GetRealTimeFaxStatusEx2)", Sanitize(string(o.Method)))},
		{o.MaxBodyBytes < 1<<10 || o.MaxBodyBytes > 64<<20, "max body size must be between 1 KiB and 64 MiB"},
		{o.MaxAttempts < 1 || o.MaxAttempts > 10, "max attempts must be between 1 and 10"},
		{o.MaxRetryWait < 0 || o.MaxRetryWait > 10*time.Minute, "max retry wait must be between 0 and 10m"},
		{o.Auth.DefaultTokenLifetime < 0, "default token lifetime must be positive"},
	}
	for _, c := range checks {
		if c.bad {
			return errors.New(c.msg)
		}
	}
	for _, c := range []struct {
		name string
		err  error
	}{{"timeout", CheckTimeout(o.Timeout)}, {"batch_size", CheckBatchSize(o.BatchSize)}, {"concurrency", CheckConcurrency(o.Concurrency)}} {
		if c.err != nil {
			return fmt.Errorf("%s: %w", c.name, c.err)
		}
	}
	if t, ok := o.Transport.(*http.Transport); ok && t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify {
		return errors.New("the HTTP transport must not skip TLS verification")
	}
	return o.Auth.check()
}

func (a Auth) check() error {
	switch a.Mode {
	case AuthOAuth2:
		if _, err := checkURL("token_url", a.TokenURL); err != nil {
			return err
		}
		if a.ClientID == "" || a.ClientSecret.IsEmpty() {
			return errors.New("oauth2 needs client_id and client_secret")
		}
	case AuthToken:
		if a.Token.IsEmpty() || !headerSafe(a.Token.Reveal()) {
			return errors.New("the bearer token is empty or has spaces or control characters")
		}
	case AuthPIN:
		if a.PIN.IsEmpty() {
			return errors.New("pin auth needs a PIN")
		}
	case "":
		return errors.New("auth mode is not set: choose oauth2, token or pin")
	default:
		return fmt.Errorf("auth mode %q is not one of oauth2, token, pin", Sanitize(string(a.Mode)))
	}
	return nil
}

func headerSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// checkURL applies CheckServiceURL and names the option in the error.
func checkURL(name, raw string) (*url.URL, error) {
	u, err := parseServiceURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return u, nil
}

func setInt(v *int, def int) {
	if *v == 0 {
		*v = def
	}
}

func setDuration(v *time.Duration, def time.Duration) {
	if *v == 0 {
		*v = def
	}
}

// baseTransport is a clone of http.DefaultTransport (keeps proxy settings)
// with bounded dial, handshake, header wait and header size.
func baseTransport(o Options) http.RoundTripper {
	if o.Transport != nil {
		return o.Transport
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = o.Timeout
	t.MaxResponseHeaderBytes = 64 << 10
	t.MaxIdleConnsPerHost = max(o.Concurrency, 4)
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return t
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
