package api

import (
	"fmt"
	"log/slog"
	"time"
)

// JobID is a normalised job reference: a Concord job ID in lower case
// ("br0012345h00001x") or a customer reference look-up ("JRI-REF1234").
// Build one with ParseJobIDs or ParseJobID; the zero value is not valid.
type JobID string

func (id JobID) String() string { return string(id) }

// IsReference reports whether id is a JRI- look-up by the customer's ReferenceId.
func (id JobID) IsReference() bool { return len(id) > 4 && id[:4] == "JRI-" }

// Documented FaxJobStatusId values.
const (
	StatusSucceeded  = 1
	StatusFailed     = 2
	StatusProcessing = 3
	StatusInvalidJob = -5019
)

// State is the derived, display-level meaning of a job's status.
type State string

const (
	StateSucceeded  State = "succeeded"
	StateFailed     State = "failed"
	StateProcessing State = "processing"
	StateInvalid    State = "invalid"
	StateUnknown    State = "unknown"
	StateNoAnswer   State = "no_answer"
)

// StateOf derives a State from the raw status id and the item's error code:
// -5019 in either place means the job ID is invalid.
func StateOf(statusID, errorCode int) State {
	switch {
	case statusID == StatusInvalidJob || errorCode == StatusInvalidJob:
		return StateInvalid
	case statusID == StatusSucceeded:
		return StateSucceeded
	case statusID == StatusFailed:
		return StateFailed
	case statusID == StatusProcessing:
		return StateProcessing
	default:
		return StateUnknown
	}
}

// Final reports whether a job in this state needs no further polling.
func (s State) Final() bool {
	return s == StateSucceeded || s == StateFailed || s == StateInvalid
}

// WSError is Concord's error record, both call-level and per job. Code 0 means
// no error.
type WSError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// IsZero reports whether the record carries no error.
func (e WSError) IsZero() bool { return e.Code == 0 && e.Message == "" }

func (e WSError) String() string {
	if e.IsZero() {
		return "none"
	}
	return fmt.Sprintf("%d %s", e.Code, e.Message)
}

// Method is one of the status operations; they share a request shape.
type Method string

const (
	MethodGetFaxStatus            Method = "GetFaxStatus"
	MethodGetRealTimeFaxStatus    Method = "GetRealTimeFaxStatus"
	MethodGetRealTimeFaxStatusEx  Method = "GetRealTimeFaxStatusEx"
	MethodGetRealTimeFaxStatusEx2 Method = "GetRealTimeFaxStatusEx2"
)

// Format is the wire format of requests.
type Format string

const (
	FormatSOAP11 Format = "soap11"
	FormatSOAP12 Format = "soap12"
	FormatJSON   Format = "json"
)

// Details holds the richer methods' extra item fields. Which of them are
// meaningful depends on Method: RealTime has the pages, Ex adds delivery,
// duration and CSID, Ex2 adds the reference.
type Details struct {
	Method         Method `json:"-"`
	RecipientState int    `json:"recipient_state"`
	PagesSent      int    `json:"pages_sent"`
	PagesTotal     int    `json:"pages_total"`
	DeliveredAt    string `json:"delivered_at,omitempty"`
	DurationS      int    `json:"duration_s,omitempty"`
	RemoteCSID     string `json:"remote_csid,omitempty"`
	ReferenceID    string `json:"reference_id,omitempty"`
}

// HasDelivery reports whether the delivery fields (Ex and Ex2) were asked for.
func (d *Details) HasDelivery() bool {
	return d != nil && (d.Method == MethodGetRealTimeFaxStatusEx || d.Method == MethodGetRealTimeFaxStatusEx2)
}

// HasReference reports whether ReferenceID was asked for (Ex2).
func (d *Details) HasReference() bool {
	return d != nil && d.Method == MethodGetRealTimeFaxStatusEx2
}

// Call records one HTTP request (one attempt) made for a batch.
type Call struct {
	RequestID   string        // x-ch-request-id we sent
	ActivityID  string        // x-ch-activity-id the server answered (sanitised)
	ExecutionMS int           // x-ch-execution-time; -1 when absent or unreadable
	HTTPStatus  int           // 0 when no response arrived
	RoundTrip   time.Duration // request written to body read
	Attempt     int           // 1-based within its batch
	Jobs        int           // job IDs carried
	At          time.Time     // when the request started
	Err         string        // one sanitised line when this attempt failed
}

// CallInfo is what is known about the call that covered a job: the call-level
// answer and the last HTTP request of its batch.
type CallInfo struct {
	Return  bool
	WSError WSError
	Call    Call
}

// JobStatus is the answer for one asked ID. All strings have passed Sanitize.
type JobStatus struct {
	JobID       JobID    // as asked
	FaxJobID    string   // as answered; differs from JobID for JRI- look-ups
	StatusID    int      // raw FaxJobStatusId
	Description string   // StatusDescription
	Error       WSError  // the item's own error
	State       State    // derived; StateNoAnswer when the answer had no item for it
	Details     *Details // nil for GetFaxStatus
	Call        CallInfo // the call that covered this job
	Err         error    // non-nil when this job got no usable answer (its batch failed, or *ItemError): nothing above is fresh
	// Conflict is set when the answer held items for this job that
	// disagreed: one line naming the one taken (the more final) and the
	// others, such as "2 items in the answer disagreed: failed (shown), processing".
	Conflict string
}

// Final reports whether the job needs no more polling.
func (s JobStatus) Final() bool { return s.Err == nil && s.State.Final() }

// Fresh reports whether this status came from an answer of this poll.
func (s JobStatus) Fresh() bool { return s.Err == nil }

// BatchError names the IDs of one batch that got no usable answer and why.
type BatchError struct {
	IDs []JobID
	Err error
}

// Result is the merged answer of one logical status request.
type Result struct {
	Method   Method
	Jobs     []JobStatus  // one per asked ID, in the asked order
	Return   bool         // false if any answered batch said return=false
	WSError  WSError      // the first non-zero call-level WSError
	Calls    []Call       // every HTTP request, in the order they started
	Failures []BatchError // batches without a usable answer
}

// Auth selects how the client authenticates.
type AuthMode string

const (
	AuthOAuth2 AuthMode = "oauth2"
	AuthToken  AuthMode = "token"
	AuthPIN    AuthMode = "pin"
)

// Secret holds a credential. Its formatting and logging never reveal it.
type Secret struct{ value string }

// NewSecret wraps a credential.
func NewSecret(s string) Secret { return Secret{value: s} }

// Reveal returns the credential for the one place that must send it.
func (s Secret) Reveal() string { return s.value }

// IsEmpty reports whether no credential is set.
func (s Secret) IsEmpty() bool { return s.value == "" }

const redacted = "[REDACTED]"

func (s Secret) String() string               { return redacted }
func (s Secret) GoString() string             { return redacted }
func (s Secret) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(redacted)) }
func (s Secret) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
