package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// Answers built to hurt the client: bombs and bytes that break naive code.

// A gzip bomb: the transport inflates transparently, so the cap must bound
// the inflated size, and memory with it.
func TestGzipBomb(t *testing.T) {
	const inflated = 32 << 20
	var packed bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&packed, gzip.BestCompression)
	_, _ = zw.Write([]byte(`<?xml version="1.0"?>`))
	_, _ = zw.Write(bytes.Repeat([]byte(" "), inflated))
	_ = zw.Close()
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ Request, _ int) bool {
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(packed.Bytes())
		return true
	})
	c, _ := newTestClient(t, srv.URL, func(o *Options) { o.MaxBodyBytes = 1 << 20 })
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.GetFaxStatus(context.Background(), ids("br00000001"))
	runtime.ReadMemStats(&after)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 1<<20 || Retryable(err) || len(srv.seen()) != 1 {
		t.Fatalf("got %T %v after %d requests (%d compressed bytes)", err, err, len(srv.seen()), packed.Len())
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Fatalf("allocated %d MiB for a 1 MiB cap", grew>>20)
	}
}

// Regression: bytes.ToLower changes the length of invalid UTF-8 and of some
// letters (K, İ), and htmlTitle sliced body with offsets into the lowered copy.
func TestHTMLTitleHostileBytes(t *testing.T) {
	cases := map[string]string{
		"<html><title>" + strings.Repeat("\xff", 100) + "</title>":   strings.Repeat(`\xff`, 50)[:maxSnippet-len("…")] + "…",
		"<html><TITLE>" + strings.Repeat("\u212a", 50) + "</Title>x": strings.Repeat("\u212a", 50),
		"<html><title>ok</title>":                                    "ok",
		"<html><title>open":                                          "",
		"<html>\x1ctitle>no</title>":                                 "",
	}
	for body, want := range cases {
		if got := htmlTitle([]byte(body)); got != want {
			t.Errorf("htmlTitle(%q) = %q, want %q", body, got, want)
		}
		_, err := DecodeResponse(OpGetFaxStatus, "text/html", []byte(body))
		var pe *ProtocolError
		if !errors.As(err, &pe) || pe.Kind != KindHTML {
			t.Errorf("%q: %v", body, err)
		}
	}
}
