package api

// TEMPORARY: signatures other packages build against while the api helper
// implements them. The api helper moves each into its real file and deletes
// this file; nothing here may survive to a commit on main.

import (
	"context"
	"log/slog"
	"net/http"
	"time"
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

// Client asks Concord for job status. Safe for concurrent use.
type Client struct{ opts Options }

// New checks opts and builds a Client.
func New(opts Options) (*Client, error) { panic("api: not implemented yet") }

// Status runs the configured Method.
func (c *Client) Status(ctx context.Context, ids []JobID) (*Result, error) {
	panic("api: not implemented yet")
}
func (c *Client) GetFaxStatus(ctx context.Context, ids []JobID) (*Result, error) {
	panic("api: not implemented yet")
}
func (c *Client) GetRealTimeFaxStatus(ctx context.Context, ids []JobID) (*Result, error) {
	panic("api: not implemented yet")
}
func (c *Client) GetRealTimeFaxStatusEx(ctx context.Context, ids []JobID) (*Result, error) {
	panic("api: not implemented yet")
}
func (c *Client) GetRealTimeFaxStatusEx2(ctx context.Context, ids []JobID) (*Result, error) {
	panic("api: not implemented yet")
}

// SimpleGetFaxStatus asks for one job with the single-ID method.
func (c *Client) SimpleGetFaxStatus(ctx context.Context, id JobID) (JobStatus, error) {
	panic("api: not implemented yet")
}

// CheckService returns the service's answer string (sanitised).
func (c *Client) CheckService(ctx context.Context) (string, error) {
	panic("api: not implemented yet")
}

// Host returns the endpoint host, for display.
func (c *Client) Host() string { panic("api: not implemented yet") }

// ParseJobIDs finds every job ID in free text; see the api issue.
func ParseJobIDs(text string) (ids []JobID, rejected []string) { panic("api: not implemented yet") }

// ParseJobID parses exactly one ID.
func ParseJobID(s string) (JobID, bool) { panic("api: not implemented yet") }

// Sanitize makes network text safe to display on one line.
func Sanitize(s string) string { panic("api: not implemented yet") }

// ---- wire codec, shared with api/sim ----

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

// Request is a decoded request body of any operation.
type Request struct {
	Op     Operation
	UserID string
	PIN    string
	JobIDs []string // status methods; SimpleGetFaxStatus has one
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
}

// Response is a decoded or to-be-encoded response of any operation.
type Response struct {
	Op          Operation
	Return      bool // status methods
	Items       []WireItem
	WSError     WSError
	SimpleValue int64  // SimpleFaxStatusResponse return
	CheckValue  string // CheckServiceResponse return
}

// Fault is a SOAP Fault (or the JSON equivalent) to encode.
type Fault struct {
	Code   string // "Client"/"Server" (1.1) or "Sender"/"Receiver" (1.2)
	Reason string
}

// ContentType is the request media type of a format.
func (f Format) ContentType() string { panic("api: not implemented yet") }

// FormatFromContentType maps a request Content-Type to a format (missing: SOAP 1.2).
func FormatFromContentType(ct string) (Format, bool) { panic("api: not implemented yet") }

func EncodeRequest(f Format, req Request) ([]byte, error)    { panic("api: not implemented yet") }
func DecodeRequest(f Format, body []byte) (Request, error)   { panic("api: not implemented yet") }
func EncodeResponse(f Format, resp Response) ([]byte, error) { panic("api: not implemented yet") }
func EncodeFault(f Format, fault Fault) []byte               { panic("api: not implemented yet") }

// DecodeResponse parses a response body of op by namespace, whichever SOAP
// version or JSON shape it is; contentType guides but does not bind.
func DecodeResponse(op Operation, contentType string, body []byte) (Response, error) {
	panic("api: not implemented yet")
}
