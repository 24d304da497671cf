package sim

import (
	"net/http"
	"testing"

	"faxwatch/api"
)

// BenchmarkServeGetFaxStatus measures the handler on a 100-ID call, the
// client's default batch, in each format.
func BenchmarkServeGetFaxStatus(b *testing.B) {
	s, _ := newSim(b, Options{Seed: 1, Jobs: 100})
	c := s.Credentials()
	for _, f := range allFormats {
		body, err := api.EncodeRequest(f, api.Request{Op: api.OpGetRealTimeFaxStatusEx2, UserID: c.UserID, PIN: c.PIN, JobIDs: idStrings(s.JobIDs())})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if w := post(b, s, f.ContentType(), body, nil); w.Code != http.StatusOK {
					b.Fatalf("HTTP %d", w.Code)
				}
			}
		})
	}
}
