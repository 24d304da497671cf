package serve

import (
	"net"
	"testing"
	"time"

	"faxwatch/api/sim"
)

// Each address gets a burst, then one connection per refill period; other
// addresses are not affected.
func TestConnLimiter(t *testing.T) {
	now := sim.Epoch(time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC))
	l := newConnLimiter(3, 6*time.Second, func() time.Time { return now })
	a := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 1000}
	a2 := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 2000} // same host, other port
	b := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 2), Port: 1000}
	steps := []struct {
		advance time.Duration
		addr    net.Addr
		want    bool
	}{
		{0, a, true}, {0, a2, true}, {0, a, true},
		{0, a, false},               // burst spent
		{0, b, true},                // another address
		{5 * time.Second, a, false}, // not yet refilled
		{time.Second, a, true},      // one more after 6 s
		{0, a, false},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if got := l.Allow(s.addr); got != s.want {
			t.Fatalf("step %d (%s): Allow = %v; want %v", i, s.addr, got, s.want)
		}
	}
}
