package alert

import (
	"fmt"
	"strings"
	"time"

	"faxwatch/api"
)

// Kind is what can alert: a job reaching a state, or polling failing for
// too long.
type Kind string

// The kinds, in the order a summary names them.
const (
	Failed    Kind = "failed"
	Invalid   Kind = "invalid"
	Unknown   Kind = "unknown"
	Succeeded Kind = "succeeded"
	Stale     Kind = "stale" // polling has failed for longer than StaleAfter
)

// Kinds lists every kind, in summary order.
var Kinds = []Kind{Failed, Invalid, Unknown, Succeeded, Stale}

// Defaults of the [notify] section.
const (
	DefaultStaleAfter = 5 * time.Minute
	// MinStaleAfter keeps one slow poll from counting as an outage.
	MinStaleAfter = 30 * time.Second
	MaxStaleAfter = 24 * time.Hour
)

// DefaultOn is which kinds alert when the config says nothing.
func DefaultOn() []Kind { return []Kind{Failed} }

// ParseKind reads one entry of notify.on.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return "", fmt.Errorf("%q is not something that alerts; use any of %s", api.Sanitize(s), strings.Join(names, ", "))
}

// kindOf is the kind a job reaching state alerts as.
func kindOf(state api.State) (Kind, bool) {
	switch state {
	case api.StateFailed:
		return Failed, true
	case api.StateInvalid:
		return Invalid, true
	case api.StateUnknown:
		return Unknown, true
	case api.StateSucceeded:
		return Succeeded, true
	}
	return "", false
}

// Config is the [notify] section, resolved: what alerts and where it goes.
type Config struct {
	On         []Kind
	StaleAfter time.Duration // 0: DefaultStaleAfter
	Bell       bool
	Desktop    Desktop
	Command    *Command // nil: none
}
