package api

import (
	"fmt"
	"testing"
)

func benchItems(n int) Response {
	resp := Response{Op: OpGetFaxStatus, Return: true}
	for i := range n {
		resp.Items = append(resp.Items, WireItem{FaxJobID: fmt.Sprintf("br%08dh%05dx", i, i), StatusID: 1 + i%3, Description: "Fax sent successfully"})
	}
	return resp
}

func BenchmarkEncodeRequest100(b *testing.B) {
	req := Request{Op: OpGetFaxStatus, UserID: "mbx1234567890"}
	for i := range 100 {
		req.JobIDs = append(req.JobIDs, fmt.Sprintf("br%08dh%05dx", i, i))
	}
	for _, f := range allFormats {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := EncodeRequest(f, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchDecode(b *testing.B, f Format) {
	body, err := EncodeResponse(f, benchItems(1000))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var allocs float64
	for b.Loop() {
		resp, err := DecodeResponse(OpGetFaxStatus, f.ContentType(), body)
		if err != nil || len(resp.Items) != 1000 {
			b.Fatal(err)
		}
	}
	allocs = testing.AllocsPerRun(1, func() { _, _ = DecodeResponse(OpGetFaxStatus, f.ContentType(), body) })
	b.ReportMetric(allocs/1000, "allocs/item")
}

func BenchmarkDecodeSOAP1000(b *testing.B) { benchDecode(b, FormatSOAP11) }
func BenchmarkDecodeJSON1000(b *testing.B) { benchDecode(b, FormatJSON) }
