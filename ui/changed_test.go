package ui

import (
	"strings"
	"testing"
	"time"

	"faxwatch/api"
)

// The last column says when the service delivered the job where the method
// tells (delivered_at), and is called SEEN where it only knows when
// faxwatch noticed.
func TestChangedColumnUsesTheServiceTime(t *testing.T) {
	cases := []struct {
		method            api.Method
		deliveredAt       string
		wantTitle, wantAt string
	}{
		{api.MethodGetFaxStatus, "", "SEEN", "just now"},
		{api.MethodGetRealTimeFaxStatusEx, t0.Add(-10 * time.Minute).UTC().Format(time.RFC3339), "CHANGED", "10m ago"},
		{api.MethodGetRealTimeFaxStatusEx2, t0.Add(-3 * time.Hour).UTC().Format(time.RFC3339), "CHANGED", "3h ago"},
		{api.MethodGetRealTimeFaxStatusEx, "not a time", "CHANGED", "just now"},
		{api.MethodGetRealTimeFaxStatusEx, t0.Add(time.Hour).UTC().Format(time.RFC3339), "CHANGED", "just now"}, // a server clock ahead
	}
	for _, c := range cases {
		t.Run(string(c.method)+" "+c.deliveredAt, func(t *testing.T) {
			ids := jobIDs(1)
			h := newHarness(t, Options{Method: c.method}, ids...)
			js := status(ids[0], api.StatusSucceeded, "Job completed", 0, "")
			if c.method != api.MethodGetFaxStatus {
				js.Details = &api.Details{Method: c.method, DeliveredAt: c.deliveredAt}
			}
			h.src.set(js)
			h.start()
			lines := strings.Split(h.plain(), "\n")
			var header, row string
			for i, l := range lines {
				if strings.Contains(l, "JOB ID") {
					header, row = l, lines[i+1]
				}
			}
			if !strings.HasSuffix(strings.TrimSpace(header), c.wantTitle) || !strings.HasSuffix(strings.TrimSpace(row), c.wantAt) {
				t.Errorf("header %q, row %q; want %s and %s", header, row, c.wantTitle, c.wantAt)
			}
		})
	}
}
