package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzParseRetryAfter: whatever a server sends as Retry-After, the parser
// does not panic, never returns a negative wait, and accepts only what starts
// with a digit or parses as an HTTP date; the client's MaxRetryWait cap then
// bounds the wait (TestRetryPolicy).
func FuzzParseRetryAfter(f *testing.F) {
	now := testNow
	for _, seed := range []string{"2", "0", "86400", "-5", "soon", " 7 ", "99999999999999999999999",
		now.Add(time.Hour).Format(http.TimeFormat), now.Add(-time.Hour).Format(http.TimeFormat),
		"Fri, 31 Dec 9999 23:59:59 GMT", "Monday, 02-Jan-06 15:04:05 MST", "Mon Jan  2 15:04:05 2006", "1e3", "0x10", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if !ok {
			if d != 0 {
				t.Fatalf("%q: rejected but d = %v", v, d)
			}
			return
		}
		if d < 0 || d > MaxHoldOff {
			t.Fatalf("%q: wait %v outside [0, %v]", v, d, MaxHoldOff)
		}
		if d2, ok2 := parseRetryAfter(v, now); d2 != d || ok2 != ok {
			t.Fatalf("%q: not deterministic", v)
		}
		if tv := strings.TrimSpace(v); !startsWithDigit(tv) {
			if _, err := http.ParseTime(tv); err != nil {
				t.Fatalf("%q accepted as %v but is neither seconds nor a date", v, d)
			}
		}
	})
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// TestBackoffEnvelope: the wait before retry n is full jitter in
// (0, min(10s, 500ms·2^(n-1))], as the README promises.
func TestBackoffEnvelope(t *testing.T) {
	for n := 1; n <= 20; n++ {
		ceil := 10 * time.Second
		if n < 6 {
			ceil = min(ceil, 500*time.Millisecond<<(n-1))
		}
		var longest time.Duration
		for range 2000 {
			d := jitter(n)
			if d <= 0 || d > ceil {
				t.Fatalf("retry %d waited %v, want (0, %v]", n, d, ceil)
			}
			longest = max(longest, d)
		}
		if longest < ceil/2 { // full jitter, not a fixed small wait
			t.Errorf("retry %d: longest of 2000 waits %v, ceiling %v", n, longest, ceil)
		}
	}
}

// TestRetryAfterCap: 30 s is waited for; 31 s is not (the call stops with
// "rate limited until …" at once).
func TestRetryAfterCap(t *testing.T) {
	for _, tc := range []struct {
		header   string
		requests int
		waits    []time.Duration
	}{{"30", 2, []time.Duration{30 * time.Second}}, {"31", 1, nil}} {
		srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, n int) bool {
			if n > 0 {
				return false
			}
			w.Header().Set("Retry-After", tc.header)
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		})
		c, sl := newTestClient(t, srv.URL, nil)
		_, err := c.GetFaxStatus(t.Context(), ids("br00000001"))
		if got := len(srv.seen()); got != tc.requests || !slicesEqual(sl.got(), tc.waits) {
			t.Errorf("Retry-After %s: %d requests, waits %v, err %v", tc.header, got, sl.got(), err)
		}
	}
}

func slicesEqual(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRateLimitMessageDate: the time alone today, the date on another day,
// the year in another year, all measured against the client's clock.
func TestRateLimitMessageDate(t *testing.T) {
	at := func(y int, mo time.Month, d, h, mi int) time.Time {
		return time.Date(y, mo, d, h, mi, 0, 0, time.Local)
	}
	tests := []struct {
		name       string
		now, until time.Time
		want       string
	}{
		{"same day", at(2026, 11, 27, 10, 0), at(2026, 11, 27, 11, 0), "rate limited until 11:00:00"},
		{"tomorrow", at(2026, 11, 27, 23, 30), at(2026, 11, 28, 0, 30), "rate limited until Nov 28 00:30:00"},
		{"next year", at(2026, 12, 31, 23, 30), at(2027, 1, 1, 0, 30), "rate limited until Jan 1 2027 00:30:00"},
		{"no clock", time.Time{}, at(2026, 11, 27, 11, 0), "rate limited until 11:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &RateLimitError{Until: tt.until, HTTPStatus: 429, now: tt.now}
			if got := err.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRetryAfterHoldOffCapped: whatever a server asks, the hold-off is at
// most MaxHoldOff.
func TestRetryAfterHoldOffCapped(t *testing.T) {
	now := testNow
	for _, v := range []string{"3600", "3601", "86400", "99999999999999999999", "18446744073709551615",
		"Fri, 06 Nov 2099 19:49:34 GMT", now.Add(2 * time.Hour).Format(http.TimeFormat)} {
		if d, ok := parseRetryAfter(v, now); !ok || d != MaxHoldOff {
			t.Errorf("Retry-After %q: %v %v, want %v", v, d, ok, MaxHoldOff)
		}
	}
	if d, ok := parseRetryAfter("120", now); !ok || d != 2*time.Minute {
		t.Errorf("Retry-After 120: %v %v", d, ok)
	}
}

// A Retry-After on a status that is not retried is no rate limit.
func TestRetryAfterOnlyForRetryableStatus(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusNotFound} {
		srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(status)
			return true
		})
		c, sl := newTestClient(t, srv.URL, nil)
		_, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
		var he *HTTPError
		if !errors.As(err, &he) || he.Status != status || len(srv.seen()) != 1 || len(sl.got()) != 0 {
			t.Fatalf("%d: got %T %v", status, err, err)
		}
	}
}
