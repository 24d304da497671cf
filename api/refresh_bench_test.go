//go:build unix

package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"
)

// BenchmarkRefresh10k is one refresh of 10,000 jobs end to end through the
// real client over loopback HTTP (encode, round trip, decode, match,
// sanitise). The server answers from canned bodies so that the CPU figure is
// the client's work plus net/http's, not an encoder's.
func BenchmarkRefresh10k(b *testing.B) {
	const n = 10000
	all := make([]JobID, n)
	for i := range all {
		all[i] = JobID(fmt.Sprintf("br%08dh%05dx", i, i))
	}
	for _, batch := range []int{100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			benchRefresh(b, all, batch)
		})
	}
}

func benchRefresh(b *testing.B, all []JobID, batch int) {
	canned := map[string][]byte{}
	for start := 0; start < len(all); start += batch {
		resp := Response{Op: OpGetFaxStatus, Return: true}
		for i, id := range all[start:min(start+batch, len(all))] {
			resp.Items = append(resp.Items, WireItem{FaxJobID: string(id), StatusID: 1 + i%3, Description: "Fax sent successfully"})
		}
		body, _ := EncodeResponse(FormatSOAP11, resp)
		canned[string(all[start])] = body
	}
	open := []byte("<urn:JobId>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(r.Body)
		req := buf.Bytes()
		i := bytes.Index(req, open) + len(open)
		j := bytes.IndexByte(req[i:], '<')
		w.Header().Set("Content-Type", FormatSOAP11.ContentType())
		_, _ = w.Write(canned[string(req[i:i+j])])
	}))
	defer srv.Close()
	c, err := New(Options{Endpoint: srv.URL, UserID: "mbx1234567890", Auth: Auth{Mode: AuthToken, Token: NewSecret("bench-token")},
		BatchSize: batch, Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.GetFaxStatus(ctx, all); err != nil { // warm the connections
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		res, err := c.GetFaxStatus(ctx, all)
		if err != nil || len(res.Jobs) != len(all) || res.Jobs[len(all)-1].State == StateNoAnswer {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// processCPU is the user+system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
