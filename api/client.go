package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Client asks Concord for job status. Safe for concurrent use. Its
// formatting never shows credentials.
type Client struct {
	opts     Options
	endpoint *url.URL
	http     *http.Client
	bearer   *bearer // nil in PIN mode
	pin      string  // PIN mode only
	scrub    func(string) string
}

// New checks opts and builds a Client.
func New(opts Options) (*Client, error) {
	o, u, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("api options: %w", err)
	}
	base := baseTransport(o)
	c := &Client{
		opts:     o,
		endpoint: u,
		// Redirects are refused: a SOAP endpoint has no reason to redirect,
		// and a followed redirect could carry the bearer token elsewhere.
		http:  &http.Client{Transport: base, CheckRedirect: refuseRedirect},
		scrub: newScrubber(o.Auth),
	}
	c.bearer = newBearer(o, base, c.scrub)
	if o.Auth.Mode == AuthPIN {
		c.pin = o.Auth.PIN.Reveal()
		o.Warn("the UserID + PIN login is deprecated by Concord; switch to OAuth 2.0 client credentials (auth mode oauth2)")
	}
	return c, nil
}

// newScrubber removes credential values from server text that might echo them.
func newScrubber(a Auth) func(string) string {
	var secrets []string
	for _, s := range []Secret{a.ClientSecret, a.Token, a.PIN} {
		if len(s.Reveal()) >= 4 {
			secrets = append(secrets, s.Reveal())
		}
	}
	return func(s string) string {
		for _, sec := range secrets {
			s = strings.ReplaceAll(s, sec, redacted)
		}
		return s
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
	return clean(resp.CheckValue, maxFieldText), nil
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
