package sim

import (
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"time"

	"faxwatch/api"
)

// Faults are the failures the simulator injects; all zero is a healthy
// server. Change them at run time with Server.SetFaults or POST /sim/faults.
type Faults struct {
	Latency, Jitter time.Duration // added before every /fax/v5 answer: Latency + rand[0, Jitter]
	ErrorRate       float64       // fraction answered 500 or 503
	RateLimitRate   float64       // fraction answered 429 with Retry-After: RetryAfter
	RetryAfter      time.Duration // rounded up to whole seconds; zero sends 1
	Hang            bool          // never answer until the request context ends

	Truncate     bool // a Content-Length promise broken halfway: the client sees an unexpected EOF
	Malformed    bool // a body that is not well-formed XML (or JSON)
	HTML         bool // 200 with a proxy's text/html page instead of SOAP
	SOAPFault    bool // a Receiver/Server SOAP Fault of the request's version
	ReturnFalse  bool // return=false with a call-level WSError
	Oversize     bool // an answer larger than 4 MiB (the client's default cap)
	OmitItems    bool // every other requested job is missing from the answer
	ReorderItems bool // items in reverse order
	Hostile      bool // status texts carrying terminal escapes, bidi and C1 controls
	RevokeTokens bool // every bearer token is refused (401) until cleared

	// ControlChars puts C0 controls into status texts and writes them in SOAP
	// answers as other stacks do: raw (node-soap) or as references (gSOAP).
	ControlChars api.ControlChars

	Redirect         bool // 307 to the same server under another host name (clients must not follow)
	EmptyBody        bool // 200 with no body at all
	WrongContentType bool // a good answer labelled text/plain
}

// faultsJSON is the wire form of Faults for /sim/faults: snake_case keys,
// durations as Go duration strings ("50ms").
type faultsJSON struct {
	Latency       *string  `json:"latency,omitempty"`
	Jitter        *string  `json:"jitter,omitempty"`
	ErrorRate     *float64 `json:"error_rate,omitempty"`
	RateLimitRate *float64 `json:"rate_limit_rate,omitempty"`
	RetryAfter    *string  `json:"retry_after,omitempty"`
	Hang          *bool    `json:"hang,omitempty"`
	Truncate      *bool    `json:"truncate,omitempty"`
	Malformed     *bool    `json:"malformed,omitempty"`
	HTML          *bool    `json:"html,omitempty"`
	SOAPFault     *bool    `json:"soap_fault,omitempty"`
	ReturnFalse   *bool    `json:"return_false,omitempty"`
	Oversize      *bool    `json:"oversize,omitempty"`
	OmitItems     *bool    `json:"omit_items,omitempty"`
	ReorderItems  *bool    `json:"reorder_items,omitempty"`
	Hostile       *bool    `json:"hostile,omitempty"`
	RevokeTokens  *bool    `json:"revoke_tokens,omitempty"`
	ControlChars  *string  `json:"control_chars,omitempty"`

	Redirect         *bool `json:"redirect,omitempty"`
	EmptyBody        *bool `json:"empty_body,omitempty"`
	WrongContentType *bool `json:"wrong_content_type,omitempty"`
}

// MarshalJSON writes every knob, so GET /sim/faults shows the whole state.
func (f Faults) MarshalJSON() ([]byte, error) {
	d := func(v time.Duration) *string { s := v.String(); return &s }
	return json.Marshal(faultsJSON{
		Latency: d(f.Latency), Jitter: d(f.Jitter), ErrorRate: &f.ErrorRate, RateLimitRate: &f.RateLimitRate,
		RetryAfter: d(f.RetryAfter), Hang: &f.Hang, Truncate: &f.Truncate, Malformed: &f.Malformed, HTML: &f.HTML,
		SOAPFault: &f.SOAPFault, ReturnFalse: &f.ReturnFalse, Oversize: &f.Oversize, OmitItems: &f.OmitItems,
		ReorderItems: &f.ReorderItems, Hostile: &f.Hostile, RevokeTokens: &f.RevokeTokens, ControlChars: (*string)(&f.ControlChars),
		Redirect: &f.Redirect, EmptyBody: &f.EmptyBody, WrongContentType: &f.WrongContentType,
	})
}

// UnmarshalJSON sets only the keys present, so a POST can change one knob.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var j faultsJSON
	if err := strictJSON(b, &j); err != nil {
		return err
	}
	durs := []struct {
		s   *string
		dst *time.Duration
		key string
	}{{j.Latency, &f.Latency, "latency"}, {j.Jitter, &f.Jitter, "jitter"}, {j.RetryAfter, &f.RetryAfter, "retry_after"}}
	for _, d := range durs {
		if d.s == nil {
			continue
		}
		v, err := time.ParseDuration(*d.s)
		if err != nil || v < 0 {
			return fmt.Errorf("%s: want a duration such as \"50ms\"", d.key)
		}
		*d.dst = v
	}
	for _, r := range []struct {
		v   *float64
		dst *float64
		key string
	}{{j.ErrorRate, &f.ErrorRate, "error_rate"}, {j.RateLimitRate, &f.RateLimitRate, "rate_limit_rate"}} {
		if r.v == nil {
			continue
		}
		if *r.v < 0 || *r.v > 1 {
			return fmt.Errorf("%s: want a fraction between 0 and 1", r.key)
		}
		*r.dst = *r.v
	}
	if j.ControlChars != nil {
		if err := (*controlCharsFlag)(&f.ControlChars).Set(*j.ControlChars); err != nil {
			return fmt.Errorf("control_chars: %v", err)
		}
	}
	for _, b := range []struct {
		v   *bool
		dst *bool
	}{{j.Hang, &f.Hang}, {j.Truncate, &f.Truncate}, {j.Malformed, &f.Malformed}, {j.HTML, &f.HTML},
		{j.SOAPFault, &f.SOAPFault}, {j.ReturnFalse, &f.ReturnFalse}, {j.Oversize, &f.Oversize},
		{j.OmitItems, &f.OmitItems}, {j.ReorderItems, &f.ReorderItems}, {j.Hostile, &f.Hostile},
		{j.RevokeTokens, &f.RevokeTokens}, {j.Redirect, &f.Redirect}, {j.EmptyBody, &f.EmptyBody},
		{j.WrongContentType, &f.WrongContentType}} {
		if b.v != nil {
			*b.dst = *b.v
		}
	}
	return nil
}

// RegisterFlags adds --jobs, --seed, --token-lifetime and one flag per fault
// knob to fs, writing into o. Values in o are the flags' defaults.
func (o *Options) RegisterFlags(fs *flag.FlagSet) {
	if o.Jobs == 0 {
		o.Jobs = defaultJobs
	}
	if o.TokenLifetime == 0 {
		o.TokenLifetime = defaultTokenLifetime
	}
	fs.Var((*jobsFlag)(&o.Jobs), "jobs", "demo jobs to create at start (0 for none)")
	fs.Int64Var(&o.Seed, "seed", o.Seed, "seed for the demo jobs and credentials (same seed, same jobs)")
	fs.DurationVar(&o.TokenLifetime, "token-lifetime", o.TokenLifetime, "lifetime of issued OAuth tokens")
	f := &o.Faults
	fs.DurationVar(&f.Latency, "latency", f.Latency, "fault: added latency per call")
	fs.DurationVar(&f.Jitter, "jitter", f.Jitter, "fault: random extra latency, up to this much")
	fs.Var((*fractionFlag)(&f.ErrorRate), "error-rate", "fault: fraction of calls answered 500 or 503 (0..1)")
	fs.Var((*fractionFlag)(&f.RateLimitRate), "rate-limit-rate", "fault: fraction of calls answered 429 (0..1)")
	fs.DurationVar(&f.RetryAfter, "retry-after", f.RetryAfter, "fault: Retry-After sent with 429")
	fs.BoolVar(&f.Hang, "hang", f.Hang, "fault: never answer")
	fs.BoolVar(&f.Truncate, "truncate", f.Truncate, "fault: cut bodies short")
	fs.BoolVar(&f.Malformed, "malformed", f.Malformed, "fault: bodies that are not well-formed")
	fs.BoolVar(&f.HTML, "html", f.HTML, "fault: answer with an HTML error page")
	fs.BoolVar(&f.SOAPFault, "soap-fault", f.SOAPFault, "fault: answer with a SOAP Fault")
	fs.BoolVar(&f.ReturnFalse, "return-false", f.ReturnFalse, "fault: answer return=false with a WSError")
	fs.BoolVar(&f.Oversize, "oversize", f.Oversize, "fault: answers larger than 4 MiB")
	fs.BoolVar(&f.OmitItems, "omit-items", f.OmitItems, "fault: leave every other job out of answers")
	fs.BoolVar(&f.ReorderItems, "reorder-items", f.ReorderItems, "fault: answer items in reverse order")
	fs.BoolVar(&f.Hostile, "hostile", f.Hostile, "fault: status texts with terminal escape sequences")
	fs.BoolVar(&f.RevokeTokens, "revoke-tokens", f.RevokeTokens, "fault: refuse every bearer token")
	fs.Var((*controlCharsFlag)(&f.ControlChars), "control-chars", "fault: control characters in status texts, written in SOAP `raw|ref`")
	fs.BoolVar(&f.Redirect, "redirect", f.Redirect, "fault: redirect calls to another host name")
	fs.BoolVar(&f.EmptyBody, "empty-body", f.EmptyBody, "fault: answer 200 with an empty body")
	fs.BoolVar(&f.WrongContentType, "wrong-content-type", f.WrongContentType, "fault: label answers text/plain")
}

// jobsFlag maps the user's "--jobs 0" (none) to Options' negative "none".
type jobsFlag int

func (j *jobsFlag) String() string {
	if j == nil || *j == 0 {
		return strconv.Itoa(defaultJobs)
	}
	if *j < 0 {
		return "0"
	}
	return strconv.Itoa(int(*j))
}

func (j *jobsFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxInitialJobs {
		return fmt.Errorf("want a number of jobs from 0 to %d", maxInitialJobs)
	}
	if n == 0 {
		n = -1
	}
	*j = jobsFlag(n)
	return nil
}

// controlCharsFlag takes the two forms other SOAP stacks write; "" (JSON
// only) turns the knob off.
type controlCharsFlag api.ControlChars

func (c *controlCharsFlag) String() string {
	if c == nil {
		return ""
	}
	return string(*c)
}

func (c *controlCharsFlag) Set(s string) error {
	switch v := api.ControlChars(s); v {
	case api.ControlsRaw, api.ControlsRef, api.ControlsReplaced:
		*c = controlCharsFlag(v)
		return nil
	}
	return fmt.Errorf("want raw (the bytes, as node-soap writes them) or ref (&#x1B;, as gSOAP does)")
}

type fractionFlag float64

func (f *fractionFlag) String() string {
	if f == nil {
		return "0"
	}
	return strconv.FormatFloat(float64(*f), 'g', -1, 64)
}

func (f *fractionFlag) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1 {
		return fmt.Errorf("want a fraction between 0 and 1, such as 0.1")
	}
	*f = fractionFlag(v)
	return nil
}
