package api

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// Client asks Concord for job status. Safe for concurrent use. Its
// formatting never shows credentials.
type Client struct {
	opts     Options
	endpoint *url.URL
	http     *http.Client
	bearer   *bearer             // nil in PIN mode
	pin      string              // PIN mode only
	scrub    func(string) string // scrubber.scrub
}

// New checks opts and builds a Client.
func New(opts Options) (*Client, error) {
	o, u, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("api options: %w", err)
	}
	base := baseTransport(o)
	sc := newScrubber(o.Auth)
	c := &Client{
		opts:     o,
		endpoint: u,
		// Redirects are refused: a SOAP endpoint has no reason to redirect,
		// and a followed redirect could carry the bearer token elsewhere.
		http:  &http.Client{Transport: base, CheckRedirect: refuseRedirect},
		scrub: sc.scrub,
	}
	c.bearer = newBearer(o, base, sc)
	if o.Auth.Mode == AuthPIN {
		c.pin = o.Auth.PIN.Reveal()
		o.Warn("the UserID + PIN login is deprecated by Concord; switch to OAuth 2.0 client credentials (auth mode oauth2)")
	}
	return c, nil
}

// scrubber removes credential values from server text that might echo
// them: the configured secrets and the OAuth access tokens issued so far.
// Text clipped with "…" right after the start of a secret loses that start.
type scrubber struct {
	mu      sync.Mutex               // serialises remember
	secrets atomic.Pointer[[]string] // configured secrets, then issued tokens (a few, newest last)
	static  int
}

// minScrubLen keeps very short PINs from redacting ordinary digits.
const minScrubLen = 4

func newScrubber(a Auth) *scrubber {
	var list []string
	for _, s := range []Secret{a.ClientSecret, a.Token, a.PIN} {
		if len(s.Reveal()) >= minScrubLen {
			list = append(list, s.Reveal())
		}
	}
	if a.Mode == AuthOAuth2 && len(a.ClientSecret.Reveal()) >= minScrubLen {
		// The token request's HTTP Basic credentials, as oauth2 encodes them:
		// an endpoint that echoes its Authorization header must not show them.
		basic := url.QueryEscape(a.ClientID) + ":" + url.QueryEscape(a.ClientSecret.Reveal())
		list = append(list, base64.StdEncoding.EncodeToString([]byte(basic)))
	}
	sc := &scrubber{static: len(list)}
	sc.secrets.Store(&list)
	return sc
}

// remember adds an issued access token, dropping the oldest beyond four.
func (sc *scrubber) remember(tok string) {
	if len(tok) < minScrubLen {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	old := *sc.secrets.Load()
	issued := old[sc.static:]
	if len(issued) == 4 {
		issued = issued[1:]
	}
	list := append(append(append(make([]string, 0, sc.static+len(issued)+1), old[:sc.static]...), issued...), tok)
	sc.secrets.Store(&list)
}

func (sc *scrubber) scrub(s string) string {
	secrets := *sc.secrets.Load()
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	const cut = "…"
	if !strings.Contains(s, cut) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, cut)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		head := s[:i]
		for _, sec := range secrets {
			for n := min(len(sec)-1, len(head)); n > 0; n-- {
				if strings.HasSuffix(head, sec[:n]) {
					head = head[:len(head)-n]
					break
				}
			}
		}
		b.WriteString(head)
		b.WriteString(cut)
		s = s[i+len(cut):]
	}
}

// Format, String and GoString show the configuration without secrets.
func (c Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }
func (c Client) String() string {
	return fmt.Sprintf("api.Client{endpoint: %s, format: %s, auth: %s}", c.Host(), c.opts.Format, c.opts.Auth.Mode)
}
func (c Client) GoString() string { return c.String() }

// Host returns the endpoint host, for display.
func (c *Client) Host() string {
	if c.endpoint == nil {
		return ""
	}
	return Sanitize(c.endpoint.Host)
}

// Status runs the configured Method.
func (c *Client) Status(ctx context.Context, ids []JobID) (*Result, error) {
	return c.status(ctx, c.opts.Method, ids)
}

// GetFaxStatus asks for the status of ids, batched; see Result.
func (c *Client) GetFaxStatus(ctx context.Context, ids []JobID) (*Result, error) {
	return c.status(ctx, MethodGetFaxStatus, ids)
}

// GetRealTimeFaxStatus adds recipient state and page counts to each job.
func (c *Client) GetRealTimeFaxStatus(ctx context.Context, ids []JobID) (*Result, error) {
	return c.status(ctx, MethodGetRealTimeFaxStatus, ids)
}

// GetRealTimeFaxStatusEx adds delivery time, duration and remote CSID.
func (c *Client) GetRealTimeFaxStatusEx(ctx context.Context, ids []JobID) (*Result, error) {
	return c.status(ctx, MethodGetRealTimeFaxStatusEx, ids)
}

// GetRealTimeFaxStatusEx2 adds the customer's ReferenceId.
func (c *Client) GetRealTimeFaxStatusEx2(ctx context.Context, ids []JobID) (*Result, error) {
	return c.status(ctx, MethodGetRealTimeFaxStatusEx2, ids)
}

// SimpleGetFaxStatus asks for one job with the single-ID method. On failure
// the returned JobStatus carries Err and the call record.
func (c *Client) SimpleGetFaxStatus(ctx context.Context, id JobID) (JobStatus, error) {
	js := JobStatus{JobID: id}
	if id == "" {
		js.Err = errors.New("no job ID to ask for")
		return js, js.Err
	}
	rec := &callRecorder{}
	resp, call, err := c.call(ctx, OpSimpleGetFaxStatus, []string{string(id)}, rec)
	js.Call = CallInfo{Return: err == nil, Call: call}
	if err != nil {
		js.Err = err
		return js, err
	}
	v := resp.SimpleValue
	if v < math.MinInt32 || v > math.MaxInt32 {
		v = math.MinInt32 // out of the documented range: shown as unknown
	}
	js.FaxJobID = string(id)
	js.StatusID = int(v)
	js.State = StateOf(js.StatusID, 0)
	return js, nil
}

// CheckService returns the service's answer string (sanitised).
func (c *Client) CheckService(ctx context.Context) (string, error) {
	resp, _, err := c.call(ctx, OpCheckService, nil, &callRecorder{})
	if err != nil {
		return "", err
	}
	return clean(c.scrub(resp.CheckValue), maxFieldText), nil
}

// callRecorder keeps every attempt's Call in start order across batches.
type callRecorder struct {
	mu    sync.Mutex
	calls []Call
}

func (r *callRecorder) start(c Call) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
	return len(r.calls) - 1
}

func (r *callRecorder) finish(i int, c Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[i] = c
}

func (r *callRecorder) all() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}
