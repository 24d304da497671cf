package serve

import (
	"net"
	"sync"
	"time"
)

// connLimiter allows each address a burst of connections, then one per
// refill period: a script in a loop or a password scanner cannot tie the
// server up. Old addresses are forgotten so the table stays small.
type connLimiter struct {
	mu     sync.Mutex
	burst  float64
	refill time.Duration
	now    func() time.Time
	seen   map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

const maxTrackedAddrs = 10_000

func newConnLimiter(burst int, refill time.Duration, now func() time.Time) *connLimiter {
	return &connLimiter{burst: float64(burst), refill: refill, now: now, seen: map[string]*bucket{}}
}

// Allow reports whether addr may open one more connection now.
func (l *connLimiter) Allow(addr net.Addr) bool {
	host := addr.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.seen[host]
	if !ok {
		if len(l.seen) >= maxTrackedAddrs {
			l.forgetFull(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.seen[host] = b
	}
	b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.refill))
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// forgetFull drops addresses whose bucket is full again.
func (l *connLimiter) forgetFull(now time.Time) {
	for k, b := range l.seen {
		if b.tokens+float64(now.Sub(b.at))/float64(l.refill) >= l.burst {
			delete(l.seen, k)
		}
	}
}
